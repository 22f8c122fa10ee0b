"""Samples per second of ``SoftmaxRegression.partial_fit`` (solvers 'sgd' and 'adam').

Data as ``bench_fit.py``: 160,000 × 100, 20 classes, standardised. The model is first fed
one chunk (with ``classes``), then the whole set is streamed in chunks of ``--chunk`` rows,
minibatches of ``--batch-size`` (the estimator's default 256); the time of that pass is
turned into samples per second. Threads pinned by ``--threads`` (BLAS through threadpoolctl
and :func:`softmaxlab.kernels.set_num_threads`). Prints the median of ``--repeat`` passes and
the samples per CPU second of the process (less sensitive to a shared machine) and the
machine load before and after. Run: ``python benchmarks/bench_partial_fit.py``.

Side by side with another installation (e.g. a worktree of an older commit with its own
virtual environment): ``--compare /path/to/other/.venv/bin/python``. The data are written
once to a temporary file; then, for ``--rounds`` rounds, every solver and input dtype
(``--dtypes``) is timed by one subprocess per installation, the two in alternating order
(this one first in even rounds), each on the same data, chunks, batch size and threads: a
subprocess feeds the first chunk and streams one untimed pass (warm-up: imports, JIT
compilation, caches), then times ``--repeat`` passes. The table gives per installation the
median over rounds of each round's median pass, the best pass, and the ratios (this one over
the other). Subprocesses run with OMP_WAIT_POLICY=PASSIVE and the BLAS / OpenMP / numba
thread variables set to ``--threads``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


def make_data(n_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """``bench_fit.py``'s set: the first 80 % of ``make_classification``, standardised."""
    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(
        n_samples=n_samples, n_features=100, n_informative=60, n_classes=20, random_state=0
    )
    n_fit = int(0.8 * len(y))
    return StandardScaler().fit_transform(X[:n_fit]), y[:n_fit]


def time_passes(
    X: np.ndarray, y: np.ndarray, solver: str, args: Any, warm_up: bool
) -> tuple[list[float], list[float], float]:
    """Samples per second and per CPU second of ``args.repeat`` streamed passes, and the
    training accuracy after them (``warm_up``: one untimed pass first)."""
    from softmaxlab import kernels
    from softmaxlab.models import SoftmaxRegression

    classes = np.unique(y)
    with threadpool_limits(args.threads):
        kernels.set_num_threads(args.threads)
        m = SoftmaxRegression(solver=solver, batch_size=args.batch_size, random_state=0)
        m.partial_fit(X[: args.chunk], y[: args.chunk], classes=classes)
        rates, cpu_rates = [], []
        for i in range(args.repeat + warm_up):
            start, cpu = time.perf_counter(), time.process_time()
            for lo in range(0, len(y), args.chunk):
                m.partial_fit(X[lo : lo + args.chunk], y[lo : lo + args.chunk])
            if i >= warm_up:
                rates.append(len(y) / (time.perf_counter() - start))
                cpu_rates.append(len(y) / (time.process_time() - cpu))
    return rates, cpu_rates, float(np.mean(m.predict(X) == y))


def worker(args: Any) -> None:
    """One side of a comparison: print the passes of one solver and dtype as JSON."""
    import softmaxlab

    data = np.load(args.worker)
    X, y = data["X"].astype(args.dtypes), data["y"]
    rates, cpu_rates, acc = time_passes(X, y, args.solvers, args, warm_up=True)
    where = str(Path(softmaxlab.__file__).resolve().parents[1])
    print(json.dumps({"rates": rates, "cpu": cpu_rates, "accuracy": acc, "src": where}))


def _side(python: str, data: str, solver: str, dtype: str, args: Any) -> dict[str, Any]:
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    env.update({v: str(args.threads) for v in _THREAD_VARS})
    cmd = [python, __file__, "--worker", data, "--solvers", solver, "--dtypes", dtype]
    for opt in ("chunk", "batch_size", "threads", "repeat"):
        cmd += [f"--{opt.replace('_', '-')}", str(getattr(args, opt))]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def compare(args: Any) -> None:
    """Both installations side by side, alternating, and the table of samples per second."""
    print(f"load average before (1, 5, 15 min): {os.getloadavg()}")
    X, y = make_data(args.n_samples)
    sides = {"this": sys.executable, "other": args.compare}
    runs: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "data.npz")
        np.savez(data, X=X, y=y)
        for r in range(args.rounds):
            for solver in args.solvers.split(","):
                for dtype in args.dtypes.split(","):
                    order = ["this", "other"] if r % 2 == 0 else ["other", "this"]
                    for side in order:
                        res = _side(sides[side], data, solver, dtype, args)
                        runs.setdefault((solver, dtype, side), []).append(res)
            print(f"round {r + 1}/{args.rounds} done, load {os.getloadavg()[0]:.2f}", flush=True)
    print(
        f"data: {X.shape[0]} x {X.shape[1]}, {len(np.unique(y))} classes; chunk {args.chunk}, "
        f"batch {args.batch_size}, threads {args.threads}; {args.rounds} rounds x "
        f"{args.repeat} passes per side"
    )
    for side in sides:
        src = runs[next(k for k in runs if k[2] == side)][0]["src"]
        print(f"{side:5}: {sides[side]} (softmaxlab from {src})")
    print(
        "| solver | dtype | other: median (best) samples/s | this: median (best) | "
        "ratio of medians (of bests) | CPU-second ratio | accuracy other / this |"
    )
    print("|---|---|---|---|---|---|---|")
    for solver in args.solvers.split(","):
        for dtype in args.dtypes.split(","):
            cells = {}
            for side in sides:
                rs = runs[(solver, dtype, side)]
                med = statistics.median(statistics.median(x["rates"]) for x in rs)
                best = max(max(x["rates"]) for x in rs)
                cpu = statistics.median(statistics.median(x["cpu"]) for x in rs)
                cells[side] = (med, best, cpu, rs[-1]["accuracy"])
            o, t = cells["other"], cells["this"]
            print(
                f"| {solver} | {dtype} | {o[0]:,.0f} ({o[1]:,.0f}) | {t[0]:,.0f} ({t[1]:,.0f}) "
                f"| {t[0] / o[0]:.2f} ({t[1] / o[1]:.2f}) | {t[2] / o[2]:.2f} "
                f"| {o[3]:.3f} / {t[3]:.3f} |"
            )
    print(f"load average after (1, 5, 15 min): {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--solvers", default="sgd,adam")
    parser.add_argument("--dtypes", default="float64", help="input dtypes, e.g. float64,float32")
    parser.add_argument("--compare", metavar="PYTHON", help="another installation's python")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of a comparison")
    parser.add_argument("--worker", metavar="DATA", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    if args.compare:
        return compare(args)

    print(f"load average before (1, 5, 15 min): {os.getloadavg()}")
    X, y = make_data(args.n_samples)
    print(
        f"data: {X.shape[0]} x {X.shape[1]}, {len(np.unique(y))} classes; chunk {args.chunk}, "
        f"batch {args.batch_size}, threads {args.threads}"
    )
    for dtype in args.dtypes.split(","):
        for solver in args.solvers.split(","):
            rates, cpu_rates, acc = time_passes(X.astype(dtype), y, solver, args, warm_up=False)
            print(
                f"{solver:5} {dtype:8} {statistics.median(rates):12,.0f} samples/s "
                f"({statistics.median(cpu_rates):12,.0f} per CPU second)   accuracy {acc:.3f}"
            )
    print(f"load average after (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
