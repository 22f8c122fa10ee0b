"""Calibration metrics of predicted class probabilities.

Every metric takes ``y_true`` as class indices ``0..K-1`` (the columns of ``y_prob``) and
``y_prob`` of shape ``(n_samples, K)`` whose rows are probability vectors.
"""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import SoftmaxLabError, as_float_array, param_error

__all__ = [
    "ReliabilityBins",
    "brier_score",
    "expected_calibration_error",
    "log_loss",
    "maximum_calibration_error",
    "reliability_bins",
]


class ReliabilityBins(NamedTuple):
    """Top-label statistics per confidence bin (empty bins hold NaN and count 0)."""

    edges: NDArray[np.float64]  # (n_bins + 1,)
    accuracy: NDArray[np.float64]  # (n_bins,)
    confidence: NDArray[np.float64]  # (n_bins,)
    counts: NDArray[np.float64]  # (n_bins,) total weight per bin


def _check(
    y_true: ArrayLike, y_prob: ArrayLike, func: str, sample_weight: ArrayLike | None = None
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    p = as_float_array(y_prob, "y_prob", func=func).astype(np.float64)
    if p.ndim != 2 or p.shape[1] < 1:
        raise SoftmaxLabError(
            f"The 'y_prob' parameter of {func} must be a 2-D array (n_samples, n_classes). "
            f"Got shape {p.shape} instead."
        )
    if not np.all(np.isfinite(p)) or p.min(initial=0.0) < 0 or p.max(initial=0.0) > 1:
        raise param_error(
            "y_prob", "probabilities in [0, 1]", "an array with values outside", func=func
        )
    y = np.asarray(y_true)
    if y.dtype.kind not in "iu" or y.shape != (p.shape[0],):
        raise SoftmaxLabError(
            f"The 'y_true' parameter of {func} must be a 1-D array of integer class indices "
            f"with one entry per row of y_prob ({p.shape[0]}). Got dtype {y.dtype} and shape "
            f"{y.shape} instead."
        )
    if y.size and (y.min() < 0 or y.max() >= p.shape[1]):
        raise param_error(
            "y_true",
            f"class indices in [0, {p.shape[1] - 1}]",
            int(y.max() if y.max() >= p.shape[1] else y.min()),
            func=func,
        )
    if sample_weight is None:
        w = np.ones(p.shape[0])
    else:
        w = as_float_array(sample_weight, "sample_weight", func=func).astype(np.float64)
        if w.shape != (p.shape[0],) or np.any(w < 0) or not np.all(np.isfinite(w)):
            raise param_error(
                "sample_weight",
                f"{p.shape[0]} finite weights >= 0",
                f"an array of shape {w.shape}",
                func=func,
            )
    return y.astype(np.intp), p, w


def _check_bins(n_bins: Any, func: str) -> int:
    if isinstance(n_bins, bool) or not isinstance(n_bins, numbers.Integral) or n_bins < 1:
        raise param_error("n_bins", "an int >= 1", n_bins, func=func)
    return int(n_bins)


def reliability_bins(
    y_true: ArrayLike,
    y_prob: ArrayLike,
    *,
    n_bins: int = 15,
    sample_weight: ArrayLike | None = None,
) -> ReliabilityBins:
    r"""Accuracy and mean confidence of the top label in equal-width confidence bins.

    Bin :math:`B_m` holds the samples whose top probability lies in
    :math:`((m-1)/M, m/M]` (the first bin also takes confidence 0), as in Guo et al. (2017).

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.models import reliability_bins
    >>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]])
    >>> b = reliability_bins([0, 1, 1], p, n_bins=2)
    >>> b.counts, b.accuracy.round(4), b.confidence.round(4)
    (array([0., 3.]), array([   nan, 0.6667]), array([nan, 0.8]))
    """
    func = "reliability_bins"
    m = _check_bins(n_bins, func)
    y, p, w = _check(y_true, y_prob, func, sample_weight)
    conf = p.max(axis=1) if p.size else np.zeros(0)
    correct = (np.argmax(p, axis=1) == y).astype(np.float64) if p.size else np.zeros(0)
    edges = np.linspace(0.0, 1.0, m + 1)
    # Right-closed bins ((m-1)/M, m/M]: searchsorted(..., 'left') on the upper edges.
    idx = np.clip(np.searchsorted(edges[1:], conf, side="left"), 0, m - 1)
    count = np.asarray(np.bincount(idx, weights=w, minlength=m), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        acc = np.bincount(idx, weights=w * correct, minlength=m) / count
        mean_conf = np.bincount(idx, weights=w * conf, minlength=m) / count
    acc[count == 0] = np.nan
    mean_conf[count == 0] = np.nan
    return ReliabilityBins(edges, acc, mean_conf, count)


def expected_calibration_error(
    y_true: ArrayLike,
    y_prob: ArrayLike,
    *,
    n_bins: int = 15,
    sample_weight: ArrayLike | None = None,
) -> float:
    r"""Top-label expected calibration error (Guo et al., 2017).

    .. math:: \mathrm{ECE} = \sum_{m=1}^{M} \frac{|B_m|}{n}
              \bigl|\operatorname{acc}(B_m) - \operatorname{conf}(B_m)\bigr|

    over ``n_bins`` equal-width bins of the top probability (see :func:`reliability_bins`).

    Parameters
    ----------
    y_true : array_like of int, shape (n_samples,)
        Class indices (columns of ``y_prob``).
    y_prob : array_like, shape (n_samples, n_classes)
        Predicted probabilities.
    n_bins : int, default 15
    sample_weight : array_like, optional

    Returns
    -------
    float
        In [0, 1]; NaN for no samples.

    References
    ----------
    .. [1] C. Guo, G. Pleiss, Y. Sun, K. Q. Weinberger, "On Calibration of Modern Neural
       Networks", ICML 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.models import expected_calibration_error
    >>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]])
    >>> round(expected_calibration_error([0, 1, 1], p), 4)   # |1-.9|/3+|0-.8|/3+|1-.7|/3
    0.4
    """
    b = reliability_bins(y_true, y_prob, n_bins=n_bins, sample_weight=sample_weight)
    total = b.counts.sum()
    if total == 0:
        return float("nan")
    keep = b.counts > 0
    return float(np.sum(b.counts[keep] * np.abs(b.accuracy[keep] - b.confidence[keep])) / total)


def maximum_calibration_error(
    y_true: ArrayLike,
    y_prob: ArrayLike,
    *,
    n_bins: int = 15,
    sample_weight: ArrayLike | None = None,
) -> float:
    r"""Largest gap :math:`\max_m |\operatorname{acc}(B_m) - \operatorname{conf}(B_m)|` over
    non-empty bins (Guo et al., 2017); NaN for no samples.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.models import maximum_calibration_error
    >>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]])
    >>> round(maximum_calibration_error([0, 1, 1], p), 4)
    0.8
    """
    b = reliability_bins(y_true, y_prob, n_bins=n_bins, sample_weight=sample_weight)
    keep = b.counts > 0
    if not keep.any():
        return float("nan")
    return float(np.max(np.abs(b.accuracy[keep] - b.confidence[keep])))


def brier_score(
    y_true: ArrayLike, y_prob: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    r"""Multi-class Brier score (Brier, 1950): mean squared distance to the one-hot target.

    .. math:: \mathrm{BS} = \frac{1}{n} \sum_i \sum_k (p_{ik} - [y_i = k])^2 \in [0, 2]

    Examples
    --------
    >>> from softmaxlab.models import brier_score
    >>> round(brier_score([0, 1], [[0.9, 0.1], [0.5, 0.5]]), 4)     # (0.02 + 0.5) / 2
    0.26
    """
    y, p, w = _check(y_true, y_prob, "brier_score", sample_weight)
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1.0
    per = np.sum((p - onehot) ** 2, axis=1)
    return float(np.dot(w, per) / w.sum()) if w.sum() > 0 else float("nan")


def log_loss(
    y_true: ArrayLike, y_prob: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    r"""Mean negative log-likelihood :math:`-\frac1n \sum_i \log p_{i, y_i}`.

    A zero probability on the true class gives ``inf`` (no clipping); prefer computing the
    loss from logits with :func:`softmaxlab.cross_entropy` when you have them.

    Examples
    --------
    >>> from softmaxlab.models import log_loss
    >>> round(log_loss([0, 1], [[0.9, 0.1], [0.5, 0.5]]), 4)   # (-log 0.9 - log 0.5) / 2
    0.3993
    """
    y, p, w = _check(y_true, y_prob, "log_loss", sample_weight)
    with np.errstate(divide="ignore"):
        per = -np.log(p[np.arange(len(y)), y])
    if w.sum() == 0:
        return float("nan")
    keep = w > 0  # 0 * inf would be NaN; a sample with weight 0 does not count
    return float(np.dot(w[keep], per[keep]) / w.sum())
