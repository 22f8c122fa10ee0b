"""Cross-entropy on logits and its gradient, with the options of PyTorch's ``cross_entropy``."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_probability, normalize_axes, param_error
from ._softmax import log_softmax

__all__ = ["cross_entropy", "cross_entropy_grad"]

Reduction = Literal["mean", "sum", "none"]
_REDUCTIONS = ("mean", "sum", "none")


@dataclass
class _Problem:
    """Validated inputs with the class axis moved last and flattened to (N, C) rows."""

    logits: NDArray[Any]  # (N, C), working precision
    out_dtype: np.dtype[Any]
    axis: int
    shape: tuple[int, ...]  # logits shape with the class axis last
    index: NDArray[np.intp] | None  # (N,) class indices (index targets)
    valid: NDArray[np.bool_] | None  # (N,) not ignored (index targets)
    probs: NDArray[Any] | None  # (N, C) smoothed target distribution (probability targets)
    weight: NDArray[Any] | None  # (C,)
    smoothing: float
    reduction: str


def _prepare(
    logits: ArrayLike,
    target: ArrayLike,
    axis: int,
    weight: ArrayLike | None,
    ignore_index: int,
    label_smoothing: float,
    reduction: str,
    func: str,
) -> _Problem:
    z = as_float_array(logits, "logits", func=func)
    if z.ndim == 0:
        raise ValueError(
            f"The 'logits' parameter of {func} must have a class axis (at least 1-D). "
            "Got a 0-d array instead."
        )
    if isinstance(axis, tuple | list) or axis is None:
        raise param_error("axis", "a single int", axis, func=func)
    ax = normalize_axes(axis, z.ndim, func=func)[0]
    if reduction not in _REDUCTIONS:
        raise param_error("reduction", "one of 'mean', 'sum', 'none'", reduction, func=func)
    ls = check_probability(label_smoothing, "label_smoothing", func=func)
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, numbers.Integral):
        raise param_error("ignore_index", "an int", ignore_index, func=func)

    zl = np.moveaxis(z, ax, -1)
    n_classes = zl.shape[-1]
    wdt = np.float64 if z.dtype.itemsize <= 8 else z.dtype
    rows = zl.reshape(-1, n_classes).astype(wdt) if n_classes else zl.reshape(-1, 0)

    w = None
    if weight is not None:
        w = as_float_array(weight, "weight", func=func).astype(wdt)
        if w.shape != (n_classes,):
            raise ValueError(
                f"The 'weight' parameter of {func} must be a 1-D array with one weight per "
                f"class ({n_classes}). Got shape {w.shape} instead."
            )

    t = np.asarray(target)
    index = valid = probs = None
    if t.dtype.kind in "iu":
        if t.shape != zl.shape[:-1]:
            raise ValueError(
                f"The 'target' parameter of {func} holds class indices, so its shape must be "
                f"the logits shape {z.shape} without the class axis {ax}, i.e. "
                f"{zl.shape[:-1]}. Got shape {t.shape} instead."
            )
        flat = t.reshape(-1).astype(np.int64)
        valid = flat != ignore_index
        out_of_range = valid & ((flat < 0) | (flat >= n_classes))
        if out_of_range.any():
            bad = int(flat[out_of_range][0])
            raise ValueError(
                f"The 'target' parameter of {func} must hold class indices in "
                f"[0, {n_classes - 1}] or ignore_index={ignore_index}. Got {bad} instead."
            )
        index = np.where(valid, flat, 0).astype(np.intp)
    elif t.dtype.kind == "f":
        if t.shape != z.shape:
            raise ValueError(
                f"The 'target' parameter of {func} holds class probabilities, so its shape "
                f"must equal the logits shape {z.shape}. Got shape {t.shape} instead."
            )
        probs = np.moveaxis(t, ax, -1).reshape(-1, n_classes).astype(wdt)
        if ls > 0:
            probs = probs * (1.0 - ls) + ls / n_classes
    else:
        raise TypeError(
            f"The 'target' parameter of {func} must hold integer class indices or floating "
            f"class probabilities. Got an array of dtype {t.dtype} instead."
        )
    return _Problem(
        logits=rows,
        out_dtype=z.dtype,
        axis=ax,
        shape=zl.shape,
        index=index,
        valid=valid,
        probs=probs,
        weight=w,
        smoothing=ls,
        reduction=reduction,
    )


def _finish(values: NDArray[Any], prob: _Problem, per_sample_shape: tuple[int, ...]) -> Any:
    out = values.astype(prob.out_dtype)
    if prob.reduction == "none":
        return out.reshape(per_sample_shape)
    return out[()]


def cross_entropy(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    axis: int = -1,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: Reduction = "mean",
) -> Any:
    r"""Cross-entropy between a target and the softmax of logits, computed from the logits.

    With class-index targets :math:`y_i`, class weights :math:`w` and label smoothing
    :math:`\varepsilon` over :math:`C` classes (``log_softmax`` written :math:`\ell`):

    .. math::

        L_i = (1-\varepsilon)\, w_{y_i} (-\ell_{i, y_i})
              + \frac{\varepsilon}{C} \sum_c w_c (-\ell_{i,c}), \qquad
        L_{\text{mean}} = \frac{\sum_{i \text{ kept}} L_i}{\sum_{i \text{ kept}} w_{y_i}}

    With probability targets :math:`q` (smoothed to :math:`(1-\varepsilon) q + \varepsilon/C`):
    :math:`L_i = -\sum_c w_c q_{i,c} \ell_{i,c}`, and ``'mean'`` divides by the number of
    samples :math:`N`.

    Every option means exactly what it means in ``torch.nn.functional.cross_entropy``; the
    class axis is ``axis`` (PyTorch's is 1).

    Parameters
    ----------
    logits : array_like
        Unnormalised scores, shape ``(..., C, ...)`` with the classes along ``axis``.
    target : array_like
        Integer class indices with the logits shape minus the class axis, or floating class
        probabilities with the logits shape.
    axis : int, default -1
        The class axis of ``logits``.
    weight : array_like, optional
        One weight per class, shape ``(C,)``.
    ignore_index : int, default -100
        Index targets equal to this contribute nothing, neither to the loss nor to the
        ``'mean'`` denominator.
    label_smoothing : float, default 0.0
        In [0, 1]; mixes the target with the uniform distribution.
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        ``'none'`` returns one loss per sample (ignored samples give 0).

    Returns
    -------
    ndarray or scalar
        In the dtype of ``logits``.

    Raises
    ------
    ValueError
        Shape mismatches (naming both shapes and the axis), class indices out of range,
        ``label_smoothing`` outside [0, 1], unknown ``reduction``, wrong ``weight`` shape.
    TypeError
        A target that is neither integer nor floating.

    Notes
    -----
    ``'mean'`` over no kept sample (all ignored, or empty input) is NaN, as in PyTorch. The
    loss is formed from :func:`log_softmax`, so large logits never overflow, and it is
    accumulated in float64 for float16/float32 logits. A logit of -inf with a zero target
    weight gives NaN (``0 · -inf``), as in PyTorch.

    Examples
    --------
    >>> from softmaxlab import cross_entropy
    >>> logits = [[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]
    >>> round(float(cross_entropy(logits, [0, 2])), 6)
    0.175456
    >>> cross_entropy(logits, [0, 2], reduction="none").round(4)
    array([0.2413, 0.1096])
    >>> round(float(cross_entropy(logits, [0, -100])), 4)  # the second sample is ignored
    0.2413
    """
    prob = _prepare(
        logits, target, axis, weight, ignore_index, label_smoothing, reduction, "cross_entropy"
    )
    n_classes = prob.shape[-1]
    ls = prob.smoothing
    with np.errstate(invalid="ignore", divide="ignore"):
        logp = log_softmax(prob.logits, axis=-1) if n_classes else prob.logits
        if prob.index is not None:
            assert prob.valid is not None
            r = np.arange(logp.shape[0])
            w_y = prob.weight[prob.index] if prob.weight is not None else np.ones(len(r))
            w_y = np.where(prob.valid, w_y, 0.0)
            picked = logp[r, prob.index] if n_classes else np.zeros(len(r))
            nll = np.where(prob.valid, -w_y * picked, 0.0)
            per = nll * (1.0 - ls)
            smooth = None
            if ls > 0:
                wl = logp * prob.weight if prob.weight is not None else logp
                smooth = np.where(prob.valid, -wl.sum(axis=1), 0.0)
                per = per + smooth * (ls / n_classes)
            denom = w_y.sum()
        else:
            assert prob.probs is not None
            wq = prob.probs * prob.weight if prob.weight is not None else prob.probs
            per = -(logp * wq).sum(axis=1)
            denom = np.float64(logp.shape[0]) if logp.size else np.float64(np.nan)
        if prob.reduction == "mean" and prob.index is not None:
            # As PyTorch, each part is divided by the weight sum on its own: a zero sum gives
            # NaN (0/0) for the loss even when smoothing adds a positive term.
            mean = (1.0 - ls) * (nll.sum() / denom)
            if smooth is not None:
                mean = mean + (ls / n_classes) * (smooth.sum() / denom)
            values = np.asarray(mean)
        elif prob.reduction == "mean":
            values = np.asarray(per.sum() / denom)
        elif prob.reduction == "sum":
            values = np.asarray(per.sum())
        else:
            values = per
    return _finish(values, prob, prob.shape[:-1])


def cross_entropy_grad(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    axis: int = -1,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: Reduction = "mean",
) -> NDArray[Any]:
    r"""Gradient of :func:`cross_entropy` with respect to the logits.

    For one sample, with ``p = softmax(logits)`` and the (smoothed, weighted) target
    :math:`u_c` (:math:`u = (1-\varepsilon) w_y e_y + \tfrac{\varepsilon}{C} w` for index
    targets, :math:`u = w \odot q` for probability targets):

    .. math:: \frac{\partial L_i}{\partial z_{i}} = \Bigl(\sum_c u_c\Bigr)\, p_i - u

    which without weights or smoothing is the familiar ``p - onehot(y)``. ``'mean'`` divides
    by the same denominator as the loss; ``'none'`` gives the gradient of the sum of the
    per-sample losses (each row is that sample's own gradient).

    Parameters
    ----------
    logits, target, axis, weight, ignore_index, label_smoothing, reduction
        As in :func:`cross_entropy`.

    Returns
    -------
    ndarray
        Same shape and dtype as ``logits``. Ignored samples get zero rows.

    Examples
    --------
    >>> from softmaxlab import cross_entropy_grad, softmax
    >>> cross_entropy_grad([[2.0, 1.0, 0.1]], [0], reduction="sum").round(4)
    array([[-0.341 ,  0.2424,  0.0986]])
    >>> (softmax([2.0, 1.0, 0.1]) - [1, 0, 0]).round(4)
    array([-0.341 ,  0.2424,  0.0986])
    """
    prob = _prepare(
        logits, target, axis, weight, ignore_index, label_smoothing, reduction, "cross_entropy_grad"
    )
    n_classes = prob.shape[-1]
    ls = prob.smoothing
    with np.errstate(invalid="ignore", divide="ignore"):
        logp = log_softmax(prob.logits, axis=-1) if n_classes else prob.logits
        p = np.exp(logp)
        if prob.index is not None:
            assert prob.valid is not None
            r = np.arange(p.shape[0])
            w_y = prob.weight[prob.index] if prob.weight is not None else np.ones(len(r))
            w_y = np.where(prob.valid, w_y, 0.0)
            u = np.zeros_like(p)
            if n_classes:
                u[r, prob.index] = w_y
            grad = (1.0 - ls) * (w_y[:, None] * p - u)
            if ls > 0:
                wvec = prob.weight if prob.weight is not None else np.ones(n_classes)
                g_smooth = wvec.sum() * p - wvec
            denom = w_y.sum()
            if prob.reduction == "mean":
                # Divided part by part as the loss (so 0/0 gives NaN rows where PyTorch has
                # them); ignored rows get exactly 0, also when every row is ignored.
                grad = grad / denom
                if ls > 0:
                    grad = grad + (ls / n_classes) * (g_smooth / denom)
            elif ls > 0:
                grad = grad + (ls / n_classes) * g_smooth
            grad[~prob.valid] = 0.0
        else:
            assert prob.probs is not None
            u = prob.probs * prob.weight if prob.weight is not None else prob.probs
            grad = u.sum(axis=1, keepdims=True) * p - u
            denom = np.float64(p.shape[0]) if p.size else np.float64(np.nan)
            if prob.reduction == "mean":
                grad = grad / denom
    out = grad.astype(prob.out_dtype).reshape(prob.shape)
    return np.moveaxis(out, -1, prob.axis)
