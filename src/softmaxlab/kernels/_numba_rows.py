"""Drivers of the numba kernels (:mod:`._jit`): threads, one-row splits, reductions.

softmax, log_softmax and logsumexp run here only when the compiled core is not loaded (see
:mod:`._compiled`); cross-entropy, its gradient and softmax_vjp always do, for now.
numba is imported on the first call, not when this module is imported.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import _threads as _t
from ._threads import (
    SHORT_MIN_ROWS,
    SHORT_ROW,
    _bounds,
    _map,
    _row_split,
    _threads_for,
    get_num_threads,
)

_jit_module: ModuleType | None = None


def _kern() -> ModuleType:
    global _jit_module
    if _jit_module is None:
        from . import _jit as module

        _jit_module = module
    return _jit_module


# --------------------------------------------------------------------------- softmax


def _softmax_one_row_split(xr: NDArray[Any], o: NDArray[Any], nt: int, t: float, log: bool) -> None:
    """One long row across ``nt`` threads: chunk maxima, merged; chunk sums, merged; writes."""
    k = _kern()
    chunks = _bounds(xr.size, nt)
    f32 = xr.dtype == np.float32
    maxf = k.max32 if f32 else k.max64
    res = _map(lambda lo, hi: maxf(xr[lo:hi]), chunks)
    m = max(mm for mm, _ in res)
    if any(nan for _, nan in res) or m in (math.inf, -math.inf):
        o.fill(np.nan)
        return
    if f32:
        inv_t = 1.0 / t
        sums = _map(lambda lo, hi: k.chunk_sum32(xr[lo:hi], m, inv_t), chunks)
        cnt = sum(c for c, _ in sums)
        s1 = math.fsum([cnt - 1.0, *(s for _, s in sums)])
        if log:
            lse = math.log1p(s1)
            _map(lambda lo, hi: k.write_lsm32(xr[lo:hi], o[lo:hi], m, inv_t, lse), chunks)
        else:
            inv_s = 1.0 / (1.0 + s1)
            _map(lambda lo, hi: k.write_sm32(xr[lo:hi], o[lo:hi], m, inv_t, inv_s), chunks)
        return
    # softmax keeps the float64 exps in the output and scales them there (no second exp).
    sums = _map(
        lambda lo, hi: k.chunk_sum64(xr[lo:hi], m, t, o[lo:lo] if log else o[lo:hi]), chunks
    )
    cnt = sum(c for c, _, _ in sums)
    parts = [float(cnt - 1)]
    for _, hi_, lo_ in sums:
        parts += [hi_, lo_]
    s1 = math.fsum(parts)
    s1_lo = math.fsum([*parts, -s1])
    if log:
        lh = math.log1p(s1)
        ll = s1_lo / (1.0 + s1)
        _map(lambda lo, hi: k.write_lsm64(xr[lo:hi], o[lo:hi], m, t, lh, ll), chunks)
    else:
        sh = 1.0 + s1
        sl = math.fsum([1.0, *parts, -sh])
        inv = 1.0 / sh
        inv = inv - inv * inv * sl
        _map(lambda lo, hi: k.scale_store64(o[lo:hi], o[lo:hi], inv), chunks)


def softmax_rows(
    x: NDArray[Any],
    out: NDArray[Any] | None = None,
    *,
    temperature: float = 1.0,
    log: bool = False,
) -> NDArray[Any]:
    """softmax / log_softmax of each row on the numba kernels (see kernels.softmax_rows)."""
    if out is None:
        out = np.empty_like(x)
    nrows, n = x.shape
    if nrows == 0 or n == 0:
        return out
    k = _jit_module or _kern()
    f32 = x.itemsize == 4
    if nrows * n < _t.PARALLEL_MIN_ELEMENTS:
        # The common small call: no thread bookkeeping (keeps (1, 10) near a microsecond).
        if f32:
            if n <= SHORT_ROW and nrows >= SHORT_MIN_ROWS:
                k.short_rows32(x, out, 0, nrows, 1.0 / temperature, log)
            else:
                k.softmax_rows32(x, out, 0, nrows, 1.0 / temperature, log)
        elif n <= SHORT_ROW and nrows >= SHORT_MIN_ROWS:
            k.short_rows64(x, out, 0, nrows, float(temperature), log)
        else:
            k.softmax_rows64(x, out, 0, nrows, float(temperature), log)
        return out
    t = float(temperature)
    nt = get_num_threads()
    if nt > 1 and nrows < nt:
        for i in range(nrows):
            _softmax_one_row_split(x[i], out[i], nt, t, log)
        return out
    short = n <= SHORT_ROW and nrows >= SHORT_MIN_ROWS
    if f32:
        kern = k.short_rows32 if short else k.softmax_rows32
        arg = 1.0 / t
    else:
        kern = k.short_rows64 if short else k.softmax_rows64
        arg = t
    if nt == 1:
        kern(x, out, 0, nrows, arg, log)
    else:
        _row_split(x, nt, lambda lo, hi: kern(x, out, lo, hi, arg, log))
    return out


def logsumexp_rows(
    x: NDArray[Any],
    out: NDArray[Any] | None = None,
    *,
    fallback: Callable[[NDArray[Any]], NDArray[Any]] | None = None,
) -> NDArray[Any]:
    """Log-sum-exp of each row on the numba kernels (see kernels.logsumexp_rows)."""
    nrows, n = x.shape
    if out is None:
        out = np.empty(nrows, dtype=x.dtype)
    if nrows == 0:
        return out
    k = _kern()
    nt = _threads_for(nrows * n)
    flags = np.empty(nrows, dtype=np.uint8)
    if x.dtype == np.float32:
        short = n <= SHORT_ROW and nrows >= SHORT_MIN_ROWS
        kern = k.short_lse32 if short else k.lse_rows32
    else:
        kern = k.lse_rows64

    def part(lo: int, hi: int) -> None:
        kern(x, out, flags, lo, hi)

    if nt == 1 or nrows < nt:
        part(0, nrows)
    else:
        _row_split(x, nt, part)
    if fallback is not None:
        redo = flags.view(bool)
        if redo.any():
            out[redo] = fallback(x[redo])
    return out


_NO_WEIGHT = np.ones(1)


def _ce_prepare(
    x: NDArray[Any], target: NDArray[Any], weight: NDArray[Any] | None
) -> tuple[NDArray[np.int64], NDArray[np.float64], bool]:
    t = np.ascontiguousarray(target, dtype=np.int64).reshape(-1)
    if weight is None:
        return t, _NO_WEIGHT, False
    return t, np.ascontiguousarray(weight, dtype=np.float64), True


def _div(a: float, b: float) -> float:
    """a / b with IEEE semantics (0/0 is NaN, x/0 is ±inf) on Python floats."""
    if b != 0.0:
        return a / b
    if a == 0.0 or a != a:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _fsum(v: NDArray[np.float64]) -> float:
    # Small inputs: math.fsum on a list is cheaper than a NumPy reduction (and exact).
    return math.fsum(v.tolist()) if v.size <= 32 else float(v.sum())


def _ce_reduce(
    parts: NDArray[np.float64], ls: float, n_classes: int, reduction: str, dtype: np.dtype[Any]
) -> Any:
    """Combine the per-row parts (weighted nll, smoothing term, target weight) as PyTorch:
    for 'mean' each part is divided by the sum of target weights on its own."""
    nllw, smooth, wy = parts
    c = ls / n_classes
    if reduction == "mean":
        denom = _fsum(wy)
        total = (1.0 - ls) * _div(_fsum(nllw), denom)
        if ls > 0.0:
            total = total + c * _div(_fsum(smooth), denom)
        return dtype.type(total)
    per = nllw * (1.0 - ls)
    if ls > 0.0:
        per = per + smooth * c
    if reduction == "none":
        return per.astype(dtype)
    return dtype.type(_fsum(per))


def _ce_one_row_split(
    xr: NDArray[Any],
    y: int,
    w: NDArray[np.float64],
    has_w: bool,
    ignore_index: int,
    eps: float,
    scale: float,
    out: NDArray[np.float64],
    g: NDArray[Any] | None,
    nt: int,
) -> None:
    """Cross-entropy (and gradient) of one long row across ``nt`` threads; ``out`` receives
    (weighted nll, smoothing term, target weight) as the row kernels write them."""
    k = _kern()
    if y == ignore_index:
        out[:] = 0.0
        if g is not None:
            g.fill(0.0)
        return
    n = xr.size
    wy = float(w[y]) if has_w else 1.0
    sum_w = math.fsum(w.tolist()) if has_w else float(n)
    out[2] = wy
    chunks = _bounds(n, nt)
    f32 = xr.dtype == np.float32
    maxf = k.max32 if f32 else k.max64
    res = _map(lambda lo, hi: maxf(xr[lo:hi]), chunks)
    m = max(mm for mm, _ in res)
    if any(nan for _, nan in res) or m in (math.inf, -math.inf):
        out[0] = math.nan
        out[1] = math.nan if eps > 0.0 else 0.0
        if g is not None:
            g.fill(np.nan)
        return
    if f32:
        sums = _map(lambda lo, hi: k.chunk_sum32(xr[lo:hi], m, 1.0), chunks)
        cnt = sum(c for c, _ in sums)
        s1 = math.fsum([cnt - 1.0, *(s for _, s in sums)])
        s1_lo = 0.0
        dy, dy_lo = float(xr[y]) - m, 0.0
    else:
        sums = _map(lambda lo, hi: k.chunk_sum64(xr[lo:hi], m, 1.0, xr[lo:lo]), chunks)
        cnt = sum(c for c, _, _ in sums)
        terms = [float(cnt - 1)]
        for _, hi_, lo_ in sums:
            terms += [hi_, lo_]
        s1 = math.fsum(terms)
        s1_lo = math.fsum([*terms, -s1])
        dy = float(xr[y]) - m
        dy_lo = math.fsum([float(xr[y]), -m, -dy])
    lse = math.log1p(s1)
    lse_lo = s1_lo / (1.0 + s1)
    out[0] = wy * ((lse - dy) + (lse_lo - dy_lo))
    out[1] = 0.0
    if eps > 0.0:
        wd = _map(
            lambda lo, hi: k.chunk_wsum(xr[lo:hi], w[lo:hi] if has_w else w, has_w, m), chunks
        )
        out[1] = (lse + lse_lo) * sum_w - math.fsum(wd)
    if g is None:
        return
    big_u = (1.0 - eps) * wy + eps / n * sum_w
    a = big_u / ((1.0 + s1) + s1_lo) * scale
    b = eps / n * scale
    _map(
        lambda lo, hi: k.chunk_ce_grad(
            xr[lo:hi], w[lo:hi] if has_w else w, has_w, m, a, b, g[lo:hi]
        ),
        chunks,
    )
    ey = math.exp(dy) * (1.0 + dy_lo)
    g[y] = a * ey - (b * wy + (1.0 - eps) * wy * scale)


def _ce_call(
    x: NDArray[Any],
    t: NDArray[np.int64],
    w: NDArray[np.float64],
    has_w: bool,
    ignore_index: int,
    eps: float,
    scale: float,
    grad: NDArray[Any] | None,
) -> NDArray[np.float64]:
    """Run the fused kernel; returns the (3, rows) parts: weighted nll, smoothing, w_y."""
    k = _jit_module or _kern()
    nrows, n = x.shape
    parts = np.empty((3, nrows))
    nllw, smooth, wy = parts
    g = grad if grad is not None else x[:0]
    want = grad is not None
    if n <= SHORT_ROW and nrows >= SHORT_MIN_ROWS:
        ce = k.short_ce32 if x.itemsize == 4 else k.short_ce64
    else:
        ce = k.ce_rows
    nt = get_num_threads()
    if nrows * n < _t.PARALLEL_MIN_ELEMENTS or nt == 1:
        ce(x, t, w, has_w, ignore_index, eps, scale, nllw, smooth, wy, g, want)
        return parts
    if nrows < nt:
        for i in range(nrows):
            _ce_one_row_split(
                x[i],
                int(t[i]),
                w,
                has_w,
                ignore_index,
                eps,
                scale,
                parts[:, i],
                g[i] if want else None,
                nt,
            )
        return parts

    def part(lo: int, hi: int) -> None:
        gp = g[lo:hi] if want else g
        ce(
            x[lo:hi],
            t[lo:hi],
            w,
            has_w,
            ignore_index,
            eps,
            scale,
            nllw[lo:hi],
            smooth[lo:hi],
            wy[lo:hi],
            gp,
            want,
        )

    _row_split(x, nt, part)
    return parts


def cross_entropy_rows(
    logits: NDArray[Any],
    target: NDArray[Any],
    *,
    weight: NDArray[Any] | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> Any:
    r"""Fused cross-entropy from logits and class indices (PyTorch semantics), per row.

    .. math::

        L_i = (1-\varepsilon)\, w_{y_i} (\mathrm{lse}_i - x_{i y_i})
              + \frac{\varepsilon}{C} \sum_c w_c (\mathrm{lse}_i - x_{ic})

    No probability is written: memory is O(rows).

    Parameters
    ----------
    logits : ndarray, shape (N, C)
        C-contiguous float32 or float64 with ``C >= 1``, not validated.
    target : ndarray of int, shape (N,)
        Class indices in ``[0, C)`` or ``ignore_index`` (not checked).
    weight : ndarray, shape (C,), optional
        Class weights.
    ignore_index : int, default -100
    label_smoothing : float, default 0.0
    reduction : {'mean', 'sum', 'none'}

    Returns
    -------
    scalar or ndarray
        In the dtype of ``logits``, as :func:`softmaxlab.cross_entropy`.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.kernels import cross_entropy_rows
    >>> logits = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
    >>> round(float(cross_entropy_rows(logits, np.array([0, 2]))), 6)
    0.175456
    """
    t, w, has_w = _ce_prepare(logits, target, weight)
    ls = float(label_smoothing)
    parts = _ce_call(logits, t, w, has_w, int(ignore_index), ls, 1.0, None)
    return _ce_reduce(parts, ls, logits.shape[1], reduction, logits.dtype)


def cross_entropy_grad_rows(
    logits: NDArray[Any],
    target: NDArray[Any],
    out: NDArray[Any] | None = None,
    *,
    weight: NDArray[Any] | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
    return_loss: bool = False,
) -> Any:
    r"""Gradient of :func:`cross_entropy_rows` w.r.t. the logits, fused with the forward pass.

    .. math:: \partial L_i / \partial x_i = U_i\,\operatorname{softmax}(x_i) - u_i

    (see :func:`softmaxlab.cross_entropy_grad`), divided by the sum of target weights for
    ``'mean'``. Ignored rows get zeros.

    Parameters
    ----------
    logits, target, weight, ignore_index, label_smoothing, reduction
        As in :func:`cross_entropy_rows`.
    out : ndarray, shape (N, C), optional
        Same dtype as ``logits``.
    return_loss : bool, default False
        Also return the loss (forward and backward in one pass over the logits).

    Returns
    -------
    grad : ndarray, shape (N, C)
    loss : scalar or ndarray
        Only with ``return_loss``.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.kernels import cross_entropy_grad_rows
    >>> cross_entropy_grad_rows(np.array([[2.0, 1.0, 0.1]]), np.array([0]),
    ...                         reduction="sum").round(4)
    array([[-0.341 ,  0.2424,  0.0986]])
    """
    t, w, has_w = _ce_prepare(logits, target, weight)
    if out is None:
        out = np.empty_like(logits)
    scale = 1.0
    if reduction == "mean":
        valid = t != ignore_index
        if has_w:
            denom = float(np.where(valid, w[np.where(valid, t, 0)], 0.0).sum())
        else:
            denom = float(np.count_nonzero(valid))
        scale = _div(1.0, denom)
    ls = float(label_smoothing)
    parts = _ce_call(logits, t, w, has_w, int(ignore_index), ls, scale, out)
    if return_loss:
        return out, _ce_reduce(parts, ls, logits.shape[1], reduction, logits.dtype)
    return out


def softmax_vjp_rows(
    probs: NDArray[Any], v: NDArray[Any], out: NDArray[Any] | None = None
) -> NDArray[Any]:
    r"""Vector-Jacobian product of softmax per row: :math:`p \odot (v - \langle p, v\rangle)`.

    Parameters
    ----------
    probs, v : ndarray, shape (rows, n)
        C-contiguous, same dtype (float32 or float64), not validated.
    out : ndarray, optional
        Same shape and dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.kernels import softmax_vjp_rows
    >>> softmax_vjp_rows(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]]))
    array([[ 0.25, -0.25]])
    """
    if out is None:
        out = np.empty_like(probs)
    nrows, n = probs.shape
    if nrows == 0 or n == 0:
        return out
    k = _kern()
    nt = _threads_for(nrows * n)
    if nt == 1 or nrows < nt:
        k.vjp_rows(probs, v, out, 0, nrows)
    else:
        _row_split(probs, nt, lambda lo, hi: k.vjp_rows(probs, v, out, lo, hi))
    return out
