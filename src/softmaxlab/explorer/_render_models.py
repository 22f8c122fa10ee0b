"""HTML for the model tabs (one-vs-rest, Draw a digit, Train & calibrate) from :mod:`._models`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ._html import (
    BAR,
    CELL_STYLE,
    HEAD_STYLE,
    TABLE_STYLE,
    bars,
    esc,
    fmt,
    note,
    svg_frame,
    table,
    texts,
)
from ._i18n import t

# ---------------------------------------------------------------------------- model tabs


def ovr_html(view: dict[str, Any], lang: str) -> str:
    """The one-vs-rest vs softmax regression table."""
    headers = texts(
        lang, "col.model", "col.accuracy", "col.log_loss", "col.fit_time", "col.n_params"
    )
    rows = [
        [
            esc(r["name"]),
            f"{100 * r['accuracy']:.1f}%",
            fmt(r["log_loss"], 4),
            fmt(r["fit_seconds"], 3),
            str(r["n_parameters"]),
        ]
        for r in view["rows"]
    ]
    summary = t(
        "ovr.summary",
        lang,
        dataset=view["dataset"],
        k=view["n_classes"],
        n_train=view["n_train"],
        n_test=view["n_test"],
    )
    return note(summary) + table(headers, rows, elem_id="ovr-table")


def pixels_html(image: Sequence[Sequence[float]], *, cell: int = 22, vmax: float = 16.0) -> str:
    """An 8×8 (or any) gray image as a grid of cells, ink dark, with its values as data."""
    cells = []
    for row in image:
        for v in row:
            level = 255 - round(255 * max(0.0, min(1.0, float(v) / vmax)))
            cells.append(
                f'<div title="{fmt(v, 3)}" style="width:{cell}px;height:{cell}px;'
                f'background:rgb({level},{level},{level});"></div>'
            )
    n_cols = len(image[0]) if image else 0
    values = ",".join(fmt(v, 3) for row in image for v in row)
    return (
        f'<div class="sl-pixels" data-values="{values}" style="display:grid;'
        f"grid-template-columns:repeat({n_cols},{cell}px);gap:1px;background:#ccc;"
        f'border:1px solid #999;width:max-content;">{"".join(cells)}</div>'
    )


def digit_html(view: dict[str, Any], lang: str) -> str:
    """The 8×8 input, the ten probabilities with the top 3, and the temperature used."""
    probs = view["probs"]
    top3 = view["top3"]
    chart = bars(
        [str(k) for k in range(10)],
        probs,
        highlight=[top3[0]],
        title=t("sm.chart_title", lang),
        elem_class="sl-bars sl-digit-probs",
    )
    top = ", ".join(f"{k} ({100 * probs[k]:.1f}%)" for k in top3)
    state = t("dg.on", lang) if view["calibrated"] else t("dg.off", lang)
    return (
        '<div style="display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start;">'
        f'<div><div style="font-weight:600;margin-bottom:4px;">{esc(t("dg.seen", lang))}</div>'
        f"{pixels_html(view['image'])}</div>"
        f'<div style="flex:1;min-width:20em;">{chart}'
        f'<p class="sl-top3" style="margin:4px 0;font-weight:600;">'
        f"{esc(t('dg.top3', lang, top=top))}</p>"
        + note(t("dg.temperature", lang, t=fmt(view["temperature"], 4), state=state))
        + note(t("dg.none", lang), cls="sl-note sl-digit-none")
        + "</div></div>"
    )


def loss_curve_svg(
    curve: Sequence[float], lang: str, *, width: int = 360, height: int = 220
) -> str:
    """The training loss per iteration as an SVG line."""
    pad = 40
    values = [float(v) for v in curve if math.isfinite(float(v))]
    if len(values) < 2:
        values = values * 2 if values else [0.0, 0.0]
    lo, hi = min(values), max(values)
    span = hi - lo or 1.0
    n = len(values) - 1
    points = " ".join(
        f"{pad + (width - pad - 8) * i / n:.1f},{8 + (height - pad - 8) * (hi - v) / span:.1f}"
        for i, v in enumerate(values)
    )
    body = (
        f'<polyline points="{points}" fill="none" stroke="{BAR}" stroke-width="2"/>'
        f'<text x="{pad - 4}" y="14" text-anchor="end">{fmt(hi, 3)}</text>'
        f'<text x="{pad - 4}" y="{height - pad}" text-anchor="end">{fmt(lo, 3)}</text>'
        f'<text x="{width - 8}" y="{height - pad + 14}" text-anchor="end">{len(values)}</text>'
        f'<text x="{(width + pad) / 2}" y="{height - 8}" text-anchor="middle">'
        f"{esc(t('tr.iteration', lang))}</text>"
    )
    return svg_frame(width, height, pad, body, elem_class="sl-loss")


def reliability_svg(
    bins_view: dict[str, list[float]], lang: str, *, width: int = 260, height: int = 240
) -> str:
    """Accuracy per confidence bin as bars, with the diagonal of perfect calibration."""
    pad = 36
    inner_w, inner_h = width - pad - 8, height - pad - 8
    edges = bins_view["edges"]
    parts = [
        f'<line x1="{pad}" y1="{height - pad}" x2="{pad + inner_w}" y2="8" '
        'stroke="#d93025" stroke-dasharray="4 3"/>'
    ]
    for i, acc in enumerate(bins_view["accuracy"]):
        if not math.isfinite(acc) or bins_view["counts"][i] == 0:
            continue
        x0 = pad + inner_w * edges[i]
        x1 = pad + inner_w * edges[i + 1]
        y = 8 + inner_h * (1 - acc)
        parts.append(
            f'<rect x="{x0 + 1:.1f}" y="{y:.1f}" width="{max(0.0, x1 - x0 - 2):.1f}" '
            f'height="{height - pad - y:.1f}" fill="{BAR}" fill-opacity="0.8" '
            f'data-acc="{acc!r}" data-count="{bins_view["counts"][i]!r}"/>'
        )
    parts.append(
        f'<text x="{(width + pad) / 2}" y="{height - 8}" text-anchor="middle">'
        f"{esc(t('tr.confidence', lang))}</text>"
        f'<text x="12" y="{height / 2}" transform="rotate(-90 12 {height / 2})" '
        f'text-anchor="middle">{esc(t("tr.accuracy", lang))}</text>'
        f'<text x="{pad - 4}" y="14" text-anchor="end">1</text>'
        f'<text x="{pad - 4}" y="{height - pad}" text-anchor="end">0</text>'
    )
    return svg_frame(width, height, pad, "".join(parts), elem_class="sl-reliability")


def confusion_html(matrix: Sequence[Sequence[int]], names: Sequence[str]) -> str:
    """A confusion matrix as a table shaded by count (rows: true, columns: predicted)."""
    top = max((max(row) for row in matrix), default=1) or 1
    head = "".join(f'<th style="{HEAD_STYLE}">{esc(n)}</th>' for n in names)
    body = "".join(
        f'<tr><th style="{HEAD_STYLE}">{esc(names[i])}</th>'
        + "".join(
            f'<td style="{CELL_STYLE}background:rgba(76,120,168,{0.85 * v / top:.3f});">{v}</td>'
            for v in row
        )
        + "</tr>"
        for i, row in enumerate(matrix)
    )
    return (
        f'<table id="train-confusion" style="{TABLE_STYLE}"><tr><th></th>{head}</tr>{body}</table>'
    )


def train_warnings(view: dict[str, Any], lang: str) -> str:
    """Warnings of a training run in ``lang``: a temperature at a bound, no convergence.

    ``view["temperature_warning"]`` is ``"lower"`` / ``"upper"`` when the fitted temperature
    stopped at that end of ``view["temperature_range"]``; ``view["converged"]`` is False when
    the solver used all its iterations. Each warning is one ``.sl-train-warning`` paragraph.
    """
    messages = []
    side = view.get("temperature_warning")
    if side in ("lower", "upper"):
        low, high = view["temperature_range"]
        bound = low if side == "lower" else high
        messages.append(
            (side, t(f"tr.warn_{side}", lang, bound=fmt(bound, 4), n_val=view["n_val"]))
        )
    if not view.get("converged", True):
        messages.append(("iter", t("tr.warn_iter", lang, n_iter=view["n_iter"])))
    return "".join(
        f'<p class="sl-train-warning" data-warning="{esc(kind)}" role="status" '
        'style="margin:4px 0;padding:6px 10px;border-left:4px solid #e8710a;'
        f'background:#fff3e6;">⚠ {esc(text)}</p>'
        for kind, text in messages
    )


def train_html(view: dict[str, Any], lang: str) -> str:
    """Summary, loss curve, confusion matrix and the two reliability diagrams."""
    summary = t(
        "tr.summary",
        lang,
        dataset=view["dataset"],
        n_iter=view["n_iter"],
        train_acc=f"{100 * view['train_accuracy']:.1f}%",
        test_acc=f"{100 * view['test_accuracy']:.1f}%",
        t=fmt(view["temperature"], 4),
        ece_before=fmt(view["ece_before"], 3),
        ece_after=fmt(view["ece_after"], 3),
        nll_before=fmt(view["nll_before"], 4),
        nll_after=fmt(view["nll_after"], 4),
    )

    def block(title: str, content: str) -> str:
        return (
            f'<div><div style="font-weight:600;margin:6px 0 4px;">{esc(title)}</div>{content}</div>'
        )

    return (
        f'<p class="sl-train-summary" data-ece-before="{view["ece_before"]!r}" '
        f'data-ece-after="{view["ece_after"]!r}" data-temperature="{view["temperature"]!r}" '
        f'style="margin:4px 0;">{esc(summary)}</p>'
        + train_warnings(view, lang)
        + '<div style="display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start;">'
        + block(t("tr.loss", lang), loss_curve_svg(view["loss_curve"], lang))
        + block(t("tr.reliability_before", lang), reliability_svg(view["bins_before"], lang))
        + block(
            t("tr.reliability_after", lang, t=fmt(view["temperature"], 4)),
            reliability_svg(view["bins_after"], lang),
        )
        + "</div>"
        + note(t("tr.reliability_note", lang))
        + block(t("tr.confusion", lang), confusion_html(view["confusion"], view["names"]))
    )
