"""Compare (ReLU, multi-label, one sample under one-vs-rest and softmax) and Gradients
(derivation of p − y, finite differences, several steps).

References: plain-Python formulas, mpmath at 50 digits, and a one-vs-rest model fitted here
with scikit-learn whose probabilities are recomputed by hand from its coefficients.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from typing import Any

import mpmath
import numpy as np
import pytest

from softmaxlab.explorer import _callbacks as cb
from softmaxlab.explorer import _lessons as ls
from softmaxlab.explorer import _render as rd
from softmaxlab.explorer import _render_lessons as rl
from softmaxlab.explorer._i18n import LANGUAGES, keys
from softmaxlab.explorer._problems import InputProblem
from softmaxlab.explorer.tabs import compare, gradients
from tests._support.mpref import DPS, ref_softmax_family


@pytest.fixture(autouse=True)
def _mp_digits() -> Iterator[None]:
    """The mpmath arithmetic written out in these tests runs at DPS digits, in a local context."""
    with mpmath.workdps(DPS):
        yield


def mp_probs(z: list[Any]) -> list[mpmath.mpf]:
    return ref_softmax_family(z)[0]


def mp_loss(z: list[float], k: int) -> float:
    return float(-mpmath.log(mp_probs(z)[k]))


# ---------------------------------------------------------------------------- ReLU


def test_relu_beside_the_distributions() -> None:
    z = [3.0, -1.0, 0.5, -4.0]
    view = cb.compare_view(z)
    assert view["relu"] == [3.0, 0.0, 0.5, 0.0]
    assert view["relu_sum"] == 3.5
    assert view["relu_doubled_sum"] == 7.0  # ReLU keeps the scale: doubled logits, doubled sum
    e2 = [math.exp(2 * v) for v in z]
    assert view["softmax_doubled_max"] == pytest.approx(max(e2) / math.fsum(e2), rel=1e-14)
    page = rd.compare_html(view, "en")
    assert 'data-map="relu"' in page and "≠ 1" in page and "sl-relu-note" in page
    # The table has one ReLU column (header, four classes, the sum row).
    assert page.count("<th") >= 7 and ">ReLU<" in page


def test_relu_summing_to_one_is_not_called_different_from_one() -> None:
    page = rl.relu_panel(cb.compare_view([1.0, -2.0]), "en")
    assert "≠ 1" not in page


# ---------------------------------------------------------------------------- multi-label


def test_multilabel_sigmoids_both_high_softmax_splits() -> None:
    view = ls.multilabel_view()
    z = view["logits"]
    sig = [1 / (1 + math.exp(-v)) for v in z]
    e = [math.exp(v - max(z)) for v in z]
    soft = [v / math.fsum(e) for v in e]
    assert view["sigmoid"] == pytest.approx(sig, rel=1e-14)
    assert view["softmax"] == pytest.approx(soft, rel=1e-14)
    assert view["sigmoid_labels"] == ["person", "backpack"]
    assert view["softmax_label"] == "person"
    # The softmax must split: person + backpack ≤ 1, so backpack < 0.5 although it is present.
    assert view["softmax"][1] < 0.5 < view["sigmoid"][1]
    assert view["sigmoid_sum"] > 1.0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_multilabel_html_in_each_language(lang: str) -> None:
    page = compare.multilabel_output(lang)
    assert "sl-ml-sigmoid" in page and "sl-ml-softmax" in page
    assert not [k for k in keys() if k in page]


# ---------------------------------------------------------------------------- one sample


def test_one_sample_probabilities_against_a_model_fitted_here() -> None:
    from sklearn.linear_model import LogisticRegression

    from softmaxlab.explorer._models import load_split

    X_train, y_train, _, _, X_test, y_test, _names = load_split("iris")
    view = ls.ovr_sample_view("iris", 4)
    x = X_test[4]
    raw = []
    for c in range(3):
        binary = LogisticRegression(C=1.0, max_iter=1000, tol=1e-6).fit(X_train, y_train == c)
        score = float(x @ binary.coef_[0] + binary.intercept_[0])
        raw.append(1 / (1 + math.exp(-score)))
    assert view["raw"] == pytest.approx(raw, rel=1e-6)
    assert view["normalised"] == pytest.approx([r / math.fsum(raw) for r in raw], rel=1e-6)
    assert view["raw_sum"] == pytest.approx(math.fsum(raw), rel=1e-6)
    assert view["true"] == int(y_test[4])
    assert math.fsum(view["softmax"]) == pytest.approx(1.0, abs=1e-12)
    # Softmax regression's probabilities are the softmax of its own linear scores.
    soft_model = ls._ovr_models("iris")[1]
    scores = x @ soft_model.coef_.T + soft_model.intercept_
    e = np.exp(scores - scores.max())
    assert view["softmax"] == pytest.approx((e / e.sum()).tolist(), rel=1e-12)


def test_one_sample_bad_index_and_dataset() -> None:
    with pytest.raises(InputProblem) as info:
        ls.ovr_sample_view("iris", 30)
    assert info.value.key == "cmp.err_sample" and info.value.params["max"] == 29
    with pytest.raises(InputProblem):
        ls.ovr_sample_view("iris", 1.5)
    with pytest.raises(InputProblem) as info:
        ls.ovr_sample_view("mnist", 0)
    assert info.value.key == "err.dataset"
    out, message, state = compare.ovr_sample_output("iris", -1, "zh-Hans")
    assert out == {"__type__": "update"} and state == {"__type__": "update"}
    assert "测试样本必须是 0 到 29" in message
    out, message, state = compare.ovr_sample_output("iris", 2, "en")
    assert message == "" and state["index"] == 2 and 'id="ovr-sample-table"' in out
    # A language switch re-renders the stored sample, and shows nothing before any choice.
    again = compare._sample_again("zh-Hant", state)
    assert "一對其餘" in again[0] and again[1] == ""
    assert compare._sample_again("en", None)[0] == {"__type__": "update"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_sample_html(lang: str) -> None:
    page = rl.ovr_sample_html(ls.ovr_sample_view("wine", 0), lang)
    assert 'id="ovr-sample-table"' in page and "✓" in page
    assert not [k for k in keys() if k in page]


# ---------------------------------------------------------------------------- gradients


CASES = [([1.0, 2.0, 3.0], 0), ([0.5, -1.0, 2.0, 0.0], 3), ([10.0, -10.0], 1)]


@pytest.mark.parametrize(("z", "k"), CASES)
def test_derivation_columns_against_mpmath(z: list[float], k: int) -> None:
    view = ls.gradient_more_view(z, k, 0.5, 3)
    p = mp_probs(z)
    y = [1.0 if j == k else 0.0 for j in range(len(z))]
    # Quotient rule: ∂p_k/∂z_j = p_k (δ_kj − p_j); chain rule: −(1/p_k) that = p_j − y_j.
    jac = [float(p[k] * ((1 if j == k else 0) - p[j])) for j in range(len(z))]
    grad = [float(p[j] - y[j]) for j in range(len(z))]
    assert view["jac_row"] == pytest.approx(jac, rel=1e-12, abs=1e-15)
    assert view["chain"] == pytest.approx(grad, rel=1e-9, abs=1e-12)
    assert view["grad"] == pytest.approx(grad, rel=1e-12, abs=1e-15)
    assert view["p_target"] == pytest.approx(float(p[k]), rel=1e-13)


@pytest.mark.parametrize(("z", "k"), CASES)
def test_finite_difference_figure_against_the_analytic_gradient(z: list[float], k: int) -> None:
    view = ls.gradient_more_view(z, k, 0.5, 3)
    grad = [float(pj - (1 if j == k else 0)) for j, pj in enumerate(mp_probs(z))]
    # Central differences have error O(h²) plus rounding ~ ε·L/h: about 1e-10 at h = 1e-5.
    assert view["fd"] == pytest.approx(grad, abs=1e-8)
    by_hand = max(abs(a - b) for a, b in zip(view["fd"], view["grad"], strict=True))
    assert view["fd_max_diff"] == by_hand
    assert view["fd_max_diff"] < 1e-8
    page = rl.derivation_html(view, "en")
    shown = float(re.search(r'id="grad-fd" class="sl-note" data-value="([^"]+)"', page).group(1))
    assert shown == view["fd_max_diff"]


@pytest.mark.parametrize("lr", [0.05, 0.5, 1.0])
def test_steps_lower_the_loss_for_a_small_learning_rate(lr: float) -> None:
    z, k = [1.0, 2.0, 3.0], 0
    view = ls.gradient_more_view(z, k, lr, 8)
    losses = [row["loss"] for row in view["steps"]]
    assert len(losses) == 9 and view["loss_falls"]
    assert all(b < a for a, b in itertools.pairwise(losses))
    # Re-run the descent here with mpmath: z ← z − η (p − y).
    current = [mpmath.mpf(v) for v in z]
    for row in view["steps"]:
        p = mp_probs(current)
        assert row["loss"] == pytest.approx(float(-mpmath.log(p[k])), rel=1e-11)
        assert row["p_target"] == pytest.approx(float(p[k]), rel=1e-11)
        current = [c - lr * (p[j] - (1 if j == k else 0)) for j, c in enumerate(current)]


def test_one_example_loss_falls_for_any_learning_rate() -> None:
    # On one example a step raises every margin z_y − z_j by η(1 − p_y + p_j) > 0, so the
    # loss cannot rise whatever η is; check it on random cases against mpmath losses.
    gen = np.random.default_rng(8)
    for _ in range(20):
        n = int(gen.integers(2, 7))
        z = (3 * gen.standard_normal(n)).tolist()
        k = int(gen.integers(n))
        lr = float(gen.uniform(0.05, 10.0))
        view = ls.gradient_more_view(z, k, lr, 5)
        losses = [row["loss"] for row in view["steps"]]
        assert all(b <= a + 1e-15 for a, b in itertools.pairwise(losses)), (z, k, lr)
        assert losses[0] == pytest.approx(mp_loss(z, k), rel=1e-12)
        if losses[0] > 1e-12:
            assert losses[1] < losses[0]  # the first step strictly helps
    page = rl.derivation_html(ls.gradient_more_view([1.0, 2.0, 3.0], 0, 1.0, 3), "en")
    assert 'data-falls="1"' in page and "falls at every step" in page


@pytest.mark.parametrize(
    ("target", "lr", "steps"),
    [(3, 1.0, 5), (0, 0.0, 5), (0, 11.0, 5), (0, 1.0, 0), (0, 1.0, 51), (0, 1.0, 2.5)],
)
def test_gradient_more_rejects_bad_settings(target: int, lr: float, steps: float) -> None:
    with pytest.raises(InputProblem):
        ls.gradient_more_view([1.0, 2.0, 3.0], target, lr, steps)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gradients_tab_output_in_each_language(lang: str) -> None:
    page = gradients.derivation_output("1, 2, 3", 0, 1.0, 10, lang)
    assert 'id="grad-derivation"' in page and 'id="grad-steps"' in page
    assert page.count('class="sl-step-loss"') == 11
    assert not [k for k in keys() if k in page]
    assert "sl-error" in gradients.derivation_output("1, 2, 3", 0, 1.0, 99, lang)
