"""logsumexp: the log of a sum of exponentials, exact where the weighted sum cancels.

Split from :mod:`._softmax` (which re-exports it): the exact rescue of cancelling rows and the
complex branch are logsumexp's alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import interop as _interop
from .._validation import (
    as_float_array,
    check_bool,
    check_bool_mask,
    normalize_axes,
    param_error,
    shown,
)
from . import _dispatch, _rows
from ._rows import Rows, split_sum, two_sum_error, work_dtype

__all__ = ["logsumexp"]


def _lse_rows_real(
    xw: NDArray[Any], bw: NDArray[Any] | None
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any] | None]:
    """log|sum(b * exp(x))|, its sign, the row maximum (all in the working type) and, with
    ``b``, the excess condition number of the weighted sum (None without ``b``).

    The excess is ``kappa - 1`` with ``kappa = sum|b_i e^{x_i}| / |sum b_i e^{x_i}|``: 0 when no
    term has the opposite sign of the sum, large when the sum cancels.
    """
    nrows = xw.shape[0]
    r = np.arange(nrows)
    am = np.argmax(xw, axis=1)
    m = xw[r, am]
    finite = np.isfinite(m)
    m_safe = np.where(finite, m, 0.0).astype(xw.dtype)[:, None]
    d = xw - m_safe
    lo = two_sum_error(xw, -m_safe, d) if not _rows.EXTENDED and xw.dtype == np.float64 else None
    e = np.exp(d)
    if bw is None:
        e[r, am] = 0.0
        if lo is None:
            total = e.sum(axis=1)
        else:
            s_hi, s_lo = split_sum(e, e * lo)
            total = s_hi + s_lo
        out = m + np.log1p(total)
        sgn = np.ones_like(out)
        excess = None
    else:
        if lo is not None:
            e += e * lo
        mb = bw[r, am]
        e *= bw
        e[r, am] = 0.0
        s = e.sum(axis=1) / mb
        size = np.abs(e).sum(axis=1) / np.abs(mb)
        excess = (1 + size) / np.abs(1 + s) - 1
        sgn = np.sign(s + 1) * np.sign(mb)
        s = np.where(s < -1, -s - 2, s)
        out = np.log1p(s) + np.log(np.abs(mb)) + m
    return out, sgn, m, excess


def _lse_decimal(x: NDArray[Any], b: NDArray[Any] | None) -> tuple[float, float]:
    """log|sum(b * exp(x))| and its sign for one row, in decimal arithmetic.

    Used only for the rare rows whose result cancels (``max`` and ``log(sum)`` of opposite
    signs and nearly equal size), where even the extended working type leaves many ulps of a
    small result. ``decimal`` evaluates exp and ln correctly rounded at the context
    precision; the precision grows until the cancellation is resolved.
    """
    import decimal

    # Shift by the maximum so that no exp overflows the decimal exponent range.
    top = decimal.Decimal(float(np.max(x)))
    xs = [decimal.Decimal(float(v)) for v in x]
    bs = None if b is None else [decimal.Decimal(float(v)) for v in b]
    prec = 60
    while True:
        with decimal.localcontext() as ctx:
            ctx.prec = prec
            terms = [(v - top).exp() for v in xs]
            if bs is not None:
                terms = [t * w for t, w in zip(terms, bs, strict=True)]
            total = sum(terms, decimal.Decimal(0))
            size = sum((abs(t) for t in terms), decimal.Decimal(0))
            if total == 0:
                # Terms that cancel to the last digit: zero unless more digits say otherwise
                # (exp(-1e-300) - 1 needs ~300 of them).
                if size == 0 or prec >= 1200:
                    return -np.inf, 0.0
                prec *= 2
                continue
            log_total = abs(total).ln()
            res = top + log_total
            # Absolute error of res: about 10**-prec times |top| + |log_total| + size/|total|;
            # stop once it is far below the float64 ulp of res (or res is exactly 0).
            err = decimal.Decimal(10) ** (-prec) * (abs(top) + abs(log_total) + size / abs(total))
            if res == 0 or err < abs(res) * decimal.Decimal(2) ** -70 or prec >= 1200:
                return float(res), (1.0 if total > 0 else -1.0)
        prec *= 2


# Rows with at most this many terms get the decimal evaluation when they cancel, whatever the
# other rows of the call; longer ones keep the working-precision result and its bound.
_RESCUE_ROW = 4096


def _rescue_cancellation(
    xw: NDArray[Any],
    bw: NDArray[Any] | None,
    m: NDArray[Any],
    excess: NDArray[Any] | None,
    out: NDArray[Any],
    sgn: NDArray[Any],
    out_dtype: np.dtype[Any],
) -> None:
    """Recompute, in place, the rows of a real logsumexp whose result cancels.

    Two cancellations lose relative accuracy in the working type (``2**-p`` per operation):

    * ``out = max + log(sum)`` with the two of opposite signs and nearly equal size (a result
      near 0): absolute error about ``2**-p (|max| + |log(sum)|)``;
    * with signed ``b``, the weighted sum itself (``[0, -1e-15]`` with ``b = [1, -1]``): each
      term's rounding is amplified by the sum's condition number ``kappa``, an absolute error
      in ``log(sum)`` of about ``2**-p * 4 (kappa - 1) log2(n + 1)``.

    Rows where that estimate exceeds a quarter ulp of the result, and signed sums that are
    exactly 0 in the working type, are evaluated in decimal
    arithmetic, each row on its own (the decision never depends on the other rows of the
    call), when they have at most ``_RESCUE_ROW`` terms.
    """
    n = xw.shape[1]
    if out_dtype.itemsize > 8 or n > _RESCUE_ROW:
        return
    out_bits = np.finfo(out_dtype).nmant + 1
    work_bits = np.finfo(xw.dtype).nmant + 1
    with np.errstate(invalid="ignore", over="ignore"):
        units = np.abs(m) + np.abs(out - m)
        if excess is not None:
            units = units + 4.0 * np.log2(n + 1.0) * excess
        # Error budget: a quarter ulp of the result, against ~4 ulps of the working type.
        # Without a wider type (float64 on platforms lacking the 80-bit long double) only
        # rows that really cancel are recomputed: the double-double shift covers the rest.
        factor = max(2.0 ** (work_bits - out_bits - 4), 2.0)
        suspect = np.isfinite(out) & ~(np.abs(out) * factor >= units)
        if excess is not None:
            # A signed sum that is exactly 0 in the working type may not be 0 at all.
            suspect |= out == -np.inf
        suspect &= np.isfinite(m)
    for i in np.flatnonzero(suspect):
        value, sign = _lse_decimal(xw[i], None if bw is None else bw[i])
        out[i], sgn[i] = value, sign


def _lse_rows_complex(
    xw: NDArray[Any], bw: NDArray[Any] | None
) -> tuple[NDArray[Any], NDArray[Any]]:
    r = np.arange(xw.shape[0])
    am = np.argmax(xw.real, axis=1)
    amax = xw[r, am]
    safe = np.where(np.isfinite(amax), amax, 0.0)[:, None]
    e = np.exp(xw - safe)
    if bw is not None:
        e = e * bw
    s = e.sum(axis=1)
    out = np.log(s) + safe[:, 0]
    sgn = s / np.abs(s) * np.exp(1j * safe[:, 0].imag)
    return out, sgn


def _wrap_radians(x: NDArray[Any]) -> NDArray[Any]:
    """Wrap angles into (-pi, pi], keeping relative precision where no wrap is needed."""
    wrapped = -((-x + np.pi) % (2 * np.pi) - np.pi)
    return np.where(np.abs(x) < np.pi, x, wrapped)


def _logsumexp_kernel(
    arr: NDArray[Any], rows: Rows, out_dtype: np.dtype[Any], backend: Any, plain: bool
) -> NDArray[Any] | None:
    """Per-row logsumexp on the kernels when the dispatch sends the rows there, else None."""
    be = _dispatch.check_backend(backend, "logsumexp")
    if be in ("compiled", "numba") and not plain:
        raise ValueError(
            f"The 'backend' parameter of logsumexp can be {be!r} only without b, where, "
            f"return_sign or complex input. Got {be!r} with one of them instead."
        )
    if not (plain and rows.n and rows.nrows):
        return None
    if not _dispatch.use_core(be, out_dtype, arr.size, "logsumexp"):
        return None
    from .. import kernels

    def reference(r: NDArray[Any]) -> NDArray[Any]:
        # Rows whose max and log-sum cancel: the reference path, with its exact rescue.
        return np.asarray(logsumexp(r, axis=1, backend="numpy"), dtype=r.dtype)

    return kernels.logsumexp_rows(_dispatch.kernel_rows(rows.to_rows(arr)), fallback=reference)


def _with_weights(
    arr: NDArray[Any], b: ArrayLike | None, func: str
) -> tuple[NDArray[Any], NDArray[Any] | None, np.dtype[Any]]:
    """``x`` and ``b`` broadcast together in their common dtype (``b`` None: x alone)."""
    if b is None:
        return arr, None, arr.dtype
    barr = as_float_array(b, "b", func=func, allow_complex=True)
    try:
        arr, barr = np.broadcast_arrays(arr, barr)
    except ValueError:
        raise param_error(
            "b",
            f"broadcastable to the shape of x {np.shape(arr)}",
            shown(f"an array of shape {barr.shape}"),
            func=func,
        ) from None
    out_dtype = np.result_type(arr.dtype, barr.dtype)
    return arr.astype(out_dtype, copy=False), barr, out_dtype


def _lse_general(
    arr: NDArray[Any],
    barr: NDArray[Any] | None,
    mask: NDArray[Any] | None,
    rows: Rows,
    out_dtype: np.dtype[Any],
    return_sign: bool,
) -> tuple[NDArray[Any], NDArray[Any]]:
    """(log|sum|, sign) per row on the reference path, for non-empty rows."""
    is_complex = out_dtype.kind == "c"
    real_dtype = np.empty(0, out_dtype).real.dtype
    wdt = work_dtype(out_dtype)
    xw = rows.to_rows(arr).astype(wdt)
    bw = None if barr is None else rows.to_rows(barr).astype(wdt)
    excluded = None if mask is None else ~rows.to_rows(mask)
    if bw is not None:
        excluded = (bw == 0) if excluded is None else (excluded | (bw == 0))
    if excluded is not None:
        # Excluded terms are set to -inf before anything reads them.
        np.copyto(xw, -np.inf, where=excluded)
        if bw is not None:
            np.copyto(bw, 0, where=excluded)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        if is_complex:
            out_w, sgn_w = _lse_rows_complex(xw, bw)
        else:
            out_w, sgn_w, row_max, excess = _lse_rows_real(xw, bw)
            _rescue_cancellation(xw, bw, row_max, excess, out_w, sgn_w, out_dtype)
        # Special values (NaN, inf, a sum of zero) come from the direct formula, whose
        # behaviour on them is that of exp, sum and log (C99 for complex).
        nonfinite = ~np.isfinite(out_w)
        if nonfinite.any():
            xs = xw[nonfinite]
            terms = np.exp(xs) if bw is None else bw[nonfinite] * np.exp(xs)
            if excluded is not None:
                terms = np.where(excluded[nonfinite], 0, terms)
            total = terms.sum(axis=1)
            if is_complex:
                # An empty (zero) sum has sign 0, as in the real case.
                sgn_w[nonfinite] = np.where(total == 0, 0, total / np.abs(total))
            else:
                sgn_w[nonfinite] = np.sign(total)
            out_w[nonfinite] = np.log(np.abs(total) if return_sign else total)
    if is_complex:
        if return_sign:
            out_w = out_w.real
        else:
            out_w = out_w.real + 1j * _wrap_radians(out_w.imag)
    elif not return_sign:
        out_w = np.where(sgn_w < 0, np.nan, out_w)
    out = out_w.astype(real_dtype if (is_complex and return_sign) else out_dtype)
    sgn = sgn_w.astype(out_dtype)
    return out, sgn


def logsumexp(
    x: ArrayLike,
    axis: int | tuple[int, ...] | None = None,
    *,
    b: ArrayLike | None = None,
    keepdims: bool = False,
    return_sign: bool = False,
    where: ArrayLike | None = None,
    backend: str | None = None,
) -> Any:
    r"""Log of the sum of exponentials, accurate to the last bit.

    .. math::

        \operatorname{logsumexp}(x) = \log \sum_i b_i \exp(x_i)
            = m + \log|b_k| + \log\Bigl(1 + \sum_{i \ne k} \frac{b_i}{b_k} e^{x_i - m}\Bigr),
        \qquad m = x_k = \max_i \operatorname{Re} x_i

    Parameters
    ----------
    x : array_like
        Input, real or complex.
        Real PyTorch, JAX, CuPy and Dask arrays are computed in their own library and
        returned as the same type on the same device (``b`` and ``return_sign`` are then
        not supported).
    axis : int, tuple of ints or None, default None
        Axes summed over; None sums over everything (as :func:`scipy.special.logsumexp`).
    b : array_like, optional
        Scale factors broadcast against ``x``; may be negative (subtraction). A term whose
        ``b`` is 0 adds nothing, even when ``x`` there is inf or NaN.
    keepdims : bool, default False
        Keep the reduced axes as size-1 dimensions.
    return_sign : bool, default False
        Also return the sign of the sum (+1, 0, -1, or a complex phase); then the first result
        is ``log|sum|``. Without it a negative sum gives NaN.
    where : array_like of bool, optional
        Entries to include; masked entries are never read.
    backend : {'auto', 'numpy', 'compiled', 'numba'} or None, default None (= 'auto')
        ``'auto'`` uses the compiled SIMD core for real float16/32/64 input without ``b``,
        ``where`` or ``return_sign`` when it is loaded, else the NumPy reference path;
        ``'numpy'`` always the reference path; ``'compiled'`` (alias ``'numba'``, its former
        name) always the core (an error if impossible). Both paths have the same special
        values and accuracy bounds.

    Returns
    -------
    res : ndarray or scalar
        The log-sum-exp, reduced over ``axis``. Same floating dtype as the inputs.
    sgn : ndarray or scalar
        Only with ``return_sign``.

    Raises
    ------
    ValueError
        Bad ``axis`` or ``where``/``b`` shapes.
    TypeError
        Non-numeric ``x`` or ``b``; non-boolean ``where``.

    Notes
    -----
    Special values: NaN anywhere in the reduction gives NaN; +inf gives +inf; a reduction
    that is empty, all -inf or fully masked gives -inf (sign 0). Semantics of ``b``,
    ``return_sign`` and complex input follow :func:`scipy.special.logsumexp`.

    Accuracy: the shift is exact and the sum is formed in a wider type, and
    ``log(1 + rest)`` is taken with ``log1p``, so a dominating term keeps every bit:
    ``logsumexp([0, -40]) == np.logaddexp(0, -40)``. When ``max`` and ``log(sum)`` cancel
    (a result near 0 from entries that are not, e.g. ``[-log 2, -log 2]``), the wider type is
    not enough; the same holds when a signed ``b`` makes the sum itself cancel
    (``logsumexp([0, -1e-15], b=[1, -1])``). Such rows, up to 4,096 terms each, are
    recomputed one by one with Python's ``decimal`` arithmetic (slow, but only for them), so
    the result stays within an ulp whatever the other rows of the call. A longer cancelling
    row keeps the working-precision result, whose absolute error is about
    ``2**-64 (|max| + |log|sum|| + 4 (kappa - 1) log2(n + 1))`` (``2**-53`` where the
    platform has no 80-bit long double), with ``kappa = sum|b e^x| / |sum b e^x|``.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab import logsumexp
    >>> bool(logsumexp([1000.0, 1000.0]) == 1000.0 + np.log(2.0))
    True
    >>> bool(logsumexp([0.0, -40.0]) == np.logaddexp(0.0, -40.0))
    True
    >>> logsumexp([1.0, 2.0], b=[1.0, -1.0], return_sign=True)
    (np.float64(1.541324854612918), np.float64(-1.0))
    >>> logsumexp([[0.0, 0.0], [1.0, 1.0]], axis=1).round(4)
    array([0.6931, 1.6931])
    """
    if not isinstance(x, np.ndarray) and _interop.is_foreign(x):
        return _interop.logsumexp(
            x, axis, b=b, keepdims=keepdims, return_sign=return_sign, where=where, backend=backend
        )
    func = "logsumexp"
    keepdims = check_bool(keepdims, "keepdims", func=func)
    return_sign = check_bool(return_sign, "return_sign", func=func)
    arr = as_float_array(x, "x", func=func, allow_complex=True)
    arr, barr, out_dtype = _with_weights(arr, b, func)
    axes = normalize_axes(axis, arr.ndim, func=func)
    mask = None if where is None else check_bool_mask(where, arr.shape, func=func)
    is_complex = out_dtype.kind == "c"
    real_dtype = np.empty(0, out_dtype).real.dtype
    rows = Rows(arr.shape, axes)
    plain = b is None and mask is None and not is_complex and not return_sign
    lse = _logsumexp_kernel(arr, rows, out_dtype, backend, plain)
    if lse is not None:
        res = rows.reduced(lse.astype(out_dtype, copy=False), keepdims)
        return res[()] if res.ndim == 0 else res

    if rows.n == 0 or rows.nrows == 0:
        out = np.full(rows.nrows, -np.inf, dtype=out_dtype)
        sgn = np.zeros(rows.nrows, dtype=out_dtype)
    else:
        out, sgn = _lse_general(arr, barr, mask, rows, out_dtype, return_sign)
    if is_complex and return_sign:
        out = out.real.astype(real_dtype)
    res = rows.reduced(out, keepdims)
    res = res[()] if res.ndim == 0 else res
    if return_sign:
        s = rows.reduced(sgn, keepdims)
        return res, (s[()] if s.ndim == 0 else s)
    return res
