"""Where the time of a float32 softmax goes: the kernel's passes next to PyTorch's whole call.

The float32 kernels keep every probability within 1 ulp, which needs each exp to about 2**-25
relative before the final rounding: more than float32 arithmetic gives (its own rounding is
2**-24). So the exp is evaluated in float64 (8 AVX-512 lanes instead of 16). This script shows
what that costs on the machine at hand, one thread, rows of 1000 float32 entries (L1-resident
once read), medians of interleaved samples, in ns per element:

* ``max pass``: the row maximum (an integer-key reduction; reads the input from memory);
* ``exp only``: the kernel's float64-evaluated exp of each entry, written to an L1 scratch row;
* ``f32 exp``: for comparison, an exp evaluated in float32 arithmetic (as fast libraries do;
  not accurate enough for the 1-ulp bound), written to a float32 scratch row;
* ``sum pass``: exp, kept in a float64 scratch row, and the sum (the kernel's second pass);
* ``scale pass``: the scratch times 1/sum, rounded to float32 (the third pass);
* ``kernel``: the whole row kernel (the three passes);
* ``torch``: ``torch.softmax`` on the same array, for comparison (when installed).

Run: ``python benchmarks/exp_cost.py [--rows 4096] [--repeat 25]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
from numba import njit

from softmaxlab.kernels import _jit as J


@njit(nogil=True)
def _max_pass(x: np.ndarray) -> float:
    s = 0.0
    for i in range(x.shape[0]):
        m, _ = J.max32(x[i])
        s += m
    return s


@njit(fastmath=J._FM, nogil=True, error_model="numpy")
def _exp_only(x: np.ndarray, scratch: np.ndarray) -> None:
    for i in range(x.shape[0]):
        xr = x[i]
        for j in range(xr.size):
            scratch[j] = J._exp32(np.float64(xr[j]) - 3.0)


_F32 = np.float32


@njit(fastmath=J._FM, nogil=True, error_model="numpy")
def _exp_float32_arith(x: np.ndarray, scratch: np.ndarray) -> None:
    """For comparison only: exp evaluated in float32 arithmetic (16 lanes), as fast libraries
    do; about 1 ulp on its own, too coarse for a 1-ulp softmax after the division."""
    log2e = _F32(1.442695)
    shift = _F32(12582912.0)  # 1.5 * 2**23
    ln2_hi = _F32(0.693359375)  # Cody–Waite split of ln 2 for float32
    ln2_lo = _F32(-2.12194440e-4)
    for i in range(x.shape[0]):
        xr = x[i]
        for j in range(xr.size):
            d = max(xr[j] - _F32(3.0), _F32(-87.0))
            t = d * log2e + shift
            kf = t - shift
            r = (d - kf * ln2_hi) - kf * ln2_lo
            p = _F32(1.0 / 5040)
            p = p * r + _F32(1.0 / 720)
            p = p * r + _F32(1.0 / 120)
            p = p * r + _F32(1.0 / 24)
            p = p * r + _F32(1.0 / 6)
            p = p * r + _F32(0.5)
            p = p * r + _F32(1.0)
            p = p * r + _F32(1.0)
            k = np.int32(kf)
            scratch[j] = p * J._i32_as_f32((k + np.int32(127)) << np.int32(23))


@njit(nogil=True)
def _sum_pass(x: np.ndarray, buf: np.ndarray, store: np.ndarray) -> float:
    s = 0.0
    for i in range(x.shape[0]):
        _, rest = J.sumstore32(x[i], 3.0, 1.0, buf, store)
        s += rest
    return s


@njit(nogil=True)
def _scale_pass(x: np.ndarray, out: np.ndarray, store: np.ndarray) -> None:
    for i in range(x.shape[0]):
        J.scale_store32(store, out[i], 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - optional
        pass
    x = np.random.default_rng(0).standard_normal((args.rows, 1000)).astype(np.float32)
    out = np.empty_like(x)
    buf = np.empty(2 * J.BLOCK)
    store = np.empty(x.shape[1])
    scratch32 = np.empty(x.shape[1], dtype=np.float32)
    impls: dict[str, Callable[[], object]] = {
        "max pass": lambda: _max_pass(x),
        "exp only": lambda: _exp_only(x, store),
        "f32 exp": lambda: _exp_float32_arith(x, scratch32),
        "sum pass": lambda: _sum_pass(x, buf, store),
        "scale pass": lambda: _scale_pass(x, out, store),
        "kernel": lambda: J.softmax_rows32(x, out, 0, x.shape[0], 1.0, False),
    }
    try:
        import torch

        torch.set_num_threads(1)
        xt = torch.from_numpy(x)
        impls["torch"] = lambda: torch.softmax(xt, -1)
    except ImportError:  # pragma: no cover - optional
        pass
    print(f"load average before: {os.getloadavg()}")
    for f in impls.values():  # compile and warm up
        f()
    times: dict[str, list[float]] = {k: [] for k in impls}
    for _ in range(args.repeat):
        for name, f in impls.items():
            t0 = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - t0)
    print(f"float32 rows of 1000, {args.rows} rows, 1 thread; ns per element (median, min)")
    for name, ts in times.items():
        med = statistics.median(ts) / x.size * 1e9
        print(f"  {name:<11}{med:8.3f}{min(ts) / x.size * 1e9:8.3f}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
