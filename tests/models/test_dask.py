"""Fitting on Dask arrays on a 2-worker LocalCluster: the in-memory optimum, lazy prediction,
and a worker killed in the middle of a fit."""

from __future__ import annotations

import os
import signal
import threading
import time
import warnings

import dask
import dask.array as da
import distributed
import numpy as np
import pytest
from scipy.special import log_softmax as scipy_log_softmax
from sklearn.datasets import load_iris, load_wine
from sklearn.preprocessing import StandardScaler

from softmaxlab.models import SoftmaxRegression, _dask


def objective(W, b, X, y, s=None):
    z = X @ W.T + b
    ce = -scipy_log_softmax(z, axis=1)[np.arange(len(y)), y]
    s = np.ones(len(y)) if s is None else s
    return float(np.dot(s, ce) + 0.5 * np.sum(W * W))


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def standardised(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def test_dask_fit_reaches_the_in_memory_optimum(client):
    X, y = standardised(load_wine)
    Xd = da.from_array(X, chunks=(40, 13))  # 5 row chunks over 2 workers
    m = SoftmaxRegression(tol=1e-9, max_iter=5000).fit(Xd, y, client=client)
    ref = SoftmaxRegression(tol=1e-9, max_iter=5000).fit(X, y)
    f_dask = objective(m.coef_, m.intercept_, X, y)
    f_mem = objective(ref.coef_, ref.intercept_, X, y)
    assert abs(f_dask - f_mem) <= 1e-6 * f_mem
    assert m.n_features_in_ == 13
    np.testing.assert_array_equal(m.classes_, ref.classes_)


def test_dask_fit_with_sample_weight_and_string_labels(client):
    X, y = standardised(load_iris)
    labels = np.array(["a", "b", "c"])[y]
    s = np.random.default_rng(0).uniform(0.5, 2.0, size=len(y))
    Xd = da.from_array(X, chunks=(50, 4))
    m = SoftmaxRegression(C=0.5, tol=1e-9, max_iter=5000).fit(
        Xd, da.from_array(labels, chunks=50), sample_weight=s, client=client
    )
    ref = SoftmaxRegression(C=0.5, tol=1e-9, max_iter=5000).fit(X, labels, sample_weight=s)
    # The objective with C = 0.5, evaluated independently.
    fd = 0.5 * objective(m.coef_, m.intercept_, X, y, s) + 0.25 * np.sum(m.coef_**2)
    fm = 0.5 * objective(ref.coef_, ref.intercept_, X, y, s) + 0.25 * np.sum(ref.coef_**2)
    assert abs(fd - fm) <= 1e-6 * fm
    assert m.classes_.tolist() == ["a", "b", "c"]


def test_dask_fit_with_huge_sample_weights(client):
    """Issue 11: weights of 1e308 (with C = 1e-300) are the objective of weights 1 with
    C = 1e8; the sum of the weights overflows unless they are rescaled first."""
    X, y = standardised(load_iris)
    Xd = da.from_array(X, chunks=(50, 4))
    m = SoftmaxRegression(C=1e-300, tol=1e-10, max_iter=2000).fit(
        Xd, y, sample_weight=np.full(len(y), 1e308), client=client
    )
    ref = SoftmaxRegression(C=1e8, tol=1e-10, max_iter=2000).fit(X, y)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-3, atol=1e-3)
    assert np.abs(m.coef_).max() > 1


def test_prediction_stays_lazy(client):
    X, y = standardised(load_iris)
    m = SoftmaxRegression(max_iter=1000).fit(X, y)
    Xd = da.from_array(X, chunks=(30, 4))
    proba = m.predict_proba(Xd)
    assert isinstance(proba, da.Array)
    assert proba.chunks == ((30,) * 5, (3,))
    np.testing.assert_allclose(proba.compute(), m.predict_proba(X), rtol=1e-12)
    np.testing.assert_allclose(
        m.predict_log_proba(Xd).compute(), m.predict_log_proba(X), rtol=1e-12
    )
    assert isinstance(m.predict(Xd), da.Array)
    np.testing.assert_array_equal(m.predict(Xd).compute(), m.predict(X))
    np.testing.assert_allclose(m.decision_function(Xd).compute(), m.decision_function(X))
    with pytest.raises(ValueError, match="expecting 4 features"):
        m.predict_proba(da.ones((3, 5), chunks=3))


def test_only_lbfgs_for_dask(client):
    X, y = standardised(load_iris)
    with pytest.raises(ValueError, match="solver='lbfgs' or 'newton-cg' only"):
        SoftmaxRegression(solver="trust-ncg").fit(da.from_array(X, chunks=50), y, client=client)


def test_default_client_is_used(client):
    # A Client created by the caller is the default one: no cluster is started.
    assert _dask.get_client() is client or _dask.get_client().scheduler.address == (
        client.scheduler.address
    )
    assert _dask._embedded is None


@pytest.mark.slow
def test_worker_killed_mid_fit_gives_the_same_result(client):
    X, y = standardised(load_wine)
    Xd = da.from_array(X, chunks=(30, 13))
    ref = SoftmaxRegression(tol=1e-9, max_iter=5000).fit(Xd, y, client=client)

    calls = {"n": 0, "by_actors": 0, "fell_back": 0}
    killed = threading.Event()
    original = _dask.DaskLoss.loss_gradient
    by_actors = _dask.DaskLoss._by_actors

    def counting(self, coef, l2=0.0):
        calls["n"] += 1
        return original(self, coef, l2)

    def watched(self, coef):
        parts = by_actors(self, coef)
        calls["by_actors" if parts is not None else "fell_back"] += 1
        return parts

    def killer():
        while calls["n"] < 5:
            time.sleep(0.01)
        pids = client.run(os.getpid)
        os.kill(next(iter(pids.values())), signal.SIGKILL)
        killed.set()

    _dask.DaskLoss.loss_gradient = counting
    _dask.DaskLoss._by_actors = watched
    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        m = SoftmaxRegression(tol=1e-9, max_iter=5000).fit(Xd, y, client=client)
    finally:
        _dask.DaskLoss.loss_gradient = original
        _dask.DaskLoss._by_actors = by_actors
    thread.join(timeout=30)
    assert killed.is_set()
    assert calls["n"] > 5  # the fit went on after the kill
    # The evaluations went through the workers' actors until the kill, then through tasks.
    assert calls["by_actors"] >= 5 and calls["fell_back"] == 1
    # The same fit up to rounding (BLAS results may differ in the last bits between
    # processes, as memory alignment changes the order of the sums).
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m.intercept_, ref.intercept_, rtol=1e-9, atol=1e-12)
    f_ref = objective(ref.coef_, ref.intercept_, X, y)
    assert objective(m.coef_, m.intercept_, X, y) == pytest.approx(f_ref, rel=1e-12)


@pytest.mark.slow
def test_data_larger_than_a_worker_memory_limit_fits():
    # Its own cluster: 2 workers of 600 MiB each, data of 618 MiB generated on the workers.
    # A worker process holds about 180 MiB of its own (Python, NumPy, SciPy, scikit-learn,
    # distributed): at 300 MiB a worker that also held its half of the data sat at the
    # terminate threshold, and CI saw the nanny kill one. Here each worker keeps at most
    # half its limit of chunks in memory and spills the rest to disk, far from the pause
    # (90 %) and terminate (95 %) thresholds.
    limit = 600 * 2**20
    memory = {
        "distributed.worker.memory.target": 0.4,
        "distributed.worker.memory.spill": 0.5,
        "distributed.worker.memory.pause": 0.9,
        "distributed.worker.memory.terminate": 0.95,
    }
    with dask.config.set(memory):
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit=limit,
            dashboard_address=None,
        )
    try:
        with distributed.Client(cluster, set_as_default=False) as c:
            n, d = 900_000, 90
            X = da.random.RandomState(0).standard_normal((n, d), chunks=(20_000, d))
            assert X.nbytes > limit
            w = np.random.default_rng(1).normal(size=(d, 3))
            noise = da.random.RandomState(2).gumbel(size=(n, 3), chunks=(20_000, 3))
            y = (X @ w + noise).argmax(axis=1)
            y = c.compute(y).result()
            with warnings.catch_warnings():
                warnings.simplefilter("error", category=UserWarning)  # no ConvergenceWarning
                m = SoftmaxRegression(max_iter=200).fit(X, y, client=c)
            assert m.n_iter_ < 200
            head = c.compute(X[:20_000]).result()
            accuracy = float(np.mean(m.predict(head) == y[:20_000]))
            # The labels are drawn from a softmax model in w: about 90 % are its argmax.
            assert accuracy > 0.85
    finally:
        cluster.close()
