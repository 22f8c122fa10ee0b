"""Browser tests of the Attention and Segmentation tabs, the Σ row and the train warnings.

Headless Debian Chromium through Playwright (fixtures in ``conftest.py``); the expected numbers
come from NumPy/SciPy formulas written here, not from the page's own code.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax

from softmaxlab.explorer._i18n import t
from tests.explorer._browser import click, open_tab, wait_until

pytestmark = pytest.mark.browser


def weights(page: Any) -> np.ndarray:
    raw = page.eval_on_selector_all(
        "#att-weights td[data-weight]", "els => els.map(e => +e.dataset.weight)"
    )
    n = math.isqrt(len(raw))
    return np.array(raw).reshape(n, n)


def scores(page: Any) -> np.ndarray:
    raw = page.eval_on_selector_all(
        "#att-scores td[data-score]", "els => els.map(e => e.dataset.score)"
    )
    n = math.isqrt(len(raw))
    return np.array([float(v) for v in raw]).reshape(n, n)


def test_sigma_row_in_the_steps_table(page_en: tuple[Any, Any], screenshot_dir: Path) -> None:
    page, log = page_en
    page.locator("#sm-steps-table").screenshot(path=str(screenshot_dir / "sigma-row-en.png"))
    exp_sum = float(page.get_attribute("#sm-steps-table .sl-exp-sum", "data-exp-sum") or "nan")
    # Default logits 3, 1, −3 at T = 1: Σ exp(z − 3) = 1 + e⁻² + e⁻⁶.
    assert exp_sum == pytest.approx(1 + math.exp(-2) + math.exp(-6), rel=1e-15)
    last_row = page.locator("#sm-steps-table tr").last.inner_text()
    assert last_row.startswith("Σ") and "Σ = 1.13781" in last_row
    assert "exp ÷ Σ" in page.inner_text("#sm-steps-table")
    # Moving a logit changes Σ exp: B from 1.0 to 2.0.
    page.locator("#sm-logit-1 input[type=range]").focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    expected = 1 + math.exp(-1) + math.exp(-6)
    wait_until(
        lambda: (
            abs(float(page.get_attribute("#sm-steps-table .sl-exp-sum", "data-exp-sum")) - expected)
            < 1e-12
        ),
        what="Σ exp after the move",
    )
    assert log.page_errors == []


def test_train_iris_shows_the_temperature_warning(page_en: tuple[Any, Any]) -> None:
    page, log = page_en
    open_tab(page, "train")
    page.locator('#tr-dataset input[value="iris"]').check()
    click(page.locator("#tr-run"))
    page.wait_for_selector("#tr-out .sl-train-warning[data-warning=lower]", timeout=120_000)
    assert "lower bound 0.05" in page.inner_text("#tr-out .sl-train-warning")
    page.locator('#lang input[value="zh-Hans"]').check()
    wait_until(lambda: "下限 0.05" in page.inner_text("#tr-out"), what="简体 warning")
    assert log.page_errors == []


def test_attention_mask_toggle(page_en: tuple[Any, Any], screenshot_dir: Path) -> None:
    page, log = page_en
    open_tab(page, "attention")
    page.wait_for_selector("#att-weights", state="visible")
    w = weights(page)
    assert w.shape == (6, 6) and np.all(w > 0)  # no mask: every weight positive
    np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-15)
    np.testing.assert_allclose(w, scipy_softmax(scores(page), axis=1), rtol=1e-12)
    page.locator("#att-causal input[type=checkbox]").check()
    page.wait_for_selector("#att-out .sl-attention[data-causal='1']")
    w, s = weights(page), scores(page)
    upper = np.triu(np.ones((6, 6), dtype=bool), 1)
    assert np.all(w[upper] == 0) and np.all(np.isneginf(s[upper]))
    np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-15)
    assert page.locator("#att-scores td.sl-masked").count() == 15
    assert "−∞" in page.inner_text("#att-scores")
    # The chosen query's bars are its row of weights.
    bars = page.eval_on_selector_all(
        "#att-out .sl-att-query .sl-bar", "els => els.map(e => +e.dataset.p)"
    )
    np.testing.assert_array_equal(bars, w[2])
    page.screenshot(path=str(screenshot_dir / "tab-attention-causal-en.png"), full_page=True)
    page.locator("#att-causal input[type=checkbox]").uncheck()
    page.wait_for_selector("#att-out .sl-attention[data-causal='0']")
    assert page.locator("#att-scores td.sl-masked").count() == 0
    # A query outside the sentence: a message next to the controls, the result stays.
    page.fill("#att-query input", "9")
    page.locator("#att-query input").press("Enter")
    page.wait_for_selector("#att-message .sl-error")
    assert "query position" in page.inner_text("#att-message")
    assert page.locator("#att-weights").count() == 1
    # An example sentence resets the query to its last token and clears the message.
    click(page.locator("#att-example-3"))
    wait_until(lambda: page.locator("#att-message .sl-error").count() == 0, what="message cleared")
    wait_until(lambda: weights(page).shape == (5, 5), what="5 tokens")
    assert log.page_errors == []


def test_segmentation_temperature_and_pixel(page_en: tuple[Any, Any]) -> None:
    page, log = page_en
    open_tab(page, "segmentation")
    page.wait_for_selector("#seg-labels", state="visible")
    assert page.locator("#seg-labels rect[data-label]").count() == 256
    for k in range(3):
        assert page.locator(f"#seg-prob-{k} rect[data-p]").count() == 256
    p = [
        page.eval_on_selector_all(
            f"#seg-prob-{k} rect[data-p]", "els => els.map(e => +e.dataset.p)"
        )
        for k in range(3)
    ]
    np.testing.assert_allclose(np.sum(p, axis=0), 1.0, atol=3e-16)
    labels = page.eval_on_selector_all(
        "#seg-labels rect[data-label]", "els => els.map(e => +e.dataset.label)"
    )
    np.testing.assert_array_equal(labels, np.argmax(p, axis=0))
    before = max(
        page.eval_on_selector_all(
            "#seg-out .sl-seg-pixel .sl-bar", "els => els.map(e => +e.dataset.p)"
        )
    )
    # Lower the temperature by keyboard: the picked pixel gets more confident, labels stay.
    page.locator("#seg-t input[type=range]").focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    wait_until(lambda: page.get_attribute("#seg-out .sl-seg", "data-t") == "0.5", what="T = 0.5")
    after = max(
        page.eval_on_selector_all(
            "#seg-out .sl-seg-pixel .sl-bar", "els => els.map(e => +e.dataset.p)"
        )
    )
    assert after > before
    assert (
        page.eval_on_selector_all(
            "#seg-labels rect[data-label]", "els => els.map(e => +e.dataset.label)"
        )
        == labels
    )
    page.fill("#seg-seed input", "-1")  # out of range: set to 0, said under the box
    page.locator("#seg-seed input").press("Enter")
    wait_until(lambda: page.locator("#seg-seed .info-text").count() == 1, what="seed message")
    assert "seed" in page.inner_text("#seg-seed .info-text").lower()
    assert page.input_value("#seg-seed input") == "0"
    assert log.page_errors == []


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant"])
def test_screenshots_in_each_language(
    page_en: tuple[Any, Any], explorer_url: str, screenshot_dir: Path, lang: str
) -> None:
    page, log = page_en
    page.goto(f"{explorer_url}?lang={lang}", wait_until="load")
    wait_until(lambda: page.inner_text("#tab-compare-button") == t("tab.compare", lang), what=lang)
    for tab, selector in (("attention", "#att-weights"), ("segmentation", "#seg-labels")):
        open_tab(page, tab, lang)
        page.wait_for_selector(selector, state="visible")
        path = screenshot_dir / f"tab-{tab}-{lang}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    assert "Traceback" not in page.inner_text("body")
    assert log.page_errors == []


@pytest.mark.parametrize("tab", ["attention", "segmentation"])
def test_phone_width_has_no_page_wide_scroll(new_page: Any, screenshot_dir: Path, tab: str) -> None:
    page, log = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    open_tab(page, tab)
    page.wait_for_selector("#att-weights" if tab == "attention" else "#seg-labels", state="visible")
    width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"tab-{tab}-phone.png"), full_page=True)
    assert width <= 1, f"the page scrolls sideways by {width} px"
    assert log.page_errors == []


def test_steps_table_stays_inside_the_page_at_1024_px(new_page: Any) -> None:
    page, log = new_page()
    page.set_viewport_size({"width": 1024, "height": 900})
    page.wait_for_selector("#sm-steps-table .sl-exp-sum")
    width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 1, f"the page scrolls sideways by {width} px"
    # The table may be wider than its column: it then scrolls inside its own box, whose right
    # edge stays on screen (without that box the table's last column is cut off at 1024 px).
    right, table_width, scroll_width = page.evaluate(
        """() => {
            const box = document.querySelector('#sm-details .sl-steps-scroll');
            const table = box.querySelector('#sm-steps-table');
            return [box.getBoundingClientRect().right, table.offsetWidth, box.scrollWidth];
        }"""
    )
    assert right <= 1024 and scroll_width >= table_width
    assert log.page_errors == []
