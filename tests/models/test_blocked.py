"""The blocked loss evaluation (issue 13): row blocks over threads against one plain pass
and against formulas written out here with SciPy, float32, CSR, and the objective of the
fitted models against scikit-learn's optimum."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import softmax as scipy_softmax
from sklearn.datasets import load_digits, load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

import softmaxlab.models._loss as loss_module
from softmaxlab.models import MultinomialLoss, SoftmaxRegression


def problem(seed=0, n=3000, d=7, k=5, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(dtype)
    y = rng.integers(0, k, size=n)
    s = rng.uniform(0.2, 3.0, size=n)
    coef = rng.normal(scale=0.5, size=k * (d + 1))
    v = rng.normal(size=coef.shape)
    return X, y, s, coef, v


def reference(coef, X, y, s, lam, k):
    """Objective, gradient and Hessian-vector product function written out with SciPy."""
    full = coef.reshape(k, -1)
    W, b = full[:, :-1], full[:, -1]
    X = np.asarray(X, dtype=np.float64)
    z = X @ W.T + b
    P = scipy_softmax(z, axis=1)
    Y = np.eye(k)[y]
    ws = s / s.sum()
    f = float(-(ws * scipy_log_softmax(z, axis=1)[np.arange(len(y)), y]).sum())
    f += 0.5 * lam * float(np.sum(W * W))
    R = ws[:, None] * (P - Y)
    g = np.column_stack([R.T @ X + lam * W, R.sum(axis=0)]).ravel()

    def hessp(v):
        V = v.reshape(k, -1)
        A = X @ V[:, :-1].T + V[:, -1]
        Rv = ws[:, None] * (P * A - P * (P * A).sum(axis=1, keepdims=True))
        return np.column_stack([Rv.T @ X + lam * V[:, :-1], Rv.sum(axis=0)]).ravel()

    q = ws[:, None] * P * (1 - P)
    diag = np.column_stack([q.T @ (X * X) + lam, q.sum(axis=0)]).ravel()
    return f, g, hessp, diag


def assert_terms_close(got, want, v, rtol, atol):
    """Two ``newton_terms`` (value, gradient, Hessian product at ``v``, diagonal) agree."""
    (f1, g1, h1, d1), (f0, g0, h0, d0) = got, want
    assert f1 == pytest.approx(f0, rel=1e-12)
    np.testing.assert_allclose(g1, g0, rtol=rtol, atol=atol)
    np.testing.assert_allclose(h1(v), h0(v), rtol=rtol, atol=atol)
    np.testing.assert_allclose(d1, d0, rtol=rtol, atol=atol)


@pytest.mark.parametrize("block_rows", [64, 100, 997, 5000])
def test_blocked_equals_one_plain_pass_and_the_reference(block_rows):
    X, y, s, coef, v = problem()
    loss = MultinomialLoss(5)
    plain = loss.bind(X, y, s, 0.3, block_rows=len(y), n_threads=1)
    blocked = loss.bind(X, y, s, 0.3, block_rows=block_rows, n_threads=2)
    assert blocked.ranges == [(0, 3000)]  # small data: one thread, in blocks
    f0, g0, h0, d0 = plain.newton_terms(coef, diagonal=True)
    f1, g1, h1, d1 = blocked.newton_terms(coef, diagonal=True)
    assert_terms_close((f1, g1, h1, d1), (f0, g0, h0, d0), v, 1e-12, 1e-15)
    assert blocked.loss(coef) == pytest.approx(f0, rel=1e-12)
    fr, gr, hr, dr = reference(coef, X, y, s, 0.3, 5)
    assert_terms_close((f1, g1, h1, d1), (fr, gr, hr, dr), v, 1e-10, 1e-14)


def test_large_data_is_split_over_threads_with_blas_on_one_thread(monkeypatch):
    # 40,000 x 10: above the parallel threshold; two ranges, each in blocks.
    X, y, s, coef, _ = problem(1, n=40_000, d=10, k=4)
    coef = coef[: 4 * 11]
    loss = MultinomialLoss(4)
    seen = []
    real = loss_module._blas_controller

    def spy():
        seen.append(True)
        return real()

    monkeypatch.setattr(loss_module, "_blas_controller", spy)
    two = loss.bind(X, y, s, 1e-3, n_threads=2)
    one = loss.bind(X, y, s, 1e-3, n_threads=1, block_rows=len(y))
    assert len(two.ranges) == 2 and two.block_rows < 20_000
    f2, g2 = two.loss_gradient(coef)
    assert seen  # the threads ran with BLAS limited
    f1, g1 = one.loss_gradient(coef)
    assert f2 == pytest.approx(f1, rel=1e-12)
    np.testing.assert_allclose(g2, g1, rtol=1e-12, atol=1e-15)


def test_unweighted_and_without_intercept():
    X, y, _, coef, v = problem(2, n=500)
    loss = MultinomialLoss(5, fit_intercept=False)
    c = coef.reshape(5, 8)[:, :7].ravel()
    one = loss.bind(X, y, None, 0.1, block_rows=500)
    many = loss.bind(X, y, None, 0.1, block_rows=37)
    f0, g0, h0, _ = one.newton_terms(c)
    f1, g1, h1, _ = many.newton_terms(c)
    assert f1 == pytest.approx(f0, rel=1e-12)
    np.testing.assert_allclose(g1, g0, rtol=1e-12, atol=1e-15)
    w = v.reshape(5, 8)[:, :7].ravel()
    np.testing.assert_allclose(h1(w), h0(w), rtol=1e-12, atol=1e-15)
    z = X @ c.reshape(5, 7).T
    expected = -scipy_log_softmax(z, axis=1)[np.arange(500), y].mean() + 0.05 * np.sum(c * c)
    assert f1 == pytest.approx(expected, rel=1e-12)


def test_float32_blocks_stay_float32_and_agree_with_float64(monkeypatch):
    X, y, s, coef, _ = problem(3, n=4000)
    loss = MultinomialLoss(5)
    seen = []
    real = loss_module.BoundLoss._block_ce

    def spy(self, z, *args, **kwargs):  # each block's logits, as the cross-entropy gets them
        seen.append(z.dtype)
        return real(self, z, *args, **kwargs)

    b32 = loss.bind(X.astype(np.float32), y, s, 0.2, block_rows=300)
    b32.fused = False  # the row blocks (the fused kernel's own tests: test_fused_kernel.py)
    monkeypatch.setattr(loss_module.BoundLoss, "_block_ce", spy)
    f32, g32 = b32.loss_gradient(coef)
    assert set(seen) == {np.dtype(np.float32)} and len(seen) == 14
    assert g32.dtype == np.float64
    fr, gr, _, _ = reference(coef, X.astype(np.float32), y, s, 0.2, 5)
    assert f32 == pytest.approx(fr, rel=1e-6)
    np.testing.assert_allclose(g32, gr, rtol=1e-4, atol=1e-6)


def test_csr_is_one_block_and_equals_dense():
    X, y, s, coef, v = problem(4, n=600)
    X[np.abs(X) < 0.7] = 0.0
    loss = MultinomialLoss(5)
    dense = loss.bind(X, y, s, 0.1, block_rows=50)
    sparse = loss.bind(sp.csr_matrix(X), y, s, 0.1, block_rows=50)
    assert sparse.ranges == [(0, 600)]
    f0, g0, h0, d0 = dense.newton_terms(coef, diagonal=True)
    f1, g1, h1, d1 = sparse.newton_terms(coef, diagonal=True)
    assert_terms_close((f1, g1, h1, d1), (f0, g0, h0, d0), v, 1e-12, 1e-15)


def test_no_rows():
    loss = MultinomialLoss(3)
    bound = loss.bind(np.empty((0, 2)), np.empty(0, dtype=int), None, 0.5, scale=1.0)
    coef = np.arange(9.0)
    f, g = bound.loss_gradient(coef)
    W = coef.reshape(3, 3)[:, :2]
    assert f == pytest.approx(0.25 * np.sum(W * W), rel=1e-15)
    np.testing.assert_allclose(g.reshape(3, 3)[:, :2], 0.5 * W)


def sk_objective(W, b, X, y):
    z = X @ W.T + b
    return float(-scipy_log_softmax(z, axis=1)[np.arange(len(y)), y].sum() + 0.5 * np.sum(W * W))


# How far above the optimum each solver may stop at tol=1e-10 (relative). Newton-CG reaches it
# to rounding. L-BFGS-B (ours and scikit-learn's, with the same options) stops once a step lowers
# the objective by less than 64 machine epsilons (ftol), a few 1e-12 above it: on digits,
# scikit-learn's measured 2.8e-12 and ours 1.9e-12 to 5.1e-12 depending on the SIMD level
# (the last bits of the gradient change the path). tol=1e-8 already gives 1.2e-11.
OPTIMUM_GAP = {"lbfgs": 1e-11, "newton-cg": 1e-12}


@pytest.fixture(scope="module")
def optima():
    """Each data set and the optimum of its objective: scikit-learn's Newton-CG at tol=1e-14."""
    found = {}
    for name, loader in {"iris": load_iris, "wine": load_wine, "digits": load_digits}.items():
        X, y = loader(return_X_y=True)
        X = StandardScaler().fit_transform(X)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it may report that it could not go further
            opt = LogisticRegression(solver="newton-cg", tol=1e-14, max_iter=10_000).fit(X, y)
        found[name] = (X, y, sk_objective(opt.coef_, opt.intercept_, X, y))
    return found


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cg"])
@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
def test_objective_gap_to_the_optimum(optima, name, solver):
    X, y, f_opt = optima[name]
    ours = SoftmaxRegression(solver=solver, tol=1e-10, max_iter=10_000).fit(X, y)
    gap = (sk_objective(ours.coef_, ours.intercept_, X, y) - f_opt) / f_opt
    assert -1e-13 <= gap <= OPTIMUM_GAP[solver]
    if solver == "lbfgs":  # scikit-learn's L-BFGS with the same tol: the same distance
        ref = LogisticRegression(tol=1e-10, max_iter=10_000).fit(X, y)
        sk_gap = (sk_objective(ref.coef_, ref.intercept_, X, y) - f_opt) / f_opt
        assert -1e-13 <= sk_gap <= OPTIMUM_GAP[solver]


def test_many_classes_leave_the_threads_to_the_kernels():
    # 64-row blocks of 5000 classes are large enough for the kernels to split them over the
    # pool: the blocks then run on one range (a pool thread never waits on the pool).
    rng = np.random.default_rng(5)
    X = rng.normal(size=(5000, 60))
    y = rng.integers(0, 5000, size=5000)
    loss = MultinomialLoss(5000)
    bound = loss.bind(X, y, None, 1e-3, n_threads=2)
    assert bound.block_rows == 64 and bound.ranges == [(0, 5000)]
    coef = rng.normal(scale=0.01, size=5000 * 61)
    f, g = bound.loss_gradient(coef)
    f1, g1 = loss.bind(X, y, None, 1e-3, n_threads=1, block_rows=5000).loss_gradient(coef)
    assert f == pytest.approx(f1, rel=1e-12)
    np.testing.assert_allclose(g, g1, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("weighted", [True, False])
def test_chunks_taken_by_two_threads_equal_one_plain_pass(weighted):
    # 30,000 x 12: above the parallel threshold. The rows are cut into runs of whole blocks
    # (chunks) that two threads take in turn; sums in chunk order: the same bits every call.
    X, y, s, coef, v = problem(6, n=30_000, d=12, k=6)
    sw = s if weighted else None
    loss = MultinomialLoss(6)
    two = loss.bind(X, y, sw, 1e-3, n_threads=2, block_rows=250)
    plain = loss.bind(X, y, sw, 1e-3, n_threads=1, block_rows=len(y))
    assert two.n_threads == 2 and len(two.chunks) > 2
    assert two.chunks[0][0] == 0 and two.chunks[-1][1] == len(y)
    assert all(a[1] == b[0] for a, b in zip(two.chunks, two.chunks[1:], strict=False))
    assert all(lo % 250 == 0 for lo, _ in two.chunks)
    f2, g2, h2, d2 = two.newton_terms(coef, diagonal=True)
    f1, g1, h1, d1 = plain.newton_terms(coef, diagonal=True)
    assert_terms_close((f2, g2, h2, d2), (f1, g1, h1, d1), v, 1e-11, 1e-15)
    fr, gr, hr, dr = reference(coef, X, y, s if weighted else np.ones(len(y)), 1e-3, 6)
    assert_terms_close((f2, g2, h2, d2), (fr, gr, hr, dr), v, 1e-10, 1e-14)
    # loss_gradient is the fused kernel's (newton_terms keeps the blocks' P): the same bits
    # at every call, and the blocks' values to rounding.
    again = two.loss_gradient(coef)
    assert again[0] == two.loss_gradient(coef)[0]
    np.testing.assert_array_equal(again[1], two.loss_gradient(coef)[1])
    assert two.fused and again[0] == pytest.approx(f2, rel=1e-14)
    np.testing.assert_allclose(again[1], g2, rtol=1e-11, atol=1e-15)


def test_float64_and_float32_products_use_their_own_layout_and_agree():
    # float64 blocks accumulate X_b^T R (d, K), float32 blocks R^T X_b (K, d): both give the
    # gradient of the reference, with and without intercept.
    X, y, s, coef, _ = problem(7, n=2000, d=9, k=4)
    coef = coef[: 4 * 10]
    for fit_intercept in (True, False):
        c = coef if fit_intercept else coef.reshape(4, 10)[:, :9].ravel()
        loss = MultinomialLoss(4, fit_intercept=fit_intercept)
        f64, g64 = loss.bind(X, y, s, 0.1, block_rows=128).loss_gradient(c)
        f32, g32 = loss.bind(X.astype(np.float32), y, s, 0.1, block_rows=128).loss_gradient(c)
        full = c if fit_intercept else np.column_stack([c.reshape(4, 9), np.zeros(4)]).ravel()
        fr, gr, _, _ = reference(full, X, y, s, 0.1, 4)
        gr = gr if fit_intercept else gr.reshape(4, 10)[:, :9].ravel()
        assert f64 == pytest.approx(fr, rel=1e-12)
        np.testing.assert_allclose(g64, gr, rtol=1e-10, atol=1e-14)
        assert f32 == pytest.approx(fr, rel=1e-6)
        np.testing.assert_allclose(g32, gr, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_the_direct_kernel_call_gives_the_public_functions_values_bit_for_bit(dtype, weighted):
    """Blocks call the core's fused cross-entropy directly (``BoundLoss.direct``); forced
    through ``cross_entropy_and_grad`` instead, every value is the same, to the bit."""
    from softmaxlab import kernels

    if not kernels.core_loaded():
        pytest.skip("the direct call needs the compiled core")
    X, y, s, coef, v = problem(seed=4, n=2500, d=9, k=6, dtype=dtype)
    sw = s if weighted else None
    direct = MultinomialLoss(6).bind(X, y, sw, l2_reg_strength=0.3, block_rows=300)
    plain = MultinomialLoss(6).bind(X, y, sw, l2_reg_strength=0.3, block_rows=300)
    assert direct.direct
    plain.direct = False
    direct.fused = plain.fused = False  # the row blocks, not the fused kernel
    f1, g1 = direct.loss_gradient(coef)
    f0, g0 = plain.loss_gradient(coef)
    assert f1 == f0 and direct.loss(coef) == plain.loss(coef)
    np.testing.assert_array_equal(g1, g0)
    t1, t0 = direct.newton_terms(coef, diagonal=True), plain.newton_terms(coef, diagonal=True)
    assert t1[0] == t0[0]
    np.testing.assert_array_equal(t1[1], t0[1])
    np.testing.assert_array_equal(t1[2](v), t0[2](v))
    np.testing.assert_array_equal(t1[3], t0[3])
    # And both are the formulas written out with SciPy.
    f, g, _, _ = reference(coef, X, y, s if weighted else np.ones(len(y)), 0.3, 6)
    tol = 1e-12 if dtype == np.float64 else 2e-5
    assert f1 == pytest.approx(f, rel=tol)
    np.testing.assert_allclose(g1, g, rtol=tol, atol=tol)


def test_the_direct_call_is_not_taken_where_the_kernels_must_decide():
    X, y, _, _, _ = problem(n=50)
    assert not MultinomialLoss(5, backend="numpy").bind(X, y).direct
    assert not MultinomialLoss(5).bind(X.astype(np.float16), y).direct
    assert not MultinomialLoss(5).bind(sp.csr_matrix(X), y).direct
