"""Time for SoftmaxRegression to reach scikit-learn's L-BFGS objective, side by side.

Data (as issue 13): ``make_classification(n_samples=200_000, n_features=100,
n_informative=60, n_classes=20, random_state=0)``, 80 % of it (160,000 × 100, 20 classes),
standardised (StandardScaler), C = 1.

For each thread count (``--threads``, default 1 then 2: BLAS/OpenMP through threadpoolctl and
:func:`softmaxlab.kernels.set_num_threads`) and each dtype (float64, float32 input):

1. scikit-learn ``LogisticRegression()`` (lbfgs, its default ``tol=1e-4``, ``max_iter=100``)
   is timed on the same input; its objective ``C·Σ CE + ½‖W‖²`` is evaluated independently
   (SciPy log_softmax in float64) and becomes the target.
2. Each softmaxlab solver (``--solvers``; ``default`` is ``SoftmaxRegression()``'s own) is run
   with ``tol=1e-10`` and stopped at the first full loss evaluation at or below the target;
   the elapsed time is its time to reach the target (``TARGET NOT REACHED`` otherwise).
3. ``default`` is also run to completion with its default ``tol``: the relative objective gap
   of that fit to scikit-learn's (float64 objective of the returned coefficients; negative
   means lower than scikit-learn's).

Then (``--dask``, default on) the default fit of a Dask array of the float64 data in 8 row
chunks on a 2-worker ``LocalCluster`` (processes, 1 thread each), against the in-memory
default fit at 1 thread, both to completion. The first fit on the new workers, which also
pays their imports and first calls, is timed and printed apart; the median (and the goal)
is over the fits after it, as the in-memory median is over fits in a warm process.

The implementations run in interleaved rounds (``--repeat`` of them; each round's order
turned by one place, scikit-learn first in the first round), the in-memory and Dask fits
likewise, so that a machine whose speed drifts slows all of them alike.

Printed: medians over ``--repeat`` rounds, the ratio softmaxlab / scikit-learn (goals: ≤ 0.5 in
float64, ≤ 0.3 in float32, ≤ 0.3 at 2 threads, Dask ≤ 2× in-memory), the objective gaps, and
the machine load (``os.getloadavg``) before and after, since the machine may be shared.
``--raw`` keeps the features as generated (scales up to about 5: L-BFGS then needs many more
iterations, Newton-CG about as many). Run:
``python benchmarks/bench_fit.py [--threads 1,2] [--repeat 3] [--no-dask] [--raw]``.
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
    from softmaxlab.models import SoftmaxRegression
    from softmaxlab.models._loss import BoundLoss

    originals = {name: getattr(BoundLoss, name) for name in ("loss_gradient", "newton_terms")}
    state = {"evals": 0}

    def wrap(name):
        inner = originals[name]

        def wrapped(self, *args, **kwargs):
            out = inner(self, *args, **kwargs)
            state["evals"] += 1
            if out[0] <= target_scaled:
                raise Reached
            return out

        return wrapped

    for name in originals:
        setattr(BoundLoss, name, wrap(name))
    kwargs = {} if solver == "default" else {"solver": solver}
    model = SoftmaxRegression(tol=1e-10, max_iter=10_000, **kwargs)
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
            setattr(BoundLoss, name, f)
    return time.perf_counter() - start, reached, state["evals"]


def fit_once(make, X, y):
    """Seconds of one ``make().fit(X, y)``, and the model."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        model = make().fit(X, y)
        return time.perf_counter() - start, model


def rotated(jobs, r):
    """The jobs of round ``r``: the list turned by ``r`` places, so that each job runs early
    and late in the rounds (the machine's speed drifts between rounds, not only within)."""
    k = r % len(jobs)
    return jobs[k:] + jobs[:k]


def run_threads(threads, X, y, args, rows):
    from sklearn.linear_model import LogisticRegression

    from softmaxlab import kernels
    from softmaxlab.models import SoftmaxRegression

    with threadpool_limits(threads):
        kernels.set_num_threads(threads)
        for dtype in args.dtypes.split(","):
            Xd = X.astype(dtype)
            solvers = args.solvers.split(",")
            times = {job: [] for job in ("sklearn", *solvers, "full")}
            runs = {s: [] for s in solvers}
            ref = model = None
            # Interleaved rounds: scikit-learn first in the first one (its objective is the
            # target of the others), then each round turned by one place.
            for r in range(args.repeat):
                for job in rotated(list(times), r):
                    if job == "sklearn":
                        t, fitted = fit_once(LogisticRegression, Xd, y)
                        if ref is None:
                            ref = fitted
                            sk_obj = objective(ref.coef_, ref.intercept_, Xd, y)
                            target = sk_obj / len(y)  # softmaxlab's loss: objective / (C n)
                    elif job == "full":
                        t, model = fit_once(SoftmaxRegression, Xd, y)
                    else:
                        res = time_to_target(job, Xd, y, target)
                        runs[job].append(res)
                        t = res[0]
                    times[job].append(t)
            t_sk = statistics.median(times["sklearn"])
            note = f"objective {sk_obj:.6f}, {int(ref.n_iter_[0])} iterations"
            rows.append((threads, dtype, "scikit-learn lbfgs (default tol)", t_sk, 1.0, note))
            for solver in solvers:
                t_ours = statistics.median(times[solver])
                note = f"{runs[solver][-1][2]} loss evaluations"
                note += "" if all(r[1] for r in runs[solver]) else ", TARGET NOT REACHED"
                name = f"softmaxlab {solver} (to target)"
                rows.append((threads, dtype, name, t_ours, t_ours / t_sk, note))
            t_full = statistics.median(times["full"])
            gap = (objective(model.coef_, model.intercept_, Xd, y) - sk_obj) / sk_obj
            note = f"{model.solver}, {model.n_iter_} iterations, objective gap {gap:+.1e} relative"
            name = "softmaxlab default (default tol)"
            rows.append((threads, dtype, name, t_full, t_full / t_sk, note))


def run_dask(X, y, args, rows):
    import dask.array as da
    import distributed

    from softmaxlab import kernels
    from softmaxlab.models import SoftmaxRegression

    with threadpool_limits(1):
        kernels.set_num_threads(1)
        fit_once(SoftmaxRegression, X, y)  # a warm process, as the workers are after their first
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        try:
            with distributed.Client(cluster):
                Xd = da.from_array(X, chunks=(len(y) // 8, X.shape[1])).persist()
                yd = da.from_array(y, chunks=len(y) // 8).persist()
                distributed.wait([Xd, yd])
                # The first fit on new workers also pays their imports (softmaxlab, its
                # compiled core, scikit-learn) and first calls: timed apart, not in the median.
                t_first, _ = fit_once(SoftmaxRegression, Xd, yd)
                times = {"memory": [], "dask": []}
                for r in range(args.repeat):  # interleaved, in turn first
                    for job in rotated(list(times), r):
                        if job == "memory":
                            t, ref = fit_once(SoftmaxRegression, X, y)
                        else:
                            t, m = fit_once(SoftmaxRegression, Xd, yd)
                        times[job].append(t)
        finally:
            cluster.close()
    t_mem, t_dask = statistics.median(times["memory"]), statistics.median(times["dask"])
    f_ref = objective(ref.coef_, ref.intercept_, X, y)
    gap = (objective(m.coef_, m.intercept_, X, y) - f_ref) / f_ref
    rows.append((1, "float64", "softmaxlab default, in memory", t_mem, 1.0, f"{ref.n_iter_} it."))
    note = f"{m.n_iter_} iterations, objective gap to in-memory {gap:+.1e}"
    rows.append((2, "float64", "softmaxlab default, Dask 2 workers", t_dask, t_dask / t_mem, note))
    first = "the first fit on new workers (their imports and first calls included)"
    rows.append((2, "float64", "  same, first fit", t_first, t_first / t_mem, first))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=200_000)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--solvers", default="default,lbfgs,newton-cg")
    parser.add_argument("--dtypes", default="float64,float32")
    parser.add_argument("--no-dask", dest="dask", action="store_false")
    parser.add_argument(
        "--raw", action="store_true", help="do not standardise (badly scaled features)"
    )
    args = parser.parse_args()

    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    load_before = os.getloadavg()
    X, y = make_classification(
        n_samples=args.n_samples, n_features=100, n_informative=60, n_classes=20, random_state=0
    )
    n_fit = int(0.8 * len(y))
    X, y = X[:n_fit], y[:n_fit]
    if not args.raw:
        X = StandardScaler().fit_transform(X)
    print(f"data: {X.shape[0]} x {X.shape[1]}, {len(np.unique(y))} classes; repeat: {args.repeat}")
    print(f"load average before (1, 5, 15 min): {load_before}")
    rows: list[tuple] = []
    for threads in (int(t) for t in args.threads.split(",")):
        run_threads(threads, X, y, args, rows)
    if args.dask:
        run_dask(X, y, args, rows)
    load_after = os.getloadavg()
    print()
    print(f"{'thr':>3} {'dtype':8} {'fit':38} {'median s':>9} {'ratio':>6}  note")
    for threads, dtype, name, t, ratio, note in rows:
        print(f"{threads:>3} {dtype:8} {name:38} {t:9.3f} {ratio:6.2f}  {note}")
    print()
    print("goals: ratio <= 0.5 (float64), <= 0.3 (float32), <= 0.3 (2 threads); Dask <= 2.0")
    print(f"load average after (1, 5, 15 min): {load_after}")


if __name__ == "__main__":
    main()
