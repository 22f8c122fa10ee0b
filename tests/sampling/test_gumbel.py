"""gumbel_softmax: the argmax follows softmax(logits); shapes, hard one-hot, special values."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import chisquare

from softmaxlab import SoftmaxLabError
from softmaxlab.sampling import gumbel_softmax

LOGITS = np.array([1.0, 0.2, -0.5, 2.0, 0.0])


def test_argmax_frequencies_follow_softmax_chi_square() -> None:
    # Gumbel-max: argmax of the relaxed sample is a draw from softmax(logits), for any tau.
    n = 20_000
    y = gumbel_softmax(np.tile(LOGITS, (n, 1)), tau=2.0, rng=99)
    counts = np.bincount(np.argmax(y, axis=1), minlength=LOGITS.size)
    e = np.exp(LOGITS)  # independent reference for the target distribution
    assert chisquare(counts, e / e.sum() * n).pvalue > 1e-3


def test_mean_matches_torch_gumbel_softmax_statistically() -> None:
    # torch draws its own noise, so compare the two distributions through their means.
    n = 40_000
    ours = gumbel_softmax(np.tile(LOGITS, (n, 1)), tau=0.7, rng=5).mean(axis=0)
    torch.manual_seed(5)
    theirs = torch.nn.functional.gumbel_softmax(
        torch.tensor(np.tile(LOGITS, (n, 1))), tau=0.7
    ).mean(dim=0)
    # Each coordinate lies in [0, 1], so its standard error is at most 0.5 / sqrt(n) = 0.0025.
    np.testing.assert_allclose(ours, theirs.numpy(), atol=0.015)


def test_rows_sum_to_one_and_hard_is_one_hot_of_soft_argmax() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 7))
    soft = gumbel_softmax(x, tau=0.5, rng=1)
    hard = gumbel_softmax(x, tau=0.5, hard=True, rng=1)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0, rtol=1e-12)
    assert set(np.unique(hard)) == {0.0, 1.0}
    assert (hard.sum(axis=1) == 1).all()
    assert (np.argmax(hard, axis=1) == np.argmax(soft, axis=1)).all()


def test_small_tau_is_nearly_one_hot_and_large_tau_nearly_uniform() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 6))
    assert gumbel_softmax(x, tau=1e-3, rng=2).max(axis=1).min() > 0.999
    assert np.ptp(gumbel_softmax(x, tau=1e4, rng=2), axis=1).max() < 1e-2


def test_axis_dtype_and_special_values() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 6)).astype(np.float32)
    y = gumbel_softmax(x, axis=0, rng=3)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.sum(axis=0), 1.0, rtol=1e-6)
    z = np.array([[0.0, -np.inf, 1.0], [np.nan, 0.0, 0.0], [-np.inf, -np.inf, -np.inf]])
    soft = gumbel_softmax(z, rng=0)
    hard = gumbel_softmax(z, hard=True, rng=0)
    assert soft[0, 1] == 0.0 and hard[0, 1] == 0.0
    assert np.isnan(soft[1:]).all() and np.isnan(hard[1:]).all()


def test_invalid_arguments() -> None:
    with pytest.raises(SoftmaxLabError, match="The 'tau' parameter of gumbel_softmax"):
        gumbel_softmax(LOGITS, tau=0.0)
    with pytest.raises(SoftmaxLabError, match="'hard'"):
        gumbel_softmax(LOGITS, hard="yes")
    with pytest.raises(ValueError, match="at least 1-D"):
        gumbel_softmax(1.0)
