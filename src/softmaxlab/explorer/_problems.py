"""Bad entries on the explorer's pages, as message keys that the page translates.

:class:`InputProblem` carries a key of :mod:`softmaxlab.explorer._i18n` and its parameters;
:func:`parse_problem` turns a coded error of :mod:`softmaxlab.reports` into one.
"""

from __future__ import annotations

import math
from typing import Any

from .. import reports
from .._validation import SoftmaxLabError, describe_value
from ._i18n import t

__all__ = ["InputProblem", "in_range", "parse_problem"]


class InputProblem(SoftmaxLabError):
    """A bad entry, described by an i18n message key and its parameters.

    Parameters whose value is itself a key starting with ``what.`` are translated too. It is a
    :class:`~softmaxlab.SoftmaxLabError` (a ``ValueError``) like the library's own argument
    errors: ``parameter`` is the entry's name (its ``what.`` key) and ``value`` the short
    description of what was received (:func:`~softmaxlab._validation.describe_value`); the
    page shows :meth:`message` in its language instead of the English ``str()``.

    Examples
    --------
    >>> err = InputProblem("err.duplicate", label="cat")
    >>> err.message("en")
    "The label 'cat' appears more than once; labels must be different."
    """

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        what = params.get("what")
        self.parameter = str(what) if what is not None else None
        self.value = describe_value(params["value"]) if "value" in params else None
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in ``lang``."""
        params = {
            k: t(v, lang) if isinstance(v, str) and v.startswith("what.") else v
            for k, v in self.params.items()
        }
        return t(self.key, lang, **params)


def in_range(
    value: Any,
    what: str,
    low: float,
    high: float,
    *,
    whole: bool = False,
    low_open: bool = False,
    key: str = "err.range",
    shown: tuple[Any, Any] | None = None,
) -> float:
    """A control's value inside the page's range ``[low, high]``, as a float.

    The one check of the page's own limits (a slider's ends, a box's allowed counts); what
    the library itself allows is checked by the library. Empty (None), not a number, NaN,
    ±inf, outside the range (``(low, high]`` with ``low_open``) or, with ``whole``, not a
    whole number: :class:`InputProblem` ``key`` with ``what``, the range (``shown``, when
    given, is how its ends are written) and the value received.

    Examples
    --------
    >>> in_range(3.0, "N", 1, 10, whole=True)
    3.0
    >>> in_range(2.5, "N", 1, 10, whole=True)
    Traceback (most recent call last):
    ...
    softmaxlab.explorer._problems.InputProblem: The N must be in the range [1, 10]; got 2.5.
    """
    number = math.nan
    if value is not None and not isinstance(value, bool):
        try:
            number = float(value)
        except (TypeError, ValueError):
            pass
    inside = (low < number if low_open else low <= number) and number <= high  # NaN: False
    if not inside or (whole and not number.is_integer()):
        ends = shown if shown is not None else (low, high)
        raise InputProblem(key, what=what, low=ends[0], high=ends[1], value=value)
    return number


# The explorer's message key for each code of :class:`softmaxlab.reports.ParseProblem`, and
# the parameters that message takes.
_PARSE_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "empty": ("err.empty", ("min",)),
    "not_number": ("err.not_number", ("value", "index")),
    "not_finite": ("err.not_finite", ("value", "index")),
    "too_few": ("err.too_few", ("min", "n")),
    "too_many": ("err.too_many", ("max", "n")),
    "no_logit": ("err.vocab_entry", ("index", "value")),
    "no_token": ("err.vocab_entry", ("index", "value")),
    "empty_entry": ("err.vocab_entry", ("index", "value")),
    "duplicate_token": ("err.duplicate_token", ()),
    "all_banned": ("err.not_finite", ("value", "index")),
}


def parse_problem(exc: reports.ParseProblem, what: str) -> InputProblem:
    """A coded parsing error of :mod:`softmaxlab.reports` as a message of this page."""
    key, names = _PARSE_KEYS[exc.code]
    params: dict[str, Any] = {name: exc.fields[name] for name in names if name in exc.fields}
    if exc.code == "duplicate_token":
        return InputProblem(key, label=exc.fields["token"])
    return InputProblem(key, what=what, **params)
