"""The train workflow (split → fit → calibrate → score) shared by ``softmaxlab train`` and the
explorer, checked against scikit-learn and SciPy, and honest calibration (issue 14)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import softmax as scipy_softmax
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_digits, load_iris, load_wine
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from softmaxlab.models import TemperatureScaling, objective, run_training
from softmaxlab.models._workflow import TEMPERATURE_RANGE, split_data

LOADERS = {"iris": load_iris, "wine": load_wine, "digits": load_digits}
# The explorer's defaults: 60 / 20 / 20 %, C = 1, 200 iterations, seed 0.
EXPLORER = {"test_size": 0.2, "calibration_size": 0.25, "C": 1.0, "max_iter": 200, "seed": 0}


def data(name):
    return LOADERS[name](return_X_y=True)


def sk_split(X, y, test_size, calibration_size, seed):
    """The documented split, written with scikit-learn directly."""
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    X_train, X_cal, y_train, y_cal = train_test_split(
        X_rest, y_rest, test_size=calibration_size, random_state=seed, stratify=y_rest
    )
    return X_train, X_cal, X_test, y_train, y_cal, y_test


def logits(model, X):
    return X @ model.coef_.T + model.intercept_


@pytest.mark.parametrize("name", ["iris", "wine"])
def test_separable_validation_sets_stop_at_the_bound_with_a_warning(name):
    # Issue 14: the explorer calibrated iris and wine to T = 4.5e-5 and showed log-loss inf.
    X, y = data(name)
    r = run_training(X, y, **EXPLORER)
    _, X_cal, X_test, _, y_cal, y_test = sk_split(X, y, 0.2, 0.25, 0)
    # Independently: the model classifies every validation sample correctly, so the NLL
    # decreases all the way to T -> 0 and only the range stops it.
    z_cal = logits(r.model, X_cal)
    assert np.all(np.argmax(z_cal, axis=1) == y_cal)
    assert r.temperature == TEMPERATURE_RANGE[0] == 0.05
    assert r.temperature_warning == "lower"
    # The reported losses are finite and equal SciPy's on the test logits.
    z_test = logits(r.model, X_test)
    rows = np.arange(len(y_test))
    for value, T in zip(r.metrics["log-loss"], (1.0, r.temperature), strict=True):
        expected = -np.mean(scipy_log_softmax(z_test / T, axis=1)[rows, y_test])
        assert np.isfinite(value)
        # log p = z - logsumexp(z): absolute rounding of the logits' size (~1e3 eps here).
        assert value == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_a_non_separable_validation_set_gets_sklearns_temperature():
    X, y = data("digits")
    r = run_training(X, y, **EXPLORER)
    assert r.temperature_warning is None
    assert TEMPERATURE_RANGE[0] < r.temperature < TEMPERATURE_RANGE[1]
    _, X_cal, _, _, y_cal, _ = sk_split(X, y, 0.2, 0.25, 0)
    cal = CalibratedClassifierCV(FrozenEstimator(r.model), method="temperature").fit(X_cal, y_cal)
    expected = 1.0 / float(cal.calibrated_classifiers_[0].calibrators[0].beta_)
    assert r.temperature == pytest.approx(expected, rel=1e-6)


def test_temperature_range_bounds_and_says_which_end():
    z = np.array([[4.0, 0.0], [0.0, 4.0], [3.0, 1.0]])
    # Separable: the NLL only decreases as T -> 0.
    ts = TemperatureScaling(temperature_range=(0.1, 10.0)).fit(z, [0, 1, 0])
    assert (ts.temperature_, ts.at_bound_) == (0.1, "lower")
    # Every sample on the wrong side: T -> inf is best (uniform probabilities).
    ts = TemperatureScaling(temperature_range=(0.1, 10.0)).fit(z, [1, 0, 1])
    assert ts.temperature_ == pytest.approx(10.0) and ts.at_bound_ == "upper"
    # Interior optimum: the same as without a range.
    y = [0, 1, 1]
    a = TemperatureScaling(temperature_range=(0.1, 10.0)).fit(z, y)
    b = TemperatureScaling().fit(z, y)
    assert a.at_bound_ is None and b.at_bound_ is None
    assert a.temperature_ == pytest.approx(b.temperature_, rel=1e-12)


@pytest.mark.parametrize("bad", [(1.0,), (2.0, 1.0), (0.0, 1.0), (0.1, np.inf), (True, 2.0)])
def test_temperature_range_is_checked(bad):
    with pytest.raises(ValueError, match="'temperature_range' parameter of TemperatureScaling"):
        TemperatureScaling(temperature_range=bad).fit(np.eye(2), [0, 1])


@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
def test_split_scaling_fit_and_scores_match_sklearn(name):
    X, y = data(name)
    r = run_training(X, y, C=1.0, max_iter=2000, test_size=0.25, calibration_size=0.2, seed=3)
    X_train, _, X_test, y_train, y_cal, y_test = sk_split(X, y, 0.25, 0.2, 3)
    assert (r.n_train, r.n_calibration, r.n_test) == (len(y_train), len(y_cal), len(y_test))
    # Standardisation fitted on the training part only, folded into the coefficients: the
    # model on raw features is sklearn's LogisticRegression on StandardScaler features, up to
    # the default tol=1e-4 of the fit (objective gaps 1.5e-6 iris, 4e-6 wine, 5e-4 digits).
    scaler = StandardScaler().fit(X_train)
    Xs = scaler.transform(X_train)
    ref = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(Xs, y_train)
    W_std = r.model.coef_ * scaler.scale_
    b_std = r.model.intercept_ + r.model.coef_ @ scaler.mean_
    y_enc = np.searchsorted(np.unique(y), y_train)
    f_ours = objective(W_std, b_std, Xs, y_enc)
    f_ref = objective(ref.coef_, ref.intercept_, Xs, y_enc)
    assert f_ref <= f_ours <= f_ref * (1 + 1e-3)
    p_ref = ref.predict_proba(scaler.transform(X_test))
    atol = {"iris": 2e-3, "wine": 2e-3, "digits": 5e-2}[name]  # digits stops earliest
    np.testing.assert_allclose(r.proba_test, p_ref, atol=atol)
    # Scores of the uncalibrated model against sklearn's metrics on its own probabilities.
    y_idx = np.searchsorted(np.unique(y), y_test)
    np.testing.assert_array_equal(r.y_test_index, y_idx)
    pred = np.argmax(r.proba_test, axis=1)
    np.testing.assert_array_equal(r.confusion, confusion_matrix(y_idx, pred))
    assert r.metrics["accuracy"][0] == pytest.approx(np.mean(pred == y_idx))
    k = r.proba_test.shape[1]
    onehot = np.eye(k)[y_idx]
    brier = np.mean(np.sum((r.proba_test - onehot) ** 2, axis=1))
    assert r.metrics["Brier score"][0] == pytest.approx(brier, rel=1e-9)
    if k == 2:  # sklearn's binary Brier is half the multiclass sum
        assert brier == pytest.approx(2 * brier_score_loss(y_idx, r.proba_test[:, 1]))
    # The calibrated probabilities are softmax(z / T) of the same model.
    z = logits(r.model, X_test)
    np.testing.assert_allclose(
        r.proba_test_calibrated, scipy_softmax(z / r.temperature, axis=1), rtol=1e-10, atol=1e-15
    )
    # Temperature scaling never changes the winner.
    assert r.metrics["accuracy"][0] == r.metrics["accuracy"][1]


def test_split_is_stratified_only_when_every_class_has_three_samples():
    X = np.arange(40.0).reshape(20, 2)
    y = np.array([0] * 10 + [1] * 8 + [2] * 2)
    sp = split_data(X, y, test_size=0.25, calibration_size=0.2, seed=0)
    assert len(sp.y_train) + len(sp.y_cal) + len(sp.y_test) == 20
    with pytest.raises(ValueError, match="single class"):
        split_data(X, np.zeros(20), test_size=0.25, calibration_size=0.2, seed=0)
    # A constant feature keeps scale 1 (no division by zero).
    Xc = np.column_stack([np.ones(20), np.arange(20.0)])
    sp = split_data(Xc, np.arange(20) % 2, test_size=0.25, calibration_size=0.2, seed=0)
    assert sp.scale[0] == 1.0 and np.all(np.isfinite(sp.standardise(Xc)))


def test_stages_are_reported_in_order_and_convergence_is_recorded():
    X, y = data("digits")
    seen = []
    with pytest.warns(Warning, match="did not converge"):
        r = run_training(X, y, C=100.0, max_iter=3, on_stage=seen.append)
    assert seen == ["split", "fit", "calibrate", "score"]
    assert r.converged is False
    r = run_training(X[:300], y[:300], max_iter=1000)
    assert r.converged is True
