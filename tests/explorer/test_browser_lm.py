"""Browser test of the "Next token (real model)" tab: type a prompt, decode, generate (issue 14).

Headless Chromium drives the running explorer (the app runs in this test process, so the
trained model is at hand). Expected numbers are computed here from the model's fitted weights
with plain ``math`` (exp-normalise, sorting, the top-p rule as stated), never by the page's
own view code. CI runs these tests (``CI=true`` makes a missing Chromium an error).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from tests.explorer._browser import LOCALES, click, open_tab
from tests.explorer._browser import wait_until as _wait_until

pytestmark = pytest.mark.browser


def wait_until(predicate: Any, timeout: float = 30.0, what: str = "condition") -> None:
    _wait_until(predicate, timeout, what)


def ref_softmax(z: list[float], temperature: float = 1.0) -> list[float]:
    top = max(v / temperature for v in z)
    e = [math.exp(v / temperature - top) for v in z]
    total = math.fsum(e)
    return [v / total for v in e]


def open_lm_tab(page: Any, lang: str = "en") -> None:
    open_tab(page, "lm", lang)
    page.wait_for_selector("#lm-out .sl-lm-row", timeout=60_000)


def rows(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        "#lm-out .sl-lm-row",
        "els => els.map(e => ({token: e.dataset.token, logit: +e.dataset.logit, p: +e.dataset.p,"
        " removed: e.dataset.removed === '1'}))",
    )


def weights_logits(model: Any, previous: str | None) -> list[float]:
    """Intercept plus the previous token's weight column (none for an unknown token)."""
    reg = model.regression_
    z = reg.intercept_.copy()
    if previous is not None:
        z = z + reg.coef_[:, model.contexts_.index(previous)]
    return [float(v) for v in z]


def test_type_a_prompt_see_real_logits_cut_and_generate(page_en: tuple[Any, Any]) -> None:
    from softmaxlab.explorer import _lm
    from softmaxlab.models._ngram import EOS, tokenize

    page, log = page_en
    open_lm_tab(page)
    model = _lm.get_model("en")

    # An unknown word: said on the page, and the logits are the intercepts alone.
    page.fill("#lm-prompt textarea", "the zebra")
    page.wait_for_selector("#lm-out .sl-lm-unk")
    assert "zebra" in page.inner_text("#lm-out .sl-lm-unk")
    z = weights_logits(model, None)
    wait_until(
        lambda: (
            [r["logit"] for r in rows(page)][:3]
            == pytest.approx(sorted(z, reverse=True)[:3], abs=1e-12)
        ),
        what="intercept logits after <unk>",
    )

    # A known previous token: its weight column, and softmax over all tokens.
    prompt = "in the morning , the dog"
    page.fill("#lm-prompt textarea", prompt)
    z = weights_logits(model, "dog")
    p = ref_softmax(z)
    order = sorted(range(len(z)), key=lambda i: (-z[i], i))
    wait_until(
        lambda: (
            [r["token"] for r in rows(page)]
            == [model.classes_[i] for i in order[: len(rows(page))]]
            and page.eval_on_selector_all("#lm-out .sl-lm-tok", "els => els.length") == 6
        ),
        what="the logits after 'dog'",
    )
    for r, row in enumerate(rows(page)):
        assert row["token"] == model.classes_[order[r]]
        assert row["logit"] == pytest.approx(z[order[r]], abs=1e-12)
        assert row["p"] == pytest.approx(p[order[r]], abs=1e-12)

    # top-p by the keyboard: the bar keeps the head whose mass above each token is < top-p.
    page.locator("#lm-top-p input[type=range]").focus()
    for _ in range(40):
        page.keyboard.press("ArrowLeft")
    wait_until(lambda: page.locator("#lm-out .sl-lm-cut").count() == 1, what="the top-p line")
    wait_until(
        lambda: float(page.get_attribute("#lm-out .sl-lm-cut", "data-top-p") or 0) < 0.61,
        what="top-p at 0.6",
    )
    top_p = float(page.get_attribute("#lm-out .sl-lm-cut", "data-top-p") or "nan")
    assert top_p == pytest.approx(0.6, abs=1e-9)
    kept, above = [], 0.0
    for i in order:
        kept.append(above < top_p)
        above += p[i]
    segs = page.eval_on_selector_all(
        "#lm-out .sl-lm-seg", "els => els.map(e => [e.dataset.token, e.dataset.kept === '1'])"
    )
    assert [s[0] for s in segs] == [model.classes_[i] for i in order]
    assert [s[1] for s in segs] == kept
    assert 1 < sum(kept) < len(kept)

    # Generate 12 tokens: the same tokens as the library's generate with this seed.
    page.fill("#lm-seed input", "5")
    page.locator("#lm-seed input").press("Enter")
    click(page.locator("#lm-generate"))
    page.wait_for_selector("#lm-gen .sl-lm-gen-token")
    shown = page.eval_on_selector_all(
        "#lm-gen .sl-lm-gen-token", "els => els.map(e => e.dataset.token)"
    )
    expected = model.generate(tokenize(prompt), 12, top_p=top_p, seed=5)
    assert shown == expected

    # Token by token: the step button appends the token the page calls "sampled".
    sampled = page.get_attribute("#lm-out .sl-lm-choice", "data-sampled")
    assert sampled == expected[0]
    click(page.locator("#lm-step"))
    if sampled == EOS:
        page.wait_for_selector("#lm-gen .sl-lm-ended")
    else:
        wait_until(
            lambda: (
                tokenize(page.input_value("#lm-prompt textarea")) == [*tokenize(prompt), sampled]
            ),
            what="the prompt with one more token",
        )
        # The view now predicts the token after the appended one.
        wait_until(
            lambda: page.get_attribute("#lm-out .sl-lm-choice", "data-sampled") == expected[1],
            what="the next sampled token",
        )
    assert log.page_errors == []


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
def test_tab_in_three_languages_is_screenshotted(
    new_page: Any, screenshot_dir: Path, locale: str, lang: str
) -> None:
    from softmaxlab.explorer._i18n import keys, t

    page, log = new_page(locale)
    wait_until(lambda: page.get_attribute("html", "lang") == lang, what=f"lang={lang}")
    open_lm_tab(page, lang)
    assert t("tab.lm", lang) in page.inner_text("#tabs")
    text = page.inner_text("#tab-lm")
    assert t("lm.read", lang) in text
    raw = sorted(k for k in keys() if k.startswith("lm.") and k in text)
    assert raw == []
    # The page's language picks the corpus: Chinese pages read Chinese characters.
    tokens = page.eval_on_selector_all("#lm-out .sl-lm-tok", "els => els.map(e => e.dataset.token)")
    expected = {"en": ["in", "the", "morning", ",", "the", "cat"], "zh-Hans": list("小猫在"),
                "zh-Hant": list("小貓在")}[lang]  # fmt: skip
    assert tokens == expected
    click(page.locator("#lm-generate"))
    page.wait_for_selector("#lm-gen .sl-lm-gen-token")
    path = screenshot_dir / f"tab-lm-{lang}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    assert log.page_errors == []
