"""Calibration metrics against direct loops over Guo et al.'s definition and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss
from sklearn.metrics import log_loss as sk_log_loss

from softmaxlab.models import (
    brier_score,
    expected_calibration_error,
    log_loss,
    maximum_calibration_error,
    reliability_bins,
)


def random_probs(seed, n=500, k=4):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(k) * 0.5, size=n)
    y = np.array([rng.choice(k, p=row) if rng.uniform() < 0.7 else rng.integers(k) for row in p])
    return y, p


def ece_loop(y, p, n_bins):
    """Guo et al.: bins ((m-1)/M, m/M], written as a plain loop."""
    conf = p.max(axis=1)
    pred = p.argmax(axis=1)
    n = len(y)
    ece, mce = 0.0, 0.0
    for m in range(1, n_bins + 1):
        lo, hi = (m - 1) / n_bins, m / n_bins
        inside = [i for i in range(n) if (lo < conf[i] <= hi) or (m == 1 and conf[i] == 0)]
        if not inside:
            continue
        acc = np.mean([pred[i] == y[i] for i in inside])
        cf = np.mean([conf[i] for i in inside])
        ece += len(inside) / n * abs(acc - cf)
        mce = max(mce, abs(acc - cf))
    return ece, mce


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_bins", [1, 10, 15])
def test_ece_and_mce_match_the_definition(seed, n_bins):
    y, p = random_probs(seed)
    ece, mce = ece_loop(y, p, n_bins)
    assert expected_calibration_error(y, p, n_bins=n_bins) == pytest.approx(ece, abs=1e-14)
    assert maximum_calibration_error(y, p, n_bins=n_bins) == pytest.approx(mce, abs=1e-14)


def test_default_is_15_bins_and_right_closed():
    # 0.6 and 0.8 sit on edges of 5 bins (0.2 wide): they belong to the bins they close.
    p = np.array([[0.6, 0.4], [0.8, 0.2]])
    b = reliability_bins([0, 0], p, n_bins=5)
    assert b.counts.tolist() == [0, 0, 1, 1, 0]  # (0.4, 0.6] and (0.6, 0.8]
    # 0.61 (right) and 0.69 (wrong) share a bin of 10, not of 15 (edge at 2/3).
    q = np.array([[0.61, 0.39], [0.69, 0.31]])
    y = np.array([0, 1])
    assert expected_calibration_error(y, q) == pytest.approx((0.39 + 0.69) / 2, abs=1e-15)
    assert expected_calibration_error(y, q, n_bins=10) == pytest.approx(0.15, abs=1e-15)


def test_perfectly_calibrated_and_worst_cases():
    p = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert expected_calibration_error([0, 1], p) == 0.0
    assert expected_calibration_error([1, 0], p) == 1.0
    assert maximum_calibration_error([1, 0], p) == 1.0


def test_sample_weight_equals_repetition():
    y, p = random_probs(7, n=50)
    w = np.random.default_rng(8).integers(0, 4, size=50)
    rep_y, rep_p = np.repeat(y, w), np.repeat(p, w, axis=0)
    for f in (expected_calibration_error, maximum_calibration_error, brier_score, log_loss):
        assert f(y, p, sample_weight=w) == pytest.approx(f(rep_y, rep_p), rel=1e-12)


def test_brier_and_log_loss_match_sklearn():
    y, p = random_probs(9)
    assert brier_score(y, p) == pytest.approx(
        brier_score_loss(y, p, labels=[0, 1, 2, 3], scale_by_half=False), rel=1e-12
    )
    assert log_loss(y, p) == pytest.approx(sk_log_loss(y, p, labels=[0, 1, 2, 3]), rel=1e-9)


def test_log_loss_of_zero_probability_is_inf():
    assert log_loss([1], [[1.0, 0.0]]) == np.inf


@pytest.mark.parametrize(
    ("y", "p", "match"),
    [
        ([0, 1], [0.5, 0.5], "2-D array"),
        ([0, 2], [[0.5, 0.5], [0.5, 0.5]], "class indices in \\[0, 1\\]"),
        ([0.0, 1.0], [[0.5, 0.5], [0.5, 0.5]], "integer class indices"),
        ([0, 1], [[1.5, -0.5], [0.5, 0.5]], "probabilities in \\[0, 1\\]"),
        ([0], [[0.5, 0.5], [0.5, 0.5]], "one entry per row"),
    ],
)
def test_errors(y, p, match):
    with pytest.raises(ValueError, match=match):
        expected_calibration_error(y, p)


def test_bad_n_bins():
    with pytest.raises(ValueError, match="'n_bins' parameter of reliability_bins"):
        expected_calibration_error([0], [[1.0, 0.0]], n_bins=0)
