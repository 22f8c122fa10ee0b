"""TemperatureScaling against scikit-learn's CalibratedClassifierCV(method="temperature")
and an independent SciPy minimisation of the NLL."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import softmax as scipy_softmax
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_digits, make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from softmaxlab.models import SoftmaxRegression, TemperatureScaling, expected_calibration_error


def digits_split():
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return train_test_split(X, y, test_size=0.5, random_state=0, stratify=y)


def sklearn_temperature(clf, X, y, sample_weight=None):
    cal = CalibratedClassifierCV(FrozenEstimator(clf), method="temperature")
    cal.fit(X, y, sample_weight=sample_weight)
    return 1.0 / float(cal.calibrated_classifiers_[0].calibrators[0].beta_)


@pytest.mark.parametrize("base", ["sklearn", "softmaxlab"])
def test_temperature_matches_sklearn(base):
    Xtr, Xcal, ytr, ycal = digits_split()
    # Weak regularisation: an overconfident model, T > 1.
    if base == "sklearn":
        clf = LogisticRegression(C=100.0, max_iter=5000).fit(Xtr, ytr)
    else:
        clf = SoftmaxRegression(C=100.0, max_iter=5000).fit(Xtr, ytr)
    expected = sklearn_temperature(clf, Xcal, ycal)
    ts = TemperatureScaling(clf).fit(Xcal, ycal)
    assert expected > 1.0
    assert ts.temperature_ == pytest.approx(expected, rel=1e-6)


@pytest.mark.filterwarnings("ignore:Since FrozenEstimator does not appear to accept")
def test_temperature_matches_sklearn_with_sample_weight():
    Xtr, Xcal, ytr, ycal = digits_split()
    clf = LogisticRegression(C=10.0, max_iter=5000).fit(Xtr, ytr)
    s = np.random.default_rng(0).uniform(0.1, 3.0, size=len(ycal))
    expected = sklearn_temperature(clf, Xcal, ycal, sample_weight=s)
    ts = TemperatureScaling(clf).fit(Xcal, ycal, sample_weight=s)
    assert ts.temperature_ == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_temperature_minimises_the_nll(seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=3.0, size=(300, 5))
    y = np.where(rng.uniform(size=300) < 0.6, z.argmax(axis=1), rng.integers(0, 5, size=300))

    def nll(t):
        return -scipy_log_softmax(z / t, axis=1)[np.arange(300), y].mean()

    ref = minimize_scalar(nll, bounds=(1e-3, 1e3), method="bounded", options={"xatol": 1e-12}).x
    ts = TemperatureScaling().fit(z, y)
    assert ts.temperature_ == pytest.approx(ref, rel=1e-6)
    np.testing.assert_allclose(ts.predict_proba(z), scipy_softmax(z / ref, axis=1), atol=1e-8)
    assert np.array_equal(ts.predict(z), z.argmax(axis=1))
    np.testing.assert_allclose(ts.transform(z), ts.predict_proba(z))


def test_calibration_lowers_ece_on_held_out_data():
    X, y = make_classification(
        n_samples=6000, n_features=40, n_informative=10, n_classes=4, flip_y=0.05, random_state=0
    )
    Xtr, Xrest, ytr, yrest = train_test_split(X, y, test_size=0.6, random_state=0)
    Xcal, Xte, ycal, yte = train_test_split(Xrest, yrest, test_size=0.5, random_state=0)
    clf = SoftmaxRegression(C=1e4, max_iter=2000).fit(Xtr[:300], ytr[:300])  # overfitted
    ts = TemperatureScaling(clf).fit(Xcal, ycal)
    before = expected_calibration_error(yte, clf.predict_proba(Xte))
    after = expected_calibration_error(yte, ts.predict_proba(Xte))
    assert ts.temperature_ > 1.0
    assert after < before / 2


def test_separable_logits_hit_the_bound():
    z = np.array([[5.0, -5.0], [-5.0, 5.0]])
    ts = TemperatureScaling().fit(z, [0, 1])
    assert ts.temperature_ == pytest.approx(np.exp(-10.0))
    assert np.all(np.isfinite(ts.predict_proba(z)))


def test_binary_decision_function_is_sigmoid_logits():
    rng = np.random.default_rng(3)
    d = rng.normal(scale=2.0, size=200)
    y = (d + rng.normal(size=200) > 0).astype(int)
    a = TemperatureScaling().fit(d, y).temperature_
    b = TemperatureScaling().fit(np.column_stack([np.zeros(200), d]), y).temperature_
    assert a == b


def test_errors():
    with pytest.raises(ValueError, match="class indices in \\[0, 1\\]"):
        TemperatureScaling().fit(np.zeros((3, 2)), [0, 1, 2])
    with pytest.raises(ValueError, match="finite logits"):
        TemperatureScaling().fit(np.array([[np.nan, 0.0]]), [0])
    with pytest.raises(ValueError, match="one label per row"):
        TemperatureScaling().fit(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match="estimator' parameter of TemperatureScaling"):
        TemperatureScaling(estimator="nope").fit(np.zeros((3, 2)), [0, 1, 0])
