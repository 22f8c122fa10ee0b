"""Logic of the Cross-entropy tab and of the Compare and Gradients extensions.

Plain values in, plain data out; no gradio. The numbers come from softmaxlab
(:func:`~softmaxlab.softmax`, :func:`~softmaxlab.log_softmax`, :func:`~softmaxlab.logsumexp`,
:func:`~softmaxlab.cross_entropy`, :func:`~softmaxlab.cross_entropy_grad`,
:func:`~softmaxlab.softmax_jacobian`, :func:`~softmaxlab.sigmoid`) and, for one-vs-rest,
scikit-learn. The only exception is the *naive* ``log(exp(z) / sum(exp(z)))`` of the
Cross-entropy tab, computed by hand on purpose to show how it fails.

Examples
--------
>>> v = cross_entropy_view([1000.0, 0.0], 1, 0.0)
>>> v["loss"], v["naive_loss"], v["log_of_softmax_loss"]
(1000.0, inf, inf)
>>> v = multilabel_view()
>>> [round(p, 3) for p in v["sigmoid"][:2]], [round(p, 3) for p in v["softmax"][:2]]
([0.982, 0.953], [0.729, 0.268])
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from .. import (
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    logsumexp,
    sigmoid,
    softmax,
    softmax_jacobian,
)
from ._problems import InputProblem, in_range

MULTILABEL_NAMES = ("person", "backpack", "dog", "car", "bicycle")
MULTILABEL_LOGITS = (4.0, 3.0, -2.0, -3.0, -4.0)
"""Scores of an image with a person wearing a backpack (and no dog, car or bicycle)."""
THRESHOLD = 0.5
FD_STEP = 1e-5
MAX_STEPS = 50

__all__ = [
    "cross_entropy_view",
    "gradient_more_view",
    "multilabel_view",
    "ovr_sample_view",
]


def _target(target: Any, n: int) -> int:
    if target is None or not math.isfinite(float(target)) or not float(target).is_integer():
        raise InputProblem("err.target", max=n - 1, value=target)
    if not 0 <= int(target) < n:
        raise InputProblem("err.target", max=n - 1, value=target)
    return int(target)


def _smoothing(value: Any) -> float:
    return in_range(value, "what.smoothing", 0, 1)


# ---------------------------------------------------------------------------- Cross-entropy


def cross_entropy_view(logits: list[float], target: Any, smoothing: Any) -> dict[str, Any]:
    r"""Cross-entropy from the logits step by step, beside ``-log(softmax)`` and the naive form.

    From the logits: :math:`m = \max z`, :math:`S = \sum_j e^{z_j - m}`,
    :math:`\operatorname{lse} = m + \log S`, :math:`\ell_k = z_k - \operatorname{lse}`,
    :math:`L = -\ell_y`; with label smoothing :math:`\varepsilon` over :math:`C` classes,
    :math:`L_\varepsilon = (1-\varepsilon)(-\ell_y) + \tfrac{\varepsilon}{C}\sum_c (-\ell_c)`.
    """
    z = np.asarray(logits, dtype=np.float64)
    n = z.size
    k = _target(target, n)
    eps = _smoothing(smoothing)
    top = float(np.max(z))
    shifted_exp = np.exp(z - top)
    lse = float(logsumexp(z))
    ls = log_softmax(z)
    # The naive forms are computed by hand on purpose, to show their overflow and log(0).
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive_exp = np.exp(z)
        naive_p = naive_exp / np.sum(naive_exp)
        naive_loss = float(-np.log(naive_p[k]))
        p = softmax(z)
        log_of_softmax = np.log(p)
    uniform = np.full(n, 1.0 / n)
    nll = float(cross_entropy(z, np.asarray(k)))
    spread = float(cross_entropy(z, uniform))
    smoothed_target = (1.0 - eps) * np.eye(n)[k] + eps * uniform
    return {
        "logits": z.tolist(),
        "target": k,
        "smoothing": eps,
        "max": top,
        "shifted": (z - top).tolist(),
        "shifted_exp": shifted_exp.tolist(),
        "sum": float(np.sum(shifted_exp)),
        "lse": lse,
        "log_softmax": ls.tolist(),
        "probs": p.tolist(),
        "loss": nll,
        "naive_exp": naive_exp.tolist(),
        "naive_p": naive_p.tolist(),
        "naive_loss": naive_loss,
        "log_of_softmax": log_of_softmax.tolist(),
        "log_of_softmax_loss": float(-log_of_softmax[k]),
        "uniform_part": spread,
        "smoothed_target": smoothed_target.tolist(),
        "smoothed_loss": float(cross_entropy(z, np.asarray(k), label_smoothing=eps)),
    }


# ---------------------------------------------------------------------------- Compare


def multilabel_view(
    logits: tuple[float, ...] = MULTILABEL_LOGITS, names: tuple[str, ...] = MULTILABEL_NAMES
) -> dict[str, Any]:
    """Independent sigmoids (multi-label) against one softmax (one label) on the same scores."""
    z = np.asarray(logits, dtype=np.float64)
    sig = sigmoid(z)
    soft = softmax(z)
    return {
        "names": list(names),
        "logits": z.tolist(),
        "sigmoid": sig.tolist(),
        "softmax": soft.tolist(),
        "sigmoid_sum": float(np.sum(sig)),
        "softmax_sum": float(np.sum(soft)),
        "threshold": THRESHOLD,
        "sigmoid_labels": [names[i] for i in np.flatnonzero(sig > THRESHOLD)],
        "softmax_label": names[int(np.argmax(soft))],
    }


@lru_cache(maxsize=4)
def _ovr_models(dataset: str) -> tuple[Any, Any, Any, Any, list[str]]:
    """One-vs-rest and softmax regression fitted on ``dataset``'s training split (cached)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    from ..models import SoftmaxRegression
    from ._models import load_split

    X_train, y_train, _, _, X_test, y_test, names = load_split(dataset)
    ovr = OneVsRestClassifier(LogisticRegression(C=1.0, max_iter=1000, tol=1e-6))
    soft = SoftmaxRegression(C=1.0, max_iter=1000, tol=1e-6)
    ovr.fit(X_train, y_train)
    soft.fit(X_train, y_train)
    return ovr, soft, X_test, y_test, list(names)


def ovr_sample_view(dataset: str, index: Any) -> dict[str, Any]:
    """Per-class probabilities of one test sample: raw one-vs-rest, normalised, and softmax.

    The raw one-vs-rest values are the :math:`K` binary models' own :math:`P(y = k)`, which
    need not sum to one; scikit-learn's ``predict_proba`` divides them by their sum.
    """
    from ._models import check_dataset

    ovr, soft, X_test, y_test, names = _ovr_models(check_dataset(dataset))
    n = len(y_test)
    number = float(index) if index is not None else math.nan
    if not math.isfinite(number) or not number.is_integer() or not 0 <= number < n:
        raise InputProblem("cmp.err_sample", max=n - 1, value=index)
    i = int(number)
    x = X_test[i : i + 1]
    raw = np.array([est.predict_proba(x)[0, 1] for est in ovr.estimators_])
    normalised = ovr.predict_proba(x)[0]
    probs = soft.predict_proba(x)[0]
    return {
        "dataset": dataset,
        "index": i,
        "n_test": n,
        "names": [str(v) for v in names],
        "true": int(y_test[i]),
        "raw": raw.tolist(),
        "raw_sum": float(np.sum(raw)),
        "normalised": normalised.tolist(),
        "softmax": probs.tolist(),
    }


# ---------------------------------------------------------------------------- Gradients


def _derivation(z: np.ndarray, k: int) -> dict[str, Any]:
    p = softmax(z)
    jac = np.asarray(softmax_jacobian(z))
    row = jac[k]
    # The chain rule by hand: dL/dz_j = -(1 / p_k) * dp_k/dz_j, shown with its numbers.
    chain = -row / p[k]
    grad = np.asarray(cross_entropy_grad(z, np.asarray(k), reduction="sum"))
    return {
        "p_target": float(p[k]),
        "jac_row": row.tolist(),
        "chain": chain.tolist(),
        "grad": grad.tolist(),
    }


def _finite_differences(z: np.ndarray, k: int, grad: np.ndarray) -> dict[str, Any]:
    target = np.asarray(k)
    fd = np.empty_like(z)
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = FD_STEP
        up = float(cross_entropy(z + step, target))
        down = float(cross_entropy(z - step, target))
        fd[j] = (up - down) / (2 * FD_STEP)
    return {"fd": fd.tolist(), "fd_h": FD_STEP, "fd_max_diff": float(np.max(np.abs(fd - grad)))}


def _descent(z: np.ndarray, k: int, lr: float, n_steps: int) -> list[dict[str, float]]:
    target = np.asarray(k)
    rows = []
    current = z.copy()
    for step in range(n_steps + 1):
        p = softmax(current)
        rows.append(
            {
                "step": step,
                "loss": float(cross_entropy(current, target)),
                "p_target": float(p[k]),
                "z_target": float(current[k]),
            }
        )
        current = current - lr * np.asarray(cross_entropy_grad(current, target, reduction="sum"))
    return rows


def gradient_more_view(logits: list[float], target: Any, lr: float, n_steps: Any) -> dict[str, Any]:
    """The derivation of p − y with the current numbers, its finite-difference check, and
    ``n_steps`` gradient-descent steps on this one example.

    Examples
    --------
    >>> v = gradient_more_view([1.0, 2.0, 3.0], 0, 1.0, 5)
    >>> v["fd_max_diff"] < 1e-8
    True
    >>> [round(r["loss"], 4) for r in v["steps"][:3]]
    [2.4076, 1.2196, 0.5933]
    """
    z = np.asarray(logits, dtype=np.float64)
    k = _target(target, z.size)
    in_range(lr, "what.lr", 0, 10, low_open=True)
    count = float(n_steps) if n_steps is not None else math.nan
    if not math.isfinite(count) or not count.is_integer() or not 1 <= count <= MAX_STEPS:
        raise InputProblem(
            "act.err_int", what="what.grad_steps", low=1, high=MAX_STEPS, value=n_steps
        )
    out: dict[str, Any] = {"logits": z.tolist(), "target": k, "lr": float(lr)}
    out.update(_derivation(z, k))
    out.update(_finite_differences(z, k, np.asarray(out["grad"])))
    out["steps"] = _descent(z, k, float(lr), int(count))
    losses = np.array([row["loss"] for row in out["steps"]])
    out["loss_falls"] = bool(np.all(np.diff(losses) <= 0.0))
    return out
