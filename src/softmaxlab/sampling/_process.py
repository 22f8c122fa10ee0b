"""Decoding filters on logits: temperature, top-k, top-p (nucleus) and min-p.

The rules are those of the Hugging Face ``transformers`` logits warpers
(``TemperatureLogitsWarper``, ``TopKLogitsWarper``, ``TopPLogitsWarper``,
``MinPLogitsWarper``), applied in the order of ``GenerationMixin._get_logits_processor``:
temperature, then top-k, then top-p, then min-p. Every probability comes from the core
:func:`softmaxlab.softmax` with a ``where=`` mask of the tokens still kept.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, NamedTuple, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import (
    as_float_array,
    check_int,
    check_probability,
    check_single_axis,
    param_error,
)
from ..core import softmax

__all__ = ["DECODING_DEFAULTS", "DecodingOptions", "ProcessedLogits", "process_logits"]


class DecodingOptions(TypedDict, total=False):
    """The decoding options of :func:`process_logits` and :func:`sample`, in the order the
    filters run, for the functions that only pass them on (``**options``)."""

    temperature: float
    top_k: int | None
    top_p: float | None
    min_p: float | None


DECODING_DEFAULTS: DecodingOptions = {
    "temperature": 1.0,
    "top_k": None,
    "top_p": None,
    "min_p": None,
}
"""Their defaults (those of :func:`process_logits`), in the same order."""


class ProcessedLogits(NamedTuple):
    """Result of :func:`process_logits`: unpack as ``probs, removed = process_logits(...)``."""

    probs: NDArray[Any]
    """The processed distribution (same shape and floating dtype as the logits)."""
    removed: NDArray[np.bool_]
    """True where a filter removed a token that had a logit above -inf."""


@dataclass
class _Plan:
    """Validated logits as (rows, vocabulary) and the tokens that survive the filters."""

    x: NDArray[Any]  # (R, V) logits, input dtype
    keep: NDArray[np.bool_]  # (R, V)
    bad: NDArray[np.bool_]  # (R,) rows with NaN, +inf or only -inf
    temperature: float
    axis: int
    moved_shape: tuple[int, ...]  # logits shape with the vocabulary axis last

    def back(self, rows: NDArray[Any]) -> NDArray[Any]:
        """Reshape a (R, V) array to the caller's layout."""
        return np.moveaxis(rows.reshape(self.moved_shape), -1, self.axis)


def _check_temperature(value: Any, func: str) -> float:
    allowed = "a finite number >= 0"
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise param_error("temperature", allowed, value, func=func)
    t = float(value)
    if not (np.isfinite(t) and t >= 0):
        raise param_error("temperature", allowed, value, func=func)
    return t


def _plan(
    logits: ArrayLike,
    *,
    temperature: Any,
    top_k: Any,
    top_p: Any,
    min_p: Any,
    min_tokens_to_keep: Any,
    axis: Any,
    func: str,
) -> _Plan:
    arr = as_float_array(logits, "logits", func=func, axis_name="vocabulary")
    t = _check_temperature(temperature, func)
    k = check_int(top_k, "top_k", low=1, func=func, none_ok=True)
    p = None if top_p is None else check_probability(top_p, "top_p", low_open=True, func=func)
    mp = None if min_p is None else check_probability(min_p, "min_p", func=func)
    m = check_int(min_tokens_to_keep, "min_tokens_to_keep", low=1, func=func)
    assert m is not None
    ax = check_single_axis(axis, arr.ndim, func=func)

    moved = np.moveaxis(arr, ax, -1)
    moved_shape = moved.shape
    v = moved_shape[-1]
    x = moved.reshape(math.prod(moved_shape[:-1]), v)
    keep = np.ones(x.shape, dtype=bool)
    if x.size == 0:
        bad = np.zeros(x.shape[0], dtype=bool)
        return _Plan(x, keep, bad, t, ax, moved_shape)

    with np.errstate(invalid="ignore", over="ignore", under="ignore", divide="ignore"):
        # NaN/inf rows are flagged here and left unfiltered; their filter results are noise.
        bad = np.isnan(x).any(axis=1) | (x == np.inf).any(axis=1) | (x == -np.inf).all(axis=1)
        if t == 0.0:
            keep = x == x.max(axis=1, keepdims=True)
        else:
            if k is not None:
                kk = min(max(k, m), v)
                # Everything strictly below the k-th largest logit goes: ties at it all stay.
                kth = np.partition(x, v - kk, axis=1)[:, v - kk : v - kk + 1]
                keep &= ~(x < kth)
            if p is not None and p < 1.0:
                keep &= ~_top_p_removed(x, keep, t, p, m)
            if mp is not None:
                keep &= ~_min_p_removed(x, keep, t, mp, m)
    keep[bad] = True
    return _Plan(x, keep, bad, t, ax, moved_shape)


def _top_p_removed(
    x: NDArray[Any], keep: NDArray[np.bool_], t: float, top_p: float, m: int
) -> NDArray[np.bool_]:
    """transformers' TopPLogitsWarper on rows: ascending cumulative mass <= 1 - top_p goes."""
    probs = softmax(x, temperature=t, where=keep)
    # The tie rule: rank by a stable sort on -logit (among equal logits the lower index ranks
    # first, whatever the vocabulary size), then walk that ranking from the bottom, as
    # transformers accumulates its ascending sort, so that untied rows give its exact cut.
    order = np.argsort(-np.where(keep, x, -np.inf), axis=1, kind="stable")[:, ::-1]
    cum = np.cumsum(np.take_along_axis(probs, order, axis=1).astype(np.float64), axis=1)
    removed_sorted = cum <= 1.0 - top_p
    removed_sorted[:, max(x.shape[1] - m, 0) :] = False
    removed = np.empty_like(removed_sorted)
    np.put_along_axis(removed, order, removed_sorted, axis=1)
    return removed


def _min_p_removed(
    x: NDArray[Any], keep: NDArray[np.bool_], t: float, min_p: float, m: int
) -> NDArray[np.bool_]:
    """transformers' MinPLogitsWarper on rows: probability < min_p * top probability goes."""
    probs = softmax(x, temperature=t, where=keep)
    removed = probs < min_p * probs.max(axis=1, keepdims=True)
    mm = min(m, x.shape[1])
    top = np.argsort(-probs, axis=1, kind="stable")[:, :mm]  # ties: the lower index first
    np.put_along_axis(removed, top, False, axis=1)
    return removed


def process_logits(
    logits: ArrayLike,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    min_p: float | None = None,
    min_tokens_to_keep: int = 1,
    axis: int = -1,
) -> ProcessedLogits:
    r"""The next-token distribution after temperature, top-k, top-p and min-p filtering.

    The filters run in the order of Hugging Face ``transformers``' generation pipeline
    (``_get_logits_processor``), each on the result of the previous one, and follow the rules of
    its logits warpers exactly:

    1. **temperature** :math:`T`: logits become :math:`z_i = x_i / T`.
    2. **top-k**: remove every token whose logit is strictly below the :math:`k`-th largest,
       with :math:`k = \min(\max(\text{top\_k}, \text{min\_tokens\_to\_keep}), V)`. Tokens tied
       with the :math:`k`-th value are all kept, so more than :math:`k` may survive.
    3. **top-p** (nucleus): with :math:`p = \operatorname{softmax}(z)` over the kept tokens,
       sorted in *ascending* order and accumulated, remove the tokens whose cumulative mass is
       :math:`\le 1 - \text{top\_p}`. Equivalently a token stays iff the mass of the tokens
       ranked above it is :math:`< \text{top\_p}`: the smallest set of most likely tokens whose
       mass reaches top_p, *including the token that crosses the threshold*. The
       ``min_tokens_to_keep`` most likely tokens always stay. ``top_p=1`` keeps everything
       (``generate`` skips the warper then).
    4. **min-p**: with :math:`p` renormalised over the kept tokens, remove tokens with
       :math:`p_i < \text{min\_p} \cdot \max_j p_j`; the threshold is relative to the most
       likely token, which always stays (as do the ``min_tokens_to_keep`` most likely).

    The result is :math:`\operatorname{softmax}(x / T)` over the tokens kept (the core
    :func:`softmaxlab.softmax` with ``where=``), and zero elsewhere.

    Parameters
    ----------
    logits : array_like, shape (..., V, ...)
        Scores over a vocabulary of ``V`` tokens along ``axis``; other axes are a batch.
    temperature : float, default 1.0
        Finite and >= 0. ``0`` means greedy: only the largest logits stay (ties split the mass
        evenly) and the other filters are not applied.
    top_k : int or None, default None
        Keep the ``top_k`` largest logits (and ties with the last one); >= 1.
    top_p : float or None, default None
        Nucleus mass, in (0, 1].
    min_p : float or None, default None
        Relative probability floor, in [0, 1].
    min_tokens_to_keep : int, default 1
        Tokens that top-k, top-p and min-p may never remove (``transformers`` uses 2 or more
        only in beam sampling).
    axis : int, default -1
        The vocabulary axis.

    Returns
    -------
    ProcessedLogits
        A named tuple ``(probs, removed)``. ``probs`` has the shape and floating dtype of
        ``logits`` and sums to 1 along ``axis``; ``removed`` is a boolean array of the same
        shape, True where a filter removed a token whose logit was above -inf.

    Raises
    ------
    ValueError
        ``temperature`` negative or not finite, ``top_k`` < 1, ``top_p`` outside (0, 1],
        ``min_p`` outside [0, 1], ``min_tokens_to_keep`` < 1, a bad ``axis`` or 0-d logits.
    TypeError
        Non-numeric logits.

    Notes
    -----
    Special values, per slice: a ``-inf`` logit has probability 0 (it is never flagged as
    removed, having nothing to lose). A slice holding NaN or ``+inf``, or only ``-inf``, gives
    NaN probabilities and removes nothing. Other slices are unaffected.

    The top-p cut is a comparison of a floating-point cumulative sum with ``1 - top_p``, as in
    ``transformers``; the sum is accumulated in float64.

    **Ties.** Where a filter needs an order among equal logits (the top-p cut and the
    ``min_tokens_to_keep`` tokens of top-p and min-p), **the lower index ranks first**: tokens
    are ranked by a stable sort on ``-logit``, for every vocabulary size. Top-k needs no
    order: every token tied with the k-th value stays. ``transformers`` has no fixed rule:
    ``TopPLogitsWarper`` sorts ascending with ``torch.sort``, which on CPU is stable only for
    rows of at most 16 elements, so there the *higher* index of a tie is kept first, and for
    larger vocabularies the tied token kept depends on the sort's internals. Rows without ties
    at the cut give exactly the same result as ``transformers``.

    References
    ----------
    .. [1] A. Holtzman et al., "The curious case of neural text degeneration", ICLR 2020
       (nucleus sampling). :arxiv:`1904.09751`
    .. [2] N. N. Minh et al., "Turning up the heat: min-p sampling for creative and coherent
       LLM outputs", 2024. :arxiv:`2407.01082`

    Examples
    --------
    >>> from softmaxlab.sampling import process_logits
    >>> logits = [2.1, 1.5, 0.3, 0.2]
    >>> probs, removed = process_logits(logits)
    >>> probs.round(3)
    array([0.537, 0.294, 0.089, 0.08 ])

    A lower temperature sharpens; top-p then keeps the smallest head of mass >= 0.9, the token
    that crosses 0.9 included:

    >>> probs, removed = process_logits(logits, temperature=0.7, top_p=0.9)
    >>> probs.round(3), removed
    (array([0.702, 0.298, 0.   , 0.   ]), array([False, False,  True,  True]))

    Top-k keeps ties with the k-th value; min-p is relative to the top probability:

    >>> process_logits([3.0, 1.0, 1.0, 0.0], top_k=2).removed
    array([False, False, False,  True])
    >>> process_logits([3.0, 1.0, 1.0, 0.0], min_p=0.1).removed
    array([False, False, False,  True])

    Among tied logits the lower index ranks first: with two equal logits and ``top_p=0.5``,
    the first one stays:

    >>> process_logits([1.0, 1.0], top_p=0.5).removed
    array([False,  True])
    """
    plan = _plan(
        logits,
        temperature=temperature,
        top_k=top_k,
        top_p=top_p,
        min_p=min_p,
        min_tokens_to_keep=min_tokens_to_keep,
        axis=axis,
        func="process_logits",
    )
    probs = softmax(plan.x, temperature=plan.temperature or 1.0, where=plan.keep)
    removed = ~plan.keep & (plan.x != -np.inf)
    return ProcessedLogits(plan.back(probs), plan.back(removed))
