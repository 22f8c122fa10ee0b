"""Samples per second of ``SoftmaxRegression.partial_fit`` (solvers 'sgd' and 'adam').

Data as ``bench_fit.py``: 160,000 × 100, 20 classes, standardised. The model is first fed
one chunk (with ``classes``), then the whole set is streamed in chunks of ``--chunk`` rows,
minibatches of ``--batch-size`` (the estimator's default 256); the time of that pass is
turned into samples per second. Threads pinned by ``--threads`` (BLAS through threadpoolctl
and :func:`softmaxlab.kernels.set_num_threads`). Prints the median of ``--repeat`` passes and
the samples per CPU second of the process (less sensitive to a shared machine) and the
machine load before and after. Run: ``python benchmarks/bench_partial_fit.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--solvers", default="sgd,adam")
    args = parser.parse_args()

    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    from softmaxlab import kernels
    from softmaxlab.models import SoftmaxRegression

    print(f"load average before (1, 5, 15 min): {os.getloadavg()}")
    X, y = make_classification(
        n_samples=args.n_samples, n_features=100, n_informative=60, n_classes=20, random_state=0
    )
    n_fit = int(0.8 * len(y))
    X, y = StandardScaler().fit_transform(X[:n_fit]), y[:n_fit]
    classes = np.unique(y)
    print(
        f"data: {X.shape[0]} x {X.shape[1]}, {len(classes)} classes; chunk {args.chunk}, "
        f"batch {args.batch_size}, threads {args.threads}"
    )
    with threadpool_limits(args.threads):
        kernels.set_num_threads(args.threads)
        for solver in args.solvers.split(","):
            m = SoftmaxRegression(solver=solver, batch_size=args.batch_size, random_state=0)
            m.partial_fit(X[: args.chunk], y[: args.chunk], classes=classes)
            rates, cpu_rates = [], []
            for _ in range(args.repeat):
                start, cpu = time.perf_counter(), time.process_time()
                for lo in range(0, len(y), args.chunk):
                    m.partial_fit(X[lo : lo + args.chunk], y[lo : lo + args.chunk])
                rates.append(len(y) / (time.perf_counter() - start))
                cpu_rates.append(len(y) / (time.process_time() - cpu))
            acc = float(np.mean(m.predict(X) == y))
            print(
                f"{solver:5} {statistics.median(rates):12,.0f} samples/s "
                f"({statistics.median(cpu_rates):12,.0f} per CPU second)   accuracy {acc:.3f}"
            )
    print(f"load average after (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
