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


def sketchpad(lang: str) -> Any:
    """The drawing canvas, labelled in ``lang`` (``key`` keeps the drawing across renders)."""
    return gr.Sketchpad(
        label=t("dg.pad", lang),
        type="numpy",
        image_mode="RGBA",
        canvas_size=(280, 280),
        brush=gr.Brush(default_size=22, colors=["#000000"], color_mode="fixed"),
        layers=False,
        transforms=(),
        elem_id="dg-pad",
        height=420,
        key="dg-pad",
    )


def build(ctx: Context) -> None:
    """The Draw a digit tab.

    The canvas is made when the tab is first opened (and again, keeping the drawing, on a
    language switch), not with the page: Gradio's image editor brings a 2-D graphics engine
    whose scripts would otherwise be loaded and run before the first page shows. (Inside a
    render its ``change`` event does not fire; ``input`` does, for strokes and clearing.)
    """
    with ctx.tab("tab.digit", "digit") as tab:
        ctx.markdown("dg.intro")
        with gr.Row():
            with gr.Column(scale=1):
                opened = gr.State(False)
                triggers = [opened.change, ctx.lang_radio.change]

                @gr.render(inputs=[opened, ctx.lang_radio], triggers=triggers, **QUICK)
                def pad_area(is_open: bool, lang: str) -> None:
                    if not is_open:
                        return
                    pad = sketchpad(lang)
                    inputs = [pad, calibrated, ctx.lang_radio]
                    on([pad.input], digit_output, inputs, [out, state], trigger_mode="always_last")
                    on([calibrated.input], digit_output, inputs, [out, state])

                # interactive=True: its listener is attached in the render, so Gradio would
                # otherwise take it for a display-only box.
                calibrated = ctx.make(
                    gr.Checkbox,
                    "dg.calibrated",
                    value=False,
                    elem_id="dg-calibrated",
                    interactive=True,
                )
            with gr.Column(scale=1):
                out = gr.HTML(rd.note(ctx.t("dg.empty")), elem_id="dg-out")
        state = gr.State(None)

    on([tab.select], md.start_digit_model, None, None)
    tab.select(lambda: True, None, opened, **QUICK)
    tab.select(None, None, None, js=PICK_BRUSH, **QUICK)
    ctx.on_load.append(md.start_digit_model)  # after the page is up, so it does not slow start
    ctx.rerender([out], [state], digit_again)
