"""Thread settings of the kernels, and a Python pool for work made of Python code.

The compiled core splits a large input across its own POSIX threads (``pool.inc``), given
the count :func:`_threads_for` picks here. :func:`_run` runs Python tasks (the trainers'
passes over blocks of rows, whose kernels release the GIL) on a plain
:class:`~concurrent.futures.ThreadPoolExecutor`, the calling thread taking the first.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .._validation import param_error

ENV_THREADS = "SOFTMAXLAB_NUM_THREADS"
#: Inputs of fewer bytes than this (1 MB: 250 000 float32 or 125 000 float64 entries) run on
#: one thread. Waking a sleeping worker of the core's pool takes 30-50 us on a 2-core VM,
#: which smaller calls do not win back; at this size it breaks even (measured after an idle
#: millisecond: float32 (256, 1000) softmax 72 us on one thread, 70 us on two; float64
#: (128, 1000) 74 us and 68 us; back to back, two threads take half the time).
PARALLEL_MIN_BYTES = 1_000_000
#: Rows of at most this many classes go to the kernels that vectorise across rows.
SHORT_ROW = 32
#: ... when there are at least this many of them (one transposed block).
SHORT_MIN_ROWS = 64

_lock = threading.Lock()
_num_threads: int | None = None
_pool: ThreadPoolExecutor | None = None
_pool_size = 0


def _default_threads() -> int:
    env = os.environ.get(ENV_THREADS, "").strip()
    if env:
        try:
            n = int(env)
        except ValueError:
            n = 0
        if n < 1:
            raise ValueError(
                f"The environment variable {ENV_THREADS} must be a positive integer. "
                f"Got {env!r} instead."
            )
        return n
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def get_num_threads() -> int:
    """Number of threads the kernels may use for large inputs.

    Defaults to ``SOFTMAXLAB_NUM_THREADS`` when set, otherwise to the number of CPUs this
    process may run on.

    Examples
    --------
    >>> from softmaxlab.kernels import get_num_threads
    >>> get_num_threads() >= 1
    True
    """
    global _num_threads
    if _num_threads is None:
        _num_threads = _default_threads()
    return _num_threads


def set_num_threads(n: int) -> None:
    """Set the number of threads the kernels may use for large inputs (an int >= 1).

    Inputs smaller than ``PARALLEL_MIN_BYTES`` always run on the calling thread.

    Raises
    ------
    ValueError
        If ``n`` is not an integer >= 1.

    Examples
    --------
    >>> from softmaxlab.kernels import get_num_threads, set_num_threads
    >>> old = get_num_threads()
    >>> set_num_threads(1)
    >>> get_num_threads()
    1
    >>> set_num_threads(old)
    """
    global _num_threads
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise param_error("n", "an int >= 1", n, func="set_num_threads")
    _num_threads = int(n)


def _threads_for(nbytes: int) -> int:
    """Threads for an input of ``nbytes`` bytes: 1 below :data:`PARALLEL_MIN_BYTES`."""
    return 1 if nbytes < PARALLEL_MIN_BYTES else get_num_threads()


def _run(tasks: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run tasks on the pool, the first one on the calling thread; results in order."""
    global _pool, _pool_size
    if len(tasks) == 1:
        return [tasks[0]()]
    with _lock:
        if _pool is None or _pool_size < len(tasks) - 1:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool_size = len(tasks) - 1
            _pool = ThreadPoolExecutor(_pool_size, thread_name_prefix="softmaxlab")
        pool = _pool
    futures = [pool.submit(t) for t in tasks[1:]]
    first = tasks[0]()
    return [first, *(f.result() for f in futures)]


def _bounds(n: int, parts: int) -> list[tuple[int, int]]:
    step = -(-n // parts)
    return [(lo, min(n, lo + step)) for lo in range(0, n, step)]
