"""The Attention tab: a sentence's tokens, the scores QKᵀ/√d, the row-wise softmax, the mix.

The maths is in :mod:`.._attention` (softmaxlab's attention functions on toy, deterministic
q/k/v) and the HTML in :mod:`.._render_attention`. A bad entry shows a message under the
controls and leaves the last good result in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from .. import _attention as at
from .. import _render_attention as ra
from .._i18n import LANGUAGES, t
from .._ui import Context, error_html, on

EXAMPLES = ("att.example_1", "att.example_2", "att.example_3")
"""Catalogue keys of the example sentences (each language has its own)."""
DEFAULT_QUERY = 3


def attention_output(text: str, causal: bool, query: float | None, lang: str) -> tuple[Any, str]:
    """(result, message) for the Attention tab; a bad entry keeps the result and says why."""
    try:
        view = at.attention_view(text, causal=bool(causal), query=query)
        return ra.attention_html(view, lang), ""
    except Exception as exc:  # shown in the page, never raised to gradio
        return gr.skip(), error_html(exc, lang)


def example(key: str) -> Callable[[bool, str], tuple[Any, ...]]:
    """The handler of an example button: its sentence in the page's language, the last token
    as the query, and the result."""

    def run(causal: bool, lang: str) -> tuple[Any, ...]:
        text = t(key, lang)
        query = len(at.tokens(text))
        return (text, query, *attention_output(text, causal, query, lang))

    return run


def relabelled(lang: str, text: str, causal: bool, query: float | None) -> tuple[Any, ...]:
    """The tab in another language: an example sentence becomes that language's version
    (its query kept when the new sentence is long enough), the rest is re-rendered as is."""
    for key in EXAMPLES:
        if text in (t(key, other) for other in LANGUAGES) and text != t(key, lang):
            text = t(key, lang)
            n = len(at.tokens(text))
            query = n if query is None or not 1 <= float(query) <= n else query
            break
    return (text, query, *attention_output(text, causal, query, lang))


def build(ctx: Context) -> None:
    """The Attention tab."""
    text0 = ctx.t(EXAMPLES[0])
    with ctx.tab("tab.attention", "attention"):
        ctx.markdown("att.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=280):
                box, run = ctx.entry_row("att.tokens", text0, "att-tokens", "att.run", "att-run")
                ctx.markdown("att.examples", "**{}**")
                with gr.Row():
                    examples = [
                        ctx.button(key, f"att-example-{i + 1}", size="sm")
                        for i, key in enumerate(EXAMPLES)
                    ]
                with gr.Row():
                    causal = ctx.make(gr.Checkbox, "att.causal", value=False, elem_id="att-causal")
                    query = ctx.number(
                        "att.query",
                        DEFAULT_QUERY,
                        "att-query",
                        bounds=(1, at.MAX_TOKENS),
                        precision=0,
                        minimum=1,
                    )
                message = gr.HTML("", elem_id="att-message")
            with gr.Column(scale=2):
                html0, _ = attention_output(text0, False, DEFAULT_QUERY, ctx.lang)
                out = gr.HTML(html0, elem_id="att-out")

    inputs = [box, causal, query, ctx.lang_radio]
    events = [run.click, box.submit, causal.change, query.submit, query.blur]
    on(events, attention_output, inputs, [out, message])
    for key, button in zip(EXAMPLES, examples, strict=True):
        on([button.click], example(key), [causal, ctx.lang_radio], [box, query, out, message])
    ctx.rerender([box, query, out, message], [box, causal, query], relabelled)
