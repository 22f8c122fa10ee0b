"""Browser tests: bad values typed into sliders' boxes, number boxes and text boxes (issue 11).

Each bad entry must be answered next to the control, in the page's language, never by
Gradio's English toast; the box, the slider and the chart must agree afterwards; a huge entry
is quoted by a short prefix only. Expected probabilities come from mpmath
(``tests/_support/mpref.py``); the expected message fragments are written out here.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests._support.mpref import ref_softmax
from tests.explorer._browser import bar_probs, open_tab, wait_until

pytestmark = pytest.mark.browser

LANGS = [("en-US", "en"), ("zh-CN", "zh-Hans")]

# Fragments of each message, written independently of the catalogues' code.
RANGE = {
    "en": "outside the allowed range [{low}, {high}]",
    "zh-Hans": "超出允许范围 [{low}, {high}]",
}
SET_TO = {"en": "it was set to {v}", "zh-Hans": "已改为 {v}"}
EMPTY = {"en": "the box is empty; it was set back to {v}", "zh-Hans": "输入框是空的，已恢复为 {v}"}
NOT_NUMBER = {"en": "is not a number", "zh-Hans": "不是数字"}


def info(page: Any, elem_id: str) -> str:
    """The message line under a control (Gradio's ``info`` text), or ''."""
    # One read in the page: a count() then inner_text() pair races with a server answer that
    # removes the line between the two calls, and inner_text then waits for it in vain.
    text: str = page.evaluate(
        "id => { const e = document.querySelector('#' + id + ' .info-text');"
        " return e ? e.innerText : ''; }",
        elem_id,
    )
    return text


def no_toast(page: Any) -> None:
    """Gradio's own error toast never appears (it is English and far from the control)."""
    page.wait_for_timeout(300)
    assert page.locator(".toast-body").count() == 0
    assert "greater than maximum" not in page.inner_text("body")


def type_into(page: Any, selector: str, text: str) -> None:
    box = page.locator(selector)
    box.fill(text)
    box.press("Enter")


def close(a: list[float], b: list[float], tol: float = 1e-12) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize(("locale", "lang"), LANGS)
def test_out_of_range_in_a_logit_box_is_clamped_with_a_message(
    new_page: Any, locale: str, lang: str
) -> None:
    page, log = new_page(locale)
    type_into(page, "#sm-logit-0 input[type=number]", "50")
    expected = ref_softmax([10.0, 1.0, -3.0])
    wait_until(lambda: close(bar_probs(page), expected), 30, "chart for the clamped logit 10")
    assert page.locator("#sm-logit-0 input[type=number]").input_value() == "10"
    assert float(page.locator("#sm-logit-0 input[type=range]").input_value()) == 10.0
    message = info(page, "sm-logit-0")
    assert RANGE[lang].format(low=-10, high=10) in message
    assert SET_TO[lang].format(v=10) in message
    no_toast(page)
    # A good value afterwards clears the message.
    type_into(page, "#sm-logit-0 input[type=number]", "2")
    wait_until(lambda: close(bar_probs(page), ref_softmax([2.0, 1.0, -3.0])), 30, "chart for 2")
    wait_until(lambda: info(page, "sm-logit-0") == "", 10, "message cleared")
    assert log.page_errors == []


@pytest.mark.parametrize(("locale", "lang"), LANGS)
def test_emptied_temperature_box_is_set_back(new_page: Any, locale: str, lang: str) -> None:
    page, _ = new_page(locale)
    type_into(page, "#sm-t input", "2")
    wait_until(
        lambda: close(bar_probs(page), ref_softmax([3.0, 1.0, -3.0], 2.0)), 30, "chart at T = 2"
    )
    type_into(page, "#sm-t input", "")
    wait_until(lambda: info(page, "sm-t") != "", 30, "a message under the T box")
    assert EMPTY[lang].format(v=1) in info(page, "sm-t")
    wait_until(lambda: close(bar_probs(page), ref_softmax([3.0, 1.0, -3.0])), 30, "chart at T = 1")
    assert page.locator("#sm-t input").input_value() == "1"
    # The range input's 0.01 grid starts at -1.3, so it holds log10 1 = 0 exactly.
    assert float(page.locator("#sm-logt input[type=range]").input_value()) == 0.0
    no_toast(page)


@pytest.mark.parametrize(("locale", "lang"), LANGS)
def test_negative_seed_is_clamped_and_the_map_follows(
    new_page: Any, locale: str, lang: str
) -> None:
    page, _ = new_page(locale)
    open_tab(page, "segmentation", lang)
    seed0 = page.inner_html("#seg-out")
    type_into(page, "#seg-seed input", "7")
    wait_until(lambda: page.inner_html("#seg-out") != seed0, 30, "the map for seed 7")
    type_into(page, "#seg-seed input", "-5")
    wait_until(lambda: info(page, "seg-seed") != "", 30, "a message under the seed box")
    message = info(page, "seg-seed")
    assert RANGE[lang].format(low=0, high=9999) in message
    assert SET_TO[lang].format(v=0) in message
    assert page.locator("#seg-seed input").input_value() == "0"
    # The map shown is the one of the seed the box shows (0, the map at start).
    wait_until(lambda: page.inner_html("#seg-out") == seed0, 30, "the map for seed 0")
    no_toast(page)


@pytest.mark.parametrize(("locale", "lang"), LANGS)
def test_8_mb_entry_is_refused_with_a_short_message(new_page: Any, locale: str, lang: str) -> None:
    page, log = new_page(locale)
    open_tab(page, "precision", lang)
    before = page.inner_text("#prec-out")
    type_into(page, "#tab-precision textarea >> nth=0", "x" * 8_000_000)
    wait_until(lambda: NOT_NUMBER[lang] in page.inner_text("#prec-out"), 60, "the message")
    text = page.inner_text("#prec-out")
    assert "x" * 20 in text and "x" * 100 not in text
    assert len(text) < 400, text[:400]
    assert text != before
    no_toast(page)
    assert log.page_errors == []
