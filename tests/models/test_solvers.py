"""The optimisers of softmaxlab.models._solvers against PyTorch's and NumPy's, and the loss
object's use of core's fused loss-and-gradient."""

from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest
import torch
from sklearn.datasets import load_iris

import softmaxlab.models._loss as loss_module
from softmaxlab.models import MultinomialLoss, SoftmaxRegression, _io, _regression, _solvers


def quadratic(A, b):
    return lambda x: A @ x - b  # gradient of x'Ax/2 - b'x


@pytest.mark.parametrize(
    ("make_ours", "make_torch"),
    [
        (lambda: _solvers.sgd(0.05), lambda p: torch.optim.SGD(p, lr=0.05)),
        (lambda: _solvers.adam(0.05), lambda p: torch.optim.Adam(p, lr=0.05, eps=1e-8)),
    ],
    ids=["sgd", "adam"],
)
def test_first_order_steps_equal_torch_optim(make_ours, make_torch):
    rng = np.random.default_rng(0)
    M = rng.normal(size=(5, 5))
    A, b = M @ M.T + np.eye(5), rng.normal(size=5)
    grad = quadratic(A, b)
    x = rng.normal(size=5)
    t = torch.tensor(x.copy(), dtype=torch.float64, requires_grad=True)
    opt_t = make_torch([t])
    At, bt = torch.tensor(A), torch.tensor(b)
    opt = make_ours()
    state = opt.init(x)
    for _ in range(25):
        updates, state = opt.update(grad(x), state, x)
        x = _solvers.apply_updates(x, updates)
        opt_t.zero_grad()
        (0.5 * t @ At @ t - bt @ t).backward()
        opt_t.step()
    np.testing.assert_allclose(x, t.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_update_is_pure():
    opt = _solvers.adam(0.1)
    p = np.array([1.0, 2.0])
    s0 = opt.init(p)
    u1, s1 = opt.update(np.array([0.5, -1.0]), s0, p)
    u2, _ = opt.update(np.array([0.5, -1.0]), s0, p)  # same state in, same update out
    np.testing.assert_array_equal(u1, u2)
    assert s0.step == 0 and s1.step == 1 and not np.any(s0.mu)


def test_newton_cg_solves_a_quadratic_like_numpy():
    rng = np.random.default_rng(1)
    M = rng.normal(size=(30, 30))
    A, b = M @ M.T + 0.5 * np.eye(30), rng.normal(size=30)

    def terms(x):
        return 0.5 * x @ A @ x - b @ x, A @ x - b, lambda v: A @ v, np.diag(A).copy()

    res = _solvers.newton_cg(terms, np.zeros(30), tol=1e-10, max_iter=100)
    assert res.success
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-8, atol=1e-9)


def test_minibatch_epochs_stop_early_on_a_flat_loss():
    calls = []

    def flat(coef, idx, fraction):
        calls.append(len(idx))
        return 1.0, np.zeros_like(coef)

    _, curve, state, converged = _solvers.minibatch_epochs(
        flat,
        np.zeros(3),
        10,
        solver="sgd",
        state=None,
        learning_rate=0.1,
        batch_size=4,
        n_epochs=100,
        rng=np.random.RandomState(0),
        tol=1e-4,
        stop_early=True,
    )
    # Epoch 1 sets the best loss; 10 more without improvement stop it.
    assert converged and len(curve) == 1 + _solvers.N_ITER_NO_CHANGE
    assert calls[:3] == [4, 4, 2] and state["epoch"] == len(curve)


def test_loss_goes_through_cores_fused_loss_and_gradient(monkeypatch):
    seen = []
    real = loss_module.cross_entropy_and_grad

    def spy(*args, **kwargs):
        seen.append(("public", kwargs.get("reduction")))
        return real(*args, **kwargs)

    monkeypatch.setattr(loss_module, "cross_entropy_and_grad", spy)
    core = loss_module._simd.core
    if core is not None:  # the blocks call the compiled core's fused kernel directly
        real_core = core.cross_entropy

        def core_spy(z, y, w, g, *rest):
            seen.append(("core", g is not None))
            return real_core(z, y, w, g, *rest)

        monkeypatch.setattr(core, "cross_entropy", core_spy)
        real_linear = core.linear_ce

        def linear_spy(x, wt, b, y, s, gt, *rest):  # logits, loss and gradient in one call
            seen.append(("core", gt is not None))
            return real_linear(x, wt, b, y, s, gt, *rest)

        monkeypatch.setattr(core, "linear_ce", linear_spy)
    X, y = load_iris(return_X_y=True)
    SoftmaxRegression(max_iter=500).fit(X, y)
    if core is None:
        assert seen and set(seen) == {("public", "none")}
    else:  # the loss and its gradient in one call of the kernel, never P - Y by hand
        assert ("core", True) in seen
        assert {kind for kind in seen if kind[0] == "public"} <= {("public", "none")}


def test_kernel_and_numpy_paths_give_the_same_objective_and_gradient():
    # The compiled core is built by the install; a core that failed to load fails here.
    from softmaxlab import kernels

    assert kernels.available(), kernels.show_config()
    rng = np.random.default_rng(2)
    X = rng.normal(size=(3000, 20))
    y = rng.integers(0, 10, size=3000)
    coef = rng.normal(scale=0.3, size=10 * 21)
    s = rng.uniform(0.5, 2.0, size=3000)
    kern = MultinomialLoss(10, backend="compiled").loss_gradient(coef, X, y, s, 1e-3)
    ref = MultinomialLoss(10, backend="numpy").loss_gradient(coef, X, y, s, 1e-3)
    assert kern[0] == pytest.approx(ref[0], rel=1e-12)
    np.testing.assert_allclose(kern[1], ref[1], rtol=1e-10, atol=1e-15)


def test_file_module_depends_on_the_estimator_not_the_reverse():
    def top_level_imports(module):
        tree = ast.parse(inspect.getsource(module))
        return {
            node.module
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module is not None
        }

    assert "_regression" in top_level_imports(_io)
    assert "_io" not in top_level_imports(_regression)
    # _io never sets attributes on the estimator itself: it goes through _from_state.
    source = inspect.getsource(_io)
    assert "model.coef_ =" not in source and "_validate_params" not in source


def test_persistence_protocol_round_trip():
    X, y = load_iris(return_X_y=True)
    clf = SoftmaxRegression(C=0.5, max_iter=300).fit(X, y)
    state = clf._get_state()
    back = SoftmaxRegression._from_state(clf.get_params(), state)
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))
    assert back.get_params() == clf.get_params()
    with pytest.raises(TypeError, match="fitted SoftmaxRegression"):
        SoftmaxRegression()._get_state()
    with pytest.raises(ValueError, match="'C' parameter"):
        SoftmaxRegression._from_state({"C": -1.0}, state)
