"""How spread out a distribution is (entropy, effective number of choices, perplexity) and
its most likely entries (top-k)."""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_int, check_single_axis, param_error, shown
from ..core import cross_entropy, log_softmax, softmax

__all__ = ["TopK", "effective_num_choices", "entropy", "perplexity", "top_k"]


def _entropy_nats(logits: Any, probs: Any, axis: Any, func: str) -> NDArray[Any]:
    if (logits is None) == (probs is None):
        raise TypeError(
            f"{func} takes exactly one of 'logits' and 'probs'. Got "
            f"{'neither' if logits is None else 'both'} instead."
        )
    name = "logits" if probs is None else "probs"
    arr = as_float_array(logits if probs is None else probs, name, func=func)
    if arr.ndim == 0:
        raise param_error(
            name, "an array with a category axis (at least 1-D)", shown("a 0-d array"), func=func
        )
    ax = check_single_axis(axis, arr.ndim, func=func)
    with np.errstate(invalid="ignore", divide="ignore"):
        if probs is None:
            p = softmax(arr, axis=ax)
            logp = log_softmax(arr, axis=ax)
        else:
            p = arr
            finite = np.isfinite(p).all(axis=ax)
            sums = p.sum(axis=ax, dtype=np.float64)
            tol = float(np.sqrt(np.finfo(p.dtype).eps)) * max(1.0, np.sqrt(p.shape[ax]))
            wrong = finite & ((p < 0).any(axis=ax) | (np.abs(sums - 1.0) > tol))
            if wrong.any():
                got = f"a slice summing to {float(sums[wrong].flat[0]):.6g}"
                if (p < 0).any():
                    got = f"a negative entry {float(p[p < 0].flat[0]):.6g}"
                raise param_error(
                    "probs",
                    f"non-negative numbers summing to 1 along axis {axis}",
                    shown(got),
                    func=func,
                )
            logp = np.log(p)
        terms = p * logp
        # 0 log 0 = 0 (the limit); NaN terms stay NaN.
        terms[p == 0] = 0
        # inf probabilities have no entropy: make the slice NaN rather than -inf.
        h = -terms.sum(axis=ax)
        if probs is not None:
            h = np.where(np.isinf(p).any(axis=ax), np.nan, h)
    return np.asarray(h, dtype=arr.dtype)


def entropy(
    logits: ArrayLike | None = None,
    *,
    probs: ArrayLike | None = None,
    axis: int = -1,
    base: float | None = None,
) -> Any:
    r"""Shannon entropy of a categorical distribution given by logits or by probabilities.

    .. math::

        H(p) = -\sum_i p_i \log p_i
             = \operatorname{logsumexp}(x) - \sum_i p_i x_i, \qquad
        p = \operatorname{softmax}(x)

    From logits, :math:`\log p` comes from :func:`softmaxlab.log_softmax`, so a probability
    too small for the float format still contributes its exact (tiny) share.

    Parameters
    ----------
    logits : array_like, optional
        Unnormalised log-probabilities along ``axis``.
    probs : array_like, optional
        Probabilities along ``axis`` (non-negative, summing to 1 within a few rounding
        errors). Give exactly one of ``logits`` and ``probs``.
    axis : int, default -1
        The category axis.
    base : float, optional
        Logarithm base (2 for bits); the natural logarithm (nats) by default.

    Returns
    -------
    ndarray or scalar
        Entropy of each slice, in ``[0, log V]``; the shape of the input without ``axis``.

    Raises
    ------
    TypeError
        Neither or both of ``logits`` and ``probs``; non-numeric input.
    ValueError
        Probabilities that are negative or do not sum to 1; a bad ``axis`` or ``base``.

    Notes
    -----
    :math:`0 \log 0 = 0`: a ``-inf`` logit or a zero probability adds nothing. A slice holding
    NaN or ``inf`` (or, for logits, only ``-inf``) gives NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.sampling import entropy
    >>> float(entropy([0.0, 0.0, 0.0, 0.0], base=2))  # four equal choices: 2 bits
    2.0
    >>> float(entropy(probs=[0.5, 0.5, 0.0]).round(6)) == round(float(np.log(2)), 6)
    True
    >>> entropy([[1000.0, 0.0], [1.0, 1.0]]).round(4)
    array([0.    , 0.6931])
    """
    func = "entropy"
    h = _entropy_nats(logits, probs, axis, func)
    if base is not None:
        if isinstance(base, bool) or not isinstance(base, numbers.Real):
            raise param_error("base", "a finite number > 0 other than 1, or None", base, func=func)
        b = float(base)
        if not (np.isfinite(b) and b > 0 and b != 1):
            raise param_error("base", "a finite number > 0 other than 1, or None", base, func=func)
        h = h / np.log(b).astype(h.dtype)
    return h[()] if h.ndim == 0 else h


def effective_num_choices(
    logits: ArrayLike | None = None, *, probs: ArrayLike | None = None, axis: int = -1
) -> Any:
    r"""The effective number of choices :math:`e^{H(p)}` (the perplexity of the distribution).

    .. math::

        N_\text{eff}(p) = \exp\Bigl(-\sum_i p_i \log p_i\Bigr) \in [1, V]

    It is :math:`V` for a uniform distribution over :math:`V` choices and 1 for a certain one;
    a distribution with :math:`N_\text{eff} = 3.2` is as unpredictable as a fair choice among
    3.2 options.

    Parameters
    ----------
    logits, probs : array_like
        Exactly one of them, as in :func:`entropy`.
    axis : int, default -1
        The category axis.

    Returns
    -------
    ndarray or scalar
        One value per slice (NaN where :func:`entropy` is NaN).

    Examples
    --------
    >>> from softmaxlab.sampling import effective_num_choices
    >>> float(effective_num_choices([0.0, 0.0, 0.0, -float("inf")]).round(6))
    3.0
    >>> float(effective_num_choices(probs=[0.7, 0.1, 0.1, 0.1]).round(3))
    2.56
    """
    h = _entropy_nats(logits, probs, axis, "effective_num_choices")
    out = np.exp(h)
    return out[()] if out.ndim == 0 else out


def perplexity(
    logits: ArrayLike, target: ArrayLike, *, axis: int = -1, ignore_index: int = -100
) -> Any:
    r"""Perplexity of a model on observed tokens: the exponential of the mean cross-entropy.

    .. math::

        \operatorname{PPL} = \exp\Bigl(-\frac{1}{N} \sum_{n=1}^{N}
            \log \operatorname{softmax}(x_n)_{y_n}\Bigr)

    A perplexity of 20 means the model was, on average, as unsure as a fair choice among 20
    tokens. When the targets are drawn from the model's own distribution :math:`p`, the
    expected log-perplexity is the entropy :math:`H(p)` (see :func:`effective_num_choices`).

    Parameters
    ----------
    logits : array_like, shape (N, V) or (V,)
        One row of scores per observed token (the vocabulary along ``axis``).
    target : array_like of int, shape (N,) or ()
        The observed token indices.
    axis : int, default -1
        The vocabulary axis.
    ignore_index : int, default -100
        Targets equal to it (padding) are left out of the mean.

    Returns
    -------
    float
        :math:`\ge 1`; NaN when every target is ignored (as the mean cross-entropy).

    Raises
    ------
    ValueError, TypeError
        As :func:`softmaxlab.cross_entropy` (bad shapes, out-of-range targets...).

    Examples
    --------
    >>> from softmaxlab.sampling import perplexity
    >>> float(perplexity([[0.0, 0.0, 0.0, 0.0]], [2]))  # uniform over 4 tokens
    4.0
    >>> float(perplexity([[2.0, 0.0], [0.0, 2.0], [0.0, 0.0]], [0, 1, -100]).round(4))
    1.1353
    """
    ce = cross_entropy(logits, target, axis=axis, ignore_index=ignore_index, reduction="mean")
    return np.exp(ce)


class TopK(NamedTuple):
    """Result of :func:`top_k`: unpack as ``values, indices = top_k(probs, k)``."""

    values: NDArray[Any]
    indices: NDArray[np.intp]


def top_k(probs: ArrayLike, k: int, *, axis: int = -1) -> TopK:
    r"""The ``k`` largest entries along ``axis`` and where they are, largest first.

    Typical use is a classifier's top-5: ``top_k(softmax(logits), 5)``. Works on logits too
    (softmax preserves the order).

    Parameters
    ----------
    probs : array_like
        Scores or probabilities.
    k : int
        How many to return, in ``[1, n]`` where ``n`` is the length of ``axis``.
    axis : int, default -1
        The axis to rank along.

    Returns
    -------
    TopK
        A named tuple ``(values, indices)``, both of the input's shape with ``axis`` of length
        ``k``, in descending order of value. Equal values keep index order (the lower index
        first, a stable sort). NaN ranks below everything, ``-inf`` just above NaN.

    Raises
    ------
    ValueError
        ``k`` not an int in ``[1, n]``; a bad ``axis``; 0-d input.

    Examples
    --------
    >>> from softmaxlab import softmax
    >>> from softmaxlab.sampling import top_k
    >>> values, indices = top_k(softmax([0.5, 3.0, 1.0, 3.0, -2.0]), 3)
    >>> values.round(3), indices
    (array([0.45 , 0.45 , 0.061]), array([1, 3, 2]))
    """
    func = "top_k"
    arr = as_float_array(probs, "probs", func=func)
    if arr.ndim == 0:
        raise param_error("probs", "at least 1-D", shown("a 0-d array"), func=func)
    ax = check_single_axis(axis, arr.ndim, func=func)
    n = arr.shape[ax]
    kk = check_int(k, "k", low=1, func=func)
    assert kk is not None
    if kk > n:
        raise param_error(
            "k", f"an int in the range [1, {n}] (the length of axis {axis})", k, func=func
        )
    # Negating keeps ties in index order under a stable sort and leaves NaN last.
    order = np.argsort(-arr, axis=ax, kind="stable")
    idx = np.take(order, np.arange(kk), axis=ax)
    return TopK(np.take_along_axis(arr, idx, axis=ax), idx.astype(np.intp))
