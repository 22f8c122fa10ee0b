"""HTML of the Attention and Segmentation tabs, from :mod:`._attention` and :mod:`._segmentation`.

Every number a test may read is in a ``data-`` attribute with its full ``repr``: the score
and weight cells (``data-score``, ``data-weight``), the output cells (``data-out``) and the
segmentation maps (``data-label``, ``data-p``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ._html import CELL_STYLE, HEAD_STYLE, TABLE_STYLE, bars, esc, fmt, heading, heat, note
from ._i18n import t

__all__ = ["attention_html", "segmentation_html"]

MASKED = "background:#e6e6e6;color:#888;"


def _matrix(
    elem_id: str,
    rows: Sequence[str],
    cols: Sequence[str],
    cells: Sequence[Sequence[str]],
    *,
    corner: str = "",
    extra: tuple[str, Sequence[str]] | None = None,
) -> str:
    """A labelled matrix: row labels, column labels and already-built ``<td>`` cells."""
    head = f'<th style="{HEAD_STYLE}">{esc(corner)}</th>' + "".join(
        f'<th style="{HEAD_STYLE}">{esc(c)}</th>' for c in cols
    )
    if extra:
        head += f'<th style="{HEAD_STYLE}">{esc(extra[0])}</th>'
    body = []
    for i, (label, row) in enumerate(zip(rows, cells, strict=True)):
        tail = f'<td style="{CELL_STYLE}font-weight:600;">{extra[1][i]}</td>' if extra else ""
        body.append(f'<tr><th style="{HEAD_STYLE}">{esc(label)}</th>{"".join(row)}{tail}</tr>')
    return (
        f'<div style="overflow-x:auto;"><table id="{esc(elem_id)}" style="{TABLE_STYLE}">'
        f"<tr>{head}</tr>{''.join(body)}</table></div>"
    )


def _score_cell(value: float, scale: float) -> str:
    if value == -math.inf:
        return f'<td class="sl-masked" data-score="-inf" style="{CELL_STYLE}{MASKED}">−∞</td>'
    return (
        f'<td data-score="{value!r}" style="{CELL_STYLE}{heat(value, scale)}">{fmt(value, 3)}</td>'
    )


def _weight_cell(value: float, masked: bool) -> str:
    style = MASKED if masked else heat(value, 1.0)
    cls = ' class="sl-masked"' if masked else ""
    return f'<td{cls} data-weight="{value!r}" style="{CELL_STYLE}{style}">{fmt(value, 3)}</td>'


def _labels(words: Sequence[str]) -> list[str]:
    return [f"{i + 1} {w}" for i, w in enumerate(words)]


def _mix(view: dict[str, Any], lang: str) -> str:
    """The chosen query's weights as bars and its output as the weighted sum of values."""
    i = view["query"]
    words = view["tokens"]
    weights = view["weights"][i]
    terms = " + ".join(
        f"{fmt(w, 3)}·v{j + 1}" for j, w in enumerate(weights) if not (view["causal"] and j > i)
    )
    out = ", ".join(fmt(x, 4) for x in view["output"][i])
    top = max(range(len(weights)), key=lambda j: weights[j])
    return (
        heading(t("att.query_heading", lang, n=i + 1, token=words[i]))
        + bars(_labels(words), weights, highlight=[top], elem_class="sl-bars sl-att-query")
        + note(t("att.mix", lang, n=i + 1, terms=terms, out=out), cls="sl-att-mix")
    )


def attention_html(view: dict[str, Any], lang: str) -> str:
    """Scores, weights (heat maps), outputs and the chosen query's mix for the Attention tab."""
    words = view["tokens"]
    labels = _labels(words)
    n = len(words)
    finite = [abs(s) for row in view["scores"] for s in row if math.isfinite(s)]
    scale = max(finite, default=1.0)
    scores = [[_score_cell(s, scale) for s in row] for row in view["scores"]]
    weights = [
        [_weight_cell(w, view["scores"][i][j] == -math.inf) for j, w in enumerate(row)]
        for i, row in enumerate(view["weights"])
    ]
    sums = [fmt(s, 12) for s in view["row_sums"]]
    dims = [f"{t('att.dim', lang)} {d + 1}" for d in range(len(view["output"][0]))]
    out_cells = [
        [f'<td data-out="{x!r}" style="{CELL_STYLE}">{fmt(x, 4)}</td>' for x in row]
        for row in view["output"]
    ]
    corner = t("att.corner", lang)
    mask_note = t("att.mask_on" if view["causal"] else "att.mask_off", lang)
    return (
        f'<div class="sl-attention" data-causal="{int(view["causal"])}" data-n="{n}">'
        + note(mask_note, cls="sl-att-mask-note")
        + heading(t("att.scores_heading", lang, scale=fmt(view["scale"], 4)))
        + _matrix("att-scores", labels, labels, scores, corner=corner)
        + heading(t("att.weights_heading", lang))
        + _matrix(
            "att-weights", labels, labels, weights, corner=corner, extra=(t("att.sum", lang), sums)
        )
        + heading(t("att.output_heading", lang))
        + _matrix("att-output", labels, dims, out_cells)
        + _mix(view, lang)
        + "</div>"
    )


# ---------------------------------------------------------------------------- Segmentation

CLASS_COLOURS = ("#4c9be8", "#6b8e23", "#e8710a")
"""Colour of each class of the segmentation image in the label map (sky, ground, object)."""


def _grid(
    cells: Sequence[Sequence[tuple[str, str]]], *, elem_id: str, picked: tuple[int, int], px: int
) -> str:
    """An SVG of coloured squares; ``cells[r][c]`` is (fill colour, extra attributes)."""
    h, w = len(cells), len(cells[0])
    rects = []
    for r, row in enumerate(cells):
        for c, (fill, attrs) in enumerate(row):
            rects.append(
                f'<rect x="{c * px}" y="{r * px}" width="{px}" height="{px}" fill="{fill}" '
                f'data-r="{r}" data-c="{c}" {attrs}/>'
            )
    pr, pc = picked
    rects.append(
        f'<rect class="sl-picked" x="{pc * px}" y="{pr * px}" width="{px}" height="{px}" '
        'fill="none" stroke="#000" stroke-width="2"/>'
    )
    return (
        f'<svg id="{esc(elem_id)}" class="sl-seg-map" viewBox="0 0 {w * px} {h * px}" '
        f'width="{w * px}" height="{h * px}" xmlns="http://www.w3.org/2000/svg" '
        f'style="border:1px solid #ccc;">{"".join(rects)}</svg>'
    )


def _rgb(colour: Sequence[float]) -> str:
    r, g, b = (round(255 * min(1.0, max(0.0, v))) for v in colour)
    return f"rgb({r},{g},{b})"


def _shade(p: float, colour: str) -> tuple[str, str]:
    return colour, f'fill-opacity="{0.05 + 0.95 * p:.3f}" data-p="{p!r}"'


def _figure(title: str, svg: str) -> str:
    return f'<div><div style="font-weight:600;margin:4px 0;">{esc(title)}</div>{svg}</div>'


def segmentation_html(view: dict[str, Any], lang: str) -> str:
    """The image, one probability map per class, the label map and the picked pixel."""
    names = [t(f"seg.class_{k}", lang) for k in view["classes"]]
    picked = (view["row"], view["col"])
    image = [[(_rgb(px), "") for px in row] for row in view["image"]]
    figures = [
        _figure(t("seg.image", lang), _grid(image, elem_id="seg-image", picked=picked, px=12))
    ]
    for k, name in enumerate(names):
        cells = [[_shade(p[k], CLASS_COLOURS[k]) for p in row] for row in view["probs"]]
        svg = _grid(cells, elem_id=f"seg-prob-{k}", picked=picked, px=9)
        figures.append(_figure(t("seg.prob_map", lang, name=name), svg))
    labels = [
        [(CLASS_COLOURS[label], f'data-label="{label}"') for label in row] for row in view["labels"]
    ]
    svg = _grid(labels, elem_id="seg-labels", picked=picked, px=12)
    figures.append(_figure(t("seg.label_map", lang), svg))
    legend = " ".join(
        f'<span style="display:inline-block;width:0.9em;height:0.9em;background:{c};'
        f'vertical-align:middle;"></span> {esc(n)}'
        for c, n in zip(CLASS_COLOURS, names, strict=True)
    )
    pixel = view["pixel"]
    top = max(range(len(names)), key=lambda k: pixel["probs"][k])
    sep = t("seg.sep", lang)
    scores = sep.join(f"{n} {fmt(s, 4)}" for n, s in zip(names, pixel["scores"], strict=True))
    counts = sep.join(f"{n} {c}" for n, c in zip(names, view["counts"], strict=True))
    return (
        f'<div class="sl-seg" data-t="{view["temperature"]!r}">'
        '<div style="display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start;">'
        + "".join(figures)
        + f'</div><p style="margin:4px 0;">{legend}</p>'
        + note(t("seg.counts", lang, counts=counts), cls="sl-seg-counts")
        + heading(t("seg.pixel_heading", lang, row=view["row"], col=view["col"]))
        + note(t("seg.pixel_scores", lang, scores=scores, t=fmt(view["temperature"], 4)))
        + bars(names, pixel["probs"], highlight=[top], elem_class="sl-bars sl-seg-pixel")
        + note(t("seg.sum", lang, total=fmt(pixel["total"], 17), worst=fmt(view["worst"], 3)))
        + "</div>"
    )
