"""Action-selection policies: each maps estimated action values to a distribution over
actions, and draws from it."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import (
    as_float_array,
    check_int,
    check_probability,
    check_rng,
    param_error,
    shown,
)
from ..core import softmax
from ._process import _check_temperature
from ._sample import inverse_cdf

__all__ = ["BoltzmannPolicy", "EpsilonGreedyPolicy", "UniformPolicy"]


def _values(values: ArrayLike, func: str) -> NDArray[Any]:
    q = as_float_array(values, "values", func=func)
    if q.ndim == 0 or q.shape[-1] == 0:
        raise param_error(
            "values",
            "an array with at least one action along its last axis",
            shown(f"an array of shape {q.shape}"),
            func=func,
        )
    return q


class _Policy:
    """Shared drawing logic: ``select`` samples from ``probabilities``."""

    def probabilities(self, values: ArrayLike) -> NDArray[Any]:  # pragma: no cover
        raise NotImplementedError

    def select(
        self,
        values: ArrayLike,
        *,
        num_samples: int | None = None,
        rng: np.random.Generator | int | None = None,
    ) -> Any:
        """Draw actions from :meth:`probabilities` (inverse CDF, one uniform per draw).

        Parameters
        ----------
        values : array_like, shape (..., A)
            Estimated value of each of ``A`` actions (last axis); other axes are a batch.
        num_samples : int, optional
            Draws per slice; None draws one and drops that axis.
        rng : numpy.random.Generator, int or None
            Source of randomness; an int is a seed.

        Returns
        -------
        int or ndarray of intp
            Shape ``batch`` (or ``batch + (num_samples,)``); ``-1`` for a slice whose
            probabilities are NaN.
        """
        name = f"{type(self).__name__}.select"
        n = check_int(num_samples, "num_samples", low=1, func=name, none_ok=True)
        gen = check_rng(rng, func=name)
        p = self.probabilities(values)
        rows = p.reshape(-1, p.shape[-1])
        u = gen.random((rows.shape[0], 1 if n is None else n))
        with np.errstate(invalid="ignore"):
            idx = inverse_cdf(rows, u)
        idx[np.isnan(rows).any(axis=1)] = -1
        out = idx.reshape(*p.shape[:-1], 1 if n is None else n)
        if n is None:
            out = out[..., 0]
            return int(out) if out.ndim == 0 else out
        return out


class BoltzmannPolicy(_Policy):
    r"""Softmax (Boltzmann) exploration: choose action :math:`a` with probability

    .. math::

        \pi(a) = \frac{\exp(Q(a)/T)}{\sum_b \exp(Q(b)/T)} = \operatorname{softmax}(Q/T)_a

    High temperature :math:`T` explores (uniform as :math:`T \to \infty`); low temperature
    exploits (greedy as :math:`T \to 0`). Unlike ε-greedy, a clearly bad action is tried
    less often than a nearly-best one.

    Parameters
    ----------
    temperature : float, default 1.0
        Finite and >= 0, in the units of the values. ``0`` is greedy (ties split evenly).

    Attributes
    ----------
    temperature : float

    Examples
    --------
    >>> from softmaxlab.sampling import BoltzmannPolicy
    >>> policy = BoltzmannPolicy(temperature=0.5)
    >>> policy.probabilities([1.0, 0.5, 0.0]).round(3)
    array([0.665, 0.245, 0.09 ])
    >>> policy.select([1.0, 0.5, 0.0], rng=0)  # u = 0.64 < 0.665: the first action
    0
    >>> BoltzmannPolicy(0).probabilities([1.0, 3.0, 3.0])
    array([0. , 0.5, 0.5])
    """

    def __init__(self, temperature: float = 1.0) -> None:
        self.temperature = _check_temperature(temperature, "BoltzmannPolicy")

    def __repr__(self) -> str:
        return f"BoltzmannPolicy(temperature={self.temperature!r})"

    def probabilities(self, values: ArrayLike) -> NDArray[Any]:
        """Action probabilities ``softmax(values / temperature)`` along the last axis."""
        q = _values(values, "BoltzmannPolicy.probabilities")
        if self.temperature == 0.0:
            with np.errstate(invalid="ignore"):
                best = q == q.max(axis=-1, keepdims=True)
            return softmax(np.where(best, 0.0, q).astype(q.dtype), where=best | np.isnan(q))
        return softmax(q, temperature=self.temperature)


class EpsilonGreedyPolicy(_Policy):
    r"""ε-greedy exploration: the best estimated action with probability :math:`1-\varepsilon`,
    a uniformly random action otherwise.

    .. math::

        \pi(a) = (1 - \varepsilon)\,\frac{[Q(a) = \max_b Q(b)]}{\#\{b : Q(b) = \max Q\}}
                 + \frac{\varepsilon}{A}

    Parameters
    ----------
    epsilon : float, default 0.1
        Exploration rate, in [0, 1].

    Examples
    --------
    >>> from softmaxlab.sampling import EpsilonGreedyPolicy
    >>> EpsilonGreedyPolicy(0.1).probabilities([1.0, 0.5, 0.0]).round(4)
    array([0.9333, 0.0333, 0.0333])
    """

    def __init__(self, epsilon: float = 0.1) -> None:
        self.epsilon = check_probability(epsilon, "epsilon", func="EpsilonGreedyPolicy")

    def __repr__(self) -> str:
        return f"EpsilonGreedyPolicy(epsilon={self.epsilon!r})"

    def probabilities(self, values: ArrayLike) -> NDArray[Any]:
        """Action probabilities along the last axis (ties for the best share its mass)."""
        q = _values(values, "EpsilonGreedyPolicy.probabilities")
        with np.errstate(invalid="ignore"):
            best = q == q.max(axis=-1, keepdims=True)
        # Uniform over the tied best actions: the softmax of equal logits.
        greedy = softmax(np.zeros_like(q), where=best | np.isnan(q))
        uniform = softmax(np.zeros_like(q))
        out = (1.0 - self.epsilon) * greedy + self.epsilon * uniform
        return np.where(np.isnan(q).any(axis=-1, keepdims=True), np.nan, out).astype(q.dtype)


class UniformPolicy(_Policy):
    """Choose every action with equal probability, whatever the values (a baseline that
    never learns).

    Examples
    --------
    >>> from softmaxlab.sampling import UniformPolicy
    >>> UniformPolicy().probabilities([5.0, 1.0, 0.0, 2.0])
    array([0.25, 0.25, 0.25, 0.25])
    """

    def __repr__(self) -> str:
        return "UniformPolicy()"

    def probabilities(self, values: ArrayLike) -> NDArray[Any]:
        """Equal probabilities along the last axis."""
        q = _values(values, "UniformPolicy.probabilities")
        return softmax(np.zeros_like(q))
