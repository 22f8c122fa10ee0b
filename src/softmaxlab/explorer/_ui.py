"""What every tab of the explorer is built with: the page context and its component factories.

A tab module calls the factories of :class:`Context` (``ctx.slider``, ``ctx.button``,
``ctx.markdown`` …). Each factory creates the component with its text in the starting
language *and* registers the catalogue key and the attribute that text goes into; an output
whose HTML depends on the language registers how to re-render it with :meth:`Context.rerender`.
:func:`relabel` then applies a catalogue to the whole page, so a language switch needs no
per-component code.

Examples
--------
>>> Text(None, "tab.compare", "label").render("zh-Hant")
'比較'
>>> Text(None, "app.title", "value", "# {}").render("en")
'# softmaxlab explorer'
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from . import _callbacks as cb
from . import _render as rd
from ._entries import Entry, entry_of, guard
from ._i18n import normalize_lang, t

log = logging.getLogger("softmaxlab.explorer")

QUICK: dict[str, Any] = {"show_progress": "hidden"}
"""Event options of the fast handlers: no progress overlay on every slider move."""

TARGETS = (0, cb.MAX_CLASSES - 1)
"""What a target-class box takes; the logits entered decide how many classes there are."""


def error_html(exc: Exception, lang: str) -> str:
    """A bad entry (:class:`~._callbacks.InputProblem`) or an unexpected error as page HTML.

    An unexpected error is logged with its traceback on the server; the page shows only its
    type, never the traceback or the message (which may hold internal detail).
    """
    if isinstance(exc, cb.InputProblem):
        return rd.error_box(exc.message(lang), lang)
    log.exception("explorer callback failed")
    return rd.error_box(t("err.internal", lang, kind=type(exc).__name__), lang)


def shown(render: Callable[[], str], lang: str) -> str:
    """``render()``, or the error it raises as a message in the page (never a traceback)."""
    try:
        return render()
    except Exception as exc:  # shown in the page, never raised to gradio
        return error_html(exc, lang)


@dataclass(frozen=True)
class Text:
    """One translated attribute of one component: ``template`` filled with ``t(key)``."""

    component: Any
    key: str
    attr: str = "label"
    template: str = "{}"

    def render(self, lang: str) -> str:
        """The attribute's text in ``lang``."""
        return self.template.format(t(self.key, lang))

    def update(self, lang: str) -> Any:
        """The Gradio update that puts the text for ``lang`` into the component."""
        changes: dict[str, Any] = {self.attr: self.render(lang)}
        if self.attr == "label" and entry_of(self.component) is not None:
            changes["info"] = ""  # a message about an earlier entry was in the old language
        return gr.update(**changes)


@dataclass(frozen=True)
class Rerender:
    """Outputs whose content depends on the language: ``fn(lang, *inputs)`` gives one per output."""

    outputs: list[Any]
    inputs: list[Any]
    fn: Callable[..., Sequence[Any]]


@dataclass
class Context:
    """The page being built: starting language, the language switch and the registrations."""

    lang: str
    lang_radio: Any = None
    texts: list[Text] = field(default_factory=list)
    rerenders: list[Rerender] = field(default_factory=list)
    on_load: list[Callable[[], None]] = field(default_factory=list)

    def t(self, key: str, **params: object) -> str:
        """The string ``key`` in the starting language."""
        return t(key, self.lang, **params)

    # ------------------------------------------------------------------ registration
    def register(self, component: Any, key: str, attr: str = "label", template: str = "{}") -> Any:
        """Record that ``component.attr`` shows ``template.format(t(key))``; return it."""
        self.texts.append(Text(component, key, attr, template))
        return component

    def rerender(
        self, outputs: list[Any], inputs: list[Any], fn: Callable[..., Sequence[Any]]
    ) -> None:
        """Re-render ``outputs`` with ``fn(lang, *input values)`` when the language changes."""
        self.rerenders.append(Rerender(list(outputs), list(inputs), fn))

    # ------------------------------------------------------------------ factories
    def make(
        self, cls: Any, key: str, attr: str = "label", template: str = "{}", **kwargs: Any
    ) -> Any:
        """``cls(**kwargs)`` with ``attr`` set to the translated text, registered."""
        kwargs[attr] = template.format(self.t(key))
        return self.register(cls(**kwargs), key, attr, template)

    def tab(self, key: str, tab_id: str) -> Any:
        """A tab (use it as ``with ctx.tab(...) as tab:``) with ids ``tab_id``/``tab-<tab_id>``."""
        return self.make(gr.Tab, key, id=tab_id, elem_id=f"tab-{tab_id}")

    def markdown(self, key: str, template: str = "{}", **kwargs: Any) -> Any:
        """A Markdown block showing ``template.format(t(key))``."""
        return self.make(gr.Markdown, key, "value", template, **kwargs)

    def button(self, key: str, elem_id: str, **kwargs: Any) -> Any:
        """A button whose caption is ``t(key)``."""
        return self.make(gr.Button, key, "value", elem_id=elem_id, **kwargs)

    def textbox(self, key: str, value: str, elem_id: str, **kwargs: Any) -> Any:
        """A text box labelled ``t(key)``."""
        return self.make(gr.Textbox, key, value=value, elem_id=elem_id, **kwargs)

    def number(
        self,
        key: str,
        value: float,
        elem_id: str,
        *,
        bounds: tuple[float, float],
        what: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """A number box labelled ``t(key)`` that takes a number in ``bounds``.

        A whole number when ``precision=0``; ``what`` names it in messages (default ``key``).
        """
        entry = Entry(what or key, *bounds, default=value, integer=kwargs.get("precision") == 0)
        return self.checked(
            self.make(gr.Number, key, value=value, elem_id=elem_id, **kwargs), entry
        )

    def slider(
        self,
        key: str,
        bounds: tuple[float, float],
        value: float,
        step: float,
        elem_id: str,
        *,
        what: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """A slider over ``bounds`` labelled ``t(key)`` (whole numbers when ``step`` is 1)."""
        low, high = bounds
        options: dict[str, Any] = {"minimum": low, "maximum": high, "value": value, "step": step}
        made = self.make(gr.Slider, key, elem_id=elem_id, **options, **kwargs)
        return self.checked(made, Entry(what or key, low, high, default=value, integer=step == 1))

    def checked(self, component: Any, entry: Entry) -> Any:
        """Give ``component`` (a slider or number box) its check (see :func:`._entries.guard`)."""
        component.entry, component.language = entry, self.lang_radio
        return component

    def radio(self, key: str, choices: Sequence[str], value: str, elem_id: str, **kw: Any) -> Any:
        """A radio group labelled ``t(key)``."""
        return self.make(gr.Radio, key, choices=list(choices), value=value, elem_id=elem_id, **kw)

    def entry_row(
        self, box_key: str, value: str, box_id: str, run_key: str, run_id: str
    ) -> tuple[Any, Any]:
        """A row with a text box (four fifths) and the button that runs it."""
        with gr.Row():
            box = self.textbox(box_key, value, box_id, scale=4)
            run = self.button(run_key, run_id, scale=1)
        return box, run

    def target_row(
        self,
        prefix: str,
        logits: str,
        target: int,
        slider: tuple[str, tuple[float, float], float, float],
    ) -> tuple[Any, Any, Any, Any]:
        """A row with a logits box, a target-class box, one slider and the button that runs them.

        The keys are ``<prefix>.logits``, ``<prefix>.target``, ``<prefix>.<name>`` and
        ``<prefix>.run``, the ids the same with ``-``; ``slider`` is ``(name, bounds, value,
        step)``. Returns ``(box, target, slider, button)``.
        """
        name, bounds, value, step = slider
        with gr.Row():
            box = self.textbox(f"{prefix}.logits", logits, f"{prefix}-logits", scale=3)
            target_box = self.number(
                f"{prefix}.target", target, f"{prefix}-target", bounds=TARGETS, precision=0, scale=1
            )
            knob = self.slider(f"{prefix}.{name}", bounds, value, step, f"{prefix}-{name}", scale=2)
            run = self.button(f"{prefix}.run", f"{prefix}-run", scale=1)
        return box, target_box, knob, run

    # ------------------------------------------------------------------ language switch
    def language_inputs(self) -> list[Any]:
        """The language switch, then every input of every re-render, in order."""
        return [self.lang_radio] + [c for r in self.rerenders for c in r.inputs]

    def language_outputs(self) -> list[Any]:
        """The language switch, every registered component, then every re-rendered output."""
        return (
            [self.lang_radio]
            + [text.component for text in self.texts]
            + [c for r in self.rerenders for c in r.outputs]
        )


def on(
    events: Sequence[Callable[..., Any]],
    fn: Callable[..., Any],
    inputs: Any = None,
    outputs: Any = None,
    **kw: Any,
) -> Any:
    """Attach ``fn`` to each bound event method (``btn.click``, ``box.submit`` …), quietly.

    The checked controls among ``inputs`` are checked first (:func:`._entries.guard`); the
    last event's dependency is returned (for ``.then``).
    """
    dependency = None
    for event in events:
        handler, ins, outs = guard(fn, inputs, outputs, getattr(event, "__self__", None))
        raw = {"preprocess": False} if handler is not fn else {}
        dependency = event(handler, ins, outs, **{**QUICK, **raw, **kw})
    return dependency


def relabel(ctx: Context, lang: str, *values: Any) -> list[Any]:
    """Every update that turns the page into ``lang``, in :meth:`Context.language_outputs` order.

    ``values`` are the current values of :meth:`Context.language_inputs` after the switch.
    """
    lang = normalize_lang(lang)
    updates: list[Any] = [gr.update(value=lang)]
    updates.extend(text.update(lang) for text in ctx.texts)
    position = 0
    for item in ctx.rerenders:
        chunk = values[position : position + len(item.inputs)]
        position += len(item.inputs)
        updates.extend(item.fn(lang, *chunk))
    return updates
