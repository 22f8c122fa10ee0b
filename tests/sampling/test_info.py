"""entropy, effective_num_choices, perplexity and top_k against scipy, mpmath and torch."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
import scipy.stats
import torch

from softmaxlab import SoftmaxLabError
from softmaxlab.sampling import effective_num_choices, entropy, perplexity, top_k
from tests._support.mpref import ref_entropy


def test_entropy_matches_scipy_from_logits_and_probs() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(scale=3.0, size=(20, 15))
    p = scipy.special.softmax(x, axis=1)
    ref = scipy.stats.entropy(p, axis=1)
    np.testing.assert_allclose(entropy(x), ref, rtol=1e-12)
    np.testing.assert_allclose(entropy(probs=p), ref, rtol=1e-12)
    np.testing.assert_allclose(entropy(x, base=2), scipy.stats.entropy(p, axis=1, base=2))
    np.testing.assert_allclose(entropy(x.T, axis=0), ref, rtol=1e-12)


def test_entropy_of_a_peaked_distribution_mpmath() -> None:
    # H is about 1.7e-16. The top token's term -p log p = 4e-18 is lost by -sum(p * log(p))
    # (p rounds to 1, log p to 0: a 2.5% error) but kept by log_softmax's log1p. Reference in
    # 50-digit arithmetic.
    x = [0.0, -750.0, -40.0]
    ref = ref_entropy(x)
    assert float(entropy(x)) == pytest.approx(float(ref), rel=1e-12)


def test_entropy_limits_and_special_values() -> None:
    assert float(entropy([0.0] * 8, base=2)) == pytest.approx(3.0, rel=1e-15)
    assert float(entropy([1000.0, 0.0])) == 0.0
    assert float(entropy([0.0, -np.inf, 0.0])) == pytest.approx(np.log(2), rel=1e-15)
    assert float(entropy(probs=[1.0, 0.0])) == 0.0
    h = entropy([[0.0, np.nan], [np.inf, 0.0], [-np.inf, -np.inf], [0.0, 0.0]])
    assert np.isnan(h[:3]).all() and h[3] == pytest.approx(np.log(2))
    assert np.isnan(entropy(probs=[[np.nan, 0.5], [np.inf, 0.0]])).all()
    assert entropy(np.zeros((2, 3), np.float32)).dtype == np.float32


def test_effective_num_choices() -> None:
    assert float(effective_num_choices(np.zeros(7))) == pytest.approx(7.0, rel=1e-14)
    assert float(effective_num_choices([50.0, 0.0, 0.0])) == pytest.approx(1.0, abs=1e-18)
    p = np.array([0.7, 0.1, 0.1, 0.1])
    ref = np.exp(-(p * np.log(p)).sum())
    assert float(effective_num_choices(probs=p)) == pytest.approx(ref, rel=1e-14)


def test_perplexity_matches_torch_cross_entropy() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(scale=2.0, size=(30, 11))
    y = rng.integers(0, 11, size=30)
    y[[3, 17]] = -100
    ref = torch.exp(
        torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(y), ignore_index=-100)
    ).item()
    assert float(perplexity(x, y)) == pytest.approx(ref, rel=1e-12)


def test_perplexity_of_own_samples_approaches_exp_entropy() -> None:
    # The expected log-perplexity on tokens drawn from p is H(p).
    rng = np.random.default_rng(2)
    logits = rng.normal(size=6)
    p = scipy.special.softmax(logits)
    y = rng.choice(6, size=200_000, p=p)
    ppl = float(perplexity(np.tile(logits, (y.size, 1)), y))
    assert np.log(ppl) == pytest.approx(scipy.stats.entropy(p), abs=0.01)


def test_top_k_matches_torch_topk() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8, 20, 5))
    for axis in (0, 1, -1):
        vals, idx = top_k(x, 3, axis=axis)
        ref = torch.topk(torch.tensor(x), 3, dim=axis)
        np.testing.assert_array_equal(vals, ref.values.numpy())
        np.testing.assert_array_equal(idx, ref.indices.numpy())


def test_top_k_ties_nan_and_classifier_top5() -> None:
    vals, idx = top_k([0.1, 0.3, 0.3, np.nan, -np.inf, 0.3], 5)
    assert idx.tolist() == [1, 2, 5, 0, 4]
    assert vals[:3].tolist() == [0.3, 0.3, 0.3]
    probs = scipy.special.softmax(np.arange(10.0))
    vals, idx = top_k(probs, 5)
    assert idx.tolist() == [9, 8, 7, 6, 5]
    np.testing.assert_array_equal(vals, probs[[9, 8, 7, 6, 5]])


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: entropy(), TypeError, "exactly one of 'logits' and 'probs'"),
        (lambda: entropy([0.0], probs=[1.0]), TypeError, "exactly one"),
        (lambda: entropy(probs=[0.5, 0.2]), ValueError, "summing to 0.7"),
        (lambda: entropy(probs=[1.5, -0.5]), ValueError, "negative entry -0.5"),
        (lambda: entropy([0.0, 1.0], base=1), SoftmaxLabError, "The 'base' parameter"),
        (lambda: entropy(1.0), ValueError, "at least 1-D"),
        (lambda: top_k([1.0, 2.0], 3), SoftmaxLabError, "in the range [1, 2]"),
        (lambda: top_k([1.0, 2.0], 0), SoftmaxLabError, "The 'k' parameter of top_k"),
        (lambda: top_k([1.0, 2.0], 1, axis=1), SoftmaxLabError, "'axis'"),
    ],
)
def test_invalid_arguments(call, exc: type, match: str) -> None:
    with pytest.raises(exc) as info:
        call()
    assert match in str(info.value)
