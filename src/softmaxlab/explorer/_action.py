"""The Action choice tab's logic: a multi-armed bandit played by three policies.

Plain values in, plain data out; no gradio. Every number comes from
:mod:`softmaxlab.sampling.bandit` (:func:`~softmaxlab.sampling.bandit.bandit_means`,
:func:`~softmaxlab.sampling.bandit.compare_policies`) and the policies of
:mod:`softmaxlab.sampling`.

Examples
--------
>>> v = action_view(3, 50, 10, 0.2, 0.1, 0)
>>> [row["name"] for row in v["policies"]]
['softmax', 'epsilon-greedy', 'uniform']
>>> len(v["softmax_probs"]), len(v["softmax_probs"][0])
(50, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..sampling import BoltzmannPolicy, EpsilonGreedyPolicy, UniformPolicy
from ..sampling.bandit import Policy, bandit_means, compare_policies
from ._problems import in_range

ARMS = (2, 10)
STEPS = (10, 1000)
RUNS = (1, 200)
TEMPERATURE = (0.01, 10.0)
EPSILON = (0.0, 1.0)
SEED_MAX = 2**31 - 1
SNAPSHOTS = 4
"""How many steps of the softmax policy are shown as a table of probabilities."""

__all__ = ["action_view", "snapshot_steps"]


def _bounded_int(value: Any, bounds: tuple[int, int], what: str) -> int:
    return int(in_range(value, what, *bounds, whole=True, key="act.err_int"))


def _bounded_float(value: Any, bounds: tuple[float, float], what: str) -> float:
    return in_range(value, what, *bounds)


def snapshot_steps(steps: int, count: int = SNAPSHOTS) -> list[int]:
    """Steps (0-based, increasing, distinct) at which the policy is shown: first to last.

    Examples
    --------
    >>> snapshot_steps(100)
    [0, 33, 66, 99]
    >>> snapshot_steps(2)
    [0, 1]
    """
    return sorted({round(i * (steps - 1) / (count - 1)) for i in range(count)})


def action_view(
    arms: Any, steps: Any, runs: Any, temperature: Any, epsilon: Any, seed: Any
) -> dict[str, Any]:
    """Softmax, ε-greedy and uniform play the same Gaussian bandit (same seed for each).

    The true means are drawn from N(0, 1) with ``seed``; every policy starts its value
    estimates at 0 and gets the same random numbers (common random numbers).
    """
    n_arms = _bounded_int(arms, ARMS, "what.arms")
    n_steps = _bounded_int(steps, STEPS, "what.steps")
    n_runs = _bounded_int(runs, RUNS, "what.runs")
    temp = _bounded_float(temperature, TEMPERATURE, "what.temperature")
    eps = _bounded_float(epsilon, EPSILON, "what.epsilon")
    seed_value = _bounded_int(seed, (0, SEED_MAX), "what.seed")
    means = bandit_means(n_arms, rng=seed_value)
    policies: dict[str, Policy] = {
        "softmax": BoltzmannPolicy(temp),
        "epsilon-greedy": EpsilonGreedyPolicy(eps),
        "uniform": UniformPolicy(),
    }
    results = compare_policies(
        means, policies, steps=n_steps, runs=n_runs, rng=seed_value, record_probabilities=True
    )
    best = int(np.argmax(means))
    tail = max(1, n_steps // 10)
    rows = []
    for name, result in results.items():
        curve = result.cumulative_regret
        rows.append(
            {
                "name": name,
                "regret": curve.tolist(),
                "final_regret": float(curve[-1]),
                "best_rate_end": float(result.optimal_action_rate[-tail:].mean()),
            }
        )
    soft = results["softmax"].mean_probabilities
    assert soft is not None
    return {
        "arms": n_arms,
        "steps": n_steps,
        "runs": n_runs,
        "temperature": temp,
        "epsilon": eps,
        "seed": seed_value,
        "means": means.tolist(),
        "best": best,
        "tail": tail,
        "policies": rows,
        "softmax_probs": soft.tolist(),
        "snapshots": snapshot_steps(n_steps),
    }
