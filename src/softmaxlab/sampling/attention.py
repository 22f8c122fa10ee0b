"""Scaled dot-product attention on top of the core softmax with a ``where=`` mask."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_bool, param_error, regular_array, shown, type_error
from ..core import softmax

__all__ = ["attention_scores", "scaled_dot_product_attention"]

_FUNC = "scaled_dot_product_attention"


def _shape_error(what: str, a: str, sa: Any, b: str, sb: Any) -> ValueError:
    """The template error naming ``b``, the second of two arrays whose shapes disagree."""
    return param_error(
        b,
        f"compatible with '{a}' of shape {tuple(sa)} ({what})",
        shown(f"an array of shape {tuple(sb)}"),
        func=_FUNC,
    )


def _scaled_scores(qa: NDArray[Any], ka: NDArray[Any], scale: Any, work: np.dtype[Any]) -> Any:
    """``q kᵀ · scale`` computed in ``work`` (the scale checked; 1/√d when None)."""
    s = _check_scale(scale, qa.shape[-1])
    try:
        scores = np.matmul(qa.astype(work, copy=False), np.swapaxes(ka, -1, -2).astype(work))
    except ValueError:
        raise _shape_error(
            "the batch axes of q and k must broadcast", "q", qa.shape, "k", ka.shape
        ) from None
    return scores * work.type(s)


def scaled_dot_product_attention(
    q: ArrayLike,
    k: ArrayLike,
    v: ArrayLike,
    *,
    mask: ArrayLike | None = None,
    scale: float | None = None,
    is_causal: bool = False,
    return_weights: bool = False,
) -> Any:
    r"""Attention: each query takes a softmax-weighted average of the values.

    .. math::

        A = \operatorname{softmax}\Bigl(s\, Q K^\top + M\Bigr), \qquad
        \operatorname{Attention}(Q, K, V) = A V, \qquad s = 1/\sqrt{E}

    The softmax runs over the keys (last axis) with the core :func:`softmaxlab.softmax` and a
    ``where=`` mask, so masked keys get weight exactly 0 and are never read.

    Parameters
    ----------
    q : array_like, shape (..., L, E)
        Queries.
    k : array_like, shape (..., S, E)
        Keys.
    v : array_like, shape (..., S, Ev)
        Values. Leading (batch, head) axes of ``q``, ``k`` and ``v`` broadcast together.
    mask : array_like, optional, broadcastable to (..., L, S)
        Boolean: True where a query may attend to a key (as :mod:`torch`). Floating: added to
        the scores; ``-inf`` entries are treated as masked.
    scale : float, optional
        Score scale :math:`s`; ``1/sqrt(E)`` by default.
    is_causal : bool, default False
        Also mask keys after the query (query ``i`` sees keys ``j <= i``, aligned at the
        top-left as :func:`torch.nn.functional.scaled_dot_product_attention`).
    return_weights : bool, default False
        Also return the attention weights :math:`A`.

    Returns
    -------
    out : ndarray, shape (..., L, Ev)
        Same floating dtype as the inputs (their common type).
    weights : ndarray, shape (..., L, S)
        Only with ``return_weights``; each unmasked row sums to 1.

    Raises
    ------
    ValueError
        Inputs of fewer than 2 dimensions, mismatched ``E`` or ``S``, batch axes or a mask that
        do not broadcast, a ``scale`` that is not finite.
    TypeError
        Non-numeric inputs; a mask that is neither boolean nor floating; ``is_causal`` or
        ``return_weights`` that is not a bool.

    Notes
    -----
    A query whose keys are all masked gets weights 0 and output 0, never NaN (a plain softmax
    of an all ``-inf`` row is NaN; recent :func:`torch.nn.functional.scaled_dot_product_attention`
    also returns 0). NaN in an unmasked score makes that query's row NaN; NaN in a masked
    key is never read, but NaN in a masked *value* row still reaches the output through
    ``0 * NaN``, as in torch.

    float16 inputs are computed in float32 (the scores, the softmax and the weighted sum of
    the values) and rounded once, as PyTorch's CPU kernels accumulate: the output is within
    about half an ulp of the exact result, where float16 arithmetic throughout loses several.

    References
    ----------
    .. [1] A. Vaswani et al., "Attention is all you need", NeurIPS 2017.
       :arxiv:`1706.03762`

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.sampling import scaled_dot_product_attention
    >>> q = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> k = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> v = np.array([[1.0], [2.0], [3.0]])
    >>> out, w = scaled_dot_product_attention(q, k, v, return_weights=True)
    >>> w.round(3)
    array([[0.401, 0.198, 0.401],
           [0.198, 0.401, 0.401]])
    >>> out.round(3)
    array([[2.   ],
           [2.203]])

    A query with every key masked gets zeros:

    >>> mask = np.array([[True, True, False], [False, False, False]])
    >>> scaled_dot_product_attention(q, k, v, mask=mask).round(3)
    array([[1.33],
           [0.  ]])
    """
    qa, ka, va = _check_qkv(q, k, v)
    causal = check_bool(is_causal, "is_causal", func=_FUNC)
    with_weights = check_bool(return_weights, "return_weights", func=_FUNC)
    dtype = np.result_type(qa.dtype, ka.dtype, va.dtype)
    # float16 is accumulated in float32 (QK^T, softmax and AV) and rounded once at the end,
    # as PyTorch's CPU kernels do; products summed in float16 lose several ulps.
    work = np.dtype(np.float32) if dtype.itemsize < 4 else dtype
    scores, where = _masked_scores(_scaled_scores(qa, ka, scale, work), mask, causal, work)
    weights = softmax(scores, axis=-1, where=where)
    try:
        out = np.matmul(weights, va.astype(work, copy=False))
    except ValueError:
        raise _shape_error(
            "the batch axes of the weights and v must broadcast",
            "weights",
            weights.shape,
            "v",
            va.shape,
        ) from None
    out = np.asarray(out).astype(dtype, copy=False)
    if with_weights:
        return out, weights.astype(dtype, copy=False)
    return out


def _check_qkv(q: ArrayLike, k: ArrayLike, v: ArrayLike) -> tuple[NDArray[Any], ...]:
    qa = as_float_array(q, "q", func=_FUNC)
    ka = as_float_array(k, "k", func=_FUNC)
    va = as_float_array(v, "v", func=_FUNC)
    for name, a in (("q", qa), ("k", ka), ("v", va)):
        if a.ndim < 2:
            raise param_error(
                name,
                "at least 2-D (..., length, dim)",
                shown(f"an array of shape {a.shape}"),
                func=_FUNC,
            )
    if qa.shape[-1] != ka.shape[-1]:
        raise _shape_error("q and k must have the same last axis (E)", "q", qa.shape, "k", ka.shape)
    if ka.shape[-2] != va.shape[-2]:
        raise _shape_error(
            "k and v must have the same number of keys (axis -2)", "k", ka.shape, "v", va.shape
        )
    return qa, ka, va


def _check_scale(scale: Any, e: int) -> float:
    if scale is None:
        return float(1.0 / np.sqrt(e)) if e > 0 else 1.0
    if isinstance(scale, bool | np.bool_) or not isinstance(scale, numbers.Real):
        raise param_error("scale", "a finite number or None", scale, func=_FUNC)
    s = float(scale)
    if not np.isfinite(s):
        raise param_error("scale", "a finite number or None", scale, func=_FUNC)
    return s


def _masked_scores(
    scores: NDArray[Any], mask: ArrayLike | None, is_causal: bool, dtype: np.dtype[Any]
) -> tuple[NDArray[Any], NDArray[np.bool_] | None]:
    """Scores with a float mask added, and the boolean ``where`` (or None), both broadcast."""
    where = None
    if mask is not None:
        allowed = "a boolean or floating array with a regular shape"
        m = regular_array(mask, "mask", allowed, func=_FUNC)
        if m.dtype == np.bool_:
            where = m
        elif m.dtype.kind == "f":
            with np.errstate(invalid="ignore"):
                # -inf entries are masked (weight 0, not read); the rest shift the scores.
                where = m != -np.inf
                scores = scores + np.where(where, m, 0).astype(dtype)
        else:
            raise type_error(
                "mask",
                "a boolean or floating array",
                shown(f"an array of dtype {m.dtype}"),
                func=_FUNC,
            )
    if is_causal:
        lq, sk = scores.shape[-2], scores.shape[-1]
        causal = np.tril(np.ones((lq, sk), dtype=bool))
        where = causal if where is None else (where & causal)
    if where is None:
        return scores, None
    try:
        full = np.broadcast_shapes(scores.shape, where.shape)
    except ValueError:
        raise _shape_error(
            "the mask must broadcast to the scores (..., L, S)",
            "scores",
            scores.shape,
            "mask",
            where.shape,
        ) from None
    return np.broadcast_to(scores, full), np.broadcast_to(where, full)


def attention_scores(
    q: ArrayLike, k: ArrayLike, *, scale: float | None = None, is_causal: bool = False
) -> NDArray[Any]:
    r"""The scaled scores :math:`s\,QK^\top` that attention feeds to its softmax.

    .. math::

        S_{ij} = s \sum_e Q_{ie} K_{je}, \qquad s = 1/\sqrt{E}

    With ``is_causal`` the keys after each query (``j > i``) are ``-inf``: the entries that
    :func:`scaled_dot_product_attention` masks, so ``softmax(S, axis=-1)`` gives its weights.

    Parameters
    ----------
    q, k : array_like, shapes (..., L, E) and (..., S, E)
        Queries and keys, as in :func:`scaled_dot_product_attention`.
    scale : float, optional
        Score scale :math:`s`; ``1/sqrt(E)`` by default.
    is_causal : bool, default False
        Set the scores of keys after the query to ``-inf``.

    Returns
    -------
    ndarray, shape (..., L, S)
        The scores, in the common floating dtype of ``q`` and ``k``.

    Raises
    ------
    ValueError
        Inputs of fewer than 2 dimensions, mismatched ``E``, batch axes that do not
        broadcast, a ``scale`` that is not finite.

    Examples
    --------
    >>> import numpy as np
    >>> q = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> k = np.array([[1.0, 0.0], [1.0, 1.0]])
    >>> attention_scores(q, k, scale=1.0)
    array([[1., 1.],
           [0., 1.]])
    >>> attention_scores(q, k, scale=1.0, is_causal=True)
    array([[ 1., -inf],
           [ 0.,  1.]])
    """
    qa, ka, _ = _check_qkv(q, k, k)  # k stands in for v: only q and k are checked here
    dtype = np.result_type(qa.dtype, ka.dtype)
    scores = np.asarray(_scaled_scores(qa, ka, scale, dtype), dtype=dtype)
    if check_bool(is_causal, "is_causal", func="attention_scores"):
        lq, sk = scores.shape[-2], scores.shape[-1]
        scores = np.where(np.tril(np.ones((lq, sk), dtype=bool)), scores, dtype.type(-np.inf))
    return scores
