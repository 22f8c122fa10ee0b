"""Judge one answer of the learner's function: a reason code and its fields, or a pass.

Pure functions over NumPy arrays; the runner (:mod:`._run`) calls the function and turns
the verdict into words (:mod:`._messages`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..core import softmax
from ._cases import Case

__all__ = ["Verdict", "judge", "reference", "show_array", "tolerance_ulps"]


@dataclass(frozen=True)
class Verdict:
    """``code`` is ``""`` for a pass, else the key of the reason and hint; ``fields`` fill them."""

    code: str = ""
    fields: dict[str, str] = field(default_factory=dict)


PASS = Verdict()


def show_array(x: Any, *, limit: int = 6) -> str:
    """A short, language-neutral text of an input or output (``[3, 1, -3]``)."""
    if isinstance(x, list):
        return repr(x)
    arr = np.asarray(x)
    text = np.array2string(
        arr,
        separator=", ",
        threshold=limit,
        edgeitems=3,
        formatter={"float_kind": lambda v: f"{v:.6g}"},
    )
    text = " ".join(text.split())
    if arr.dtype == np.float32:
        return f"np.array({text}, dtype=np.float32)"
    return text


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _fmt_exact(value: float) -> str:
    return repr(float(value))


def reference(case: Case, x: Any, keyword_value: float | None) -> NDArray[np.float64]:
    """The exact softmax of the case's input values, in float64."""
    x64 = np.asarray(x, dtype=np.float64)
    temperature = keyword_value if case.needs == "temperature" and keyword_value else 1.0
    return softmax(x64, axis=case.axis, temperature=temperature)


def _dtype_of(x: Any) -> np.dtype[Any]:
    return x.dtype if isinstance(x, np.ndarray) else np.dtype(np.float64)


def _scaled_max(x: Any, temperature: float) -> float:
    finite = np.asarray(x, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    return float(np.max(np.abs(finite))) / temperature if finite.size else 0.0


def tolerance_ulps(case: Case, x: Any, temperature: float = 1.0) -> int:
    """``k + 2·max|x/T|`` of the module docstring of :mod:`._cases`, rounded up."""
    return case.ulps + 2 * math.ceil(_scaled_max(x, temperature))


def _within(
    y: NDArray[np.float64], ref: NDArray[np.float64], ulps: int, dtype: np.dtype[Any]
) -> tuple[bool, int, float]:
    """Whether every entry is within ``ulps`` of ``ref``; the worst index and its error in ulps."""
    info = np.finfo(dtype)
    eps, tiny = float(info.eps), float(info.tiny)
    err = np.abs(y - ref)
    in_ulps = err / (eps * np.maximum(np.abs(ref), tiny / eps))
    worst = int(np.argmax(in_ulps))
    ok = bool(np.all(err <= ulps * eps * np.abs(ref) + tiny))
    return ok, worst, float(in_ulps.flat[worst])


def _as_output(out: Any) -> tuple[NDArray[Any] | None, Verdict]:
    if out is None:
        return None, Verdict("none")
    try:
        if hasattr(out, "detach") and hasattr(out, "cpu"):  # a torch tensor
            out = out.detach().cpu().numpy()
        arr = np.asarray(out)
    except Exception:
        return None, Verdict("not_numeric", {"type": type(out).__name__})
    if arr.dtype.kind not in "biuf":
        return None, Verdict("not_numeric", {"type": f"{type(out).__name__} ({arr.dtype})"})
    return arr, PASS


def _stability(x: Any, temperature: float) -> Verdict:
    """Overflow or underflow of exp on this input in its own dtype, if any."""
    dtype = _dtype_of(x)
    values = np.asarray(x, dtype=np.float64) / temperature
    values = values[np.isfinite(values)]
    if not values.size:
        return PASS
    top = float(np.max(values))
    info = np.finfo(dtype)
    if top > math.log(float(info.max)):
        return Verdict("overflow", {"x": _fmt(top), "dtype": str(dtype)})
    if top < math.log(float(info.smallest_subnormal)):
        return Verdict("underflow", {"x": _fmt(top), "dtype": str(dtype)})
    return PASS


def _non_finite(arr: NDArray[Any], x: Any, temperature: float) -> Verdict:
    y = arr.astype(np.float64)
    nan, inf = int(np.isnan(y).sum()), int(np.isinf(y).sum())
    if not nan and not inf:
        return PASS
    unstable = _stability(x, temperature)
    if unstable.code:
        return unstable
    code, count = ("nan", nan) if nan else ("inf", inf)
    return Verdict(code, {"count": str(count), "size": str(y.size), "input": show_array(x)})


def _sums_to_one(y: NDArray[np.float64], axis: int | None) -> bool:
    total = np.sum(y, axis=axis)
    return bool(np.all(np.abs(total - 1.0) <= 1e-6))


def _axis_mistake(case: Case, y: NDArray[np.float64]) -> Verdict:
    axis = case.axis % y.ndim
    if _sums_to_one(y, None):
        return Verdict("whole_array", {"axis": str(case.axis)})
    for other in range(y.ndim):
        if other != axis and _sums_to_one(y, other):
            return Verdict("wrong_axis", {"got_axis": str(other), "axis": str(case.axis)})
    return PASS


def _temperature_mistake(y: NDArray[np.float64], x: Any, t: float, ulps: int) -> Verdict:
    x64 = np.asarray(x, dtype=np.float64)
    dtype = np.dtype(np.float64)
    if _within(y, softmax(x64 * t), ulps + 2 * math.ceil(_scaled_max(x64, 1 / t)), dtype)[0]:
        return Verdict("temp_multiplied", {"t": _fmt(t)})
    if _within(y, softmax(x64), ulps + 2 * math.ceil(_scaled_max(x64, 1.0)), dtype)[0]:
        return Verdict("temp_ignored", {"t": _fmt(t)})
    return PASS


def _values(case: Case, arr: NDArray[Any], x: Any, ref: NDArray[np.float64], t: float) -> Verdict:
    y = arr.astype(np.float64)
    dtype = _dtype_of(x)
    ulps = tolerance_ulps(case, x, t)
    ok, worst, off = _within(y, ref, ulps, dtype)
    if ok:
        return PASS
    for mistake in (
        _stability(x, t),
        _axis_mistake(case, y) if y.ndim > 1 else PASS,
        _temperature_mistake(y, x, t, case.ulps) if case.needs == "temperature" else PASS,
    ):
        if mistake.code:
            return mistake
    if arr.dtype.kind == "f" and arr.dtype.itemsize < dtype.itemsize:
        coarse = (
            tolerance_ulps(case, x, t) * float(np.finfo(arr.dtype).eps) / float(np.finfo(dtype).eps)
        )
        if _within(y, ref, math.ceil(coarse), dtype)[0]:
            return Verdict(
                "precision", {"got": str(arr.dtype), "index": str(worst), "error": _fmt(off)}
            )
    if y.ndim == 1 and not _sums_to_one(y, None):
        return Verdict("not_normalised", {"total": _fmt_exact(math.fsum(y))})
    index = np.unravel_index(worst, y.shape)
    shown_index = str(index[0]) if y.ndim == 1 else str(tuple(int(i) for i in index))
    return Verdict(
        "values",
        {
            "index": shown_index,
            "got": _fmt_exact(y.flat[worst]),
            "want": _fmt_exact(ref.flat[worst]),
            "error": _fmt(off),
            "allowed": str(ulps),
            "input": show_array(x),
        },
    )


def _extra(case: Case, arr: NDArray[Any], x: Any, before: Any) -> Verdict:
    """The checks of cases that look at more than the values."""
    if case.check == "dtype" and arr.dtype != _dtype_of(x):
        return Verdict("dtype", {"got": str(arr.dtype)})
    if case.check == "unchanged" and not np.array_equal(np.asarray(x), np.asarray(before)):
        return Verdict("mutated", {"before": show_array(before), "after": show_array(x)})
    if case.check == "sum":
        deviation = abs(math.fsum(arr.astype(np.float64).ravel()) - 1.0)
        bound = arr.size * float(np.finfo(_dtype_of(before)).eps)
        if not deviation <= bound:
            return Verdict("sum", {"deviation": _fmt(deviation), "bound": _fmt(bound)})
    if case.name == "ties" and arr.flat[0] != arr.flat[1]:
        return Verdict("ties", {"a": _fmt_exact(arr.flat[0]), "b": _fmt_exact(arr.flat[1])})
    return PASS


def judge(case: Case, out: Any, x: Any, before: Any, keyword_value: float | None) -> Verdict:
    """The verdict on ``out``, returned for the input ``x`` (a copy ``before`` the call)."""
    arr, verdict = _as_output(out)
    if arr is None:
        return verdict
    expected = np.shape(before)
    if arr.shape != expected:
        if arr.ndim == 0:
            return Verdict("scalar", {"value": _fmt(float(arr)), "expected": str(expected)})
        return Verdict("shape", {"got": str(arr.shape), "expected": str(expected)})
    temperature = keyword_value if case.needs == "temperature" and keyword_value else 1.0
    for step in (
        lambda: _non_finite(arr, before, temperature),
        lambda: _extra(case, arr, x, before),
        lambda: (
            PASS
            if case.check in ("dtype", "unchanged", "sum")
            else _values(case, arr, before, reference(case, before, keyword_value), temperature)
        ),
    ):
        verdict = step()
        if verdict.code:
            return verdict
    return PASS
