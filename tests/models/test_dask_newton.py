"""Dask fits (issue 13): newton-cg as well as lbfgs, the blocked kernel on the workers, and
the labels and sample weights kept on the cluster; against the in-memory optimum."""

from __future__ import annotations

import dask.array as da
import distributed
import numpy as np
import pytest
from scipy.special import log_softmax as scipy_log_softmax
from sklearn.datasets import load_wine, make_classification
from sklearn.preprocessing import StandardScaler

from softmaxlab.models import SoftmaxRegression, _dask, _dask_data


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    c = distributed.Client(cluster, set_as_default=False)
    yield c
    c.close()
    cluster.close()


def chunked_problem(seed, n, k, chunks):
    """n rows of 6 features, labels of k classes, weights and coefficients (drawn in that
    order), the first three as Dask arrays of ``chunks`` rows, and the generator."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    y = rng.integers(0, k, size=n)
    s = rng.uniform(0.5, 2.0, size=n)
    coef = rng.normal(scale=0.3, size=k * 7)
    return X, y, s, coef, [da.from_array(a, chunks=chunks) for a in (X, y, s)], rng


def objective(m, X, y, s=None, C=1.0):
    z = X @ m.coef_.T + m.intercept_
    ce = -scipy_log_softmax(z, axis=1)[np.arange(len(y)), y]
    s = np.ones(len(y)) if s is None else s
    return float(C * np.dot(s, ce) + 0.5 * np.sum(m.coef_**2))


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cg"])
def test_dask_fit_reaches_the_in_memory_optimum(client, solver):
    X, y = make_classification(
        n_samples=3000, n_features=12, n_informative=8, n_classes=4, random_state=0
    )
    X = StandardScaler().fit_transform(X)
    s = np.random.default_rng(0).uniform(0.5, 2.0, size=len(y))
    Xd = da.from_array(X, chunks=(700, 12))  # 5 chunks, the last one short
    yd = da.from_array(y, chunks=700)
    sd = da.from_array(s, chunks=700)
    m = SoftmaxRegression(solver=solver, tol=1e-9, max_iter=500).fit(
        Xd, yd, sample_weight=sd, client=client
    )
    ref = SoftmaxRegression(solver="lbfgs", tol=1e-10, max_iter=5000).fit(X, y, sample_weight=s)
    f_dask, f_mem = objective(m, X, y, s), objective(ref, X, y, s)
    assert abs(f_dask - f_mem) <= 1e-9 * f_mem
    np.testing.assert_array_equal(m.classes_, [0, 1, 2, 3])
    assert m.n_samples_seen_ == pytest.approx(s.sum(), rel=1e-12)


def test_string_labels_and_balanced_class_weight(client):
    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    labels = np.array(["a", "b", "c"])[y]
    yd = da.from_array(labels, chunks=50)
    m = SoftmaxRegression(
        solver="newton-cg", class_weight="balanced", C=0.5, tol=1e-10, max_iter=200
    ).fit(da.from_array(X, chunks=(50, 13)), yd, client=client)
    ref = SoftmaxRegression(class_weight="balanced", C=0.5, tol=1e-10, max_iter=5000).fit(X, labels)
    assert m.classes_.tolist() == ["a", "b", "c"]
    s = len(y) / (3 * np.bincount(y))[y]  # 'balanced', written out
    f_dask, f_mem = objective(m, X, y, s, C=0.5), objective(ref, X, y, s, C=0.5)
    assert abs(f_dask - f_mem) <= 1e-9 * f_mem
    np.testing.assert_allclose(m.predict_proba(X), ref.predict_proba(X), atol=1e-5)


def test_labels_and_weights_stay_dask_arrays_on_the_cluster():
    X = da.ones((10, 3), chunks=(4, 3))
    _, yp, sp_ = _dask_data.prepare_fit_inputs(X, np.arange(10) % 2, np.ones(10), "newton-cg")
    assert isinstance(yp, da.Array) and isinstance(sp_, da.Array)
    assert yp.chunks == ((4, 4, 2),) and sp_.chunks == ((4, 4, 2),)
    classes, enc = _dask_data.encode_labels(da.from_array(np.array([5, 7, 5, 9]), chunks=2))
    np.testing.assert_array_equal(classes, [5, 7, 9])
    assert isinstance(enc, da.Array)
    np.testing.assert_array_equal(enc.compute(), [0, 1, 0, 2])


@pytest.mark.parametrize("bad", [[1.0, -1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0], [1, np.inf, 1, 1]])
def test_bad_dask_sample_weights_name_the_parameter(bad):
    enc = da.from_array(np.array([0, 1, 0, 1]), chunks=2)
    with pytest.raises(ValueError, match="'sample_weight' parameter of SoftmaxRegression"):
        _dask_data.sample_weights(
            enc, da.from_array(np.array(bad, float), chunks=2), None, np.arange(2)
        )


def test_trust_ncg_is_refused_with_the_solvers_allowed():
    with pytest.raises(ValueError, match=r"'lbfgs' or 'newton-cg' only\. Got solver='trust-ncg'"):
        _dask_data.prepare_fit_inputs(
            da.ones((4, 2), chunks=2), np.arange(4) % 2, None, "trust-ncg"
        )


def test_chunks_at_odd_addresses_are_copied_aligned():
    raw = np.zeros(8 * 30 + 3, dtype=np.uint8)
    odd = raw[3:].view(np.float64).reshape(10, 3)  # 3 bytes off: not aligned
    odd[...] = np.arange(30.0).reshape(10, 3)
    assert not odd.flags.aligned
    fixed = _dask._aligned(odd)
    assert fixed.flags.aligned and fixed.flags.c_contiguous
    np.testing.assert_array_equal(fixed, np.arange(30.0).reshape(10, 3))
    good = np.ones((4, 2))
    assert _dask._aligned(good) is good


def test_rows_the_fused_kernel_reads_stay_at_odd_addresses():
    # The compiled core's fused linear cross-entropy reads any address at full speed: such
    # a chunk is not copied (a fit of 128 MB saved ~40 ms); rows that take the BLAS path are.
    from softmaxlab import _simd
    from softmaxlab.models import MultinomialLoss

    if _simd.core is None:
        pytest.fail(f"the compiled core is not loaded: {_simd.load_error}")
    raw = np.zeros(8 * 30 + 3, dtype=np.uint8)
    odd = raw[3:].view(np.float64).reshape(10, 3)
    odd[...] = np.arange(30.0).reshape(10, 3)
    few, many = MultinomialLoss(3), MultinomialLoss(_simd.core.linear_ce_max_classes(8) + 1)
    y = np.arange(10) % 3
    assert few.fuses(odd) and few.bind(odd, y).fused
    assert not many.fuses(odd) and not many.bind(odd, y).fused
    assert _dask._aligned(odd, few) is odd
    copied = _dask._aligned(odd, many)
    assert copied.flags.aligned and copied is not odd
    np.testing.assert_array_equal(copied, odd)


def test_chunks_held_by_one_worker_are_spread_with_their_labels(client):
    # All 8 chunks (and their labels and weights) persisted on one worker: the loss moves 4
    # of them, and the labels and weights of each chunk go where its rows are.
    from softmaxlab.models import MultinomialLoss

    rng = np.random.default_rng(5)
    X = rng.normal(size=(1600, 5))
    y = rng.integers(0, 3, size=1600)
    s = rng.uniform(0.5, 2.0, size=1600)
    first = sorted(client.nthreads())[0]
    Xd, yd, sd = (client.persist(da.from_array(a, chunks=200), workers=[first]) for a in (X, y, s))
    assert Xd.chunks == ((200,) * 8, (5,))
    with client.as_current():
        distributed.wait([Xd, yd, sd])
    loss = MultinomialLoss(3)
    dloss = _dask.DaskLoss(client, loss, Xd, yd, sd)
    try:
        parts = dloss.x_parts + dloss.y_parts + dloss.w_parts
        with client.as_current():
            distributed.wait(parts)
        who = client.who_has(parts)
        home = [sorted(who[f.key]) for f in dloss.x_parts]
        assert all(len(h) == 1 for h in home)
        counts = {w: sum(h == [w] for h in home) for w in client.nthreads()}
        assert sorted(counts.values()) == [4, 4]
        for moved in (dloss.y_parts, dloss.w_parts):
            assert [sorted(who[f.key]) for f in moved] == home
        coef = rng.normal(scale=0.3, size=3 * 6)
        f, g = dloss.penalised(1e-3).loss_gradient(coef)
        f0, g0 = loss.bind(X, y, s, 1e-3).loss_gradient(coef)
        assert f == pytest.approx(f0, rel=1e-12)
        np.testing.assert_allclose(g, g0, rtol=1e-10, atol=1e-15)
    finally:
        dloss.release()


def test_actors_evaluate_what_the_tasks_do(client, monkeypatch):
    # Small chunks: one actor per worker holds them, and an evaluation through the actors
    # gives the task path's values bit for bit (the same per-chunk parts, summed in order).
    # Chunks above the memory share of a worker get no actors.
    from softmaxlab.models import MultinomialLoss

    X, y, s, coef, (Xd, yd, sd), _ = chunked_problem(7, 2400, 4, 300)
    loss = MultinomialLoss(4)
    dloss = _dask.DaskLoss(client, loss, Xd, yd, sd)
    try:
        assert len(dloss._actors) == 2
        by_actors = dloss.penalised(1e-3).loss_gradient(coef)
        assert dloss._actors  # still in use
        dloss._stop_actors()
        by_tasks = dloss.penalised(1e-3).loss_gradient(coef)
        assert by_actors[0] == by_tasks[0]
        np.testing.assert_array_equal(by_actors[1], by_tasks[1])
        f0, g0 = loss.bind(X, y, s, 1e-3).loss_gradient(coef)
        assert by_actors[0] == pytest.approx(f0, rel=1e-12)
        np.testing.assert_allclose(by_actors[1], g0, rtol=1e-10, atol=1e-15)
    finally:
        dloss.release()
    monkeypatch.setattr(_dask, "ACTOR_MEMORY_SHARE", 0.0)
    dloss = _dask.DaskLoss(client, loss, Xd, yd, sd)
    try:
        assert dloss._actors == []
    finally:
        dloss.release()


@pytest.mark.parametrize("group_bytes", [1, 3 * 400 * 6 * 8, 1 << 26])
def test_chunks_are_evaluated_in_groups_per_worker_and_summed_in_chunk_order(
    client, group_bytes, monkeypatch
):
    # 9 chunks of 400 x 6: one task per chunk (1 byte), runs of 3 chunks, or all of a
    # worker's chunks in one task; the sums are those of the in-memory loss every time.
    from softmaxlab.models import MultinomialLoss

    monkeypatch.setattr(_dask, "GROUP_BYTES", group_bytes)
    X, y, s, coef, (Xd, yd, sd), rng = chunked_problem(3, 3600, 3, 400)
    loss = MultinomialLoss(3)
    dloss = _dask.DaskLoss(client, loss, Xd.rechunk((400, 6)), yd, sd)
    try:
        flat = sorted(i for g in dloss.groups for i in g)
        assert flat == list(range(9))
        with client.as_current():
            distributed.wait(dloss.x_parts)
        who = client.who_has(dloss.x_parts)
        for g in dloss.groups:
            assert g == sorted(g)
            assert len({tuple(sorted(who[dloss.x_parts[i].key])) for i in g}) == 1
            assert len(g) <= max(1, group_bytes // (400 * 6 * 8))
        if group_bytes == 1:
            assert len(dloss.groups) == 9
        f, g = dloss.penalised(1e-3).loss_gradient(coef)
        f0, g0 = loss.bind(X, y, s, 1e-3).loss_gradient(coef)
        assert f == pytest.approx(f0, rel=1e-12)
        np.testing.assert_allclose(g, g0, rtol=1e-10, atol=1e-15)
        value, grad, hessp, diag = dloss.penalised(1e-3).newton_terms(coef)
        v0, gr0, h0, d0 = loss.bind(X, y, s, 1e-3).newton_terms(coef, diagonal=True)
        assert value == pytest.approx(v0, rel=1e-12)
        np.testing.assert_allclose(grad, gr0, rtol=1e-10, atol=1e-15)
        v = rng.normal(size=coef.shape)
        np.testing.assert_allclose(hessp(v), h0(v), rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(diag, d0, rtol=1e-10, atol=1e-15)
    finally:
        dloss.release()
