"""softmax, log_softmax and logsumexp written once for any array-API namespace.

The formulas are those of the NumPy reference path in :mod:`softmaxlab.core._softmax`,
expressed with array-API functions only: the slice maximum ``m`` is subtracted first, the
shifted values are exponentiated and summed in float64 when the library offers it (float16
and float32 inputs are widened; the result is rounded back to the input dtype), and the
log-sum is ``log1p`` of the sum of the terms below the maximum, so a dominating term keeps
every bit. Special values follow the NumPy path. Accuracy is that of the library's ``exp``
and ``log1p`` in the working type, without the NumPy path's extended-precision shift.

Every operation is a library operation on the input's device, so PyTorch tensors keep their
autograd graph, JAX code can be traced by ``jit``, and Dask arrays stay lazy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .._validation import (
    check_cross_entropy_options,
    check_positive_finite,
    normalize_axes,
    param_error,
    shown,
    target_kind_error,
    type_error,
)
from . import _dask


def _namespace(x: Any, func: str, name: str = "x") -> tuple[Any, Any]:
    """The array-API namespace and device of ``x``, or a TypeError naming the parameter."""
    try:
        import array_api_compat
    except ImportError:  # pragma: no cover - array-api-compat is a dependency of the extras
        raise type_error(
            name,
            "a NumPy array (other arrays need the array-api-compat package: pip install "
            "array-api-compat)",
            shown(f"a {type(x).__name__}"),
            func=func,
        ) from None
    try:
        xp = array_api_compat.array_namespace(x)
    except TypeError:
        raise type_error(
            name,
            "a NumPy array, an array of an array-API library (PyTorch, JAX, CuPy, Dask) or "
            "array-like",
            shown(f"a {type(x).__name__}"),
            func=func,
        ) from None
    return xp, array_api_compat.device(x)


def _float_dtypes(xp: Any, device: Any) -> dict[str, Any]:
    info = xp.__array_namespace_info__()
    try:
        dtypes: dict[str, Any] = info.dtypes(device=device, kind="real floating")
    except TypeError:  # pragma: no cover - namespaces whose dtypes() takes no device
        dtypes = info.dtypes(kind="real floating")
    return dtypes


def _as_float(xp: Any, x: Any, device: Any, func: str, name: str = "x") -> tuple[Any, Any, Any]:
    """``x`` as a real floating array, with its output dtype and working dtype.

    Floating inputs keep their dtype; integers and booleans become float64 (the default
    floating type where the device has no float64, e.g. JAX without ``jax_enable_x64``).
    Work is done in float64 when the device has it.
    """
    floats = _float_dtypes(xp, device)
    widest = floats.get("float64", floats.get("float32"))
    dt = x.dtype
    if xp.isdtype(dt, "real floating"):
        out_dtype = dt
    elif xp.isdtype(dt, ("integral", "bool")):
        out_dtype = widest
        x = xp.astype(x, out_dtype)
    else:
        raise type_error(
            name,
            "real numbers (float, int or bool dtype)",
            shown(f"an array of dtype {dt}"),
            func=func,
            verb="hold",
        )
    # float16, bfloat16 and float32 work in the widest type; float64 in itself.
    work = widest if widest is not None else out_dtype
    return x, out_dtype, work


def _mask(xp: Any, where: Any, x: Any, device: Any, func: str) -> Any:
    """``where`` as a boolean array of the input's library, broadcast to its shape."""
    if where is None:
        return None
    try:
        mask = xp.asarray(where, device=device)
    except Exception:
        raise type_error(
            "where",
            f"a boolean array that the library of x ({type(x).__module__.partition('.')[0]}) "
            "can read",
            shown(f"a {type(where).__name__}"),
            func=func,
        ) from None
    if mask.dtype != xp.bool:
        raise type_error(
            "where", "a boolean array", shown(f"an array of dtype {mask.dtype}"), func=func
        )
    try:
        return xp.broadcast_to(mask, tuple(x.shape))
    except (ValueError, RuntimeError):
        raise param_error(
            "where",
            f"broadcastable to the shape of x {tuple(x.shape)}",
            shown(f"an array of shape {tuple(mask.shape)}"),
            func=func,
        ) from None


def _prepare(x: Any, axis: Any, where: Any, func: str) -> tuple[Any, Any, Any, Any, Any, Any]:
    xp, device = _namespace(x, func)
    x, out_dtype, work = _as_float(xp, x, device, func)
    axes = normalize_axes(axis, x.ndim, func=func)
    mask = _mask(xp, where, x, device, func)
    return xp, x, out_dtype, work, axes, mask


def _widen(xp: Any, x: Any, work: Any, mask: Any) -> Any:
    xw = xp.astype(x, work)
    if mask is not None:
        # Masked entries become -inf before anything reads them (they may hold NaN or inf).
        xw = xp.where(mask, xw, -math.inf)
    return xw


def _log_sum(xp: Any, d: Any, axes: tuple[int, ...], work: Any) -> Any:
    """``log(sum(exp(d)))`` for shifted slices (maximum 0), as ``log1p`` of the rest.

    Each term equal to the maximum contributes exactly 1; summing the others on their own
    and adding the count of maxima minus one keeps full accuracy when the result is near 0.
    """
    top = d == 0
    rest = xp.sum(xp.where(top, 0.0, xp.exp(d)), axis=axes, keepdims=True)
    count = xp.sum(xp.astype(top, work), axis=axes, keepdims=True)
    return xp.log1p(rest + (count - 1.0))


def _widened_max(xp: Any, x: Any, work: Any, mask: Any, axes: Any) -> tuple[Any, Any, Any, Any]:
    """(x widened to ``work`` with masked entries -inf, its max over ``axes``, where the max is
    finite, the max with 0 elsewhere). A NaN, +inf or all -inf slice has a non-finite maximum
    (the max of every supported library propagates NaN); it is shifted by 0 so that nothing
    overflows, and its result set at the end."""
    xw0 = _widen(xp, x, work, mask)
    m = xp.max(xw0, axis=axes, keepdims=True)
    good = xp.isfinite(m)
    return xw0, m, good, xp.where(good, m, 0.0)


def softmax(
    x: Any, axis: Any, temperature: Any, where: Any, *, log: bool, func: str, dask: bool
) -> Any:
    """softmax (``log=False``) or log_softmax of ``x`` over ``axis`` in the library of ``x``."""
    xp, x, out_dtype, work, axes, mask = _prepare(x, axis, where, func)
    t = check_positive_finite(temperature, "temperature", func=func)
    if math.prod(x.shape) == 0:
        return xp.astype(x, out_dtype, copy=True)
    if dask:
        blocks = _dask.blockwise_softmax(x, axes, t, mask, log=log)
        if blocks is not None:
            return blocks
    xw0, m, good, m0 = _widened_max(xp, x, work, mask, axes)

    def shifted(after: Any) -> Any:
        if dask:
            return _dask.shift(_dask.after(xw0, after), m0, good, t)
        d = xp.where(good, xw0 - m0, 0.0)
        return d / t if t != 1.0 else d

    d = shifted(m)
    if log:
        lsum = _log_sum(xp, d, axes, work)
        out = (shifted(lsum) if dask else d) - lsum
    else:
        s = xp.sum(xp.exp(d), axis=axes, keepdims=True)
        out = xp.exp(shifted(s) if dask else d) / s
    out = xp.where(good, out, math.nan)
    if mask is not None:
        # As in the NumPy path (and JAX): masked entries are 0 (-inf) even in a NaN slice,
        # and a fully masked slice is all 0 (-inf).
        out = xp.where(mask, out, -math.inf if log else 0.0)
    return xp.astype(out, out_dtype)


def logsumexp(x: Any, axis: Any, where: Any, *, keepdims: bool, func: str, dask: bool) -> Any:
    """logsumexp of ``x`` over ``axis`` (None: everything) in the library of ``x``."""
    xp, x, out_dtype, work, axes, mask = _prepare(x, axis, where, func)
    shape = tuple(x.shape)
    if math.prod(shape[a] for a in axes) == 0:
        kept = tuple(1 if i in axes else n for i, n in enumerate(shape))
        out_shape = kept if keepdims else tuple(n for i, n in enumerate(shape) if i not in axes)
        device = _namespace(x, func)[1]
        return xp.full(out_shape, -math.inf, dtype=out_dtype, device=device)
    if dask:
        blocks = _dask.blockwise_logsumexp(x, axes, mask, keepdims=keepdims)
        if blocks is not None:
            return blocks
    xw0, m, good, m0 = _widened_max(xp, x, work, mask, axes)
    if dask:
        d = _dask.shift(_dask.after(xw0, m), m0, good, 1.0)
    else:
        d = xp.where(good, xw0 - m0, 0.0)
    # NaN anywhere gives NaN (through the max or the sum), +inf gives +inf, all -inf or a
    # fully masked slice gives -inf: the maximum itself where it is not finite.
    out = xp.where(good, m + _log_sum(xp, d, axes, work), m)
    if not keepdims:
        out = xp.squeeze(out, axis=axes)
    return xp.astype(out, out_dtype)


def cross_entropy(
    logits: Any,
    target: Any,
    *,
    axis: Any,
    weight: Any,
    ignore_index: Any,
    label_smoothing: Any,
    reduction: Any,
    grad: bool,
    func: str,
) -> Any:
    """cross_entropy (or, with ``grad``, its gradient) in the library of ``logits``.

    The formulas are those of the NumPy path in :mod:`softmaxlab.core._loss` (PyTorch's
    semantics), written with one-hot masks so that only array-API functions are used.
    """
    xp, device = _namespace(logits, func, "logits")
    z, out_dtype, work = _as_float(xp, logits, device, func, "logits")
    if z.ndim == 0:
        raise param_error(
            "logits", "an array with a class axis (at least 1-D)", shown("a 0-d array"), func=func
        )
    ax, ls = check_cross_entropy_options(
        axis, z.ndim, reduction, label_smoothing, ignore_index, func
    )

    zl = xp.moveaxis(xp.astype(z, work), ax, -1)
    n_classes = zl.shape[-1]
    logp = softmax(zl, -1, 1.0, None, log=True, func=func, dask=False)
    w = None
    if weight is not None:
        w = xp.astype(_library_array(xp, weight, device, "weight", func), work)
        if tuple(w.shape) != (n_classes,):
            raise param_error(
                "weight",
                f"a 1-D array with one weight per class ({n_classes})",
                shown(f"an array of shape {tuple(w.shape)}"),
                func=func,
            )
    ce = _CrossEntropy(
        xp=xp,
        logp=logp,
        wvec=xp.ones((n_classes,), dtype=work, device=device) if w is None else w,
        ls=ls,
        # smoothing / C; with no class it is inf, so the smoothed terms are 0 · inf = NaN,
        # as in torch.
        share=ls / n_classes if n_classes else math.inf,
        reduction=reduction,
        grad=grad,
    )
    t = _library_array(xp, target, device, "target", func)
    if xp.isdtype(t.dtype, "integral"):
        _check_index_target(xp, t, zl.shape, tuple(z.shape), ax, ignore_index, func)
        valid = t != ignore_index
        classes = xp.arange(n_classes, device=device)
        onehot = (xp.where(valid, t, 0)[..., None] == classes) & valid[..., None]
        res = ce.index_targets(valid, onehot)
    elif xp.isdtype(t.dtype, "real floating"):
        if tuple(t.shape) != tuple(z.shape):
            raise param_error(
                "target",
                f"class probabilities of the logits shape {tuple(z.shape)}",
                shown(f"an array of shape {tuple(t.shape)}"),
                func=func,
            )
        res = ce.probability_targets(xp.moveaxis(xp.astype(t, work), ax, -1))
    else:
        raise target_kind_error(t.dtype, func)
    if grad:
        res = xp.moveaxis(res, -1, ax)
    return xp.astype(res, out_dtype)


def _check_index_target(
    xp: Any, t: Any, shape: Any, z_shape: tuple[int, ...], ax: int, ignore: int, func: str
) -> None:
    if tuple(t.shape) != tuple(shape[:-1]):
        raise param_error(
            "target",
            f"class indices of shape {tuple(shape[:-1])} (the logits shape {z_shape} without "
            f"the class axis {ax})",
            shown(f"an array of shape {tuple(t.shape)}"),
            func=func,
        )
    n_classes = shape[-1]
    bad = (t != ignore) & ((t < 0) | (t >= n_classes))
    if bool(xp.any(bad)):
        allowed = (
            f"class indices in [0, {n_classes - 1}] or ignore_index={ignore}"
            if n_classes
            else f"ignore_index={ignore} everywhere (the class axis {ax} of logits of shape "
            f"{z_shape} is empty, so no class index exists)"
        )
        raise param_error("target", allowed, int(t[bad][0]), func=func)


@dataclass
class _CrossEntropy:
    """The loss or gradient formulas of one call, on (..., C) log-probabilities ``logp``."""

    xp: Any
    logp: Any
    wvec: Any  # (C,) class weights (ones without weight)
    ls: float
    share: float  # ls / C
    reduction: str
    grad: bool

    def index_targets(self, valid: Any, onehot: Any) -> Any:
        xp, logp, wvec, ls = self.xp, self.logp, self.wvec, self.ls
        w_y = xp.sum(xp.where(onehot, wvec, 0.0), axis=-1)
        denom = xp.sum(w_y)
        if self.grad:
            p = xp.exp(logp)
            g = (1.0 - ls) * (w_y[..., None] * p - xp.where(onehot, w_y[..., None], 0.0))
            if self.reduction == "mean":
                g = g / denom
            if ls > 0:
                g_smooth = xp.sum(wvec) * p - wvec
                g = g + self.share * (g_smooth / denom if self.reduction == "mean" else g_smooth)
            return xp.where(valid[..., None], g, 0.0)
        picked = xp.sum(xp.where(onehot, logp, 0.0), axis=-1)
        nll = xp.where(valid, -w_y * picked, 0.0)
        smooth = xp.where(valid, -xp.sum(logp * wvec, axis=-1), 0.0)
        if self.reduction == "none":
            return nll * (1.0 - ls) + smooth * self.share if ls > 0 else nll * (1.0 - ls)
        # Each part reduced on its own, for 'mean' divided by the weight sum, as PyTorch
        # (0/0 gives NaN; so does the smoothing share with no class).
        d = denom if self.reduction == "mean" else 1.0
        res = (1.0 - ls) * (xp.sum(nll) / d)
        if ls > 0:
            res = res + self.share * (xp.sum(smooth) / d)
        return res

    def probability_targets(self, q: Any) -> Any:
        xp, logp = self.xp, self.logp
        if self.ls > 0:
            q = q * (1.0 - self.ls) + self.share
        u = q * self.wvec
        # 'mean' divides by N; with no entry at all (N = 0 or C = 0) it is NaN, as in torch.
        n_samples = math.prod(logp.shape[:-1]) if logp.shape[-1] else 0
        if self.grad:
            g = xp.sum(u, axis=-1, keepdims=True) * xp.exp(logp) - u
            if self.reduction == "mean":
                g = g / float(n_samples) if n_samples else g * math.nan
            return g
        per = -xp.sum(logp * u, axis=-1)
        if self.reduction == "mean":
            return xp.sum(per) / float(n_samples) if n_samples else xp.sum(per) * math.nan
        # torch negates the sum of the products: an empty sum gives -0, as there.
        return -xp.sum(-per) if self.reduction == "sum" else per


def _library_array(xp: Any, value: Any, device: Any, name: str, func: str) -> Any:
    """``value`` (an array of the same library, a NumPy array or a list) in namespace ``xp``."""
    try:
        return xp.asarray(value, device=device)
    except Exception:
        raise type_error(
            name,
            "an array that the library of logits can read",
            shown(f"a {type(value).__name__}"),
            func=func,
        ) from None
