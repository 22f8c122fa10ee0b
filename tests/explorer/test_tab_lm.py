"""The "Next token (real model)" tab without a browser: views, cuts and languages (issue 14).

References are independent of the code under test: probabilities by exp-normalise in plain
``math`` from the fitted weights, the top-k and top-p cuts by sorting those probabilities
here and applying the rules as stated (top-k: logits strictly below the k-th largest go;
top-p: a token stays iff the mass ranked above it is below top_p).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import gradio as gr
import numpy as np
import pytest

from softmaxlab.explorer import _lm
from softmaxlab.explorer import _render_lm as rl
from softmaxlab.explorer.tabs import lm as tab
from softmaxlab.models._lm_corpus import corpus_sentences
from softmaxlab.models._ngram import BOS, EOS, UNK, tokenize

LANGS = ("en", "zh-Hans", "zh-Hant")


def ref_softmax(z: list[float], temperature: float = 1.0) -> list[float]:
    top = max(v / temperature for v in z)
    e = [math.exp(v / temperature - top) for v in z]
    total = math.fsum(e)
    return [v / total for v in e]


def lm_view(corpus: str, prompt: str, *controls: float) -> dict[str, Any]:
    """The tab's next-token view for these control values (the tab's own reading of them)."""
    return tab.Settings(corpus, prompt, *controls).view()


def generate_view(corpus: str, prompt: str, *controls_n: float) -> dict[str, Any]:
    """The tab's generated tokens for these control values and ``n``."""
    *controls, n = controls_n
    return tab.Settings(corpus, prompt, *controls).generate(n)


@pytest.fixture(scope="module")
def model_en() -> object:
    return _lm.get_model("en")


def test_logits_are_the_fitted_weights_of_the_previous_token(model_en: object) -> None:
    view = lm_view("en", "in the morning , the CAT", 1.0, 0, 1.0, 0.0, 0)
    m = model_en
    reg = m.regression_  # type: ignore[attr-defined]
    col = m.contexts_.index("cat")  # type: ignore[attr-defined]
    z = (reg.intercept_ + reg.coef_[:, col]).tolist()
    p = ref_softmax(z)
    order = sorted(range(len(z)), key=lambda i: (-z[i], i))
    assert view["context"] == "cat"
    assert len(view["rows"]) == _lm.N_TOP
    for r, row in enumerate(view["rows"]):
        i = order[r]
        assert row["token"] == m.classes_[i]  # type: ignore[attr-defined]
        assert row["logit"] == pytest.approx(z[i], abs=1e-12)
        assert row["p"] == pytest.approx(p[i], abs=1e-12)
    assert view["greedy"] == m.classes_[order[0]]  # type: ignore[attr-defined]
    # The model was trained on its corpus: the bigram estimate it approximates is sensible.
    counts = {}
    for s in corpus_sentences("en"):
        seq = [BOS, *s, EOS]
        for u, v in itertools.pairwise(seq):
            if u == "cat":
                counts[v] = counts.get(v, 0) + 1
    # C = 1 smooths the count estimate (tests/models/test_ngram.py checks that the unpenalised
    # fit reaches it); the three most likely continuations are still those counted most often.
    by_count = sorted(counts, key=lambda w: -counts[w])
    assert {row["token"] for row in view["rows"][:3]} == set(by_count[:3])


@pytest.mark.parametrize(
    ("top_k", "top_p", "temperature"), [(0, 0.6, 1.0), (8, 0.9, 0.7), (0, 0.3, 2.0)]
)
def test_top_k_and_top_p_cuts_match_the_sorted_cumulative_probabilities(
    model_en: object, top_k: int, top_p: float, temperature: float
) -> None:
    view = lm_view("en", "the", temperature, top_k, top_p, 0.0, 0)
    z = model_en.next_logits(["the"]).tolist()  # type: ignore[attr-defined]
    classes = model_en.classes_  # type: ignore[attr-defined]
    order = sorted(range(len(z)), key=lambda i: (-z[i], i))
    keep = set(order)
    if top_k:
        kth = z[order[top_k - 1]]
        keep = {i for i in order if z[i] >= kth}
    p_t = ref_softmax([z[i] / 1.0 if i in keep else -math.inf for i in range(len(z))], temperature)
    mass_above, kept_p = 0.0, set()
    for i in order:
        if i in keep and mass_above < top_p:
            kept_p.add(i)
        mass_above += p_t[i]
    # The bar: sorted tokens, their probabilities and running sum, blue exactly where kept.
    bar = view["cum"]
    assert [b["token"] for b in bar] == [classes[i] for i in order]
    running = np.cumsum([p_t[i] for i in order])
    for b, i, c in zip(bar, order, running, strict=True):
        assert b["p"] == pytest.approx(p_t[i], abs=1e-12)
        assert b["cum"] == pytest.approx(c, abs=1e-9)
        assert b["kept"] == (i in kept_p)
    assert view["kept"][2] == len(kept_p)
    # After decoding: renormalised over the kept tokens, zero elsewhere.
    final = ref_softmax([z[i] if i in kept_p else -math.inf for i in range(len(z))], temperature)
    for row in view["rows"]:
        i = classes.index(row["token"])
        assert row["pp"] == pytest.approx(final[i], abs=1e-12)
        assert row["removed"] == (i not in kept_p)
    html = rl.lm_html(view, "en")
    assert f'data-top-p="{top_p!r}"' in html
    assert html.count('class="sl-lm-seg"') == len(z)


def test_unknown_words_are_read_as_unk_and_said(model_en: object) -> None:
    view = lm_view("en", "the zebra", 1.0, 0, 1.0, 0.0, 0)
    assert view["read"] == ["the", UNK] and view["unknown"] == ["zebra"]
    assert view["context"] == UNK
    reg = model_en.regression_  # type: ignore[attr-defined]
    logits = [row["logit"] for row in view["rows"]]
    assert logits == pytest.approx(sorted(reg.intercept_.tolist(), reverse=True)[: _lm.N_TOP])
    for lang, word in zip(
        LANGS, ("Not in the vocabulary", "不在词表中", "不在詞表中"), strict=True
    ):
        html = rl.lm_html(view, lang)
        assert word in html and "&lt;unk&gt;" in html


def test_generation_is_reproducible_and_equals_the_library(model_en: object) -> None:
    settings = ("en", "in the evening ,", 1.3, 0, 0.95, 0.0, 11)
    a = generate_view(*settings, 15)
    assert a == generate_view(*settings, 15)
    drawn = model_en.generate(  # type: ignore[attr-defined]
        tokenize("in the evening ,"), 15, temperature=1.3, top_p=0.95, seed=11
    )
    assert [s["token"] for s in a["steps"]] == drawn
    others = {
        tuple(s["token"] for s in generate_view(*settings[:-1], k, 15)["steps"]) for k in range(6)
    }
    assert len(others) > 1
    # The step button appends exactly the token the view calls "sampled".
    view = lm_view(*settings)
    prompt, ended = _lm.stepped(settings[1], generate_view(*settings, 1))
    if ended:
        assert view["sampled"] == EOS
    else:
        assert tokenize(prompt) == [*tokenize(settings[1]), view["sampled"]]


def test_chinese_corpora_generate_characters() -> None:
    for corpus in ("zh-Hans", "zh-Hant"):
        view = generate_view(corpus, _lm.EXAMPLE_PROMPTS[corpus], 1.0, 0, 1.0, 0.0, 4, 10)
        assert all(len(s["token"]) == 1 or s["token"] == EOS for s in view["steps"])
        assert " " not in view["text"]
        assert view["text"].startswith(_lm.EXAMPLE_PROMPTS[corpus])


@pytest.mark.parametrize("lang", LANGS)
def test_three_languages_and_errors_in_them(lang: str) -> None:
    html = tab.on_settings("en", "the cat", 1.0, 0, 0.9, 0.0, 0, lang)[0]
    title = {"en": "largest logits", "zh-Hans": "最大的", "zh-Hant": "最大的"}[lang]
    assert title in html and "sl-lm-cut" in html
    bad = tab.on_settings("en", "the cat", 1.0, 0, 0.9, 0.0, -4, lang)[0]
    assert "sl-error" in bad and "-4" in bad
    hot = tab.on_settings("en", "the cat", 12.0, 0, 0.9, 0.0, 0, lang)[0]
    assert "sl-error" in hot and "12" in hot
    gen, kind = tab.on_generate("en", "the", 1.0, 0, 1.0, 0.0, 0, 5, lang)
    assert kind == "generated" and "sl-lm-gen-token" in gen
    too_many = tab.on_generate("en", "the", 1.0, 0, 1.0, 0.0, 0, 500, lang)[0]
    assert "sl-error" in too_many and "500" in too_many


def test_language_switch_follows_the_corpus_only_for_an_example_prompt() -> None:
    _lm.start_models()
    corpus, prompt, html = tab.again(
        "zh-Hant", "en", _lm.EXAMPLE_PROMPTS["en"], 1.0, 0, 1.0, 0.0, 0
    )
    assert (corpus, prompt) == ("zh-Hant", _lm.EXAMPLE_PROMPTS["zh-Hant"])
    assert "sl-lm-row" in html
    corpus, prompt, _ = tab.again("zh-Hans", "en", "the dog", 1.0, 0, 1.0, 0.0, 0)
    assert (corpus, prompt) == ("en", "the dog")


def test_waiting_note_in_every_language() -> None:
    for lang, word in zip(LANGS, ("about a second", "约一秒", "約一秒"), strict=True):
        assert word in rl.lm_waiting_html(lang)


def test_step_appends_one_token_or_says_the_sentence_ended() -> None:
    prompt, note, kind = tab.on_step("en", "the cat", 0.0, 0, 1.0, 0.0, 0, "en")
    assert kind == "" and note == ""
    greedy = lm_view("en", "the cat", 0.0, 0, 1.0, 0.0, 0)["greedy"]
    assert tokenize(prompt) == ["the", "cat", greedy]
    # After "." greedy decoding draws </s>: the prompt stays and the page says so.
    update, note, kind = tab.on_step("en", "the cat sat .", 0.0, 0, 1.0, 0.0, 0, "zh-Hans")
    assert update == gr.skip()
    assert kind == "ended" and "</s>" in note.replace("&lt;", "<").replace("&gt;", ">")
    assert "句子结束" in note
    assert tab.generated_again("en", "en", "x", 1, 0, 1, 0, 0, 3, "ended") == [rl.ended_html("en")]
    # A bad seed: the message, and the prompt left alone.
    update, note, kind = tab.on_step("en", "the cat", 1.0, 0, 1.0, 0.0, -1, "en")
    assert "sl-error" in note and kind == "" and update == gr.skip()


def test_language_switch_before_the_tab_opens_trains_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_lm, "_MODELS", {})
    corpus, prompt, html = tab.again(
        "zh-Hans", "en", _lm.EXAMPLE_PROMPTS["en"], 1.0, 0, 1.0, 0.0, 0
    )
    assert (corpus, prompt) == ("zh-Hans", "小猫在")
    assert "sl-lm-waiting" in html and _lm._MODELS == {}


def test_model_reads_end_of_sentence_as_a_new_start(model_en: object) -> None:
    m = model_en
    assert m.read(["cat", EOS, "zebra"]) == ["cat", BOS, UNK]  # type: ignore[attr-defined]
    np.testing.assert_array_equal(m.next_logits(["cat", EOS]), m.next_logits([]))  # type: ignore[attr-defined]
    assert m.fit_seconds_ < 60  # type: ignore[attr-defined]
