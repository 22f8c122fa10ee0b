"""Side-by-side benchmark of softmax, log_softmax and cross-entropy on CPU.

Run by ``softmaxlab bench`` and by ``python benchmarks/bench_softmax.py``. Implementations,
timed interleaved (one sample of each per repeat, so that load changes on a shared machine
hit them alike) and summarised by medians:

* ``softmaxlab``: the public functions (:func:`softmaxlab.softmax`, :func:`~softmaxlab.log_softmax`,
  :func:`~softmaxlab.cross_entropy`, and for the loss with its gradient
  :func:`~softmaxlab.cross_entropy_and_grad`, one fused pass on the kernels), i.e. what
  users get, through the dispatch point; the ``backend`` column says which path ran
  (``numba`` kernels or the ``numpy`` reference path);
* ``sl-numba``: softmax and log_softmax only, on inputs that ``backend="auto"`` keeps on the
  NumPy path (below 16,384 elements): the same public function with ``backend="numba"``;
* ``numpy``: the naive ``exp(x - max) / sum`` (and ``x - max - log(sum)``, and the loss and
  gradient written with them);
* ``scipy``: ``scipy.special.softmax`` / ``log_softmax``;
* ``torch``: PyTorch CPU (``torch.softmax``, ``log_softmax``, ``cross_entropy`` and its
  autograd backward);
* ``jax``: ``jax.nn`` under ``jax.jit`` (JAX keeps its own thread pool: not pinned);
* ``copy``: a same-size ``np.copyto``, the memory-bandwidth reference.

scipy, torch and jax are optional: a missing one is reported as ``not installed``.

Each row gives the median time per call, Gelem/s, the effective GB/s (bytes read and written
once: the input and the output, without the O(rows) targets and losses), the ratio to
PyTorch (``torch/x`` > 1: faster than PyTorch) and the fraction of copy speed (effective
GB/s over the copy's). Thread counts are pinned with threadpoolctl (when installed),
``torch.set_num_threads`` and :func:`softmaxlab.kernels.set_num_threads`, and restored
afterwards; the load average is printed before and after the run.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "DTYPES",
    "FULL_SHAPES",
    "OPS",
    "QUICK_SHAPES",
    "BenchResult",
    "format_header",
    "format_row",
    "measure",
    "parse_shapes",
    "run",
]

FULL_SHAPES: list[tuple[int, int]] = [
    (1, 10),
    (256, 10),
    (100_000, 10),
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
BACKENDS = ("auto", "numba", "numpy")
OPTIONAL = ("scipy", "torch", "jax")
#: Each timing sample lasts at least this long: tiny calls are repeated within a sample, so
#: that the clock's resolution and overhead do not dominate.
MIN_SAMPLE_SECONDS = 2e-4


@dataclass
class BenchResult:
    """One implementation on one problem (``seconds`` is None when it was not run)."""

    op: str
    dtype: str
    threads: int
    shape: tuple[int, int]
    impl: str
    backend: str  # the softmaxlab path that ran ('numba' or 'numpy'); '-' for others
    seconds: float | None
    gelem_s: float | None = None
    gb_s: float | None = None
    vs_torch: float | None = None  # torch's median / this median
    vs_copy: float | None = None  # this GB/s / copy's GB/s
    note: str = ""  # 'not installed', 'skipped'

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "dtype": self.dtype,
            "threads": self.threads,
            "shape": list(self.shape),
            "impl": self.impl,
            "backend": self.backend,
            "seconds": self.seconds,
            "gelem_per_s": self.gelem_s,
            "gb_per_s": self.gb_s,
            "vs_torch": self.vs_torch,
            "vs_copy": self.vs_copy,
            "note": self.note,
        }


@dataclass
class BenchReport:
    machine: dict[str, Any]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] = (math.nan, math.nan, math.nan)
    results: list[BenchResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "load_before": list(self.load_before),
            "load_after": list(self.load_after),
            "results": [r.to_json() for r in self.results],
        }


# ----------------------------------------------------------------------------- parsing


def parse_shapes(text: str) -> list[tuple[int, int]]:
    """``"1x10,256x10"`` -> ``[(1, 10), (256, 10)]`` (rows x classes, both >= 1).

    Examples
    --------
    >>> parse_shapes("1x10, 256x10")
    [(1, 10), (256, 10)]
    >>> parse_shapes("10")
    Traceback (most recent call last):
    ...
    ValueError: --shapes must be comma-separated ROWSxCOLUMNS pairs of positive integers, e.g. 1x10,256x10. Got '10' instead.
    """  # noqa: E501
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
            raise ValueError(
                "--shapes must be comma-separated ROWSxCOLUMNS pairs of positive integers, "
                f"e.g. 1x10,256x10. Got {item.strip()!r} instead."
            )
        shapes.append(shape)
    return shapes


# ---------------------------------------------------------------------- implementations


def load_libraries(names: Sequence[str] = OPTIONAL) -> dict[str, Any]:
    """The optional comparison libraries that import, by name (missing ones are None)."""
    libs: dict[str, Any] = {}
    for name in names:
        try:
            libs[name] = importlib.import_module("scipy.special" if name == "scipy" else name)
        except ImportError:
            libs[name] = None
    return libs


def _naive(x: np.ndarray, log: bool) -> np.ndarray:
    d = x - x.max(axis=-1, keepdims=True)
    if log:
        return d - np.log(np.exp(d).sum(axis=-1, keepdims=True))
    e = np.exp(d)
    return e / e.sum(axis=-1, keepdims=True)


def _naive_ce(x: np.ndarray, t: np.ndarray, grad: bool) -> Any:
    logp = _naive(x, log=True)
    rows = np.arange(len(t))
    loss = -logp[rows, t].mean()
    if not grad:
        return loss
    g = np.exp(logp)
    g[rows, t] -= 1.0
    return loss, g / len(t)


def softmaxlab_path(op: str, x: np.ndarray, backend: str) -> str:
    """Which path the public function takes for ``x``: 'numba' or 'numpy'."""
    from .core import _dispatch

    if backend != "auto":
        return backend
    return "numba" if _dispatch.use_kernels("auto", x.dtype, x.size, op) else "numpy"


def build_impls(
    op: str, x: np.ndarray, target: np.ndarray, libs: dict[str, Any], backend: str = "auto"
) -> dict[str, Callable[[], Any]]:
    """One zero-argument callable per available implementation of ``op`` on ``x``.

    Every implementation allocates its result on each call, as PyTorch and NumPy do.
    """
    import softmaxlab as sl

    torch, sp, jax = libs.get("torch"), libs.get("scipy"), libs.get("jax")
    impls: dict[str, Callable[[], Any]] = {}
    if op in ("softmax", "log_softmax"):
        log = op == "log_softmax"
        slf = sl.log_softmax if log else sl.softmax
        impls["softmaxlab"] = lambda: slf(x, backend=backend)
        if softmaxlab_path(op, x, backend) == "numpy" and backend == "auto":
            from . import kernels

            if kernels.available():
                # What a caller who asks for the kernels gets on inputs 'auto' keeps on the
                # NumPy path (a small call is then one compiled-kernel call).
                impls["sl-numba"] = lambda: slf(x, backend="numba")
        impls["numpy"] = lambda: _naive(x, log)
        if sp is not None:
            spf = sp.log_softmax if log else sp.softmax
            impls["scipy"] = lambda: spf(x, axis=-1)
        if torch is not None:
            xt = torch.from_numpy(x)
            tf = torch.log_softmax if log else torch.softmax
            impls["torch"] = lambda: tf(xt, -1)
        if jax is not None:
            xj = jax.numpy.asarray(x)
            jf = jax.jit(jax.nn.log_softmax if log else jax.nn.softmax)
            impls["jax"] = lambda: jf(xj).block_until_ready()
    elif op in ("cross_entropy", "cross_entropy_grad"):
        grad = op == "cross_entropy_grad"
        if grad:
            impls["softmaxlab"] = lambda: sl.cross_entropy_and_grad(x, target, backend=backend)
        else:
            impls["softmaxlab"] = lambda: sl.cross_entropy(x, target, backend=backend)
        impls["numpy"] = lambda: _naive_ce(x, target, grad)
        if torch is not None:
            xt = torch.from_numpy(x)
            tt = torch.from_numpy(target)
            fce = torch.nn.functional.cross_entropy
            if grad:

                def torch_forward_backward() -> Any:
                    z = xt.detach().requires_grad_(True)
                    loss = fce(z, tt)
                    loss.backward()
                    return loss, z.grad

                impls["torch"] = torch_forward_backward
            else:
                impls["torch"] = lambda: fce(xt, tt)
        if jax is not None:
            xj = jax.numpy.asarray(x)
            tj = jax.numpy.asarray(target)

            def jax_loss(z: Any) -> Any:
                lp = jax.nn.log_softmax(z)
                return -jax.numpy.take_along_axis(lp, tj[:, None], axis=-1).mean()

            jf = jax.jit(jax.value_and_grad(jax_loss) if grad else jax_loss)
            impls["jax"] = lambda: jax.block_until_ready(jf(xj))
    else:  # pragma: no cover - the callers check op
        raise ValueError(f"unknown op {op!r}")
    copy_out = np.empty_like(x)
    impls["copy"] = lambda: np.copyto(copy_out, x)
    return impls


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


# ------------------------------------------------------------------------------ running


def _load() -> tuple[float, float, float]:
    try:
        a, b, c = os.getloadavg()
    except OSError:  # pragma: no cover - not available on this platform
        return (math.nan, math.nan, math.nan)
    return (a, b, c)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(libs: dict[str, Any]) -> dict[str, Any]:
    import softmaxlab

    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    versions: dict[str, str | None] = {
        "numpy": np.__version__,
        "softmaxlab": softmaxlab.__version__,
    }
    try:
        # The installed version, without paying for `import numba` here.
        versions["numba"] = importlib.metadata.version("numba")
    except importlib.metadata.PackageNotFoundError:
        versions["numba"] = None
    for name, mod in libs.items():
        if name == "scipy" and mod is not None:
            import scipy

            versions[name] = scipy.__version__
        else:
            versions[name] = getattr(mod, "__version__", None)
    return {
        "cpu": _cpu_model(),
        "cpus": cpus,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }


@contextmanager
def _pinned_threads(n: int, torch: Any) -> Iterator[None]:
    """Run with ``n`` threads for the softmaxlab kernels, PyTorch and the BLAS pools."""
    from . import kernels

    old_k = kernels.get_num_threads()
    old_t = torch.get_num_threads() if torch is not None else None
    kernels.set_num_threads(n)
    if torch is not None:
        torch.set_num_threads(n)
    try:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            yield
        else:
            with threadpool_limits(limits=n):
                yield
    finally:
        kernels.set_num_threads(old_k)
        if torch is not None:
            torch.set_num_threads(old_t)


@contextmanager
def _jax_x64(jax: Any, enable: bool) -> Iterator[None]:
    """JAX in 64-bit mode for float64 inputs, restored afterwards (it is a global flag)."""
    if jax is None or not enable:
        yield
        return
    old = bool(jax.config.read("jax_enable_x64"))
    jax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        jax.config.update("jax_enable_x64", old)


def _fmt(v: float | None) -> str:
    # Three significant digits: a small positive value never prints as 0.00.
    return "n/a" if v is None else f"{v:.3g}"


def format_header() -> str:
    return (
        f"{'op':<18} {'dtype':<7} {'thr':>3} {'shape':<13} {'impl':<10} {'backend':<7} "
        f"{'median':>11} {'Gelem/s':>8} {'GB/s':>8} {'torch/x':>8} {'of copy':>8}"
    )


def format_row(r: BenchResult) -> str:
    shape = f"{r.shape[0]}x{r.shape[1]}"
    head = f"{r.op:<18} {r.dtype:<7} {r.threads:>3} {shape:<13} {r.impl:<10} {r.backend:<7} "
    if r.seconds is None:
        return head + f"{r.note:>11}"
    t = r.seconds
    med = f"{t * 1e6:9.2f}us" if t < 1e-3 else f"{t * 1e3:9.2f}ms"
    return head + (
        f"{med:>11} {_fmt(r.gelem_s):>8} {_fmt(r.gb_s):>8} {_fmt(r.vs_torch):>8} "
        f"{_fmt(r.vs_copy):>8}"
    )


def _results_for(
    op: str,
    x: np.ndarray,
    nt: int,
    timings: dict[str, float],
    path: str,
    notes: dict[str, str],
) -> list[BenchResult]:
    # Bytes moved once: read x and write an output of its size (the forward loss writes
    # O(rows) only).
    moved = x.nbytes if op == "cross_entropy" else 2 * x.nbytes
    copy_gb_s = 2 * x.nbytes / timings["copy"] / 1e9
    torch_t = timings.get("torch")
    out = []
    for name, t in timings.items():
        gb_s = (2 * x.nbytes if name == "copy" else moved) / t / 1e9
        out.append(
            BenchResult(
                op=op,
                dtype=str(x.dtype),
                threads=nt,
                shape=(x.shape[0], x.shape[1]),
                impl=name,
                backend=path if name == "softmaxlab" else "numba" if name == "sl-numba" else "-",
                seconds=t,
                gelem_s=x.size / t / 1e9,
                gb_s=gb_s,
                vs_torch=None if torch_t is None else torch_t / t,
                vs_copy=gb_s / copy_gb_s,
            )
        )
    for name, note in notes.items():
        out.append(
            BenchResult(
                op=op,
                dtype=str(x.dtype),
                threads=nt,
                shape=(x.shape[0], x.shape[1]),
                impl=name,
                backend="-",
                seconds=None,
                note=note,
            )
        )
    return out


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
    backend : {'auto', 'numba', 'numpy'}
        Passed to the softmaxlab functions.
    scipy_on_huge : bool
        Also time scipy on inputs of 10**7 elements or more (slow).
    emit : callable or None
        Receives each printed line (header, rows, load); None prints nothing.
    libs : dict, optional
        The comparison libraries (default: :func:`load_libraries`).

    Returns
    -------
    BenchReport
    """
    libs = load_libraries() if libs is None else libs
    say = emit if emit is not None else (lambda line: None)
    report = BenchReport(machine=machine_info(libs), load_before=_load())
    m = report.machine
    say(
        f"# machine: {m['cpu']}, {m['cpus']} CPUs, {m['platform']}, python {m['python']}, "
        + ", ".join(f"{k} {v or 'not installed'}" for k, v in m["versions"].items())
    )
    say("# load average (1, 5, 15 min) before: " + " ".join(f"{v:.2f}" for v in report.load_before))
    say(
        "# torch/x: PyTorch's median over this one (> 1: faster than PyTorch); "
        "of copy: effective GB/s over a same-size np.copyto's"
    )
    header = format_header()
    say(header)
    say("-" * len(header))
    torch, jax = libs.get("torch"), libs.get("jax")
    missing = [name for name in OPTIONAL if libs.get(name) is None]
    rng = np.random.default_rng(0)
    with _jax_x64(jax, "float64" in dtypes):
        for nt in threads:
            with _pinned_threads(nt, torch):
                for dt in dtypes:
                    for shape in shapes:
                        x = rng.standard_normal(shape).astype(dt)
                        target = rng.integers(0, shape[1], shape[0]).astype(np.int64)
                        for op in ops:
                            impls = build_impls(op, x, target, libs, backend)
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
                            for r in _results_for(op, x, nt, timings, path, notes):
                                report.results.append(r)
                                say(format_row(r))
    report.load_after = _load()
    say("# load average (1, 5, 15 min) after: " + " ".join(f"{v:.2f}" for v in report.load_after))
    return report
