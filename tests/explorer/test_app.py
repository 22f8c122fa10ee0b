"""The page shell without a browser: building, offline launch, fonts, language wiring."""

from __future__ import annotations

import os
import socket
import urllib.request

import pytest

from softmaxlab.explorer import _app, _shell, build_app, explore


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

    theme = _shell.make_theme()
    fonts = [gr.themes.Font(f) if isinstance(f, str) else f for f in theme._font + theme._font_mono]
    for font in fonts:
        url = font.stylesheet().get("url") or ""
        assert not url.startswith("http"), font
    # The check itself would catch a web font:
    assert gr.themes.GoogleFont("Inter").stylesheet()["url"].startswith("https://")
    css = theme._get_theme_css()
    assert "googleapis" not in css and "@import" not in css


def test_the_old_module_still_builds_the_same_app() -> None:
    assert _app.build_app is _shell.build_app and _app.launch is _shell.launch


def test_page_language_script_knows_every_title() -> None:
    js = _shell.page_language_js()
    for lang in ("en", "zh-Hans", "zh-Hant"):
        assert f'"{lang}"' in js
    assert "softmaxlab 探索器" in js and "document.documentElement.lang = lang" in js


def test_gradio_gets_a_text_for_every_key_it_lacks() -> None:
    translations = _shell.gradio_i18n().translations_dict
    assert set(translations) == {"en", "zh-CN", "zh-TW"}
    assert translations["en"]["common.complete"] == "Done"
    assert translations["zh-CN"]["common.complete"] == "完成"
    assert all("common.complete" not in v for tr in translations.values() for v in tr.values())
