"""The Gumbel-softmax (Concrete) relaxation of a categorical draw."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import (
    as_float_array,
    check_bool,
    check_positive_finite,
    check_rng,
    check_single_axis,
)
from ..core import softmax

__all__ = ["gumbel_softmax"]


def gumbel_softmax(
    logits: ArrayLike,
    *,
    tau: float = 1.0,
    hard: bool = False,
    rng: np.random.Generator | int | None = None,
    axis: int = -1,
) -> NDArray[Any]:
    r"""A differentiable stand-in for a categorical draw: softmax of Gumbel-perturbed logits.

    .. math::

        y_i = \operatorname{softmax}\Bigl(\frac{x + g}{\tau}\Bigr)_i, \qquad
        g_i = -\log(-\log u_i),\ u_i \sim U(0, 1)

    As :math:`\tau \to 0`, :math:`y` tends to the one-hot vector of
    :math:`\operatorname{argmax}_i (x_i + g_i)`, a draw from
    :math:`\operatorname{softmax}(x)` (the Gumbel-max trick); larger :math:`\tau` gives smoother
    vectors.

    Parameters
    ----------
    logits : array_like
        Unnormalised log-probabilities along ``axis``.
    tau : float, default 1.0
        Relaxation temperature, finite and > 0.
    hard : bool, default False
        Return the one-hot vector of the argmax of ``y`` instead of ``y`` (the forward value of
        the straight-through estimator in :func:`torch.nn.functional.gumbel_softmax`).
    rng : numpy.random.Generator, int or None
        Source of the Gumbel noise; an int is a seed.
    axis : int, default -1
        The category axis.

    Returns
    -------
    ndarray
        Same shape and floating dtype as ``logits``; each slice sums to 1 (one-hot when
        ``hard``).

    Raises
    ------
    ValueError
        ``tau`` not finite or not > 0, a bad ``axis`` or ``rng``.
    TypeError
        Non-numeric logits or a non-bool ``hard``.

    Notes
    -----
    A ``-inf`` logit gets 0. A slice holding NaN or ``+inf``, or only ``-inf``, is NaN (soft
    and hard). The noise is float64 and is drawn for every entry, so the same seed gives the
    same result whatever ``tau`` and ``hard``.

    References
    ----------
    .. [1] E. Jang, S. Gu, B. Poole, "Categorical reparameterization with Gumbel-softmax",
       ICLR 2017. :arxiv:`1611.01144`
    .. [2] C. J. Maddison, A. Mnih, Y. W. Teh, "The Concrete distribution", ICLR 2017.
       :arxiv:`1611.00712`

    Examples
    --------
    >>> from softmaxlab.sampling import gumbel_softmax
    >>> y = gumbel_softmax([1.0, 2.0, 3.0], tau=0.5, rng=0)
    >>> y.round(3), float(y.sum().round(12))
    (array([0.   , 0.002, 0.998]), 1.0)
    >>> gumbel_softmax([1.0, 2.0, 3.0], tau=0.5, hard=True, rng=0)
    array([0., 0., 1.])
    """
    func = "gumbel_softmax"
    arr = as_float_array(logits, "logits", func=func, axis_name="category")
    t = check_positive_finite(tau, "tau", func=func)
    hard = check_bool(hard, "hard", func=func)
    ax = check_single_axis(axis, arr.ndim, func=func)
    gen = check_rng(rng, func=func)
    g = gen.gumbel(size=arr.shape)
    with np.errstate(invalid="ignore"):
        # -inf + g stays -inf; inf/NaN make the slice NaN in softmax.
        y = softmax(arr.astype(np.float64) + g, axis=ax, temperature=t)
    if hard and y.size:
        one_hot = np.zeros_like(y)
        np.put_along_axis(one_hot, np.argmax(y, axis=ax, keepdims=True), 1.0, axis=ax)
        y = np.where(np.isnan(y).any(axis=ax, keepdims=True), np.nan, one_hot)
    return y.astype(arr.dtype, copy=False)
