"""The one-pass (max, sum) of long rows next to the two passes and PyTorch, in one process.

The compiled core's private switch ``_online_min`` sets the row length from which the
one-pass runs (16384 by default): ``one`` sets the default, ``two`` turns it off, and both
run interleaved with PyTorch in the same rounds (``softmaxlab.bench.measure``, the timing loop
of ``softmaxlab bench``), medians printed with the ratios two / one (above 1: the one-pass is
faster) and PyTorch / each. Threads are pinned as ``softmaxlab bench`` pins them; the SIMD
level is the one ``softmaxlab.show_config()`` names (``SOFTMAXLAB_SIMD=avx2`` forces AVX2;
give PyTorch ``ATEN_CPU_CAPABILITY=avx2`` to compare at AVX2).

Run: ``OMP_WAIT_POLICY=PASSIVE python benchmarks/bench_one_pass.py [--dtype float64]
[--threads 1,2] [--rounds 21]``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

import numpy as np

SHAPES = [(64, 32000), (16, 128256), (8, 1_000_000)]
OPS = ("softmax", "log_softmax", "cross_entropy")
NEVER = 1 << 62


def _calls(op: str, x: np.ndarray, y: np.ndarray, torch: Any) -> tuple[Callable, Callable]:
    import softmaxlab as sl

    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    if op == "softmax":
        return (lambda: sl.softmax(x)), (lambda: torch.softmax(xt, -1))
    if op == "log_softmax":
        return (lambda: sl.log_softmax(x)), (lambda: torch.log_softmax(xt, -1))
    fce = torch.nn.functional.cross_entropy
    return (lambda: sl.cross_entropy(x, y)), (lambda: fce(xt, yt))


def _timings(core: Any, default: int, ours: Callable, theirs: Callable, rounds: int) -> dict:
    """Medians of the two paths (the switch set before each call) and PyTorch, interleaved."""
    from softmaxlab.bench import measure

    def two() -> object:
        core._online_min(NEVER)
        return ours()

    def one() -> object:
        core._online_min(default)
        return ours()

    return measure({"two": two, "one": one, "torch": theirs}, rounds)


def _report(op: str, nt: int, shape: tuple[int, int], m: dict) -> None:
    print(
        f"{op:13s} {nt} thr {shape!s:14s} two {m['two'] * 1e3:8.3f} ms"
        f"  one {m['one'] * 1e3:8.3f} ms  torch {m['torch'] * 1e3:8.3f} ms"
        f"  two/one {m['two'] / m['one']:.3f}"
        f"  torch/two {m['torch'] / m['two']:.3f}"
        f"  torch/one {m['torch'] / m['one']:.3f}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=21)
    args = ap.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch

    from softmaxlab import _simd
    from softmaxlab.bench._machine import pinned_threads

    core = _simd.core
    if core is None:
        raise SystemExit(f"the compiled core is not loaded: {_simd.load_error}")
    default = core._online_min(None)
    print(f"# SIMD level {core.get_level()}, one-pass from {default} entries, {args.dtype}")
    print(f"# load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    rng = np.random.default_rng(0)
    try:
        for nt in [int(v) for v in args.threads.split(",")]:
            with pinned_threads(nt, torch):
                for shape in SHAPES:
                    x = rng.standard_normal(shape).astype(args.dtype)
                    y = rng.integers(0, shape[1], shape[0])
                    for op in OPS:
                        ours, theirs = _calls(op, x, y, torch)
                        m = _timings(core, default, ours, theirs, args.rounds)
                        _report(op, nt, shape, m)
    finally:
        core._online_min(default)
    print(f"# load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
