r"""The softmax written out step by step, as ``softmaxlab compute`` and the explorer show it.

.. math::

    z_i = x_i / T, \qquad e_i = \exp(z_i - \max_j z_j), \qquad
    \Sigma = \sum_j e_j, \qquad p_i = e_i / \Sigma

exponentiate → sum → normalise. The probabilities shown are those of
:func:`softmaxlab.softmax` (the tested result); the intermediate columns are the textbook
steps that lead to them, computed in float64.

The sum check
-------------
:func:`sum_check` is the one way both faces check that the probabilities sum to 1: the
**exactly rounded** sum of each slice (:func:`math.fsum`) and ``|Σp − 1|`` against the bound
``n·ε`` of the result dtype. An exactly rounded sum measures the error of the probabilities
themselves; ``np.sum`` would add its own rounding (up to about ``n·ε`` for pairwise
summation), so for ``[1, 2, 3]`` it reports ``|Σp − 1| = 2.2e-16`` where the probabilities,
summed exactly, miss 1 by ``1.1e-16``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..core import log_softmax, softmax

__all__ = ["SoftmaxSteps", "SumCheck", "softmax_steps", "sum_check"]


@dataclass(frozen=True)
class SumCheck:
    """Sums of probability slices, exactly rounded, and how far each is from 1.

    Attributes
    ----------
    sums : ndarray of float64, shape (...)
        :func:`math.fsum` of each slice (NaN for a NaN slice).
    abs_errors : ndarray of float64, shape (...)
        ``|sum - 1|``.
    tolerance : float
        ``n * eps`` of the probabilities' dtype: how far from 1 a correct sum may be.
    """

    sums: NDArray[np.float64]
    abs_errors: NDArray[np.float64]
    tolerance: float

    @property
    def ok(self) -> NDArray[np.bool_]:
        """Slices whose sum is within the tolerance (False for NaN)."""
        return np.asarray(self.abs_errors <= self.tolerance)


def sum_check(probabilities: Any) -> SumCheck:
    """Check that each slice of ``probabilities`` (along the last axis) sums to 1.

    Examples
    --------
    >>> c = sum_check(softmax(np.array([3.0, 1.0, -3.0])))
    >>> float(c.sums), float(c.abs_errors), c.tolerance == 3 * float(np.finfo(np.float64).eps)
    (1.0, 0.0, True)

    For ``[1, 2, 3]`` the probabilities, summed exactly, miss 1 by half an ulp of 1;
    ``np.sum`` adds its own rounding and reports twice that:

    >>> p = softmax(np.array([1.0, 2.0, 3.0]))
    >>> float(sum_check(p).sums - 1), float(np.sum(p) - 1)
    (-1.1102230246251565e-16, -2.220446049250313e-16)
    """
    p = np.asarray(probabilities)
    if p.ndim == 0:
        p = p.reshape(1)
    n = p.shape[-1]
    if p.size == 0:
        sums = np.zeros(p.shape[:-1], dtype=np.float64)  # an empty sum is 0
    else:
        rows = p.reshape(-1, n).tolist()
        sums = np.array([math.fsum(row) for row in rows], dtype=np.float64).reshape(p.shape[:-1])
    dtype = p.dtype if p.dtype.kind == "f" else np.dtype(np.float64)
    return SumCheck(
        sums=sums, abs_errors=np.abs(sums - 1.0), tolerance=float(n * np.finfo(dtype).eps)
    )


@dataclass(frozen=True)
class SoftmaxSteps:
    """Every step of ``softmax(x / T)`` for an array whose softmax axis has been moved last.

    Attributes
    ----------
    logits : ndarray, shape (..., n)
        The input (axis last).
    temperature : float
    scaled : ndarray, shape (..., n)
        ``z = logits / T``.
    maxima : ndarray of float64, shape (...)
        ``max(z)`` of each slice.
    shifted : ndarray of float64, shape (..., n)
        ``z - max(z)`` (all <= 0; the stability trick).
    exps : ndarray of float64, shape (..., n)
        ``exp(z - max(z))``; the largest is ``exp(0) = 1``.
    exp_sums : ndarray of float64, shape (...)
        ``Σ exp(z - max(z))`` of each slice (:func:`math.fsum`, between 1 and n).
    probabilities, log_probabilities : ndarray, shape (..., n)
        ``softmax(logits, temperature=T)`` and ``log_softmax(...)`` (the library's results,
        equal to ``exps / exp_sums`` up to rounding).
    check : SumCheck
        :func:`sum_check` of the probabilities.
    """

    logits: NDArray[Any]
    temperature: float
    scaled: NDArray[Any]
    maxima: NDArray[np.float64]
    shifted: NDArray[np.float64]
    exps: NDArray[np.float64]
    exp_sums: NDArray[np.float64]
    probabilities: NDArray[Any]
    log_probabilities: NDArray[Any]
    check: SumCheck

    @property
    def n(self) -> int:
        """Size of each slice."""
        return int(self.logits.shape[-1])

    @property
    def sums(self) -> NDArray[np.float64]:
        """``check.sums``: the exactly rounded Σp of each slice."""
        return self.check.sums

    @property
    def abs_errors(self) -> NDArray[np.float64]:
        """``check.abs_errors``: ``|Σp - 1|`` of each slice."""
        return self.check.abs_errors

    @property
    def tolerance(self) -> float:
        """``check.tolerance``: ``n * eps`` of the result dtype."""
        return self.check.tolerance

    @property
    def shifted_exp(self) -> NDArray[np.float64]:
        """``exps`` (the name ``softmaxlab compute`` used)."""
        return self.exps

    @property
    def normalised(self) -> NDArray[np.float64]:
        """The ÷Σ step: ``exps / exp_sums`` in float64."""
        with np.errstate(all="ignore"):
            return self.exps / self.exp_sums[..., None]


def softmax_steps(x: Any, *, axis: int = -1, temperature: float = 1.0) -> SoftmaxSteps:
    """Exponentiate → sum → normalise for ``x`` along ``axis``, with the library's result.

    ``temperature`` is checked by :func:`softmaxlab.softmax` (finite and > 0), as is ``axis``.
    NaN and ±inf logits are shown as they are: the steps of such a slice may be NaN, with no
    warning (see :func:`softmaxlab.softmax` for its special values).

    Examples
    --------
    >>> s = softmax_steps([3.0, 1.0, -3.0])
    >>> s.shifted.tolist(), s.exps.round(4).tolist()
    ([0.0, -2.0, -6.0], [1.0, 0.1353, 0.0025])
    >>> round(float(s.exp_sums), 4), s.probabilities.round(4).tolist()
    (1.1378, [0.8789, 0.1189, 0.0022])
    >>> float(s.check.abs_errors)
    0.0
    """
    p = softmax(x, axis=axis, temperature=temperature)  # validates x, axis and temperature
    logp = log_softmax(x, axis=axis, temperature=temperature)
    logits = np.moveaxis(np.asarray(x, dtype=p.dtype), axis, -1)
    p = np.moveaxis(p, axis, -1)
    logp = np.moveaxis(logp, axis, -1)
    with np.errstate(all="ignore"):  # inf/NaN logits and huge 1/T are shown, not warned about
        scaled = logits / np.asarray(temperature, dtype=logits.dtype)
        z64 = scaled.astype(np.float64)
        maxima = z64.max(axis=-1) if z64.size else np.zeros(z64.shape[:-1])
        shifted = z64 - maxima[..., None]
        exps = np.exp(shifted)
    if exps.size:
        rows = exps.reshape(-1, exps.shape[-1]).tolist()
        exp_sums = np.array([math.fsum(row) for row in rows], dtype=np.float64)
        exp_sums = exp_sums.reshape(exps.shape[:-1])
    else:
        exp_sums = np.zeros(exps.shape[:-1], dtype=np.float64)
    return SoftmaxSteps(
        logits=logits,
        temperature=float(temperature),
        scaled=scaled,
        maxima=maxima,
        shifted=shifted,
        exps=exps,
        exp_sums=exp_sums,
        probabilities=p,
        log_probabilities=logp,
        check=sum_check(p),
    )
