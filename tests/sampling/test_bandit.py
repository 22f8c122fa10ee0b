"""Policies (Boltzmann, ε-greedy, uniform) and the bandit simulation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chisquare

from softmaxlab import SoftmaxLabError
from softmaxlab.sampling import BoltzmannPolicy, EpsilonGreedyPolicy, UniformPolicy
from softmaxlab.sampling.bandit import compare_policies, simulate_bandit

MEANS = np.array([0.1, -0.4, 0.9, 0.5, 1.2, -1.0, 0.3, 0.8, 0.0, 1.0])


def test_boltzmann_probabilities_formula() -> None:
    q = np.array([[1.0, 0.5, 0.0], [10.0, 10.0, -5.0]])
    e = np.exp(q / 0.4)
    np.testing.assert_allclose(
        BoltzmannPolicy(0.4).probabilities(q), e / e.sum(axis=1, keepdims=True), rtol=1e-14
    )
    assert BoltzmannPolicy(0).probabilities([1.0, 3.0, 3.0]).tolist() == [0.0, 0.5, 0.5]


def test_epsilon_greedy_probabilities_formula() -> None:
    p = EpsilonGreedyPolicy(0.3).probabilities([[0.0, 2.0, 1.0, 2.0]])
    np.testing.assert_allclose(p, [[0.075, 0.425, 0.075, 0.425]], rtol=1e-14)
    assert EpsilonGreedyPolicy(0.0).probabilities([0.0, 1.0]).tolist() == [0.0, 1.0]
    np.testing.assert_allclose(UniformPolicy().probabilities(np.arange(4.0)), 0.25)


def test_select_follows_probabilities_chi_square() -> None:
    q = np.array([0.3, 0.1, -0.2, 0.25])
    for policy in (BoltzmannPolicy(0.2), EpsilonGreedyPolicy(0.2)):
        draws = policy.select(q, num_samples=20_000, rng=4)
        counts = np.bincount(draws, minlength=4)
        expected = policy.probabilities(q) * 20_000
        assert chisquare(counts, expected).pvalue > 1e-3


def test_select_shapes_and_seed() -> None:
    policy = BoltzmannPolicy(1.0)
    assert isinstance(policy.select([1.0, 2.0], rng=0), int)
    assert policy.select(np.zeros((3, 4)), rng=0).shape == (3,)
    assert policy.select(np.zeros((3, 4)), num_samples=2, rng=0).shape == (3, 2)
    a = policy.select(np.zeros(5), num_samples=50, rng=9)
    np.testing.assert_array_equal(a, policy.select(np.zeros(5), num_samples=50, rng=9))
    assert policy.select([0.0, np.nan], rng=0) == -1


def test_simulation_is_reproducible_with_a_seed() -> None:
    a = simulate_bandit(MEANS, BoltzmannPolicy(0.2), steps=200, runs=10, rng=42)
    b = simulate_bandit(MEANS, BoltzmannPolicy(0.2), steps=200, runs=10, rng=42)
    c = simulate_bandit(MEANS, BoltzmannPolicy(0.2), steps=200, runs=10, rng=43)
    np.testing.assert_array_equal(a.actions, b.actions)
    np.testing.assert_array_equal(a.rewards, b.rewards)
    assert (a.actions != c.actions).any()
    r1 = compare_policies(MEANS, {"s": BoltzmannPolicy(0.2)}, steps=50, runs=4, rng=1)
    r2 = compare_policies(MEANS, {"s": BoltzmannPolicy(0.2)}, steps=50, runs=4, rng=1)
    np.testing.assert_array_equal(r1["s"].actions, r2["s"].actions)


def test_regret_bookkeeping() -> None:
    res = simulate_bandit(MEANS, UniformPolicy(), steps=30, runs=5, rng=0)
    np.testing.assert_array_equal(res.regret, MEANS.max() - MEANS[res.actions])
    np.testing.assert_allclose(
        res.cumulative_regret, np.cumsum(res.regret, axis=1).mean(axis=0), rtol=1e-15
    )
    # Rewards are the arm mean plus noise; with no noise they are the mean exactly.
    quiet = simulate_bandit(MEANS, UniformPolicy(), steps=30, runs=5, noise=0.0, rng=0)
    np.testing.assert_array_equal(quiet.rewards, MEANS[quiet.actions])


@pytest.mark.slow
def test_softmax_and_epsilon_greedy_both_learn() -> None:
    results = compare_policies(
        MEANS,
        {
            "softmax": BoltzmannPolicy(0.2),
            "eps-greedy": EpsilonGreedyPolicy(0.1),
            "uniform": UniformPolicy(),
        },
        steps=1000,
        runs=200,
        rng=2024,
    )
    uniform = results["uniform"].cumulative_regret
    # The uniform policy's regret grows linearly at rate max(mu) - mean(mu).
    rate = MEANS.max() - MEANS.mean()
    np.testing.assert_allclose(uniform[-1] / 1000, rate, rtol=0.05)
    half = 500
    for name in ("softmax", "eps-greedy"):
        reg = results[name].cumulative_regret
        # Learning: less regret than uniform, and the second half adds less regret than the
        # first (sublinear growth), while uniform's halves are about equal.
        assert reg[-1] < uniform[-1]
        assert reg[-1] - reg[half - 1] < reg[half - 1]
        late = results[name].optimal_action_rate[-100:].mean()
        early = results[name].optimal_action_rate[:100].mean()
        assert late > early


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: BoltzmannPolicy(-1.0), "The 'temperature' parameter of BoltzmannPolicy"),
        (lambda: EpsilonGreedyPolicy(1.5), "The 'epsilon' parameter of EpsilonGreedyPolicy"),
        (lambda: simulate_bandit([], UniformPolicy()), "The 'means' parameter"),
        (lambda: simulate_bandit([0.0, np.nan], UniformPolicy()), "'means'"),
        (lambda: simulate_bandit([0.0], UniformPolicy(), steps=0), "The 'steps' parameter"),
        (lambda: simulate_bandit([0.0], UniformPolicy(), noise=-1), "The 'noise' parameter"),
        (lambda: simulate_bandit([0.0], object()), "The 'policy' parameter"),
    ],
)
def test_invalid_arguments(call, match: str) -> None:
    with pytest.raises(SoftmaxLabError) as info:
        call()
    assert match in str(info.value)


def test_values_must_have_actions() -> None:
    with pytest.raises(ValueError, match="at least one action"):
        BoltzmannPolicy().probabilities([])
