"""Derivatives of softmax: the full Jacobian (for learners) and the vector-Jacobian product."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import kernels
from .._validation import (
    as_float_array,
    check_positive_finite,
    normalize_axes,
    param_error,
    shown,
)
from . import _dispatch
from ._softmax import softmax

__all__ = ["softmax_jacobian", "softmax_vjp"]


def _single_axis(axis: Any, ndim: int, func: str) -> int:
    if isinstance(axis, tuple | list) or axis is None:
        raise param_error("axis", "a single int", axis, func=func)
    return normalize_axes(axis, ndim, func=func)[0]


def softmax_jacobian(x: ArrayLike, axis: int = -1, *, temperature: float = 1.0) -> NDArray[Any]:
    r"""Jacobian of softmax with respect to its input, one ``n × n`` matrix per slice.

    .. math::

        J_{ij} = \frac{\partial p_i}{\partial x_j} = \frac{1}{T}\, p_i (\delta_{ij} - p_j),
        \qquad J = \frac{1}{T}\bigl(\operatorname{diag}(p) - p p^\top\bigr)

    Parameters
    ----------
    x : array_like
        Logits, at least 1-D.
    axis : int, default -1
        The class axis.
    temperature : float, default 1.0
        Finite and > 0, as in :func:`softmax`.

    Returns
    -------
    ndarray
        Shape ``(..., n, n)``: the other axes of ``x`` in order, then ``i`` and ``j``. Rows and
        columns of each matrix sum to 0 (adding a constant to every logit changes nothing).

    Notes
    -----
    NaN slices of :func:`softmax` give NaN matrices. The matrix is symmetric and positive
    semi-definite with one zero eigenvalue (along the all-ones vector).

    Examples
    --------
    >>> from softmaxlab import softmax_jacobian
    >>> softmax_jacobian([0.0, 0.0]).round(3)
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    arr = as_float_array(x, "x", func="softmax_jacobian")
    if arr.ndim == 0:
        raise param_error(
            "x", "an array of at least one dimension", shown("a 0-d array"), func="softmax_jacobian"
        )
    ax = _single_axis(axis, arr.ndim, "softmax_jacobian")
    t = check_positive_finite(temperature, "temperature", func="softmax_jacobian")
    p = np.moveaxis(softmax(arr, axis=ax, temperature=t), ax, -1)
    n = p.shape[-1]
    jac = -p[..., :, None] * p[..., None, :]
    idx = np.arange(n)
    jac[..., idx, idx] += p
    return jac / np.asarray(t, dtype=jac.dtype)


def softmax_vjp(probs: ArrayLike, v: ArrayLike, axis: int = -1) -> NDArray[Any]:
    r"""Vector-Jacobian product of softmax, given its output: the backward pass.

    .. math:: (v^\top J)_j = p_j \Bigl(v_j - \sum_i v_i p_i\Bigr)

    This is how a gradient flows back through softmax without forming the ``n × n`` matrix.
    The dot product and the products are formed in float64 (on the compiled core for float32
    and float64 when it is loaded), each result rounded once.

    Parameters
    ----------
    probs : array_like
        Softmax output ``p``.
    v : array_like
        Upstream gradient, same shape as ``probs``.
    axis : int, default -1
        The class axis.

    Returns
    -------
    ndarray
        Same shape as ``probs``, in the common floating dtype of ``probs`` and ``v``.

    Raises
    ------
    ValueError
        If the shapes differ.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab import softmax, softmax_jacobian, softmax_vjp
    >>> x, v = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, -1.0])
    >>> bool(np.allclose(softmax_vjp(softmax(x), v), v @ softmax_jacobian(x)))
    True
    """
    p = as_float_array(probs, "probs", func="softmax_vjp")
    g = as_float_array(v, "v", func="softmax_vjp")
    if p.ndim == 0:
        raise param_error(
            "probs", "an array of at least one dimension", shown("a 0-d array"), func="softmax_vjp"
        )
    if p.shape != g.shape:
        raise param_error(
            "v",
            f"an array of the shape of probs {p.shape}",
            shown(f"an array of shape {g.shape}"),
            func="softmax_vjp",
        )
    ax = _single_axis(axis, p.ndim, "softmax_vjp")
    out_dtype = np.result_type(p.dtype, g.dtype)
    if out_dtype.char in "fd" and p.size and _dispatch._core_loaded():
        # The compiled core: the same float64 arithmetic, one pass, each output rounded once.
        pr, gr = (np.ascontiguousarray(np.moveaxis(a, ax, -1), dtype=out_dtype) for a in (p, g))
        rows = kernels.softmax_vjp_rows(pr.reshape(-1, pr.shape[-1]), gr.reshape(-1, pr.shape[-1]))
        return np.moveaxis(rows.reshape(pr.shape), -1, ax)
    wdt = np.float64 if out_dtype.itemsize <= 8 else out_dtype
    pw, gw = p.astype(wdt), g.astype(wdt)
    dot = np.sum(pw * gw, axis=ax, keepdims=True)
    return (pw * (gw - dot)).astype(out_dtype)
