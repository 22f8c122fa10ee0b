"""Side-by-side benchmark of softmax, log_softmax and cross-entropy on CPU.

Implementations, timed interleaved (one call of each per repeat, so that load changes on a
shared machine hit them alike) and summarised by medians:

* ``softmaxlab``: the numba kernels of :mod:`softmaxlab.kernels` on 2-D rows;
* ``numpy``: the naive ``exp(x - max) / sum`` (and ``x - max - log(sum)``);
* ``scipy``: ``scipy.special.softmax`` / ``log_softmax``;
* ``torch``: PyTorch CPU (``torch.softmax``, ``log_softmax``, ``cross_entropy``);
* ``jax``: when importable;
* ``copy``: a same-size ``np.copyto``, the memory-bandwidth reference.

Printed per row: median time, Gelem/s, effective GB/s (bytes read + written once), the ratio
to PyTorch (> 1: faster than PyTorch) and the fraction of copy speed. Thread counts are pinned
with threadpoolctl, ``torch.set_num_threads`` and :func:`softmaxlab.kernels.set_num_threads`;
the machine load (``os.getloadavg()``) is printed before and after.

Run ``python benchmarks/bench_softmax.py`` (all shapes, float32 and float64, 1 and 2 threads)
or ``--quick`` for a small subset.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

FULL_SHAPES = [
    (1, 10),
    (256, 10),
    (100000, 10),
    (4096, 1000),
    (64, 32000),
    (16, 128256),
    (8, 10**6),
    (1, 10**7),
]
QUICK_SHAPES = [(1, 10), (100000, 10), (4096, 1000), (1, 10**7)]


def _timer(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _repeats(nbytes: int, quick: bool) -> int:
    if nbytes < 1 << 16:
        base = 200
    elif nbytes < 1 << 22:
        base = 25
    else:
        base = 7
    return max(3, base // 3) if quick else base


def _naive(x: np.ndarray, log: bool) -> np.ndarray:
    d = x - x.max(axis=-1, keepdims=True)
    if log:
        return d - np.log(np.exp(d).sum(axis=-1, keepdims=True))
    e = np.exp(d)
    return e / e.sum(axis=-1, keepdims=True)


def _naive_ce(x: np.ndarray, t: np.ndarray, grad: bool) -> Any:
    d = x - x.max(axis=-1, keepdims=True)
    lse = np.log(np.exp(d).sum(axis=-1, keepdims=True))
    logp = d - lse
    loss = -logp[np.arange(len(t)), t].mean()
    if not grad:
        return loss
    g = np.exp(logp)
    g[np.arange(len(t)), t] -= 1.0
    return loss, g / len(t)


def build_impls(
    op: str, x: np.ndarray, target: np.ndarray, libs: dict[str, Any]
) -> dict[str, Callable[[], Any]]:
    """One zero-argument callable per implementation for ``op`` on ``x``."""
    from softmaxlab import kernels as K

    torch = libs.get("torch")
    sp = libs.get("scipy")
    jax = libs.get("jax")
    # Every implementation allocates its result on each call, as PyTorch and NumPy do.
    impls: dict[str, Callable[[], Any]] = {}
    if op in ("softmax", "log_softmax"):
        log = op == "log_softmax"
        impls["softmaxlab"] = lambda: K.softmax_rows(x, log=log)
        impls["numpy"] = lambda: _naive(x, log)
        if sp is not None:
            f = sp.special.log_softmax if log else sp.special.softmax
            impls["scipy"] = lambda: f(x, axis=-1)
        if torch is not None:
            xt = torch.from_numpy(x)
            tf = torch.log_softmax if log else torch.softmax
            impls["torch"] = lambda: tf(xt, -1)
        if jax is not None:
            xj = jax.numpy.asarray(x)
            jf = jax.jit(jax.nn.log_softmax if log else jax.nn.softmax)
            impls["jax"] = lambda: jf(xj).block_until_ready()
    else:
        grad = op == "ce_fwd_bwd"
        if grad:
            impls["softmaxlab"] = lambda: K.cross_entropy_grad_rows(x, target, return_loss=True)
        else:
            impls["softmaxlab"] = lambda: K.cross_entropy_rows(x, target)
        impls["numpy"] = lambda: _naive_ce(x, target, grad)
        if torch is not None:
            xt = torch.from_numpy(x)
            tt = torch.from_numpy(target)
            fce = torch.nn.functional.cross_entropy
            if grad:

                def torch_fb() -> Any:
                    z = xt.detach().requires_grad_(True)
                    loss = fce(z, tt)
                    loss.backward()
                    return z.grad

                impls["torch"] = torch_fb
            else:
                impls["torch"] = lambda: fce(xt, tt)
        if jax is not None:
            xj = jax.numpy.asarray(x)
            tj = jax.numpy.asarray(target)

            def jloss(z: Any) -> Any:
                lp = jax.nn.log_softmax(z)
                return -jax.numpy.take_along_axis(lp, tj[:, None], axis=-1).mean()

            jf = jax.jit(jax.value_and_grad(jloss) if grad else jloss)
            impls["jax"] = lambda: jax.block_until_ready(jf(xj))
    copy_out = np.empty_like(x)
    impls["copy"] = lambda: np.copyto(copy_out, x)
    return impls


def measure(impls: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Median seconds per implementation, timed interleaved after one warm-up call each."""
    for f in impls.values():
        f()
    times: dict[str, list[float]] = {k: [] for k in impls}
    for _ in range(repeats):
        for name, f in impls.items():
            times[name].append(_timer(f))
    return {k: statistics.median(v) for k, v in times.items()}


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def run(
    shapes: Sequence[tuple[int, int]],
    dtypes: Sequence[str],
    threads: Sequence[int],
    ops: Sequence[str],
    quick: bool,
    skip_slow: bool,
) -> list[dict[str, Any]]:
    from threadpoolctl import threadpool_limits

    from softmaxlab import kernels as K

    libs: dict[str, Any] = {}
    for name in ("torch", "scipy", "jax"):
        try:
            if name == "scipy":
                import scipy.special

                libs[name] = sys.modules["scipy"]
                _ = scipy.special
            else:
                libs[name] = __import__(name)
        except ImportError:
            pass
    if "jax" in libs:
        libs["jax"].config.update("jax_enable_x64", True)
    rows: list[dict[str, Any]] = []
    print(
        f"# machine: {platform.machine()} {platform.processor() or ''} "
        f"cpus={os.cpu_count()} python={platform.python_version()} "
        f"numpy={np.__version__} torch={getattr(libs.get('torch'), '__version__', '-')} "
        f"jax={getattr(libs.get('jax'), '__version__', '-')}"
    )
    print(f"# load before: {_load()}")
    header = (
        f"{'op':<11} {'dtype':<7} {'thr':>3} {'shape':<14} {'impl':<10} "
        f"{'median':>11} {'Gelem/s':>8} {'GB/s':>7} {'torch/x':>8} {'copy/x':>7}"
    )
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(0)
    for nt in threads:
        K.set_num_threads(nt)
        if "torch" in libs:
            libs["torch"].set_num_threads(nt)
        with threadpool_limits(limits=nt):
            for dt in dtypes:
                for shape in shapes:
                    x = rng.standard_normal(shape).astype(dt)
                    target = rng.integers(0, shape[1], shape[0]).astype(np.int64)
                    for op in ops:
                        impls = build_impls(op, x, target, libs)
                        if skip_slow and x.size >= 10**7:
                            impls.pop("scipy", None)
                        res = measure(impls, _repeats(x.nbytes, quick))
                        # Bytes moved once: read x, write the output (the losses write O(rows)).
                        writes = 0 if op == "ce_fwd" else x.nbytes
                        moved = x.nbytes + writes
                        for name, t in res.items():
                            row = {
                                "op": op,
                                "dtype": dt,
                                "threads": nt,
                                "shape": shape,
                                "impl": name,
                                "seconds": t,
                                "gelem_s": x.size / t / 1e9,
                                "gb_s": (2 * x.nbytes if name == "copy" else moved) / t / 1e9,
                                "vs_torch": res["torch"] / t if "torch" in res else float("nan"),
                                "vs_copy": res["copy"] / t,
                            }
                            rows.append(row)
                            med = f"{t * 1e6:9.1f}us" if t < 1e-2 else f"{t * 1e3:9.2f}ms"
                            print(
                                f"{op:<11} {dt:<7} {nt:>3} {shape!s:<14} {name:<10} "
                                f"{med:>11} {row['gelem_s']:8.3f} {row['gb_s']:7.2f} "
                                f"{row['vs_torch']:8.2f} {row['vs_copy']:7.2f}",
                                flush=True,
                            )
    print(f"# load after: {_load()}")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small subset (float32, few shapes)")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--dtypes", default=None, help="comma-separated, e.g. float32,float64")
    p.add_argument(
        "--ops",
        default=None,
        help="comma-separated subset of softmax,log_softmax,ce_fwd,ce_fwd_bwd",
    )
    p.add_argument(
        "--with-scipy-on-huge",
        action="store_true",
        help="also time scipy on the 10**7-element shapes (slow)",
    )
    args = p.parse_args(argv)
    shapes = QUICK_SHAPES if args.quick else FULL_SHAPES
    dtypes = (args.dtypes or ("float32" if args.quick else "float32,float64")).split(",")
    ops = (args.ops or "softmax,log_softmax,ce_fwd,ce_fwd_bwd").split(",")
    threads = [int(t) for t in args.threads.split(",")]
    run(shapes, dtypes, threads, ops, args.quick, not args.with_scipy_on_huge)
    return 0


if __name__ == "__main__":
    sys.exit(main())
