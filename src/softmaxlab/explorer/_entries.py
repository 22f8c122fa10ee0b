"""Typed entries of sliders and number boxes: one check for every control of the explorer.

Gradio checks a slider's or number box's value itself and answers a value outside its range
with an English toast, leaving the box, the slider and the chart disagreeing. The explorer's
sliders and number boxes (made by the factories of :class:`.._ui.Context`) carry an
:class:`Entry` instead, and :func:`guard` wraps every event handler that reads one: the event
hands the raw values on (Gradio's own check is off for it, ``preprocess=False``) and, before
the handler runs, each control among its inputs is checked by its :class:`Entry` (range,
whole number, empty, not a number, not finite). A bad value is replaced
(clamped to the range, rounded, or set back to the control's starting value), the handler
computes with the replaced value, and the control is updated to show that value with the
reason in the page's language as its ``info`` line, right under the control. The message
quotes at most a short prefix of the entry.

Examples
--------
>>> entry = Entry("what.temperature", 0.05, 10.0, default=1.0)
>>> entry.check(50)[0], entry.check(None)[0], entry.check(2.0)
(10.0, 1.0, (2.0, None))
>>> entry.check(float("nan"))[1].message("en")
'temperature: nan is not a finite number; it was set back to 1.'
>>> Entry("what.seed", 0, 9999, default=0, integer=True).check(-3)[1].message("zh-Hans")
'随机种子：-3 超出允许范围 [0, 9999]，已改为 0。'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from .._validation import describe_value
from ._i18n import t
from ._problems import InputProblem

__all__ = ["Entry", "EntryProblem", "entry_of", "guard"]

_LONGEST_NUMBER = 64
"""Longer text is not parsed as a number at all (an 8 MB entry is refused at once)."""


def shown_number(value: float) -> str:
    """A number as the messages show it: up to 6 significant digits, no trailing ``.0``.

    Examples
    --------
    >>> shown_number(10.0), shown_number(-0.30103), shown_number(4294967295)
    ('10', '-0.30103', '4.29497e+09')
    """
    return f"{value:.6g}"


def shown_entry(value: Any) -> str:
    """What was received, for a message: a number, or a short ``repr`` (never the whole entry).

    Examples
    --------
    >>> shown_entry(50.0), shown_entry("x" * 10**6)[:8], len(shown_entry("x" * 10**6)) <= 40
    ('50', "'xxxxxxx", True)
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return shown_number(float(value))
    if isinstance(value, str):
        value = value[:41]  # enough to show a prefix and "...", without copying the rest
    return describe_value(value, limit=40)


class EntryProblem(InputProblem):
    """A control's value was replaced: why (message key) and the value it was replaced by."""

    def __init__(self, key: str, entry: Entry, value: Any, fixed: float) -> None:
        self.fixed = fixed
        self.label_key = entry.what
        super().__init__(
            key,
            value=shown_entry(value),
            low=shown_number(entry.low),
            high=shown_number(entry.high),
            fixed=shown_number(fixed),
        )
        self.parameter = t(entry.what, "en")
        self.value = shown_entry(value)
        kind = "an integer" if entry.integer else "a number"
        self.allowed = f"{kind} in [{shown_number(entry.low)}, {shown_number(entry.high)}]"

    def message(self, lang: str) -> str:
        """The message in ``lang``, naming the control as its label does."""
        return t(self.key, lang, what=t(self.label_key, lang), **self.params)


@dataclass(frozen=True)
class Entry:
    """What a control accepts: a number in ``[low, high]`` (whole with ``integer``).

    ``what`` is the catalogue key naming the control in messages (usually its label's key);
    ``default`` replaces an empty or unreadable entry.
    """

    what: str
    low: float
    high: float
    default: float
    integer: bool = False

    def number(self, value: Any) -> float | None:
        """``value`` as a float, or None when it is no number at all."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str) and len(value) <= _LONGEST_NUMBER:
            try:
                return float(value.strip().replace("−", "-"))
            except ValueError:
                return None
        return None

    def check(self, value: Any) -> tuple[float, EntryProblem | None]:
        """The value to compute with and, when it had to be replaced, why.

        Empty, not a number or not finite: the starting value. Outside the range: the nearest
        end. Not whole for an ``integer`` entry: rounded (an ``integer`` entry gives an int).
        """
        number = self.number(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            key, fixed = "err.entry_empty", self.default
        elif number is None:
            key, fixed = "err.entry_not_number", self.default
        elif not math.isfinite(number):
            key, fixed, value = "err.entry_not_finite", self.default, number
        elif not self.low <= number <= self.high:
            key, fixed = "err.entry_range", min(max(number, self.low), self.high)
        elif self.integer and number != math.floor(number + 0.5):
            key, fixed = "err.entry_integer", math.floor(number + 0.5)  # halves round up
        else:
            return self._typed(number), None
        fixed = self._typed(fixed)
        return fixed, EntryProblem(key, self, value, fixed)

    def _typed(self, number: float) -> float:
        return int(number) if self.integer else float(number)


def entry_of(component: Any) -> Entry | None:
    """The :class:`Entry` of a checked control, or None for any other component."""
    return getattr(component, "entry", None)


def _as_list(result: Any, n_outputs: int) -> list[Any]:
    if n_outputs == 0:
        return []
    if n_outputs == 1:
        return [result]
    return list(result)


def _merged(update: Any, problem: EntryProblem, message: str) -> Any:
    """The handler's own output for a checked control, with the replaced value and reason."""
    if isinstance(update, dict) and update.get("__type__") == "update":
        if "value" in update:  # the handler set the control itself: nothing to report
            return update
        return {**update, "value": problem.fixed, "info": message}
    return update


def guard(
    fn: Callable[..., Any], inputs: Any, outputs: Any, trigger: Any = None
) -> tuple[Callable[..., Any], list[Any], list[Any]]:
    """``fn`` with its checked inputs checked first: (handler, inputs, outputs) to wire.

    The controls reported on are the ``trigger`` when it is a checked control (a slider move
    updates only that slider), else every checked control among ``inputs`` (a button press).
    Each gets an update: its replaced value and the reason, or an empty ``info`` line.
    The page language is read from the language switch (added to the inputs if missing).
    The event must be wired with ``preprocess=False`` when the handler was wrapped (the raw
    values of sliders, boxes, radios and states are what the handlers take).
    """
    ins = list(inputs) if isinstance(inputs, Sequence) else ([] if inputs is None else [inputs])
    outs = (
        list(outputs) if isinstance(outputs, Sequence) else ([] if outputs is None else [outputs])
    )
    checked = [(i, entry) for i, c in enumerate(ins) if (entry := entry_of(c)) is not None]
    if not checked:
        return fn, ins, outs
    if entry_of(trigger) is not None and trigger in ins:
        reported = [trigger]
    else:
        reported = [ins[i] for i, _ in checked]
    language = ins[checked[0][0]].language
    added_language = language not in ins
    lang_at = len(ins) if added_language else ins.index(language)
    extra = [c for c in reported if c not in outs]
    n_outputs = len(outs)

    def checked_fn(*args: Any) -> Any:
        values = list(args)
        lang = values[lang_at]
        problems: dict[int, EntryProblem] = {}
        for i, entry in checked:
            values[i], problem = entry.check(values[i])
            if problem is not None:
                problems[id(ins[i])] = problem
        result = _as_list(fn(*(values[:-1] if added_language else values)), n_outputs)
        for control in reported:
            problem = problems.get(id(control))
            message = problem.message(lang) if problem is not None else ""
            if control in outs:
                if problem is not None:
                    j = outs.index(control)
                    result[j] = _merged(result[j], problem, message)
                continue
            if problem is not None:
                result.append(gr.update(value=problem.fixed, info=message))
            else:
                result.append(gr.update(info=""))
        if len(result) == 1:
            return result[0]
        return tuple(result) if result else None

    return checked_fn, ins + ([language] if added_language else []), outs + extra
