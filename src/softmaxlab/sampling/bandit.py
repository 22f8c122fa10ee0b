"""A multi-armed bandit simulation: softmax (Boltzmann) exploration against ε-greedy.

Each arm pays its mean plus Gaussian noise; the agent keeps sample-average value estimates
and chooses with a policy (:class:`BoltzmannPolicy`, :class:`EpsilonGreedyPolicy`,
:class:`UniformPolicy`, or any object with a ``probabilities(values)`` method). Many
independent runs are simulated at once (one row each) and the regret is averaged.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_int, check_rng, param_error
from ._policy import BoltzmannPolicy, EpsilonGreedyPolicy, UniformPolicy
from ._sample import inverse_cdf

__all__ = [
    "BanditResult",
    "BoltzmannPolicy",
    "EpsilonGreedyPolicy",
    "Policy",
    "UniformPolicy",
    "bandit_means",
    "compare_policies",
    "simulate_bandit",
]


class Policy(Protocol):
    """Anything that turns value estimates (runs, arms) into action probabilities."""

    def probabilities(self, values: ArrayLike) -> NDArray[Any]: ...


@dataclass(frozen=True)
class BanditResult:
    """What happened in :func:`simulate_bandit` (``runs`` rows by ``steps`` columns).

    Attributes
    ----------
    actions : ndarray of intp, shape (runs, steps)
        The arm pulled at each step.
    rewards : ndarray, shape (runs, steps)
        The reward received.
    regret : ndarray, shape (runs, steps)
        Expected regret of each pull, :math:`\\mu^* - \\mu_{a_t}` (no reward noise).
    means : ndarray, shape (arms,)
        The true arm means.
    probabilities : ndarray, shape (runs, steps, arms), or None
        The policy's action probabilities at each step (before the pull), when
        ``record_probabilities=True``; None otherwise.
    """

    actions: NDArray[np.intp]
    rewards: NDArray[np.float64]
    regret: NDArray[np.float64]
    means: NDArray[np.float64]
    probabilities: NDArray[np.float64] | None = None

    @property
    def cumulative_regret(self) -> NDArray[np.float64]:
        """Mean over runs of the regret accumulated up to each step, shape (steps,)."""
        return np.cumsum(self.regret, axis=1).mean(axis=0)

    @property
    def optimal_action_rate(self) -> NDArray[np.float64]:
        """Fraction of runs pulling a best arm at each step, shape (steps,)."""
        best = self.means == self.means.max()
        return best[self.actions].mean(axis=0)

    @property
    def mean_probabilities(self) -> NDArray[np.float64] | None:
        """Mean over runs of the recorded action probabilities, shape (steps, arms), or None."""
        if self.probabilities is None:
            return None
        return self.probabilities.mean(axis=0)


def bandit_means(arms: int, *, rng: np.random.Generator | int | None = None) -> NDArray[Any]:
    r"""True arm means of the "10-armed testbed": :math:`\mu_a \sim N(0, 1)` independently.

    Parameters
    ----------
    arms : int
        Number of arms, >= 1.
    rng : numpy.random.Generator, int or None
        Source of randomness; an int seed gives the same bandit every time.

    Returns
    -------
    ndarray, shape (arms,)

    Examples
    --------
    >>> from softmaxlab.sampling.bandit import bandit_means
    >>> bandit_means(3, rng=0).round(3)
    array([ 0.126, -0.132,  0.64 ])
    """
    n = check_int(arms, "arms", low=1, func="bandit_means")
    assert n is not None
    return check_rng(rng, func="bandit_means").standard_normal(n)


def simulate_bandit(
    means: ArrayLike,
    policy: Policy,
    *,
    steps: int = 1000,
    runs: int = 100,
    noise: float = 1.0,
    initial_value: float = 0.0,
    rng: np.random.Generator | int | None = None,
    record_probabilities: bool = False,
) -> BanditResult:
    r"""Play a Gaussian multi-armed bandit with a policy and sample-average value estimates.

    At step :math:`t` each run draws :math:`a_t \sim \pi(\cdot \mid Q_t)`, receives
    :math:`r_t = \mu_{a_t} + \sigma\,\varepsilon_t` with :math:`\varepsilon_t \sim N(0, 1)`, and
    updates the estimate of the arm pulled,

    .. math::

        N(a_t) \leftarrow N(a_t) + 1, \qquad
        Q(a_t) \leftarrow Q(a_t) + \frac{r_t - Q(a_t)}{N(a_t)}.

    The regret of a pull is :math:`\mu^* - \mu_{a_t}`; a policy that learns has a cumulative
    regret growing slower than linearly, while the uniform policy's grows as
    :math:`t\,(\mu^* - \bar\mu)`.

    Parameters
    ----------
    means : array_like, shape (arms,)
        True mean reward of each arm (at least one, finite).
    policy : Policy
        Object with ``probabilities(values)`` mapping (runs, arms) estimates to probabilities.
    steps : int, default 1000
        Pulls per run, >= 1.
    runs : int, default 100
        Independent runs simulated together, >= 1.
    noise : float, default 1.0
        Standard deviation :math:`\sigma` of the reward noise, finite and >= 0.
    initial_value : float, default 0.0
        Starting estimate :math:`Q_0` of every arm (large values make any policy explore
        early: "optimistic initial values").
    rng : numpy.random.Generator, int or None
        Source of randomness; an int seed makes the simulation reproducible.
    record_probabilities : bool, default False
        Keep the policy's probabilities at every step in
        :attr:`BanditResult.probabilities` (memory ``runs * steps * arms`` floats).

    Returns
    -------
    BanditResult

    Raises
    ------
    ValueError
        Empty or non-finite ``means``, ``steps`` or ``runs`` < 1, negative ``noise``,
        non-bool ``record_probabilities``.

    References
    ----------
    .. [1] R. S. Sutton, A. G. Barto, "Reinforcement Learning: An Introduction", 2nd ed.,
       2018, chapter 2 (the 10-armed testbed; softmax action selection).

    Examples
    --------
    >>> from softmaxlab.sampling import BoltzmannPolicy, UniformPolicy
    >>> from softmaxlab.sampling.bandit import simulate_bandit
    >>> means = [0.2, 0.5, 1.0]
    >>> soft = simulate_bandit(means, BoltzmannPolicy(0.1), steps=500, runs=50, rng=0)
    >>> unif = simulate_bandit(means, UniformPolicy(), steps=500, runs=50, rng=0)
    >>> bool(soft.cumulative_regret[-1] < unif.cumulative_regret[-1])
    True
    >>> bool(soft.optimal_action_rate[-50:].mean() > 0.5)
    True
    """
    func = "simulate_bandit"
    mu = as_float_array(means, "means", func=func).astype(np.float64)
    if mu.ndim != 1 or mu.size == 0 or not np.isfinite(mu).all():
        raise param_error("means", "a non-empty 1-D array of finite numbers", means, func=func)
    t_steps = check_int(steps, "steps", low=1, func=func)
    n_runs = check_int(runs, "runs", low=1, func=func)
    assert t_steps is not None and n_runs is not None
    if (
        isinstance(noise, bool)
        or not isinstance(noise, numbers.Real)
        or not (np.isfinite(noise) and noise >= 0)
    ):
        raise param_error("noise", "a finite number >= 0", noise, func=func)
    if isinstance(initial_value, bool) or not isinstance(initial_value, numbers.Real):
        raise param_error("initial_value", "a finite number", initial_value, func=func)
    if not hasattr(policy, "probabilities"):
        raise param_error(
            "policy", "an object with a probabilities(values) method", policy, func=func
        )
    if not isinstance(record_probabilities, (bool, np.bool_)):
        raise param_error("record_probabilities", "a bool", record_probabilities, func=func)
    gen = check_rng(rng, func=func)

    arms = mu.size
    q = np.full((n_runs, arms), float(initial_value))
    counts = np.zeros((n_runs, arms))
    actions = np.empty((n_runs, t_steps), dtype=np.intp)
    rewards = np.empty((n_runs, t_steps))
    history = np.empty((n_runs, t_steps, arms)) if record_probabilities else None
    r = np.arange(n_runs)
    for t in range(t_steps):
        probs = np.asarray(policy.probabilities(q), dtype=np.float64)
        if history is not None:
            history[:, t] = probs
        a = inverse_cdf(probs, gen.random((n_runs, 1)))[:, 0]
        reward = mu[a] + noise * gen.standard_normal(n_runs)
        counts[r, a] += 1
        q[r, a] += (reward - q[r, a]) / counts[r, a]
        actions[:, t] = a
        rewards[:, t] = reward
    regret = mu.max() - mu[actions]
    return BanditResult(
        actions=actions, rewards=rewards, regret=regret, means=mu, probabilities=history
    )


def compare_policies(
    means: ArrayLike,
    policies: dict[str, Policy],
    *,
    steps: int = 1000,
    runs: int = 100,
    noise: float = 1.0,
    initial_value: float = 0.0,
    rng: np.random.Generator | int | None = None,
    record_probabilities: bool = False,
) -> dict[str, BanditResult]:
    """Run :func:`simulate_bandit` for each policy on the same bandit and the same seed.

    Every policy gets a generator started from the same seed (common random numbers), so the
    comparison is reproducible and differences come from the policies, not the luck of the
    draw.

    Parameters
    ----------
    means : array_like, shape (arms,)
        True mean reward of each arm.
    policies : dict of str to Policy
        Named policies to compare.
    steps, runs, noise, initial_value, record_probabilities
        As in :func:`simulate_bandit`.
    rng : numpy.random.Generator, int or None
        Source of the shared seed.

    Returns
    -------
    dict of str to BanditResult
        In the order of ``policies``.

    Examples
    --------
    >>> from softmaxlab.sampling import BoltzmannPolicy, EpsilonGreedyPolicy
    >>> from softmaxlab.sampling.bandit import compare_policies
    >>> results = compare_policies(
    ...     [0.0, 0.3, 1.0],
    ...     {"softmax": BoltzmannPolicy(0.2), "eps-greedy": EpsilonGreedyPolicy(0.1)},
    ...     steps=300, runs=20, rng=0,
    ... )
    >>> sorted(results)
    ['eps-greedy', 'softmax']
    >>> results["softmax"].cumulative_regret.shape
    (300,)
    """
    gen = check_rng(rng, func="compare_policies")
    seed = int(gen.integers(2**63))
    return {
        name: simulate_bandit(
            means,
            policy,
            steps=steps,
            runs=runs,
            noise=noise,
            initial_value=initial_value,
            rng=seed,
            record_probabilities=record_probabilities,
        )
        for name, policy in policies.items()
    }
