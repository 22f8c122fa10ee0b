"""Argument checks shared by the sampling functions."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .._validation import normalize_axes, param_error

__all__ = ["check_int", "check_rng", "check_single_axis"]


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


def check_int(value: Any, name: str, *, low: int, func: str, none_ok: bool = False) -> int | None:
    """An int >= ``low`` (None allowed when ``none_ok``), returned as a Python int."""
    if value is None and none_ok:
        return None
    allowed = f"an int >= {low}" + (" or None" if none_ok else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < low:
        raise param_error(name, allowed, value, func=func)
    return int(value)


def check_single_axis(axis: Any, ndim: int, *, func: str) -> int:
    """One axis of an array with ``ndim`` dimensions, as a non-negative int."""
    if isinstance(axis, tuple | list) or axis is None:
        raise param_error("axis", "a single int", axis, func=func)
    return normalize_axes(axis, ndim, func=func)[0]
