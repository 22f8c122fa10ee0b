"""Cross-entropy on logits and its gradient, with the options of PyTorch's ``cross_entropy``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import (
    as_float_array,
    check_cross_entropy_options,
    param_error,
    shown,
    target_kind_error,
    type_error,
)
from . import _dispatch
from ._ce_kernel import _fast_ce, _kernel_ce
from ._softmax import log_softmax

__all__ = ["cross_entropy", "cross_entropy_and_grad", "cross_entropy_grad"]

Reduction = Literal["mean", "sum", "none"]


@dataclass
class _Problem:
    """Validated inputs with the class axis moved last and flattened to (N, C) rows."""

    logits: NDArray[Any]  # (N, C): working precision, or C-contiguous kernel rows (kernel)
    out_dtype: np.dtype[Any]
    axis: int
    shape: tuple[int, ...]  # logits shape with the class axis last
    index: NDArray[np.intp] | None  # (N,) class indices (index targets, NumPy path)
    valid: NDArray[np.bool_] | None  # (N,) not ignored (index targets)
    probs: NDArray[Any] | None  # (N, C) smoothed target distribution (probability targets)
    weight: NDArray[Any] | None  # (C,)
    smoothing: float
    reduction: str
    kernel: bool = False  # the rows go to the fused kernels of the compiled core
    kernel_target: NDArray[np.int64] | None = None  # (N,) indices, -1 where ignored (kernel)


def _read_target(target: ArrayLike, func: str) -> NDArray[Any]:
    try:
        return np.asarray(target)
    except (ValueError, TypeError):
        # A ragged list: NumPy's "inhomogeneous shape" names its internals, so say it plainly.
        raise type_error(
            "target",
            "integer class indices or floating class probabilities with a regular (not "
            "ragged) shape",
            target,
            func=func,
        ) from None


def _index_target(
    t: NDArray[Any],
    shape: tuple[int, ...],
    z_shape: tuple[int, ...],
    ax: int,
    ignore: int,
    func: str,
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Class-index targets, checked against the logits (``shape`` has the class axis last):
    the flat int64 indices and where they are kept (not ``ignore``)."""
    n_classes = shape[-1]
    if t.shape != shape[:-1]:
        raise param_error(
            "target",
            f"class indices of shape {shape[:-1]} (the logits shape {z_shape} without "
            f"the class axis {ax})",
            shown(f"an array of shape {t.shape}"),
            func=func,
        )
    if n_classes:
        allowed = f"class indices in [0, {n_classes - 1}] or ignore_index={ignore}"
    else:  # no class index exists (PyTorch raises too): only fully ignored targets are valid
        allowed = (
            f"ignore_index={ignore} everywhere (the class axis {ax} of logits of shape "
            f"{z_shape} is empty, so no class index exists)"
        )
    if t.dtype.kind == "u" and t.size and t.max() > np.iinfo(np.int64).max:
        # Seen as int64 these would wrap to negative indices (even to ignore_index).
        raise param_error("target", allowed, int(t.max()), func=func)
    flat = t.reshape(-1).astype(np.int64, copy=False)
    valid = flat != ignore
    # Seen as unsigned, negative indices are huge: one comparison checks both ends.
    out_of_range = valid & (flat.view(np.uint64) >= n_classes)
    if out_of_range.any():
        raise param_error("target", allowed, int(flat[out_of_range][0]), func=func)
    return flat, valid


def _prob_target(
    t: NDArray[Any], z: NDArray[Any], ax: int, ls: float, wdt: Any, backend: Any, func: str
) -> NDArray[Any]:
    """Probability targets as smoothed (N, C) rows in the working precision."""
    if backend in ("compiled", "numba"):
        raise param_error(
            "backend",
            "'auto' or 'numpy' when the target holds class probabilities ('compiled' and "
            "'numba' only with integer class indices)",
            backend,
            func=func,
        )
    if t.shape != z.shape:
        raise param_error(
            "target",
            f"class probabilities of the logits shape {z.shape}",
            shown(f"an array of shape {t.shape}"),
            func=func,
        )
    moved = np.moveaxis(t, ax, -1)
    n_classes = moved.shape[-1]
    # Explicit row count: reshape(-1, 0) cannot infer the rows of an array with no class.
    probs = moved.reshape(math.prod(moved.shape[:-1]), n_classes).astype(wdt)
    if ls > 0:
        probs = probs * (1.0 - ls) + _share(ls, n_classes)
    return probs


def _prepare(
    logits: ArrayLike,
    target: ArrayLike,
    axis: int,
    weight: ArrayLike | None,
    ignore_index: int,
    label_smoothing: float,
    reduction: str,
    backend: str | None,
    func: str,
) -> _Problem:
    z = as_float_array(logits, "logits", func=func)
    if z.ndim == 0:
        raise param_error(
            "logits", "an array with a class axis (at least 1-D)", shown("a 0-d array"), func=func
        )
    ax, ls = check_cross_entropy_options(
        axis, z.ndim, reduction, label_smoothing, ignore_index, func
    )
    be = _dispatch.check_backend(backend, func)

    zl = np.moveaxis(z, ax, -1)
    n_classes = zl.shape[-1]
    # Explicit row counts: reshape(-1, 0) cannot infer the rows of an array with no class.
    n_rows = math.prod(zl.shape[:-1])
    wdt = np.float64 if z.dtype.itemsize <= 8 else z.dtype

    w = None
    if weight is not None:
        w = as_float_array(weight, "weight", func=func).astype(wdt)
        if w.shape != (n_classes,):
            raise param_error(
                "weight",
                f"a 1-D array with one weight per class ({n_classes})",
                shown(f"an array of shape {w.shape}"),
                func=func,
            )

    t = _read_target(target, func)
    index = valid = probs = kernel_target = None
    if t.dtype.kind in "iu":
        flat, valid = _index_target(t, zl.shape, z.shape, ax, ignore_index, func)
    elif t.dtype.kind == "f":
        probs = _prob_target(t, z, ax, ls, wdt, be, func)
    else:
        raise target_kind_error(t.dtype, func)
    kernel = (
        valid is not None
        and _dispatch.use_core(be, z.dtype, z.size, func)
        and z.size > 0  # empty inputs have nothing to compute
    )
    if valid is not None:
        if kernel:
            # Targets are checked above: the kernels do not check them. Ignored samples are
            # marked -1 for them, which no kept index equals (whatever ignore_index is, even
            # one beyond the int64 range).
            kernel_target = np.where(valid, flat, -1)
        else:
            index = np.where(valid, flat, 0).astype(np.intp, copy=False)
    if kernel:
        rows = _dispatch.kernel_rows(zl.reshape(n_rows, n_classes))
    else:
        rows = zl.reshape(n_rows, n_classes).astype(wdt)
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
        kernel=kernel,
        kernel_target=kernel_target,
    )


def _finish(values: NDArray[Any], prob: _Problem, per_sample_shape: tuple[int, ...]) -> Any:
    out = values.astype(prob.out_dtype)
    if prob.reduction == "none":
        return out.reshape(per_sample_shape)
    return out[()]


def _options(
    axis: int,
    weight: ArrayLike | None,
    ignore_index: int,
    label_smoothing: float,
    reduction: str,
    backend: str | None,
) -> dict[str, Any]:
    """The options shared by the three public functions, as keyword arguments."""
    return {
        "axis": axis,
        "weight": weight,
        "ignore_index": ignore_index,
        "label_smoothing": label_smoothing,
        "reduction": reduction,
        "backend": backend,
    }


def _is_foreign(logits: Any) -> bool:
    """True for PyTorch, JAX, CuPy or Dask logits (computed by :mod:`softmaxlab.interop`)."""
    if isinstance(logits, np.ndarray):
        return False
    from .. import interop

    return interop.is_foreign(logits)


def _grad_out(rows: NDArray[Any], prob: _Problem) -> NDArray[Any]:
    """(N, C) gradient rows back to the logits' dtype, shape and class axis."""
    out = rows.astype(prob.out_dtype, copy=False).reshape(prob.shape)
    return np.moveaxis(out, -1, prob.axis)


def _log_probs(prob: _Problem) -> NDArray[Any]:
    """log_softmax of the NumPy-path rows (in the working precision)."""
    if not prob.shape[-1]:
        return prob.logits
    with np.errstate(invalid="ignore", divide="ignore"):
        return log_softmax(prob.logits, axis=-1)


def _share(smoothing: float, n_classes: int) -> np.float64:
    """``smoothing / C`` as a NumPy float: with no class it is inf (0/0 NaN follows, as torch)."""
    with np.errstate(divide="ignore"):
        return np.float64(smoothing) / np.float64(n_classes)


def _target_weights(prob: _Problem) -> NDArray[Any]:
    """(N,) weight of each sample's target class, 0 for ignored samples."""
    assert prob.index is not None and prob.valid is not None
    n = prob.index.shape[0]
    if prob.weight is None or not prob.shape[-1]:  # no class: every sample is ignored
        w_y = np.ones(n)
    else:
        w_y = prob.weight[prob.index]
    return np.where(prob.valid, w_y, 0.0)


def _numpy_loss(prob: _Problem, logp: NDArray[Any]) -> Any:
    """The loss on the NumPy path, from the log-probabilities of the rows."""
    n_classes = prob.shape[-1]
    ls = prob.smoothing
    with np.errstate(invalid="ignore", divide="ignore"):
        if prob.index is not None:
            assert prob.valid is not None
            r = np.arange(logp.shape[0])
            w_y = _target_weights(prob)
            picked = logp[r, prob.index] if n_classes else np.zeros(len(r))
            nll = np.where(prob.valid, -w_y * picked, 0.0)
            per = nll * (1.0 - ls)
            smooth = None
            if ls > 0:
                wl = logp * prob.weight if prob.weight is not None else logp
                smooth = np.where(prob.valid, -wl.sum(axis=1), 0.0)
                per = per + smooth * _share(ls, n_classes)
            denom = w_y.sum()
        else:
            assert prob.probs is not None
            wq = prob.probs * prob.weight if prob.weight is not None else prob.probs
            per = -(logp * wq).sum(axis=1)
            denom = np.float64(logp.shape[0]) if logp.size else np.float64(np.nan)
        if prob.reduction != "none" and prob.index is not None:
            # As PyTorch, the two parts are reduced on their own, and for 'mean' each divided
            # by the weight sum: a zero sum gives NaN (0/0) for the loss even when smoothing
            # adds a positive term, and with no class the smoothing share is 0 · inf = NaN.
            d = denom if prob.reduction == "mean" else 1.0
            total = (1.0 - ls) * (nll.sum() / d)
            if smooth is not None:
                total = total + _share(ls, n_classes) * (smooth.sum() / d)
            values = np.asarray(total)
        elif prob.reduction == "mean":
            values = np.asarray(per.sum() / denom)
        elif prob.reduction == "sum":
            # PyTorch negates the sum of the products: an empty sum is -0, as it returns.
            values = -np.asarray((-per).sum())
        else:
            values = per
    return _finish(values, prob, prob.shape[:-1])


def _numpy_grad(prob: _Problem, logp: NDArray[Any]) -> NDArray[Any]:
    """The gradient on the NumPy path, from the log-probabilities of the rows."""
    n_classes = prob.shape[-1]
    ls = prob.smoothing
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.exp(logp)
        if prob.index is not None:
            assert prob.valid is not None
            r = np.arange(p.shape[0])
            w_y = _target_weights(prob)
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
                    grad = grad + _share(ls, n_classes) * (g_smooth / denom)
            elif ls > 0:
                grad = grad + _share(ls, n_classes) * g_smooth
            grad[~prob.valid] = 0.0
        else:
            assert prob.probs is not None
            u = prob.probs * prob.weight if prob.weight is not None else prob.probs
            grad = u.sum(axis=1, keepdims=True) * p - u
            denom = np.float64(p.shape[0]) if p.size else np.float64(np.nan)
            if prob.reduction == "mean":
                grad = grad / denom
    return _grad_out(grad, prob)


def _compute(
    logits: Any, target: Any, options: tuple[Any, ...], func: str, want_loss: bool, want_grad: bool
) -> tuple[Any, Any]:
    """(loss or None, gradient or None) of the three public functions, on one path;
    ``options``: (axis, weight, ignore_index, label_smoothing, reduction, backend)."""
    fast = _fast_ce(logits, target, options, want_grad)
    if fast is not None:
        return fast
    opts = _options(*options)
    if _is_foreign(logits):
        from .. import interop

        return (
            interop.cross_entropy(logits, target, **opts) if want_loss else None,
            interop.cross_entropy_grad(logits, target, **opts) if want_grad else None,
        )
    prob = _prepare(logits, target, **opts, func=func)
    if prob.kernel:
        assert prob.kernel_target is not None
        loss, g = _kernel_ce(
            prob.logits,
            prob.kernel_target,
            prob.weight,
            -1,
            prob.smoothing,
            prob.reduction,
            want_grad,
        )
        return (
            _finish(np.asarray(loss), prob, prob.shape[:-1]) if want_loss else None,
            _grad_out(g, prob) if g is not None else None,
        )
    logp = _log_probs(prob)
    return (
        _numpy_loss(prob, logp) if want_loss else None,
        _numpy_grad(prob, logp) if want_grad else None,
    )


def cross_entropy(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    axis: int = -1,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: Reduction = "mean",
    backend: str | None = None,
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
        PyTorch, JAX and CuPy logits are computed in their own library and returned as the
        same type (not Dask).
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
    backend : {'auto', 'numpy', 'compiled', 'numba'} or None, default None (= 'auto')
        ``'auto'`` uses the fused kernels of the compiled core (:mod:`softmaxlab.kernels`;
        no probability is written) for class-index targets and float16/32/64 logits of any
        size when the core is loaded, and the pure-NumPy reference path otherwise;
        ``'numpy'`` always takes the reference path; ``'compiled'`` (alias ``'numba'``)
        always takes the kernels (an error with probability targets, or if the core is not
        loaded). Both paths have the same semantics and special values.

    Returns
    -------
    ndarray or scalar
        In the dtype of ``logits``.

    Raises
    ------
    ValueError
        Shape mismatches (naming both shapes and the axis), class indices out of range,
        ``label_smoothing`` outside [0, 1], unknown ``reduction``, wrong ``weight`` shape,
        unknown ``backend`` or ``backend='compiled'`` where the kernels cannot be used.
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
    opts = (axis, weight, ignore_index, label_smoothing, reduction, backend)
    return _compute(logits, target, opts, "cross_entropy", True, False)[0]


def cross_entropy_grad(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    axis: int = -1,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: Reduction = "mean",
    backend: str | None = None,
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
    logits, target, axis, weight, ignore_index, label_smoothing, reduction, backend
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
    opts = (axis, weight, ignore_index, label_smoothing, reduction, backend)
    grad: NDArray[Any] = _compute(logits, target, opts, "cross_entropy_grad", False, True)[1]
    return grad


def cross_entropy_and_grad(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    axis: int = -1,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: Reduction = "mean",
    backend: str | None = None,
) -> tuple[Any, Any]:
    r"""The loss and its gradient together: ``(cross_entropy(...), cross_entropy_grad(...))``.

    What a training step needs. On the compiled core (see ``backend`` in
    :func:`cross_entropy`) both come from one fused pass over the logits that never writes the
    probabilities; elsewhere the two functions are called in turn. The values are those of
    :func:`cross_entropy` and :func:`cross_entropy_grad` (the same order as scikit-learn's
    ``loss_gradient`` and JAX's ``value_and_grad``).

    Parameters
    ----------
    logits, target, axis, weight, ignore_index, label_smoothing, reduction, backend
        As in :func:`cross_entropy`.

    Returns
    -------
    loss : scalar or ndarray
        As :func:`cross_entropy`.
    grad : ndarray
        As :func:`cross_entropy_grad`: the shape and dtype of ``logits``.

    Examples
    --------
    >>> from softmaxlab import cross_entropy_and_grad
    >>> loss, grad = cross_entropy_and_grad([[2.0, 1.0, 0.1]], [0])
    >>> round(float(loss), 4)
    0.417
    >>> grad.round(4)
    array([[-0.341 ,  0.2424,  0.0986]])
    """
    opts = (axis, weight, ignore_index, label_smoothing, reduction, backend)
    return _compute(logits, target, opts, "cross_entropy_and_grad", True, True)
