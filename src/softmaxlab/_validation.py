"""Argument checks shared by every public function.

Errors follow one template, after scikit-learn's: name the parameter, say what is allowed
and show the value received.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "SoftmaxLabError",
    "as_float_array",
    "check_bool_mask",
    "check_positive_finite",
    "check_probability",
    "normalize_axes",
    "param_error",
]


class SoftmaxLabError(ValueError):
    """A value given to softmaxlab is outside what the function allows."""


def _short_repr(value: Any, limit: int = 60) -> str:
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def param_error(name: str, allowed: str, value: Any, *, func: str | None = None) -> SoftmaxLabError:
    """Build the standard error: ``The 'name' parameter of func must be allowed. Got value.``"""
    where = f" of {func}" if func else ""
    return SoftmaxLabError(
        f"The '{name}' parameter{where} must be {allowed}. Got {_short_repr(value)} instead."
    )


def as_float_array(
    x: Any, name: str = "x", *, func: str | None = None, allow_complex: bool = False
) -> NDArray[Any]:
    """Convert ``x`` to a floating NumPy array without copying when it already is one.

    float16/float32/float64 (and long double) stay as they are; integers and booleans become
    float64; complex is accepted only when ``allow_complex``. Anything else raises TypeError.
    """
    if isinstance(x, np.ndarray):
        arr = x
    else:
        if hasattr(x, "__array_namespace__") and not hasattr(x, "__array__"):
            raise TypeError(
                f"The '{name}' parameter{' of ' + func if func else ''} must be array-like "
                f"(a NumPy array, a list of numbers or a number). Got {type(x).__name__} instead."
            )
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError) as exc:
            raise TypeError(
                f"The '{name}' parameter{' of ' + func if func else ''} must be array-like of "
                f"numbers with a regular shape. Got {_short_repr(x)} instead ({exc})."
            ) from None
    kind = arr.dtype.kind
    if kind in "biu":
        return arr.astype(np.float64)
    if kind == "f":
        return arr
    if kind == "c" and allow_complex:
        return arr
    allowed = "real or complex numbers" if allow_complex else "real numbers"
    raise TypeError(
        f"The '{name}' parameter{' of ' + func if func else ''} must hold {allowed} "
        f"(float, int or bool dtype). Got an array of dtype {arr.dtype} instead."
    )


def normalize_axes(
    axis: Any, ndim: int, *, name: str = "axis", func: str | None = None
) -> tuple[int, ...]:
    """Return ``axis`` as a sorted tuple of non-negative ints (None means every axis)."""
    if axis is None:
        return tuple(range(ndim))
    if type(axis) is int and -ndim <= axis < ndim:  # the common call, checked cheaply
        return (axis % ndim,)
    items: Sequence[Any] = axis if isinstance(axis, tuple | list) else (axis,)
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, numbers.Integral):
            raise param_error(name, "an int, a tuple of ints or None", axis, func=func)
        ax = int(item)
        if not -ndim <= ax < ndim:
            raise param_error(
                name,
                f"in the range [{-ndim}, {ndim - 1}] for an array of {ndim} dimensions",
                axis,
                func=func,
            )
        out.append(ax % ndim)
    if len(set(out)) != len(out):
        raise param_error(name, "a tuple of distinct axes", axis, func=func)
    return tuple(sorted(out))


def check_positive_finite(value: Any, name: str, *, func: str | None = None) -> float:
    """A finite real number > 0, returned as a Python float."""
    if type(value) is float and 0.0 < value < math.inf:  # the common call, checked cheaply
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
            value = value.item()
        else:
            raise param_error(name, "a finite number > 0", value, func=func)
    v = float(value)
    if not (np.isfinite(v) and v > 0):
        raise param_error(name, "a finite number > 0", value, func=func)
    return v


def check_probability(
    value: Any,
    name: str,
    *,
    low_open: bool = False,
    high_open: bool = False,
    func: str | None = None,
) -> float:
    """A real number in [0, 1] (ends open as asked), returned as a Python float."""
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    allowed = f"a number in the range {lo}0, 1{hi}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise param_error(name, allowed, value, func=func)
    v = float(value)
    ok = (v > 0 if low_open else v >= 0) and (v < 1 if high_open else v <= 1)
    if not ok:
        raise param_error(name, allowed, value, func=func)
    return v


def check_bool_mask(
    where: Any, shape: tuple[int, ...], *, func: str | None = None
) -> NDArray[np.bool_]:
    """``where`` as a boolean array broadcast to ``shape``."""
    mask = np.asarray(where)
    if mask.dtype != np.bool_:
        raise TypeError(
            f"The 'where' parameter{' of ' + func if func else ''} must be a boolean array. "
            f"Got an array of dtype {mask.dtype} instead."
        )
    try:
        return np.broadcast_to(mask, shape)
    except ValueError:
        raise param_error(
            "where",
            f"broadcastable to the shape of x {shape}",
            f"array of shape {mask.shape}",
            func=func,
        ) from None
