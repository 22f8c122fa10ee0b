"""Figures for softmax models (matplotlib): reliability diagram, confusion matrix, bars.

Each function returns a :class:`matplotlib.figure.Figure` built without ``pyplot`` (so no
window, no global state; PNG output goes through the Agg renderer), and matplotlib is imported
when a function is first called. They work on servers and in tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["confusion_matrix_figure", "probability_bars", "reliability_diagram", "save_figure"]


def _figure(size: tuple[float, float]) -> Any:
    # A bare Figure (no pyplot) renders PNG through the Agg canvas whatever the configured
    # backend, and never opens a window or touches global pyplot state.
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained")


def reliability_diagram(
    y_true: ArrayLike,
    y_prob: ArrayLike,
    *,
    n_bins: int = 15,
    y_prob_calibrated: ArrayLike | None = None,
    title: str = "Reliability diagram",
) -> Any:
    """Top-label accuracy against confidence per bin, with the diagonal of perfect calibration.

    ``y_true`` holds class indices (columns of ``y_prob``). With ``y_prob_calibrated`` both
    curves are drawn; the legend shows each ECE (15 equal-width bins by default).

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.plots import reliability_diagram
    >>> fig = reliability_diagram([0, 1, 1], np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]]))
    >>> fig.axes[0].get_xlabel()
    'confidence (top-label probability)'
    """
    from .models import expected_calibration_error, reliability_bins

    fig = _figure((5.0, 4.5))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], linestyle="--", color="0.5", label="perfect calibration")
    series = [("model", y_prob)]
    if y_prob_calibrated is not None:
        series.append(("temperature-scaled", y_prob_calibrated))
    for label, probs in series:
        b = reliability_bins(y_true, probs, n_bins=n_bins)
        ece = expected_calibration_error(y_true, probs, n_bins=n_bins)
        keep = b.counts > 0
        ax.plot(b.confidence[keep], b.accuracy[keep], marker="o", label=f"{label} (ECE {ece:.3f})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence (top-label probability)")
    ax.set_ylabel("accuracy")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return fig


def confusion_matrix_figure(
    matrix: ArrayLike, labels: Sequence[Any], *, title: str = "Confusion matrix"
) -> Any:
    """A heat map of counts: rows are true classes, columns predicted classes.

    Examples
    --------
    >>> from softmaxlab.plots import confusion_matrix_figure
    >>> fig = confusion_matrix_figure([[5, 1], [0, 4]], ["cat", "dog"])
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['cat', 'dog']
    """
    m = np.asarray(matrix)
    k = m.shape[0]
    fig = _figure((1.0 + 0.5 * k + 2, 0.5 * k + 2))
    ax = fig.add_subplot()
    image = ax.imshow(m, cmap="Blues")
    fig.colorbar(image, ax=ax)
    ax.set_xticks(range(k), [str(c) for c in labels], rotation=45 if k > 6 else 0)
    ax.set_yticks(range(k), [str(c) for c in labels])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    if k <= 20:
        threshold = m.max() / 2 if m.size else 0
        for i in range(k):
            for j in range(k):
                ax.text(
                    j,
                    i,
                    str(m[i, j]),
                    ha="center",
                    va="center",
                    color="white" if m[i, j] > threshold else "black",
                    fontsize=8,
                )
    return fig


def probability_bars(
    probs: ArrayLike,
    labels: Sequence[Any],
    *,
    true_label: Any = None,
    title: str = "Predicted probabilities",
) -> Any:
    """Bars of one sample's class probabilities; the true class (if given) is highlighted.

    Examples
    --------
    >>> from softmaxlab.plots import probability_bars
    >>> fig = probability_bars([0.7, 0.2, 0.1], ["a", "b", "c"], true_label="a")
    >>> len(fig.axes[0].patches)
    3
    """
    p = np.asarray(probs, dtype=float).ravel()
    fig = _figure((max(4.0, 0.5 * len(p) + 1.5), 3.5))
    ax = fig.add_subplot()
    colors = [
        "tab:green" if true_label is not None and lab == true_label else "tab:blue"
        for lab in labels
    ]
    ax.bar(range(len(p)), p, color=colors)
    ax.set_xticks(range(len(p)), [str(c) for c in labels])
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    ax.set_title(title if true_label is None else f"{title} (true: {true_label})")
    return fig


def save_figure(fig: Any, path: Any) -> None:
    """Write ``fig`` as PNG to ``path`` (the parent directory must exist)."""
    fig.savefig(path, format="png", dpi=100)
