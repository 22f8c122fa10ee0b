"""The Gradients tab: the softmax Jacobian, the cross-entropy gradient p − y and one step; the
derivation of p − y, a finite-difference check and several gradient steps."""

from __future__ import annotations

import gradio as gr

from .. import _callbacks as cb
from .. import _lessons as ls
from .. import _render as rd
from .._render_lessons import derivation_html
from .._ui import Context, on, shown

DEFAULT = "1, 2, 3"
DEFAULT_STEPS = 10


def gradient_output(text: str, target: float | None, lr: float, lang: str) -> str:
    """Jacobian, gradient and one step for the logits in ``text`` (or a message)."""
    return shown(
        lambda: rd.gradient_html(
            cb.gradient_view(cb.parse_numbers(text, max_count=10), target, lr), lang
        ),
        lang,
    )


def derivation_output(text: str, target: float | None, lr: float, steps: float, lang: str) -> str:
    """Derivation, finite-difference check and ``steps`` descent steps (or a message)."""
    return shown(
        lambda: derivation_html(
            ls.gradient_more_view(cb.parse_numbers(text, max_count=10), target, lr, steps), lang
        ),
        lang,
    )


def build(ctx: Context) -> None:
    """The Gradients tab."""
    with ctx.tab("tab.gradients", "gradients"):
        ctx.markdown("grad.intro")
        box, target, lr, run = ctx.target_row("grad", DEFAULT, 0, ("lr", (0.05, 5.0), 1.0, 0.05))
        out = gr.HTML(gradient_output(DEFAULT, 0, 1.0, ctx.lang), elem_id="grad-out")
        steps = ctx.slider("grad.s_count", (1, ls.MAX_STEPS), DEFAULT_STEPS, 1, "grad-steps-count")
        more = gr.HTML(
            derivation_output(DEFAULT, 0, 1.0, DEFAULT_STEPS, ctx.lang), elem_id="grad-more"
        )

    inputs = [box, target, lr, ctx.lang_radio]
    on([run.click, box.submit, target.submit, lr.release], gradient_output, inputs, out)
    ctx.rerender(
        [out],
        [box, target, lr],
        lambda lang, text, target, lr: [gradient_output(text, target, lr, lang)],
    )
    more_inputs = [box, target, lr, steps, ctx.lang_radio]
    more_events = [run.click, box.submit, target.submit, lr.release, steps.release]
    on(more_events, derivation_output, more_inputs, more)
    # Typing in the slider's box or stepping it with the keyboard: the last value wins.
    on([steps.input], derivation_output, more_inputs, more, trigger_mode="always_last")
    ctx.rerender(
        [more],
        more_inputs[:-1],
        lambda lang, text, target, lr, n: [derivation_output(text, target, lr, n, lang)],
    )
