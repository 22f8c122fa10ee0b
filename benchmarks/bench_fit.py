"""Time for SoftmaxRegression to reach scikit-learn's L-BFGS objective, side by side.

Data: ``make_classification(n_samples=200_000, n_features=100, n_informative=60,
n_classes=20, random_state=0)``, 80 % of it (160,000 × 100, 20 classes) used for fitting.

For float64 and float32 input, in one process with the same BLAS/OpenMP thread count
(threadpoolctl):

1. scikit-learn ``LogisticRegression()`` (lbfgs, its default ``tol=1e-4``, ``max_iter=100``)
   is timed; its objective ``C·Σ CE + ½‖W‖²`` is evaluated independently (SciPy log_softmax in
   float64) and becomes the target.
2. Each softmaxlab solver is run with a tight tolerance and stopped at the first loss
   evaluation at or below the target; the elapsed time is its time to reach the target.

Printed: medians over ``--repeat`` runs, the ratio softmaxlab / scikit-learn (goal: ≤ 0.5 in
float64, ≤ 0.3 in float32), and the machine load (``os.getloadavg``) before and after, since
the machine may be shared. Run: ``python benchmarks/bench_fit.py [--threads 1] [--repeat 1]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings

import numpy as np
from scipy.special import log_softmax as scipy_log_softmax
from threadpoolctl import threadpool_limits


def objective(W, b, X, y, C=1.0):
    z = np.asarray(X, dtype=np.float64) @ np.asarray(W, np.float64).T + b
    ce = -scipy_log_softmax(z, axis=1)[np.arange(len(y)), y]
    return float(C * ce.sum() + 0.5 * np.sum(np.square(W)))


class Reached(Exception):
    pass


def time_to_target(solver, X, y, target_scaled):
    """Seconds until softmaxlab's normalised loss first reaches ``target_scaled``."""
    from softmaxlab.models import MultinomialLoss, SoftmaxRegression

    originals = {name: getattr(MultinomialLoss, name) for name in ("loss_gradient", "newton_terms")}
    state = {"evals": 0}

    def wrap(name):
        inner = originals[name]

        def wrapped(self, *args, **kwargs):
            out = inner(self, *args, **kwargs)
            state["evals"] += 1
            # Stochastic solvers evaluate minibatches (a scale); only full evaluations count.
            if kwargs.get("scale") is None and out[0] <= target_scaled:
                raise Reached
            return out

        return wrapped

    for name in originals:
        setattr(MultinomialLoss, name, wrap(name))
    model = SoftmaxRegression(solver=solver, tol=1e-10, max_iter=10_000)
    start = time.perf_counter()
    reached = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X, y)
        reached = False
    except Reached:
        pass
    finally:
        for name, f in originals.items():
            setattr(MultinomialLoss, name, f)
    return time.perf_counter() - start, reached, state["evals"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--solvers", default="lbfgs,newton-cg,trust-ncg")
    parser.add_argument("--dtypes", default="float64,float32")
    args = parser.parse_args()

    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    load_before = os.getloadavg()
    X, y = make_classification(
        n_samples=args.n_samples,
        n_features=100,
        n_informative=60,
        n_classes=20,
        random_state=0,
    )
    n_fit = int(0.8 * len(y))
    X, y = X[:n_fit], y[:n_fit]
    print(
        f"data: {X.shape[0]} x {X.shape[1]}, {len(np.unique(y))} classes; "
        f"threads: {args.threads}; repeat: {args.repeat}"
    )
    print(f"load average before (1, 5, 15 min): {load_before}")
    rows = []
    with threadpool_limits(args.threads):
        try:
            from softmaxlab import kernels

            kernels.set_num_threads(args.threads)
        except (ImportError, AttributeError):
            pass
        for dtype in args.dtypes.split(","):
            Xd = X.astype(dtype)
            sk_times, sk_obj, sk_iter = [], 0.0, 0
            for _ in range(args.repeat):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    start = time.perf_counter()
                    ref = LogisticRegression().fit(Xd, y)
                    sk_times.append(time.perf_counter() - start)
                sk_obj = objective(ref.coef_, ref.intercept_, Xd, y)
                sk_iter = int(ref.n_iter_[0])
            t_sk = statistics.median(sk_times)
            rows.append(
                (
                    dtype,
                    "scikit-learn lbfgs (default tol)",
                    t_sk,
                    1.0,
                    f"objective {sk_obj:.6f}, {sk_iter} iterations",
                )
            )
            target = sk_obj / len(y)  # softmaxlab's loss is the objective / (C n)
            for solver in args.solvers.split(","):
                times, evals, reached = [], 0, True
                for _ in range(args.repeat):
                    t, ok, evals = time_to_target(solver, Xd, y, target)
                    times.append(t)
                    reached &= ok
                t_ours = statistics.median(times)
                note = f"{evals} loss evaluations" + ("" if reached else ", TARGET NOT REACHED")
                rows.append((dtype, f"softmaxlab {solver}", t_ours, t_ours / t_sk, note))
    load_after = os.getloadavg()
    print()
    print(f"{'dtype':8} {'fit':36} {'median s':>9} {'ratio':>7}  note")
    for dtype, name, t, ratio, note in rows:
        print(f"{dtype:8} {name:36} {t:9.2f} {ratio:7.2f}  {note}")
    print()
    print("goal: ratio <= 0.5 (float64), <= 0.3 (float32)")
    print(f"load average after (1, 5, 15 min): {load_after}")


if __name__ == "__main__":
    main()
