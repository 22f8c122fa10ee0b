"""The Segmentation tab: a generated image, the per-pixel softmax over the classes, the labels.

The maths is in :mod:`.._segmentation` (softmaxlab's softmax with ``axis=-1`` on the
(H, W, C) scores) and the HTML in :mod:`.._render_attention`. A bad entry shows a message
under the controls and leaves the last good result in place.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import _render_attention as ra
from .. import _segmentation as sg
from .._ui import Context, error_html, on

DEFAULTS = {"temperature": 1.0, "noise": 0.12, "seed": 0, "row": 9, "col": 3}


def segmentation_output(
    temperature: float, noise: float, seed: float | None, row: float, col: float, lang: str
) -> tuple[Any, str]:
    """(result, message) for the Segmentation tab; a bad entry keeps the result and says why."""
    try:
        view = sg.segmentation_view(temperature, noise=noise, seed=seed, row=row, col=col)
        return ra.segmentation_html(view, lang), ""
    except Exception as exc:  # shown in the page, never raised to gradio
        return gr.skip(), error_html(exc, lang)


def build(ctx: Context) -> None:
    """The Segmentation tab."""
    last = sg.SIZE - 1
    with ctx.tab("tab.segmentation", "segmentation"):
        ctx.markdown("seg.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=260):
                temp = ctx.slider(
                    "seg.temperature", sg.T_RANGE, DEFAULTS["temperature"], 0.05, "seg-t"
                )
                noise = ctx.slider(
                    "seg.noise", sg.NOISE_RANGE, DEFAULTS["noise"], 0.01, "seg-noise"
                )
                seed = ctx.number(
                    "seg.seed", DEFAULTS["seed"], "seg-seed", bounds=(0, 9999), precision=0
                )
                row = ctx.slider("seg.row", (0, last), DEFAULTS["row"], 1, "seg-row")
                col = ctx.slider("seg.col", (0, last), DEFAULTS["col"], 1, "seg-col")
                message = gr.HTML("", elem_id="seg-message")
            with gr.Column(scale=3):
                d = DEFAULTS
                html0, _ = segmentation_output(
                    d["temperature"], d["noise"], d["seed"], d["row"], d["col"], ctx.lang
                )
                out = gr.HTML(html0, elem_id="seg-out")

    inputs = [temp, noise, seed, row, col, ctx.lang_radio]
    sliders = [temp.input, noise.input, row.input, col.input]
    on(sliders, segmentation_output, inputs, [out, message], trigger_mode="always_last")
    on([seed.submit, seed.blur], segmentation_output, inputs, [out, message])
    ctx.rerender(
        [out, message],
        [temp, noise, seed, row, col],
        lambda lang, temp_, noise_, seed_, row_, col_: segmentation_output(
            temp_, noise_, seed_, row_, col_, lang
        ),
    )
