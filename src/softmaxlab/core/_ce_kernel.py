"""Cross-entropy on the compiled core: the reduction of the kernels' per-row parts (the
semantics of :func:`softmaxlab.cross_entropy` for every kernel call) and the small-call fast
path. The NumPy reference path is in :mod:`._loss`."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import _simd, kernels
from . import _dispatch


def _div(a: float, b: float) -> float:
    """a / b with IEEE semantics (0/0 is NaN, x/0 is ±inf) on Python floats."""
    if b != 0.0:
        return a / b
    if a == 0.0 or a != a:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _reduced(nll: float, smooth: float, denom: float, ls: float, n_classes: int, red: str) -> float:
    """The 'mean' or 'sum' loss from the sums of the kernels' per-row parts, as PyTorch: the
    two loss parts are reduced on their own, and for 'mean' each is divided by the sum of
    target weights ``denom`` (0/0 is NaN)."""
    if red == "sum":
        denom = 1.0
    total = (1.0 - ls) * _div(nll, denom)
    if ls > 0.0:
        total = total + ls / n_classes * _div(smooth, denom)
    return total


def _reduce(parts: NDArray[np.float64], totals: Any, ls: float, n_classes: int, red: str) -> Any:
    """The loss from the kernels' per-row parts (weighted nll, smoothing term, target weight)
    and their sums (see :func:`_reduced`); 'none' gives the per-row losses."""
    if red == "none":
        per = parts[0] * (1.0 - ls)
        return per + parts[1] * (ls / n_classes) if ls > 0.0 else per
    nll, smooth, denom = totals
    return _reduced(nll, smooth, denom, ls, n_classes, red)


def _kernel_ce(
    logits: NDArray[Any],
    target: NDArray[np.int64],
    weight: NDArray[Any] | None,
    ignore: int,
    ls: float,
    reduction: str,
    want_grad: bool,
    one_call: bool = False,
) -> tuple[Any, NDArray[Any] | None]:
    """(loss as float or float64 array, gradient rows or None) on the compiled core.

    ``one_call``: one C call on this thread (two for the 'mean' gradient) instead of the
    threaded drivers of :mod:`softmaxlab.kernels`, for small inputs without ``weight``.
    """
    nrows, n_classes = logits.shape
    core: Any = _simd.core  # loaded: the dispatch chose the compiled core
    g = np.empty_like(logits) if want_grad else None
    scale = 1.0
    if want_grad and reduction == "mean":
        denom_of = core.ce_denom if one_call else kernels.ce_denom
        scale = _div(1.0, denom_of(target, weight, n_classes, ignore))
    if one_call:
        parts = np.empty((3, nrows)) if reduction == "none" else None
        totals = core.cross_entropy(
            logits, target, None, g, parts, 0, nrows, ignore, ls, scale, float(n_classes), 1
        )
    else:
        parts, totals = kernels.cross_entropy_parts(
            logits,
            target,
            weight=weight,
            ignore_index=ignore,
            label_smoothing=ls,
            grad=g,
            scale=scale,
        )
    return _reduce(parts, totals, ls, n_classes, reduction), g  # type: ignore[arg-type]


_REDUCTIONS = ("mean", "sum", "none")
_NUMBERS = (float, int)
_INT64 = np.dtype(np.int64)
_I64_LIMIT = 2**63
_BACKENDS = _dispatch._CORE_BACKENDS  # the backend values of the compiled core


def _fast_ce(logits: Any, target: Any, options: tuple[Any, ...], want_grad: bool) -> Any:
    """(loss, gradient or None) of the common kernel call, with no more checks than it needs:
    C-contiguous float32/float64 ndarray logits along the last axis, int64 ndarray class
    indices, no weight, on the compiled core, which itself checks the rest ((N, C) logits,
    C-contiguous (N,) targets, indices in range). None for anything else (the core's
    refusal included), which then takes the general path with its full validation; the
    results are the same either way. Keeps the (1, 10) call near a few microseconds.

    ``options``: (axis, weight, ignore_index, label_smoothing, reduction, backend) as given.
    """
    axis, weight, ignore_index, label_smoothing, reduction, backend = options
    core = _simd.core
    if core is not None and weight is None:
        # The smallest common calls, whole in C (its checks are the ones below).
        res = core.ce_call(
            logits,
            target,
            axis,
            ignore_index,
            label_smoothing,
            reduction,
            backend,
            want_grad,
            _dispatch.SMALL_BYTES,
        )
        if res is not None:
            nll, smooth, denom, g = res
            ls = float(label_smoothing)
            loss = _reduced(nll, smooth, denom, ls, logits.shape[1], reduction)
            return logits.dtype.type(loss), g
    if (
        core is None
        or weight is not None
        or type(logits) is not np.ndarray
        or type(target) is not np.ndarray
        or type(axis) is not int
        or (axis != -1 and axis != 1)
        or type(ignore_index) is not int
        or not -_I64_LIMIT <= ignore_index < _I64_LIMIT
        or type(label_smoothing) not in _NUMBERS
        or not 0.0 <= label_smoothing <= 1.0
        or type(reduction) is not str
        or reduction not in _REDUCTIONS
        or (backend is not None and (type(backend) is not str or backend not in _BACKENDS))
        or logits.size == 0
        or logits.dtype.char not in "fd"
        or target.dtype is not _INT64
        or not logits.flags.c_contiguous
    ):
        return None
    ls = float(label_smoothing)
    try:
        if logits.ndim != 2:  # (N, C) logits only
            return None
        small = logits.nbytes < _dispatch.SMALL_BYTES  # else the threaded drivers
        if not small and target.ndim != 1:
            return None
        loss, g = _kernel_ce(logits, target, None, ignore_index, ls, reduction, want_grad, small)
    except (ValueError, TypeError, OverflowError):  # refused by the core: the general path
        return None
    dt = logits.dtype.type
    return (dt(loss) if reduction != "none" else loss.astype(dt)), g
