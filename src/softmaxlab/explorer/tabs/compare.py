"""The Compare tab: softmax beside sigmoid, argmax, sparsemax and ReLU; a multi-label image;
one-vs-rest vs softmax (metrics, and the probabilities of one chosen sample)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import _callbacks as cb
from .. import _lessons as ls
from .. import _models as md
from .. import _render as rd
from .. import _render_lessons as rl
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


def ovr_sample_output(dataset: str, index: Any, lang: str) -> tuple[Any, str, Any]:
    """One test sample's probabilities under both models, an empty message and the view."""
    try:
        view = ls.ovr_sample_view(dataset, index)
    except Exception as exc:
        return gr.skip(), error_html(exc, lang), gr.skip()
    return rl.ovr_sample_html(view, lang), "", view


def multilabel_output(lang: str) -> str:
    """The person-and-backpack example."""
    return shown(lambda: rl.multilabel_html(ls.multilabel_view(), lang), lang)


def build(ctx: Context) -> None:
    """The Compare tab."""
    with ctx.tab("tab.compare", "compare"):
        ctx.markdown("cmp.intro")
        box, run = ctx.entry_row("cmp.logits", DEFAULT, "cmp-logits", "cmp.run", "cmp-run")
        out = gr.HTML(compare_output(DEFAULT, ctx.lang), elem_id="cmp-out")
        ctx.markdown("cmp.ml_title", "### {}")
        ctx.markdown("cmp.ml_intro")
        ml_out = gr.HTML(multilabel_output(ctx.lang), elem_id="cmp-ml-out")
        ctx.markdown("ovr.title", "### {}")
        ctx.markdown("ovr.intro")
        with gr.Row():
            dataset = ctx.radio("ovr.dataset", md.DATASETS, "iris", "ovr-dataset", scale=3)
            ovr_run = ctx.button("ovr.run", "ovr-run", scale=1)
        ovr_out = gr.HTML("", elem_id="ovr-out")
        ovr_state = gr.State(None)
        ctx.markdown("cmp.ovr_sample_intro")
        with gr.Row():
            sample = ctx.number(
                "cmp.ovr_index", 0, "ovr-index", bounds=(0, 9999), precision=0, scale=3
            )
            sample_run = ctx.button("cmp.ovr_show", "ovr-sample-run", scale=1)
        sample_message = gr.HTML("", elem_id="ovr-sample-message")
        sample_out = gr.HTML("", elem_id="ovr-sample-out")
        sample_state = gr.State(None)

    on([run.click, box.submit], compare_output, [box, ctx.lang_radio], out)
    ovr_run.click(ovr_output, [dataset, ctx.lang_radio], [ovr_out, ovr_state])
    ctx.rerender([out], [box], lambda lang, text: [compare_output(text, lang)])
    ctx.rerender([ovr_out], [ovr_state], ovr_again)
    sample_inputs = [dataset, sample, ctx.lang_radio]
    on(
        [sample_run.click, sample.submit],
        ovr_sample_output,
        sample_inputs,
        [sample_out, sample_message, sample_state],
    )
    ctx.rerender([ml_out], [], lambda lang: [multilabel_output(lang)])
    ctx.rerender([sample_out, sample_message], [sample_state], _sample_again)


def _sample_again(lang: str, view: dict[str, Any] | None) -> list[Any]:
    """The chosen sample in another language, without fitting again (nothing if none yet)."""
    return [rl.ovr_sample_html(view, lang) if view else gr.skip(), ""]
