"""Relatives of softmax that learners compare it with: sigmoid, log-sigmoid, sparsemax, ReLU."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, normalize_axes, param_error
from ._rows import Rows, work_dtype

__all__ = ["log_sigmoid", "relu", "sigmoid", "sparsemax"]


def sigmoid(x: ArrayLike) -> NDArray[Any]:
    r"""Logistic sigmoid, elementwise: each entry is an independent probability.

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}} = \frac{e^{x}}{1 + e^{x}}

    The first form is used for ``x >= 0`` and the second for ``x < 0`` so that ``exp`` never
    overflows. Unlike :func:`softmax`, the outputs do not sum to 1: sigmoid models
    independent yes/no labels (multi-label), softmax one choice among classes.

    Parameters
    ----------
    x : array_like
        Real input; float16/32/64 dtype is kept, integers and booleans become float64.

    Returns
    -------
    ndarray
        Values in [0, 1], same shape and dtype as ``x``.

    Notes
    -----
    ``sigmoid(+inf) = 1``, ``sigmoid(-inf) = 0``, NaN stays NaN. Computed in a wider type and
    rounded once (within 1 ulp).

    Examples
    --------
    >>> from softmaxlab import sigmoid
    >>> sigmoid([-800.0, 0.0, 2.0, 800.0]).round(4)
    array([0.    , 0.5   , 0.8808, 1.    ])
    """
    arr = as_float_array(x, "x", func="sigmoid")
    xw = arr.astype(work_dtype(arr.dtype))
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(xw))
        out = np.where(xw >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    out = np.where(np.isnan(xw), np.nan, out)
    res = out.astype(arr.dtype)
    return res[()] if res.ndim == 0 else res


def log_sigmoid(x: ArrayLike) -> NDArray[Any]:
    r"""Logarithm of the sigmoid, stable for every float.

    .. math:: \log \sigma(x) = \min(x, 0) - \log\bigl(1 + e^{-|x|}\bigr)

    Parameters
    ----------
    x : array_like
        Real input (float dtype kept; integers and booleans become float64).

    Returns
    -------
    ndarray
        Values in (-inf, 0], same shape and dtype as ``x``.

    Notes
    -----
    ``log_sigmoid(-inf) = -inf``, ``log_sigmoid(+inf) = 0``, NaN stays NaN. For very negative
    ``x`` the result is ``x`` itself (no underflow to ``-inf`` as ``log(sigmoid(x))`` has).

    Examples
    --------
    >>> from softmaxlab import log_sigmoid
    >>> log_sigmoid([-100.0, 0.0, 100.0]).round(4)
    array([-100.    ,   -0.6931,   -0.    ])
    """
    arr = as_float_array(x, "x", func="log_sigmoid")
    xw = arr.astype(work_dtype(arr.dtype))
    with np.errstate(under="ignore"):
        out = np.minimum(xw, 0.0) - np.log1p(np.exp(-np.abs(xw)))
    res = out.astype(arr.dtype)
    return res[()] if res.ndim == 0 else res


def sparsemax(x: ArrayLike, axis: int | tuple[int, ...] | None = -1) -> NDArray[Any]:
    r"""Sparsemax: the Euclidean projection of ``x`` onto the probability simplex.

    .. math::

        \operatorname{sparsemax}(x)_i = \max(x_i - \tau(x), 0), \qquad
        \tau = \frac{\sum_{j \le k} z_{(j)} - 1}{k}, \quad
        k = \max\{j : 1 + j z_{(j)} > \textstyle\sum_{i \le j} z_{(i)}\}

    where :math:`z_{(1)} \ge z_{(2)} \ge \dots` are the entries sorted in decreasing order.
    Like softmax it returns a distribution, but small logits get *exactly* zero probability.

    Parameters
    ----------
    x : array_like
        Logits (float dtype kept; integers and booleans become float64).
    axis : int, tuple of ints or None, default -1
        The axis or axes projected together.

    Returns
    -------
    ndarray
        Same shape and dtype as ``x``; each slice is non-negative and sums to 1.

    Notes
    -----
    A NaN or +inf in a slice gives an all-NaN slice; -inf entries get 0; an all -inf slice is
    NaN. Shift invariant like softmax, but not scale invariant. A 0-d input is one slice of
    one entry: ``sparsemax(3.0)`` is ``1.0`` (with ``axis`` -1, 0 or None).

    References
    ----------
    .. [1] A. F. T. Martins, R. F. Astudillo, "From Softmax to Sparsemax: A Sparse Model of
       Attention and Multi-Label Classification", ICML 2016. :arxiv:`1602.02068`

    Examples
    --------
    >>> from softmaxlab import sparsemax
    >>> sparsemax([3.0, 1.0, -3.0])
    array([1., 0., 0.])
    >>> sparsemax([1.0, 1.2, 0.1]).round(4)
    array([0.4, 0.6, 0. ])
    """
    arr = as_float_array(x, "x", func="sparsemax")
    if arr.ndim == 0:
        # A single logit is its own slice (as softmax, SciPy and PyTorch take a 0-d input):
        # the axis is checked as for a 1-D array and the result is 1 (NaN for inf or NaN).
        try:
            normalize_axes(axis, 1, func="sparsemax")
        except ValueError:
            raise param_error("axis", "-1, 0 or None for a 0-d x", axis, func="sparsemax") from None
        return sparsemax(arr.reshape(1))[0]
    axes = normalize_axes(axis, arr.ndim, func="sparsemax")
    if arr.size == 0:
        return np.empty(arr.shape, dtype=arr.dtype)
    rows = Rows(arr.shape, axes)
    xw = rows.to_rows(arr).astype(np.float64 if arr.dtype.itemsize <= 8 else arr.dtype)
    m = np.max(xw, axis=1, keepdims=True)
    bad = ~np.isfinite(m[:, 0])
    with np.errstate(invalid="ignore"):
        z = xw - np.where(np.isfinite(m), m, 0.0)
        zs = -np.sort(-z, axis=1)
        csum = np.cumsum(zs, axis=1)
        j = np.arange(1, z.shape[1] + 1, dtype=z.dtype)
        support = 1.0 + j * zs > csum
        k = np.maximum(support.sum(axis=1), 1)
        tau = (np.take_along_axis(csum, (k - 1)[:, None], axis=1) - 1.0) / k[:, None]
        out = np.maximum(z - tau, 0.0)
    out[bad] = np.nan
    return rows.from_rows(out.astype(arr.dtype))


def relu(x: ArrayLike) -> NDArray[Any]:
    r"""Rectified linear unit, elementwise: the activation softmax is often confused with.

    .. math:: \operatorname{relu}(x) = \max(x, 0)

    Not a distribution: the outputs are not bounded by 1 and do not sum to 1, and scaling the
    input scales the output (``relu(2x) = 2 relu(x)``), where softmax of ``2x`` is sharper.

    Parameters
    ----------
    x : array_like
        Real input, as for :func:`sigmoid`.

    Returns
    -------
    ndarray
        Same shape and dtype as ``x``; exact (no rounding).

    Notes
    -----
    ``relu(+inf) = +inf``, ``relu(-inf) = 0``, NaN stays NaN (as ``torch.relu``), and
    ``relu(-0.0) = 0.0``.

    Examples
    --------
    >>> from softmaxlab import relu
    >>> relu([-2.0, 0.0, 3.5, float("nan")])
    array([0. , 0. , 3.5, nan])
    """
    arr = as_float_array(x, "x", func="relu")
    # np.maximum propagates NaN; adding 0.0 turns -0.0 into +0.0.
    res = np.maximum(arr, arr.dtype.type(0)) + arr.dtype.type(0)
    return res[()] if res.ndim == 0 else res
