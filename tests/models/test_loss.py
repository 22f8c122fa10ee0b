"""MultinomialLoss against an independent formula and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import log_softmax as scipy_log_softmax

from softmaxlab.models import MultinomialLoss


def reference_loss(coef, X, y, s, lam, k, fit_intercept):
    """The objective written out with SciPy's log_softmax (independent of the code)."""
    full = coef.reshape(k, -1)
    W = full[:, :-1] if fit_intercept else full
    b = full[:, -1] if fit_intercept else 0.0
    z = np.asarray(X, dtype=np.float64) @ W.T + b
    ce = -scipy_log_softmax(z, axis=1)[np.arange(len(y)), y]
    return float(np.sum(s * ce) / np.sum(s) + 0.5 * lam * np.sum(W * W))


def problem(seed=0, n=40, d=5, k=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.integers(0, k, size=n)
    s = rng.uniform(0.5, 2.0, size=n)
    return X, y, s


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [True, False])
def test_loss_matches_reference(fit_intercept, weighted):
    X, y, s = problem()
    loss = MultinomialLoss(4, fit_intercept)
    coef = np.random.default_rng(1).normal(size=loss.n_coef(5))
    sw = s if weighted else None
    expected = reference_loss(coef, X, y, s if weighted else np.ones(len(y)), 0.3, 4, fit_intercept)
    assert loss.loss(coef, X, y, sw, 0.3) == pytest.approx(expected, rel=1e-13)
    value, _ = loss.loss_gradient(coef, X, y, sw, 0.3)
    assert value == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_gradient_matches_central_differences(fit_intercept):
    X, y, s = problem(2)
    loss = MultinomialLoss(4, fit_intercept)
    coef = np.random.default_rng(3).normal(size=loss.n_coef(5))
    g = loss.gradient(coef, X, y, s, 0.7)
    h = 1e-6
    fd = np.empty_like(coef)
    for j in range(len(coef)):
        e = np.zeros_like(coef)
        e[j] = h
        fd[j] = (
            reference_loss(coef + e, X, y, s, 0.7, 4, fit_intercept)
            - reference_loss(coef - e, X, y, s, 0.7, 4, fit_intercept)
        ) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_hessian_product_matches_gradient_differences(fit_intercept):
    X, y, s = problem(4)
    loss = MultinomialLoss(4, fit_intercept)
    rng = np.random.default_rng(5)
    coef = rng.normal(size=loss.n_coef(5))
    v = rng.normal(size=coef.shape)
    grad, hessp = loss.gradient_hessian_product(coef, X, y, s, 0.2)
    np.testing.assert_allclose(grad, loss.gradient(coef, X, y, s, 0.2), rtol=1e-14)
    h = 1e-5
    fd = (loss.gradient(coef + h * v, X, y, s, 0.2) - loss.gradient(coef - h * v, X, y, s, 0.2)) / (
        2 * h
    )
    np.testing.assert_allclose(hessp(v), fd, rtol=1e-6, atol=1e-9)


def test_hessian_is_symmetric_positive_semidefinite():
    X, y, s = problem(6, n=30, d=3, k=3)
    loss = MultinomialLoss(3, True)
    coef = np.random.default_rng(7).normal(size=loss.n_coef(3))
    _, hessp = loss.gradient_hessian_product(coef, X, y, s, 0.0)
    H = np.column_stack([hessp(e) for e in np.eye(len(coef))])
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    assert np.linalg.eigvalsh(H).min() > -1e-12
    # A shift shared by all classes' intercepts changes nothing: a null direction.
    shift = np.zeros((3, 4))
    shift[:, -1] = 1.0
    np.testing.assert_allclose(hessp(shift.ravel()), 0.0, atol=1e-14)


def test_sparse_equals_dense():
    X, y, s = problem(8)
    X[np.abs(X) < 0.8] = 0.0
    loss = MultinomialLoss(4, True)
    coef = np.random.default_rng(9).normal(size=loss.n_coef(5))
    v = np.random.default_rng(10).normal(size=coef.shape)
    f1, g1 = loss.loss_gradient(coef, X, y, s, 0.1)
    f2, g2 = loss.loss_gradient(coef, sp.csr_matrix(X), y, s, 0.1)
    assert f1 == pytest.approx(f2, rel=1e-14)
    np.testing.assert_allclose(g1, g2, rtol=1e-12, atol=1e-15)
    _, hp1 = loss.gradient_hessian_product(coef, X, y, s, 0.1)
    _, hp2 = loss.gradient_hessian_product(coef, sp.csr_matrix(X), y, s, 0.1)
    np.testing.assert_allclose(hp1(v), hp2(v), rtol=1e-12, atol=1e-15)


def test_float32_input_computes_in_float32_and_agrees():
    X, y, s = problem(11, n=200)
    loss = MultinomialLoss(4, True)
    coef = np.random.default_rng(12).normal(size=loss.n_coef(5)) * 0.3
    z = loss.raw_prediction(coef, X.astype(np.float32))
    assert z.dtype == np.float32
    f64, g64 = loss.loss_gradient(coef, X, y, s, 0.1)
    f32, g32 = loss.loss_gradient(coef, X.astype(np.float32), y, s, 0.1)
    assert g32.dtype == np.float64
    assert f32 == pytest.approx(f64, rel=1e-5)
    np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-6)


def test_chunks_sum_to_the_whole_with_scale():
    X, y, s = problem(13, n=60)
    loss = MultinomialLoss(4, True)
    coef = np.random.default_rng(14).normal(size=loss.n_coef(5))
    total = s.sum()
    whole_f, whole_g = loss.loss_gradient(coef, X, y, s, 0.0)
    parts = [
        loss.loss_gradient(coef, X[i : i + 20], y[i : i + 20], s[i : i + 20], 0.0, scale=total)
        for i in range(0, 60, 20)
    ]
    assert sum(f for f, _ in parts) == pytest.approx(whole_f, rel=1e-13)
    np.testing.assert_allclose(sum(g for _, g in parts), whole_g, rtol=1e-12, atol=1e-15)


def test_large_logits_stay_finite():
    X = np.array([[1000.0], [-1000.0]])
    y = np.array([1, 1])
    loss = MultinomialLoss(2, False)
    coef = np.array([1.0, -1.0])  # logits ±1000
    f, g = loss.loss_gradient(coef, X, y)
    assert f == pytest.approx(1000.0, rel=1e-12)  # one sample costs 2000, the other 0
    assert np.all(np.isfinite(g))


@pytest.mark.parametrize("bad", [1, 0, 2.5, True])
def test_bad_n_classes(bad):
    with pytest.raises(ValueError, match="'n_classes' parameter of MultinomialLoss"):
        MultinomialLoss(bad)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    shift=st.floats(-50, 50, allow_nan=False),
    seed=st.integers(0, 2**16),
)
def test_shared_intercept_shift_changes_nothing(shift, seed):
    # softmax is invariant to adding one constant to every logit: the loss does not move,
    # and the data-term gradient sums to zero over the classes.
    X, y, s = problem(seed % 97, n=25, d=3, k=4)
    loss = MultinomialLoss(4, True)
    coef = np.random.default_rng(seed).normal(size=loss.n_coef(3))
    shifted = coef.reshape(4, 4).copy()
    shifted[:, -1] += shift
    f0, g0 = loss.loss_gradient(coef, X, y, s, 0.0)
    f1 = loss.loss(shifted.ravel(), X, y, s, 0.0)
    assert f1 == pytest.approx(f0, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(g0.reshape(4, 4).sum(axis=0), 0.0, atol=1e-12)
