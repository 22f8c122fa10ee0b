"""The explorer's logic as plain functions: plain values in, plain data out.

Nothing here imports gradio; every number comes from softmaxlab's own functions
(:func:`~softmaxlab.softmax`, :func:`~softmaxlab.log_softmax`, :func:`~softmaxlab.sigmoid`,
:func:`~softmaxlab.sparsemax`, :func:`~softmaxlab.softmax_jacobian`,
:func:`~softmaxlab.cross_entropy`, :func:`~softmaxlab.cross_entropy_grad`). The only
exception is the *naive* ``exp(z) / sum(exp(z))`` of the Precision tab, which is computed by
hand on purpose to show how it fails.

Bad entries raise :class:`InputProblem`, which carries a message key of
:mod:`softmaxlab.explorer._i18n` so that the page can show it in the reader's language.

Examples
--------
>>> view = softmax_view([3.0, 1.0, -3.0], ["A", "B", "C"], 0.0)
>>> [round(p, 4) for p in view["probs"]]
[0.8789, 0.1189, 0.0022]
>>> view["winners"]
[0]
>>> parse_numbers("1, 2，3 −4")
[1.0, 2.0, 3.0, -4.0]
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from .. import (
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    relu,
    reports,
    sigmoid,
    softmax,
    softmax_jacobian,
    sparsemax,
)

# The Next-token tab lives in _decoding and bad entries in _problems; their names stay
# importable from here, where the tabs and tests look for them.
from ._decoding import (  # noqa: F401
    DEFAULT_VOCAB,
    MAX_TOKENS,
    Decoding,
    histogram_view,
    next_token_view,
    parse_vocabulary,
)
from ._problems import InputProblem, in_range, parse_problem

MIN_CLASSES = 2
MAX_CLASSES = 10
LOGIT_RANGE = (-10.0, 10.0)
T_MIN, T_MAX = 0.05, 10.0
# Slider ends, rounded for display; positions within half a step of an end snap to it.
LOG10_T_MIN = -1.3  # on the slider's 0.01 grid with 0; T = 0.05 there (log10 0.05 = -1.30103)
LOG10_T_MAX = 1.0

PRESETS: dict[str, list[float]] = {
    "seed_a": [3.0, 1.0, -3.0],
    "seed_b": [1.0, 2.0, 3.0],
    "equal": [1.0, 1.0, 1.0],
    "small_a": [1.0, 1.0, 1.5],
    "small_b": [1.0, 1.0, 2.0],
    "large": [-5.0, -5.0, 5.0],
    "negative": [-2.0, -1.0, -1.0],
}
"""Fixed presets of the Softmax tab (the ``shift`` preset acts on the current logits)."""

DEFAULT_NAMES = [chr(ord("A") + i) for i in range(MAX_CLASSES)]


# ---------------------------------------------------------------------------- parsing


def parse_numbers(
    text: str | None,
    *,
    what: str = "what.logits",
    min_count: int = MIN_CLASSES,
    max_count: int | None = None,
    finite: bool = True,
) -> list[float]:
    """Parse numbers separated by commas or spaces (ASCII or full-width; ``−`` is a minus).

    The rules are :func:`softmaxlab.reports.parse_numbers` (shared with the command line).

    Raises
    ------
    InputProblem
        For an empty list, a word that is not a number, a non-finite number when ``finite``,
        or fewer than ``min_count`` / more than ``max_count`` values.

    Examples
    --------
    >>> parse_numbers("1e3, -2")
    [1000.0, -2.0]
    >>> parse_numbers("1, x")
    Traceback (most recent call last):
    ...
    softmaxlab.explorer._problems.InputProblem: 'x' is not a number (entry 2 of the logits).
    """
    try:
        return reports.parse_numbers(text, min_count=min_count, max_count=max_count, finite=finite)
    except reports.ParseProblem as exc:
        raise parse_problem(exc, what) from None


def parse_names(text: str | None, n_classes: int | None = None) -> list[str]:
    """Parse class names separated by commas (ASCII or full-width).

    With ``n_classes`` the count must match; without it, 2 to 10 names are accepted.

    Raises
    ------
    InputProblem
        For a blank name, a duplicate name or a wrong count.

    Examples
    --------
    >>> parse_names("cat, dog ,bird", 3)
    ['cat', 'dog', 'bird']
    """
    raw = re.split(r"[,，、]", text or "")
    names = [w.strip() for w in raw]
    if names == [""]:
        raise InputProblem("err.empty", what="what.labels", min=n_classes or MIN_CLASSES)
    for i, name in enumerate(names, start=1):
        if not name:
            raise InputProblem("err.blank_label", index=i)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputProblem("err.duplicate", label=name)
        seen.add(name)
    if n_classes is not None and len(names) != n_classes:
        raise InputProblem("err.count_mismatch", n_names=len(names), n_classes=n_classes)
    if len(names) < MIN_CLASSES:
        raise InputProblem("err.too_few", min=MIN_CLASSES, n=len(names), what="what.labels")
    if len(names) > MAX_CLASSES:
        raise InputProblem("err.too_many", max=MAX_CLASSES, n=len(names), what="what.labels")
    return names


def check_names(names: list[str]) -> None:
    """Check that class names are non-blank and distinct (raises :class:`InputProblem`)."""
    parse_names(", ".join(names), len(names))


# ---------------------------------------------------------------------------- Softmax tab


def temperature_from_log10(log10_t: float) -> float:
    """The temperature for a log₁₀ slider position, clamped to [0.05, 10].

    Examples
    --------
    >>> temperature_from_log10(-1.301), temperature_from_log10(0.0), temperature_from_log10(1)
    (0.05, 1.0, 10.0)
    >>> round(temperature_from_log10(-1.0), 12)
    0.1
    """
    x = float(log10_t)
    if not math.isfinite(x) or x <= math.log10(T_MIN) + 0.005:
        return T_MIN
    if x >= math.log10(T_MAX) - 0.005:
        return T_MAX
    if abs(x) < 1e-12:
        return 1.0
    return 10.0**x


def softmax_view(logits: list[float], names: list[str], log10_t: float) -> dict[str, Any]:
    """Everything the Softmax tab shows for ``logits`` at temperature ``10**log10_t``.

    Returns a dict with the lists ``names``, ``logits``, ``scaled`` (z/T), ``shifted``
    (z/T − max), ``exps`` (exponentiate), ``normalised`` (exps ÷ Σ), ``probs`` (the library's
    softmax) and the numbers ``temperature``, ``exp_sum`` (Σ exps: the sum step), ``total``
    (Σp, exactly rounded: :func:`softmaxlab.reports.sum_check`, as ``softmaxlab compute``),
    ``sum_error`` (|Σp − 1|), ``sum_bound`` (n·ε), ``sum_ok``, ``entropy`` (nats),
    ``entropy_bits``, ``max_entropy`` (log n), ``winners`` (indices of the largest
    probability), ``second`` (index of the runner-up or None), ``gap`` (logit gap between
    winner and runner-up), ``scaled_gap`` (gap / T) and ``ratio`` (exp(gap / T)).

    Examples
    --------
    >>> v = softmax_view([1.0, 1.0, 1.0], ["A", "B", "C"], 0.0)
    >>> v["winners"], round(v["entropy"], 6) == round(math.log(3), 6)
    ([0, 1, 2], True)
    """
    if len(logits) != len(names):
        raise InputProblem("err.count_mismatch", n_names=len(names), n_classes=len(logits))
    n = len(logits)
    if n < MIN_CLASSES:
        raise InputProblem("err.too_few", min=MIN_CLASSES, n=n, what="what.classes")
    if n > MAX_CLASSES:
        raise InputProblem("err.too_many", max=MAX_CLASSES, n=n, what="what.classes")
    check_names(names)
    z = np.asarray([float(v) for v in logits], dtype=np.float64)
    for i, v in enumerate(z, start=1):
        if not math.isfinite(v):
            raise InputProblem("err.not_finite", value=v, index=i, what="what.logits")
    temperature = temperature_from_log10(log10_t)
    # The steps and the sum check are those `softmaxlab compute` prints (softmaxlab.reports).
    steps = reports.softmax_steps(z, temperature=temperature)
    probs, logp = steps.probabilities, steps.log_probabilities
    total = float(steps.sums)
    entropy = float(-np.sum(np.where(probs > 0, probs * logp, 0.0)))
    top = float(probs.max())
    winners = [i for i in range(n) if probs[i] == top]
    order = sorted(range(n), key=lambda i: (-z[i], i))
    second = None if len(winners) == n else order[len(winners)]
    gap = 0.0 if second is None else float(z[order[0]] - z[second])
    scaled_gap = gap / temperature
    ratio = math.exp(scaled_gap) if scaled_gap < 709.0 else math.inf
    return {
        "names": list(names),
        "logits": z.tolist(),
        "temperature": temperature,
        "scaled": steps.scaled.tolist(),
        "shifted": steps.shifted.tolist(),
        "exps": steps.exps.tolist(),
        "exp_sum": float(steps.exp_sums),
        "normalised": steps.normalised.tolist(),
        "probs": probs.tolist(),
        "total": total,
        "sum_error": float(steps.abs_errors),
        "sum_bound": steps.tolerance,
        "sum_ok": bool(steps.check.ok),
        "entropy": entropy,
        "entropy_bits": entropy / math.log(2.0),
        "max_entropy": math.log(n),
        "winners": winners,
        "second": second,
        "gap": gap,
        "scaled_gap": scaled_gap,
        "ratio": ratio,
    }


def shift_logits(logits: list[float]) -> tuple[list[float], float]:
    """Add one constant to every logit, keeping them inside the slider range [−10, 10].

    Tries +5, −5, +2, −2, +1, −1, +0.5, −0.5 in turn; returns the new logits and the
    constant (0.0 if none fits).

    Examples
    --------
    >>> shift_logits([3.0, 1.0, -3.0])
    ([8.0, 6.0, 2.0], 5.0)
    >>> shift_logits([8.0, 6.0, 2.0])
    ([3.0, 1.0, -3.0], -5.0)
    """
    low, high = LOGIT_RANGE
    for c in (5.0, -5.0, 2.0, -2.0, 1.0, -1.0, 0.5, -0.5):
        moved = [float(v) + c for v in logits]
        if min(moved) >= low and max(moved) <= high:
            return moved, c
    return [float(v) for v in logits], 0.0


def add_class(names: list[str], logits: list[float]) -> tuple[list[str], list[float]]:
    """Append a class (logit 0) with the first unused default name; at most 10 classes.

    Examples
    --------
    >>> add_class(["A", "B"], [1.0, 2.0])
    (['A', 'B', 'C'], [1.0, 2.0, 0.0])
    """
    if len(names) >= MAX_CLASSES:
        raise InputProblem("err.too_many", max=MAX_CLASSES, n=len(names) + 1, what="what.classes")
    used = set(names)
    extra = next((d for d in DEFAULT_NAMES if d not in used), f"class {len(names) + 1}")
    return [*names, extra], [*logits, 0.0]


def remove_class(names: list[str], logits: list[float]) -> tuple[list[str], list[float]]:
    """Drop the last class; at least 2 remain.

    Examples
    --------
    >>> remove_class(["A", "B", "C"], [1.0, 2.0, 3.0])
    (['A', 'B'], [1.0, 2.0])
    """
    if len(names) <= MIN_CLASSES:
        raise InputProblem("err.too_few", min=MIN_CLASSES, n=len(names) - 1, what="what.classes")
    return names[:-1], logits[:-1]


def rename_classes(
    text: str | None, names: list[str], logits: list[float]
) -> tuple[list[str], list[float]]:
    """Apply a comma-separated list of names: extra names add classes (logit 0), fewer remove.

    Examples
    --------
    >>> rename_classes("cat, dog, fish, bird", ["A", "B", "C"], [3.0, 1.0, -3.0])
    (['cat', 'dog', 'fish', 'bird'], [3.0, 1.0, -3.0, 0.0])
    """
    new = parse_names(text)
    values = [float(v) for v in logits[: len(new)]]
    values += [0.0] * (len(new) - len(values))
    return new, values


def preset_names(n: int, current: list[str]) -> list[str]:
    """Names for a preset of ``n`` classes: the current ones if they fit, else A, B, C, …"""
    if len(current) >= n:
        return list(current[:n])
    return [*current, *[d for d in DEFAULT_NAMES if d not in current]][:n]


# ---------------------------------------------------------------------------- Compare tab


def compare_view(logits: list[float]) -> dict[str, Any]:
    """Softmax, sigmoid, argmax (one-hot at the first maximum), sparsemax and ReLU of ``logits``.

    Examples
    --------
    >>> v = compare_view([3.0, 1.0, -3.0])
    >>> v["argmax"], v["sparsemax"]
    ([1.0, 0.0, 0.0], [1.0, 0.0, 0.0])
    >>> round(sum(v["sigmoid"]), 4)
    1.7311
    """
    z = np.asarray(logits, dtype=np.float64)
    hard = np.zeros_like(z)
    hard[int(np.argmax(z))] = 1.0
    maps = {
        "softmax": softmax(z),
        "sigmoid": sigmoid(z),
        "argmax": hard,
        "sparsemax": sparsemax(z),
        # ReLU max(z, 0) is shown as the counter-example: an activation, not a distribution.
        "relu": relu(z),
    }
    out: dict[str, Any] = {"logits": z.tolist()}
    for name, values in maps.items():
        out[name] = np.asarray(values, dtype=np.float64).tolist()
        out[name + "_sum"] = float(np.sum(values))
    out["sparse_zeros"] = int(np.count_nonzero(maps["sparsemax"] == 0.0))
    # Doubling the logits doubles ReLU (it keeps the scale) but sharpens softmax.
    out["relu_doubled_sum"] = float(np.sum(relu(2.0 * z)))
    out["softmax_doubled_max"] = float(np.max(softmax(2.0 * z)))
    return out


# ---------------------------------------------------------------------------- Precision tab


def precision_view(logits: list[float]) -> dict[str, Any]:
    """The naive and the stable softmax, sums per precision, and log(softmax) vs log_softmax.

    Examples
    --------
    >>> v = precision_view([1000.0, 999.0, 998.0])
    >>> v["naive_exp"][0], v["naive_p"][0], v["naive_bad"]
    (inf, nan, 3)
    >>> [round(p, 4) for p in v["stable_p"]]
    [0.6652, 0.2447, 0.09]
    >>> v = precision_view([1000.0, 1.0])
    >>> v["log_of_softmax"][1], v["log_softmax"][1]
    (-inf, -999.0)
    """
    z = np.asarray(logits, dtype=np.float64)
    # The naive form is computed by hand on purpose, to show its overflow: silence the
    # warnings it is expected to raise.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive_exp = np.exp(z)
        naive_p = naive_exp / np.sum(naive_exp)
    finite = z[np.isfinite(z)]
    top = float(finite.max()) if finite.size else 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        stable_exp = np.exp(z - top)
    stable_p = softmax(z)
    dtypes = []
    for dt in (np.float16, np.float32, np.float64):
        with np.errstate(over="ignore"):
            zc = z.astype(dt)
        p = softmax(zc)
        total = p.sum(dtype=dt)
        eps = float(np.finfo(dt).eps)
        err = abs(float(total) - 1.0)
        dtypes.append(
            {
                "dtype": np.dtype(dt).name,
                "eps": eps,
                "sum": float(total),
                "sum_repr": repr(dt(total).item()) if dt is not np.float16 else str(total),
                "error": err,
                "in_eps": err / eps if math.isfinite(err) else math.nan,
                "probs": p.astype(np.float64).tolist(),
            }
        )
    with np.errstate(divide="ignore"):
        log_of = np.log(stable_p)
    ls = log_softmax(z)
    return {
        "logits": z.tolist(),
        "naive_exp": naive_exp.tolist(),
        "naive_p": naive_p.tolist(),
        "naive_bad": int(np.count_nonzero(~np.isfinite(naive_p))),
        "stable_exp": stable_exp.tolist(),
        "stable_p": stable_p.tolist(),
        "dtypes": dtypes,
        "log_of_softmax": log_of.tolist(),
        "log_softmax": ls.tolist(),
        "log_bad": int(np.count_nonzero(np.isneginf(log_of) & np.isfinite(ls))),
    }


# ---------------------------------------------------------------------------- Gradients tab


def gradient_view(logits: list[float], target: float | int | None, lr: float) -> dict[str, Any]:
    """Softmax Jacobian, cross-entropy gradient p − y and one gradient-descent step.

    Examples
    --------
    >>> v = gradient_view([1.0, 2.0, 3.0], 0, 1.0)
    >>> [round(g, 4) for g in v["grad"]]
    [-0.91, 0.2447, 0.6652]
    >>> v["loss_after"] < v["loss_before"]
    True
    """
    z = np.asarray(logits, dtype=np.float64)
    n = z.size
    if target is None or not float(target).is_integer() or not 0 <= int(target) < n:
        raise InputProblem("err.target", max=n - 1, value=target)
    k = int(target)
    in_range(lr, "what.lr", 0, 10, low_open=True)
    p = softmax(z)
    jac = softmax_jacobian(z)
    y = np.zeros(n)
    y[k] = 1.0
    grad = cross_entropy_grad(z, np.asarray(k), reduction="sum")
    z_new = z - float(lr) * grad
    p_new = softmax(z_new)
    return {
        "logits": z.tolist(),
        "target": k,
        "lr": float(lr),
        "probs": p.tolist(),
        "jacobian": np.asarray(jac).tolist(),
        "row_sum_max": float(np.max(np.abs(np.sum(jac, axis=1)))),
        "onehot": y.tolist(),
        "grad": np.asarray(grad).tolist(),
        "z_new": z_new.tolist(),
        "p_new": p_new.tolist(),
        "loss_before": float(cross_entropy(z, np.asarray(k))),
        "loss_after": float(cross_entropy(z_new, np.asarray(k))),
    }
