"""Old vs new float32 exp of the compiled core, interleaved in one process, next to PyTorch.

The AVX-512 level computes the exp of float32 softmax / log_softmax rows with a 16-entry table
and a degree-3 polynomial (``src/softmaxlab/_simd/exp_t16.inc``); the private switch
``softmaxlab._simd.core._exp_table(False)`` puts the same build back on the polynomial exp32
(the code before), so both run in the same process, round after round. Each round times, in
turn, ``softmaxlab.softmax`` with the table exp, the same without it, the AVX2 level, and
``torch.softmax`` (``torch.set_num_threads(1)``; run with ``OMP_WAIT_POLICY=PASSIVE``).

Run: ``OMP_WAIT_POLICY=PASSIVE python benchmarks/exp_kernel.py [--rounds 30] [--log]``.
Prints best and median (ms) per shape and the ratios PyTorch / ours, and ``uptime``'s load.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np

import softmaxlab as sl
from softmaxlab import _simd
from softmaxlab.kernels import set_num_threads

SHAPES = [(4096, 1000), (128, 1000), (64, 32000), (16, 128256), (1, 10**7), (100000, 10)]


def _timer(fn: Callable[[], object], inner: int) -> float:
    t0 = time.perf_counter()
    for _ in range(inner):
        fn()
    return (time.perf_counter() - t0) / inner


def _ours(x: np.ndarray, log: bool, level: str, table: bool) -> Callable[[], object]:
    core = _simd.core
    assert core is not None
    f = sl.log_softmax if log else sl.softmax

    def run() -> object:
        old = _simd._set_level(level)
        prev = core._exp_table(table)
        try:
            return f(x, axis=-1)
        finally:
            core._exp_table(prev)
            _simd._set_level(old)

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--log", action="store_true", help="log_softmax instead of softmax")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    set_num_threads(1)
    core = _simd.core
    if core is None or "avx512" not in core.supported_levels():
        raise SystemExit("needs the compiled core and an AVX-512 CPU")
    rng = np.random.default_rng(0)
    print(f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}, rounds={args.rounds}, 1 thread")
    print("load before:", os.getloadavg())
    head = f"{'shape':>14} | {'t16 best/med':>15} | {'old best/med':>15} | {'avx2 best/med':>15}"
    print(head + f" | {'torch best/med':>15} | torch/t16 | torch/old | old/t16")
    for shape in SHAPES:
        x = (rng.standard_normal(shape) * 3).astype(np.float32)
        xt = torch.from_numpy(x)
        tf = torch.log_softmax if args.log else torch.softmax
        inner = max(1, int(2e6 // x.size))
        fns = {
            "t16": _ours(x, args.log, "avx512", True),
            "old": _ours(x, args.log, "avx512", False),
            "avx2": _ours(x, args.log, "avx2", False),
            "torch": lambda tf=tf, xt=xt: tf(xt, dim=-1),
        }
        for fn in fns.values():  # warm-up
            fn()
        times: dict[str, list[float]] = {k: [] for k in fns}
        for _ in range(args.rounds):
            for k, fn in fns.items():
                times[k].append(_timer(fn, inner))
        best = {k: min(v) * 1e3 for k, v in times.items()}
        med = {k: float(np.median(v)) * 1e3 for k, v in times.items()}
        cells = " | ".join(f"{best[k]:6.3f}/{med[k]:7.3f}" for k in fns)
        ratios = (
            f"{med['torch'] / med['t16']:9.2f} | {med['torch'] / med['old']:9.2f} | "
            f"{med['old'] / med['t16']:7.2f}"
        )
        print(f"{shape!s:>14} | {cells} | {ratios}")
    print("load after:", os.getloadavg())


if __name__ == "__main__":
    main()
