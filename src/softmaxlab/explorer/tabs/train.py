"""The Train & calibrate tab: fit softmax regression, scale its temperature, show the report."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import _models as md
from .. import _render as rd
from .._i18n import t
from .._ui import Context, error_html


def train_output(
    dataset: str, C: float, max_iter: float, lang: str, report: md.Report | None = None
) -> tuple[str, dict[str, Any] | None]:
    """The training report and the view to re-render (or a message)."""
    try:
        view = md.train_view(dataset, C, max_iter, report=report)
        return rd.train_html(view, lang), view
    except Exception as exc:
        return error_html(exc, lang), None


def on_train(
    dataset: str,
    C: float,
    max_iter: float,
    lang: str,
    progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio injects the tracker)
) -> tuple[str, Any]:
    """The "Train" button: fit with a progress bar whose words follow the page's language."""

    def report(fraction: float, what: str) -> None:
        progress(fraction, desc=t(f"tr.progress_{what}", lang))

    return train_output(dataset, C, max_iter, lang, report)


def train_again(lang: str, view: dict[str, Any] | None) -> list[str]:
    """The report in another language without training again, or the invitation to train."""
    return [rd.train_html(view, lang) if view else rd.note(t("tr.press", lang))]


def build(ctx: Context) -> None:
    """The Train & calibrate tab."""
    with ctx.tab("tab.train", "train"):
        ctx.markdown("tr.intro")
        with gr.Row():
            dataset = ctx.radio("tr.dataset", md.DATASETS, "digits", "tr-dataset")
            c = ctx.number("tr.c", 1.0, "tr-c", bounds=(1e-4, 1e4))
            max_iter = ctx.slider("tr.max_iter", (10, 1000), 200, 10, "tr-max-iter")
            run = ctx.button("tr.run", "tr-run", variant="primary")
        out = gr.HTML(rd.note(ctx.t("tr.press")), elem_id="tr-out")
        state = gr.State(None)

    run.click(on_train, [dataset, c, max_iter, ctx.lang_radio], [out, state])
    ctx.rerender([out], [state], train_again)
