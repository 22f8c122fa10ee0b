"""Drivers of the compiled SIMD core (:mod:`softmaxlab._simd`): threads and one-row splits.

Where the core is not loaded they raise RuntimeError (softmaxlab.core then keeps its NumPy
reference path and never calls them).

The C functions release the GIL and split large inputs across the core's own thread pool:
rows into row ranges, and a single long row (fewer rows than threads) into chunks. A float32
chunk is read once for its (max, count of maxima, sum of the other exps), merged here; a
float64 row's maximum is merged by the core, then its chunks' (count of maxima, sum) against
it are summed here exactly with :func:`math.fsum`; then the write pass. The
thread count comes from :mod:`._threads` (one thread below ``PARALLEL_MIN_BYTES``).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import _simd
from ._threads import _threads_for

_TINY_T = 1.0 / sys.float_info.max


def _core() -> ModuleType:
    """The loaded core, or RuntimeError (naming why it is not loaded)."""
    core = _simd.core
    if core is None:
        raise RuntimeError(f"the compiled core is not loaded ({_simd.load_error})")
    return core


def merged_max(core: ModuleType, xr: NDArray[Any], nt: int) -> float:
    """The max of a row over ``nt`` threads; NaN for a row holding NaN or +-inf at the max."""
    m, nan = core.row_max(xr, nt)
    if nan or m in (math.inf, -math.inf):
        return math.nan
    return float(m)


def merged_maxsum(core: ModuleType, xr: NDArray[Any], inv_t: float, nt: int) -> tuple[float, float]:
    """(max M, s' = sum(exp((x - M) * inv_t)) - 1) of a float32 row over ``nt`` threads, each
    chunk read once for its own (max, count of maxima, sum) and merged here as the one-pass
    kernel merges its blocks: a chunk below M is scaled by exp((m - M) * inv_t) (m - M exact),
    so s' keeps the exps' relative accuracy. (NaN, NaN) for a row holding NaN or +inf, or all
    -inf (no finite max)."""
    parts = core.row_maxsum(xr, inv_t, nt)
    m_top = max(m for m, _, _ in parts)
    if any(math.isnan(m) for m, _, _ in parts) or m_top == -math.inf:
        return math.nan, math.nan
    terms = [-1.0]
    for m, cnt, rest in parts:
        if m == m_top:
            terms += [cnt, rest]
        elif m > -math.inf:
            terms.append((cnt + rest) * math.exp((m - m_top) * inv_t))
    return float(m_top), math.fsum(terms)


def sum_terms(sums: list[tuple[float, float, float]]) -> list[float]:
    """The terms of s' = sum(exp) - 1 from the chunks' (count of maxima, hi, lo), for fsum."""
    terms = [sum(c for c, _, _ in sums) - 1.0]
    for _, hi_, lo_ in sums:
        terms += [hi_, lo_]
    return terms


def _one_row_split(
    core: ModuleType, xr: NDArray[Any], o: NDArray[Any], nt: int, t: float, log: bool
) -> None:
    if xr.dtype == np.float32:
        # As the C core: the largest finite inverse for a temperature below 1 / DBL_MAX.
        inv_t = 1.0 / t if t >= _TINY_T else sys.float_info.max
        m, s1 = merged_maxsum(core, xr, inv_t, nt)  # x read once for both
        if math.isnan(m):
            o.fill(np.nan)
            return
        a = math.log1p(s1) if log else 1.0 / (1.0 + s1)
        core.row_write(xr, o, m, inv_t, a, 0.0, log, nt)
        return
    m = merged_max(core, xr, nt)
    if math.isnan(m):
        o.fill(np.nan)
        return
    # float64 softmax keeps the exps in the output and scales them there (no second exp).
    parts = sum_terms(core.row_sum(xr, m, t, None if log else o, nt))
    s1 = math.fsum(parts)
    s1_lo = math.fsum([*parts, -s1])
    if log:
        a, b = math.log1p(s1), s1_lo / (1.0 + s1)
    else:
        sh = 1.0 + s1
        sl = math.fsum([1.0, *parts, -sh])
        inv = 1.0 / sh
        a, b = inv - inv * inv * sl, 0.0
    core.row_write(xr, o, m, t, a, b, log, nt)


def softmax_rows(
    x: NDArray[Any],
    out: NDArray[Any] | None = None,
    *,
    temperature: float = 1.0,
    log: bool = False,
    fast: bool = False,
) -> NDArray[Any]:
    r"""softmax (or log_softmax with ``log=True``) of each row of ``x``.

    .. math:: \operatorname{softmax}(x)_{ij} = \exp\bigl((x_{ij} - m_i)/T\bigr)
              \Big/ \sum_k \exp\bigl((x_{ik} - m_i)/T\bigr), \qquad m_i = \max_k x_{ik}

    Parameters
    ----------
    x : ndarray, shape (rows, n)
        C-contiguous float32 or float64, not validated.
    out : ndarray, optional
        C-contiguous, same shape and dtype as ``x``; may be ``x`` itself (in place), but must
        not partially overlap it.
    temperature : float, default 1.0
        Finite and > 0 (not checked).
    log : bool, default False
        Return log_softmax.
    fast : bool, default False
        float32 only: the fast kernel (exp in float32 lanes, <= 4 ulp) on the AVX-512 and
        AVX2 levels; the baseline level, rows of <= 32 classes vectorised across rows, and one
        row split across threads run the exact kernel. float64 ignores it.

    Returns
    -------
    ndarray
        ``out``. Rows holding NaN or +inf, and all -inf rows, are NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.kernels import softmax_rows
    >>> softmax_rows(np.array([[3.0, 1.0, -3.0]])).round(4)
    array([[0.8789, 0.1189, 0.0022]])
    >>> softmax_rows(np.array([[1000.0, 1.0]], dtype=np.float32), log=True)
    array([[   0., -999.]], dtype=float32)
    """
    core = _core()
    if out is None:
        out = np.empty_like(x)
    nrows = x.shape[0]
    mode = (2 if fast else 0) | (1 if log else 0)  # the C core's mode bits
    nt = _threads_for(x.nbytes)
    if nrows < nt:
        t = float(temperature)
        for i in range(nrows):
            _one_row_split(core, x[i], out[i], nt, t, log)
    else:
        core.softmax(x, out, 0, nrows, temperature, mode, nt)
    return out


def logsumexp_rows(
    x: NDArray[Any],
    out: NDArray[Any] | None = None,
    *,
    fallback: Callable[[NDArray[Any]], NDArray[Any]] | None = None,
) -> NDArray[Any]:
    r"""Log-sum-exp of each row: :math:`m_i + \log\bigl(1 + \sum_{k \ne j} e^{x_{ik} - m_i}\bigr)`.

    Parameters
    ----------
    x : ndarray, shape (rows, n)
        C-contiguous float32 or float64, ``n >= 1``, not validated.
    out : ndarray, shape (rows,), optional
        Same dtype as ``x``.
    fallback : callable, optional
        Called as ``fallback(rows)`` on the (copied) rows where the maximum and ``log(sum)``
        cancel, whose result the kernel knows only to a few ulps of ``log(sum)`` in absolute
        terms (float64: ``|result| < log(sum)``; float32: ``|result| < log(sum) / 64``); it
        must return their log-sum-exp (e.g. the extended-precision NumPy path). Without it
        those rows keep the kernel's value.

    Returns
    -------
    ndarray, shape (rows,)
        NaN for rows holding a NaN, +inf for rows holding +inf (and no NaN), -inf for all
        -inf rows.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.kernels import logsumexp_rows
    >>> bool(logsumexp_rows(np.array([[0.0, -40.0]]))[0] == np.logaddexp(0.0, -40.0))
    True
    """
    core = _core()
    nrows = x.shape[0]
    if out is None:
        out = np.empty(nrows, dtype=x.dtype)
    if nrows == 0:
        return out
    flags = np.empty(nrows, dtype=np.uint8)
    core.logsumexp(x, out, flags, 0, nrows, min(nrows, _threads_for(x.nbytes)))
    if fallback is not None:
        redo = flags.view(bool)
        if redo.any():
            out[redo] = fallback(x[redo])
    return out
