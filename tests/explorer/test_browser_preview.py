"""Browser tests: the Softmax tab's bars follow a moving slider in the page (the preview).

While a slider moves, the page draws the bars itself (``tabs.softmax.preview_script``) and
dims the tables; on release the server's chart, steps and winner plots replace it. Checked
here against an independent reference (mpmath, ``tests/_support/mpref.py``) and against the
server's own answer: the preview must show the very text the server then shows.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from softmaxlab.explorer._i18n import t
from tests._support.mpref import ref_softmax
from tests.explorer._browser import bar_probs as _bar_probs
from tests.explorer._browser import wait_until

pytestmark = pytest.mark.browser

# Set a slider's track to ``v`` and fire the ``input`` event a drag fires; the preview runs in
# that event, so the chart's text read right after it is the preview's.
MOVE = """([sel, v]) => {
  const input = document.querySelector(sel);
  input.value = String(v);
  input.dispatchEvent(new Event('input', {bubbles: true}));
  return document.querySelector('#sm-chart').innerText;
}"""
RELEASE = """(sel) => document.querySelector(sel)
  .dispatchEvent(new PointerEvent('pointerup', {bubbles: true}))"""
PENDING = "() => document.querySelector('#sm-view').dataset.pending || ''"


def bar_probs(page: Any) -> list[float]:
    """The bars as drawn now, the preview's included (this file tests the preview)."""
    return _bar_probs(page, settled=False)


def winners(page: Any) -> list[str]:
    return page.eval_on_selector_all("#sm-chart .sl-bar", "els => els.map(e => e.dataset.winner)")


def close(a: list[float], b: list[float], tol: float = 1e-12) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def track(slot: int | str) -> str:
    return f"#sm-{'logt' if slot == 't' else f'logit-{slot}'} input[type=range]"


def settle(page: Any) -> None:
    wait_until(lambda: page.evaluate(PENDING) == "", 30, "the server's answer to the release")


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-TW", "zh-Hant")])
def test_preview_shows_what_the_server_then_shows(new_page: Any, locale: str, lang: str) -> None:
    page, log = new_page(locale)
    rng = random.Random(20261202)
    logits, log10_t = [3.0, 1.0, -3.0], 0.0
    # Random positions of every slider, the temperature's two ends, and a tie of two logits.
    moves: list[tuple[int | str, float]] = [(rng.choice([0, 1, 2, "t"]), 0.0) for _ in range(8)] + [
        ("t", -1.3),
        ("t", 1.0),
        ("t", 0.0),
        (2, -3.0),
        (0, 2.5),
        (1, 2.5),
    ]
    for i, (slot, value) in enumerate(moves):
        if i < 8:
            value = (
                round(rng.uniform(-1.3, 1.0), 2) if slot == "t" else round(rng.uniform(-10, 10), 1)
            )
        details_before = page.inner_html("#sm-details")
        preview = page.evaluate(MOVE, [track(slot), value])
        if slot == "t":
            log10_t = value
        else:
            logits[int(slot)] = value
        temperature = 0.05 if log10_t <= -1.3 else 10.0**log10_t
        # The bars moved at once, to the exact softmax; the tables wait (dimmed) for the server.
        assert close(bar_probs(page), ref_softmax(logits, temperature)), (slot, value)
        assert page.evaluate(PENDING) == "1"
        assert page.inner_html("#sm-details") == details_before
        page.evaluate(RELEASE, track(slot))
        settle(page)
        assert page.inner_text("#sm-chart") == preview, (slot, value)
        assert close(bar_probs(page), ref_softmax(logits, temperature))
    # The last three moves made a tie of A and B at 2.5: both tagged, in the page's language.
    assert winners(page) == ["1", "1", "0"]
    cells = page.eval_on_selector_all(
        "#sm-chart .sl-bar-value", "els => els.map(e => e.innerText.trim())"
    )
    assert [c.endswith(t("sm.tie", lang)) for c in cells] == [True, True, False]
    assert log.page_errors == []


def test_mouse_drag_moves_the_bars_and_the_release_brings_the_tables(new_page: Any) -> None:
    page, log = new_page()
    box = page.locator(track(0)).bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    seen = []
    for frac in (0.6, 0.7, 0.8, 0.9):
        page.mouse.move(box["x"] + box["width"] * frac, y)
        value = float(page.input_value(track(0)))
        assert close(bar_probs(page), ref_softmax([value, 1.0, -3.0])), value
        assert page.evaluate(PENDING) == "1"  # no release yet: the tables wait
        seen.append(value)
    assert len(set(seen)) == 4, seen
    page.mouse.up()
    settle(page)
    assert close(bar_probs(page), ref_softmax([seen[-1], 1.0, -3.0]))
    # The server's steps table shows the dragged logit.
    assert f"{seen[-1]:g}" in page.inner_text("#sm-details")
    assert log.page_errors == []


def test_a_value_outside_the_range_is_not_previewed(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    before = bar_probs(page)
    box = page.locator("#sm-logit-0 input[type=number]")
    box.fill("50")  # fires input on the box: no preview for a value the slider cannot hold
    assert bar_probs(page) == before
    box.press("Enter")  # a release: the server clamps it to 10 and says so under the slider
    wait_until(lambda: close(bar_probs(page), ref_softmax([10.0, 1.0, -3.0])), 30, "chart at 10")
    box.fill("-2.5")  # an allowed value is previewed at once
    assert close(bar_probs(page), ref_softmax([-2.5, 1.0, -3.0]))
    box.press("Enter")
    settle(page)
    assert close(bar_probs(page), ref_softmax([-2.5, 1.0, -3.0]))


def test_a_late_answer_does_not_overwrite_a_newer_move(page_en: tuple[Any, Any]) -> None:
    page, _ = page_en
    stamp = lambda: page.get_attribute("#sm-chart .sl-chart", "data-stamp")  # noqa: E731
    before = stamp()
    page.evaluate(MOVE, [track(0), 2.0])
    page.evaluate(RELEASE, track(0))  # the server is asked for 2, 1, -3 ...
    page.evaluate(MOVE, [track(0), -4.0])  # ... and the slider moves on before it answers
    wait_until(lambda: stamp() != before, 30, "the server's chart for 2, 1, -3")
    # The bars stay with the slider, and the tables wait for the answer to the next release.
    assert close(bar_probs(page), ref_softmax([-4.0, 1.0, -3.0]))
    assert page.evaluate(PENDING) == "1"
    page.evaluate(RELEASE, track(0))
    settle(page)
    assert close(bar_probs(page), ref_softmax([-4.0, 1.0, -3.0]))
    assert "−4" in page.inner_text("#sm-details")


def test_no_run_history_is_kept_in_the_browser(page_en: tuple[Any, Any]) -> None:
    """Gradio's run history (every event's inputs and outputs in localStorage, read and
    rewritten at each event) is off: it made each release slower than the one before."""
    page, _ = page_en
    for value in (2.0, -1.0, 0.5):
        page.evaluate(MOVE, [track(0), value])
        page.evaluate(RELEASE, track(0))
        settle(page)
    keys = page.evaluate("() => Object.keys(window.localStorage)")
    assert not [k for k in keys if "run-history" in k], keys
