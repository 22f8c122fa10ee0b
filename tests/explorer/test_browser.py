"""Browser tests: headless Chromium drives the running explorer like a learner would.

Expected probabilities are computed here with ``math`` (exp-normalise in plain Python), not by
softmaxlab. Run with ``pytest tests/explorer -m browser``; CI runs them (``CI=true`` makes a
missing Chromium an error, not a skip).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests._support.mpref import ref_softmax
from tests.explorer._browser import bar_probs, click, open_tab, settled_bar_probs
from tests.explorer._browser import wait_until as _wait_until

pytestmark = pytest.mark.browser


def slider_values(page: Any) -> list[float]:
    raw = page.eval_on_selector_all(
        "[id^=sm-logit-] input[type=number]", "els => els.map(e => e.value)"
    )
    return [float(v) for v in raw]


def wait_until(predicate: Any, timeout: float = 30.0, what: str = "condition") -> None:
    _wait_until(predicate, timeout, what)


def close(a: list[float], b: list[float], tol: float = 1e-12) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def wait_probs(page: Any, expected: list[float], tol: float = 1e-12) -> None:
    try:
        wait_until(lambda: close(bar_probs(page), expected, tol), what=f"probabilities {expected}")
    except AssertionError:
        raise AssertionError(f"page shows {bar_probs(page)}, expected {expected}") from None


def click_preset(page: Any, key: str) -> None:
    click(page.locator(f"#sm-preset-{key}"))


def no_traceback(page: Any) -> None:
    text = page.inner_text("body")
    assert "Traceback" not in text
    assert "Error:" not in text.replace("error:", "")


def test_page_loads_offline_without_console_errors(page_en: tuple[Any, Any]) -> None:
    page, log = page_en
    assert os.environ.get("GRADIO_ANALYTICS_ENABLED") == "False"
    wait_probs(page, ref_softmax([3.0, 1.0, -3.0]))
    # Visit every tab so that lazily loaded parts of the page are fetched too.
    for tab in ("compare", "precision", "next-token", "digit", "train", "gradients", "softmax"):
        button = page.locator(f"#tab-{tab}-button")
        if button.count():
            click(button)
    page.wait_for_timeout(500)
    assert log.requests, "no request recorded at all"
    assert log.outside_loopback() == []
    assert log.console_errors == []
    assert log.page_errors == []
    no_traceback(page)


def test_slider_move_changes_probabilities(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    before = bar_probs(page)
    assert close(before, ref_softmax([3.0, 1.0, -3.0]))
    track = page.locator("#sm-logit-1 input[type=range]")
    track.focus()
    for _ in range(20):  # B: 1.0 -> 3.0 in steps of 0.1
        page.keyboard.press("ArrowRight")
    wait_until(lambda: slider_values(page)[1] == pytest.approx(3.0), what="slider at 3.0")
    expected = ref_softmax([3.0, 3.0, -3.0])
    wait_probs(page, expected)
    after = bar_probs(page)
    assert after != before
    assert math.fsum(after) == pytest.approx(1.0, abs=1e-15)
    total = float(page.get_attribute("#sm-details .sl-sum", "data-total") or "nan")
    assert abs(total - 1.0) <= 3 * 2.2e-16
    # A and B now tie: both highlighted as winners.
    winners = page.eval_on_selector_all(
        "#sm-chart .sl-bar", "els => els.map(e => e.dataset.winner)"
    )
    assert winners == ["1", "1", "0"]


def test_every_preset(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    presets = {
        "seed_b": [1.0, 2.0, 3.0],
        "equal": [1.0, 1.0, 1.0],
        "small_a": [1.0, 1.0, 1.5],
        "small_b": [1.0, 1.0, 2.0],
        "large": [-5.0, -5.0, 5.0],
        "negative": [-2.0, -1.0, -1.0],
        "seed_a": [3.0, 1.0, -3.0],
    }
    for key, logits in presets.items():
        click_preset(page, key)
        wait_probs(page, ref_softmax(logits))
        assert slider_values(page) == logits, key
    # "Add a constant" moves every slider by the same amount and leaves p unchanged.
    before = bar_probs(page)
    click_preset(page, "shift")
    wait_until(lambda: slider_values(page) == [8.0, 6.0, 2.0], what="shifted sliders")
    wait_probs(page, before, tol=1e-12)
    assert "+5" in page.inner_text("#sm-message")


def test_temperature_005_is_one_hot_without_nan(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    # A fresh page already shows 3, 1, -3: go through another preset first, so that the
    # preset's answer (which also sets T = 1) is known to have arrived before T moves.
    click_preset(page, "seed_b")
    wait_probs(page, ref_softmax([1.0, 2.0, 3.0]))
    click_preset(page, "seed_a")
    wait_probs(page, ref_softmax([3.0, 1.0, -3.0]))
    page.locator("#sm-logt input[type=range]").focus()
    page.keyboard.press("Home")  # the left end of the log-scale slider: T = 0.05
    wait_until(lambda: "T = 0.05" in page.inner_text("#sm-chart"), what="T = 0.05")
    probs = settled_bar_probs(page)
    assert probs[0] == 1.0
    assert all(0.0 <= p < 1e-15 for p in probs[1:])
    assert all(not math.isnan(p) for p in probs)
    text = page.inner_text("#sm-chart") + page.inner_text("#sm-details")
    assert "NaN" not in text and "nan" not in text
    assert close(probs, ref_softmax([3.0, 1.0, -3.0], 0.05), tol=1e-15)


def test_language_switch_shows_both_chinese_scripts(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    assert page.inner_text("#tab-compare-button") == "Compare"
    page.locator('#lang input[value="zh-Hans"]').check()
    wait_until(lambda: page.inner_text("#tab-compare-button") == "对比", what="简体 tab label")
    assert "概率" in page.inner_text("#sm-chart")
    assert "求和检验" in page.inner_text("#sm-details")
    page.locator('#lang input[value="zh-Hant"]').check()
    wait_until(lambda: page.inner_text("#tab-compare-button") == "比較", what="繁體 tab label")
    assert "機率" in page.inner_text("#sm-chart")
    assert "求和檢驗" in page.inner_text("#sm-details")
    # The probabilities do not depend on the language.
    assert close(bar_probs(page), ref_softmax([3.0, 1.0, -3.0]))
    page.locator('#lang input[value="en"]').check()
    wait_until(lambda: page.inner_text("#tab-compare-button") == "Compare", what="English again")


@pytest.mark.parametrize(
    ("locale", "compare_label"), [("zh-TW", "比較"), ("zh-CN", "对比"), ("zh-HK", "比較")]
)
def test_browser_locale_picks_the_language(new_page: Any, locale: str, compare_label: str) -> None:
    page, log = new_page(locale)
    wait_until(
        lambda: page.inner_text("#tab-compare-button") == compare_label,
        what=f"{compare_label} for {locale}",
    )
    assert log.console_errors == []


def test_lang_query_parameter_wins_over_the_browser_locale(
    page_en: tuple[Any, Any], explorer_url: str
) -> None:
    page, _ = page_en
    page.goto(explorer_url + "?lang=zh-Hant", wait_until="load")
    wait_until(lambda: page.inner_text("#tab-compare-button") == "比較", what="繁體 from ?lang=")


def test_bad_entries_show_a_message_and_the_app_keeps_working(page_en: tuple[Any, Any]) -> None:
    page, log = page_en
    # A duplicate class name.
    page.fill("#sm-names textarea, #sm-names input", "A, A, C")
    click(page.locator("#sm-rename"))
    # The message is next to the names box and the class buttons.
    page.wait_for_selector("#sm-class-message .sl-error")
    assert "'A'" in page.inner_text("#sm-class-message")
    # The sliders still work afterwards; good names make the message go away.
    page.locator("#sm-logit-0 input[type=range]").focus()
    page.keyboard.press("ArrowLeft")
    wait_probs(page, ref_softmax([2.9, 1.0, -3.0]))
    page.fill("#sm-names textarea, #sm-names input", "A, B, C")
    click(page.locator("#sm-rename"))
    wait_until(lambda: page.inner_text("#sm-class-message").strip() == "", what="no message")
    # Non-numeric and empty logits on the Compare tab.
    click(page.locator("#tab-compare-button"))
    page.fill("#cmp-logits textarea, #cmp-logits input", "1, two, 3")
    click(page.locator("#cmp-run"))
    page.wait_for_selector("#cmp-out .sl-error")
    assert "'two'" in page.inner_text("#cmp-out")
    page.fill("#cmp-logits textarea, #cmp-logits input", "")
    click(page.locator("#cmp-run"))
    wait_until(lambda: "empty" in page.inner_text("#cmp-out"), what="empty-list message")
    page.fill("#cmp-logits textarea, #cmp-logits input", "2, 0, -1")
    click(page.locator("#cmp-run"))
    page.wait_for_selector("#cmp-table")
    no_traceback(page)
    assert log.page_errors == []


def test_add_rename_and_remove_classes(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    click(page.locator("#sm-add"))
    wait_until(lambda: len(bar_probs(page)) == 4, what="a fourth class")
    wait_probs(page, ref_softmax([3.0, 1.0, -3.0, 0.0]))
    page.fill("#sm-names textarea, #sm-names input", "cat, dog, bird, fish")
    click(page.locator("#sm-rename"))
    labels = "els => els.map(e => e.dataset.label)"
    wait_until(
        lambda: (
            page.eval_on_selector_all("#sm-chart .sl-bar", labels) == ["cat", "dog", "bird", "fish"]
        ),
        what="renamed classes",
    )
    assert page.inner_text("#sm-logit-3 [data-testid=block-info]") == "fish"
    for expected in (3, 2):
        click(page.locator("#sm-remove"))
        wait_until(lambda n=expected: len(bar_probs(page)) == n, what=f"{expected} classes")
    wait_probs(page, ref_softmax([3.0, 1.0]))
    click(page.locator("#sm-remove"))  # below two classes: refused with a message
    page.wait_for_selector("#sm-class-message .sl-error")
    assert len(bar_probs(page)) == 2
    # The limits are on the buttons, and the message sits right below them.
    assert "(at least 2)" in page.inner_text("#sm-remove")
    assert "(up to 10)" in page.inner_text("#sm-add")
    buttons = page.locator("#sm-remove").bounding_box()
    message = page.locator("#sm-class-message").bounding_box()
    assert 0 <= message["y"] - (buttons["y"] + buttons["height"]) < 60


def test_sessions_have_their_own_state(new_page: Any) -> None:
    page1, _ = new_page()
    page2, _ = new_page()
    click(page1.locator("#sm-add"))
    wait_until(lambda: len(bar_probs(page1)) == 4, what="4 classes in session 1")
    click_preset(page2, "large")
    wait_probs(page2, ref_softmax([-5.0, -5.0, 5.0]))
    assert len(bar_probs(page1)) == 4
    assert close(bar_probs(page1), ref_softmax([3.0, 1.0, -3.0, 0.0]))
    # A slider move in session 2 sees session 2's three classes, not session 1's four.
    page2.locator("#sm-logit-0 input[type=range]").focus()
    page2.keyboard.press("ArrowRight")
    wait_probs(page2, ref_softmax([-4.9, -5.0, 5.0]))


def hist_rows(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        "#nt-hist .sl-hist-row",
        "els => els.map(e => ({token: e.dataset.token, p: +e.dataset.p, freq: +e.dataset.freq,"
        " count: +e.dataset.count}))",
    )


def test_next_token_sampled_histogram_appears(page_en: tuple[Any, Any]) -> None:
    page, log = page_en
    click(page.locator("#tab-next-token-button"))
    page.wait_for_selector("#nt-out .sl-processed")
    # top-k = 3 via the keyboard on the slider: only three tokens stay.
    page.locator("#nt-top-k input[type=range]").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_until(
        lambda: (
            page.eval_on_selector_all(
                "#nt-out .sl-processed .sl-bar", "els => els.filter(e => +e.dataset.p > 0).length"
            )
            == 3
        ),
        what="three tokens left after top-k = 3",
    )
    click(page.locator("#nt-sample"))
    page.wait_for_selector("#nt-hist .sl-hist-row")
    rows = hist_rows(page)
    assert [r["token"] for r in rows][:3] == ["mat", "floor", "sofa"]
    assert sum(r["count"] for r in rows) == 1000
    assert all(r["count"] == 0 for r in rows[3:]), "a removed token was drawn"
    logits = [3.2, 2.6, 2.2]
    expected = ref_softmax(logits)
    for row, p in zip(rows[:3], expected, strict=True):
        assert row["p"] == pytest.approx(p, abs=1e-12)
        # 1000 draws: 5 standard deviations of a binomial frequency.
        assert abs(row["freq"] - p) <= 5 * math.sqrt(p * (1 - p) / 1000)
    assert log.page_errors == []


@pytest.mark.parametrize(
    ("vocab", "needle"),
    [("", "empty"), ("mat: 1\nmat: 2", "'mat'"), ("mat: 1\nsofa: high", "'high'")],
)
def test_next_token_bad_vocabulary(page_en: tuple[Any, Any], vocab: str, needle: str) -> None:
    page, _ = page_en
    open_tab(page, "next-token")
    page.wait_for_selector("#nt-out .sl-processed", timeout=30_000)
    page.fill("#nt-vocab textarea", vocab)
    # 30 s, as the other browser tests: on a loaded 2-core CI run the page may answer late.
    page.wait_for_selector("#nt-out .sl-error", timeout=30_000)
    assert needle in page.inner_text("#nt-out")
    page.fill("#nt-vocab textarea", "yes: 1\nno: 0")
    page.wait_for_selector("#nt-out .sl-processed", timeout=30_000)
    no_traceback(page)


def draw_stroke(page: Any, points: list[tuple[float, float]]) -> None:
    """Draw one mouse stroke through ``points`` given as fractions of the drawing area."""
    canvas = page.locator("#dg-pad canvas").first
    box = canvas.bounding_box()
    assert box is not None
    # The drawing area is a centred square inside the canvas element.
    side = min(box["width"], box["height"]) * 0.8
    x0 = box["x"] + (box["width"] - side) / 2
    y0 = box["y"] + (box["height"] - side) / 2
    xs = [(x0 + fx * side, y0 + fy * side) for fx, fy in points]
    page.mouse.move(*xs[0])
    page.mouse.down()
    for x, y in xs[1:]:
        page.mouse.move(x, y, steps=4)
    page.mouse.up()


def digit_probs(page: Any) -> list[float]:
    raw = page.eval_on_selector_all("#dg-out .sl-bar", "els => els.map(e => e.dataset.p)")
    return [float(v) for v in raw]


def test_drawn_digit_gets_probabilities(page_en: tuple[Any, Any], screenshot_dir: Path) -> None:
    page, log = page_en
    click(page.locator("#tab-digit-button"))
    # The brush is selected when the tab opens: no click on it first.
    brush = page.locator("#dg-pad button[aria-label=Brush]")
    wait_until(lambda: "highlight" in (brush.get_attribute("class") or ""), what="brush ready")
    draw_stroke(page, [(0.5, 0.15 + 0.035 * i) for i in range(21)])  # a vertical "1"
    page.wait_for_selector("#dg-out .sl-digit-probs", timeout=90_000)
    probs = digit_probs(page)
    assert len(probs) == 10
    assert math.fsum(probs) == pytest.approx(1.0, abs=1e-12)
    assert "Top 3" in page.inner_text("#dg-out .sl-top3")
    pixels = [
        float(v) for v in (page.get_attribute("#dg-out .sl-pixels", "data-values") or "").split(",")
    ]
    assert len(pixels) == 64 and max(pixels) > 0 and min(pixels) == 0
    page.screenshot(path=str(screenshot_dir / "tab-digit-drawn.png"), full_page=True)
    # Temperature scaling: other probabilities, the same winner.
    winner = int(np.argmax(probs))
    page.locator("#dg-calibrated input").check()
    wait_until(lambda: "(applied)" in page.inner_text("#dg-out"), what="calibrated probabilities")
    calibrated = digit_probs(page)
    assert calibrated != probs and int(np.argmax(calibrated)) == winner
    # Clearing the pad gives a message, not a traceback.
    click(page.locator("#dg-pad button[aria-label='Clear canvas']"))
    page.wait_for_selector("#dg-out .sl-error", timeout=30_000)
    assert "empty" in page.inner_text("#dg-out")
    no_traceback(page)
    assert log.page_errors == []


def test_train_and_calibrate(page_en: tuple[Any, Any], screenshot_dir: Path) -> None:
    page, log = page_en
    click(page.locator("#tab-train-button"))
    page.locator('#tr-dataset input[value="iris"]').check()
    click(page.locator("#tr-run"))
    page.wait_for_selector("#tr-out .sl-train-summary", timeout=120_000)
    assert page.locator("#tr-out svg.sl-reliability").count() == 2
    assert page.locator("#tr-out svg.sl-loss").count() == 1
    counts = page.eval_on_selector_all("#train-confusion td", "els => els.map(e => +e.innerText)")
    assert len(counts) == 9 and sum(counts) == 30  # iris: 3 classes, 30 test samples
    assert "ECE" in page.inner_text("#tr-out .sl-train-summary")
    # Switching the language re-labels the results without training again.
    page.locator('#lang input[value="zh-Hans"]').check()
    wait_until(lambda: "混淆矩阵" in page.inner_text("#tr-out"), what="简体 results")
    page.locator('#lang input[value="en"]').check()
    wait_until(lambda: "Confusion" in page.inner_text("#tr-out"), what="English results")
    page.screenshot(path=str(screenshot_dir / "tab-train-fitted.png"), full_page=True)
    assert log.page_errors == []


def test_one_vs_rest_comparison(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    click(page.locator("#tab-compare-button"))
    click(page.locator("#ovr-run"))
    page.wait_for_selector("#ovr-table", timeout=120_000)
    text = page.inner_text("#ovr-table")
    assert "one-vs-rest" in text and "softmax" in text


TAB_CHECKS = {
    "softmax": "#sm-steps-table",
    "compare": "#cmp-table",
    "precision": "#prec-naive-table",
    "next-token": "#nt-out .sl-processed",
    "digit": "#dg-pad canvas",
    "train": "#tr-out",
    "gradients": "#grad-jacobian",
}


def test_each_tab_renders_and_is_screenshotted(
    page_en: tuple[Any, Any], screenshot_dir: Path
) -> None:
    page, log = page_en
    for tab, selector in TAB_CHECKS.items():
        click(page.locator(f"#tab-{tab}-button"))
        page.wait_for_selector(selector, state="visible")
        path = screenshot_dir / f"tab-{tab}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    # The Precision tab shows the naive overflow.
    click(page.locator("#tab-precision-button"))
    naive = page.inner_text("#prec-naive-table")
    assert "inf" in naive and "NaN" in naive
    click(page.locator("#prec-example-log"))
    wait_until(lambda: "−inf" in page.inner_text("#prec-log-table"), what="log(0) = -inf")
    assert "−999" in page.inner_text("#prec-log-table")
    assert log.page_errors == []


def test_gradient_tab_updates_with_the_target(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    open_tab(page, "gradients")
    page.fill("#grad-target input", "2")
    click(page.locator("#grad-run"))
    p = ref_softmax([1.0, 2.0, 3.0])
    expected = f"{p[2] - 1.0:.6g}".replace("-", "−")
    wait_until(lambda: expected in page.inner_text("#grad-table"), what=f"p − y = {expected}")
    page.fill("#grad-target input", "7")
    click(page.locator("#grad-run"))
    page.wait_for_selector("#grad-out .sl-error")
    assert json.dumps("7")[1:-1] in page.inner_text("#grad-out")
