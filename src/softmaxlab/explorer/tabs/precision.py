"""The Precision tab: naive vs stable softmax, Σp in three dtypes, log(softmax) vs log_softmax."""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr

from .. import _callbacks as cb
from .. import _render as rd
from .._ui import Context, on, shown

DEFAULT = "1000, 999, 998"
EXAMPLES = {"prec-example-large": "1000, 999, 998", "prec-example-log": "1000, 1"}
"""Example buttons: element id -> the logits they put in the box (the caption)."""


def precision_output(text: str, lang: str) -> str:
    """The three Precision tables for the logits in ``text`` (or a message about the entry)."""
    return shown(
        lambda: rd.precision_html(
            cb.precision_view(cb.parse_numbers(text, max_count=20, finite=False)), lang
        ),
        lang,
    )


def example(text: str) -> Callable[[str], tuple[str, str]]:
    """The handler of an example button: put ``text`` in the box and show its tables."""
    return lambda lang: (text, precision_output(text, lang))


def build(ctx: Context) -> None:
    """The Precision tab."""
    with ctx.tab("tab.precision", "precision"):
        ctx.markdown("prec.intro")
        box, run = ctx.entry_row("prec.logits", DEFAULT, "prec-logits", "prec.run", "prec-run")
        with gr.Row():
            examples = {k: gr.Button(v, elem_id=k, size="sm") for k, v in EXAMPLES.items()}
        out = gr.HTML(precision_output(DEFAULT, ctx.lang), elem_id="prec-out")

    on([run.click, box.submit], precision_output, [box, ctx.lang_radio], out)
    for key, button in examples.items():
        on([button.click], example(EXAMPLES[key]), [ctx.lang_radio], [box, out])
    ctx.rerender([out], [box], lambda lang, text: [precision_output(text, lang)])
