"""Row kernels of the softmax family on validated 2-D arrays (rows × classes).

Every function here takes C-contiguous 2-D float32 or float64 arrays whose last axis is the
one normalised (one row per slice), and never validates: the public functions of
:mod:`softmaxlab` validate, move the axis last, and call these through one dispatch point
(:mod:`softmaxlab.core._dispatch`). The results match the pure-NumPy reference path of
:mod:`softmaxlab.core` (same special values; float32 within 1 ulp of the exact value, float64
within a few ulps).

Every kernel (softmax, log_softmax, logsumexp, cross-entropy with its gradient, softmax_vjp)
runs on the compiled SIMD core (:mod:`softmaxlab._simd`, C, level chosen at import by the
CPU's features); where it is not loaded (see :func:`core_loaded`) they raise RuntimeError and
:mod:`softmaxlab.core` keeps its NumPy reference path. Large inputs are split across threads
(see :func:`set_num_threads`; the environment variable ``SOFTMAXLAB_NUM_THREADS`` sets the
default).
"""

from __future__ import annotations

from .. import _simd
from ._ce import ce_denom, cross_entropy_parts, softmax_vjp_rows
from ._compiled import logsumexp_rows, softmax_rows
from ._config import show_config
from ._threads import (
    ENV_THREADS,
    PARALLEL_MIN_BYTES,
    SHORT_MIN_ROWS,
    SHORT_ROW,
    get_num_threads,
    set_num_threads,
)
from ._threads import _default_threads as _default_threads  # for the tests

__all__ = [
    "ENV_THREADS",
    "PARALLEL_MIN_BYTES",
    "SHORT_MIN_ROWS",
    "SHORT_ROW",
    "available",
    "ce_denom",
    "core_loaded",
    "cross_entropy_parts",
    "get_num_threads",
    "logsumexp_rows",
    "set_num_threads",
    "show_config",
    "softmax_rows",
    "softmax_vjp_rows",
]


def available() -> bool:
    """True when the compiled kernels can run (the core is loaded): the same as
    :func:`core_loaded`, kept for callers of the numba era."""
    return _simd.core is not None


def core_loaded() -> bool:
    """True when the compiled SIMD core is loaded (see :func:`softmaxlab.show_config`)."""
    return _simd.core is not None
