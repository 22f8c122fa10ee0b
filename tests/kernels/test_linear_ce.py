"""The core's fused linear cross-entropy (``_simd.core.linear_ce``, issue 13) on every SIMD
level: logits, loss and gradient against the formulas written out with SciPy in float64, its
limits, its checks, and the estimator's loss through it against the row blocks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import softmax as scipy_softmax

from softmaxlab import _simd
from softmaxlab.models import MultinomialLoss


def core():
    if _simd.core is None:
        pytest.fail(f"the compiled core is not loaded: {_simd.load_error}")
    return _simd.core


def reference(X, Wt, b, y, s, r0, r1):
    """Loss sum and ``[X^T (s G); sum s G]`` of rows r0..r1, in float64 with SciPy."""
    X = np.asarray(X[r0:r1], dtype=np.float64)
    z = X @ np.asarray(Wt, dtype=np.float64)
    if b is not None:
        z = z + np.asarray(b, dtype=np.float64)
    rows = np.arange(r1 - r0)
    w = np.ones(r1 - r0) if s is None else s[r0:r1]
    loss = float(np.sum(-w * scipy_log_softmax(z, axis=1)[rows, y[r0:r1]]))
    G = scipy_softmax(z, axis=1)
    G[rows, y[r0:r1]] -= 1.0
    G *= w[:, None]
    return loss, np.vstack([X.T @ G, G.sum(axis=0)])


def case(n, d, k, dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(dtype)
    Wt = rng.normal(scale=0.4, size=(d, k)).astype(dtype)
    b = rng.normal(size=k).astype(dtype)
    y = rng.integers(0, k, size=n).astype(np.int64)
    s = rng.uniform(0.1, 2.0, size=n)
    return X, Wt, b, y, s


def classes(dtype):
    """K from 1 to the level's largest, through every count of vectors it tiles."""
    top = core().linear_ce_max_classes(np.dtype(dtype).itemsize)
    return sorted(
        {1, 2, 3, 5, 8, 9, 16, 17, 20, 31, 33, top // 2 + 1, top - 1, top} & set(range(1, top + 1))
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("intercept", [True, False])
@pytest.mark.parametrize("d", [37, 46, 49, 83])
def test_loss_and_gradient_are_the_formulas(simd_level, dtype, weighted, intercept, d):
    c = core()
    # Rows: not a multiple of any tile or group; features: not a multiple of any tile, with
    # remainders that take the smaller tiles along the classes (37 = 4 * 8 + 4 + 1 and
    # 46 = 5 * 8 + 4 + 2 on AVX-512's 8-feature tiles) and every count of vectors of the
    # tiles along the features (49 and 83 features: 3 and 5 vectors of 16 float32, 6 and 10
    # of 8 float64, 6 and 10 of 8 float32 on AVX2, each with a few features left over).
    n = 613
    tol = 1e-13 if dtype == np.float64 else 3e-6
    for k in classes(dtype):
        X, Wt, b, y, s = case(n, d, k, dtype, seed=k)
        s = s if weighted else None
        b = b if intercept else None
        for r0, r1 in ((0, n), (5, 300), (600, 613), (7, 7)):
            gt = np.zeros((d + 1, k))
            loss = c.linear_ce(X, Wt, b, y, s, gt, r0, r1)
            want, gwant = reference(X, Wt, b, y, s, r0, r1)
            assert loss == pytest.approx(want, rel=tol, abs=1e-300), (k, r0, r1)
            scale = max(1.0, float(np.abs(gwant).max()))
            np.testing.assert_allclose(gt, gwant, rtol=tol, atol=tol * scale, err_msg=str(k))
            assert c.linear_ce(X, Wt, b, y, s, None, r0, r1) == loss  # loss only: same value


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradient_is_added_to_what_gt_holds_and_rows_split_anywhere(simd_level, dtype):
    c = core()
    X, Wt, b, y, s = case(1000, 19, 7, dtype, seed=3)
    whole = np.zeros((20, 7))
    total = c.linear_ce(X, Wt, b, y, s, whole, 0, 1000)
    parts = np.full((20, 7), 0.25)  # added to: the start value stays in
    pieces = ((0, 1), (1, 555), (555, 1000))
    split = sum(c.linear_ce(X, Wt, b, y, s, parts, a, e) for a, e in pieces)
    # float32 groups sum their products in float32: another split rounds otherwise.
    tol = 1e-12 if dtype == np.float64 else 2e-5
    assert split == pytest.approx(total, rel=tol)
    np.testing.assert_allclose(parts - 0.25, whole, rtol=tol, atol=tol * 50)


def test_gradient_is_the_derivative_of_the_loss(simd_level):
    # Central differences in the weights and intercepts, float64.
    c = core()
    X, Wt, b, y, s = case(200, 5, 4, np.float64, seed=5)
    gt = np.zeros((6, 4))
    c.linear_ce(X, Wt, b, y, s, gt, 0, 200)
    h = 1e-6
    num = np.empty_like(gt)
    for i in range(6):
        for j in range(4):
            Wp, Wm, bp, bm = Wt.copy(), Wt.copy(), b.copy(), b.copy()
            if i < 5:
                Wp[i, j] += h
                Wm[i, j] -= h
            else:
                bp[j] += h
                bm[j] -= h
            up = c.linear_ce(X, Wp, bp, y, s, None, 0, 200)
            down = c.linear_ce(X, Wm, bm, y, s, None, 0, 200)
            num[i, j] = (up - down) / (2 * h)
    np.testing.assert_allclose(gt, num, rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_non_finite_logits_give_nan_as_the_cross_entropy_does(simd_level, dtype):
    c = core()
    X, Wt, b, y, _ = case(50, 6, 5, dtype, seed=6)
    X[10, 2] = np.inf
    X[20, 0] = np.nan
    gt = np.zeros((7, 5))
    assert np.isnan(c.linear_ce(X, Wt, b, y, None, gt, 0, 50))
    assert np.isnan(gt).all(axis=1).any()
    # The rows without them are finite.
    ok = np.zeros((7, 5))
    assert np.isfinite(c.linear_ce(X, Wt, b, y, None, ok, 21, 50)) and np.isfinite(ok).all()


def test_limits_and_checks(simd_level):
    c = core()
    X, Wt, b, y, s = case(30, 4, 3, np.float64)
    top = c.linear_ce_max_classes(8)
    assert top >= 8 and c.linear_ce_max_classes(4) == 2 * top
    big = np.zeros((4, top + 1))
    with pytest.raises(ValueError, match=f"1 to {top} classes, got {top + 1}"):
        c.linear_ce(X, big, None, y, None, None, 0, 30)
    bad = y.copy()
    bad[4] = 3
    with pytest.raises(ValueError, match="target 3 at row 4 is outside"):
        c.linear_ce(X, Wt, b, bad, None, None, 0, 30)
    c.linear_ce(X, Wt, b, bad, None, None, 5, 30)  # a row outside the range is not read
    with pytest.raises(ValueError, match="row range"):
        c.linear_ce(X, Wt, b, y, None, None, 0, 31)
    with pytest.raises(ValueError, match="x's dtype"):
        c.linear_ce(X, Wt.astype(np.float32), b, y, None, None, 0, 30)
    with pytest.raises(ValueError, match="b must have 3 entries"):
        c.linear_ce(X, Wt, b[:2], y, None, None, 0, 30)
    with pytest.raises(ValueError, match=r"gt must be a \(5, 3\) float64"):
        c.linear_ce(X, Wt, b, y, None, np.zeros((4, 3)), 0, 30)
    with pytest.raises(ValueError, match="s must be a float64 buffer of 30"):
        c.linear_ce(X, Wt, b, y, s[:5], None, 0, 30)
    with pytest.raises(ValueError, match="target must be an int64"):
        c.linear_ce(X, Wt, b, y.astype(np.int32), None, None, 0, 30)
    with pytest.raises((ValueError, BufferError)):
        c.linear_ce(np.asfortranarray(X), Wt, b, y, None, None, 0, 30)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_the_estimators_loss_through_it_agrees_with_the_row_blocks(simd_level, dtype, weighted):
    # BoundLoss takes the fused kernel for dense C-contiguous rows with few enough classes;
    # forced onto the row blocks (BLAS products and the core's cross-entropy) it agrees.
    rng = np.random.default_rng(8)
    n, d, k = 3000, 23, 11
    X = rng.normal(size=(n, d)).astype(dtype)
    y = rng.integers(0, k, size=n)
    sw = rng.uniform(0.2, 3.0, size=n) if weighted else None
    coef = rng.normal(scale=0.3, size=k * (d + 1))
    tol = 1e-12 if dtype == np.float64 else 2e-6
    for threads in (1, 2):
        fused = MultinomialLoss(k).bind(X, y, sw, 0.01, n_threads=threads, block_rows=256)
        blocks = MultinomialLoss(k).bind(X, y, sw, 0.01, n_threads=threads, block_rows=256)
        assert fused.fused
        blocks.fused = False
        f1, g1 = fused.loss_gradient(coef)
        f0, g0 = blocks.loss_gradient(coef)
        assert f1 == pytest.approx(f0, rel=tol)
        np.testing.assert_allclose(g1, g0, rtol=tol * 100, atol=tol)
        assert fused.loss(coef) == f1
    assert not MultinomialLoss(k).bind(np.asfortranarray(X), y).fused
    many = core().linear_ce_max_classes(np.dtype(dtype).itemsize) + 1
    assert not MultinomialLoss(many).bind(X, rng.integers(0, many, size=n)).fused
