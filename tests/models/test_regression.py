"""SoftmaxRegression against scikit-learn's LogisticRegression and its own invariants.

The objective of every fitted model is evaluated here, independently of softmaxlab, with
SciPy's log_softmax: C * sum_i s_i CE_i + 0.5 * ||W||^2.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import softmax as scipy_softmax
from sklearn.datasets import load_digits, load_iris, load_wine, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from softmaxlab.models import SoftmaxRegression

LOADERS = {"iris": load_iris, "wine": load_wine, "digits": load_digits}


def sk_objective(W, b, X, y, C=1.0, s=None):
    z = np.asarray(X, dtype=np.float64) @ np.asarray(W, np.float64).T + b
    ce = -scipy_log_softmax(z, axis=1)[np.arange(len(y)), y]
    s = np.ones(len(y)) if s is None else s
    return float(C * np.dot(s, ce) + 0.5 * np.sum(np.square(W)))


def dataset(name):
    X, y = LOADERS[name](return_X_y=True)
    return StandardScaler().fit_transform(X), y


_REF: dict[str, LogisticRegression] = {}


def reference(name):
    if name not in _REF:
        X, y = dataset(name)
        _REF[name] = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X, y)
    return _REF[name]


@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
@pytest.mark.parametrize("solver", ["lbfgs", "newton-cg", "trust-ncg"])
def test_objective_equals_sklearn_optimum(name, solver):
    X, y = dataset(name)
    ref = reference(name)
    ours = SoftmaxRegression(C=1.0, solver=solver, tol=1e-10, max_iter=10_000).fit(X, y)
    f_ref = sk_objective(ref.coef_, ref.intercept_, X, y)
    f_ours = sk_objective(ours.coef_, ours.intercept_, X, y)
    assert abs(f_ours - f_ref) <= 1e-6 * f_ref
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-4, rtol=0)
    assert np.array_equal(ours.classes_, ref.classes_)
    assert abs(ours.intercept_.sum()) < 1e-12


def test_objective_equals_sklearn_on_generated_data():
    X, y = make_classification(
        n_samples=3000, n_features=30, n_informative=20, n_classes=6, random_state=0
    )
    ref = LogisticRegression(C=0.5, tol=1e-10, max_iter=10_000).fit(X, y)
    f_ref = sk_objective(ref.coef_, ref.intercept_, X, y, C=0.5)
    for solver in ("lbfgs", "newton-cg", "trust-ncg"):
        ours = SoftmaxRegression(C=0.5, solver=solver, tol=1e-10, max_iter=10_000).fit(X, y)
        f_ours = sk_objective(ours.coef_, ours.intercept_, X, y, C=0.5)
        assert abs(f_ours - f_ref) <= 1e-6 * f_ref, solver
        np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-4)


def test_sample_weight_and_class_weight_match_sklearn():
    X, y = dataset("wine")
    rng = np.random.default_rng(0)
    s = rng.uniform(0.2, 3.0, size=len(y))
    cw = {0: 1.0, 1: 2.5, 2: 0.5}
    ref = LogisticRegression(C=2.0, tol=1e-10, max_iter=10_000, class_weight=cw).fit(
        X, y, sample_weight=s
    )
    ours = SoftmaxRegression(C=2.0, tol=1e-10, max_iter=10_000, class_weight=cw).fit(
        X, y, sample_weight=s
    )
    eff = s * np.array([cw[c] for c in y])
    f_ref = sk_objective(ref.coef_, ref.intercept_, X, y, C=2.0, s=eff)
    f_ours = sk_objective(ours.coef_, ours.intercept_, X, y, C=2.0, s=eff)
    assert abs(f_ours - f_ref) <= 1e-6 * f_ref


def test_balanced_class_weight_matches_sklearn():
    X, y = dataset("wine")
    ref = LogisticRegression(tol=1e-10, max_iter=10_000, class_weight="balanced").fit(X, y)
    ours = SoftmaxRegression(tol=1e-10, max_iter=10_000, class_weight="balanced").fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)


def test_no_penalty_with_c_inf_matches_sklearn():
    # Overlapping classes: the unpenalised optimum exists.
    X, y = make_classification(
        n_samples=600,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        class_sep=0.3,
        flip_y=0.2,
        random_state=1,
    )
    ref = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X, y)
    for solver in ("lbfgs", "newton-cg", "trust-ncg"):
        ours = SoftmaxRegression(C=np.inf, solver=solver, tol=1e-10, max_iter=10_000).fit(X, y)
        np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)


def test_probabilities_are_softmax_of_decision_function():
    X, y = dataset("iris")
    m = SoftmaxRegression().fit(X, y)
    z = X @ m.coef_.T + m.intercept_
    np.testing.assert_allclose(m.decision_function(X), z, rtol=1e-12)
    np.testing.assert_allclose(m.predict_proba(X), scipy_softmax(z, axis=1), rtol=1e-12)
    np.testing.assert_allclose(
        m.predict_log_proba(X), scipy_log_softmax(z, axis=1), rtol=1e-12, atol=1e-14
    )
    assert np.array_equal(m.predict(X), m.classes_[np.argmax(z, axis=1)])


def test_binary_decision_function_is_one_dimensional():
    X, y = dataset("iris")
    mask = y > 0
    m = SoftmaxRegression().fit(X[mask], y[mask])
    d = m.decision_function(X[mask])
    assert d.shape == (mask.sum(),)
    assert np.array_equal(m.predict(X[mask]), np.where(d > 0, m.classes_[1], m.classes_[0]))


def test_string_labels():
    X, y = dataset("iris")
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    m = SoftmaxRegression().fit(X, names)
    assert list(m.classes_) == ["setosa", "versicolor", "virginica"]
    assert m.score(X, names) > 0.9


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cg", "trust-ncg"])
def test_float32_fit_keeps_float32_and_reaches_the_optimum(solver):
    X, y = dataset("digits")
    ref = reference("digits")
    # float32 logits limit how far the optimiser can go: about 1e-6 relative on digits.
    m = SoftmaxRegression(solver=solver, tol=1e-6, max_iter=10_000).fit(X.astype(np.float32), y)
    assert m.predict_proba(X.astype(np.float32)).dtype == np.float32
    f_ref = sk_objective(ref.coef_, ref.intercept_, X, y)
    f32 = sk_objective(m.coef_, m.intercept_, X, y)
    assert abs(f32 - f_ref) <= 2e-6 * f_ref
    # The objective is flat along some directions: 1e-6 in it is ~1e-3 in probabilities.
    np.testing.assert_allclose(m.predict_proba(X), ref.predict_proba(X), atol=1e-3)


def test_sparse_input_equals_dense():
    X, y = dataset("digits")
    Xd = np.where(np.abs(X) < 0.5, 0.0, X)
    dense = SoftmaxRegression(tol=1e-8, max_iter=5000).fit(Xd, y)
    sparse = SoftmaxRegression(tol=1e-8, max_iter=5000).fit(sp.csr_matrix(Xd), y)
    np.testing.assert_allclose(
        sparse.predict_proba(sp.csr_matrix(Xd)), dense.predict_proba(Xd), atol=1e-6
    )


def test_warm_start_starts_from_previous_solution():
    X, y = dataset("wine")
    m = SoftmaxRegression(tol=1e-10, max_iter=10_000, warm_start=True).fit(X, y)
    first = m.n_iter_
    m.fit(X, y)
    assert m.n_iter_ < first / 4
    cold = SoftmaxRegression(tol=1e-10, max_iter=10_000).fit(X, y)
    assert cold.n_iter_ == first


def test_convergence_warning_and_loss_curve():
    X, y = dataset("digits")
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        m = SoftmaxRegression(max_iter=3).fit(X, y)
    assert m.n_iter_ == 3
    assert len(m.loss_curve_) == 3
    assert m.loss_curve_[0] > m.loss_curve_[-1]


def test_adam_fit_approaches_the_optimum():
    X, y = dataset("iris")
    ref = reference("iris")
    m = SoftmaxRegression(
        solver="adam", learning_rate=0.05, batch_size=32, max_iter=400, tol=0.0, random_state=0
    )
    with pytest.warns(ConvergenceWarning):
        m.fit(X, y)
    f_ref = sk_objective(ref.coef_, ref.intercept_, X, y)
    f = sk_objective(m.coef_, m.intercept_, X, y)
    assert f >= f_ref * (1 - 1e-9)
    assert f - f_ref <= 2e-3 * f_ref


def test_partial_fit_over_shuffled_minibatches_approaches_the_optimum():
    # Streaming the data E times counts each sample E times: the fit it tends to is the
    # one on the data repeated E times, i.e. C * E on the data once.
    X, y = make_classification(
        n_samples=4000, n_features=10, n_informative=6, n_classes=4, flip_y=0.1, random_state=0
    )
    epochs = 3
    ref = LogisticRegression(C=1.0 * epochs, tol=1e-10, max_iter=10_000).fit(X, y)
    f_ref = sk_objective(ref.coef_, ref.intercept_, X, y, C=1.0 * epochs)
    m = SoftmaxRegression(solver="adam", learning_rate=0.01)
    rng = np.random.default_rng(0)
    gaps = []
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for chunk in np.array_split(order, 40):
            m.partial_fit(X[chunk], y[chunk], classes=np.arange(4))
        gaps.append(sk_objective(m.coef_, m.intercept_, X, y, C=1.0 * epochs) - f_ref)
    assert m.n_samples_seen_ == epochs * len(y)
    assert m.n_iter_ == 40 * epochs
    assert 0 <= gaps[-1] <= 0.01 * f_ref
    assert gaps[-1] < gaps[0]


def test_partial_fit_rejects_unknown_labels_and_needs_classes():
    X, y = dataset("iris")
    m = SoftmaxRegression(solver="sgd")
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        m.partial_fit(X, y)
    m.partial_fit(X[:10], y[:10], classes=[0, 1, 2])
    with pytest.raises(ValueError, match="labels not in classes_"):
        m.partial_fit(X[:3], np.array([0, 1, 7]))


def test_partial_fit_not_offered_by_batch_solvers():
    assert not hasattr(SoftmaxRegression(), "partial_fit")
    assert hasattr(SoftmaxRegression(solver="sgd"), "partial_fit")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"C": -1},
            "The 'C' parameter of SoftmaxRegression must be a float in the range "
            "(0.0, inf]. Got -1 instead.",
        ),
        ({"solver": "newton"}, "The 'solver' parameter of SoftmaxRegression must be a str among"),
        (
            {"max_iter": 0},
            "The 'max_iter' parameter of SoftmaxRegression must be an int in "
            "the range [1, inf). Got 0 instead.",
        ),
        ({"learning_rate": 0.0}, "The 'learning_rate' parameter of SoftmaxRegression"),
    ],
)
def test_parameter_errors(params, message):
    X, y = dataset("iris")
    with pytest.raises(ValueError) as info:
        SoftmaxRegression(**params).fit(X, y)
    assert message in str(info.value)


def test_single_class_error():
    with pytest.raises(ValueError, match="at least 2 classes"):
        SoftmaxRegression().fit(np.ones((5, 2)), np.zeros(5))


def test_verbose_shows_progress(capsys):
    X, y = dataset("iris")
    SoftmaxRegression(verbose=1, max_iter=500).fit(X, y)
    # The bar is transient; fitting with it must still give the same model.
    a = SoftmaxRegression(verbose=1, max_iter=500, tol=1e-8).fit(X, y)
    b = SoftmaxRegression(verbose=0, max_iter=500, tol=1e-8).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_newton_cg_on_sparse_and_without_intercept_matches_sklearn():
    X, y = dataset("wine")
    Xs = sp.csr_matrix(np.where(np.abs(X) < 0.4, 0.0, X))
    ref = LogisticRegression(tol=1e-10, max_iter=10_000, fit_intercept=False).fit(Xs, y)
    m = SoftmaxRegression(solver="newton-cg", tol=1e-10, fit_intercept=False).fit(Xs, y)
    f_ref = sk_objective(ref.coef_, 0.0, Xs.toarray(), y)
    assert abs(sk_objective(m.coef_, 0.0, Xs.toarray(), y) - f_ref) <= 1e-6 * f_ref
    np.testing.assert_allclose(m.intercept_, 0.0)


@pytest.mark.slow  # about 45 s on one thread: both sides use Newton-CG at tol 1e-7
def test_objective_equals_sklearn_on_the_200k_set():
    X, y = make_classification(
        n_samples=200_000, n_features=100, n_informative=60, n_classes=20, random_state=0
    )
    ref = LogisticRegression(solver="newton-cg", tol=1e-7, max_iter=1000).fit(X, y)
    ours = SoftmaxRegression(solver="newton-cg", tol=1e-7, max_iter=1000).fit(X, y)
    f_ref = sk_objective(ref.coef_, ref.intercept_, X, y)
    f_ours = sk_objective(ours.coef_, ours.intercept_, X, y)
    assert abs(f_ours - f_ref) <= 1e-6 * f_ref
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-4, rtol=0)
