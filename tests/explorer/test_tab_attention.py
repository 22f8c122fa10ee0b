"""The Attention tab's view and HTML, against torch and NumPy (no browser).

The reference for the weights and outputs is ``torch.nn.functional.scaled_dot_product_attention``
on the same q, k, v; the scores are recomputed with NumPy as q·kᵀ/√d.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from softmaxlab.explorer import _attention as at
from softmaxlab.explorer import _render_attention as ra
from softmaxlab.explorer._i18n import LANGUAGES, t
from softmaxlab.explorer._problems import InputProblem
from softmaxlab.explorer.tabs import attention as tab
from softmaxlab.sampling.attention import attention_scores

SENTENCES = ["the cat sat on the mat", "小猫 坐 在 垫子 上", "a b", "one two three four five six"]


def torch_attention(view: dict, causal: bool) -> tuple[np.ndarray, np.ndarray]:
    q, k, v = (torch.tensor(view[name], dtype=torch.float64) for name in ("q", "k", "v"))
    out = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=causal)
    scores = q @ k.T / math.sqrt(q.shape[-1])
    if causal:
        n = q.shape[0]
        scores = scores.masked_fill(~torch.ones(n, n, dtype=torch.bool).tril(), -math.inf)
    return out.numpy(), torch.softmax(scores, dim=-1).numpy()


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("text", SENTENCES)
def test_view_matches_torch(text: str, causal: bool) -> None:
    view = at.attention_view(text, causal=causal, query=1)
    out, weights = torch_attention(view, causal)
    np.testing.assert_allclose(view["output"], out, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(view["weights"], weights, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("causal", [False, True])
def test_scores_are_q_kT_over_sqrt_d_with_minus_inf_above_the_diagonal(causal: bool) -> None:
    view = at.attention_view("the cat sat on the mat", causal=causal, query=2)
    q, k = np.array(view["q"]), np.array(view["k"])
    expected = q @ k.T / 2.0  # d = 4
    scores = np.array(view["scores"])
    n = len(view["tokens"])
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    if causal:
        assert np.all(scores[upper] == -np.inf)
        np.testing.assert_allclose(scores[~upper], expected[~upper], rtol=1e-13)
        assert np.all(np.array(view["weights"])[upper] == 0.0)
    else:
        np.testing.assert_allclose(scores, expected, rtol=1e-13)
    assert view["scale"] == 0.5
    # Each row sums to 1 within n ulps (the tolerance of softmaxlab.reports.sum_check).
    np.testing.assert_allclose(view["row_sums"], 1.0, rtol=0, atol=n * np.finfo(float).eps)


def test_first_query_under_the_causal_mask_sees_only_itself() -> None:
    view = at.attention_view("the cat sat", causal=True, query=1)
    assert view["weights"][0] == [1.0, 0.0, 0.0]
    np.testing.assert_allclose(view["output"][0], view["v"][0], rtol=1e-15)


def test_inputs_are_deterministic_and_follow_the_documented_construction() -> None:
    a = at.attention_view("the cat sat", causal=False, query=1)
    b = at.attention_view("the cat sat", causal=False, query=3)
    assert a["q"] == b["q"] and a["weights"] == b["weights"]
    # Same word, same position: same embedding whatever follows it.
    x1, x2 = at.embeddings(["the", "cat"]), at.embeddings(["the", "dog"])
    assert np.array_equal(x1[0], x2[0]) and not np.array_equal(x1[1], x2[1])
    # Repeated words differ only by the position code (sin/cos of the position).
    x = at.embeddings(["the", "the"])
    pos1 = np.array([math.sin(1.0), math.cos(1.0), math.sin(0.01), math.cos(0.01)])
    pos0 = np.array([0.0, 1.0, 0.0, 1.0])
    np.testing.assert_allclose(x[1] - x[0], at.POSITION_WEIGHT * (pos1 - pos0), atol=1e-15)
    w_q, _, _ = at.projections()
    np.testing.assert_allclose(a["q"], at.embeddings(a["tokens"]) @ w_q, rtol=1e-14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the  cat\tsat", ["the", "cat", "sat"]),
        ("猫坐着", ["猫", "坐", "着"]),
        ("小猫\u3000坐", ["小猫", "坐"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert at.tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "query", "key"),
    [
        ("", 1, "err.too_few"),
        ("one", 1, "err.too_few"),
        (" ".join("abcdefghijk"), 1, "err.too_many"),
        ("a b c", 4, "err.range"),
        ("a b c", 0, "err.range"),
        ("a b c", 1.5, "err.range"),
        ("a b c", None, "err.range"),
        ("a b c", float("nan"), "err.range"),
    ],
)
def test_bad_entries_are_coded_problems(text: str, query: float | None, key: str) -> None:
    with pytest.raises(InputProblem) as info:
        at.attention_view(text, causal=False, query=query)
    assert info.value.key == key
    for lang in LANGUAGES:
        assert "{" not in info.value.message(lang)


def test_output_shows_a_message_and_keeps_the_result_on_a_bad_entry() -> None:
    result, message = tab.attention_output("a b c", False, 9, "zh-Hans")
    assert message and "sl-error" in message and "查询位置" in message
    assert not isinstance(result, str)  # gr.skip(): the last good result stays
    html, message = tab.attention_output("a b c", True, 2, "en")
    assert message == "" and 'id="att-weights"' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_in_every_language(lang: str) -> None:
    view = at.attention_view(t("att.example_1", lang), causal=True, query=3)
    html = ra.attention_html(view, lang)
    assert html.count('data-score="-inf"') == len(view["tokens"]) * (len(view["tokens"]) - 1) // 2
    weights = [float(w) for w in re.findall(r'data-weight="([^"]+)"', html)]
    assert weights == [w for row in view["weights"] for w in row]
    outs = [float(v) for v in re.findall(r'data-out="([^"]+)"', html)]
    assert outs == [v for row in view["output"] for v in row]
    assert t("att.mask_on", lang) in html
    assert "{" not in re.sub(r"<[^>]+>", "", html)


def test_example_buttons_use_the_pages_language() -> None:
    text, query, html, message = tab.example("att.example_1")(False, "zh-Hant")
    assert text == t("att.example_1", "zh-Hant") and query == len(text.split())
    assert message == "" and "墊子" in html


def test_library_attention_scores_against_torch() -> None:
    rng = np.random.default_rng(3)
    q, k = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 4, 3))
    expected = (torch.tensor(q) @ torch.tensor(k).transpose(-1, -2) / math.sqrt(3)).numpy()
    np.testing.assert_allclose(attention_scores(q, k), expected, rtol=1e-13)
    np.testing.assert_allclose(attention_scores(q, k, scale=2.0), expected * math.sqrt(3) * 2)
    causal = attention_scores(q, k, is_causal=True)
    assert np.all(np.isneginf(causal[..., 0, 1:])) and np.all(np.isfinite(causal[..., 3, :]))
    assert attention_scores(q.astype(np.float32), k.astype(np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match="same last axis"):
        attention_scores(q, rng.standard_normal((4, 2)))
    with pytest.raises(ValueError, match="'scale' parameter"):
        attention_scores(q, k, scale=float("inf"))


def test_language_switch_translates_an_example_sentence_and_keeps_a_typed_one() -> None:
    text, query, html, message = tab.relabelled("zh-Hans", t("att.example_1", "en"), False, 6)
    assert text == t("att.example_1", "zh-Hans") and query == 5  # 5 tokens: the query follows
    assert message == "" and "垫子" in html
    text, query, _, _ = tab.relabelled("zh-Hant", t("att.example_2", "zh-Hans"), True, 2)
    assert text == t("att.example_2", "zh-Hant") and query == 2
    text, query, _, _ = tab.relabelled("zh-Hans", "my own words here", False, 4)
    assert (text, query) == ("my own words here", 4)
