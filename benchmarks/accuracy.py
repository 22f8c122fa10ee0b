"""Maximum ulp error of softmax, log_softmax, logsumexp and cross-entropy: softmaxlab next to
SciPy and PyTorch.

Every library gets the same inputs: rows of length 1000 drawn from N(0, 1²), N(0, 10²) and
N(0, 100²), rounded to float16, float32 and float64, plus one float32 row of 10**6 entries for
softmax. The reference is computed with mpmath at 110 bits (about 33 digits) from the exact
input values; errors are in ulps of the input dtype at the exact value (log_softmax: ulp
floored at eps, as in the tests; see ``tests/_support/mpref.py``).

softmaxlab appears three times: ``sl numpy`` is the pure-NumPy reference path
(``backend="numpy"``), ``sl compiled`` the compiled SIMD core (``backend="compiled"``, when it
is loaded; the level that runs is the one ``softmaxlab.show_config()`` names, and
``SOFTMAXLAB_SIMD=avx2`` or ``baseline`` forces a lower one), and ``sl no ld`` the reference
path forced onto its fallback for platforms without an 80-bit long double (only float64
differs). JAX is included when installed. A last table gives the per-sample cross-entropy
``-log_softmax(x)[y]`` (``reduction='none'``) against the same reference at the target.

Run: ``python benchmarks/accuracy.py [--rows N]`` (default 200 rows per case; a few minutes).
"""

from __future__ import annotations

import argparse
import math
import os
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from mpmath.libmp import from_float as mpf_from_float
from mpmath.libmp import fzero, mpf_add, mpf_div, mpf_exp, mpf_log, mpf_sub, to_float

PREC = 110
DTYPES = [np.float16, np.float32, np.float64]
SCALES = [1.0, 10.0, 100.0]
FUNCS = ["softmax", "log_softmax", "logsumexp"]
Impl = dict[str, Callable[[np.ndarray], np.ndarray]]


# --- reference -----------------------------------------------------------------------------


def _split(v: Any) -> tuple[float, float, int]:
    """An mpf tuple as (hi, lo, floor(log2|v|)) with hi + lo equal to v to ~106 bits."""
    hi = to_float(v)
    lo = to_float(mpf_sub(v, mpf_from_float(hi), PREC))
    man, bc = v[1], v[3]
    e = v[2] + bc - 1 if man else -100000
    return hi, lo, e


def reference(rows: np.ndarray) -> dict[str, np.ndarray]:
    """Exact-to-110-bits softmax, log_softmax and logsumexp of each row, as hi/lo/exponent."""
    shape = rows.shape
    out = {
        f"{k}_{part}": np.empty(shape if k != "logsumexp" else shape[:1], dtype=t)
        for k in FUNCS
        for part, t in (("hi", float), ("lo", float), ("e", np.int64))
    }
    for i, row in enumerate(rows.astype(np.float64).tolist()):
        m = max(row)
        mf = mpf_from_float(m)
        d = [mpf_sub(mpf_from_float(v), mf, PREC) for v in row]
        e = [mpf_exp(v, PREC) for v in d]
        s = fzero
        for v in e:
            s = mpf_add(s, v, PREC)
        log_s = mpf_log(s, PREC)
        for j in range(len(row)):
            for name, val in (
                ("softmax", mpf_div(e[j], s, PREC)),
                ("log_softmax", mpf_sub(d[j], log_s, PREC)),
            ):
                hi, lo, ex = _split(val)
                out[f"{name}_hi"][i, j], out[f"{name}_lo"][i, j], out[f"{name}_e"][i, j] = (
                    hi,
                    lo,
                    ex,
                )
        hi, lo, ex = _split(mpf_add(mf, log_s, PREC))
        out["logsumexp_hi"][i], out["logsumexp_lo"][i], out["logsumexp_e"][i] = hi, lo, ex
    return out


def ulp_errors(y: np.ndarray, ref: dict[str, np.ndarray], name: str, dtype: Any) -> np.ndarray:
    fi = np.finfo(dtype)
    u = np.ldexp(1.0, np.maximum(ref[f"{name}_e"], int(fi.minexp)) - int(fi.nmant))
    if name == "log_softmax":
        u = np.maximum(u, float(fi.eps))
    yd = np.asarray(y, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs((yd - ref[f"{name}_hi"]) - ref[f"{name}_lo"]) / u
    return np.where(np.isnan(err), np.inf, err)


# --- libraries -----------------------------------------------------------------------------


def implementations() -> dict[str, Impl]:
    import scipy.special as sp

    import softmaxlab as sl
    import softmaxlab.core._rows as rows_module

    def no_ld(f: Callable[..., Any]) -> Callable[[np.ndarray], np.ndarray]:
        def run(x: np.ndarray) -> np.ndarray:
            saved = rows_module.EXTENDED
            rows_module.EXTENDED = False
            try:
                return np.asarray(f(x, axis=-1, backend="numpy"))
            finally:
                rows_module.EXTENDED = saved

        return run

    def path(backend: str) -> Impl:
        def call(f: Callable[..., Any]) -> Callable[[np.ndarray], np.ndarray]:
            return lambda x: np.asarray(f(x, axis=-1, backend=backend))

        return {k: call(getattr(sl, k)) for k in FUNCS}

    impls: dict[str, Impl] = {
        "sl numpy": path("numpy"),
        "sl no ld": {k: no_ld(getattr(sl, k)) for k in FUNCS},
    }
    if sl.kernels.core_loaded():
        impls["sl compiled"] = path("compiled")
    impls |= {
        "scipy": {
            "softmax": lambda x: sp.softmax(x, axis=-1),
            "log_softmax": lambda x: sp.log_softmax(x, axis=-1),
            "logsumexp": lambda x: np.asarray(sp.logsumexp(x, axis=-1)),
        },
    }
    try:
        import torch

        def tw(f: Callable[..., Any]) -> Callable[[np.ndarray], np.ndarray]:
            return lambda x: f(torch.from_numpy(np.ascontiguousarray(x)), dim=-1).numpy()

        impls[f"torch {torch.__version__}"] = {
            "softmax": tw(torch.softmax),
            "log_softmax": tw(torch.log_softmax),
            "logsumexp": tw(torch.logsumexp),
        }
    except ImportError:
        print("torch not installed: skipped")
    try:
        import jax
        import jax.numpy as jnp

        jax.config.update("jax_enable_x64", True)

        def jw(f: Callable[..., Any]) -> Callable[[np.ndarray], np.ndarray]:
            return lambda x: np.asarray(f(jnp.asarray(x), axis=-1))

        impls[f"jax {jax.__version__}"] = {
            "softmax": jw(jax.nn.softmax),
            "log_softmax": jw(jax.nn.log_softmax),
            "logsumexp": jw(jax.scipy.special.logsumexp),
        }
    except ImportError:
        print("jax not installed: skipped")
    return impls


def _safe(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray | None:
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return f(x)
    except (RuntimeError, TypeError, ValueError):
        return None  # e.g. a dtype the library does not support


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200, help="rows per (dtype, scale) case")
    parser.add_argument("--length", type=int, default=1000, help="entries per row")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(f"load average at start: {os.getloadavg()}")
    t0 = time.perf_counter()
    impls = implementations()
    names = list(impls)
    rng = np.random.default_rng(args.seed)
    worst: dict[tuple[str, str, str, float], float] = {}
    for dt in DTYPES:
        for scale in SCALES:
            x = (rng.standard_normal((args.rows, args.length)) * scale).astype(dt)
            ref = reference(x)
            for lib in names:
                for fn in FUNCS:
                    y = _safe(impls[lib][fn], x)
                    err = math.nan if y is None else float(ulp_errors(y, ref, fn, dt).max())
                    worst[(fn, np.dtype(dt).name, lib, scale)] = err
            print(
                f"  done {np.dtype(dt).name} N(0, {scale:g}²)  [{time.perf_counter() - t0:.0f} s]",
                flush=True,
            )

    def fmt(v: float) -> str:
        return "n/a" if math.isnan(v) else f"{v:.3g}"

    width = max(len(n) for n in names) + 2
    head = f"{'function':<12}{'dtype':<9}{'rows':<9}" + "".join(f"{n:>{width}}" for n in names)
    print(f"\nMax ulp error per N(0, s²) scale ({args.rows} rows of {args.length} each)")
    print(head)
    for fn in FUNCS:
        for dt in DTYPES:
            for scale in SCALES:
                cells = "".join(
                    f"{fmt(worst[(fn, np.dtype(dt).name, n, scale)]):>{width}}" for n in names
                )
                print(f"{fn:<12}{np.dtype(dt).name:<9}{f's={scale:g}':<9}{cells}")
    print(
        "\nMax ulp error over all three scales (goals: float16/32 1 ulp; float64 softmax 6, "
        "log_softmax 2, logsumexp 1.1)"
    )
    print(f"{'function':<12}{'dtype':<9}" + "".join(f"{n:>{width}}" for n in names))
    for fn in FUNCS:
        for dt in DTYPES:
            cells = "".join(
                f"{fmt(max(worst[(fn, np.dtype(dt).name, n, s)] for s in SCALES)):>{width}}"
                for n in names
            )
            print(f"{fn:<12}{np.dtype(dt).name:<9}{cells}")

    # One float32 row of a million entries: a random subset of 3000 outputs, and the sum.
    n_big = 10**6
    x = (rng.standard_normal((1, n_big)) * 10).astype(np.float32)
    idx = np.concatenate([rng.choice(n_big, 3000, replace=False), [int(np.argmax(x))]])
    row = x[0].astype(np.float64).tolist()
    mf = mpf_from_float(max(row))
    e = [mpf_exp(mpf_sub(mpf_from_float(v), mf, PREC), PREC) for v in row]
    s = fzero
    for v in e:
        s = mpf_add(s, v, PREC)
    sub = {
        "softmax_hi": np.empty(idx.size),
        "softmax_lo": np.empty(idx.size),
        "softmax_e": np.empty(idx.size, np.int64),
    }
    for k, j in enumerate(idx.tolist()):
        sub["softmax_hi"][k], sub["softmax_lo"][k], sub["softmax_e"][k] = _split(
            mpf_div(e[j], s, PREC)
        )
    print(
        f"\nsoftmax of one float32 row of {n_big:,} entries, N(0, 10²) "
        "(max ulp error over 3000 random entries; |sum(p) - 1| in float32 eps)"
    )
    print(f"{'library':<{width}}{'max ulp':>10}{'|sum-1|/eps':>14}")
    for lib in names:
        p = _safe(impls[lib]["softmax"], x)
        if p is None:
            print(f"{lib:<{width}}{'n/a':>10}")
            continue
        err = float(ulp_errors(p[0][idx], sub, "softmax", np.float32).max())
        dev = abs(math.fsum(p[0].astype(np.float64).tolist()) - 1.0) / float(
            np.finfo(np.float32).eps
        )
        print(f"{lib:<{width}}{err:>10.3g}{dev:>14.3g}")
    cross_entropy_table(rng, args.rows, args.length, width)
    print(f"\nload average at end: {os.getloadavg()}; total {time.perf_counter() - t0:.0f} s")


def ce_implementations() -> dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]]:
    """Per-sample cross-entropy (reduction='none') of each library, as float arrays."""
    import softmaxlab as sl

    def path(backend: str) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        return lambda x, t: np.asarray(sl.cross_entropy(x, t, reduction="none", backend=backend))

    impls = {"sl numpy": path("numpy")}
    if sl.kernels.core_loaded():
        impls["sl compiled"] = path("compiled")
    try:
        import torch
        import torch.nn.functional as F

        impls[f"torch {torch.__version__}"] = lambda x, t: F.cross_entropy(
            torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(t), reduction="none"
        ).numpy()
    except ImportError:
        pass
    return impls


def cross_entropy_table(rng: np.random.Generator, n_rows: int, length: int, width: int) -> None:
    """Max ulp error of the per-sample loss -log_softmax(x)[y] (the reference: exact
    log_softmax at the target, plain ulps of the loss), per dtype and scale."""
    impls = ce_implementations()
    names = list(impls)
    print(
        f"\ncross_entropy per sample (reduction='none', {n_rows} rows of {length}); max ulp "
        "error of the loss (goal: float16/32 1 ulp)"
    )
    print(f"{'dtype':<9}{'rows':<9}" + "".join(f"{n:>{width}}" for n in names))
    for dt in DTYPES:
        for scale in SCALES:
            x = (rng.standard_normal((n_rows, length)) * scale).astype(dt)
            t = rng.integers(0, length, n_rows)
            x[::4, :] *= 0.01  # near-uniform rows (loss near log C) next to confident ones
            ref = reference(x)
            r = np.arange(n_rows)
            loss_ref = {
                "ce_hi": -ref["log_softmax_hi"][r, t],
                "ce_lo": -ref["log_softmax_lo"][r, t],
                "ce_e": ref["log_softmax_e"][r, t],
            }
            cells = ""
            for lib in names:
                y = _safe(lambda z, f=impls[lib], tt=t: f(z, tt), x)
                err = math.nan if y is None else float(ulp_errors(y, loss_ref, "ce", dt).max())
                cells += f"{'n/a' if math.isnan(err) else f'{err:.3g}':>{width}}"
            print(f"{np.dtype(dt).name:<9}{f's={scale:g}':<9}{cells}")


if __name__ == "__main__":
    main()
