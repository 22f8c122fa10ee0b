"""The Blocks app without a browser: building, offline launch, and handlers that never raise."""

from __future__ import annotations

import html
import os
import socket
import urllib.request

import pytest

from softmaxlab.explorer import _app as app_module
from softmaxlab.explorer import build_app, explore


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_importing_the_explorer_package_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, softmaxlab.explorer; print(sorted({'gradio', 'sklearn'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_the_explorer_turns_telemetry_off() -> None:
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"


@pytest.mark.parametrize(
    ("lang", "label"), [("en", "Compare"), ("zh-Hans", "对比"), ("zh-Hant", "比較")]
)
def test_build_app_with_a_fixed_language(lang: str, label: str) -> None:
    demo = build_app(lang=lang)
    labels = {getattr(block, "label", None) for block in demo.blocks.values()}
    assert label in labels
    assert demo.analytics_enabled is False


def test_explore_serves_the_app_offline() -> None:
    port = free_port()
    demo = explore(port=port)
    try:
        assert demo.share is False
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=20) as response:
            assert response.status == 200
            page = response.read().decode()
        # No stylesheet, script or font is requested from another host.
        for marker in ("fonts.googleapis", "cdn.jsdelivr", "unpkg.com", "cdnjs"):
            assert marker not in page
    finally:
        demo.close()


def test_theme_uses_local_fonts_only() -> None:
    import gradio as gr

    theme = app_module.make_theme()
    fonts = [gr.themes.Font(f) if isinstance(f, str) else f for f in theme._font + theme._font_mono]
    for font in fonts:
        url = font.stylesheet().get("url") or ""
        assert not url.startswith("http"), font
    # The check itself would catch a web font:
    assert gr.themes.GoogleFont("Inter").stylesheet()["url"].startswith("https://")
    css = theme._get_theme_css()
    assert "googleapis" not in css and "@import" not in css


def test_handlers_turn_bad_entries_into_messages() -> None:
    _chart, _details, message = app_module.softmax_outputs(["A", "A"], "zh-Hant", 0.0, [1.0, 2.0])
    assert "sl-error" in message and "'A'" in html.unescape(message)
    assert "sl-error" in app_module.compare_output("1, x", "en")
    assert "sl-error" in app_module.precision_output("", "en")
    assert "sl-error" in app_module.gradient_output("1, 2", 5, 1.0, "en")
    assert "sl-error" in app_module.next_token_output("", 1.0, 0, 1.0, 0.0, 0, "en")
    assert "sl-error" in app_module.histogram_output("a: 1\nb: 2", 1.0, 0, 1.0, 0.0, 0, 0, "en")
    page, view = app_module.digit_output(None, False, "en")
    assert "sl-error" in page and view is None
    page, view = app_module.train_output("nope", 1.0, 10, "en")
    assert "sl-error" in page and view is None


def test_unexpected_errors_show_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(app_module.cb, "compare_view", broken)
    page = app_module.compare_output("1, 2", "en")
    assert "sl-error" in page and "RuntimeError" in page
    assert "secret internal detail" not in page and "Traceback" not in page
