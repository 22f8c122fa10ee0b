"""Browser tests for the remaining items of issue 14.

Winner-takes-all plots, "Sample N times" drawing anew, the drawing canvas (brush ready, tool
tips in the page's language, the "none of these" note), the layout at 1024 px, 1280 px and
phone width, and one screenshot of every tab in every language (``artifacts/screenshots/
tabs/<tab>-<lang>.png``). Expected probabilities come from mpmath (tests/_support/mpref.py).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from softmaxlab.explorer._i18n import t
from tests._support.mpref import ref_softmax
from tests.explorer._browser import LOCALES, bar_probs, click, open_tab, wait_until

pytestmark = pytest.mark.browser

TABS = (
    "softmax",
    "compare",
    "precision",
    "next-token",
    "digit",
    "train",
    "cross-entropy",
    "gradients",
    "attention",
    "segmentation",
    "action",
    "lm",
)


def close(a: list[float], b: list[float], tol: float = 1e-12) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def top(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


def page_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


# ------------------------------------------------------------------ winner takes all


def test_winner_plots_follow_the_controls(new_page: Any) -> None:
    page, log = new_page("zh-CN")
    page.locator("#sm-logit-0 input[type=range]").focus()
    page.keyboard.press("ArrowLeft")
    expected = [float(p) for p in ref_softmax([2.9, 1.0, -3.0])]
    wait_until(lambda: close(bar_probs(page), expected), 30, "chart for 2.9, 1, -3")

    def point() -> list[float]:
        raw = page.get_attribute("#sm-winner .sl-simplex-point", "data-p") or ""
        return [float(v) for v in raw.split(",")]

    wait_until(lambda: close(point(), expected), 30, "the simplex point at p")
    assert page.locator("#sm-winner polyline.sl-ptemp").count() == 3
    assert "赢者通吃" in page.inner_text("#sm-winner")
    page.locator("#sm-t input").fill("2")
    page.locator("#sm-t input").press("Enter")
    wait_until(
        lambda: page.get_attribute("#sm-winner .sl-ptemp-now", "data-t") == "2.0", 30, "T = 2"
    )
    wait_until(lambda: close(point(), [float(p) for p in ref_softmax([2.9, 1.0, -3.0], 2.0)]))
    # Four classes: no simplex, a sentence saying why.
    click(page.locator("#sm-add"))
    wait_until(lambda: len(bar_probs(page)) == 4, 30, "a fourth class")
    wait_until(lambda: page.locator("#sm-winner .sl-simplex").count() == 0, 30, "no simplex")
    assert "现在有 4 个" in page.inner_text("#sm-winner")
    assert log.page_errors == []


# ------------------------------------------------------------------ sampling


def hist_counts(page: Any) -> list[int]:
    return page.eval_on_selector_all(
        "#nt-hist .sl-hist-row", "els => els.map(e => +e.dataset.count)"
    )


def test_sampling_again_draws_a_new_histogram(new_page: Any) -> None:
    page, _ = new_page()
    open_tab(page, "next-token")
    click(page.locator("#nt-sample"))
    wait_until(lambda: page.locator("#nt-hist .sl-hist").count() == 1, 30, "a histogram")
    first = hist_counts(page)
    assert page.get_attribute("#nt-hist .sl-hist", "data-seed") == "0"
    wait_until(lambda: page.input_value("#nt-seed input") == "1", 30, "seed box moved to 1")
    click(page.locator("#nt-sample"))
    wait_until(
        lambda: page.get_attribute("#nt-hist .sl-hist", "data-seed") == "1", 30, "seed 1 drawn"
    )
    second = hist_counts(page)
    assert sum(first) == sum(second) == 1000 and first != second
    assert page.input_value("#nt-seed input") == "2"
    assert "seed 1" in page.inner_text("#nt-hist")
    # Typing the first seed back repeats the first histogram exactly.
    page.locator("#nt-seed input").fill("0")
    page.locator("#nt-seed input").press("Enter")
    wait_until(lambda: page.locator("#nt-hist .sl-hist").count() == 0, 30, "histogram cleared")
    click(page.locator("#nt-sample"))
    wait_until(
        lambda: page.get_attribute("#nt-hist .sl-hist", "data-seed") == "0", 30, "seed 0 again"
    )
    assert hist_counts(page) == first


# ------------------------------------------------------------------ drawing canvas


def draw_dot(page: Any) -> None:
    canvas = page.locator("#dg-pad canvas").first
    box = canvas.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 2, y + 2, steps=2)
    page.mouse.up()


@pytest.mark.parametrize(("locale", "lang"), [("zh-CN", "zh-Hans"), ("zh-TW", "zh-Hant")])
def test_canvas_is_ready_speaks_the_page_language_and_says_softmax_cannot_refuse(
    new_page: Any, locale: str, lang: str
) -> None:
    page, log = new_page(locale)
    open_tab(page, "digit", lang)
    brush = page.locator("#dg-pad .toolbar-wrap button").first
    wait_until(lambda: "highlight" in (brush.get_attribute("class") or ""), 30, "brush selected")
    titles = page.eval_on_selector_all(
        "#dg-pad button[title]", "els => els.map(e => e.getAttribute('title'))"
    )
    assert len(titles) >= 6
    english = [x for x in titles if re.search(r"[A-Za-z]{3,}", x)]
    assert english == [], english
    assert "select the draw tool" not in page.inner_text("#dg-pad")
    intro = page.inner_text("#tab-digit")
    assert "先选择画笔" not in intro and "先選擇畫筆" not in intro
    draw_dot(page)  # with no click on the brush first
    page.wait_for_selector("#dg-out .sl-digit-probs", timeout=90_000)
    probs = [
        float(v)
        for v in page.eval_on_selector_all("#dg-out .sl-bar", "els => els.map(e => e.dataset.p)")
    ]
    assert len(probs) == 10 and math.fsum(probs) == pytest.approx(1.0, abs=1e-12)
    assert "softmax" in page.inner_text("#dg-out .sl-digit-none")
    assert "都不是" in page.inner_text("#dg-out .sl-digit-none")
    assert log.page_errors == []


ARIA_JS = (
    "() => [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))"
)


def english_labels(page: Any) -> list[str]:
    """The aria-labels of the page with a Latin word and no CJK character."""
    return [
        x
        for x in page.evaluate(ARIA_JS)
        if re.search(r"[A-Za-z]{3,}", x) and not re.search(r"[\u4e00-\u9fff]", x)
    ]


@pytest.mark.parametrize(
    ("locale", "lang", "slider"), [("zh-CN", "zh-Hans", "的滑块"), ("zh-TW", "zh-Hant", "的滑桿")]
)
def test_gradio_screen_reader_labels_follow_the_page_language(
    new_page: Any, locale: str, lang: str, slider: str
) -> None:
    page, log = new_page(locale)
    # Gradio writes these in English whatever its locale: the slider and number boxes of the
    # Softmax tab, the reset button, and the drawing canvas's upload area and undo icon.
    wait_until(lambda: any(slider in x for x in page.evaluate(ARIA_JS)), 30, "slider labels")
    open_tab(page, "digit", lang)
    page.wait_for_selector("#dg-pad canvas")
    wait_until(
        lambda: english_labels(page) == [], 30, f"no English aria-label: {english_labels(page)}"
    )
    labels = page.evaluate(ARIA_JS)
    assert any(t("gradio.aria_upload", lang) == x for x in labels)
    # Back in English, Gradio's own texts return.
    page.locator('#lang input[value="en"]').check()
    wait_until(
        lambda: "Click to upload or drop files" in page.evaluate(ARIA_JS), 30, "English labels"
    )
    open_tab(page, "softmax")
    wait_until(
        lambda: any(x.startswith("range slider for ") for x in page.evaluate(ARIA_JS)),
        30,
        "English slider labels",
    )
    assert log.page_errors == []


# ------------------------------------------------------------------ layout


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh-Hans")])
@pytest.mark.parametrize("width", [1280, 1024])
def test_every_tab_button_is_shown_without_a_more_menu(
    new_page: Any, locale: str, lang: str, width: int
) -> None:
    page, _ = new_page(locale)
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(500)
    for tab in TABS:
        button = page.locator(f"#tab-{tab}-button")
        assert button.count() == 1 and button.is_visible(), tab
        assert button.inner_text() == t(f"tab.{tab.replace('-', '_')}", lang)
    more = page.locator(".overflow-menu > button")
    assert more.count() == 0 or not more.first.is_visible()
    assert page_width(page) <= width


def test_steps_table_fits_at_1024_px(new_page: Any) -> None:
    page, _ = new_page()
    page.set_viewport_size({"width": 1024, "height": 900})
    page.wait_for_timeout(500)
    table = page.locator("#sm-steps-table").bounding_box()
    details = page.locator("#sm-details").bounding_box()
    assert table is not None and details is not None
    assert table["x"] + table["width"] <= details["x"] + details["width"] + 0.5
    assert page_width(page) <= 1024


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh-Hans")])
def test_phone_width_puts_the_chart_right_after_its_controls(
    new_page: Any, screenshot_dir: Path, locale: str, lang: str
) -> None:
    page, _ = new_page(locale)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    last_slider = top(page, "#sm-logit-2")
    temperature = top(page, "#sm-t-row")
    chart = top(page, "#sm-chart")
    presets = top(page, "#sm-presets-row")
    assert last_slider < temperature < chart < presets
    assert chart < top(page, "#sm-details") and chart < top(page, "#sm-message")
    assert page_width(page) <= 390
    page.screenshot(path=str(screenshot_dir / f"tab-softmax-phone-{lang}.png"), full_page=True)


# ------------------------------------------------------------------ screenshots


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
def test_screenshot_of_every_tab_in_every_language(
    new_page: Any, screenshot_dir: Path, locale: str, lang: str
) -> None:
    page, log = new_page(locale)
    folder = screenshot_dir / "tabs"
    folder.mkdir(exist_ok=True)
    for tab in TABS:
        open_tab(page, tab, lang)
        page.wait_for_timeout(300)
        path = folder / f"{tab}-{lang}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000, tab
        assert page.get_attribute("html", "lang") == lang
    assert log.page_errors == []
