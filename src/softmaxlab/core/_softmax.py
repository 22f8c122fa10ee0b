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

from .. import interop as _interop
from .. import kernels
from .._validation import (
    as_float_array,
    check_bool_mask,
    check_positive_finite,
    check_precision,
    normalize_axes,
    param_error,
    shown,
    type_error,
)
from . import _dispatch
from ._logsumexp import logsumexp as logsumexp  # re-exported: its home is _logsumexp
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


def _scalar_axis(axis: Any) -> bool:
    """Whether ``axis`` names the only axis a 0-d input can be seen along (None, 0 or -1)."""
    if axis is None:
        return True
    return isinstance(axis, int | np.integer) and not isinstance(axis, bool) and axis in (0, -1)


def _softmax_common(
    x: ArrayLike,
    axis: Any,
    temperature: float,
    where: ArrayLike | None,
    backend: str | None,
    *,
    log: bool,
    func: str,
    fast: bool = False,
) -> NDArray[Any]:
    if where is None:
        # The common kernel call, with no more checks than it needs (None: anything else).
        res = _dispatch.fast_softmax(x, axis, temperature, backend, log, fast)
        if res is not None:
            return res
    arr = as_float_array(x, "x", func=func)
    if arr.ndim == 0 and _scalar_axis(axis):
        # A 0-d input is one row of one entry, as in SciPy and PyTorch: softmax(3.0) is 1.0.
        w = None if where is None else check_bool_mask(where, (), func=func).reshape(1)
        one = _softmax_common(
            arr.reshape(1), -1, temperature, w, backend, log=log, func=func, fast=fast
        )
        return one.reshape(())
    t = check_positive_finite(temperature, "temperature", func=func)
    axes = normalize_axes(axis, arr.ndim, func=func)
    mask = None if where is None else check_bool_mask(where, arr.shape, func=func)
    be = _dispatch.check_backend(backend, func)
    if arr.size == 0:
        return np.empty(arr.shape, dtype=arr.dtype)
    rows = Rows(arr.shape, axes)
    if mask is None and _dispatch.use_core(be, arr.dtype, arr.size, func):
        kr = _dispatch.kernel_rows(rows.to_rows(arr))
        res = kernels.softmax_rows(kr, temperature=t, log=log, fast=fast)
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


def _softmax_into(
    out: Any,
    x: Any,
    axis: Any,
    temperature: Any,
    where: Any,
    backend: Any,
    *,
    log: bool,
    func: str,
    fast: bool = False,
) -> NDArray[Any]:
    """softmax / log_softmax written into ``out`` (an ndarray of the result's shape and dtype)."""
    if not isinstance(out, np.ndarray):
        raise type_error("out", "a NumPy array (ndarray) or None", out, func=func)
    if not isinstance(x, np.ndarray) and _interop.is_foreign(x):
        raise type_error("x", "a NumPy array or array-like when 'out' is given", x, func=func)
    arr = as_float_array(x, "x", func=func)
    if out.shape != arr.shape or out.dtype != arr.dtype:
        raise param_error(
            "out",
            f"an ndarray of the result's shape {arr.shape} and dtype {arr.dtype}",
            shown(f"an array of shape {out.shape} and dtype {out.dtype}"),
            func=func,
        )
    if not out.flags.writeable:
        raise param_error("out", "a writeable ndarray", shown("a read-only array"), func=func)
    last = type(axis) is int and axis in (-1, arr.ndim - 1) and arr.ndim > 0
    direct = (
        where is None
        and last
        and arr.size > 0
        and arr.dtype.char in "fd"
        and arr.flags.c_contiguous
        and out.flags.c_contiguous
        and (out is arr or not np.shares_memory(out, arr))
        and _dispatch.use_core(_dispatch.check_backend(backend, func), arr.dtype, arr.size, func)
    )
    if direct:
        t = check_positive_finite(temperature, "temperature", func=func)
        n = arr.shape[-1]
        rows2d = arr.reshape(-1, n)
        kernels.softmax_rows(rows2d, out.reshape(-1, n), temperature=t, log=log, fast=fast)
        return out
    res = _softmax_common(arr, axis, temperature, where, backend, log=log, func=func, fast=fast)
    np.copyto(out, res)
    return out


def _entry(
    x: Any,
    axis: Any,
    temperature: Any,
    where: Any,
    backend: Any,
    out: Any,
    precision: Any,
    *,
    log: bool,
) -> Any:
    """softmax / log_softmax past the common call: ``precision``, ``out=`` (its own quick
    path first), foreign arrays, then the general path with its full validation."""
    func = "log_softmax" if log else "softmax"
    fast = check_precision(precision, func)
    if out is not None:
        if where is None and _dispatch.fast_softmax_into(
            x, out, axis, temperature, backend, log, fast
        ):
            return out
        return _softmax_into(
            out, x, axis, temperature, where, backend, log=log, func=func, fast=fast
        )
    if not isinstance(x, np.ndarray) and _interop.is_foreign(x):
        foreign = _interop.log_softmax if log else _interop.softmax
        return foreign(x, axis, temperature=temperature, where=where, backend=backend)
    return _softmax_common(x, axis, temperature, where, backend, log=log, func=func, fast=fast)


def softmax(
    x: ArrayLike,
    axis: int | tuple[int, ...] | None = -1,
    *,
    temperature: float = 1.0,
    where: ArrayLike | None = None,
    backend: str | None = None,
    out: NDArray[Any] | None = None,
    precision: str = "exact",
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
        path; ``'numpy'`` always the reference path; ``'compiled'`` (alias ``'numba'``, its
        former name) always the core (an error if impossible).
        Both paths have the same special values and accuracy bounds.
    out : ndarray, optional
        Where to write the result (NumPy's convention): an ndarray of the result's shape and
        dtype, returned. It may be ``x`` itself (in place). A C-contiguous ``out`` along the
        last axis saves the allocation that dominates large calls on the compiled core.
    precision : {'exact', 'fast'}, default 'exact'
        ``'fast'`` evaluates exp in float32 lanes (twice as many per SIMD register) with the
        same exactly formed ``x - max``: at most 4 ulp in float32 instead of <= 1 (PyTorch's
        CPU softmax: up to ~64 ulp), see the README. It changes only float32 (and float16,
        computed through float32) on the compiled core at the AVX-512 and AVX2 levels; float64,
        the NumPy reference path, ``where``, foreign arrays, the baseline level, rows of <= 32
        classes and one row split across threads compute exactly as ``'exact'``. Special
        values (inf/NaN rows) are the same in both modes.

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
    if where is None:
        # The common small call first: one C call that checks what it needs.
        res = _dispatch.quick_softmax(x, axis, temperature, backend, out, precision, False)
        if res is not None:
            return res
    return _entry(x, axis, temperature, where, backend, out, precision, log=False)


def log_softmax(
    x: ArrayLike,
    axis: int | tuple[int, ...] | None = -1,
    *,
    temperature: float = 1.0,
    where: ArrayLike | None = None,
    backend: str | None = None,
    out: NDArray[Any] | None = None,
    precision: str = "exact",
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
        The path, as for :func:`softmax`.
    out : ndarray, optional
        Where to write the result, as for :func:`softmax` (``x`` itself allowed).
    precision : {'exact', 'fast'}, default 'exact'
        As for :func:`softmax`: ``'fast'`` (float32 on the compiled core's AVX-512 and AVX2
        levels) speeds up the sum pass only; the write pass ``d - log(S)`` is the exact one.

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
    if where is None:
        # The common small call first: one C call that checks what it needs.
        res = _dispatch.quick_softmax(x, axis, temperature, backend, out, precision, True)
        if res is not None:
            return res
    return _entry(x, axis, temperature, where, backend, out, precision, log=True)
