"""precision='fast' next to the exact mode and PyTorch: float32 softmax and log_softmax, 1 thread.

For each shape, the three calls run interleaved (one call of each per round, in rotating
order) and each call is timed in CPU time of this process (``time.process_time_ns``, so a
busy machine shifts the figures less than wall time would); the medians are printed with the
ratios torch / softmaxlab (above 1: softmaxlab is faster). softmaxlab runs with 1 thread
(``set_num_threads(1)``) at the SIMD level ``softmaxlab.show_config()`` names
(``SOFTMAXLAB_SIMD=avx2`` forces AVX2); PyTorch with ``torch.set_num_threads(1)`` (set
``ATEN_CPU_CAPABILITY=avx2`` to compare at AVX2) and ``OMP_WAIT_POLICY=PASSIVE``.

Run: ``OMP_WAIT_POLICY=PASSIVE python benchmarks/bench_fast.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from functools import partial

import numpy as np

SHAPES = [(4096, 1000), (64, 32000), (16, 128256)]


def _cpu_ms(fn: Callable[[], object]) -> float:
    t0 = time.process_time_ns()
    fn()
    return (time.process_time_ns() - t0) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch

    import softmaxlab as sl
    from softmaxlab import _simd, kernels

    torch.set_num_threads(1)
    kernels.set_num_threads(1)
    level = _simd.core.get_level() if _simd.core else None
    cap = torch.backends.cpu.get_cpu_capability()
    print(f"softmaxlab level {level}, torch {torch.__version__} ({cap}), {args.rounds} rounds")
    print(
        f"{'function':12} {'shape':>13} {'fast ms':>8} {'exact ms':>8} {'torch ms':>8} "
        f"{'torch/fast':>10} {'torch/exact':>11}  (CPU-time medians)"
    )
    rng = np.random.default_rng(0)
    for name in ("softmax", "log_softmax"):
        slf = getattr(sl, name)
        tf = getattr(torch, name)
        for shape in SHAPES:
            x = rng.standard_normal(shape).astype(np.float32)
            calls: dict[str, Callable[[], object]] = {
                "fast": partial(slf, x, precision="fast"),
                "exact": partial(slf, x),
                "torch": partial(tf, torch.from_numpy(x), -1),
            }
            for fn in calls.values():  # warm-up
                fn()
            times: dict[str, list[float]] = {k: [] for k in calls}
            keys = list(calls)
            for r in range(args.rounds):
                for k in keys[r % 3 :] + keys[: r % 3]:
                    times[k].append(_cpu_ms(calls[k]))
            med = {k: statistics.median(v) for k, v in times.items()}
            print(
                f"{name:12} {shape!s:>13} {med['fast']:8.3f} {med['exact']:8.3f} "
                f"{med['torch']:8.3f} {med['torch'] / med['fast']:9.2f}x "
                f"{med['torch'] / med['exact']:10.2f}x"
            )


if __name__ == "__main__":
    main()
