"""The Softmax tab: one slider per logit, the temperature, presets, the chart and the steps.

The number of classes changes at run time (add, remove, rename), so the tab keeps
:data:`N_SLOTS` slider slots and shows as many as there are classes.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import gradio as gr

from .. import _callbacks as cb
from .. import _render as rd
from .._entries import Entry
from .._html import BAR, WIN
from .._i18n import t
from .._problems import in_range
from .._render_winner import winner_html
from .._ui import QUICK, Context, error_html, on

N_SLOTS = cb.MAX_CLASSES
DEFAULT_LOGITS = [3.0, 1.0, -3.0]
PRESET_KEYS = ["seed_a", "seed_b", "equal", "small_a", "small_b", "large", "negative", "shift"]

LIVE: dict[str, Any] = {"trigger_mode": "always_last"}
"""Slider releases: "always_last" drops the releases made while a request is pending but always
runs the newest one, so fast key presses never queue up stale work. (``queue=False`` was tried:
it lost the temperature box's follow-up update and some moves, so the events stay on the
queue.)"""

_PREVIEW_JS = r"""
(() => {
  const C = CONFIG;
  // Python's f"{x:.{d}g}" (the chart's fmt), with a minus sign for negative numbers.
  const g = (x, d) => {
    if (x === 0) return '0';
    const sign = x < 0 ? '\u2212' : '';
    x = Math.abs(x);
    const [m, e] = x.toExponential(d - 1).split('e').map((v, i) => (i ? +v : v));
    const strip = (v) => (v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v);
    if (e < -4 || e >= d) {
      return sign + strip(m) + 'e' + (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
    }
    return sign + strip(x.toFixed(Math.max(0, d - 1 - e)));
  };
  const temperature = (x) => {
    if (!Number.isFinite(x) || x <= Math.log10(C.tMin) + C.snap) return C.tMin;
    if (x >= Math.log10(C.tMax) - C.snap) return C.tMax;
    return Math.abs(x) < 1e-12 ? 1 : Math.pow(10, x);
  };
  // A slider's value: the moved control's own, else its number box (which holds the value
  // itself; the track snaps to its step, so T = 2 would read as 10^0.3).
  const box = (id) => document.querySelector(`#${id} input[type=number]`);
  const value = (id, target) => {
    const own = target && target.closest(`#${id}`) ? target : box(id);
    return own ? Number(own.value) : NaN;
  };
  // Draws the bars of the sliders' values into the chart; with `settled`, only when they differ
  // from the chart's (a server chart that arrived after the sliders moved on), and says so.
  const preview = (target, settled = false) => {
    const chart = document.querySelector('#sm-chart .sl-chart');
    if (!chart) return false;
    const bars = chart.querySelectorAll('.sl-bar');
    const z = [...bars].map((_, i) => value(`sm-logit-${i}`, target));
    if (!z.every((v) => Number.isFinite(v) && v >= C.lo && v <= C.hi)) return false;
    const x = value('sm-logt', target);
    if (!(x >= C.xMin && x <= C.xMax)) return false;
    const t = temperature(x);
    const s = z.map((v) => v / t);
    const top = Math.max(...s);
    const e = s.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, b) => a + b, 0);
    const p = e.map((v) => v / sum);
    const same = (bar, i) => Math.abs(Number(bar.dataset.p) - p[i]) <= 1e-12;
    if (settled && [...bars].every(same)) return false;
    const best = Math.max(...p);
    const winners = p.filter((v) => v === best).length;
    const word = winners === 1 ? chart.dataset.win : chart.dataset.tie;
    bars.forEach((bar, i) => {
      const win = p[i] === best;
      bar.dataset.p = String(p[i]);
      bar.dataset.winner = win ? '1' : '0';
      const fill = bar.querySelector('.sl-bar-fill');
      fill.style.width = `${(Math.max(0, Math.min(1, p[i])) * 100).toFixed(3)}%`;
      fill.style.background = win ? C.win : C.bar;
      const cell = bar.querySelector('.sl-bar-value');
      cell.textContent = `${g(p[i], 4)} (${(100 * p[i]).toFixed(2)}%)`;
      if (win) {
        const tag = document.createElement('span');
        tag.style.cssText = `color:${C.win};font-weight:600;`;
        tag.textContent = word;
        cell.append(' ', tag);
      }
    });
    chart.querySelector('.sl-t-value').textContent = g(t, 4);
    document.querySelector('#sm-view').dataset.pending = '1';
    const box = document.querySelector('#sm-chart');
    if (!box.__slSettled) {
      // The server's next chart (a new .sl-chart element, or a new stamp on it: Gradio patches
      // the old element in place) ends the move: the tables arrived with it, so they are shown
      // at full strength again; unless the sliders moved on while it was on its way, in which
      // case the bars follow the sliders and wait for the next.
      const isChart = (n) =>
        n.nodeType === 1 && (n.matches('.sl-chart') || n.querySelector('.sl-chart'));
      box.__slSettled = new MutationObserver((records) => {
        const fresh = records.some(
          (r) => r.attributeName === 'data-stamp' || [...r.addedNodes].some(isChart));
        const view = document.querySelector('#sm-view');
        if (!fresh) return;
        // While a slider's answer is awaited, a chart of other values is an answer to an
        // earlier release (or the sliders moved on): the bars stay with the sliders. Charts
        // that no slider move awaits (a preset, the T box) bring their own slider values.
        if ('pending' in view.dataset && preview(null, true)) return;
        delete view.dataset.pending;
      });
      box.__slSettled.observe(box, {subtree: true, childList: true, attributes: true,
                                    attributeFilter: ['data-stamp']});
    }
    return true;
  };
  // A slider of the tab: a logit or the temperature (its track or its box), not the T box.
  const slider = (el) =>
    el instanceof HTMLInputElement && /^(range|number)$/.test(el.type) &&
    el.closest('#sm-controls [id^=sm-logit-], #sm-controls #sm-logt');
  document.addEventListener('input', (ev) => { if (slider(ev.target)) preview(ev.target); }, true);
  // Gradio's slider sends "release" on pointerup and on its box's blur: a key let go on the
  // track, and Enter in the box, count as a release too (a keyboard reader's drag ends there).
  document.addEventListener('keyup', (ev) => {
    const el = ev.target;
    if (slider(el) && el.type === 'range' && STEP_KEYS.includes(ev.key)) {
      el.dispatchEvent(new PointerEvent('pointerup', {bubbles: true}));
    }
  }, true);
  document.addEventListener('keydown', (ev) => {
    const el = ev.target;
    if (slider(el) && el.type === 'number' && ev.key === 'Enter') {
      el.dispatchEvent(new FocusEvent('blur'));
    }
  }, true);
})();
"""


def preview_script() -> str:
    """The page's ``<script>`` that redraws the Softmax tab's bars while a slider moves.

    A slider move costs a round trip through Gradio's front end and the server (about
    150–600 ms on a 2-core machine, most of it Gradio's own work in the page), far too slow to
    follow a drag. So while a slider moves, the page computes the bars itself, in float64 with
    the max trick (``exp(z/T − max z/T) / Σ``, the formula the tab teaches), and draws them in
    the server's chart in place; the tables below are dimmed (``#sm-view[data-pending]``) until
    the server's next chart arrives.
    When the slider is released (pointer up, a key let go, Enter or leaving its box) the
    server computes everything with softmaxlab (:func:`on_softmax`) and its chart, steps and
    winner plots replace the preview. The preview shows 4 significant digits and 2 decimals of
    a percentage, where float64 results of the two differ only if a value falls on an exact
    rounding tie; it draws nothing for a value outside a slider's range (the server's entry
    check answers that on release).
    """
    config = {
        "tMin": cb.T_MIN,
        "tMax": cb.T_MAX,
        "snap": 0.005,
        "xMin": cb.LOG10_T_MIN,
        "xMax": cb.LOG10_T_MAX,
        "lo": cb.LOGIT_RANGE[0],
        "hi": cb.LOGIT_RANGE[1],
        "win": WIN,
        "bar": BAR,
    }
    keys = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]
    body = _PREVIEW_JS.replace("CONFIG", json.dumps(config)).replace("STEP_KEYS", json.dumps(keys))
    return f"<script>{body}</script>"


HEAD = preview_script()
"""What this tab adds to the page's ``<head>`` (the shell gathers every tab's ``HEAD``)."""

_RENDERS = itertools.count(1)
"""Stamps of the server's charts (:func:`.._render.softmax_chart`)."""


Action = Callable[[list[str], list[float]], tuple[list[str], list[float]]]


def softmax_outputs(
    names: list[str], lang: str, log10_t: float, values: Sequence[float]
) -> tuple[Any, Any, Any, str]:
    """(chart, details, winner-takes-all, message) for the Softmax tab; a bad entry leaves the
    first three as they were."""
    try:
        view = cb.softmax_view([float(v) for v in values[: len(names)]], names, float(log10_t))
        return (
            rd.softmax_chart(view, lang, stamp=next(_RENDERS)),
            rd.softmax_details(view, lang),
            winner_html(view, lang),
            "",
        )
    except Exception as exc:  # shown in the page, never raised to gradio
        return gr.skip(), gr.skip(), gr.skip(), error_html(exc, lang)


def on_softmax(names: list[str], lang: str, log10_t: float, *values: float) -> tuple[Any, ...]:
    """A slider moved (the ``/softmax`` endpoint): the chart, details and message."""
    return softmax_outputs(names, lang, log10_t, values)


def shown_temperature(log10_t: float) -> float:
    """The T box's value for a slider position: T itself, to 4 significant digits.

    Examples
    --------
    >>> shown_temperature(0.0), shown_temperature(-1.301), shown_temperature(0.30103)
    (1.0, 0.05, 2.0)
    """
    return float(f"{cb.temperature_from_log10(log10_t):.4g}")


def slider_position(temperature: float | None) -> float:
    """The log-scale slider position for a typed temperature T in [0.05, 10].

    The slider starts at −1.3 (not log₁₀ 0.05 = −1.30103) so that its 0.01 grid holds 0
    (T = 1) exactly; positions within 0.005 of an end mean the end's T
    (:func:`._callbacks.temperature_from_log10`), so T = 0.05 sits at −1.3.

    Raises
    ------
    InputProblem
        When T is missing, not a number or outside [0.05, 10].

    Examples
    --------
    >>> round(slider_position(2), 6), slider_position(1), slider_position(0.05)
    (0.30103, 0.0, -1.3)
    """
    value = in_range(temperature, "what.temperature", cb.T_MIN, cb.T_MAX)
    return max(math.log10(value), cb.LOG10_T_MIN)


def on_temperature(
    temperature: float | None, names: list[str], lang: str, *values: float
) -> list[Any]:
    """T typed in the box: move the slider there and recompute (or say what is allowed)."""
    try:
        log10_t = slider_position(temperature)
    except Exception as exc:
        return [gr.skip(), gr.skip(), gr.skip(), gr.skip(), error_html(exc, lang)]
    return [gr.update(value=log10_t), *softmax_outputs(names, lang, log10_t, values)]


def slider_updates(names: list[str], values: Sequence[float] | None) -> list[Any]:
    """Show one slider per class (labelled with its name and set to its value), hide the rest."""
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


def restructured(
    names: list[str], values: list[float], lang: str, log10_t: float, *, note: str = ""
) -> list[Any]:
    """The page after the classes changed: names, names box, sliders, chart, details, message."""
    chart, details, winner, msg = softmax_outputs(names, lang, log10_t, values)
    page = [names, ", ".join(names), *slider_updates(names, values)]
    return [*page, chart, details, winner, msg or note]


def apply_action(
    action: Action, names: list[str], lang: str, log10_t: float, *values: float
) -> list[Any]:
    """Add, remove or rename classes with ``action``; a refusal only shows a message."""
    try:
        new_names, new_values = action(list(names), [float(v) for v in values[: len(names)]])
    except Exception as exc:
        return [gr.skip()] * (2 + N_SLOTS + 3) + [error_html(exc, lang)]
    return restructured(new_names, new_values, lang, log10_t)


def rename(text: str, names: list[str], lang: str, log10_t: float, *values: float) -> list[Any]:
    """Rename the classes from the comma-separated ``text``."""
    return apply_action(lambda n, v: cb.rename_classes(text, n, v), names, lang, log10_t, *values)


def shifted(names: list[str], values: list[float], lang: str) -> tuple[list[float], str]:
    """The ``shift`` preset: every logit plus one constant, and a note that p did not change."""
    new_values, c = cb.shift_logits(values)
    before = cb.softmax_view(values, names, 0.0)["probs"]
    after = cb.softmax_view(new_values, names, 0.0)["probs"]
    change = max(abs(a - b) for a, b in zip(before, after, strict=True))
    sign = "+" if c >= 0 else "−"
    text = t("sm.shifted", lang, c=f"{sign}{abs(c):g}", change=rd.fmt(change, 3))
    return new_values, rd.note(text)


def apply_preset(
    key: str, names: list[str], lang: str, log10_t: float, *values: float
) -> list[Any]:
    """A preset button: new logits (and T = 1), or the shift of the current ones."""
    current = [float(v) for v in values[: len(names)]]
    note = ""
    try:
        if key == "shift":
            new_names, (new_values, note) = list(names), shifted(list(names), current, lang)
        else:
            new_values = list(cb.PRESETS[key])
            new_names, log10_t = cb.preset_names(len(new_values), list(names)), 0.0
    except Exception as exc:
        return [gr.skip()] * (2 + N_SLOTS + 5) + [error_html(exc, lang)]
    page = restructured(new_names, new_values, lang, log10_t, note=note)
    temperature = [gr.update(value=log10_t), shown_temperature(log10_t)]
    return [*page[: 2 + N_SLOTS], *temperature, *page[2 + N_SLOTS :]]


def logit_slider(ctx: Context, slot: int) -> Any:
    """Slider ``slot`` (labelled with its class name, shown for the first classes)."""
    value = DEFAULT_LOGITS[slot] if slot < len(DEFAULT_LOGITS) else 0.0
    slider = gr.Slider(
        *cb.LOGIT_RANGE,
        value=value,
        step=0.1,
        label=cb.DEFAULT_NAMES[slot],
        visible=slot < len(DEFAULT_LOGITS),
        elem_id=f"sm-logit-{slot}",
    )
    return ctx.checked(slider, Entry("what.logit", *cb.LOGIT_RANGE, default=value))


def build(ctx: Context) -> None:
    """The Softmax tab."""
    names0 = cb.DEFAULT_NAMES[: len(DEFAULT_LOGITS)]
    with ctx.tab("tab.softmax", "softmax"):
        ctx.markdown("sm.formula")
        names_state = gr.State(list(names0))
        # Element ids of the layout: at phone width the CSS of the shell puts the chart right
        # after the sliders and the temperature, before the presets (see _shell.CSS).
        with gr.Row(elem_id="sm-layout"):
            with gr.Column(scale=1, elem_id="sm-controls"):
                with gr.Row(elem_id="sm-names-row"):
                    names_box = ctx.textbox("sm.names", ", ".join(names0), "sm-names", scale=3)
                    rename_btn = ctx.button("sm.rename", "sm-rename", scale=1)
                with gr.Row(elem_id="sm-class-row"):
                    add_btn = ctx.button("sm.add", "sm-add", size="sm")
                    remove_btn = ctx.button("sm.remove", "sm-remove", size="sm")
                # Refusals of add / remove / rename show here, next to those buttons.
                class_message = gr.HTML("", elem_id="sm-class-message")
                sliders = [logit_slider(ctx, i) for i in range(N_SLOTS)]
                with gr.Row(equal_height=True, elem_id="sm-t-row"):
                    # The slider moves log10 T (its own number box is hidden by CSS); the
                    # box beside it shows and takes T itself.
                    logt = ctx.slider(
                        "sm.temperature",
                        (cb.LOG10_T_MIN, cb.LOG10_T_MAX),
                        0.0,
                        0.01,
                        "sm-logt",
                        what="what.temperature",
                        scale=4,
                    )
                    t_box = ctx.number(
                        "sm.t_box",
                        1.0,
                        "sm-t",
                        bounds=(cb.T_MIN, cb.T_MAX),
                        what="what.temperature",
                        scale=1,
                        min_width=110,
                    )
                ctx.markdown("sm.presets", "**{}**", elem_id="sm-presets-title")
                with gr.Row(elem_id="sm-presets-row"):
                    presets = [
                        ctx.button(f"preset.{k}", f"sm-preset-{k}", size="sm") for k in PRESET_KEYS
                    ]
                message = gr.HTML("", elem_id="sm-message")
            with gr.Column(scale=1, elem_id="sm-view"):
                view0 = cb.softmax_view(DEFAULT_LOGITS, list(names0), 0.0)
                chart = gr.HTML(rd.softmax_chart(view0, ctx.lang), elem_id="sm-chart")
                details = gr.HTML(rd.softmax_details(view0, ctx.lang), elem_id="sm-details")
                winner = gr.HTML(winner_html(view0, ctx.lang), elem_id="sm-winner")

    inputs = [names_state, ctx.lang_radio, logt, *sliders]
    outputs = [chart, details, winner, message]
    # While a slider moves the page previews the bars (HEAD); the server answers its release.
    for slider in sliders:
        on([slider.release], on_softmax, inputs, outputs, **LIVE)
    moved = on([logt.release], on_softmax, inputs, outputs, api_name="softmax", **LIVE)
    moved.then(shown_temperature, [logt], [t_box], **QUICK)
    typed = [t_box, names_state, ctx.lang_radio, *sliders]
    on([t_box.submit, t_box.blur], on_temperature, typed, [logt, *outputs])
    structure = [names_state, names_box, *sliders, chart, details, winner, class_message]
    on([add_btn.click], partial(apply_action, cb.add_class), inputs, structure)
    on([remove_btn.click], partial(apply_action, cb.remove_class), inputs, structure)
    on([rename_btn.click, names_box.submit], rename, [names_box, *inputs], structure)
    with_t = [names_state, names_box, *sliders, logt, t_box, *outputs]
    for key, button in zip(PRESET_KEYS, presets, strict=True):
        on([button.click], partial(apply_preset, key), inputs, with_t)
    ctx.rerender(
        outputs,
        [names_state, logt, *sliders],
        lambda lang, names, log10_t, *values: softmax_outputs(names, lang, log10_t, values),
    )
