"""The "Next token (real model)" tab: a tiny bigram softmax regression reads the prompt.

The learner types a prompt (or picks a corpus, which puts an example in the box), sees the
model's real logits for the next token, the decoding pipeline and the top-p cut on the
cumulative-probability bar, and generates token by token (the step button appends one
sampled token to the prompt) or several tokens at once. The model trains once per process in
the background when the tab is first opened (see :mod:`.._lm`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import gradio as gr

from .. import _lm
from .. import _render_lm as rl
from .._decoding import Decoding
from .._ui import Context, on, shown

N_SETTINGS = 7


class Settings(NamedTuple):
    """The tab's inputs in the order of its components."""

    corpus: str
    prompt: str
    temperature: float
    top_k: float
    top_p: float
    min_p: float
    seed: float

    def view(self) -> dict[str, Any]:
        """The next-token view of the prompt."""
        return _lm.lm_view(self.corpus, self.prompt, Decoding.from_controls(*self[2:]))

    def generate(self, n: float) -> dict[str, Any]:
        """``n`` tokens generated after the prompt."""
        return _lm.generate_view(self.corpus, self.prompt, Decoding.from_controls(*self[2:]), n)

    def logits(self, lang: str) -> str:
        """The next-token view (or a message)."""
        return shown(lambda: rl.lm_html(self.view(), lang), lang)

    def generated(self, n: float, lang: str) -> str:
        """``n`` generated tokens (or a message)."""
        return shown(lambda: rl.generated_html(self.generate(n), lang), lang)


def on_select(*settings_lang: Any) -> str:
    """The tab is opened: train the models in the background, show the view."""
    corpus = str(settings_lang[0])
    _lm.start_models(corpus if corpus in _lm.EXAMPLE_PROMPTS else "en")
    return on_settings(*settings_lang)[0]


def on_settings(*settings_lang: Any) -> tuple[str, str, str]:
    """New settings: the view again; the generated text is out of date and goes."""
    return Settings(*settings_lang[:N_SETTINGS]).logits(settings_lang[-1]), "", ""


def on_corpus(corpus: str) -> str:
    """Another corpus: its example prompt in the box (which renders the view)."""
    return _lm.EXAMPLE_PROMPTS.get(corpus, "")


def on_step(*settings_lang: Any) -> tuple[Any, str, str]:
    """Append the next sampled token to the prompt (or say that the model ended the text)."""
    s, lang = Settings(*settings_lang[:N_SETTINGS]), settings_lang[-1]
    result: list[tuple[str, bool]] = []

    def run() -> str:
        result.append(_lm.stepped(s.prompt, s.generate(1)))
        return ""

    message = shown(run, lang)
    if not result:
        return gr.skip(), message, ""
    prompt, ended = result[0]
    if ended:
        return gr.skip(), rl.ended_html(lang), "ended"
    return prompt, "", ""


def on_generate(*settings_n_lang: Any) -> tuple[str, str]:
    """The generate button: ``n`` tokens after the prompt."""
    *_, n, lang = settings_n_lang
    return Settings(*settings_n_lang[:N_SETTINGS]).generated(n, lang), "generated"


def corpus_for(lang: str) -> str:
    """The corpus in the page's language."""
    return lang if lang in _lm.EXAMPLE_PROMPTS else "en"


def again(lang: str, *settings: Any) -> list[Any]:
    """Another language: its corpus if the prompt is still an example, and the view.

    Before the tab has been opened (no model trained yet) the view stays the waiting note,
    so that a language switch never trains a model.
    """
    s = Settings(*settings)
    if s.prompt in _lm.EXAMPLE_PROMPTS.values() and corpus_for(lang) != s.corpus:
        s = s._replace(corpus=corpus_for(lang), prompt=_lm.EXAMPLE_PROMPTS[corpus_for(lang)])
    view = s.logits(lang) if _lm.is_started(s.corpus) else rl.lm_waiting_html(lang)
    return [s.corpus, s.prompt, view]


def generated_again(lang: str, *settings_n_kind: Any) -> list[Any]:
    """The generated tokens (or the end note) in another language, if shown."""
    *_, n, kind = settings_n_kind
    if kind == "generated":
        return [Settings(*settings_n_kind[:N_SETTINGS]).generated(n, lang)]
    if kind == "ended":
        return [rl.ended_html(lang)]
    return [gr.skip()]


def build(ctx: Context) -> None:
    """The Next token (real model) tab."""
    first = corpus_for(ctx.lang)
    with ctx.tab("tab.lm", "lm") as tab:
        ctx.markdown("lm.intro")
        with gr.Row():
            with gr.Column(scale=1):
                choices: Any = list(_lm.CORPUS_CHOICES)
                corpus = ctx.radio("lm.corpus", choices, first, "lm-corpus")
                prompt = ctx.textbox("lm.prompt", _lm.EXAMPLE_PROMPTS[first], "lm-prompt", lines=2)
                temp = ctx.slider("lm.temperature", (0.0, 3.0), 1.0, 0.05, "lm-temperature")
                top_k = ctx.slider("lm.top_k", (0, 50), 0, 1, "lm-top-k")
                top_p = ctx.slider("lm.top_p", (0.01, 1.0), 1.0, 0.01, "lm-top-p")
                min_p = ctx.slider("lm.min_p", (0.0, 1.0), 0.0, 0.01, "lm-min-p")
                seed = ctx.number("lm.seed", 0, "lm-seed", bounds=(0, 2**32 - 1), precision=0)
                step = ctx.button("lm.step", "lm-step", variant="primary")
                with gr.Row():
                    n = ctx.slider("lm.n", (1, _lm.MAX_GENERATE), 12, 1, "lm-n")
                    generate = ctx.button("lm.generate", "lm-generate")
            with gr.Column(scale=2):
                gen = gr.HTML("", elem_id="lm-gen")
                out = gr.HTML(rl.lm_waiting_html(ctx.lang), elem_id="lm-out")
        gen_kind = gr.State("")

    settings = [corpus, prompt, temp, top_k, top_p, min_p, seed]
    inputs = [*settings, ctx.lang_radio]
    outputs = [out, gen, gen_kind]
    sliders = (temp, top_k, top_p, min_p)
    live = [prompt.change, *(s.input for s in sliders), *(s.release for s in sliders)]
    on([tab.select], on_select, inputs, [out])
    on(live, on_settings, inputs, outputs, trigger_mode="always_last")
    on([seed.submit], on_settings, inputs, outputs)
    on([corpus.input], on_corpus, [corpus], [prompt])
    on([step.click], on_step, inputs, [prompt, gen, gen_kind])
    on([generate.click], on_generate, [*settings, n, ctx.lang_radio], [gen, gen_kind])
    ctx.rerender([corpus, prompt, out], settings, again)
    ctx.rerender([gen], [*settings, n, gen_kind], generated_again)
