"""Run the battery on a learner's function: :func:`check` and its result objects."""

from __future__ import annotations

import copy
import html
import inspect
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .._validation import check_positive_finite, param_error, type_error
from ._cases import AXIS_NAMES, CASES, TEMPERATURE_NAMES, Case
from ._judge import Verdict, judge, show_array, tolerance_ulps
from ._messages import LANGUAGES, message, normalize_lang

__all__ = ["CaseResult", "CheckResult", "check"]

PASSED, FAILED, NOT_APPLICABLE, NOT_RUN = "passed", "failed", "not applicable", "not run"
_STATUS_KEY = {
    PASSED: "status.passed",
    FAILED: "status.failed",
    NOT_APPLICABLE: "status.not_applicable",
    NOT_RUN: "status.not_run",
}
_MARK = {PASSED: "✓", FAILED: "✗", NOT_APPLICABLE: "–", NOT_RUN: "✗"}


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case.

    Attributes
    ----------
    name : str
        The case's stable identifier (``"large_gap"``).
    title : str
        What the case checks, in the report's language.
    status : str
        ``"passed"``, ``"failed"``, ``"not applicable"`` (the function lacks the keyword the
        case needs) or ``"not run"`` (an earlier case did not return; counted as failed).
    code : str
        ``""`` when passed, else the reason's code (``"overflow"``, ``"wrong_axis"`` …).
    reason, hint : str
        Why the case did not pass and what to try (empty when passed).
    tolerance : str
        The tolerance of the case, in words.
    stability : bool
        Whether an implementation without the max shift fails this case.
    seconds : float
        Time taken by the call (the time limit for a call that did not return).
    """

    name: str
    title: str
    status: str
    code: str
    reason: str
    hint: str
    tolerance: str
    stability: bool
    seconds: float
    lang: str = "en"

    @property
    def passed(self) -> bool:
        """True when the case passed (False when failed, not run or not applicable)."""
        return self.status == PASSED

    @property
    def failed(self) -> bool:
        """True when the case counts as a failure (``"failed"`` or ``"not run"``)."""
        return self.status in (FAILED, NOT_RUN)

    def status_text(self) -> str:
        """The status in the report's language."""
        return message(self.lang, _STATUS_KEY[self.status])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field but ``lang``, in order, with ``passed`` after
        ``status`` and ``seconds`` rounded to the microsecond."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name != "lang":
                out[f.name] = getattr(self, f.name)
            if f.name == "status":
                out["passed"] = self.passed
        out["seconds"] = round(self.seconds, 6)
        return out


@dataclass(frozen=True)
class CheckResult:
    """Every case's outcome for one function, with counts and a readable report.

    ``passed`` is True when no case failed (cases *not applicable* neither pass nor fail).
    Iterate over it for the :class:`CaseResult` objects, or index it by case name.
    """

    function: str
    lang: str
    timeout: float
    cases: tuple[CaseResult, ...]

    def __iter__(self) -> Iterator[CaseResult]:
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    def __getitem__(self, name: str) -> CaseResult:
        for case in self.cases:
            if case.name == name:
                return case
        raise KeyError(name)

    @property
    def passed(self) -> bool:
        """True when no case failed or went unrun."""
        return not any(case.failed for case in self.cases)

    @property
    def n_passed(self) -> int:
        return sum(case.passed for case in self.cases)

    @property
    def n_failed(self) -> int:
        return sum(case.failed for case in self.cases)

    @property
    def n_not_applicable(self) -> int:
        return sum(case.status == NOT_APPLICABLE for case in self.cases)

    @property
    def failures(self) -> tuple[CaseResult, ...]:
        """The cases that failed or were not run, in order."""
        return tuple(case for case in self.cases if case.failed)

    def _counts(self) -> dict[str, int]:
        """The counts that :meth:`summary` words and :meth:`to_dict` lists, by status."""
        return {
            "passed": self.n_passed,
            "failed": self.n_failed,
            "not_applicable": self.n_not_applicable,
            "total": len(self.cases),
        }

    def heading(self) -> str:
        return message(self.lang, "ui.heading", function=self.function)

    def summary(self) -> str:
        """``"15 passed, 2 failed, 0 not applicable (17 cases)"`` in the report's language."""
        return message(self.lang, "ui.summary", **self._counts())

    def verdict(self) -> str:
        return message(self.lang, "ui.all_passed" if self.passed else "ui.some_failed")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the function, language, counts and every case."""
        return {
            "function": self.function,
            "lang": self.lang,
            "timeout": self.timeout,
            "passed": self.passed,
            "counts": self._counts(),
            "cases": [case.to_dict() for case in self.cases],
        }

    def __repr__(self) -> str:
        reason, hint = message(self.lang, "ui.reason_label"), message(self.lang, "ui.hint_label")
        tolerance = message(self.lang, "ui.tolerance_label")
        lines = [f"{self.heading()}: {self.summary()}"]
        for case in self.cases:
            lines.append(f"  {_MARK[case.status]} {case.name}: {case.title} — {case.status_text()}")
            if case.reason:
                lines.append(f"      {reason}{case.reason}")
            if case.hint:
                lines.append(f"      {hint}{case.hint}")
            if case.failed:
                lines.append(f"      {tolerance}{case.tolerance}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        head = "".join(
            f"<th>{e(message(self.lang, key))}</th>"
            for key in ("ui.case", "ui.result", "ui.detail")
        )
        rows = []
        for case in self.cases:
            colour = {PASSED: "#1a7f37", NOT_APPLICABLE: "#6e7781"}.get(case.status, "#cf222e")
            detail = e(case.reason) + (f"<br><em>{e(case.hint)}</em>" if case.hint else "")
            rows.append(
                f"<tr><td><code>{e(case.name)}</code><br>{e(case.title)}</td>"
                f'<td style="color:{colour}">{_MARK[case.status]} {e(case.status_text())}</td>'
                f"<td>{detail}</td></tr>"
            )
        return (
            f'<div class="softmaxlab-check" lang="{e(self.lang)}">'
            f"<p><strong>{e(self.heading())}</strong>: {e(self.summary())}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )


# --- calling the function --------------------------------------------------------------------


@dataclass
class _Call:
    value: Any = None
    error: BaseException | None = None
    finished: bool = False
    seconds: float = 0.0


def _call_with_timeout(
    fn: Callable[..., Any], x: Any, kwargs: dict[str, Any], timeout: float
) -> _Call:
    """Call ``fn(x, **kwargs)`` in a daemon thread; give up after ``timeout`` seconds.

    Python cannot stop a thread, so a call that does not return keeps running in the
    background (a daemon thread: it does not keep the interpreter alive at exit).
    """
    call = _Call()

    def work() -> None:
        try:
            # Overflow in the learner's exp is what some cases look for: no NumPy warnings.
            with np.errstate(all="ignore"):
                call.value = fn(x, **kwargs)
        except BaseException as exc:  # SystemExit and the like are failures of the case too
            call.error = exc
        call.finished = True

    thread = threading.Thread(target=work, name="softmaxlab-check", daemon=True)
    start = time.perf_counter()
    thread.start()
    thread.join(timeout)
    call.seconds = time.perf_counter() - start
    return call


def _keyword(fn: Callable[..., Any], names: tuple[str, ...]) -> str | None:
    """The first of ``names`` that ``fn`` accepts as a keyword argument, if any."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return None
    for name in names:
        param = params.get(name)
        if param is not None and param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
            return name
    return None


def _describe_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(text) > 200:
        text = text[:197] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- the runner ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    kwargs: dict[str, Any] | None  # None: not applicable
    na_code: str = ""


def _plan(case: Case, temperature_kw: str | None, axis_kw: str | None) -> _Plan:
    if case.needs == "temperature":
        if temperature_kw is None:
            return _Plan(None, "na_temperature")
        return _Plan({temperature_kw: case.keyword_value})
    if case.needs == "axis" and axis_kw is None:
        return _Plan(None, "na_axis")
    return _Plan({axis_kw: case.axis} if axis_kw is not None and case.check != "values" else {})


def _tolerance(case: Case, lang: str, x: Any) -> str:
    dtype = x.dtype if isinstance(x, np.ndarray) else np.dtype(np.float64)
    if case.check == "dtype":
        return message(lang, "tol.dtype", dtype=str(dtype))
    if case.check == "unchanged":
        return message(lang, "tol.unchanged")
    if case.check == "sum":
        bound = np.size(x) * float(np.finfo(dtype).eps)
        return message(lang, "tol.sum", bound=f"{bound:.3g}")
    t = case.keyword_value if case.needs == "temperature" and case.keyword_value else 1.0
    return message(lang, "tol.ulps", ulps=tolerance_ulps(case, x, t), dtype=str(dtype))


def _verdict(case: Case, call: _Call, x: Any, before: Any, timeout: float) -> Verdict:
    if not call.finished:
        return Verdict("timeout", {"seconds": f"{timeout:g}"})
    if call.error is not None:
        code = "list_raised" if isinstance(before, list) else "raised"
        return Verdict(code, {"error": _describe_error(call.error), "input": show_array(before)})
    try:
        return judge(case, call.value, x, before, case.keyword_value)
    except Exception as exc:  # an output so odd that judging it fails: still the case's failure
        return Verdict("not_numeric", {"type": f"{type(call.value).__name__} ({exc})"})


def _result(
    case: Case, lang: str, status: str, verdict: Verdict, x: Any, seconds: float
) -> CaseResult:
    fields = {"names": ", ".join(TEMPERATURE_NAMES if case.needs == "temperature" else AXIS_NAMES)}
    fields.update(verdict.fields)
    code = verdict.code
    return CaseResult(
        name=case.name,
        title=message(lang, f"title.{case.name}"),
        status=status,
        code=code,
        reason=message(lang, f"reason.{code}", **fields) if code else "",
        hint=message(lang, f"hint.{code}", **fields) if code else "",
        tolerance=_tolerance(case, lang, x),
        stability=case.stability,
        seconds=seconds,
        lang=lang,
    )


def _function_name(fn: Callable[..., Any]) -> str:
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    return str(name) if name else type(fn).__name__


def check(fn: Callable[..., Any], *, lang: str = "en", timeout: float = 5.0) -> CheckResult:
    """Check a softmax written by hand against the exact one, case by case.

    Runs a battery of inputs through ``fn`` — the course's examples ([3, 1, −3] and [1, 2, 3]),
    large logits (overflow of exp), very negative logits (underflow of every term), ties, all
    equal, one element, a 2-D batch (each row must sum to 1), a temperature (only if ``fn``
    has a ``temperature``/``t``/``T``/``tau`` keyword), float32 (dtype kept, accuracy), the sum
    of 1000 probabilities, the input left unchanged, and a plain list — and compares each
    answer with :func:`softmaxlab.softmax` evaluated in float64 on the same values, within
    ``(k + 2·max|x/T|)`` ulps of the input's dtype (``k`` = 16, or 8 for float32).

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(x)`` with a NumPy array (or a list for the list
        case). When it has an ``axis``/``dim`` keyword, the batch cases pass it.
    lang : {'en', 'zh-Hans', 'zh-Hant'}, default 'en'
        Language of the titles, reasons and hints.
    timeout : float, default 5.0
        Seconds each call may take. A call still running after that fails its case; Python
        cannot stop it, so it keeps running in a background (daemon) thread until the process
        exits, and the remaining cases are reported as *not run* (counted as failed).

    Returns
    -------
    CheckResult
        ``.passed``, ``.cases`` (each with ``name``, ``passed``, ``status``, ``reason``,
        ``hint``, ``tolerance``), ``.summary()``, ``.to_dict()``; it prints as a report and
        shows as a table in a notebook.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    ValueError
        If ``lang`` or ``timeout`` is not allowed. Whatever ``fn`` itself does (raise, return
        NaN, the wrong shape or dtype, hang) is a failed case, never an exception here.

    Notes
    -----
    The learner's function runs in this process, so only check code you trust (your own).
    Each call runs in a worker thread under ``np.errstate(all="ignore")``, so the overflow
    some cases provoke does not print NumPy warnings. A function compiled on its first call
    (a JIT) may need a larger ``timeout`` for the first case.

    Examples
    --------
    >>> import numpy as np
    >>> def naive(x):
    ...     e = np.exp(x)
    ...     return e / e.sum(axis=-1, keepdims=True)
    >>> result = check(naive)
    >>> result.passed
    False
    >>> [case.name for case in result.failures]
    ['large_equal', 'large_gap', 'very_negative', 'float32_large']
    >>> print(result["large_gap"].hint)
    Subtract the maximum first: exp(x − max(x)) gives the same probabilities and never overflows.
    """
    if not callable(fn):
        raise type_error("fn", "a callable (your softmax function)", fn, func="check")
    chosen = normalize_lang(lang)
    if chosen is None:
        raise param_error("lang", f"one of {', '.join(map(repr, LANGUAGES))}", lang, func="check")
    timeout = check_positive_finite(timeout, "timeout", func="check")
    temperature_kw, axis_kw = _keyword(fn, TEMPERATURE_NAMES), _keyword(fn, AXIS_NAMES)
    results: list[CaseResult] = []
    hung = False
    for case in CASES:
        x = case.make()
        plan = _plan(case, temperature_kw, axis_kw)
        if plan.kwargs is None:
            results.append(_result(case, chosen, NOT_APPLICABLE, Verdict(plan.na_code), x, 0.0))
            continue
        if hung:
            results.append(_result(case, chosen, NOT_RUN, Verdict("not_run"), x, 0.0))
            continue
        before = copy.deepcopy(x)
        call = _call_with_timeout(fn, x, plan.kwargs, timeout)
        hung = not call.finished
        verdict = _verdict(case, call, x, before, timeout)
        status = PASSED if not verdict.code else FAILED
        seconds = call.seconds if call.finished else timeout
        results.append(_result(case, chosen, status, verdict, before, seconds))
    return CheckResult(_function_name(fn), chosen, timeout, tuple(results))
