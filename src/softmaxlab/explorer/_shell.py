"""The page shell of the explorer: theme, CSS, header, language switch and the tabs.

The shell builds the header (title, language switch, introduction), asks each module of
:data:`.tabs.TABS` to build its tab, then wires the language: switching (or the first load,
which follows ``?lang=`` or the browser's ``Accept-Language``) applies the chosen catalogue
to every registered component with :func:`._ui.relabel`, re-renders the outputs that depend
on the language, and sets ``<html lang>`` and the page title.
"""

from __future__ import annotations

import json
import os

# Telemetry off before gradio is imported (it reads the variable at import and launch).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from typing import Any

import gradio as gr

from ._i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    locale_from_accept_language,
    normalize_lang,
    resolve_locale,
    t,
)
from ._ui import QUICK, Context, relabel
from .tabs import TABS

# System fonts only: nothing is fetched from a font CDN.
_SANS = ["system-ui", "-apple-system", "Segoe UI", "Noto Sans CJK SC", "Noto Sans", "sans-serif"]
_MONO = ["ui-monospace", "DejaVu Sans Mono", "monospace"]

CSS = """
#sm-chart, #sm-details { min-height: 2em; }
.sl-error { margin: 4px 0; }
#sm-logt .tab-like-container, #sm-logt [data-testid=min-value],
#sm-logt [data-testid=max-value] { display: none; }
#sm-details { overflow-x: auto; }
#sm-view[data-pending] #sm-details, #sm-view[data-pending] #sm-winner { opacity: 0.55; }
#sm-steps-table { font-size: 0.88em; }
#sm-steps-table td, #sm-steps-table th { padding: 2px 5px !important; }
@media (max-width: 640px) {
  #sm-layout { flex-direction: column; flex-wrap: nowrap; }
  #sm-controls, #sm-view, #sm-controls > .form { display: contents; }
  #sm-layout > * , #sm-controls > *, #sm-view > *, #sm-controls > .form > * { width: 100%; }
  #sm-names-row { order: 1; } #sm-class-row { order: 2; } #sm-class-message { order: 3; }
  [id^=sm-logit-] { order: 4; } #sm-t-row { order: 5; } #sm-chart { order: 6; }
  #sm-presets-title { order: 7; } #sm-presets-row { order: 8; } #sm-message { order: 9; }
  #sm-details { order: 10; } #sm-winner { order: 11; }
}
"""
"""The temperature slider moves log10 T: its own number box, reset button and end labels (which
would show log10 T) are hidden; the T box beside it shows T. The steps table is set a little
smaller (it fits a 1024 px window) and scrolls inside its box rather than overflow. At phone
width the Softmax tab's two columns dissolve into one ordered list: the classes, the sliders,
the temperature, then the chart, and only then presets, details and the winner plots."""

GRADIO_LOCALES = {"en": "en", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}
"""Our language -> the locale of Gradio's own front-end catalogue."""

_EDITOR_KEYS = (
    "brush",
    "erase",
    "color",
    "brush_size",
    "clear_canvas",
    "pan",
    "redo",
    "zoom_in",
    "zoom_out",
    "select_draw_tool",
)
GRADIO_KEYS = {
    "common.complete": "gradio.complete",
    **{f"image_editor.{key}": f"gradio.{key}" for key in _EDITOR_KEYS},
}
"""Gradio front-end keys it has no text for in Chinese (it would show the key, or English: the
drawing canvas's tool tips) -> our catalogue key."""


GRADIO_ARIA = {
    r"^number input for (.*)$": "gradio.aria_number",
    r"^range slider for (.*)$": "gradio.aria_range",
    r"^Reset to default value$": "gradio.aria_reset",
    r"^Click to upload or drop files$": "gradio.aria_upload",
    r"^undo$": "gradio.aria_undo",
    r"^File upload$": "gradio.aria_file",
}
"""Screen-reader labels that Gradio's front end writes in English whatever the locale (no
catalogue key to translate them) -> our key; ``{label}`` is the first group of the pattern."""

# Keeps every element's aria-label in the page language: the English original (one of the
# GRADIO_ARIA patterns) is kept in data-sl-aria and turned into the current language's text,
# on each switch and for every element Gradio adds or relabels later (a tab mounts its
# contents when first opened). English pages keep Gradio's own text. The patterns are
# compiled once per page, not at every mutation the observer sees.
_ARIA_JS = """
window.__slLang = lang;
window.__slAriaRules = window.__slAriaRules || ARIA.map(([re, texts]) => [new RegExp(re), texts]);
const rules = window.__slAriaRules;
const fix = (el) => {
  const cur = el.getAttribute('aria-label');
  let orig = cur;
  if (!rules.some(([re]) => re.test(cur || ''))) {
    if (!el.dataset.slAria || cur !== el.dataset.slShown) return;
    orig = el.dataset.slAria;
  }
  let want = orig;
  for (const [re, texts] of rules) {
    const m = re.exec(orig);
    if (m && window.__slLang !== 'en') {
      want = (texts[window.__slLang] || orig).replace('{label}', m[1] || '');
    }
  }
  el.dataset.slAria = orig; el.dataset.slShown = want;
  if (cur !== want) el.setAttribute('aria-label', want);
};
const sweep = (root) => {
  if (root.nodeType !== 1) return;
  if (root.hasAttribute('aria-label')) fix(root);
  root.querySelectorAll('[aria-label]').forEach(fix);
};
if (!window.__slAria) {
  window.__slAria = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') fix(r.target); else r.addedNodes.forEach(sweep);
    }
  });
  window.__slAria.observe(document.body, {subtree: true, childList: true, attributes: true,
                                          attributeFilter: ['aria-label']});
}
sweep(document.body);
"""


def page_language_js(*, ready: bool = False) -> str:
    """JavaScript ``(lang) => …`` setting ``<html lang>``, the title and Gradio's aria-labels.

    With ``ready``, it also marks the page as loaded (``<html data-explorer-ready>``) once the
    page's load event is over; the browser tests wait for the mark before they click, since a
    switch made while the load event is still running can be overwritten by it.
    """
    titles = json.dumps({lang: t("app.title", lang) for lang in LANGUAGES}, ensure_ascii=False)
    aria = json.dumps(
        [[re, {lang: t(key, lang) for lang in LANGUAGES}] for re, key in GRADIO_ARIA.items()],
        ensure_ascii=False,
    )
    mark = "document.documentElement.dataset.explorerReady = '1'; " if ready else ""
    return (
        "(lang) => { const titles = " + titles + "; const ARIA = " + aria + "; "
        "document.documentElement.lang = lang; "
        + mark
        + "document.title = titles[lang] || titles['en']; "
        + _ARIA_JS
        + "return []; }"
    )


def gradio_i18n() -> gr.I18n:
    """Texts for the Gradio front-end strings that it lacks (screen-reader announcements)."""
    return gr.I18n(
        **{
            GRADIO_LOCALES[lang]: {key: t(ours, lang) for key, ours in GRADIO_KEYS.items()}
            for lang in LANGUAGES
        }
    )


OFFLINE: dict[str, Any] = {
    "share": False,
    "inbrowser": False,
    "show_error": False,
    "footer_links": [],
    "run_history": False,
}
"""Launch options that keep the explorer local: no share link, no browser, no Gradio links, and
no run history. (Gradio 6 keeps the inputs and outputs of the last 100 events in the
browser's localStorage and reads and rewrites all of them at every event: with the Softmax
tab's tables and plots that grew to about 0.5 s of page time per slider release after 100
releases, against 0.06 s at the first.)"""


def make_theme() -> gr.themes.Base:
    """The default theme with local system fonts (no request leaves the machine)."""
    return gr.themes.Default(font=_SANS, font_mono=_MONO)


def build_header(ctx: Context) -> None:
    """The title, the language switch (``ctx.lang_radio``) and the introduction."""
    with gr.Row():
        ctx.markdown("app.title", "# {}", elem_id="app-title")
        ctx.lang_radio = gr.Radio(
            choices=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES],
            value=ctx.lang,
            label="Language · 语言 · 語言",
            elem_id="lang",
            scale=0,
            min_width=320,
        )
    ctx.markdown("app.intro", elem_id="app-intro")


def chosen_language(fixed: str | None, request: gr.Request | None) -> str:
    """The page language: the fixed one, else ``?lang=``, else ``Accept-Language``, else en."""
    if fixed is not None:
        return fixed
    if request is None:
        return "en"
    query = dict(request.query_params) if request.query_params else {}
    from_query = resolve_locale(query.get("lang"))
    return from_query or locale_from_accept_language(request.headers.get("accept-language", ""))


def _wire_language(demo: gr.Blocks, ctx: Context, fixed: str | None) -> None:
    inputs, outputs = ctx.language_inputs(), ctx.language_outputs()
    set_page = page_language_js()

    def on_switch(lang: str, *values: Any) -> list[Any]:
        return relabel(ctx, lang, *values)

    def on_load(request: gr.Request, lang: str, *values: Any) -> list[Any]:
        chosen = chosen_language(fixed, request)
        for hook in ctx.on_load:
            hook()
        return [gr.skip()] * len(outputs) if chosen == ctx.lang else relabel(ctx, chosen, *values)

    switched = ctx.lang_radio.input(on_switch, inputs, outputs, **QUICK)
    switched.then(None, [ctx.lang_radio], None, js=set_page, **QUICK)
    loaded = demo.load(on_load, inputs, outputs, **QUICK)
    loaded.then(None, [ctx.lang_radio], None, js=page_language_js(ready=True), **QUICK)


def build_app(lang: str | None = None) -> gr.Blocks:
    """Build the explorer (not launched).

    Parameters
    ----------
    lang : {"en", "zh-Hans", "zh-Hant"} or None
        Fixed page language. None follows the browser's locale (``Accept-Language``) or a
        ``?lang=`` query parameter; the reader can switch in the page either way.
    """
    fixed = normalize_lang(lang) if lang else None
    ctx = Context(fixed or "en")
    with gr.Blocks(title=ctx.t("app.title"), analytics_enabled=False) as demo:
        build_header(ctx)
        # Tabs that do not fit wrap onto a second row (no "More tabs" menu hiding most of them).
        with gr.Tabs(elem_id="tabs", overflow_behavior="wrap"):
            for tab in TABS:
                tab.build(ctx)
        _wire_language(demo, ctx, fixed)
    return demo


def launch(
    demo: gr.Blocks,
    *,
    host: str = "127.0.0.1",
    port: int | None = 7860,
    inline: bool | None = None,
    prevent_thread_lock: bool = False,
    quiet: bool = True,
    **kwargs: Any,
) -> Any:
    """Launch ``demo`` offline: local fonts, no share link, no telemetry."""
    where: dict[str, Any] = {"server_name": host, "server_port": port, "inline": inline}
    head = "".join(getattr(tab, "HEAD", "") for tab in TABS)
    look: dict[str, Any] = {"theme": make_theme(), "css": CSS, "i18n": gradio_i18n(), "head": head}
    return demo.launch(
        prevent_thread_lock=prevent_thread_lock, quiet=quiet, **where, **OFFLINE, **look, **kwargs
    )
