"""Drawing tokens from processed logits: Gumbel-max for one draw, inverse CDF for many."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import check_int, check_rng, param_error, shown
from ..core import log_softmax, softmax
from ._process import _plan

__all__ = ["sample"]

# Above this many comparisons, the inverse CDF uses one searchsorted per row instead of a
# broadcast comparison; both count the CDF entries <= u * total, so the results are identical.
_BROADCAST_LIMIT = 1 << 22


def inverse_cdf(probs: NDArray[Any], u: NDArray[Any]) -> NDArray[np.intp]:
    """Index drawn from each row of ``probs`` (R, V) for the uniforms ``u`` (R, n) in [0, 1).

    Returns the first index whose cumulative probability exceeds ``u`` times the row total, so
    a token of probability 0 is never returned. The rows need not be normalised exactly.
    """
    cdf = np.cumsum(probs.astype(np.float64), axis=1)
    target = u * cdf[:, -1:]
    r, n = u.shape
    v = cdf.shape[1]
    if r * n * v <= _BROADCAST_LIMIT:
        idx = (cdf[:, None, :] <= target[:, :, None]).sum(axis=2)
    else:
        idx = np.empty((r, n), dtype=np.intp)
        for i in range(r):
            idx[i] = np.searchsorted(cdf[i], target[i], side="right")
    # u * total may round up to total; fall back to the last token of positive probability.
    last = v - 1 - np.argmax(probs[:, ::-1] > 0, axis=1)
    return np.minimum(idx, last[:, None]).astype(np.intp)


def sample(
    logits: ArrayLike,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    min_p: float | None = None,
    num_samples: int = 1,
    min_tokens_to_keep: int = 1,
    rng: np.random.Generator | int | None = None,
    axis: int = -1,
) -> NDArray[np.intp]:
    r"""Draw token indices from the processed distribution of each slice of ``logits``.

    The distribution is that of :func:`process_logits` (temperature, then top-k, top-p,
    min-p). One draw per slice uses the Gumbel-max trick,

    .. math::

        i = \operatorname{argmax}_j \bigl(\log p_j + g_j\bigr), \qquad
        g_j = -\log(-\log u_j),\ u_j \sim U(0, 1),

    which picks :math:`j` with probability exactly :math:`p_j`; several draws per slice use the
    inverse CDF, :math:`i = \min\{j : \sum_{l \le j} p_l > u\}`, one uniform per draw.

    Parameters
    ----------
    logits : array_like, shape (..., V, ...)
        Scores over a vocabulary of ``V >= 1`` tokens along ``axis``; other axes are a batch.
    temperature : float, default 1.0
        Finite and >= 0. ``0`` is greedy decoding: every draw is the argmax (the lowest index
        among tied maxima, as :func:`numpy.argmax`) and no random number is used.
    top_k, top_p, min_p, min_tokens_to_keep
        Filters, as in :func:`process_logits`.
    num_samples : int, default 1
        Independent draws per slice (with replacement), >= 1.
    rng : numpy.random.Generator, int or None
        Source of randomness; an int is a seed (same seed, same draws).
    axis : int, default -1
        The vocabulary axis.

    Returns
    -------
    ndarray of intp, shape ``batch + (num_samples,)``
        ``batch`` is the shape of ``logits`` without ``axis``. A removed token or a token of
        probability 0 is never drawn.

    Raises
    ------
    ValueError
        Invalid filter options (see :func:`process_logits`), ``num_samples`` < 1, an empty
        vocabulary axis or a bad ``rng``.

    Notes
    -----
    A slice holding NaN or ``+inf``, or only ``-inf``, has no distribution: its draws are
    ``-1``. Other slices are unaffected.

    References
    ----------
    .. [1] E. J. Gumbel, "Statistical theory of extreme values and some practical
       applications", 1954; C. J. Maddison, D. Tarlow, T. Minka, "A* sampling", NeurIPS 2014.

    Examples
    --------
    >>> from softmaxlab.sampling import sample
    >>> logits = [2.1, 1.5, 0.3, 0.2]
    >>> sample(logits, temperature=0)  # greedy
    array([0])
    >>> draws = sample(logits, temperature=0.7, top_p=0.9, num_samples=1000, rng=0)
    >>> draws.shape, sorted(set(draws.tolist()))
    ((1000,), [0, 1])

    The same seed gives the same draws; a batch gives one row of draws per slice:

    >>> bool((sample(logits, num_samples=5, rng=1) == sample(logits, num_samples=5, rng=1)).all())
    True
    >>> sample([[0.0, 9.0], [9.0, 0.0]], top_k=1, num_samples=3, rng=0)
    array([[1, 1, 1],
           [0, 0, 0]])
    """
    func = "sample"
    plan = _plan(
        logits,
        temperature=temperature,
        top_k=top_k,
        top_p=top_p,
        min_p=min_p,
        min_tokens_to_keep=min_tokens_to_keep,
        axis=axis,
        func=func,
    )
    n = check_int(num_samples, "num_samples", low=1, func=func)
    assert n is not None
    gen = check_rng(rng, func=func)
    nrows, v = plan.x.shape
    if v == 0:
        raise param_error(
            "logits",
            f"an array with at least one token along axis {plan.axis}",
            shown(f"an array of shape {np.shape(logits)}"),
            func=func,
        )
    batch = plan.moved_shape[:-1]
    if nrows == 0:
        return np.empty((*batch, n), dtype=np.intp)
    if plan.temperature == 0.0:
        with np.errstate(invalid="ignore"):
            out = np.repeat(np.argmax(plan.x, axis=1)[:, None], n, axis=1).astype(np.intp)
    elif n == 1:
        logp = log_softmax(plan.x, temperature=plan.temperature, where=plan.keep)
        g = gen.gumbel(size=logp.shape)
        with np.errstate(invalid="ignore"):
            out = np.argmax(logp.astype(np.float64) + g, axis=1)[:, None].astype(np.intp)
    else:
        probs = softmax(plan.x, temperature=plan.temperature, where=plan.keep)
        u = gen.random((nrows, n))
        with np.errstate(invalid="ignore"):
            out = inverse_cdf(probs, u)
    out[plan.bad] = -1
    return out.reshape(*batch, n)
