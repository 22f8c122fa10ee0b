"""Helpers shared by the explorer's browser tests."""

from __future__ import annotations

import time
import warnings
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from softmaxlab.explorer._i18n import t

LOCALES = [("en-US", "en"), ("zh-CN", "zh-Hans"), ("zh-TW", "zh-Hant")]
"""(browser locale, page language) pairs: the three languages as a browser asks for them."""


def wait_until(predicate: Any, timeout: float = 15.0, what: str = "condition") -> None:
    """Poll ``predicate`` every 50 ms until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def click(locator: Any, timeout: float = 15_000) -> None:
    """Click ``locator`` as a user would; if Playwright's actionability check never answers,
    check visibility and enabledness directly and dispatch the click event.

    Playwright's "stable" check waits for animation frames. Once in CI (stop 21) headless
    Chromium produced none for 15 s while the page still answered scripts, and a plain
    ``click()`` timed out on a visible, enabled button. The fallback keeps the test's
    meaning (the button is there, visible and enabled, and clicking it has the effect the
    test then checks) and warns, so that such a stall shows in the test report.
    """
    try:
        locator.click(timeout=timeout)
        return
    except PlaywrightTimeout:
        pass
    assert locator.is_visible(), "the element to click is not visible"
    assert locator.is_enabled(), "the element to click is disabled"
    warnings.warn(
        "Playwright's click timed out on a visible, enabled element (no animation frames); "
        "dispatched the click event instead",
        stacklevel=2,
    )
    locator.dispatch_event("click")


_BARS_JS = """settled => {
    const view = document.querySelector('#sm-view');
    if (settled && view && 'pending' in view.dataset) return null;
    return [...document.querySelectorAll('#sm-chart .sl-bar')].map(e => e.dataset.p);
}"""


def bar_probs(page: Any, *, settled: bool = True) -> list[float]:
    """The Softmax chart's probabilities (each bar's ``data-p``), read in one page call.

    With ``settled`` (the default) the list is empty while the page's own preview of a moving
    slider awaits the server's answer (``#sm-view[data-pending]``), so that a wait for values
    ends on the server's chart and the tables drawn with it, never on the preview alone.
    """
    raw = page.evaluate(_BARS_JS, settled)
    return [] if raw is None else [float(v) for v in raw]


def settled_bar_probs(page: Any, timeout: float = 30.0) -> list[float]:
    """:func:`bar_probs` once the server's chart has replaced any preview."""
    wait_until(lambda: bar_probs(page) != [], timeout, "the server's chart")
    return bar_probs(page)


def open_tab(page: Any, tab: str, lang: str = "en") -> None:
    """Click the tab's button, or its entry in Gradio's "more tabs" menu when it overflows.

    Which tabs overflow depends on the captions' widths and the window's, and Gradio lays the
    tab row out again after a resize or a language switch (detaching the buttons it moves),
    so look again until one of the two can be clicked.
    """
    label = t(f"tab.{tab.replace('-', '_')}", lang)
    deadline = time.monotonic() + 30.0
    while time.monotonic() < deadline:
        try:
            button = page.locator(f"#tab-{tab}-button")
            if button.count() and button.is_visible():
                button.click(timeout=1000)
                break
            more = page.locator(".overflow-menu > button")
            if more.count() and more.is_visible():
                more.click(timeout=1000)
                entry = page.locator(".overflow-dropdown button", has_text=label)
                if entry.count():
                    entry.first.click(timeout=1000)
                    break
                page.keyboard.press("Escape")
        except PlaywrightError:
            pass  # the tab row was being laid out again; look again
        time.sleep(0.2)
    else:
        raise AssertionError(f"could not open the {tab!r} tab")
    page.wait_for_selector(f"#tab-{tab}", state="visible")
