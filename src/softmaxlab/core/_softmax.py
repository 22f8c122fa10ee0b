"""softmax, log_softmax and logsumexp, evaluated so that the shift by the maximum is exact.

The usual stable form ``exp(x - max(x)) / sum(exp(x - max(x)))`` avoids overflow but rounds
``x - max`` in the working precision; the relative error of ``exp`` then grows with
``|x - max|`` (about 60 ulps on float32 rows of N(0, 10²), thousands on long rows). Here a slice
is shifted and exponentiated in a wider type (float64 for float16/float32 inputs; the 80-bit
long double for float64 where the platform has one, otherwise a double-double correction of the
shift), summed there, and rounded once at the end.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import backends as _backends
from .._validation import (
    as_float_array,
    check_bool_mask,
    check_positive_finite,
    normalize_axes,
)
from . import _dispatch, _rows
from ._rows import Rows, split_sum, two_prod_error, two_sum_error, work_dtype

__all__ = ["log_softmax", "logsumexp", "softmax"]


def _shifted_exp(
    a: NDArray[Any], mask: NDArray[np.bool_] | None, temperature: float, *, log: bool
) -> NDArray[Any]:
    """softmax (or log_softmax) of each row of the 2-D array ``a``, in the working precision."""
    wdt = work_dtype(a.dtype)
    xw = a.astype(wdt)  # always a copy: the caller's array is never written
    if mask is not None:
        # Masked entries are replaced before anything reads them, so NaN/inf there is harmless.
        np.copyto(xw, -np.inf, where=~mask)
    if log:
        r = np.arange(xw.shape[0])
        am = np.argmax(xw, axis=1)  # the first NaN wins, which flags the row below
        m = xw[r, am]
    else:
        m = xw.max(axis=1)  # NaN if the row holds one, which flags the row below
    bad = ~np.isfinite(m)
    any_bad = bool(bad.any())
    m_safe = (np.where(bad, 0.0, m).astype(wdt) if any_bad else m)[:, None]
    # The working type is wider than the input, so this subtraction is exact (float32 in
    # float64; float64 in the 80-bit type for any two values less than 2**11 apart in exponent).
    d = xw - m_safe
    lo = None
    if wdt == a.dtype and a.dtype == np.float64:
        # No wider type on this platform: carry the rounding error of the shift explicitly.
        lo = two_sum_error(xw, -m_safe, d)
    if temperature != 1.0:
        if lo is None:
            d /= temperature
        else:
            # d / T is rounded as well; its exact remainder d - q*T joins the shift's error.
            q = d / temperature
            rem = (d - q * temperature) - two_prod_error(q, temperature, q * temperature)
            lo = np.where(np.isfinite(rem), rem + lo, 0.0) / temperature
            d = q
    e = np.exp(d)
    if log:
        # log(sum) = log1p(sum without one maximal term): keeps full accuracy near log(1) = 0.
        e[r, am] = 0.0
        if lo is None:
            out = d - np.log1p(e.sum(axis=1))[:, None]
        else:
            s_hi, s_lo = split_sum(e, e * lo)
            out = d - np.log1p(s_hi + s_lo)[:, None] + lo
    elif lo is None:
        out = e / e.sum(axis=1)[:, None]
    else:
        # exp(d + lo) = e * (1 + lo) to first order. The sum is split so that it is nearly
        # exact (a plain float64 sum of long rows costs several ulps), and both corrections
        # are applied after the one division, leaving only exp and two roundings.
        s_hi, s_lo = split_sum(e, e * lo)
        s = s_hi + s_lo
        s_err = (s_hi - s) + s_lo
        q = e / s[:, None]
        out = q + q * (lo - (s_err / s)[:, None])
    if any_bad:
        if mask is None:
            out[bad] = np.nan
        else:
            # As in JAX, masked entries are 0 (-inf) even in a NaN slice; a fully masked
            # slice is all 0 (-inf).
            out[bad] = np.where(mask[bad], np.nan, -np.inf if log else 0.0)
    return out


def _softmax_common(
    x: ArrayLike,
    axis: Any,
    temperature: float,
    where: ArrayLike | None,
    backend: str | None,
    *,
    log: bool,
    func: str,
) -> NDArray[Any]:
    if where is None:
        # The common kernel call, with no more checks than it needs (None: anything else).
        res = _dispatch.fast_softmax(x, axis, temperature, backend, log)
        if res is not None:
            return res
    arr = as_float_array(x, "x", func=func)
    t = check_positive_finite(temperature, "temperature", func=func)
    axes = normalize_axes(axis, arr.ndim, func=func)
    mask = None if where is None else check_bool_mask(where, arr.shape, func=func)
    be = _dispatch.check_backend(backend, func)
    if arr.size == 0:
        return np.empty(arr.shape, dtype=arr.dtype)
    rows = Rows(arr.shape, axes)
    if mask is None and _dispatch.use_core(be, arr.dtype, arr.size, func):
        from .. import kernels

        res = kernels.softmax_rows(_dispatch.kernel_rows(rows.to_rows(arr)), temperature=t, log=log)
        with np.errstate(over="ignore"):  # float16 log-probabilities below -65504 are -inf
            return rows.from_rows(res.astype(arr.dtype, copy=False))
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        # Rows with NaN/+inf/all -inf produce invalid-operation noise and are overwritten.
        out = _shifted_exp(
            rows.to_rows(arr), None if mask is None else rows.to_rows(mask), t, log=log
        )
        # A float16 log-probability below -65504 rounds to -inf, as it should: no warning.
        out = out.astype(arr.dtype, copy=False)
    return rows.from_rows(out)


def softmax(
    x: ArrayLike,
    axis: int | tuple[int, ...] | None = -1,
    *,
    temperature: float = 1.0,
    where: ArrayLike | None = None,
    backend: str | None = None,
) -> NDArray[Any]:
    r"""Softmax: exponentiate, sum, normalise.

    .. math::

        \operatorname{softmax}(x)_i = \frac{\exp(x_i / T)}{\sum_j \exp(x_j / T)}
                                    = \frac{\exp((x_i - m)/T)}{\sum_j \exp((x_j - m)/T)},
        \qquad m = \max_j x_j

    Parameters
    ----------
    x : array_like
        Logits. float16, float32 and float64 keep their dtype; integers and booleans are
        converted to float64.
        PyTorch, JAX, CuPy and Dask arrays are computed in their own library (autograd,
        ``jit`` and laziness preserved) and returned as the same type on the same device.
    axis : int, tuple of ints or None, default -1
        The axis or axes normalised together (a *slice*). None means the whole array.
    temperature : float, default 1.0
        Finite and > 0. The result is ``softmax(x / temperature)``; a tiny temperature gives a
        one-hot result (split evenly between tied maxima), never NaN.
    where : array_like of bool, optional
        Entries to include, broadcast against ``x``. Masked entries are never read (they may
        hold NaN or inf) and get probability 0, even in a slice that is NaN.
    backend : {'auto', 'numpy', 'compiled', 'numba'} or None, default None (= 'auto')
        ``'auto'`` uses the compiled SIMD core (see :func:`softmaxlab.show_config`) for
        float16/32/64 input without ``where`` when it is loaded, else the NumPy reference
        path (numba from 16,384 elements if installed); ``'numpy'`` always the reference
        path; ``'compiled'`` (alias ``'numba'``) always the core (an error if impossible).
        Both paths have the same special values and accuracy bounds.

    Returns
    -------
    ndarray
        Same shape and floating dtype as ``x``; each slice sums to 1 up to rounding.

    Raises
    ------
    ValueError
        Bad ``axis`` (out of range, duplicated) or ``temperature`` (not finite, not > 0), or a
        ``where`` that does not broadcast.
    TypeError
        Non-numeric or complex ``x``; non-boolean ``where``.

    Notes
    -----
    Special values, per slice: a NaN or +inf makes the whole slice NaN; -inf entries get
    probability 0; a slice that is all -inf is NaN; a fully masked slice is all 0. Other slices
    are unaffected. Empty input gives empty output.

    Accuracy: ``x - max`` is formed exactly and exponentiated in a wider type (float64 for
    float16/float32; the 80-bit long double for float64 where available), so each
    probability is within about 1 ulp (float16, float32) or a few ulps (float64) of the exact
    value, and a float32 slice of a million entries sums to 1 within one epsilon. Low-precision
    inputs are accumulated in float64. The input is never modified.

    References
    ----------
    .. [1] P. Blanchard, D. J. Higham, N. J. Higham, "Accurately computing the log-sum-exp and
       softmax functions", IMA J. Numer. Anal. 41(4), 2021. :doi:`10.1093/imanum/draa038`

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab import softmax
    >>> softmax([3.0, 1.0, -3.0]).round(4)
    array([0.8789, 0.1189, 0.0022])
    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])

    Adding a constant changes nothing; a low temperature sharpens towards the winner:

    >>> bool(np.allclose(softmax([1001.0, 1002.0, 1003.0]), softmax([1.0, 2.0, 3.0])))
    True
    >>> softmax([1.0, 2.0, 3.0], temperature=0.01).round(4)
    array([0., 0., 1.])

    Masked entries are never read:

    >>> softmax([1.0, np.nan, 1.0], where=[True, False, True])
    array([0.5, 0. , 0.5])
    """
    if not isinstance(x, np.ndarray) and _backends.is_foreign(x):
        return _backends.softmax(x, axis, temperature=temperature, where=where, backend=backend)
    return _softmax_common(x, axis, temperature, where, backend, log=False, func="softmax")


def log_softmax(
    x: ArrayLike,
    axis: int | tuple[int, ...] | None = -1,
    *,
    temperature: float = 1.0,
    where: ArrayLike | None = None,
    backend: str | None = None,
) -> NDArray[Any]:
    r"""Logarithm of the softmax, computed without forming the softmax.

    .. math::

        \operatorname{log\_softmax}(x)_i = \frac{x_i - m}{T}
            - \log\Bigl(1 + \sum_{j \ne k} \exp\bigl((x_j - m)/T\bigr)\Bigr),
        \qquad m = x_k = \max_j x_j

    Parameters
    ----------
    x : array_like
        Logits (float16/32/64 kept; integers and booleans become float64).
        PyTorch, JAX, CuPy and Dask arrays are computed in their own library (autograd,
        ``jit`` and laziness preserved) and returned as the same type on the same device.
    axis : int, tuple of ints or None, default -1
        The axis or axes normalised together.
    temperature : float, default 1.0
        Finite and > 0; the result is ``log_softmax(x / temperature)``.
    where : array_like of bool, optional
        Entries to include; masked entries are never read and give -inf.
    backend : {'auto', 'numpy', 'compiled', 'numba'} or None, default None (= 'auto')
        ``'auto'`` uses the compiled SIMD core (see :func:`softmaxlab.show_config`) for
        float16/32/64 input without ``where`` when it is loaded, else the NumPy reference
        path (numba from 16,384 elements if installed); ``'numpy'`` always the reference
        path; ``'compiled'`` (alias ``'numba'``) always the core (an error if impossible).
        Both paths have the same special values and accuracy bounds.

    Returns
    -------
    ndarray
        Same shape and floating dtype as ``x``.

    Raises
    ------
    ValueError
        Bad ``axis`` or ``temperature``, or ``where`` not broadcastable.
    TypeError
        Non-numeric or complex ``x``; non-boolean ``where``.

    Notes
    -----
    Special values, per slice: NaN or +inf anywhere gives an all-NaN slice; -inf entries give
    -inf; an all -inf slice is NaN; a fully masked slice is all -inf.

    ``log(softmax(x))`` underflows to ``-inf`` as soon as a probability is below the smallest
    float; ``log_softmax`` does not. Writing ``log(sum)`` as ``log1p`` of the sum without one
    maximal term keeps full relative accuracy for the largest entry, whose result is near 0.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab import log_softmax, softmax
    >>> log_softmax([1000.0, 1.0])
    array([   0., -999.])
    >>> with np.errstate(divide="ignore"):
    ...     np.log(softmax([1000.0, 1.0]))
    array([  0., -inf])
    >>> log_softmax([0.0, 0.0]).round(6)
    array([-0.693147, -0.693147])
    """
    if not isinstance(x, np.ndarray) and _backends.is_foreign(x):
        return _backends.log_softmax(x, axis, temperature=temperature, where=where, backend=backend)
    return _softmax_common(x, axis, temperature, where, backend, log=True, func="log_softmax")


def _lse_rows_real(
    xw: NDArray[Any], bw: NDArray[Any] | None
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """log|sum(b * exp(x))|, its sign and the row maximum (all in the working type)."""
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
    else:
        if lo is not None:
            e += e * lo
        mb = bw[r, am]
        e *= bw
        e[r, am] = 0.0
        s = e.sum(axis=1) / mb
        sgn = np.sign(s + 1) * np.sign(mb)
        s = np.where(s < -1, -s - 2, s)
        out = np.log1p(s) + np.log(np.abs(mb)) + m
    return out, sgn, m


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
            if total == 0:
                return -np.inf, 0.0
            size = sum((abs(t) for t in terms), decimal.Decimal(0))
            log_total = abs(total).ln()
            res = top + log_total
            # Absolute error of res: about 10**-prec times |top| + |log_total| + size/|total|;
            # stop once it is far below the float64 ulp of res (or res is exactly 0).
            err = decimal.Decimal(10) ** (-prec) * (abs(top) + abs(log_total) + size / abs(total))
            if res == 0 or err < abs(res) * decimal.Decimal(2) ** -70 or prec >= 1200:
                return float(res), (1.0 if total > 0 else -1.0)
        prec *= 2


# Rows with at most this many terms (and at most _RESCUE_TOTAL terms per call) get the decimal
# evaluation when they cancel; longer ones keep the extended-precision result.
_RESCUE_ROW = 4096
_RESCUE_TOTAL = 20_000


def _rescue_cancellation(
    xw: NDArray[Any],
    bw: NDArray[Any] | None,
    m: NDArray[Any],
    out: NDArray[Any],
    sgn: NDArray[Any],
    out_dtype: np.dtype[Any],
) -> None:
    """Recompute, in place, the rows of a real logsumexp whose result cancels.

    ``out = max + log(sum)`` loses relative accuracy when the two terms have opposite signs
    and nearly equal size: the working type's error, about ``2**-p (|max| + |log(sum)|)``,
    can exceed the output's half ulp. Those rows (rare, and only when the result is near 0)
    are evaluated in decimal arithmetic.
    """
    if out_dtype.itemsize > 8 or xw.shape[1] > _RESCUE_ROW:
        return
    out_bits = np.finfo(out_dtype).nmant + 1
    work_bits = np.finfo(xw.dtype).nmant + 1
    with np.errstate(invalid="ignore"):
        scale = np.abs(m) + np.abs(out - m)
        # Error budget: a quarter ulp of the result, against ~4 ulps of the working type.
        # Without a wider type (float64 on platforms lacking the 80-bit long double) only
        # rows that really cancel are recomputed: the double-double shift covers the rest.
        factor = max(2.0 ** (work_bits - out_bits - 4), 2.0)
        suspect = np.isfinite(out) & np.isfinite(m) & (np.abs(out) * factor < scale)
    rows = np.flatnonzero(suspect)
    if rows.size == 0 or rows.size * xw.shape[1] > _RESCUE_TOTAL:
        return
    for i in rows:
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
        ``where`` or ``return_sign`` when it is loaded, else the NumPy reference path (numba
        from 16,384 elements if installed); ``'numpy'`` always the reference path;
        ``'compiled'`` (alias ``'numba'``) always the core (an error if impossible). Both
        paths have the same special values and accuracy bounds.

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
    not enough; those rows (up to 4,096 terms each, 20,000 terms per call) are recomputed
    with Python's ``decimal`` arithmetic, so the result stays within half an ulp.

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
    if not isinstance(x, np.ndarray) and _backends.is_foreign(x):
        return _backends.logsumexp(
            x, axis, b=b, keepdims=keepdims, return_sign=return_sign, where=where, backend=backend
        )
    func = "logsumexp"
    arr = as_float_array(x, "x", func=func, allow_complex=True)
    barr = None
    if b is not None:
        barr = as_float_array(b, "b", func=func, allow_complex=True)
        try:
            arr, barr = np.broadcast_arrays(arr, barr)
        except ValueError:
            raise ValueError(
                f"The 'b' parameter of logsumexp must be broadcastable to the shape of x "
                f"{np.shape(arr)}. Got an array of shape {barr.shape} instead."
            ) from None
        out_dtype = np.result_type(arr.dtype, barr.dtype)
        arr = arr.astype(out_dtype, copy=False)
    else:
        out_dtype = arr.dtype
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
                out_w, sgn_w, row_max = _lse_rows_real(xw, bw)
                _rescue_cancellation(xw, bw, row_max, out_w, sgn_w, out_dtype)
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
    if is_complex and return_sign:
        out = out.real.astype(real_dtype)
    res = rows.reduced(out, keepdims)
    res = res[()] if res.ndim == 0 else res
    if return_sign:
        s = rows.reduced(sgn, keepdims)
        return res, (s[()] if s.ndim == 0 else s)
    return res
