"""The Compare tab: softmax beside sigmoid, argmax and sparsemax; one-vs-rest vs softmax."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import _callbacks as cb
from .. import _models as md
from .. import _render as rd
from .._ui import Context, error_html, on, shown

DEFAULT = "3, 1, -3"


def compare_output(text: str, lang: str) -> str:
    """The four maps of the logits in ``text`` (or a message about the entry)."""
    return shown(
        lambda: rd.compare_html(cb.compare_view(cb.parse_numbers(text, max_count=20)), lang), lang
    )


def ovr_output(dataset: str, lang: str) -> tuple[str, dict[str, Any] | None]:
    """One-vs-rest vs softmax regression on ``dataset``: the table and the view to re-render."""
    try:
        view = md.ovr_view(dataset)
        return rd.ovr_html(view, lang), view
    except Exception as exc:
        return error_html(exc, lang), None


def ovr_again(lang: str, view: dict[str, Any] | None) -> list[Any]:
    """The one-vs-rest table in another language, without fitting again."""
    return [rd.ovr_html(view, lang) if view else gr.skip()]


def build(ctx: Context) -> None:
    """The Compare tab."""
    with ctx.tab("tab.compare", "compare"):
        ctx.markdown("cmp.intro")
        box, run = ctx.entry_row("cmp.logits", DEFAULT, "cmp-logits", "cmp.run", "cmp-run")
        out = gr.HTML(compare_output(DEFAULT, ctx.lang), elem_id="cmp-out")
        ctx.markdown("ovr.title", "### {}")
        ctx.markdown("ovr.intro")
        with gr.Row():
            dataset = ctx.radio("ovr.dataset", md.DATASETS, "iris", "ovr-dataset", scale=3)
            ovr_run = ctx.button("ovr.run", "ovr-run", scale=1)
        ovr_out = gr.HTML("", elem_id="ovr-out")
        ovr_state = gr.State(None)

    on([run.click, box.submit], compare_output, [box, ctx.lang_radio], out)
    ovr_run.click(ovr_output, [dataset, ctx.lang_radio], [ovr_out, ovr_state])
    ctx.rerender([out], [box], lambda lang, text: [compare_output(text, lang)])
    ctx.rerender([ovr_out], [ovr_state], ovr_again)
