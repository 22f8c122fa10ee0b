"""Fixtures for the explorer's browser tests: one app and one headless Chromium per session.

The app runs in a background thread of the test process on a free loopback port. Chromium is
Debian's (``/usr/bin/chromium``, driven by Python Playwright). When it is missing the browser
tests fail under ``CI=true`` and are skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("SOFTMAXLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def _missing_browser(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def explorer_url() -> Iterator[str]:
    """Start one explorer (language from the browser) for the whole session."""
    from softmaxlab.explorer import build_app, launch

    port = free_port()
    demo = build_app()
    launch(demo, host="127.0.0.1", port=port, prevent_thread_lock=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing_browser(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        _missing_browser("Python Playwright is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class PageLog:
    """Requests, console errors and page errors seen by one page."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []

    def outside_loopback(self) -> list[str]:
        from urllib.parse import urlsplit

        bad = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
                bad.append(url)
        return bad


def open_page(browser: Any, url: str, *, locale: str = "en-US") -> tuple[Any, Any, PageLog]:
    """A fresh context and page at ``url``, with its log; waits for the first chart and the
    end of the page's load event."""
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log = PageLog()
    page.on("request", lambda r: log.requests.append(r.url))
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_selector("#sm-chart .sl-bar")
    # The page's load event (language from the browser, first renders) has finished: a click
    # before then could be overwritten by it.
    page.wait_for_selector("html[data-explorer-ready]", state="attached", timeout=60_000)
    return context, page, log


@pytest.fixture
def page_en(browser: Any, explorer_url: str) -> Iterator[tuple[Any, PageLog]]:
    context, page, log = open_page(browser, explorer_url)
    try:
        yield page, log
    finally:
        context.close()


@pytest.fixture
def new_page(browser: Any, explorer_url: str) -> Iterator[Any]:
    """A factory of extra pages (own browser context each) closed after the test."""
    contexts: list[Any] = []

    def make(locale: str = "en-US") -> tuple[Any, PageLog]:
        context, page, log = open_page(browser, explorer_url, locale=locale)
        contexts.append(context)
        return page, log

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Gradio's queue calls a pandas API that pandas 3 deprecates; the warning is raised in the
    # server thread during whichever test is running. It is Gradio's, not ours.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio"))
