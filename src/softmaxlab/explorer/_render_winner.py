"""Winner takes all, seen: p(T) as the temperature sweeps, and the 3-class probability simplex.

:func:`sweep` computes each class's probability on a log-spaced grid of temperatures with
:func:`softmaxlab.softmax` (``softmax(z / T)`` row by row); :func:`winner_html` draws the
curves with the current T marked and, for three classes, the simplex: the triangle whose
corners are the one-hot vectors, the path of p as T sweeps, and the current point.

Examples
--------
>>> s = sweep([3.0, 1.0, -3.0], n=5)
>>> [round(t, 4) for t in s["temperatures"]][0], s["temperatures"][-1]
(0.05, 10.0)
>>> [round(p, 3) for p in s["probs"][-1]]  # T = 10: exp(z / 10) normalised
[0.422, 0.346, 0.232]
>>> simplex_xy([1.0, 0.0, 0.0]), simplex_xy([0.0, 1.0, 0.0])
((110.0, 16.0), (16.0, 178.8))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import softmax
from ._html import esc, fmt, heading, note
from ._i18n import t

__all__ = ["simplex_xy", "sweep", "winner_html"]

T_MIN, T_MAX = 0.05, 10.0
COLORS = (
    "#4c78a8",
    "#e8710a",
    "#54a24b",
    "#b279a2",
    "#e45756",
    "#72b7b2",
    "#9d755d",
    "#eeca3b",
    "#ff9da6",
    "#79706e",
)
"""One colour per class (up to ten), the same in the curves, the legend and the simplex."""

W, H, PAD = 440, 210, 34
"""Size of the p(T) plot and its left/bottom margin, in SVG units."""

TICKS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)

# The simplex: corner of class 0 at the top, class 1 bottom left, class 2 bottom right.
_BOTTOM = round(16.0 + 188.0 * math.sqrt(3) / 2, 1)  # an equilateral triangle of side 188
_CORNERS = ((110.0, 16.0), (16.0, _BOTTOM), (204.0, _BOTTOM))


def sweep(logits: Sequence[float], n: int = 81) -> dict[str, Any]:
    """p(T) for ``n`` temperatures log-spaced over [0.05, 10]: ``temperatures`` and ``probs``.

    ``probs[k]`` is :func:`softmaxlab.softmax` of the logits at ``temperatures[k]``.
    """
    z = np.asarray(logits, dtype=np.float64)
    temps = np.logspace(math.log10(T_MIN), math.log10(T_MAX), n)
    probs = softmax(z[np.newaxis, :] / temps[:, np.newaxis], axis=-1)
    return {"temperatures": temps.tolist(), "probs": probs.tolist()}


def _x(temperature: float) -> float:
    lo, hi = math.log10(T_MIN), math.log10(T_MAX)
    return PAD + (math.log10(temperature) - lo) / (hi - lo) * (W - PAD - 10)


def _y(p: float) -> float:
    return 10 + (1.0 - p) * (H - PAD - 10)


def ptemp_svg(view: dict[str, Any], swept: dict[str, Any], lang: str) -> str:
    """The curves p_i(T), one per class, with the current T as a dashed line."""
    temps = swept["temperatures"]
    lines = []
    for i, name in enumerate(view["names"]):
        points = " ".join(
            f"{_x(tk):.1f},{_y(row[i]):.1f}" for tk, row in zip(temps, swept["probs"], strict=True)
        )
        lines.append(
            f'<polyline class="sl-ptemp" data-class="{esc(name)}" points="{points}" fill="none" '
            f'stroke="{COLORS[i % len(COLORS)]}" stroke-width="2"/>'
        )
    ticks = "".join(
        f'<text x="{_x(v):.1f}" y="{H - PAD + 14}" text-anchor="middle">{fmt(v, 2)}</text>'
        for v in TICKS
    )
    yticks = "".join(
        f'<text x="{PAD - 4}" y="{_y(p) + 4:.1f}" text-anchor="end">{p:g}</text>'
        for p in (0.0, 0.5, 1.0)
    )
    now = view["temperature"]
    marker = (
        f'<line class="sl-ptemp-now" data-t="{now!r}" x1="{_x(now):.1f}" y1="10" '
        f'x2="{_x(now):.1f}" y2="{H - PAD}" stroke="#333" stroke-dasharray="4 3"/>'
    )
    axis = (
        f'<text x="{W - 10}" y="{H - 4}" text-anchor="end">{esc(t("sm.sweep_axis", lang))}</text>'
    )
    body = "".join(lines) + ticks + yticks + marker + axis
    return (
        f'<svg class="sl-ptemp-plot" viewBox="0 0 {W} {H}" width="100%" style="max-width:{W}px;'
        'background:#fff;border:1px solid #ddd;font:11px sans-serif;" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - 10}" y2="{H - PAD}" stroke="#888"/>'
        f'<line x1="{PAD}" y1="10" x2="{PAD}" y2="{H - PAD}" stroke="#888"/>{body}</svg>'
    )


def simplex_xy(p: Sequence[float]) -> tuple[float, float]:
    """The point of the simplex drawing for the probabilities ``p`` of three classes."""
    x = sum(w * c[0] for w, c in zip(p, _CORNERS, strict=True))
    y = sum(w * c[1] for w, c in zip(p, _CORNERS, strict=True))
    return round(x, 1), round(y, 1)


def simplex_svg(view: dict[str, Any], swept: dict[str, Any]) -> str:
    """The triangle of 3-class probability vectors, the path of p(T) and the current p."""
    corners = " ".join(f"{x:.1f},{y:.1f}" for x, y in _CORNERS)
    path = " ".join("{:.1f},{:.1f}".format(*simplex_xy(row)) for row in swept["probs"])
    labels = "".join(
        f'<text x="{x:.1f}" y="{y + (-4 if i == 0 else 14):.1f}" text-anchor="middle" '
        f'fill="{COLORS[i]}" font-weight="600">{esc(name)}</text>'
        for i, (name, (x, y)) in enumerate(zip(view["names"], _CORNERS, strict=True))
    )
    cx, cy = simplex_xy([1 / 3] * 3)
    px, py = simplex_xy(view["probs"])
    shown_p = ",".join(repr(float(v)) for v in view["probs"])
    return (
        '<svg class="sl-simplex" viewBox="0 0 220 200" width="220" height="200" '
        'style="background:#fff;border:1px solid #ddd;font:11px sans-serif;" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<polygon points="{corners}" fill="#f7f7f7" stroke="#888"/>'
        f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="#888"/>'
        f'<polyline class="sl-simplex-path" points="{path}" fill="none" stroke="#999" '
        'stroke-width="1.5" stroke-dasharray="3 2"/>'
        f'<circle class="sl-simplex-point" data-p="{shown_p}" cx="{px}" cy="{py}" r="5" '
        'fill="#e8710a" stroke="#333"/>'
        f"{labels}</svg>"
    )


def winner_html(view: dict[str, Any], lang: str) -> str:
    """The Winner-takes-all section of the Softmax tab for a :func:`softmax_view` result."""
    swept = sweep(view["logits"])
    legend = " ".join(
        f'<span style="color:{COLORS[i % len(COLORS)]};font-weight:600;">■ {esc(name)}</span>'
        for i, name in enumerate(view["names"])
    )
    part = (
        heading(t("sm.sweep_title", lang))
        + ptemp_svg(view, swept, lang)
        + f'<div style="margin:2px 0;">{legend}</div>'
        + note(t("sm.sweep_note", lang, t=fmt(view["temperature"], 4)))
        + heading(t("sm.simplex_title", lang))
    )
    if len(view["names"]) == 3:
        return part + simplex_svg(view, swept) + note(t("sm.simplex_note", lang))
    return part + note(t("sm.simplex_n", lang, n=len(view["names"])))
