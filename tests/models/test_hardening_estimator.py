"""Issue 11, estimators: a failed ``fit``/``partial_fit`` changes nothing, ``save`` refuses an
inconsistent estimator, huge sample weights fit correctly, and TemperatureScaling refuses
empty input, bad weights and logits of another class count.

References: scikit-learn's ``LogisticRegression`` (the same objective), and the identity
``C * sum(s_i CE_i)`` = ``(C * a) * sum((s_i / a) CE_i)`` for weights scaled by ``a``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from softmaxlab import SoftmaxLabError
from softmaxlab.models import (
    SoftmaxRegression,
    TemperatureScaling,
    _regression,
    load_model,
    save_model,
)


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return (X - X.mean(0)) / X.std(0), y


def fitted_state(model):
    return {
        k: (v.copy() if isinstance(v, np.ndarray) else v)
        for k, v in vars(model).items()
        if k.endswith("_")
    }


def assert_same_state(model, before):
    after = fitted_state(model)
    assert set(after) == set(before)
    for k, v in before.items():
        if isinstance(v, np.ndarray):
            np.testing.assert_array_equal(after[k], v, err_msg=k)
        else:
            assert after[k] == v, k


# ------------------------------------------------------- a failed fit leaves the old model
BAD_FITS = [
    ("NaN in X", lambda X, y: (np.where(X > 2, np.nan, X), y, None), "NaN"),
    ("new labels, wrong weights", lambda X, y: (X, y + 10, np.ones(3)), "'sample_weight'"),
    ("one class", lambda X, y: (X, np.zeros_like(y), None), "at least 2 classes"),
    ("negative weights", lambda X, y: (X, y, -np.ones(len(y))), "'sample_weight'"),
    ("inf weight", lambda X, y: (X, y, np.r_[np.inf, np.ones(len(y) - 1)]), "'sample_weight'"),
    ("NaN weight", lambda X, y: (X, y, np.r_[np.nan, np.ones(len(y) - 1)]), "'sample_weight'"),
    ("all-zero weights", lambda X, y: (X, y, np.zeros(len(y))), "'sample_weight'"),
    ("other width, bad weights", lambda X, y: (X[:, :2], y, np.ones(2)), "'sample_weight'"),
    ("ragged y", lambda X, y: (X[:2], [[0], [1, 2]], None), None),
    ("strings in X", lambda X, y: (np.array([["a", "b"], ["c", "d"]]), [0, 1], None), None),
]


@pytest.mark.parametrize(("what", "make", "fragment"), BAD_FITS, ids=[c[0] for c in BAD_FITS])
def test_failed_fit_keeps_the_previous_model(tmp_path, iris, what, make, fragment):
    X, y = iris
    clf = SoftmaxRegression(max_iter=200).fit(X, y)
    before = fitted_state(clf)
    Xb, yb, sw = make(X, y)
    with pytest.raises(ValueError) as info:
        clf.fit(Xb, yb, sample_weight=sw)
    if fragment is not None:
        assert fragment in str(info.value), str(info.value)
    assert_same_state(clf, before)
    p = clf.save(tmp_path / "m.npz")  # still consistent: saved and read back
    np.testing.assert_array_equal(load_model(p).model.predict(X), clf.predict(X))


def test_failing_solver_keeps_the_previous_model(iris, monkeypatch):
    X, y = iris
    clf = SoftmaxRegression(max_iter=200).fit(X, y)
    before = fitted_state(clf)

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(_regression, "lbfgs", broken)
    with pytest.raises(RuntimeError, match="solver crashed"):
        clf.fit(X, np.where(y == 2, 5, y))  # other classes_: must not stay
    assert_same_state(clf, before)


def test_failed_first_fit_leaves_an_unfitted_estimator(iris):
    X, y = iris
    clf = SoftmaxRegression()
    with pytest.raises(ValueError):
        clf.fit(X, np.zeros_like(y))
    assert fitted_state(clf) == {}
    assert clf.fit(X, y).score(X, y) > 0.9  # and usable afterwards


# ----------------------------------------------------- save refuses inconsistent estimators
@pytest.mark.parametrize(
    ("what", "corrupt"),
    [
        ("classes_ shortened", lambda m: setattr(m, "classes_", m.classes_[:2])),
        ("coef_ of other width", lambda m: setattr(m, "coef_", m.coef_[:, :2])),
        ("intercept_ too long", lambda m: setattr(m, "intercept_", np.zeros(5))),
        ("NaN in coef_", lambda m: m.coef_.__setitem__((0, 0), np.nan)),
        ("duplicate classes_", lambda m: setattr(m, "classes_", np.array([0, 0, 1]))),
        (
            "feature names of other length",
            lambda m: setattr(m, "feature_names_in_", np.array(["a"], dtype=object)),
        ),
    ],
)
def test_save_refuses_an_inconsistent_estimator(tmp_path, iris, what, corrupt):
    X, y = iris
    clf = SoftmaxRegression(max_iter=200).fit(X, y)
    p = clf.save(tmp_path / "good.npz")
    good = p.read_bytes()
    corrupt(clf)
    with pytest.raises(ValueError, match="The 'model' parameter of save_model must be"):
        clf.save(p)
    assert p.read_bytes() == good  # the good file is kept
    load_model(p)


# ------------------------------------------------------------------ huge sample weights
def test_huge_sample_weights_fit_like_scaled_c(iris):
    """Weights 1e308 with C = 1e-300 are the objective of weights 1 with C = 1e8."""
    X, y = iris
    ref = SoftmaxRegression(C=1e8, max_iter=2000, tol=1e-10).fit(X, y)
    with np.errstate(all="raise"):
        huge = SoftmaxRegression(C=1e-300, max_iter=2000, tol=1e-10).fit(
            X, y, sample_weight=np.full(len(y), 1e308)
        )
    np.testing.assert_allclose(huge.coef_, ref.coef_, rtol=1e-4, atol=1e-4)
    assert np.abs(huge.coef_).max() > 1  # not the all-zero answer


def test_weighted_fit_matches_sklearn_with_large_weights(iris):
    X, y = iris
    w = np.linspace(1, 2, len(y)) * 1e200
    ours = SoftmaxRegression(C=1e-200, max_iter=2000, tol=1e-10).fit(X, y, sample_weight=w)
    ref = LogisticRegression(C=1.0, max_iter=5000, tol=1e-10).fit(X, y, sample_weight=w / 1e200)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=2e-3)


# --------------------------------------------------------------------------- partial_fit
def test_partial_fit_with_one_class_is_the_template_and_not_stuck(iris):
    X, y = iris
    clf = SoftmaxRegression(solver="sgd", random_state=0)
    with pytest.raises(SoftmaxLabError, match="The 'classes' parameter of") as info:
        clf.partial_fit(X, np.zeros_like(y), classes=[0])
    assert "n_classes" not in str(info.value)
    assert fitted_state(clf) == {}
    clf.partial_fit(X, y, classes=[0, 1, 2])  # not stuck: a good first call works
    assert clf.classes_.tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    ("X_bad", "y_bad", "classes"),
    [
        (np.full((3, 4), np.nan), [0, 1, 2], [0, 1, 2]),
        (np.zeros((3, 4)), [0, 1, 7], [0, 1, 2]),
        (np.zeros((3, 4)), [0, 1, 2], None),
        (np.zeros((3, 4)), [0, 1, 2], [[0, 1], [2, 3]]),
    ],
)
def test_failed_first_partial_fit_leaves_a_usable_estimator(iris, X_bad, y_bad, classes):
    X, y = iris
    clf = SoftmaxRegression(solver="adam", random_state=0)
    with pytest.raises(ValueError):
        clf.partial_fit(X_bad, y_bad, classes=classes)
    assert fitted_state(clf) == {}
    clf.partial_fit(X, y, classes=[0, 1, 2])
    assert clf.coef_.shape == (3, 4)


def test_failed_later_partial_fit_changes_nothing(iris):
    X, y = iris
    clf = SoftmaxRegression(solver="sgd", random_state=0).partial_fit(X, y, classes=[0, 1, 2])
    before = fitted_state(clf)
    with pytest.raises(ValueError):
        clf.partial_fit(X, np.where(y == 2, 9, y))
    assert_same_state(clf, before)
    again = SoftmaxRegression(solver="sgd", random_state=0).partial_fit(X, y, classes=[0, 1, 2])
    np.testing.assert_array_equal(clf.partial_fit(X, y).coef_, again.partial_fit(X, y).coef_)


# --------------------------------------------------------------------- TemperatureScaling
LOGITS = np.array([[4.0, 0.0, 1.0], [4.0, 0.0, 0.5], [0.0, 4.0, 1.0], [0.0, 4.0, 3.0]])
LABELS = np.array([0, 1, 1, 2])

BAD_CALIBRATION = [
    ("empty logits", np.zeros((0, 3)), np.zeros(0, int), None, "'X'"),
    ("negative weights", LOGITS, LABELS, [1, -1, 1, 1], "'sample_weight'"),
    ("all-zero weights", LOGITS, LABELS, [0, 0, 0, 0], "'sample_weight'"),
    ("inf weight", LOGITS, LABELS, [1, np.inf, 1, 1], "'sample_weight'"),
    ("NaN weight", LOGITS, LABELS, [1, np.nan, 1, 1], "'sample_weight'"),
    ("weights of other length", LOGITS, LABELS, [1, 1], "'sample_weight'"),
    ("labels out of range", LOGITS, [0, 1, 2, 3], None, "'y'"),
    ("labels of other length", LOGITS, [0, 1], None, "'y'"),
    ("one column", LOGITS[:, :1], LABELS, None, "n_classes >= 2"),
]


@pytest.mark.parametrize(
    ("what", "z", "labels", "w", "fragment"), BAD_CALIBRATION, ids=[c[0] for c in BAD_CALIBRATION]
)
def test_temperature_scaling_bad_input_matrix(what, z, labels, w, fragment):
    ts = TemperatureScaling().fit(LOGITS, LABELS)
    before = ts.temperature_
    with pytest.raises(SoftmaxLabError) as info:
        ts.fit(z, labels, sample_weight=w)
    assert fragment in str(info.value), str(info.value)
    assert ts.temperature_ == before  # the previous fit is kept


def test_temperature_scaling_refuses_another_class_count():
    ts = TemperatureScaling().fit(LOGITS, LABELS)
    for method in (ts.predict_proba, ts.predict_log_proba, ts.predict, ts.transform):
        with pytest.raises(SoftmaxLabError, match="logits with 3 columns") as info:
            method(np.zeros((2, 4)))
        assert "Got logits with 4 columns instead" in str(info.value)
    assert ts.predict_proba(LOGITS[:1]).shape == (1, 3)  # the neighbour: same count works


def test_temperature_scaling_weights_are_scale_free():
    """The NLL's minimiser does not depend on a common factor of the weights (even 1e300)."""
    w = np.array([1.0, 2.0, 3.0, 1.0])
    t1 = TemperatureScaling().fit(LOGITS, LABELS, sample_weight=w).temperature_
    with np.errstate(all="raise"):
        t2 = TemperatureScaling().fit(LOGITS, LABELS, sample_weight=w * 1e300).temperature_
    assert t2 == pytest.approx(t1, rel=1e-12)
    # Integer weights equal repeated rows (an independent check of the weighting).
    rep = TemperatureScaling().fit(
        np.repeat(LOGITS, [1, 2, 3, 1], 0), np.repeat(LABELS, [1, 2, 3, 1])
    )
    assert rep.temperature_ == pytest.approx(t1, rel=1e-10)


def test_saved_temperature_must_be_valid(tmp_path, iris):
    X, y = iris
    clf = SoftmaxRegression(max_iter=200).fit(X, y)
    p = save_model(tmp_path / "t.npz", clf, temperature=np.float64(2.0))
    assert load_model(p).temperature == 2.0


# ------------------------------------------------------------------ the train workflow
def test_run_training_refuses_a_split_without_training_samples_of_a_class(iris):
    import warnings

    from softmaxlab.models import run_training

    X, y = iris
    X = np.vstack([X, [[5.0, 5.0, 5.0, 5.0]]])
    y = np.append(y, 3)  # one sample of class 3
    with pytest.raises(ValueError, match="class 3 has 1 sample and the split"):
        run_training(X, y, seed=14, max_iter=50)  # seed 14 puts it outside training
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = run_training(X, y, seed=15, max_iter=50)  # the neighbour: it trains
    assert r.classes == [0, 1, 2, 3]
