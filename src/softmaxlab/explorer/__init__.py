"""The softmax explorer: a Gradio web app for learning softmax, in English, 简体中文 and 繁體中文.

Run it with ``softmaxlab explore`` or, in Jupyter and Colab, ``softmaxlab.explorer.explore()``
(it shows inline). It works offline: no CDN, no share link, no telemetry.

The logic lives in plain functions (:mod:`._callbacks`, :mod:`._models`, :mod:`._render`,
tested without a browser). :mod:`._shell` builds the page (theme, header, language switch)
and asks each module of :mod:`.tabs` to build its tab with the factories of :mod:`._ui`; the
strings are in one catalogue per language (:mod:`.locales`). Gradio is imported on first
use, so ``import softmaxlab.explorer`` stays light.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# Telemetry off before gradio can be imported through this package.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from ._i18n import LANGUAGES, locale_from_accept_language, resolve_locale, t

if TYPE_CHECKING:
    import gradio as gr

__all__ = [
    "LANGUAGES",
    "build_app",
    "explore",
    "launch",
    "locale_from_accept_language",
    "resolve_locale",
    "t",
]


def build_app(lang: str | None = None) -> gr.Blocks:
    """Build the explorer as a ``gradio.Blocks`` (not launched).

    Parameters
    ----------
    lang : {"en", "zh-Hans", "zh-Hant"} or None
        Fixed starting language; None follows the browser's locale. The page can always switch.
    """
    from ._shell import build_app as _build

    return _build(lang=lang)


def launch(
    demo: gr.Blocks,
    *,
    host: str = "127.0.0.1",
    port: int | None = 7860,
    prevent_thread_lock: bool = False,
    **kwargs: Any,
) -> Any:
    """Launch a built explorer offline (system fonts, ``share=False``, no telemetry)."""
    from ._shell import launch as _launch

    return _launch(demo, host=host, port=port, prevent_thread_lock=prevent_thread_lock, **kwargs)


def explore(lang: str | None = None, *, port: int | None = None, height: int = 900) -> gr.Blocks:
    """Show the explorer inline in Jupyter or Colab and return the running app.

    Parameters
    ----------
    lang : {"en", "zh-Hans", "zh-Hant"} or None
        Starting language; None follows the browser's locale.
    port : int or None
        Local port; None picks a free one.
    height : int
        Height of the inline frame in pixels.
    """
    demo = build_app(lang=lang)
    launch(demo, port=port, inline=True, height=height, prevent_thread_lock=True)
    return demo
