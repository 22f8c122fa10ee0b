"""The Action choice tab: the bandit library it runs, its view, its HTML and its messages.

The reference run is re-implemented here in plain Python (``math.exp`` softmax, a cumulative
sum scanned by hand) with its own generator seeded like the library's; nothing expected is
produced by softmaxlab.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from softmaxlab import SoftmaxLabError
from softmaxlab.explorer import _action as ac
from softmaxlab.explorer._i18n import LANGUAGES, keys
from softmaxlab.explorer._problems import InputProblem
from softmaxlab.explorer._render_action import action_html
from softmaxlab.explorer.tabs import action
from softmaxlab.sampling import BoltzmannPolicy, EpsilonGreedyPolicy, UniformPolicy
from softmaxlab.sampling.bandit import bandit_means, compare_policies, simulate_bandit


def ref_softmax(q: list[float], temperature: float) -> list[float]:
    top = max(q)
    e = [math.exp((v - top) / temperature) for v in q]
    total = math.fsum(e)
    return [v / total for v in e]


def ref_draw(probs: list[float], u: float) -> int:
    """First index whose running total exceeds u times the total (inverse CDF)."""
    total = math.fsum(probs)
    running = 0.0
    for i, p in enumerate(probs):
        running += p
        if running > u * total:
            return i
    return max(i for i, p in enumerate(probs) if p > 0)


def ref_bandit(
    means: list[float], temperature: float, steps: int, runs: int, seed: int
) -> tuple[list[list[int]], list[list[list[float]]]]:
    """One Boltzmann run per row, step by step, with sample-average estimates."""
    gen = np.random.default_rng(seed)
    arms = len(means)
    q = [[0.0] * arms for _ in range(runs)]
    n = [[0] * arms for _ in range(runs)]
    actions: list[list[int]] = [[] for _ in range(runs)]
    probs_seen: list[list[list[float]]] = [[] for _ in range(runs)]
    for _ in range(steps):
        probs = [ref_softmax(q[r], temperature) for r in range(runs)]
        u = gen.random((runs, 1))
        chosen = [ref_draw(probs[r], float(u[r, 0])) for r in range(runs)]
        noise = gen.standard_normal(runs)
        for r in range(runs):
            a = chosen[r]
            reward = means[a] + float(noise[r])
            n[r][a] += 1
            q[r][a] += (reward - q[r][a]) / n[r][a]
            actions[r].append(a)
            probs_seen[r].append(probs[r])
    return actions, probs_seen


def test_one_run_matches_an_independent_reimplementation() -> None:
    means = [0.0, 0.5, 1.0]
    result = simulate_bandit(
        means, BoltzmannPolicy(0.3), steps=25, runs=3, rng=7, record_probabilities=True
    )
    actions, probs = ref_bandit(means, 0.3, 25, 3, 7)
    assert result.actions.tolist() == actions
    assert result.probabilities is not None
    np.testing.assert_allclose(result.probabilities, np.array(probs), rtol=1e-12, atol=1e-15)
    # Regret of each pull by hand: best mean minus the pulled arm's mean.
    regret = [[1.0 - means[a] for a in row] for row in actions]
    np.testing.assert_allclose(result.regret, regret, rtol=0, atol=0)
    mean_probs = result.mean_probabilities
    assert mean_probs is not None
    np.testing.assert_allclose(mean_probs, np.array(probs).mean(axis=0), rtol=1e-12)


def test_the_view_runs_the_same_bandit_as_the_library_with_common_random_numbers() -> None:
    view = ac.action_view(3, 20, 2, 0.5, 0.2, 11)
    # The means: N(0, 1) from a generator seeded with the seed.
    np.testing.assert_array_equal(view["means"], np.random.default_rng(11).standard_normal(3))
    # compare_policies gives every policy the same derived seed.
    shared = int(np.random.default_rng(11).integers(2**63))
    actions, probs = ref_bandit(view["means"], 0.5, 20, 2, shared)
    np.testing.assert_allclose(view["softmax_probs"], np.array(probs).mean(axis=0), rtol=1e-12)
    best = max(view["means"])
    by_hand = np.cumsum([[best - view["means"][a] for a in row] for row in actions], axis=1)
    soft = next(row for row in view["policies"] if row["name"] == "softmax")
    np.testing.assert_allclose(soft["regret"], by_hand.mean(axis=0), rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 3, 12345])
def test_regret_never_decreases_and_is_never_negative(seed: int) -> None:
    view = ac.action_view(6, 200, 20, 0.1, 0.1, seed)
    for row in view["policies"]:
        curve = np.asarray(row["regret"])
        assert curve[0] >= 0.0
        assert np.all(np.diff(curve) >= 0.0), row["name"]


def test_softmax_at_a_huge_temperature_is_uniform() -> None:
    result = simulate_bandit(
        [0.0, 2.0, -1.0, 0.5],
        BoltzmannPolicy(1e9),
        steps=100,
        runs=5,
        rng=1,
        record_probabilities=True,
    )
    assert result.probabilities is not None
    np.testing.assert_allclose(result.probabilities, 0.25, atol=1e-8)


def test_uniform_regret_grows_as_t_times_the_gap_and_softmax_learns() -> None:
    means = [0.0, 0.4, 1.0]
    results = compare_policies(
        means,
        {"softmax": BoltzmannPolicy(0.1), "uniform": UniformPolicy()},
        steps=400,
        runs=200,
        rng=5,
    )
    gap = 1.0 - sum(means) / 3  # expected regret per uniform pull
    uniform = results["uniform"].cumulative_regret
    # 80 000 pulls, each regret in {0, 0.6, 1}: the mean is within a few standard errors.
    assert uniform[-1] == pytest.approx(400 * gap, rel=0.03)
    assert results["softmax"].cumulative_regret[-1] < 0.5 * uniform[-1]
    assert results["softmax"].optimal_action_rate[-50:].mean() > 0.8


def test_epsilon_one_is_uniform_and_small_temperature_concentrates() -> None:
    view = ac.action_view(4, 300, 30, 0.05, 1.0, 2)
    # The softmax policy ends on the best arm far more often than 1 / arms.
    final = view["softmax_probs"][-1]
    assert final[view["best"]] > 0.6
    assert math.fsum(final) == pytest.approx(1.0, abs=1e-12)
    # ε = 1 picks uniformly at random: its probabilities, by the formula, are 1/4 each.
    np.testing.assert_allclose(EpsilonGreedyPolicy(1.0).probabilities([3.0, 1.0, 0.0, 2.0]), 0.25)


def test_bandit_means_is_a_seeded_standard_normal() -> None:
    np.testing.assert_array_equal(
        bandit_means(5, rng=9), np.random.default_rng(9).standard_normal(5)
    )
    with pytest.raises(SoftmaxLabError, match="'arms' parameter of bandit_means"):
        bandit_means(0)


def test_record_probabilities_must_be_a_bool() -> None:
    with pytest.raises(SoftmaxLabError) as info:
        simulate_bandit([0.0, 1.0], UniformPolicy(), steps=2, runs=1, record_probabilities="yes")
    message = str(info.value)
    assert "'record_probabilities' parameter of simulate_bandit must be a bool" in message
    assert "Got 'yes' instead." in message
    plain = simulate_bandit([0.0, 1.0], UniformPolicy(), steps=2, runs=1, rng=0)
    assert plain.probabilities is None and plain.mean_probabilities is None


@pytest.mark.parametrize(
    ("args", "what"),
    [
        ((1, 100, 10, 0.2, 0.1, 0), "arms"),
        ((11, 100, 10, 0.2, 0.1, 0), "arms"),
        ((2.5, 100, 10, 0.2, 0.1, 0), "arms"),
        ((3, 5, 10, 0.2, 0.1, 0), "steps"),
        ((3, 2000, 10, 0.2, 0.1, 0), "steps"),
        ((3, 100, 0, 0.2, 0.1, 0), "runs"),
        ((3, 100, 10, 0.0, 0.1, 0), "temperature"),
        ((3, 100, 10, 0.2, 1.5, 0), "epsilon"),
        ((3, 100, 10, 0.2, None, 0), "epsilon"),
        ((3, 100, 10, 0.2, 0.1, -1), "seed"),
        ((3, 100, 10, 0.2, 0.1, None), "seed"),
    ],
)
def test_bad_settings_are_input_problems(args: tuple[object, ...], what: str) -> None:
    with pytest.raises(InputProblem) as info:
        ac.action_view(*args)
    assert info.value.params["what"] == f"what.{what}"


def test_a_bad_entry_keeps_the_charts_and_shows_a_translated_message() -> None:
    out, message, state = action.action_output(1, 100, 10, 0.2, 0.1, 0, "zh-Hans")
    assert out == {"__type__": "update"} and state == {"__type__": "update"}  # gr.skip()
    assert "sl-error" in message and "臂的数量" in message and "2 到 10" in message
    out, message, state = action.action_output(3, 50, 5, 0.2, 0.1, 0, "en")
    assert message == "" and state["arms"] == 3 and "sl-regret-chart" in out


def test_snapshot_steps() -> None:
    assert ac.snapshot_steps(10) == [0, 3, 6, 9]
    assert ac.snapshot_steps(3) == [0, 1, 2]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_shows_every_policy_and_arm_in_each_language(lang: str) -> None:
    view = ac.action_view(4, 60, 5, 0.3, 0.1, 1)
    page = action_html(view, lang)
    finals = [
        float(v)
        for v in re.findall(r'class="sl-regret" data-policy="[^"]+" data-final="([^"]+)"', page)
    ]
    assert finals == [row["final_regret"] for row in view["policies"]]
    assert page.count('class="sl-area"') == 4
    assert 'id="act-probs-table"' in page and 'id="act-summary"' in page
    assert not [k for k in keys() if k in page]  # no raw catalogue key


def test_language_switch_re_renders_without_simulating_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = ac.action_view(3, 30, 2, 0.3, 0.1, 4)

    def boom(*args: object) -> None:
        raise AssertionError("simulated again")

    monkeypatch.setattr(ac, "action_view", boom)
    html, message = action.action_again("zh-Hant", view)
    assert "累積遺憾" in html and message == ""
