"""The Action choice tab: a multi-armed bandit played by softmax, ε-greedy and uniform."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import _action as ac
from .._render_action import action_html
from .._ui import Context, error_html, on

DEFAULTS = {"arms": 5, "steps": 300, "runs": 50, "temperature": 0.2, "epsilon": 0.1, "seed": 0}


def action_output(
    arms: Any, steps: Any, runs: Any, temperature: Any, epsilon: Any, seed: Any, lang: str
) -> tuple[Any, str, Any]:
    """Charts and tables, an empty message and the view; on a bad entry the old charts stay."""
    try:
        view = ac.action_view(arms, steps, runs, temperature, epsilon, seed)
    except Exception as exc:
        return gr.skip(), error_html(exc, lang), gr.skip()
    return action_html(view, lang), "", view


def action_again(lang: str, view: dict[str, Any] | None) -> list[Any]:
    """The same run in another language, without simulating again."""
    return [action_html(view, lang) if view else gr.skip(), ""]


def build(ctx: Context) -> None:
    """The Action choice tab."""
    with ctx.tab("tab.action", "action"):
        ctx.markdown("act.intro")
        with gr.Row():
            arms = ctx.slider("act.arms", ac.ARMS, DEFAULTS["arms"], 1, "act-arms")
            steps = ctx.slider("act.steps", ac.STEPS, DEFAULTS["steps"], 10, "act-steps")
            runs = ctx.slider("act.runs", ac.RUNS, DEFAULTS["runs"], 1, "act-runs")
        with gr.Row():
            temperature = ctx.slider(
                "act.temperature", ac.TEMPERATURE, DEFAULTS["temperature"], 0.01, "act-temperature"
            )
            epsilon = ctx.slider(
                "act.epsilon", ac.EPSILON, DEFAULTS["epsilon"], 0.01, "act-epsilon"
            )
            seed = ctx.number(
                "act.seed", DEFAULTS["seed"], "act-seed", bounds=(0, ac.SEED_MAX), precision=0
            )
            run = ctx.button("act.run", "act-run")
        message = gr.HTML("", elem_id="act-message")
        first = ac.action_view(*DEFAULTS.values())
        out = gr.HTML(action_html(first, ctx.lang), elem_id="act-out")
        state = gr.State(first)

    inputs = [arms, steps, runs, temperature, epsilon, seed, ctx.lang_radio]
    events = [run.click, seed.submit] + [
        s.release for s in (arms, steps, runs, temperature, epsilon)
    ]
    on(events, action_output, inputs, [out, message, state])
    ctx.rerender([out, message], [state], action_again)
