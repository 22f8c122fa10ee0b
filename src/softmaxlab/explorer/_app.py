"""The Gradio Blocks UI of the explorer: layout and wiring only.

All computing happens in :mod:`._callbacks` and all HTML in :mod:`._render`; the handlers
here only unpack component values, call them, and turn :class:`~._callbacks.InputProblem`
(or any unexpected error) into a message in the page, never a traceback.
"""

from __future__ import annotations

import logging
import os

# Telemetry off before gradio is imported (it reads the variable at import and launch).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from collections.abc import Callable
from typing import Any

import gradio as gr

from . import _callbacks as cb
from . import _models as md
from . import _render as rd
from ._i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    locale_from_accept_language,
    normalize_lang,
    resolve_locale,
    t,
)

log = logging.getLogger("softmaxlab.explorer")

N_SLOTS = cb.MAX_CLASSES
DEFAULT_LOGITS = [3.0, 1.0, -3.0]
PRESET_KEYS = ["seed_a", "seed_b", "equal", "small_a", "small_b", "large", "negative", "shift"]

# System fonts only: nothing is fetched from a font CDN.
_SANS = ["system-ui", "-apple-system", "Segoe UI", "Noto Sans CJK SC", "Noto Sans", "sans-serif"]
_MONO = ["ui-monospace", "DejaVu Sans Mono", "monospace"]

CSS = """
#sm-chart, #sm-details { min-height: 2em; }
.sl-error { margin: 4px 0; }
"""


def make_theme() -> gr.themes.Base:
    """The default theme with local system fonts (no request leaves the machine)."""
    return gr.themes.Default(font=_SANS, font_mono=_MONO)


def _error_html(exc: Exception, lang: str) -> str:
    if isinstance(exc, cb.InputProblem):
        return rd.error_box(exc.message(lang), lang)
    log.exception("explorer callback failed")
    return rd.error_box(t("err.internal", lang, kind=type(exc).__name__), lang)


# ---------------------------------------------------------------------------- tab handlers
# Each returns plain values (HTML strings, lists); errors become HTML in the page.


def softmax_outputs(
    names: list[str], lang: str, log10_t: float, values: list[float]
) -> tuple[str, str, str]:
    """(chart, details, message) for the Softmax tab."""
    try:
        view = cb.softmax_view([float(v) for v in values[: len(names)]], names, float(log10_t))
        return rd.softmax_chart(view, lang), rd.softmax_details(view, lang), ""
    except Exception as exc:  # shown in the page, never raised to gradio
        return gr.skip(), gr.skip(), _error_html(exc, lang)


def compare_output(text: str, lang: str) -> str:
    try:
        logits = cb.parse_numbers(text, max_count=20)
        return rd.compare_html(cb.compare_view(logits), lang)
    except Exception as exc:
        return _error_html(exc, lang)


def precision_output(text: str, lang: str) -> str:
    try:
        logits = cb.parse_numbers(text, max_count=20, finite=False)
        return rd.precision_html(cb.precision_view(logits), lang)
    except Exception as exc:
        return _error_html(exc, lang)


def gradient_output(text: str, target: float | None, lr: float, lang: str) -> str:
    try:
        logits = cb.parse_numbers(text, max_count=10)
        return rd.gradient_html(cb.gradient_view(logits, target, lr), lang)
    except Exception as exc:
        return _error_html(exc, lang)


def next_token_output(
    vocab: str, temperature: float, top_k: float, top_p: float, min_p: float, seed: float, lang: str
) -> str:
    try:
        tokens, logits = cb.parse_vocabulary(vocab)
        view = cb.next_token_view(tokens, logits, temperature, top_k, top_p, min_p, seed)
        return rd.next_token_html(view, lang)
    except Exception as exc:
        return _error_html(exc, lang)


def histogram_output(
    vocab: str,
    temperature: float,
    top_k: float,
    top_p: float,
    min_p: float,
    seed: float,
    n: float,
    lang: str,
) -> str:
    try:
        tokens, logits = cb.parse_vocabulary(vocab)
        view = cb.histogram_view(tokens, logits, temperature, top_k, top_p, min_p, n, seed)
        return rd.histogram_html(view, lang)
    except Exception as exc:
        return _error_html(exc, lang)


def ovr_output(dataset: str, lang: str) -> tuple[str, dict[str, Any] | None]:
    try:
        view = md.ovr_view(dataset)
        return rd.ovr_html(view, lang), view
    except Exception as exc:
        return _error_html(exc, lang), None


def digit_output(drawing: Any, calibrated: bool, lang: str) -> tuple[str, dict[str, Any] | None]:
    try:
        view = md.digit_view(drawing, calibrated=bool(calibrated))
        return rd.digit_html(view, lang), view
    except Exception as exc:
        return _error_html(exc, lang), None


def train_output(
    dataset: str, C: float, max_iter: float, lang: str, report: md.Report | None = None
) -> tuple[str, dict[str, Any] | None]:
    try:
        view = md.train_view(dataset, C, max_iter, report=report)
        return rd.train_html(view, lang), view
    except Exception as exc:
        return _error_html(exc, lang), None


def _apply(fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn`` with component values whose count is known only at run time."""
    return fn(*args)


def _slider_updates(names: list[str], values: list[float] | None) -> list[Any]:
    out = []
    for i in range(N_SLOTS):
        if i < len(names):
            kw: dict[str, Any] = {"label": names[i], "visible": True}
            if values is not None:
                kw["value"] = float(values[i])
            out.append(gr.update(**kw))
        else:
            out.append(gr.update(visible=False))
    return out


def build_app(lang: str | None = None) -> gr.Blocks:
    """Build the explorer (not launched).

    Parameters
    ----------
    lang : {"en", "zh-Hans", "zh-Hant"} or None
        Fixed page language. None follows the browser's locale (``Accept-Language``) or a
        ``?lang=`` query parameter; the reader can switch in the page either way.
    """
    fixed = normalize_lang(lang) if lang else None
    lang0 = fixed or "en"
    names0 = cb.DEFAULT_NAMES[: len(DEFAULT_LOGITS)]
    translated: list[tuple[Any, str, str]] = []  # (component, attribute, key)

    def tr(component: Any, key: str, attr: str = "label") -> Any:
        translated.append((component, attr, key))
        return component

    with gr.Blocks(title=t("app.title", lang0), analytics_enabled=False) as demo:
        names_state = gr.State(list(names0))
        with gr.Row():
            title = tr(
                gr.Markdown(f"# {t('app.title', lang0)}", elem_id="app-title"), "app.title", "title"
            )
            lang_radio = gr.Radio(
                choices=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES],
                value=lang0,
                label="Language · 语言 · 語言",
                elem_id="lang",
                scale=0,
                min_width=320,
            )
        intro = tr(gr.Markdown(t("app.intro", lang0), elem_id="app-intro"), "app.intro", "value")

        with gr.Tabs(elem_id="tabs"):
            # ------------------------------------------------------------ 1 Softmax
            with gr.Tab(t("tab.softmax", lang0), id="softmax", elem_id="tab-softmax") as tab_sm:
                tr(tab_sm, "tab.softmax")
                tr(gr.Markdown(t("sm.formula", lang0)), "sm.formula", "value")
                with gr.Row():
                    with gr.Column(scale=1):
                        with gr.Row():
                            names_box = tr(
                                gr.Textbox(
                                    ", ".join(names0),
                                    label=t("sm.names", lang0),
                                    elem_id="sm-names",
                                    scale=3,
                                ),
                                "sm.names",
                            )
                            rename_btn = tr(
                                gr.Button(t("sm.rename", lang0), elem_id="sm-rename", scale=1),
                                "sm.rename",
                                "value",
                            )
                        with gr.Row():
                            add_btn = tr(
                                gr.Button(t("sm.add", lang0), elem_id="sm-add", size="sm"),
                                "sm.add",
                                "value",
                            )
                            remove_btn = tr(
                                gr.Button(t("sm.remove", lang0), elem_id="sm-remove", size="sm"),
                                "sm.remove",
                                "value",
                            )
                        sliders = [
                            gr.Slider(
                                cb.LOGIT_RANGE[0],
                                cb.LOGIT_RANGE[1],
                                value=DEFAULT_LOGITS[i] if i < len(DEFAULT_LOGITS) else 0.0,
                                step=0.1,
                                label=cb.DEFAULT_NAMES[i],
                                visible=i < len(DEFAULT_LOGITS),
                                elem_id=f"sm-logit-{i}",
                            )
                            for i in range(N_SLOTS)
                        ]
                        logt = tr(
                            gr.Slider(
                                cb.LOG10_T_MIN,
                                cb.LOG10_T_MAX,
                                value=0.0,
                                step=0.01,
                                label=t("sm.temperature", lang0),
                                elem_id="sm-logt",
                            ),
                            "sm.temperature",
                        )
                        presets_title = tr(
                            gr.Markdown(f"**{t('sm.presets', lang0)}**"), "sm.presets", "bold"
                        )
                        with gr.Row():
                            preset_btns = [
                                tr(
                                    gr.Button(
                                        t(f"preset.{k}", lang0), elem_id=f"sm-preset-{k}", size="sm"
                                    ),
                                    f"preset.{k}",
                                    "value",
                                )
                                for k in PRESET_KEYS
                            ]
                        sm_msg = gr.HTML("", elem_id="sm-message")
                    with gr.Column(scale=1):
                        view0 = cb.softmax_view(DEFAULT_LOGITS, list(names0), 0.0)
                        sm_chart = gr.HTML(rd.softmax_chart(view0, lang0), elem_id="sm-chart")
                        sm_details = gr.HTML(rd.softmax_details(view0, lang0), elem_id="sm-details")

            # ------------------------------------------------------------ 2 Compare
            with gr.Tab(t("tab.compare", lang0), id="compare", elem_id="tab-compare") as tab_cmp:
                tr(tab_cmp, "tab.compare")
                tr(gr.Markdown(t("cmp.intro", lang0)), "cmp.intro", "value")
                with gr.Row():
                    cmp_box = tr(
                        gr.Textbox(
                            "3, 1, -3", label=t("cmp.logits", lang0), elem_id="cmp-logits", scale=4
                        ),
                        "cmp.logits",
                    )
                    cmp_btn = tr(
                        gr.Button(t("cmp.run", lang0), elem_id="cmp-run", scale=1),
                        "cmp.run",
                        "value",
                    )
                cmp_out = gr.HTML(compare_output("3, 1, -3", lang0), elem_id="cmp-out")
                tr(gr.Markdown(f"### {t('ovr.title', lang0)}"), "ovr.title", "h3")
                tr(gr.Markdown(t("ovr.intro", lang0)), "ovr.intro", "value")
                with gr.Row():
                    ovr_data = tr(
                        gr.Radio(
                            list(md.DATASETS),
                            value="iris",
                            label=t("ovr.dataset", lang0),
                            elem_id="ovr-dataset",
                            scale=3,
                        ),
                        "ovr.dataset",
                    )
                    ovr_btn = tr(
                        gr.Button(t("ovr.run", lang0), elem_id="ovr-run", scale=1),
                        "ovr.run",
                        "value",
                    )
                ovr_out = gr.HTML("", elem_id="ovr-out")
                ovr_state = gr.State(None)

            # ------------------------------------------------------------ 3 Precision
            with gr.Tab(
                t("tab.precision", lang0), id="precision", elem_id="tab-precision"
            ) as tab_prec:
                tr(tab_prec, "tab.precision")
                tr(gr.Markdown(t("prec.intro", lang0)), "prec.intro", "value")
                with gr.Row():
                    prec_box = tr(
                        gr.Textbox(
                            "1000, 999, 998",
                            label=t("prec.logits", lang0),
                            elem_id="prec-logits",
                            scale=4,
                        ),
                        "prec.logits",
                    )
                    prec_btn = tr(
                        gr.Button(t("prec.run", lang0), elem_id="prec-run", scale=1),
                        "prec.run",
                        "value",
                    )
                with gr.Row():
                    prec_ex1 = gr.Button("1000, 999, 998", elem_id="prec-example-large", size="sm")
                    prec_ex2 = gr.Button("1000, 1", elem_id="prec-example-log", size="sm")
                prec_out = gr.HTML(precision_output("1000, 999, 998", lang0), elem_id="prec-out")

            # ------------------------------------------------------------ 4 Next token
            with gr.Tab(
                t("tab.next_token", lang0), id="next-token", elem_id="tab-next-token"
            ) as tab_nt:
                tr(tab_nt, "tab.next_token")
                tr(gr.Markdown(t("nt.intro", lang0)), "nt.intro", "value")
                tr(gr.Markdown(f"**{t('nt.prompt', lang0)}**"), "nt.prompt", "bold")
                with gr.Row():
                    with gr.Column(scale=1):
                        nt_vocab = tr(
                            gr.Textbox(
                                cb.DEFAULT_VOCAB,
                                lines=8,
                                max_lines=20,
                                label=t("nt.vocab", lang0),
                                elem_id="nt-vocab",
                            ),
                            "nt.vocab",
                        )
                        nt_temp = tr(
                            gr.Slider(
                                0.0,
                                3.0,
                                value=1.0,
                                step=0.05,
                                label=t("nt.temperature", lang0),
                                elem_id="nt-temperature",
                            ),
                            "nt.temperature",
                        )
                        nt_topk = tr(
                            gr.Slider(
                                0,
                                20,
                                value=0,
                                step=1,
                                label=t("nt.top_k", lang0),
                                elem_id="nt-top-k",
                            ),
                            "nt.top_k",
                        )
                        nt_topp = tr(
                            gr.Slider(
                                0.01,
                                1.0,
                                value=1.0,
                                step=0.01,
                                label=t("nt.top_p", lang0),
                                elem_id="nt-top-p",
                            ),
                            "nt.top_p",
                        )
                        nt_minp = tr(
                            gr.Slider(
                                0.0,
                                1.0,
                                value=0.0,
                                step=0.01,
                                label=t("nt.min_p", lang0),
                                elem_id="nt-min-p",
                            ),
                            "nt.min_p",
                        )
                        with gr.Row():
                            nt_n = tr(
                                gr.Slider(
                                    10,
                                    5000,
                                    value=1000,
                                    step=10,
                                    label=t("nt.n", lang0),
                                    elem_id="nt-n",
                                ),
                                "nt.n",
                            )
                            nt_seed = tr(
                                gr.Number(
                                    0, precision=0, label=t("nt.seed", lang0), elem_id="nt-seed"
                                ),
                                "nt.seed",
                            )
                        nt_btn = tr(
                            gr.Button(
                                t("nt.sample", lang0), elem_id="nt-sample", variant="primary"
                            ),
                            "nt.sample",
                            "value",
                        )
                    with gr.Column(scale=2):
                        nt_out = gr.HTML(
                            next_token_output(cb.DEFAULT_VOCAB, 1.0, 0, 1.0, 0.0, 0, lang0),
                            elem_id="nt-out",
                        )
                        nt_hist = gr.HTML("", elem_id="nt-hist")

            # ------------------------------------------------------------ 5 Draw a digit
            with gr.Tab(t("tab.digit", lang0), id="digit", elem_id="tab-digit") as tab_dg:
                tr(tab_dg, "tab.digit")
                tr(gr.Markdown(t("dg.intro", lang0)), "dg.intro", "value")
                with gr.Row():
                    with gr.Column(scale=1):
                        dg_pad = tr(
                            gr.Sketchpad(
                                type="numpy",
                                image_mode="RGBA",
                                canvas_size=(280, 280),
                                brush=gr.Brush(
                                    default_size=22, colors=["#000000"], color_mode="fixed"
                                ),
                                layers=False,
                                transforms=(),
                                label=t("dg.pad", lang0),
                                elem_id="dg-pad",
                                height=420,
                            ),
                            "dg.pad",
                        )
                        dg_cal = tr(
                            gr.Checkbox(
                                False, label=t("dg.calibrated", lang0), elem_id="dg-calibrated"
                            ),
                            "dg.calibrated",
                        )
                    with gr.Column(scale=1):
                        dg_out = gr.HTML(rd.note(t("dg.empty", lang0)), elem_id="dg-out")
                dg_state = gr.State(None)

            # ------------------------------------------------------------ 6 Train & calibrate
            with gr.Tab(t("tab.train", lang0), id="train", elem_id="tab-train") as tab_tr:
                tr(tab_tr, "tab.train")
                tr(gr.Markdown(t("tr.intro", lang0)), "tr.intro", "value")
                with gr.Row():
                    tr_data = tr(
                        gr.Radio(
                            list(md.DATASETS),
                            value="digits",
                            label=t("tr.dataset", lang0),
                            elem_id="tr-dataset",
                        ),
                        "tr.dataset",
                    )
                    tr_c = tr(gr.Number(1.0, label=t("tr.c", lang0), elem_id="tr-c"), "tr.c")
                    tr_iter = tr(
                        gr.Slider(
                            10,
                            1000,
                            value=200,
                            step=10,
                            label=t("tr.max_iter", lang0),
                            elem_id="tr-max-iter",
                        ),
                        "tr.max_iter",
                    )
                    tr_btn = tr(
                        gr.Button(t("tr.run", lang0), elem_id="tr-run", variant="primary"),
                        "tr.run",
                        "value",
                    )
                tr_out = gr.HTML(rd.note(t("tr.press", lang0)), elem_id="tr-out")
                tr_state = gr.State(None)

            # ------------------------------------------------------------ 7 Gradients
            with gr.Tab(
                t("tab.gradients", lang0), id="gradients", elem_id="tab-gradients"
            ) as tab_grad:
                tr(tab_grad, "tab.gradients")
                tr(gr.Markdown(t("grad.intro", lang0)), "grad.intro", "value")
                with gr.Row():
                    grad_box = tr(
                        gr.Textbox(
                            "1, 2, 3", label=t("grad.logits", lang0), elem_id="grad-logits", scale=3
                        ),
                        "grad.logits",
                    )
                    grad_target = tr(
                        gr.Number(
                            0,
                            label=t("grad.target", lang0),
                            precision=0,
                            elem_id="grad-target",
                            scale=1,
                        ),
                        "grad.target",
                    )
                    grad_lr = tr(
                        gr.Slider(
                            0.05,
                            5.0,
                            value=1.0,
                            step=0.05,
                            label=t("grad.lr", lang0),
                            elem_id="grad-lr",
                            scale=2,
                        ),
                        "grad.lr",
                    )
                    grad_btn = tr(
                        gr.Button(t("grad.run", lang0), elem_id="grad-run", scale=1),
                        "grad.run",
                        "value",
                    )
                grad_out = gr.HTML(gradient_output("1, 2, 3", 0, 1.0, lang0), elem_id="grad-out")

        # ---------------------------------------------------------------- wiring
        quick: dict[str, Any] = {"show_progress": "hidden"}
        sm_inputs = [names_state, lang_radio, logt, *sliders]
        sm_outputs = [sm_chart, sm_details, sm_msg]

        def on_softmax(
            names: list[str], lang: str, log10_t: float, *values: float
        ) -> tuple[str, str, str]:
            return softmax_outputs(names, lang, log10_t, list(values))

        # "always_last" drops the moves made while a request is pending but always runs the
        # newest one, so a fast drag never queues up stale work.
        for control in sliders:
            control.input(on_softmax, sm_inputs, sm_outputs, trigger_mode="always_last", **quick)
        logt.input(
            on_softmax,
            sm_inputs,
            sm_outputs,
            trigger_mode="always_last",
            api_name="softmax",
            **quick,
        )

        def restructure(
            action: Callable[[list[str], list[float]], tuple[list[str], list[float]]],
        ) -> Callable[..., list[Any]]:
            def handler(names: list[str], lang: str, log10_t: float, *values: float) -> list[Any]:
                current = [float(v) for v in values[: len(names)]]
                try:
                    new_names, new_values = action(list(names), current)
                except Exception as exc:
                    n_skip = 2 + N_SLOTS + 2
                    return [gr.skip()] * n_skip + [_error_html(exc, lang)]
                chart, details, msg = softmax_outputs(new_names, lang, log10_t, new_values)
                return [
                    new_names,
                    ", ".join(new_names),
                    *_slider_updates(new_names, new_values),
                    chart,
                    details,
                    msg,
                ]

            return handler

        struct_outputs = [names_state, names_box, *sliders, *sm_outputs]
        add_btn.click(restructure(cb.add_class), sm_inputs, struct_outputs, **quick)
        remove_btn.click(restructure(cb.remove_class), sm_inputs, struct_outputs, **quick)

        def on_rename(
            text: str, names: list[str], lang: str, log10_t: float, *values: float
        ) -> list[Any]:
            return restructure(lambda n, v: cb.rename_classes(text, n, v))(
                names, lang, log10_t, *values
            )

        rename_btn.click(on_rename, [names_box, *sm_inputs], struct_outputs, **quick)
        names_box.submit(on_rename, [names_box, *sm_inputs], struct_outputs, **quick)

        def make_preset(key: str) -> Callable[..., list[Any]]:
            def handler(names: list[str], lang: str, log10_t: float, *values: float) -> list[Any]:
                current = [float(v) for v in values[: len(names)]]
                extra = ""
                if key == "shift":
                    new_values, c = cb.shift_logits(current)
                    new_names = list(names)
                    before = cb.softmax_view(current, new_names, 0.0)["probs"]
                    after = cb.softmax_view(new_values, new_names, 0.0)["probs"]
                    change = max(abs(a - b) for a, b in zip(before, after, strict=True))
                    sign = "+" if c >= 0 else "−"
                    extra = rd.note(
                        t("sm.shifted", lang, c=f"{sign}{abs(c):g}", change=rd.fmt(change, 3))
                    )
                    new_log10_t = log10_t
                else:
                    new_values = list(cb.PRESETS[key])
                    new_names = cb.preset_names(len(new_values), list(names))
                    new_log10_t = 0.0
                chart, details, msg = softmax_outputs(new_names, lang, new_log10_t, new_values)
                return [
                    new_names,
                    ", ".join(new_names),
                    *_slider_updates(new_names, new_values),
                    gr.update(value=new_log10_t),
                    chart,
                    details,
                    msg or extra,
                ]

            return handler

        preset_outputs = [names_state, names_box, *sliders, logt, *sm_outputs]
        for key, btn in zip(PRESET_KEYS, preset_btns, strict=True):
            btn.click(make_preset(key), sm_inputs, preset_outputs, **quick)

        cmp_btn.click(compare_output, [cmp_box, lang_radio], cmp_out, **quick)
        cmp_box.submit(compare_output, [cmp_box, lang_radio], cmp_out, **quick)
        prec_btn.click(precision_output, [prec_box, lang_radio], prec_out, **quick)
        prec_box.submit(precision_output, [prec_box, lang_radio], prec_out, **quick)

        def example(text: str) -> Callable[[str], tuple[str, str]]:
            return lambda lang: (text, precision_output(text, lang))

        prec_ex1.click(example("1000, 999, 998"), [lang_radio], [prec_box, prec_out], **quick)
        prec_ex2.click(example("1000, 1"), [lang_radio], [prec_box, prec_out], **quick)
        grad_inputs = [grad_box, grad_target, grad_lr, lang_radio]
        grad_btn.click(gradient_output, grad_inputs, grad_out, **quick)
        grad_box.submit(gradient_output, grad_inputs, grad_out, **quick)
        grad_target.submit(gradient_output, grad_inputs, grad_out, **quick)
        grad_lr.release(gradient_output, grad_inputs, grad_out, **quick)

        nt_settings = [nt_vocab, nt_temp, nt_topk, nt_topp, nt_minp, nt_seed]
        nt_hist_on = gr.State(False)

        def on_settings(*args: Any) -> tuple[str, str, bool]:
            # New settings make an old histogram wrong: clear it.
            return next_token_output(*args), "", False

        nt_outputs = [nt_out, nt_hist, nt_hist_on]
        nt_vocab.change(
            on_settings, [*nt_settings, lang_radio], nt_outputs, trigger_mode="always_last", **quick
        )
        for control in (nt_temp, nt_topk, nt_topp, nt_minp):
            control.input(
                on_settings,
                [*nt_settings, lang_radio],
                nt_outputs,
                trigger_mode="always_last",
                **quick,
            )
            control.release(
                on_settings,
                [*nt_settings, lang_radio],
                nt_outputs,
                trigger_mode="always_last",
                **quick,
            )
        nt_seed.submit(on_settings, [*nt_settings, lang_radio], nt_outputs, **quick)

        def on_sample(*args: Any) -> tuple[str, str, bool]:
            lang = args[-1]
            head = _apply(next_token_output, *args[:6], lang)
            return head, histogram_output(*args), True

        nt_btn.click(on_sample, [*nt_settings, nt_n, lang_radio], nt_outputs, **quick)

        ovr_btn.click(ovr_output, [ovr_data, lang_radio], [ovr_out, ovr_state])

        def on_draw(drawing: Any, calibrated: bool, lang: str) -> tuple[str, Any]:
            return digit_output(drawing, calibrated, lang)

        dg_pad.change(
            on_draw,
            [dg_pad, dg_cal, lang_radio],
            [dg_out, dg_state],
            trigger_mode="always_last",
            **quick,
        )
        dg_cal.input(on_draw, [dg_pad, dg_cal, lang_radio], [dg_out, dg_state], **quick)
        tab_dg.select(md.start_digit_model, None, None, **quick)

        def on_train(
            dataset: str,
            C: float,
            max_iter: float,
            lang: str,
            progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio injects the tracker)
        ) -> tuple[str, Any]:
            def report(fraction: float, what: str) -> None:
                progress(fraction, desc=t(f"tr.progress_{what}", lang))

            return train_output(dataset, C, max_iter, lang, report)

        tr_btn.click(on_train, [tr_data, tr_c, tr_iter, lang_radio], [tr_out, tr_state])

        # ---------------------------------------------------------------- language
        # Each entry: outputs, inputs, and a function (lang, *inputs) -> one value per output.
        rerender: list[tuple[list[Any], list[Any], Callable[..., Any]]] = [
            (
                sm_outputs,
                [names_state, logt, *sliders],
                lambda lang, names, log10_t, *values: softmax_outputs(
                    names, lang, log10_t, list(values)
                ),
            ),
            ([cmp_out], [cmp_box], lambda lang, text: [compare_output(text, lang)]),
            ([prec_out], [prec_box], lambda lang, text: [precision_output(text, lang)]),
            ([nt_out], nt_settings, lambda lang, *a: [_apply(next_token_output, *a, lang)]),
            (
                [nt_hist],
                [*nt_settings, nt_n, nt_hist_on],
                lambda lang, *a: [_apply(histogram_output, *a[:-1], lang) if a[-1] else gr.skip()],
            ),
            ([grad_out], grad_inputs[:3], lambda lang, *a: [_apply(gradient_output, *a, lang)]),
            (
                [ovr_out],
                [ovr_state],
                lambda lang, v: [rd.ovr_html(v, lang) if v else gr.skip()],
            ),
            (
                [dg_out],
                [dg_state],
                lambda lang, v: [rd.digit_html(v, lang) if v else rd.note(t("dg.empty", lang))],
            ),
            (
                [tr_out],
                [tr_state],
                lambda lang, v: [rd.train_html(v, lang) if v else rd.note(t("tr.press", lang))],
            ),
        ]
        label_components = [c for c, _, _ in translated]
        lang_inputs = [lang_radio] + [c for _, inputs, _ in rerender for c in inputs]
        lang_outputs = [lang_radio, *label_components] + [
            c for outs, _, _ in rerender for c in outs
        ]

        def relabel(lang: str, *rest: Any) -> list[Any]:
            lang = normalize_lang(lang)
            updates: list[Any] = [gr.update(value=lang)]
            for _component, attr, key in translated:
                text = t(key, lang)
                if attr == "title":
                    updates.append(gr.update(value=f"# {text}"))
                elif attr == "h3":
                    updates.append(gr.update(value=f"### {text}"))
                elif attr == "bold":
                    updates.append(gr.update(value=f"**{text}**"))
                elif attr == "value":
                    updates.append(gr.update(value=text))
                else:
                    updates.append(gr.update(label=text))
            position = 0
            for _outs, inputs, fn in rerender:
                values = rest[position : position + len(inputs)]
                position += len(inputs)
                updates.extend(fn(lang, *values))
            return updates

        lang_radio.input(relabel, lang_inputs, lang_outputs, **quick)

        def on_load(request: gr.Request, lang: str, *rest: Any) -> list[Any]:
            chosen = fixed
            if chosen is None and request is not None:
                query = dict(request.query_params) if request.query_params else {}
                chosen = resolve_locale(query.get("lang")) or locale_from_accept_language(
                    request.headers.get("accept-language", "")
                )
            chosen = chosen or "en"
            md.start_digit_model()  # after the page is up, so it does not slow the start
            if chosen == lang0:
                return [gr.skip()] * len(lang_outputs)
            return relabel(chosen, *rest)

        demo.load(on_load, lang_inputs, lang_outputs, **quick)

        # Unused handles kept for readability of the layout above.
        del title, intro, presets_title
    return demo


def launch(
    demo: gr.Blocks,
    *,
    host: str = "127.0.0.1",
    port: int | None = 7860,
    inline: bool | None = None,
    prevent_thread_lock: bool = False,
    quiet: bool = True,
    **kwargs: Any,
) -> Any:
    """Launch ``demo`` offline: local fonts, no share link, no telemetry."""
    return demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        inline=inline,
        inbrowser=False,
        prevent_thread_lock=prevent_thread_lock,
        quiet=quiet,
        show_error=False,
        theme=make_theme(),
        css=CSS,
        footer_links=[],
        **kwargs,
    )
