"""The fused minibatch path of ``sgd`` / ``adam`` (issue 13: partial_fit at twice the speed).

:class:`MinibatchGradient` must give the values of the plain path (``MultinomialLoss.
loss_gradient`` on the minibatch) bit for bit, on every SIMD level, and its gradient must be
that of its own value (central differences); the in-place optimiser steps must be those of
``sgd`` / ``adam`` followed by ``apply_updates`` bit for bit, and leave the state they were
given alone; whole ``partial_fit`` / ``fit`` runs must not change at all when the fused path
is switched off. The per-call shortcuts (labels that are already indices, the saved random
state, the skipped target check of integer labels) keep their errors.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import scipy.sparse as sp

import softmaxlab.models._regression as regression_module
from softmaxlab import _simd
from softmaxlab.models import MultinomialLoss, SoftmaxRegression
from softmaxlab.models._blocks import _block_rows
from softmaxlab.models._minibatch import MinibatchGradient, minibatch_gradient
from softmaxlab.models._solvers import _InPlaceStep, adam, apply_updates, sgd
from softmaxlab.models._state import encode_known


@pytest.fixture(params=list(_simd.LEVELS))
def level(request: pytest.FixtureRequest) -> Iterator[str]:
    """The compiled core at each SIMD level this machine supports."""
    core = _simd.core
    if core is None:
        pytest.fail(f"the compiled core is not loaded: {_simd.load_error}")
    if request.param not in core.compiled_levels() or request.param not in core.supported_levels():
        pytest.skip(f"SIMD level {request.param} not available here")
    old = _simd._set_level(request.param)
    try:
        yield request.param
    finally:
        _simd._set_level(old)


def data(n=700, d=9, k=4, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(dtype)
    y = rng.integers(0, k, size=n)
    s = rng.uniform(0.1, 3.0, size=n)
    coef = rng.normal(scale=0.3, size=k * (d + 1))
    return X, y, s, coef


def fused(spec, X, y, sw, lam, batch):
    total = float(len(y)) if sw is None else float(sw.sum())
    made = minibatch_gradient(spec, X, y, sw, lam, total, batch)
    assert made is not None
    return made[0], made[1], total


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize(
    ("d", "batch", "blocked", "classes"),
    [
        (9, 64, False, "few"),
        (9, 1, False, "few"),
        (1100, 200, False, "few"),  # one linear_ce call, however many rows
        (9, 64, False, "more than linear_ce takes"),
        (9, 1, False, "more than linear_ce takes"),
        (9, "two blocks", True, "more than linear_ce takes"),
    ],
)
def test_fused_minibatch_is_the_plain_loss_bit_for_bit(
    level, dtype, weighted, fit_intercept, d, batch, blocked, classes
):
    # Few classes: one call of the core's linear_ce per minibatch, as BoundLoss makes it;
    # more than it takes: row blocks of BLAS products and the core's cross-entropy.
    k = 4 if classes == "few" else _simd.core.linear_ce_max_classes(np.dtype(dtype).itemsize) + 1
    if batch == "two blocks":
        batch = _block_rows(d, k, np.dtype(dtype).itemsize) + 7
    X, y, s, _ = data(n=max(450, 2 * batch), d=d, k=k, dtype=dtype)
    coef = np.random.default_rng(1).normal(scale=0.05, size=k * (d + fit_intercept))
    spec = MultinomialLoss(k, fit_intercept)
    sw = s if weighted else None
    fn, is_blocked, total = fused(spec, X, y, sw, 0.03, batch)
    assert fn.fused == (k == 4)
    assert is_blocked == blocked
    order = np.random.default_rng(2).permutation(len(y))
    for idx in (slice(0, batch), slice(len(y) - 7, len(y)), order[:batch], order[-5:]):
        m = len(y[idx])
        fraction = m / len(y)
        value, grad = fn(coef, idx, fraction)
        swb = None if sw is None else sw[idx]
        ref_value, ref_grad = spec.loss_gradient(
            coef, X[idx], y[idx], swb, 0.03, scale=total * fraction
        )
        assert value == ref_value
        np.testing.assert_array_equal(grad, ref_grad)
        np.testing.assert_array_equal(np.signbit(grad), np.signbit(ref_grad))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fused_gradient_is_the_derivative_of_its_value(dtype):
    # Central differences of the fused value in float64 coefficients; float32 logits round
    # at ~1e-7 relative, hence the step and tolerance of that case.
    X, y, s, coef = data(n=300, d=6, k=3, dtype=dtype)
    spec = MultinomialLoss(3)
    fn, _, _ = fused(spec, X, y, s, 0.1, 128)
    idx = slice(40, 168)
    _, grad = fn(coef, idx, 128 / 300)
    grad = grad.copy()  # the next calls reuse the buffer
    h = 1e-6 if dtype == np.float64 else 1e-3
    num = np.empty_like(coef)
    for j in range(coef.size):
        e = np.zeros_like(coef)
        e[j] = h
        num[j] = (fn(coef + e, idx, 128 / 300)[0] - fn(coef - e, idx, 128 / 300)[0]) / (2 * h)
    tol = 1e-7 if dtype == np.float64 else 2e-3
    np.testing.assert_allclose(grad, num, rtol=tol, atol=tol)


def test_fused_path_is_not_taken_where_the_plain_one_differs():
    X, y, _, _ = data()
    spec = MultinomialLoss(4)
    assert minibatch_gradient(spec, sp.csr_matrix(X), y, None, 0.0, 700.0, 64) is None
    assert minibatch_gradient(MultinomialLoss(4, backend="numpy"), X, y, None, 0, 700, 64) is None
    assert minibatch_gradient(spec, X.astype(np.float16), y, None, 0.0, 700.0, 64) is None
    # A minibatch the plain path would spread over threads (here 4 threads for 2.6e5 values).
    big = np.zeros((2000, 200))
    from softmaxlab import kernels

    before = kernels.get_num_threads()
    kernels.set_num_threads(4)
    try:
        assert minibatch_gradient(spec, big, np.zeros(2000, np.int64), None, 0, 2e3, 2000) is None
    finally:
        kernels.set_num_threads(before)
    assert isinstance(minibatch_gradient(spec, X, y, None, 0.0, 700.0, 64)[0], MinibatchGradient)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("path", ["compiled", "numpy"])
def test_in_place_steps_are_update_then_apply_bit_for_bit(solver, path, monkeypatch):
    # Adam's step runs in the core's adam_step when it is loaded, else in NumPy passes.
    assert _simd.core is not None and hasattr(_simd.core, "adam_step")
    if path == "numpy":
        monkeypatch.setattr(_simd, "core", None)
    rng = np.random.default_rng(3)
    coef = rng.normal(size=50)
    make = {"sgd": sgd, "adam": adam}[solver]
    state = make(0.05).init(coef)
    state = make(0.05).update(rng.normal(size=50), state, coef)[1]  # a state with history
    given = [np.array(a, copy=True) for a in state[1:]]
    step = _InPlaceStep(solver, state, coef)
    mine, ref, ref_state = coef.copy(), coef.copy(), state
    for i in range(25):
        g = rng.normal(size=50) * (10.0 ** rng.integers(-6, 3))
        g[i % 50] = 0.0
        lr = 0.05 / np.sqrt(1.0 + i // 5)  # as the decay of fit
        g_before = g.copy()
        step(mine, g, lr)
        updates, ref_state = make(lr).update(g, ref_state, ref)
        ref = apply_updates(ref, updates)
        np.testing.assert_array_equal(mine, ref)
        np.testing.assert_array_equal(g, g_before)  # the gradient is only read
        assert step.state.step == ref_state.step
        for a, b in zip(step.state[1:], ref_state[1:], strict=True):
            np.testing.assert_array_equal(a, b)
    for a, b in zip(state[1:], given, strict=True):
        np.testing.assert_array_equal(a, b)  # the state passed in is never written


def _fits(solver, dtype, weighted, monkeypatch, plain):
    if plain:
        monkeypatch.setattr(regression_module, "minibatch_gradient", lambda *a, **k: None)
    X, y, s, _ = data(n=900, d=12, k=5, dtype=dtype, seed=4)
    labels = np.array([3, 8, 11, 20, 42])[y]
    sw = s if weighted else None
    pf = SoftmaxRegression(solver=solver, batch_size=50, C=0.5, random_state=0)
    for i, (lo, hi) in enumerate([(0, 300), (300, 650), (650, 900)]):
        pf.partial_fit(
            X[lo:hi],
            labels[lo:hi],
            classes=np.unique(labels) if i == 0 else None,
            sample_weight=None if sw is None else sw[lo:hi],
        )
    f = SoftmaxRegression(solver=solver, batch_size=64, max_iter=4, tol=0.0, random_state=0)
    with pytest.warns(Warning):
        f.fit(X, labels, sample_weight=sw)
    monkeypatch.undo()
    return pf, f


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_partial_fit_and_fit_do_not_change_with_the_fused_path(
    solver, dtype, weighted, monkeypatch
):
    fast = _fits(solver, dtype, weighted, monkeypatch, plain=False)
    plain = _fits(solver, dtype, weighted, monkeypatch, plain=True)
    for a, b in zip(fast, plain, strict=True):
        np.testing.assert_array_equal(a.coef_, b.coef_)
        np.testing.assert_array_equal(a.intercept_, b.intercept_)
        assert a.loss_curve_ == b.loss_curve_
        assert a.n_samples_seen_ == b.n_samples_seen_


def test_partial_fit_learns_with_the_fused_path():
    # Streaming a separable problem (classes far apart) reaches a high training accuracy.
    rng = np.random.default_rng(5)
    centres = rng.normal(scale=4.0, size=(3, 5))
    y = rng.integers(0, 3, size=3000)
    X = centres[y] + rng.normal(size=(3000, 5))
    m = SoftmaxRegression(solver="adam", learning_rate=0.05)
    for lo in range(0, 3000, 500):
        m.partial_fit(X[lo : lo + 500], y[lo : lo + 500], classes=[0, 1, 2])
    assert m.score(X, y) > 0.95


def test_labels_that_are_indices_encode_as_themselves_and_unknown_ones_raise():
    classes = np.arange(5)
    y = np.array([4, 0, 2, 2, 1], dtype=np.int32)
    np.testing.assert_array_equal(encode_known(classes, y), np.searchsorted(classes, y))
    assert encode_known(classes, y).dtype == np.intp
    assert encode_known(classes, y.astype(np.uint8)).tolist() == [4, 0, 2, 2, 1]
    assert encode_known(np.array([0, 1, 5]), np.array([5, 0])).tolist() == [2, 0]  # not 0..k-1
    for bad in ([0, 5], [-1, 2]):
        with pytest.raises(ValueError, match="labels not in classes_"):
            encode_known(classes, np.array(bad))
    assert encode_known(classes, np.array([], dtype=np.int64)).size == 0


def test_failed_partial_fit_puts_the_same_random_state_back():
    X, y, _, _ = data(n=200, d=4, k=3)
    m = SoftmaxRegression(solver="sgd", random_state=7).partial_fit(X, y, classes=[0, 1, 2])
    rng = m._rng
    rng.random_sample(1)  # advanced, then snapshotted by the next call
    state = rng.get_state()

    def fail(*args, **kwargs):
        rng.random_sample(10)  # the call advances the generator, then fails
        raise RuntimeError("solver failed")

    m._stochastic = fail
    with pytest.raises(RuntimeError):
        m.partial_fit(X, y)
    assert m._rng is rng
    np.testing.assert_array_equal(m._rng.get_state()[1], state[1])
    assert m._rng.get_state()[2] == state[2]


def test_continuous_targets_are_still_refused():
    X, _, _, _ = data(n=50, d=3)
    with pytest.raises(ValueError, match="continuous"):
        SoftmaxRegression(solver="sgd").fit(X, np.linspace(0, 1, 50))
    m = SoftmaxRegression(solver="sgd").fit(X, (np.arange(50) % 3).astype(bool))
    assert m.classes_.tolist() == [False, True]


def test_adam_step_of_the_core_refuses_other_buffers():
    core = _simd.core
    assert core is not None
    a = np.zeros(4)
    with pytest.raises(ValueError, match="float64 buffers of one length"):
        core.adam_step(a, np.zeros(3), np.zeros(4), np.zeros(4), 0.1, 0.001, 0.999, 1.0, 1e-8, -1.0)
    with pytest.raises(ValueError, match="float64 buffers of one length"):
        core.adam_step(a, a.astype(np.float32), a, a, 0.1, 0.001, 0.999, 1.0, 1e-8, -1.0)
    with pytest.raises(TypeError, match="takes 10 arguments"):
        core.adam_step(a, a, a, a)
    with pytest.raises(TypeError):
        core.adam_step(a, a, a, a, "0.1", 0.001, 0.999, 1.0, 1e-8, -1.0)
    # inf / NaN gradients do not raise: they go into the moments as NumPy's update has it.
    coef, mu, nu = np.zeros(3), np.zeros(3), np.zeros(3)
    core.adam_step(
        coef, np.array([np.inf, np.nan, 1.0]), mu, nu, 0.1, 0.001, 0.999, 1.0, 1e-8, -1.0
    )
    assert np.isnan(coef[:2]).all() and np.isfinite(coef[2]) and mu[0] == np.inf
