"""The Next token tab: a vocabulary's logits through temperature, top-k, top-p and min-p."""

from __future__ import annotations

from typing import Any, NamedTuple

import gradio as gr

from .. import _callbacks as cb
from .. import _render as rd
from .._ui import Context, on, shown


class Settings(NamedTuple):
    """The tab's settings, in the order of its input components."""

    vocab: str
    temperature: float
    top_k: float
    top_p: float
    min_p: float
    seed: float

    @property
    def decoding(self) -> cb.Decoding:
        """The decoding settings, read from the sliders and the seed box."""
        return cb.Decoding.from_controls(*self[1:])

    def distributions(self, lang: str) -> str:
        """Base and processed distributions, the pipeline and the choices (or a message)."""

        def render() -> str:
            tokens, logits = cb.parse_vocabulary(self.vocab)
            view = cb.next_token_view(tokens, logits, self.decoding)
            return rd.next_token_html(view, lang)

        return shown(render, lang)

    def histogram(self, n: float, lang: str) -> str:
        """The histogram of ``n`` draws beside the probabilities (or a message)."""

        def render() -> str:
            tokens, logits = cb.parse_vocabulary(self.vocab)
            view = cb.histogram_view(tokens, logits, self.decoding, n)
            return rd.histogram_html(view, lang)

        return shown(render, lang)


N_SETTINGS = len(Settings._fields)


def next_token_output(
    vocab: str, temperature: float, top_k: float, top_p: float, min_p: float, seed: float, lang: str
) -> str:
    """The distributions for these settings, in ``lang``."""
    return Settings(vocab, temperature, top_k, top_p, min_p, seed).distributions(lang)


def histogram_output(*settings_n_lang: Any) -> str:
    """The histogram for the six settings, ``n`` and ``lang`` (in that order)."""
    *_, n, lang = settings_n_lang
    return Settings(*settings_n_lang[:N_SETTINGS]).histogram(n, lang)


def on_settings(*settings_lang: Any) -> tuple[str, str, None]:
    """New settings: the distributions again, and no histogram (it would be out of date)."""
    return Settings(*settings_lang[:N_SETTINGS]).distributions(settings_lang[-1]), "", None


def on_sample(*settings_n_lang: Any) -> tuple[str, str, Any, Any]:
    """The "Sample N times" button: the distributions, the histogram of the draws, and the
    seed box moved on by one (:func:`.._render.next_seed`), so that pressing again draws new
    samples while each histogram stays reproducible from the seed it names. The seed used is
    kept (the histogram's state) for showing the same histogram in another language."""
    decoding, (n, lang) = Settings(*settings_n_lang[:N_SETTINGS]), settings_n_lang[N_SETTINGS:]
    hist = decoding.histogram(n, lang)
    advanced = gr.update(value=rd.next_seed(decoding.seed)) if "sl-hist" in hist else gr.skip()
    used = decoding.seed if "sl-hist" in hist else None
    return decoding.distributions(lang), hist, used, advanced


def settings_again(lang: str, *settings: Any) -> list[str]:
    """The distributions in another language."""
    return [Settings(*settings).distributions(lang)]


def histogram_again(lang: str, *settings_n_used: Any) -> list[Any]:
    """The histogram shown (drawn with the seed it used) in another language, if any."""
    *_, n, used = settings_n_used
    if used is None or used is False:
        return [gr.skip()]
    return [Settings(*settings_n_used[:N_SETTINGS])._replace(seed=used).histogram(n, lang)]


def build(ctx: Context) -> None:
    """The Next token tab."""
    with ctx.tab("tab.next_token", "next-token"):
        ctx.markdown("nt.intro")
        ctx.markdown("nt.prompt", "**{}**")
        with gr.Row():
            with gr.Column(scale=1):
                vocab = ctx.textbox("nt.vocab", cb.DEFAULT_VOCAB, "nt-vocab", lines=8, max_lines=20)
                temp = ctx.slider("nt.temperature", (0.0, 3.0), 1.0, 0.05, "nt-temperature")
                top_k = ctx.slider("nt.top_k", (0, 20), 0, 1, "nt-top-k")
                top_p = ctx.slider("nt.top_p", (0.01, 1.0), 1.0, 0.01, "nt-top-p")
                min_p = ctx.slider("nt.min_p", (0.0, 1.0), 0.0, 0.01, "nt-min-p")
                with gr.Row():
                    n = ctx.slider("nt.n", (10, 5000), 1000, 10, "nt-n")
                    seed = ctx.number("nt.seed", 0, "nt-seed", bounds=(0, 2**32 - 1), precision=0)
                sample = ctx.button("nt.sample", "nt-sample", variant="primary")
            with gr.Column(scale=2):
                first = Settings(cb.DEFAULT_VOCAB, 1.0, 0, 1.0, 0.0, 0).distributions(ctx.lang)
                out = gr.HTML(first, elem_id="nt-out")
                hist = gr.HTML("", elem_id="nt-hist")
        hist_on = gr.State(None)  # the seed of the histogram shown, or None

    settings = [vocab, temp, top_k, top_p, min_p, seed]
    outputs = [out, hist, hist_on]
    sliders = (temp, top_k, top_p, min_p)
    live = [vocab.change, *(s.input for s in sliders), *(s.release for s in sliders)]
    on(live, on_settings, [*settings, ctx.lang_radio], outputs, trigger_mode="always_last")
    on([seed.submit], on_settings, [*settings, ctx.lang_radio], outputs)
    on([sample.click], on_sample, [*settings, n, ctx.lang_radio], [*outputs, seed])
    ctx.rerender([out], settings, settings_again)
    ctx.rerender([hist], [*settings, n, hist_on], histogram_again)
