"""sample: chi-square goodness of fit against process_logits, greedy decoding, seeds, shapes.

The chi-square tests use fixed seeds, so they are deterministic; the threshold p > 1e-3 is
passed by correct code (the p-values are far above it) and failed by a slightly wrong
distribution, as ``test_chi_square_has_power`` shows.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.stats import chisquare

from softmaxlab import SoftmaxLabError
from softmaxlab.sampling import process_logits, sample
from softmaxlab.sampling._sample import inverse_cdf

LOGITS = np.array([2.1, 1.5, 0.3, 0.2, -0.5, -1.0, 1.9, 0.9])
SETTINGS = [
    dict(),
    dict(temperature=0.7, top_p=0.9),
    dict(top_k=3),
    dict(temperature=1.5, min_p=0.1),
    dict(temperature=0.5, top_k=5, top_p=0.8, min_p=0.05),
    dict(temperature=3.0, top_p=0.99),
]
N = 20_000


def chi_square_p(counts: np.ndarray, probs: np.ndarray) -> float:
    """p-value of the counts against probs, over the tokens of positive probability."""
    assert counts[probs == 0].sum() == 0, "a token of probability 0 was drawn"
    keep = probs > 0
    expected = probs[keep] / probs[keep].sum() * counts.sum()
    if keep.sum() == 1:
        return 1.0
    return float(chisquare(counts[keep], expected).pvalue)


@pytest.mark.parametrize("opts", SETTINGS, ids=str)
def test_gumbel_max_path_chi_square(opts: dict) -> None:
    # One draw per row over N identical rows: the Gumbel-max path.
    draws = sample(np.tile(LOGITS, (N, 1)), rng=2024, **opts)
    assert draws.shape == (N, 1)
    counts = np.bincount(draws[:, 0], minlength=LOGITS.size)
    probs = process_logits(LOGITS, **opts).probs
    assert chi_square_p(counts, probs) > 1e-3


@pytest.mark.parametrize("opts", SETTINGS, ids=str)
def test_inverse_cdf_path_chi_square(opts: dict) -> None:
    draws = sample(LOGITS, num_samples=N, rng=7, **opts)
    assert draws.shape == (N,)
    counts = np.bincount(draws, minlength=LOGITS.size)
    probs = process_logits(LOGITS, **opts).probs
    assert chi_square_p(counts, probs) > 1e-3


def test_batched_rows_chi_square() -> None:
    # Different rows in one call (and the per-row searchsorted branch: 3 * 2e5 * 8 > 2**22).
    x = np.stack([LOGITS, LOGITS[::-1], np.zeros(8)])
    draws = sample(x, temperature=0.8, top_p=0.95, num_samples=200_000, rng=11)
    probs = process_logits(x, temperature=0.8, top_p=0.95).probs
    for row in range(3):
        counts = np.bincount(draws[row], minlength=8)
        assert chi_square_p(counts, probs[row]) > 1e-3


def test_chi_square_has_power() -> None:
    # The same sample sizes reject a distribution that is only slightly off (T 0.7 vs 0.8).
    draws = sample(LOGITS, temperature=0.7, num_samples=N, rng=7)
    counts = np.bincount(draws, minlength=LOGITS.size)
    wrong = process_logits(LOGITS, temperature=0.8).probs
    assert chi_square_p(counts, wrong) < 1e-6


def test_greedy_is_argmax_and_uses_no_randomness() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 10))
    got = sample(x, temperature=0, num_samples=3, rng=rng)
    assert (got == np.argmax(x, axis=1)[:, None]).all()
    assert sample([1.0, 5.0, 5.0], temperature=0).tolist() == [1]  # lowest index of the ties
    state = rng.bit_generator.state
    sample(x, temperature=0, rng=rng)
    assert rng.bit_generator.state == state


def test_low_temperature_tends_to_greedy() -> None:
    draws = sample(LOGITS, temperature=1e-3, num_samples=1000, rng=0)
    assert (draws == np.argmax(LOGITS)).all()


def test_reproducible_with_a_seed() -> None:
    a = sample(LOGITS, top_p=0.9, num_samples=100, rng=123)
    b = sample(LOGITS, top_p=0.9, num_samples=100, rng=123)
    c = sample(LOGITS, top_p=0.9, num_samples=100, rng=124)
    np.testing.assert_array_equal(a, b)
    assert (a != c).any()
    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    np.testing.assert_array_equal(sample(LOGITS, rng=g1), sample(LOGITS, rng=g2))
    # A Generator advances: the next call differs from a fresh seed's first call.
    np.testing.assert_array_equal(
        sample(np.tile(LOGITS, (50, 1)), rng=g1), sample(np.tile(LOGITS, (50, 1)), rng=g2)
    )


def test_removed_and_impossible_tokens_are_never_drawn() -> None:
    x = np.array([[0.0, 0.1, -np.inf, 3.0, 2.9, -800.0]])
    for n in (1, 5000):
        draws = sample(np.repeat(x, 2000 // n, axis=0), top_k=3, num_samples=n, rng=1)
        assert set(np.unique(draws)) <= {1, 3, 4}
    draws = sample(x, top_p=0.5, num_samples=5000, rng=2)
    assert set(np.unique(draws)) <= {3, 4}


def test_shapes_and_axis() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 9, 4))
    assert sample(x, rng=0).shape == (3, 9, 1)
    assert sample(x, num_samples=6, axis=1, rng=0).shape == (3, 4, 6)
    y = rng.normal(size=(9, 5))
    np.testing.assert_array_equal(sample(y, axis=0, rng=3), sample(y.T, rng=3))
    np.testing.assert_array_equal(
        sample(y, axis=0, num_samples=4, rng=3), sample(y.T, num_samples=4, rng=3)
    )
    assert sample(np.zeros((0, 5)), num_samples=2).shape == (0, 2)


def test_rows_without_a_distribution_give_minus_one() -> None:
    x = np.array([[0.0, np.nan], [np.inf, 0.0], [-np.inf, -np.inf], [0.0, 50.0]])
    for n in (1, 3):
        got = sample(x, num_samples=n, rng=0)
        assert (got[:3] == -1).all()
        assert (got[3] == 1).all()
    assert (sample(x, temperature=0)[:3] == -1).all()


def test_inverse_cdf_never_returns_a_zero_probability_token() -> None:
    probs = np.array([[0.25, 0.75, 0.0, 0.0], [0.0, 0.5, 0.0, 0.5]])
    u = np.array([[0.0, 0.2499, 0.25, np.nextafter(1.0, 0.0)]] * 2)
    assert inverse_cdf(probs, u).tolist() == [[0, 0, 1, 1], [1, 1, 1, 3]]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(num_samples=0), "The 'num_samples' parameter of sample must be an int >= 1"),
        (dict(num_samples=2.0), "'num_samples'"),
        (dict(rng="seed"), "The 'rng' parameter of sample"),
        (dict(rng=-1), "'rng'"),
        (dict(top_p=2), "The 'top_p' parameter of sample must be a number in the range (0, 1]"),
        (dict(temperature=-0.1), "'temperature'"),
    ],
)
def test_invalid_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(SoftmaxLabError) as info:
        sample(LOGITS, **kwargs)
    assert match in str(info.value)


def test_empty_vocabulary() -> None:
    with pytest.raises(ValueError, match="at least one token"):
        sample(np.zeros((3, 0)))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=10),
        elements=st.floats(-20, 20),
    ),
    temperature=st.sampled_from([0.0, 0.3, 1.0, 4.0]),
    top_k=st.none() | st.integers(1, 12),
    top_p=st.none() | st.floats(0.01, 1.0),
    min_p=st.none() | st.floats(0.0, 1.0),
    num_samples=st.integers(1, 40),
    seed=st.integers(0, 2**32),
)
def test_draws_are_kept_tokens_of_positive_probability(
    x, temperature, top_k, top_p, min_p, num_samples, seed
) -> None:
    opts = dict(temperature=temperature, top_k=top_k, top_p=top_p, min_p=min_p)
    probs = process_logits(x, **opts).probs
    draws = sample(x, num_samples=num_samples, rng=seed, **opts)
    assert draws.shape == (x.shape[0], num_samples)
    assert (np.take_along_axis(probs, draws, axis=1) > 0).all()
