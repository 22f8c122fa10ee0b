"""Building blocks of the explorer's HTML: numbers, tables, bars, notes, messages, SVG frames.

Plain HTML with inline styles renders in a few milliseconds (no plotting library on the
slider path) and needs nothing from outside the page. Every number a test may read is also
put in a ``data-`` attribute with its full ``repr``. The per-tab renderers in
:mod:`._render` and :mod:`._render_models` are made of these.

Examples
--------
>>> fmt(float("nan")), fmt(float("inf")), fmt(-float("inf")), fmt(0.1234567891)
('NaN', 'inf', '−inf', '0.123457')
>>> heading("Steps")
"<h4 style='margin:8px 0 2px;'>Steps</h4>"
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from ._i18n import t

WIN = "#e8710a"  # winner bar
BAR = "#4c78a8"  # other bars
DIM = "#c8c8c8"


def fmt(x: float, digits: int = 6) -> str:
    """A number for display: ``NaN``, ``inf``, ``−inf`` or ``digits`` significant digits."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "−inf"
    text = f"{x:.{digits}g}"
    return text.replace("-", "−") if text.startswith("-") else text


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


TABLE_STYLE = "border-collapse:collapse;font-variant-numeric:tabular-nums;margin:4px 0;"
CELL_STYLE = "border:1px solid #ccc;padding:2px 8px;text-align:right;"
HEAD_STYLE = "border:1px solid #ccc;padding:2px 8px;background:#f2f2f2;text-align:center;"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    elem_id: str = "",
    row_styles: Sequence[str] | None = None,
) -> str:
    """A simple HTML table; cells are already-escaped strings."""
    ident = f' id="{esc(elem_id)}"' if elem_id else ""
    head = "".join(f'<th style="{HEAD_STYLE}">{esc(h)}</th>' for h in headers)
    body = []
    for i, row in enumerate(rows):
        style = row_styles[i] if row_styles else ""
        cells = "".join(f'<td style="{CELL_STYLE}">{c}</td>' for c in row)
        body.append(f'<tr style="{style}">{cells}</tr>')
    return f'<table{ident} style="{TABLE_STYLE}"><tr>{head}</tr>{"".join(body)}</table>'


def error_box(message: str, lang: str) -> str:
    """A visible message about a bad entry (never a traceback)."""
    return (
        '<div class="sl-error" role="alert" style="border:1px solid #d93025;background:#fdecea;'
        'color:#8a1c12;padding:8px 12px;border-radius:6px;">'
        f"<b>{esc(t('err.title', lang))}</b>{esc(t('punct.colon', lang))}{esc(message)}</div>"
    )


def note(text: str, *, cls: str = "sl-note") -> str:
    """A short paragraph of already-translated plain text."""
    return f'<p class="{cls}" style="margin:4px 0;">{esc(text)}</p>'


def md_bold(text: str) -> str:
    """Escape ``text`` and turn ``**x**`` into bold."""
    parts = esc(text).split("**")
    return "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    highlight: Sequence[int] = (),
    dimmed: Sequence[int] = (),
    elem_class: str = "sl-bars",
    title: str = "",
    tags: dict[int, str] | None = None,
) -> str:
    """Horizontal bars for values in [0, 1], each labelled with its value and percentage."""
    rows = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        v = float(value)
        width = 0.0 if not math.isfinite(v) else max(0.0, min(1.0, v)) * 100.0
        color = WIN if i in highlight else (DIM if i in dimmed else BAR)
        tag = (
            f' <span style="color:{WIN};font-weight:600;">{esc(tags[i])}</span>'
            if tags and i in tags
            else ""
        )
        pct = "NaN" if math.isnan(v) else f"{100.0 * v:.2f}%"
        rows.append(
            f'<div class="sl-bar" data-label="{esc(label)}" data-p="{v!r}" '
            f'data-winner="{int(i in highlight)}" '
            'style="display:flex;align-items:center;gap:8px;margin:3px 0;">'
            f'<div style="width:5.5em;text-align:right;overflow:hidden;white-space:nowrap;">'
            f"{esc(label)}</div>"
            '<div style="flex:1;background:#eee;border-radius:3px;height:1.3em;">'
            f'<div class="sl-bar-fill" style="width:{width:.3f}%;background:{color};height:100%;'
            'border-radius:3px;"></div></div>'
            '<div class="sl-bar-value" style="width:11em;font-variant-numeric:tabular-nums;">'
            f"{fmt(v, 4)} ({pct})"
            f"{tag}</div></div>"
        )
    head = f'<div style="font-weight:600;margin-bottom:4px;">{esc(title)}</div>' if title else ""
    return f'<div class="{elem_class}">{head}{"".join(rows)}</div>'


def texts(lang: str, *keys: str) -> list[str]:
    """The strings ``keys`` in ``lang`` (a table's column headers, say).

    Examples
    --------
    >>> texts("zh-Hant", "tab.compare", "tab.precision")
    ['比較', '數值精度']
    """
    return [t(key, lang) for key in keys]


def heading(text: str) -> str:
    """A small section heading of already-translated plain text."""
    return f"<h4 style='margin:8px 0 2px;'>{esc(text)}</h4>"


def heat(value: float, scale: float) -> str:
    """Background colour for a heat-map cell: blue for negative, red for positive."""
    a = 0.0 if scale <= 0 or not math.isfinite(value) else min(1.0, abs(value) / scale)
    rgb = "217,48,37" if value > 0 else "66,133,244"
    return f"background:rgba({rgb},{0.85 * a:.3f});"


def svg_frame(width: int, height: int, pad: int, body: str, *, elem_class: str) -> str:
    return (
        f'<svg class="{elem_class}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg" '
        'style="background:#fff;border:1px solid #ddd;font:11px sans-serif;">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - 8}" y2="{height - pad}" stroke="#888"/>'
        f'<line x1="{pad}" y1="8" x2="{pad}" y2="{height - pad}" stroke="#888"/>{body}</svg>'
    )
