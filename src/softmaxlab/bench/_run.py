"""Running the benchmark: shapes, timing loop and the driver behind ``softmaxlab bench``."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._validation import param_error
from ._impls import OPTIONAL, build_impls, load_libraries, softmaxlab_path
from ._machine import jax_x64, load_average, machine_info, pinned_threads
from ._results import BenchReport, format_header, format_row, results_for

__all__ = [
    "BACKENDS",
    "DTYPES",
    "FULL_SHAPES",
    "MIN_SAMPLE_SECONDS",
    "OPS",
    "QUICK_SHAPES",
    "default_repeats",
    "measure",
    "parse_shapes",
    "run",
]

FULL_SHAPES: list[tuple[int, int]] = [
    (1, 10),
    (256, 10),
    (100_000, 10),
    (128, 1000),
    (4096, 1000),
    (64, 32_000),
    (16, 128_256),
    (8, 10**6),
    (1, 10**7),
]
QUICK_SHAPES: list[tuple[int, int]] = [(1, 10), (100_000, 10), (4096, 1000), (1, 10**7)]
#: ``cross_entropy_grad`` times the loss *and* its gradient (PyTorch: forward + backward).
OPS = ("softmax", "log_softmax", "cross_entropy", "cross_entropy_grad")
DTYPES = ("float32", "float64")
BACKENDS = ("auto", "compiled", "numba", "numpy")
#: Each timing sample lasts at least this long: tiny calls are repeated within a sample, so
#: that the clock's resolution and overhead do not dominate.
MIN_SAMPLE_SECONDS = 2e-4


def parse_shapes(text: str) -> list[tuple[int, int]]:
    """``"1x10,256x10"`` -> ``[(1, 10), (256, 10)]`` (rows x classes, both >= 1).

    Examples
    --------
    >>> parse_shapes("1x10, 256x10")
    [(1, 10), (256, 10)]
    >>> try:
    ...     parse_shapes("10")
    ... except ValueError as exc:
    ...     print(exc)
    The 'shapes' parameter of bench must be comma-separated ROWSxCOLUMNS pairs of positive
    integers, e.g. 1x10,256x10. Got '10' instead.
    """
    shapes = []
    for item in text.split(","):
        parts = item.strip().lower().split("x")
        try:
            if len(parts) != 2:
                raise ValueError
            shape = (int(parts[0]), int(parts[1]))
        except ValueError:
            shape = (0, 0)
        if min(shape) < 1:
            raise param_error(
                "shapes",
                "comma-separated ROWSxCOLUMNS pairs of positive integers, e.g. 1x10,256x10",
                item.strip(),
                func="bench",
            )
        shapes.append(shape)
    return shapes


def measure(impls: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Median seconds per call of each implementation, timed interleaved.

    Two warm-up calls each (JIT compilation, caches); the second one sets how many calls a
    sample makes so that it lasts at least :data:`MIN_SAMPLE_SECONDS`.
    """
    inner: dict[str, int] = {}
    for name, f in impls.items():
        f()
        t0 = time.perf_counter()
        f()
        warm = time.perf_counter() - t0
        inner[name] = max(1, min(10_000, math.ceil(MIN_SAMPLE_SECONDS / max(warm, 1e-9))))
    times: dict[str, list[float]] = {k: [] for k in impls}
    for _ in range(repeats):
        for name, f in impls.items():
            k = inner[name]
            t0 = time.perf_counter()
            for _ in range(k):
                f()
            times[name].append((time.perf_counter() - t0) / k)
    return {k: statistics.median(v) for k, v in times.items()}


def default_repeats(nbytes: int, quick: bool) -> int:
    if nbytes < 1 << 16:
        base = 200
    elif nbytes < 1 << 22:
        base = 25
    else:
        base = 7
    return max(3, base // 3) if quick else base


def run(
    shapes: Sequence[tuple[int, int]],
    dtypes: Sequence[str],
    threads: Sequence[int],
    ops: Sequence[str],
    *,
    quick: bool = False,
    repeat: int | None = None,
    backend: str = "auto",
    scipy_on_huge: bool = False,
    emit: Callable[[str], None] | None = print,
    libs: dict[str, Any] | None = None,
    variants: Sequence[str] = (),
) -> BenchReport:
    """Time every implementation on every (threads, dtype, shape, op); print as it goes.

    Parameters
    ----------
    shapes : sequence of (rows, classes)
    dtypes : sequence of {'float32', 'float64'}
    threads : sequence of int >= 1
    ops : sequence of {'softmax', 'log_softmax', 'cross_entropy', 'cross_entropy_grad'}
    quick : bool
        Fewer repeats (when ``repeat`` is not given).
    repeat : int, optional
        Timing samples per implementation (default: by size, 7 to 200).
    backend : {'auto', 'compiled', 'numba', 'numpy'}
        Passed to the softmaxlab functions ('numba' is an alias of 'compiled').
    scipy_on_huge : bool
        Also time scipy on inputs of 10**7 elements or more (slow).
    emit : callable or None
        Receives each printed line (header, rows, load); None prints nothing.
    libs : dict, optional
        The comparison libraries (default: :func:`load_libraries`).
    variants : sequence of {'fast', 'out'}
        Also time these softmaxlab variants of softmax and log_softmax, as rows of their own
        in the same interleaved run: ``sl-fast`` (``precision='fast'``, float32) and
        ``sl-out`` (into a preallocated ``out=``).

    Returns
    -------
    BenchReport
    """
    libs = load_libraries() if libs is None else libs
    say = emit if emit is not None else (lambda line: None)
    report = BenchReport(machine=machine_info(libs), load_before=load_average())
    m = report.machine
    say(
        f"# machine: {m['cpu']}, {m['cpus']} CPUs, {m['platform']}, python {m['python']}, "
        + ", ".join(f"{k} {v or 'not installed'}" for k, v in m["versions"].items())
    )
    say("# load average (1, 5, 15 min) before: " + " ".join(f"{v:.2f}" for v in report.load_before))
    say(
        "# torch/x: PyTorch's median over this one (> 1: faster than PyTorch); "
        "of copy: effective GB/s over a same-size allocate + copy's (x.copy())"
    )
    header = format_header()
    say(header)
    say("-" * len(header))
    torch, jax = libs.get("torch"), libs.get("jax")
    missing = [name for name in OPTIONAL if libs.get(name) is None]
    rng = np.random.default_rng(0)
    with jax_x64(jax, "float64" in dtypes):
        for nt in threads:
            with pinned_threads(nt, torch):
                for dt in dtypes:
                    for shape in shapes:
                        x = rng.standard_normal(shape).astype(dt)
                        target = rng.integers(0, shape[1], shape[0]).astype(np.int64)
                        for op in ops:
                            impls = build_impls(op, x, target, libs, backend, variants)
                            # Rows without a timing: missing libraries (scipy has no
                            # cross-entropy, so it is not missing there) and skipped ones.
                            notes = {
                                n: "not installed"
                                for n in missing
                                if not (n == "scipy" and op.startswith("cross_entropy"))
                            }
                            if "scipy" in impls and not scipy_on_huge and x.size >= 10**7:
                                del impls["scipy"]
                                notes["scipy"] = "skipped"
                            n_rep = repeat or default_repeats(x.nbytes, quick)
                            timings = measure(impls, n_rep)
                            path = softmaxlab_path(op, x, backend)
                            for r in results_for(op, x, nt, timings, path, notes):
                                report.results.append(r)
                                say(format_row(r))
    report.load_after = load_average()
    say("# load average (1, 5, 15 min) after: " + " ".join(f"{v:.2f}" for v in report.load_after))
    return report
