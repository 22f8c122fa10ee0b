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
from typing import Any

from .._validation import check_positive_finite, normalize_axes, param_error
from . import _dask


def _namespace(x: Any, func: str) -> tuple[Any, Any]:
    """The array-API namespace and device of ``x``, or a TypeError naming the parameter."""
    try:
        import array_api_compat
    except ImportError:  # pragma: no cover - array-api-compat is a dependency of the extras
        raise TypeError(
            f"The 'x' parameter of {func} is a {type(x).__name__}; non-NumPy arrays need the "
            "array-api-compat package (pip install array-api-compat)."
        ) from None
    try:
        xp = array_api_compat.array_namespace(x)
    except TypeError:
        raise TypeError(
            f"The 'x' parameter of {func} must be a NumPy array, an array of an array-API "
            f"library (PyTorch, JAX, CuPy, Dask) or array-like. Got {type(x).__name__} "
            "instead."
        ) from None
    return xp, array_api_compat.device(x)


def _float_dtypes(xp: Any, device: Any) -> dict[str, Any]:
    info = xp.__array_namespace_info__()
    try:
        dtypes: dict[str, Any] = info.dtypes(device=device, kind="real floating")
    except TypeError:  # pragma: no cover - namespaces whose dtypes() takes no device
        dtypes = info.dtypes(kind="real floating")
    return dtypes


def _as_float(xp: Any, x: Any, device: Any, func: str) -> tuple[Any, Any, Any]:
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
        raise TypeError(
            f"The 'x' parameter of {func} must hold real numbers (float, int or bool dtype) "
            f"for a non-NumPy array. Got an array of dtype {dt} instead."
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
        raise TypeError(
            f"The 'where' parameter of {func} must be a boolean array that the library of x "
            f"({type(x).__module__.partition('.')[0]}) can read. Got {type(where).__name__} "
            "instead."
        ) from None
    if mask.dtype != xp.bool:
        raise TypeError(
            f"The 'where' parameter of {func} must be a boolean array. Got an array of dtype "
            f"{mask.dtype} instead."
        )
    try:
        return xp.broadcast_to(mask, tuple(x.shape))
    except (ValueError, RuntimeError):
        raise param_error(
            "where",
            f"broadcastable to the shape of x {tuple(x.shape)}",
            f"array of shape {tuple(mask.shape)}",
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
    xw0 = _widen(xp, x, work, mask)
    m = xp.max(xw0, axis=axes, keepdims=True)
    # A NaN, +inf or all -inf slice has a non-finite maximum (the max of every supported
    # library propagates NaN); it is shifted by 0 so that nothing overflows, and set to
    # NaN at the end.
    good = xp.isfinite(m)
    m0 = xp.where(good, m, 0.0)

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
    xw0 = _widen(xp, x, work, mask)
    m = xp.max(xw0, axis=axes, keepdims=True)
    good = xp.isfinite(m)
    m0 = xp.where(good, m, 0.0)
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
    import numbers

    from .._validation import check_probability

    xp, device = _namespace(logits, func)
    z, out_dtype, work = _as_float(xp, logits, device, func)
    if z.ndim == 0:
        raise ValueError(
            f"The 'logits' parameter of {func} must have a class axis (at least 1-D). "
            "Got a 0-d array instead."
        )
    if isinstance(axis, tuple | list) or axis is None:
        raise param_error("axis", "a single int", axis, func=func)
    ax = normalize_axes(axis, z.ndim, func=func)[0]
    if reduction not in ("mean", "sum", "none"):
        raise param_error("reduction", "one of 'mean', 'sum', 'none'", reduction, func=func)
    ls = check_probability(label_smoothing, "label_smoothing", func=func)
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, numbers.Integral):
        raise param_error("ignore_index", "an int", ignore_index, func=func)

    zl = xp.moveaxis(xp.astype(z, work), ax, -1)
    n_classes = zl.shape[-1]
    logp = softmax(zl, -1, 1.0, None, log=True, func=func, dask=False)
    w = None
    if weight is not None:
        w = xp.astype(_library_array(xp, weight, device, "weight", func), work)
        if tuple(w.shape) != (n_classes,):
            raise ValueError(
                f"The 'weight' parameter of {func} must be a 1-D array with one weight per "
                f"class ({n_classes}). Got shape {tuple(w.shape)} instead."
            )
    ones = xp.ones((n_classes,), dtype=work, device=device)
    wvec = ones if w is None else w
    t = _library_array(xp, target, device, "target", func)
    if xp.isdtype(t.dtype, "integral"):
        if tuple(t.shape) != tuple(zl.shape[:-1]):
            raise ValueError(
                f"The 'target' parameter of {func} holds class indices, so its shape must be "
                f"the logits shape {tuple(z.shape)} without the class axis {ax}, i.e. "
                f"{tuple(zl.shape[:-1])}. Got shape {tuple(t.shape)} instead."
            )
        valid = t != ignore_index
        bad = valid & ((t < 0) | (t >= n_classes))
        if bool(xp.any(bad)):
            raise ValueError(
                f"The 'target' parameter of {func} must hold class indices in "
                f"[0, {n_classes - 1}] or ignore_index={ignore_index}. Got "
                f"{int(t[bad][0])} instead."
            )
        classes = xp.arange(n_classes, device=device)
        onehot = (xp.where(valid, t, 0)[..., None] == classes) & valid[..., None]
        w_y = xp.sum(xp.where(onehot, wvec, 0.0), axis=-1)
        denom = xp.sum(w_y)
        if grad:
            p = xp.exp(logp)
            g = (1.0 - ls) * (w_y[..., None] * p - xp.where(onehot, w_y[..., None], 0.0))
            if reduction == "mean":
                g = g / denom
            if ls > 0:
                g_smooth = xp.sum(wvec) * p - wvec
                g = g + (ls / n_classes) * (g_smooth / denom if reduction == "mean" else g_smooth)
            out = xp.where(valid[..., None], g, 0.0)
            return xp.astype(xp.moveaxis(out, -1, ax), out_dtype)
        picked = xp.sum(xp.where(onehot, logp, 0.0), axis=-1)
        nll = xp.where(valid, -w_y * picked, 0.0)
        per = nll * (1.0 - ls)
        smooth = xp.where(valid, -xp.sum(logp * wvec, axis=-1), 0.0)
        if ls > 0:
            per = per + smooth * (ls / n_classes)
        if reduction == "mean":
            # Each part divided by the weight sum on its own, as PyTorch (0/0 gives NaN).
            res = (1.0 - ls) * (xp.sum(nll) / denom)
            if ls > 0:
                res = res + (ls / n_classes) * (xp.sum(smooth) / denom)
        else:
            res = xp.sum(per) if reduction == "sum" else per
        return xp.astype(res, out_dtype)
    if not xp.isdtype(t.dtype, "real floating"):
        raise TypeError(
            f"The 'target' parameter of {func} must hold integer class indices or floating "
            f"class probabilities. Got an array of dtype {t.dtype} instead."
        )
    if tuple(t.shape) != tuple(z.shape):
        raise ValueError(
            f"The 'target' parameter of {func} holds class probabilities, so its shape must "
            f"equal the logits shape {tuple(z.shape)}. Got shape {tuple(t.shape)} instead."
        )
    q = xp.moveaxis(xp.astype(t, work), ax, -1)
    if ls > 0:
        q = q * (1.0 - ls) + ls / n_classes
    u = q * wvec
    n_samples = math.prod(zl.shape[:-1])
    if grad:
        g = xp.sum(u, axis=-1, keepdims=True) * xp.exp(logp) - u
        if reduction == "mean":
            g = g / float(n_samples) if n_samples else g * math.nan
        return xp.astype(xp.moveaxis(g, -1, ax), out_dtype)
    per = -xp.sum(logp * u, axis=-1)
    if reduction == "mean":
        res = xp.sum(per) / float(n_samples) if n_samples else xp.sum(per) * math.nan
    else:
        res = xp.sum(per) if reduction == "sum" else per
    return xp.astype(res, out_dtype)


def _library_array(xp: Any, value: Any, device: Any, name: str, func: str) -> Any:
    """``value`` (an array of the same library, a NumPy array or a list) in namespace ``xp``."""
    try:
        return xp.asarray(value, device=device)
    except Exception:
        raise TypeError(
            f"The '{name}' parameter of {func} must be an array that the library of logits "
            f"can read. Got {type(value).__name__} instead."
        ) from None
