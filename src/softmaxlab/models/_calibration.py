"""Temperature scaling (Guo et al., 2017): one scalar that calibrates a classifier's logits."""

from __future__ import annotations

import math
from numbers import Real
from typing import Any, ClassVar

import numpy as np
import scipy.optimize
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from .._validation import SoftmaxLabError, as_float_array, describe_value, param_error, shown
from ..core import log_softmax, softmax
from ._state import keep_state_on_failure

__all__ = ["TemperatureScaling"]

_BETA_BOUNDS = (np.exp(-10.0), np.exp(10.0))  # the inverse temperature; as scikit-learn


class TemperatureScaling(BaseEstimator):
    r"""Calibrate logits by one temperature :math:`T` minimising the negative log-likelihood.

    .. math::

        \hat T = \arg\min_{T > 0} \; -\frac{1}{\sum_i s_i}\sum_i s_i
                 \log \operatorname{softmax}(z_i / T)_{y_i}

    The NLL is convex in :math:`\beta = 1/T` (its second derivative is the variance of the
    logits under :math:`\operatorname{softmax}(\beta z)`), so :math:`\beta` is found as the
    root of the derivative :math:`\sum_i s_i (\mathbb E_{p_i}[z_i] - z_{i,y_i})` by Brent's
    method, to machine precision. :math:`\beta` is kept in :math:`[e^{-10}, e^{10}]`, the
    bounds of scikit-learn's ``CalibratedClassifierCV(method="temperature")``; perfectly
    separated logits drive it to the upper bound. Dividing logits by :math:`T` never changes
    the predicted class.

    Parameters
    ----------
    estimator : fitted classifier, optional
        If given, ``fit``/``predict_proba`` take features ``X`` and use
        ``estimator.decision_function(X)``, with labels from ``estimator.classes_``.
        Otherwise they take logits ``(n_samples, n_classes)`` and class indices.
    temperature_range : (float, float), optional
        The allowed temperatures ``(T_min, T_max)``, ``0 < T_min < T_max``; by default
        :math:`[e^{-10}, e^{10}]`, scikit-learn's bounds. A narrower range such as
        ``(0.05, 20)`` keeps the fit sensible on a small calibration set that the model
        separates perfectly (then the likelihood only grows as :math:`T \to 0`); check
        ``at_bound_`` to know whether the range, not the data, chose the temperature.

    Attributes
    ----------
    temperature_ : float
    at_bound_ : {'lower', 'upper'} or None
        Which end of ``temperature_range`` the temperature stopped at, if any: ``'lower'``
        when every calibration sample is classified correctly (the negative log-likelihood
        decreases all the way to ``T_min``), ``'upper'`` when the logits carry no usable
        information (e.g. worse than uniform).
    classes_ : ndarray
    n_iter_ : int

    Notes
    -----
    A 1-D decision function (two classes) ``d`` is taken as the logits ``(0, d)``, whose
    softmax is the logistic ``sigmoid(d)``.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.models import TemperatureScaling
    >>> logits = np.array([[4.0, 0.0], [4.0, 0.0], [4.0, 0.0], [0.0, 4.0]])
    >>> y = np.array([0, 1, 0, 1])           # overconfident: 75% accuracy at p = 0.98
    >>> ts = TemperatureScaling().fit(logits, y)
    >>> round(ts.temperature_, 4)
    3.6410
    >>> ts.predict_proba(logits[:1]).round(2)
    array([[0.75, 0.25]])

    A separable calibration set has no finite optimum; a range bounds it, and says so:

    >>> sep = TemperatureScaling(temperature_range=(0.05, 20)).fit(logits, [0, 0, 0, 1])
    >>> sep.temperature_, sep.at_bound_
    (0.05, 'lower')
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "estimator": [HasMethods(["decision_function"]), None],
        "temperature_range": [tuple, list, None],
    }

    def __init__(self, estimator: Any = None, *, temperature_range: Any = None):
        self.estimator = estimator
        self.temperature_range = temperature_range

    def _beta_bounds(self) -> tuple[float, float]:
        """Bounds of the inverse temperature from ``temperature_range``."""
        if self.temperature_range is None:
            return _BETA_BOUNDS
        r = self.temperature_range
        ok = len(r) == 2 and all(
            isinstance(v, Real) and not isinstance(v, bool) and math.isfinite(float(v)) for v in r
        )
        if not ok or not 0 < r[0] < r[1]:
            raise SoftmaxLabError(
                "The 'temperature_range' parameter of TemperatureScaling must be a pair "
                f"(T_min, T_max) with 0 < T_min < T_max < inf. Got {r!r} instead."
            )
        return 1.0 / float(r[1]), 1.0 / float(r[0])

    def _logits(self, X: Any) -> NDArray[Any]:
        if self.estimator is not None:
            z = np.asarray(self.estimator.decision_function(X))
        else:
            z = as_float_array(X, "X", func="TemperatureScaling")
        if z.ndim == 1:
            z = np.column_stack([np.zeros_like(z), z])
        if z.ndim != 2 or z.shape[1] < 2:
            raise SoftmaxLabError(
                "TemperatureScaling needs logits of shape (n_samples, n_classes >= 2). Got "
                f"shape {z.shape} instead."
            )
        if not np.all(np.isfinite(z)):
            raise SoftmaxLabError("TemperatureScaling needs finite logits; got inf or NaN.")
        return z

    def _encode(self, y: Any, n_classes: int) -> NDArray[np.intp]:
        y = np.asarray(y)
        if self.estimator is not None:
            classes = np.asarray(self.estimator.classes_)
            idx = np.clip(np.searchsorted(classes, y), 0, len(classes) - 1)
            if np.any(classes[idx] != y):
                raise SoftmaxLabError(
                    "The 'y' parameter of TemperatureScaling.fit holds labels that the "
                    f"estimator does not know (its classes_ are {classes.tolist()[:10]})."
                )
            self.classes_ = classes
            return idx.astype(np.intp)
        if y.dtype.kind not in "iu" or (y.size and (y.min() < 0 or y.max() >= n_classes)):
            raise SoftmaxLabError(
                "The 'y' parameter of TemperatureScaling.fit must hold class indices in "
                f"[0, {n_classes - 1}] (the logits columns) when no estimator is given."
            )
        self.classes_ = np.arange(n_classes)
        return y.astype(np.intp)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> TemperatureScaling:
        """Fit the temperature on held-out logits (or features, with ``estimator``).

        Needs at least one sample; ``sample_weight`` must be finite, >= 0 and not all 0 (it
        is rescaled by its largest value, which changes nothing but avoids overflow). A call
        that raises leaves a previous fit as it was.
        """
        with keep_state_on_failure(self):
            return self._fit(X, y, sample_weight)

    def _sample_weight(self, sample_weight: Any, z: NDArray[Any]) -> NDArray[Any]:
        if sample_weight is None:
            return np.ones(z.shape[0])
        try:
            s = _check_sample_weight(sample_weight, z, dtype=np.float64, ensure_non_negative=True)
        except (ValueError, TypeError):
            s = None
        if s is None or not s.max() > 0:
            raise param_error(
                "sample_weight",
                f"{z.shape[0]} finite weights >= 0, not all 0 (one per row of logits)",
                sample_weight
                if isinstance(sample_weight, np.ndarray)
                else shown(describe_value(sample_weight)),
                func="TemperatureScaling.fit",
            )
        return s / s.max()

    def _fit(self, X: Any, y: Any, sample_weight: Any) -> TemperatureScaling:
        z = self._logits(X).astype(np.float64)
        if z.shape[0] == 0:
            raise param_error(
                "X",
                "logits (or features) of at least 1 sample",
                shown(f"an empty array of shape {z.shape}"),
                func="TemperatureScaling.fit",
            )
        yi = self._encode(y, z.shape[1])
        if yi.shape != (z.shape[0],):
            raise SoftmaxLabError(
                f"The 'y' parameter of TemperatureScaling.fit must have one label per row of "
                f"logits ({z.shape[0]}). Got shape {yi.shape} instead."
            )
        s = self._sample_weight(sample_weight, z)
        z_true = z[np.arange(len(yi)), yi]

        def dnll(beta: float) -> float:
            p = softmax(beta * z, axis=1)
            return float(np.dot(s, np.sum(p * z, axis=1) - z_true))

        lo, hi = self._beta_bounds()
        g_lo, g_hi = dnll(lo), dnll(hi)
        self.at_bound_: str | None = None
        if g_lo >= 0:
            beta, n_iter, self.at_bound_ = lo, 0, "upper"
        elif g_hi <= 0:
            beta, n_iter, self.at_bound_ = hi, 0, "lower"
        else:
            beta, info = scipy.optimize.brentq(
                dnll, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, full_output=True
            )
            n_iter = info.iterations
        self.temperature_ = float(1.0 / beta)
        self.n_iter_ = int(n_iter)
        return self

    def _scaled(self, X: Any) -> NDArray[Any]:
        check_is_fitted(self)
        z = self._logits(X)
        if z.shape[1] != len(self.classes_):
            raise param_error(
                "X",
                f"logits with {len(self.classes_)} columns (the classes that fit saw)",
                shown(f"logits with {z.shape[1]} columns"),
                func="TemperatureScaling",
            )
        return z / self.temperature_

    def predict_proba(self, X: Any) -> NDArray[Any]:
        """Calibrated probabilities ``softmax(logits / temperature_)``."""
        return softmax(self._scaled(X), axis=1)

    def predict_log_proba(self, X: Any) -> NDArray[Any]:
        """``log_softmax(logits / temperature_)``."""
        return log_softmax(self._scaled(X), axis=1)

    def transform(self, X: Any) -> NDArray[Any]:
        """Same as :meth:`predict_proba`."""
        return self.predict_proba(X)

    def predict(self, X: Any) -> NDArray[Any]:
        """The most probable class (unchanged by the temperature)."""
        return self.classes_[np.argmax(self._scaled(X), axis=1)]
