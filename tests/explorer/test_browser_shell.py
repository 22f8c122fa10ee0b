"""Browser tests of the page shell: ``<html lang>`` and title, the screen-reader region, the T box.

Expected probabilities are exp-normalised here in plain Python (``test_browser.ref_softmax``),
not by softmaxlab.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import pytest

from tests._support.mpref import ref_softmax
from tests.explorer._browser import click, settled_bar_probs
from tests.explorer.test_browser import wait_probs, wait_until

pytestmark = pytest.mark.browser

TITLES = {
    "en": "softmaxlab explorer",
    "zh-Hans": "softmaxlab 探索器",
    "zh-Hant": "softmaxlab 探索器",
}


def html_lang(page: Any) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def test_html_lang_and_title_follow_the_language_switch(page_en: tuple[Any, Any]) -> None:
    page, log = page_en
    wait_until(lambda: html_lang(page) == "en", what="<html lang=en>")
    assert page.title() == TITLES["en"]
    for lang in ("zh-Hans", "zh-Hant", "en"):
        page.locator(f'#lang input[value="{lang}"]').check()
        wait_until(lambda lang=lang: html_lang(page) == lang, what=f"<html lang={lang}>")
        wait_until(lambda lang=lang: page.title() == TITLES[lang], what=f"title in {lang}")
    assert log.page_errors == []


@pytest.mark.parametrize(("locale", "lang"), [("zh-TW", "zh-Hant"), ("zh-CN", "zh-Hans")])
def test_html_lang_follows_the_browser_locale(new_page: Any, locale: str, lang: str) -> None:
    page, _ = new_page(locale)
    wait_until(lambda: html_lang(page) == lang, what=f"<html lang={lang}> for {locale}")
    assert page.title() == TITLES[lang]


def live_texts(page: Any) -> list[str]:
    texts = page.eval_on_selector_all("[aria-live]", "els => els.map(e => e.textContent)")
    return [str(v) for v in texts]


@pytest.mark.parametrize(("locale", "done"), [("en-US", "Done"), ("zh-TW", "完成")])
def test_screen_reader_region_never_announces_a_raw_key(
    new_page: Any, locale: str, done: str
) -> None:
    page, _ = new_page(locale)
    click(page.locator("#tab-compare-button"))
    click(page.locator("#ovr-run"))  # an event with a progress display, so it is announced
    page.wait_for_selector("#ovr-table", timeout=120_000)
    seen: set[str] = set()
    deadline = time.monotonic() + 12.0  # Gradio spaces its announcements up to 5 s apart
    while time.monotonic() < deadline and done not in seen:
        seen.update(live_texts(page))
        time.sleep(0.1)
    assert not any("common." in text for text in seen), seen
    assert done in seen, seen


def type_temperature(page: Any, text: str) -> None:
    page.fill("#sm-t input", text)
    page.keyboard.press("Enter")


def test_temperature_box_shows_and_takes_t_itself(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    z = [3.0, 1.0, -3.0]
    assert float(page.input_value("#sm-t input")) == 1.0
    # No log10 T shown anywhere: not in a number box, not at the ends of the slider.
    for part in ("input[type=number]", "[data-testid=min-value]", "[data-testid=max-value]"):
        assert not page.is_visible(f"#sm-logt {part}"), part
    assert "1.301" not in page.inner_text("#sm-logt")
    type_temperature(page, "2")
    wait_until(lambda: "T = 2" in page.inner_text("#sm-chart"), what="T = 2")
    wait_probs(page, ref_softmax(z, 2.0))
    # Another control keeps T = 2 (the slider holds log10 2, not a rounded position).
    page.locator("#sm-logit-0 input[type=range]").focus()
    page.keyboard.press("ArrowLeft")
    wait_probs(page, ref_softmax([2.9, 1.0, -3.0], 2.0))
    assert "T = 2" in page.inner_text("#sm-chart")
    # The slider's left end shows T = 0.05 in the box, not log10 T = -1.301.
    page.locator("#sm-logt input[type=range]").focus()
    page.keyboard.press("Home")
    wait_until(lambda: page.input_value("#sm-t input") == "0.05", what="T box at 0.05")
    probs = settled_bar_probs(page)
    assert probs[0] == 1.0 and all(not math.isnan(p) for p in probs)
    # Keyboard steps from there walk the 0.01 grid back to T = 1 exactly (not 0.9977).
    page.keyboard.press("End")
    wait_until(lambda: page.input_value("#sm-t input") == "10", what="T box at 10")
    for _ in range(100):
        page.keyboard.press("ArrowLeft")
    wait_until(lambda: page.input_value("#sm-t input") == "1", what="T box at 1")
    assert float(page.input_value("#sm-logt input[type=range]")) == 0.0
    wait_probs(page, ref_softmax([2.9, 1.0, -3.0], 1.0))


def test_temperature_box_clamps_values_outside_the_range(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    type_temperature(page, "20")
    # Clamped to the end of the range, said under the box; box, slider and chart agree.
    wait_until(lambda: page.input_value("#sm-t input") == "10", what="T box at 10")
    message = page.inner_text("#sm-t .info-text")
    assert "[0.05, 10]" in message and "20" in message
    wait_probs(page, ref_softmax([3.0, 1.0, -3.0], 10.0))
    assert "T = 10" in page.inner_text("#sm-chart")
    # The range input's 0.01 grid starts at -1.3, so it holds log10 10 = 1 exactly.
    assert float(page.input_value("#sm-logt input[type=range]")) == 1.0
    type_temperature(page, "0.5")
    wait_probs(page, ref_softmax([3.0, 1.0, -3.0], 0.5))
    wait_until(lambda: page.locator("#sm-t .info-text").count() == 0, what="message gone")


TAB_IDS = ("softmax", "compare", "precision", "next-token", "digit", "train", "gradients")


@pytest.mark.parametrize(("locale", "lang"), [("zh-CN", "zh-Hans"), ("zh-TW", "zh-Hant")])
def test_every_tab_in_chinese_shows_no_raw_key_and_is_screenshotted(
    new_page: Any, screenshot_dir: Path, locale: str, lang: str
) -> None:
    from softmaxlab.explorer._i18n import keys, t

    page, log = new_page(locale)
    wait_until(lambda: html_lang(page) == lang, what=f"<html lang={lang}>")
    catalogue_keys = set(keys())
    for tab in TAB_IDS:
        click(page.locator(f"#tab-{tab}-button"))
        page.wait_for_timeout(300)
        text = page.inner_text("body")
        raw = sorted(k for k in catalogue_keys if k in text)
        assert raw == [], (tab, raw)
        page.screenshot(path=str(screenshot_dir / f"tab-{tab}-{lang}.png"), full_page=True)
    assert page.inner_text("#tab-precision-button") == t("tab.precision", lang)
    assert log.page_errors == []
