"""The Draw a digit tab: a sketch pad, the 8×8 digit the model sees and its probabilities."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import _models as md
from .. import _render as rd
from .._i18n import t
from .._ui import QUICK, Context, error_html, on

PICK_BRUSH = """() => {
  let tries = 0;
  const pick = () => {
    const brush = document.querySelector('#dg-pad .toolbar-wrap button');
    if (brush) { if (!brush.classList.contains('highlight')) brush.click(); return; }
    if (++tries < 100) setTimeout(pick, 50);
  };
  pick();
  return [];
}"""
"""Select the canvas's brush when the tab opens (Gradio starts with no tool selected)."""


def digit_output(drawing: Any, calibrated: bool, lang: str) -> tuple[str, dict[str, Any] | None]:
    """The probabilities of the drawn digit and the view to re-render (or a message)."""
    try:
        view = md.digit_view(drawing, calibrated=bool(calibrated))
        return rd.digit_html(view, lang), view
    except Exception as exc:
        return error_html(exc, lang), None


def digit_again(lang: str, view: dict[str, Any] | None) -> list[str]:
    """The result in another language, or the invitation to draw."""
    return [rd.digit_html(view, lang) if view else rd.note(t("dg.empty", lang))]


def build(ctx: Context) -> None:
    """The Draw a digit tab."""
    with ctx.tab("tab.digit", "digit") as tab:
        ctx.markdown("dg.intro")
        with gr.Row():
            with gr.Column(scale=1):
                pad = ctx.make(
                    gr.Sketchpad,
                    "dg.pad",
                    type="numpy",
                    image_mode="RGBA",
                    canvas_size=(280, 280),
                    brush=gr.Brush(default_size=22, colors=["#000000"], color_mode="fixed"),
                    layers=False,
                    transforms=(),
                    elem_id="dg-pad",
                    height=420,
                )
                calibrated = ctx.make(
                    gr.Checkbox, "dg.calibrated", value=False, elem_id="dg-calibrated"
                )
            with gr.Column(scale=1):
                out = gr.HTML(rd.note(ctx.t("dg.empty")), elem_id="dg-out")
        state = gr.State(None)

    inputs = [pad, calibrated, ctx.lang_radio]
    on([pad.change], digit_output, inputs, [out, state], trigger_mode="always_last")
    on([calibrated.input], digit_output, inputs, [out, state])
    on([tab.select], md.start_digit_model, None, None)
    tab.select(None, None, None, js=PICK_BRUSH, **QUICK)
    ctx.on_load.append(md.start_digit_model)  # after the page is up, so it does not slow start
    ctx.rerender([out], [state], digit_again)
