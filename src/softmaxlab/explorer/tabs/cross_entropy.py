"""The Cross-entropy tab: the loss from the logits beside log(softmax) failing; smoothing."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import _callbacks as cb
from .. import _lessons as ls
from .._render_lessons import cross_entropy_html
from .._ui import Context, error_html, on

DEFAULT = "1000, 0"
DEFAULT_TARGET = 1
DEFAULT_SMOOTHING = 0.1
EXAMPLES = ("1000, 0", "2, 1, 0.1", "-1000, 0, 1000")


def ce_output(text: str, target: Any, smoothing: Any, lang: str) -> tuple[Any, str]:
    """The steps for ``text`` and an empty message; on a bad entry the old steps stay."""
    try:
        view = ls.cross_entropy_view(cb.parse_numbers(text, max_count=10), target, smoothing)
    except Exception as exc:
        return gr.skip(), error_html(exc, lang)
    return cross_entropy_html(view, lang), ""


def build(ctx: Context) -> None:
    """The Cross-entropy tab."""
    with ctx.tab("tab.cross_entropy", "cross-entropy"):
        ctx.markdown("ce.intro")
        box, target, smoothing, run = ctx.target_row(
            "ce", DEFAULT, DEFAULT_TARGET, ("smoothing", (0.0, 1.0), DEFAULT_SMOOTHING, 0.01)
        )
        with gr.Row():
            examples = [
                gr.Button(text, elem_id=f"ce-example-{i}", size="sm")
                for i, text in enumerate(EXAMPLES)
            ]
        message = gr.HTML("", elem_id="ce-message")
        first, _ = ce_output(DEFAULT, DEFAULT_TARGET, DEFAULT_SMOOTHING, ctx.lang)
        out = gr.HTML(first, elem_id="ce-out")

    inputs = [box, target, smoothing, ctx.lang_radio]
    events = [run.click, box.submit, target.submit, smoothing.release]
    on(events, ce_output, inputs, [out, message])
    on([smoothing.input], ce_output, inputs, [out, message], trigger_mode="always_last")
    for button, text in zip(examples, EXAMPLES, strict=True):
        button.click(lambda text=text: text, None, box, show_progress="hidden").then(
            ce_output, inputs, [out, message], show_progress="hidden"
        )
    ctx.rerender(
        [out, message],
        [box, target, smoothing],
        lambda lang, text, target, smoothing: list(ce_output(text, target, smoothing, lang)),
    )
