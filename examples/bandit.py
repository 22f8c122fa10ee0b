"""Exploration in a 10-armed bandit: softmax (Boltzmann) against ε-greedy, by regret.

Run: python examples/bandit.py
"""

from __future__ import annotations

import numpy as np

from softmaxlab.sampling import BoltzmannPolicy, EpsilonGreedyPolicy, UniformPolicy
from softmaxlab.sampling.bandit import compare_policies

means = np.random.default_rng(0).normal(size=10)  # Sutton & Barto's 10-armed testbed
policies = {
    "softmax T=0.1": BoltzmannPolicy(0.1),
    "softmax T=0.3": BoltzmannPolicy(0.3),
    "eps-greedy 0.1": EpsilonGreedyPolicy(0.1),
    "eps-greedy 0.01": EpsilonGreedyPolicy(0.01),
    "uniform": UniformPolicy(),
}
results = compare_policies(means, policies, steps=1000, runs=200, rng=2024)

checkpoints = [10, 100, 250, 500, 1000]
print("mean cumulative regret (200 runs)")
print(f"{'policy':<16}" + "".join(f"{'t=' + str(t):>10}" for t in checkpoints) + "  best-arm rate")
for name, res in results.items():
    reg = res.cumulative_regret
    row = "".join(f"{reg[t - 1]:10.1f}" for t in checkpoints)
    print(f"{name:<16}{row}  {res.optimal_action_rate[-100:].mean():12.2f}")
