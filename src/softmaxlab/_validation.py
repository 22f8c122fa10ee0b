"""Argument checks shared by every public function.

Errors follow one template, after scikit-learn's: name the parameter, say what is allowed
and show the value received.
"""

from __future__ import annotations

import math
import numbers
import reprlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "SoftmaxLabError",
    "SoftmaxLabTypeError",
    "as_float_array",
    "check_bool",
    "check_bool_mask",
    "check_int",
    "check_positive_finite",
    "check_probability",
    "check_rng",
    "check_single_axis",
    "describe_value",
    "normalize_axes",
    "param_error",
    "shown",
    "type_error",
]


class SoftmaxLabError(ValueError):
    """A value given to softmaxlab is outside what the function allows.

    The message follows one template, after scikit-learn's: ``The 'temperature' parameter of
    softmax must be a float in (0, inf). Got -1 instead.`` The parts are also kept as fields,
    so that the command line can print the error as one line and the explorer can say it in
    the page's language.

    Attributes
    ----------
    parameter : str or None
        The parameter's name, as the caller spells it (``'temperature'``, ``'--output'``).
    allowed : str or None
        What the parameter accepts, in words (``'a finite number > 0'``).
    value : str or None
        The value received, as shown in the message: a short ``repr`` for scalars and strings,
        ``an array of shape (2, 3)`` for arrays (never a description quoted as a value).
    function : str or None
        The public function or class that checked it, if known.

    Examples
    --------
    >>> err = param_error("temperature", "a finite number > 0", -1.0, func="softmax")
    >>> print(err)
    The 'temperature' parameter of softmax must be a finite number > 0. Got -1.0 instead.
    >>> err.parameter, err.allowed, err.value, err.function
    ('temperature', 'a finite number > 0', '-1.0', 'softmax')
    >>> isinstance(err, ValueError)
    True
    """

    parameter: str | None = None
    allowed: str | None = None
    value: str | None = None
    function: str | None = None


class SoftmaxLabTypeError(SoftmaxLabError, TypeError):
    """A value of the wrong type: a :class:`SoftmaxLabError` that is also a :class:`TypeError`.

    ``except TypeError`` and ``except SoftmaxLabError`` both catch it; it has the same fields.
    """


class _Shown(str):
    """Text shown verbatim as the received value (a description, not the value itself)."""

    __slots__ = ()


def shown(text: str) -> str:
    """Mark ``text`` as a description of the value received, printed without quotes.

    Use it when the value itself would be unreadable, e.g. ``shown("an array with values
    outside [0, 1]")``; arrays need no marking (:func:`describe_value` handles them).
    """
    return _Shown(text)


def _container_repr() -> reprlib.Repr:
    r = reprlib.Repr()
    r.maxlevel, r.maxlist, r.maxtuple, r.maxdict, r.maxset = 3, 8, 8, 8, 8
    r.maxstring = r.maxother = r.maxlong = 60
    return r


# Bounded repr of containers: a huge bad entry is described in microseconds, never in full.
_CONTAINER_REPR = _container_repr()


def _short_repr(value: Any, limit: int = 60) -> str:
    if isinstance(value, list | tuple | dict | set | frozenset):
        text = _CONTAINER_REPR.repr(value)
    else:
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def describe_value(value: Any, limit: int = 60) -> str:
    """How a received value appears in an error message.

    A short ``repr`` for scalars, strings and small containers; ``an array of shape S and
    dtype D`` for arrays of one or more dimensions (their repr would be long and multi-line);
    the text itself for a description marked with :func:`shown`.

    Examples
    --------
    >>> describe_value(-1), describe_value("max"), describe_value(np.float64(2.5))
    ('-1', "'max'", '2.5')
    >>> describe_value(np.zeros((2, 3), dtype=np.float32))
    'an array of shape (2, 3) and dtype float32'
    >>> describe_value("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."
    """
    if isinstance(value, _Shown):
        return str(value)
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return _short_repr(value.item(), limit)
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return _short_repr(value.item(), limit)
    return _short_repr(value, limit)


def _fill(
    err: SoftmaxLabError, name: str, allowed: str, value: Any, func: str | None
) -> SoftmaxLabError:
    err.parameter, err.allowed, err.function = name, allowed, func
    err.value = describe_value(value)
    return err


def _message(name: str, allowed: str, value: Any, func: str | None, verb: str = "be") -> str:
    where = f" of {func}" if func else ""
    got = describe_value(value)
    return f"The '{name}' parameter{where} must {verb} {allowed}. Got {got} instead."


def param_error(
    name: str, allowed: str, value: Any, *, func: str | None = None, verb: str = "be"
) -> SoftmaxLabError:
    """Build the standard error: ``The 'name' parameter of func must be allowed. Got value.``

    ``value`` is the value received (shown by :func:`describe_value`); pass a description
    only through :func:`shown`. ``verb`` replaces "be" where the sentence needs it ("must
    hold real numbers").
    """
    err = SoftmaxLabError(_message(name, allowed, value, func, verb))
    return _fill(err, name, allowed, value, func)


def type_error(
    name: str, allowed: str, value: Any, *, func: str | None = None, verb: str = "be"
) -> SoftmaxLabTypeError:
    """Like :func:`param_error`, for a value of the wrong type (also a :class:`TypeError`).

    Examples
    --------
    >>> err = type_error("x", "array-like of numbers", shown("a dict"), func="softmax")
    >>> print(err)
    The 'x' parameter of softmax must be array-like of numbers. Got a dict instead.
    >>> isinstance(err, TypeError) and isinstance(err, SoftmaxLabError)
    True
    """
    err = SoftmaxLabTypeError(_message(name, allowed, value, func, verb))
    _fill(err, name, allowed, value, func)
    return err


def regular_array(value: Any, name: str, allowed: str, *, func: str | None = None) -> NDArray[Any]:
    """``np.asarray(value)``, refusing a ragged list with a TypeError that says so.

    NumPy's own words for it ("inhomogeneous shape after 1 dimensions …") name its internals;
    the error names the parameter and ``allowed`` ("… with a regular (not ragged) shape").
    """
    try:
        return np.asarray(value)
    except (ValueError, TypeError):
        raise type_error(name, allowed, value, func=func) from None


def as_float_array(
    x: Any,
    name: str = "x",
    *,
    func: str | None = None,
    allow_complex: bool = False,
    axis_name: str | None = None,
) -> NDArray[Any]:
    """Convert ``x`` to a floating NumPy array without copying when it already is one.

    float16/float32/float64 (and long double) stay as they are; integers and booleans become
    float64; complex is accepted only when ``allow_complex``. Anything else raises TypeError.
    With ``axis_name`` (``"category"``, ``"vocabulary"`` …) a 0-d array is refused with a
    ValueError asking for an array with that axis.
    """
    if isinstance(x, np.ndarray):
        arr = x
    else:
        if hasattr(x, "__array_namespace__") and not hasattr(x, "__array__"):
            raise type_error(
                name,
                "array-like (a NumPy array, a list of numbers or a number)",
                shown(f"a {type(x).__name__}"),
                func=func,
            )
        allowed = "array-like of numbers with a regular (not ragged) shape"
        arr = regular_array(x, name, allowed, func=func)
    if axis_name is not None and arr.ndim == 0:
        allowed = f"an array with a {axis_name} axis (at least 1-D)"
        raise param_error(name, allowed, shown("a 0-d array"), func=func)
    kind = arr.dtype.kind
    if kind in "biu":
        return arr.astype(np.float64)
    if kind == "f":
        return arr
    if kind == "c" and allow_complex:
        return arr
    allowed = f"{'real or complex' if allow_complex else 'real'} numbers (float, int or bool dtype)"
    got = shown(f"an array of dtype {arr.dtype}")
    err = SoftmaxLabTypeError(_message(name, allowed, got, func, verb="hold"))
    raise _fill(err, name, allowed, got, func)


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
                f"in the range [{-ndim}, {ndim - 1}] for an array of {ndim} "
                f"dimension{'s' if ndim != 1 else ''}",
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


def check_bool(value: Any, name: str, *, func: str | None = None) -> bool:
    """A real boolean flag (``True``, ``False`` or a NumPy bool), returned as a Python bool.

    Truthy stand-ins are refused: ``'no'`` is truthy and ``1`` is a number, so accepting
    them would silently turn a flag on (``return_sign='no'`` returning the sign).

    Examples
    --------
    >>> check_bool(np.bool_(True), "keepdims", func="logsumexp")
    True
    >>> check_bool("no", "return_sign", func="logsumexp")
    Traceback (most recent call last):
    ...
    softmaxlab._validation.SoftmaxLabTypeError: The 'return_sign' parameter of logsumexp must \
be a bool (True or False). Got 'no' instead.
    """
    if value is True or value is False:  # the common call, checked cheaply
        return value
    if isinstance(value, np.bool_) or (
        isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype == np.bool_
    ):
        return bool(value)
    raise type_error(name, "a bool (True or False)", value, func=func)


def check_bool_mask(
    where: Any, shape: tuple[int, ...], *, func: str | None = None
) -> NDArray[np.bool_]:
    """``where`` as a boolean array broadcast to ``shape``."""
    allowed = "a boolean array with a regular (not ragged) shape"
    mask = regular_array(where, "where", allowed, func=func)
    if mask.dtype != np.bool_:
        raise type_error(
            "where", "a boolean array", shown(f"an array of dtype {mask.dtype}"), func=func
        )
    try:
        return np.broadcast_to(mask, shape)
    except ValueError:
        raise param_error(
            "where",
            f"broadcastable to the shape of x {shape}",
            shown(f"an array of shape {mask.shape}"),
            func=func,
        ) from None


BACKENDS = ("auto", "numpy", "compiled", "numba")
"""The values of every public function's ``backend`` option ('numba' is an alias of
'compiled', the option's name before the compiled core replaced the numba kernels)."""


def target_kind_error(dtype: Any, func: str) -> SoftmaxLabTypeError:
    """The error for a cross-entropy target that is neither integer nor floating."""
    return type_error(
        "target",
        "integer class indices or floating class probabilities",
        shown(f"an array of dtype {dtype}"),
        func=func,
    )


CE_REDUCTIONS = ("mean", "sum", "none")
"""The values of the cross-entropy functions' ``reduction`` option."""


def check_backend(backend: Any, func: str) -> str:
    """The ``backend`` option: one of :data:`BACKENDS` (None means ``'auto'``)."""
    if backend is None:
        return "auto"
    if not isinstance(backend, str) or backend not in BACKENDS:
        raise param_error(
            "backend", "one of 'auto', 'numpy', 'compiled', 'numba'", backend, func=func
        )
    return backend


PRECISIONS = ("exact", "fast")


def check_precision(precision: Any, func: str) -> bool:
    """The ``precision`` option of softmax / log_softmax: True for ``'fast'``."""
    if not isinstance(precision, str) or precision not in PRECISIONS:
        raise param_error("precision", "one of 'exact', 'fast'", precision, func=func)
    return precision == "fast"


def check_cross_entropy_options(
    axis: Any, ndim: int, reduction: Any, label_smoothing: Any, ignore_index: Any, func: str
) -> tuple[int, float]:
    """The class axis (non-negative) and the smoothing, after checking every scalar option
    of a cross-entropy function (the same checks on every path)."""
    if isinstance(axis, tuple | list) or axis is None:
        raise param_error("axis", "a single int", axis, func=func)
    ax = normalize_axes(axis, ndim, func=func)[0]
    if not isinstance(reduction, str) or reduction not in CE_REDUCTIONS:
        raise param_error("reduction", "one of 'mean', 'sum', 'none'", reduction, func=func)
    ls = check_probability(label_smoothing, "label_smoothing", func=func)
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, numbers.Integral):
        raise param_error("ignore_index", "an int", ignore_index, func=func)
    return ax, ls


def check_rng(rng: Any, *, func: str) -> np.random.Generator:
    """A NumPy Generator from ``rng`` (a Generator, a non-negative int seed or None)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and int(rng) >= 0:
        return np.random.default_rng(int(rng))
    raise param_error(
        "rng", "a numpy.random.Generator, a non-negative int seed or None", rng, func=func
    )


def check_int(
    value: Any,
    name: str,
    *,
    low: int,
    func: str,
    none_ok: bool = False,
    high: int | None = None,
) -> int | None:
    """An int in ``[low, high]`` (None allowed when ``none_ok``), returned as a Python int."""
    if value is None and none_ok:
        return None
    allowed = f"an int >= {low}" if high is None else f"an int from {low} to {high}"
    allowed += " or None" if none_ok else ""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or int(value) < low
        or (high is not None and int(value) > high)
    ):
        raise param_error(name, allowed, value, func=func)
    return int(value)


def check_single_axis(axis: Any, ndim: int, *, func: str) -> int:
    """One axis of an array with ``ndim`` dimensions, as a non-negative int."""
    if isinstance(axis, tuple | list) or axis is None:
        raise param_error("axis", "a single int", axis, func=func)
    return normalize_axes(axis, ndim, func=func)[0]
