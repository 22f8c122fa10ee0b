"""HTML for the explorer's outputs, from the plain data of :mod:`._callbacks`.

Plain HTML with inline styles renders in a few milliseconds (no plotting library on the
slider path) and needs nothing from outside the page. Every number a test may read is also
put in a ``data-`` attribute with its full ``repr``.

Examples
--------
>>> fmt(float("nan")), fmt(float("inf")), fmt(-float("inf")), fmt(0.1234567891)
('NaN', 'inf', '−inf', '0.123457')
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

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


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


_TABLE = "border-collapse:collapse;font-variant-numeric:tabular-nums;margin:4px 0;"
_CELL = "border:1px solid #ccc;padding:2px 8px;text-align:right;"
_HEAD = "border:1px solid #ccc;padding:2px 8px;background:#f2f2f2;text-align:center;"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    elem_id: str = "",
    row_styles: Sequence[str] | None = None,
) -> str:
    """A simple HTML table; cells are already-escaped strings."""
    ident = f' id="{_esc(elem_id)}"' if elem_id else ""
    head = "".join(f'<th style="{_HEAD}">{_esc(h)}</th>' for h in headers)
    body = []
    for i, row in enumerate(rows):
        style = row_styles[i] if row_styles else ""
        cells = "".join(f'<td style="{_CELL}">{c}</td>' for c in row)
        body.append(f'<tr style="{style}">{cells}</tr>')
    return f'<table{ident} style="{_TABLE}"><tr>{head}</tr>{"".join(body)}</table>'


def error_box(message: str, lang: str) -> str:
    """A visible message about a bad entry (never a traceback)."""
    return (
        '<div class="sl-error" role="alert" style="border:1px solid #d93025;background:#fdecea;'
        'color:#8a1c12;padding:8px 12px;border-radius:6px;">'
        f"<b>{_esc(t('err.title', lang))}</b>: {_esc(message)}</div>"
    )


def note(text: str, *, cls: str = "sl-note") -> str:
    """A short paragraph of already-translated plain text."""
    return f'<p class="{cls}" style="margin:4px 0;">{_esc(text)}</p>'


def _md_bold(text: str) -> str:
    """Escape ``text`` and turn ``**x**`` into bold."""
    parts = _esc(text).split("**")
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
            f' <span style="color:{WIN};font-weight:600;">{_esc(tags[i])}</span>'
            if tags and i in tags
            else ""
        )
        pct = "NaN" if math.isnan(v) else f"{100.0 * v:.2f}%"
        rows.append(
            f'<div class="sl-bar" data-label="{_esc(label)}" data-p="{v!r}" '
            f'data-winner="{int(i in highlight)}" '
            'style="display:flex;align-items:center;gap:8px;margin:3px 0;">'
            f'<div style="width:5.5em;text-align:right;overflow:hidden;white-space:nowrap;">'
            f"{_esc(label)}</div>"
            '<div style="flex:1;background:#eee;border-radius:3px;height:1.3em;">'
            f'<div style="width:{width:.3f}%;background:{color};height:100%;border-radius:3px;">'
            "</div></div>"
            f'<div style="width:11em;font-variant-numeric:tabular-nums;">{fmt(v, 4)} ({pct})'
            f"{tag}</div></div>"
        )
    head = f'<div style="font-weight:600;margin-bottom:4px;">{_esc(title)}</div>' if title else ""
    return f'<div class="{elem_class}">{head}{"".join(rows)}</div>'


# ---------------------------------------------------------------------------- Softmax tab


def softmax_chart(view: dict[str, Any], lang: str) -> str:
    """The bar chart of the Softmax tab, the winner(s) highlighted."""
    winners = view["winners"]
    word = t("sm.winner", lang) if len(winners) == 1 else t("sm.tie", lang)
    return (
        '<div style="margin-bottom:4px;">'
        f"{_esc(t('sm.t_value', lang, t=fmt(view['temperature'], 4)))}"
        "</div>"
        + bars(
            view["names"],
            view["probs"],
            highlight=winners,
            title=t("sm.chart_title", lang),
            tags={i: word for i in winners},
        )
    )


def softmax_details(view: dict[str, Any], lang: str) -> str:
    """Sum check, entropy, explanation and the steps table of the Softmax tab."""
    n = len(view["probs"])
    ok = view["sum_ok"]
    status = t("sm.sum_ok", lang) if ok else t("sm.sum_bad", lang)
    color = "#1e7e34" if ok else "#d93025"
    sum_line = (
        f'<p class="sl-sum" data-total="{view["total"]!r}" style="margin:4px 0;">'
        f"<b>{_esc(t('sm.sum_label', lang))}</b>: "
        + _esc(
            t(
                "sm.sum",
                lang,
                total=repr(view["total"]),
                error=fmt(view["sum_error"], 3),
                bound=fmt(view["sum_bound"], 3),
            )
        )
        + f' <span style="color:{color};font-weight:600;">{_esc(status)}</span></p>'
    )
    sum_note = note(t("sm.sum_note", lang))
    entropy = (
        f'<p class="sl-entropy" data-entropy="{view["entropy"]!r}" style="margin:4px 0;">'
        + _esc(
            t(
                "sm.entropy",
                lang,
                nats=fmt(view["entropy"], 4),
                bits=fmt(view["entropy_bits"], 4),
                max_nats=fmt(view["max_entropy"], 4),
            )
        )
        + "</p>"
    )
    names = view["names"]
    winners = view["winners"]
    if len(winners) > 1:
        explain = t("sm.explain_tie", lang, winners=", ".join(names[i] for i in winners))
    else:
        ratio = view["ratio"]
        explain = t(
            "sm.explain_gap",
            lang,
            winner=names[winners[0]],
            second=names[view["second"]],
            gap=fmt(view["gap"], 4),
            t=fmt(view["temperature"], 4),
            scaled=fmt(view["scaled_gap"], 4),
            ratio=fmt(ratio, 4) if math.isfinite(ratio) else "> 1e308",
        )
    top = max(view["probs"])
    regime = ""
    if len(winners) == 1 and top > 0.99:
        regime = t("sm.regime_wta", lang, p=f"{100 * top:.2f}%")
    elif view["max_entropy"] > 0 and view["entropy"] / view["max_entropy"] > 0.95:
        regime = t(
            "sm.regime_flat", lang, pct=f"{100 * view['entropy'] / view['max_entropy']:.1f}%"
        )
    explanation = (
        '<div class="sl-explain" style="margin:6px 0;padding:6px 10px;background:#f6f8fa;'
        'border-radius:6px;">'
        f"<p style='margin:2px 0;'>{_md_bold(explain)}</p>"
        + (f"<p style='margin:2px 0;'>{_md_bold(regime)}</p>" if regime else "")
        + f"<p style='margin:2px 0;'>{_md_bold(t('sm.explain_rule', lang))}</p></div>"
    )
    headers = [
        t("col.class", lang),
        t("col.logit", lang),
        t("col.scaled", lang),
        t("col.shifted", lang),
        t("col.exp", lang),
        t("col.prob", lang),
        t("col.percent", lang),
    ]
    rows = [
        [
            _esc(names[i]),
            fmt(view["logits"][i]),
            fmt(view["scaled"][i]),
            fmt(view["shifted"][i]),
            fmt(view["exps"][i]),
            fmt(view["probs"][i], 8),
            f"{100 * view['probs'][i]:.4f}",
        ]
        for i in range(n)
    ]
    styles = ["background:#fff3e6;" if i in winners else "" for i in range(n)]
    steps = (
        f'<div style="font-weight:600;margin-top:6px;">{_esc(t("sm.steps", lang))}</div>'
        + table(headers, rows, elem_id="sm-steps-table", row_styles=styles)
    )
    return explanation + sum_line + sum_note + entropy + steps


# ---------------------------------------------------------------------------- Compare tab


def compare_html(view: dict[str, Any], lang: str) -> str:
    """Four small bar charts side by side and a table with the sums."""
    n = len(view["logits"])
    labels = [str(i) for i in range(n)]
    panels = []
    for name in ("softmax", "sigmoid", "argmax", "sparsemax"):
        values = view[name]
        top = max(values)
        panels.append(
            f'<div class="sl-panel" data-map="{name}" style="flex:1;min-width:16em;">'
            + bars(
                labels, values, highlight=[i for i, v in enumerate(values) if v == top], title=name
            )
            + f"<div>{_esc(t('cmp.sum', lang))} = {fmt(view[name + '_sum'], 8)}</div></div>"
        )
    headers = [
        t("col.class", lang),
        t("col.logit", lang),
        "softmax",
        "sigmoid",
        "argmax",
        "sparsemax",
    ]
    rows = [
        [str(i), fmt(view["logits"][i])]
        + [fmt(view[m][i], 6) for m in ("softmax", "sigmoid", "argmax", "sparsemax")]
        for i in range(n)
    ]
    rows.append(
        [_esc(t("cmp.sum", lang)), ""]
        + [fmt(view[m + "_sum"], 8) for m in ("softmax", "sigmoid", "argmax", "sparsemax")]
    )
    zeros = note(t("cmp.zeros", lang, k=view["sparse_zeros"], n=n))
    return (
        '<div style="display:flex;flex-wrap:wrap;gap:16px;">'
        + "".join(panels)
        + "</div>"
        + table(headers, rows, elem_id="cmp-table")
        + zeros
    )


# ---------------------------------------------------------------------------- Precision tab


def precision_html(view: dict[str, Any], lang: str) -> str:
    """The three Precision tables with their explanations."""
    n = len(view["logits"])
    bad = view["naive_bad"]
    red = "color:#d93025;font-weight:600;"

    def cell(x: float, digits: int = 6) -> str:
        text = fmt(x, digits)
        return f'<span style="{red}">{text}</span>' if not math.isfinite(x) else text

    rows = [
        [
            str(i),
            fmt(view["logits"][i]),
            cell(view["naive_exp"][i]),
            cell(view["naive_p"][i]),
            cell(view["stable_exp"][i]),
            cell(view["stable_p"][i]),
        ]
        for i in range(n)
    ]
    headers = [
        t("col.class", lang),
        t("col.logit", lang),
        t("col.naive_exp", lang),
        t("col.naive_p", lang),
        t("col.stable_exp", lang),
        t("col.stable_p", lang),
    ]
    part1 = (
        f"<h4 style='margin:8px 0 2px;'>{_esc(t('prec.naive_title', lang))}</h4>"
        + table(headers, rows, elem_id="prec-naive-table")
        + note(t("prec.naive_bad", lang, bad=bad) if bad else t("prec.naive_ok", lang))
    )
    drows = [
        [
            d["dtype"],
            fmt(d["eps"], 3),
            _esc(d["sum_repr"]),
            cell(d["error"], 3),
            cell(d["in_eps"], 3),
        ]
        for d in view["dtypes"]
    ]
    dheaders = [
        t("col.dtype", lang),
        t("col.eps", lang),
        t("col.sum", lang),
        t("col.sum_err", lang),
        t("col.in_eps", lang),
    ]
    part2 = (
        f"<h4 style='margin:8px 0 2px;'>{_esc(t('prec.dtype_title', lang))}</h4>"
        + table(dheaders, drows, elem_id="prec-dtype-table")
        + note(t("prec.dtype_note", lang))
    )
    lrows = [
        [
            str(i),
            fmt(view["logits"][i]),
            cell(view["log_of_softmax"][i]),
            cell(view["log_softmax"][i]),
        ]
        for i in range(n)
    ]
    lheaders = [
        t("col.class", lang),
        t("col.logit", lang),
        t("col.log_of_softmax", lang),
        t("col.log_softmax", lang),
    ]
    k = view["log_bad"]
    part3 = (
        f"<h4 style='margin:8px 0 2px;'>{_esc(t('prec.log_title', lang))}</h4>"
        + table(lheaders, lrows, elem_id="prec-log-table")
        + note(t("prec.log_bad", lang, k=k) if k else t("prec.log_ok", lang))
    )
    return part1 + part2 + part3


# ---------------------------------------------------------------------------- Gradients tab


def _heat(value: float, scale: float) -> str:
    """Background colour for a heat-map cell: blue for negative, red for positive."""
    a = 0.0 if scale <= 0 or not math.isfinite(value) else min(1.0, abs(value) / scale)
    rgb = "217,48,37" if value > 0 else "66,133,244"
    return f"background:rgba({rgb},{0.85 * a:.3f});"


def gradient_html(view: dict[str, Any], lang: str) -> str:
    """The Jacobian heat map, the gradient table and the one-step update."""
    n = len(view["logits"])
    jac = view["jacobian"]
    scale = max(abs(v) for row in jac for v in row) or 1.0
    head = "".join(f'<th style="{_HEAD}">∂/∂z{j}</th>' for j in range(n))
    body = "".join(
        f'<tr><th style="{_HEAD}">p{i}</th>'
        + "".join(
            f'<td style="{_CELL}{_heat(jac[i][j], scale)}" data-i="{i}" data-j="{j}">'
            f"{fmt(jac[i][j], 4)}</td>"
            for j in range(n)
        )
        + "</tr>"
        for i in range(n)
    )
    heat = f'<table id="grad-jacobian" style="{_TABLE}"><tr><th></th>{head}</tr>{body}</table>'
    part1 = (
        f"<h4 style='margin:8px 0 2px;'>{_esc(t('grad.jacobian_title', lang))}</h4>"
        + heat
        + note(t("grad.row_sums", lang, value=fmt(view["row_sum_max"], 3)))
    )
    headers = [
        t("col.class", lang),
        t("col.logit", lang),
        t("col.p", lang),
        t("col.y", lang),
        t("col.grad", lang),
        t("col.z_new", lang),
        t("col.p_new", lang),
    ]
    rows = [
        [
            str(i),
            fmt(view["logits"][i]),
            fmt(view["probs"][i]),
            fmt(view["onehot"][i], 1),
            fmt(view["grad"][i]),
            fmt(view["z_new"][i]),
            fmt(view["p_new"][i]),
        ]
        for i in range(n)
    ]
    styles = ["background:#fff3e6;" if i == view["target"] else "" for i in range(n)]
    part2 = (
        f"<h4 style='margin:8px 0 2px;'>{_esc(t('grad.step_title', lang))}</h4>"
        + table(headers, rows, elem_id="grad-table", row_styles=styles)
        + note(
            t(
                "grad.loss",
                lang,
                before=fmt(view["loss_before"], 5),
                after=fmt(view["loss_after"], 5),
                lr=fmt(view["lr"], 4),
            )
        )
    )
    return part1 + part2


# ---------------------------------------------------------------------------- Next-token tab


def next_token_html(view: dict[str, Any], lang: str) -> str:
    """Base and processed distributions side by side, the pipeline and the choices."""
    tokens = view["tokens"]
    removed = [i for i, r in enumerate(view["removed"]) if r]
    base_top = max(view["base"])
    base = bars(
        tokens,
        view["base"],
        highlight=[i for i, p in enumerate(view["base"]) if p == base_top],
        title=t("nt.base", lang),
        elem_class="sl-bars sl-base",
    )
    processed = bars(
        tokens,
        view["probs"],
        highlight=[view["greedy"]],
        dimmed=removed,
        title=t("nt.processed", lang),
        elem_class="sl-bars sl-processed",
        tags={i: t("nt.removed", lang) for i in removed},
    )
    opts = view["options"]
    n = view["n"]
    off = t("nt.off", lang)
    steps = [
        t(
            "nt.step_temperature",
            lang,
            t=fmt(opts["temperature"], 4),
            greedy=t("nt.greedy_note", lang) if opts["temperature"] == 0 else "",
        ),
        t("nt.step_top_k", lang, value=opts["top_k"] or off, kept=view["kept"][1], n=n),
        t(
            "nt.step_top_p",
            lang,
            value=fmt(opts["top_p"], 4) if opts["top_p"] else off,
            kept=view["kept"][2],
            n=n,
        ),
        t(
            "nt.step_min_p",
            lang,
            value=fmt(opts["min_p"], 4) if opts["min_p"] else off,
            kept=view["kept"][3],
            n=n,
        ),
        t("nt.step_renorm", lang),
    ]
    pipeline = (
        f'<div class="sl-pipeline" style="margin:6px 0;"><b>{_esc(t("nt.pipeline", lang))}</b>'
        + "".join(f'<div style="margin-left:1em;">{_esc(s)}</div>' for s in steps)
        + "</div>"
    )
    choice = (
        '<p class="sl-choice" style="margin:4px 0;">'
        + _md_bold(
            t(
                "nt.choice",
                lang,
                greedy=tokens[view["greedy"]],
                sampled=tokens[view["sampled"]],
                seed=view["seed"],
                entropy=fmt(view["entropy"], 4),
            )
        )
        + "</p>"
    )
    return (
        '<div style="display:flex;flex-wrap:wrap;gap:16px;">'
        f'<div style="flex:1;min-width:22em;">{base}</div>'
        f'<div style="flex:1;min-width:22em;">{processed}</div></div>' + pipeline + choice
    )


def histogram_html(view: dict[str, Any], lang: str) -> str:
    """Empirical frequencies (dark) drawn over the theoretical probabilities (light)."""
    rows = []
    for i, token in enumerate(view["tokens"]):
        p = float(view["probs"][i])
        f = float(view["freq"][i])
        rows.append(
            f'<div class="sl-hist-row" data-token="{_esc(token)}" data-p="{p!r}" data-freq="{f!r}" '
            f'data-count="{view["counts"][i]}" '
            'style="display:flex;align-items:center;gap:8px;margin:3px 0;">'
            '<div style="width:5.5em;text-align:right;overflow:hidden;white-space:nowrap;">'
            f"{_esc(token)}</div>"
            '<div style="flex:1;position:relative;background:#eee;border-radius:3px;height:1.3em;">'
            f'<div style="position:absolute;left:0;top:0;width:{100 * p:.3f}%;height:100%;'
            'background:#a8c5e6;border-radius:3px;"></div>'
            f'<div style="position:absolute;left:0;top:30%;width:{100 * f:.3f}%;height:40%;'
            'background:#1f3b5c;border-radius:2px;"></div></div>'
            f'<div style="width:13em;font-variant-numeric:tabular-nums;">{view["counts"][i]} · '
            f"{fmt(f, 4)} / {fmt(p, 4)}</div></div>"
        )
    heading = _esc(t("nt.hist_title", lang, n=view["n"]))
    title = f'<div style="font-weight:600;margin-bottom:4px;">{heading}</div>'
    return f'<div class="sl-hist" data-n="{view["n"]}">{title}{"".join(rows)}</div>' + note(
        t("nt.hist_note", lang, gap=fmt(view["max_gap"], 3))
    )


# ---------------------------------------------------------------------------- model tabs


def ovr_html(view: dict[str, Any], lang: str) -> str:
    """The one-vs-rest vs softmax regression table."""
    headers = [
        t("col.model", lang),
        t("col.accuracy", lang),
        t("col.log_loss", lang),
        t("col.fit_time", lang),
        t("col.n_params", lang),
    ]
    rows = [
        [
            _esc(r["name"]),
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
        f'<div><div style="font-weight:600;margin-bottom:4px;">{_esc(t("dg.seen", lang))}</div>'
        f"{pixels_html(view['image'])}</div>"
        f'<div style="flex:1;min-width:20em;">{chart}'
        f'<p class="sl-top3" style="margin:4px 0;font-weight:600;">'
        f"{_esc(t('dg.top3', lang, top=top))}</p>"
        + note(t("dg.temperature", lang, t=fmt(view["temperature"], 4), state=state))
        + "</div></div>"
    )


def _svg_frame(width: int, height: int, pad: int, body: str, *, elem_class: str) -> str:
    return (
        f'<svg class="{elem_class}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg" '
        'style="background:#fff;border:1px solid #ddd;font:11px sans-serif;">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - 8}" y2="{height - pad}" stroke="#888"/>'
        f'<line x1="{pad}" y1="8" x2="{pad}" y2="{height - pad}" stroke="#888"/>{body}</svg>'
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
        f"{_esc(t('tr.iteration', lang))}</text>"
    )
    return _svg_frame(width, height, pad, body, elem_class="sl-loss")


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
        f"{_esc(t('tr.confidence', lang))}</text>"
        f'<text x="12" y="{height / 2}" transform="rotate(-90 12 {height / 2})" '
        f'text-anchor="middle">{_esc(t("tr.accuracy", lang))}</text>'
        f'<text x="{pad - 4}" y="14" text-anchor="end">1</text>'
        f'<text x="{pad - 4}" y="{height - pad}" text-anchor="end">0</text>'
    )
    return _svg_frame(width, height, pad, "".join(parts), elem_class="sl-reliability")


def confusion_html(matrix: Sequence[Sequence[int]], names: Sequence[str]) -> str:
    """A confusion matrix as a table shaded by count (rows: true, columns: predicted)."""
    top = max((max(row) for row in matrix), default=1) or 1
    head = "".join(f'<th style="{_HEAD}">{_esc(n)}</th>' for n in names)
    body = "".join(
        f'<tr><th style="{_HEAD}">{_esc(names[i])}</th>'
        + "".join(
            f'<td style="{_CELL}background:rgba(76,120,168,{0.85 * v / top:.3f});">{v}</td>'
            for v in row
        )
        + "</tr>"
        for i, row in enumerate(matrix)
    )
    return f'<table id="train-confusion" style="{_TABLE}"><tr><th></th>{head}</tr>{body}</table>'


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
            f'<div><div style="font-weight:600;margin:6px 0 4px;">{_esc(title)}</div>'
            f"{content}</div>"
        )

    return (
        f'<p class="sl-train-summary" data-ece-before="{view["ece_before"]!r}" '
        f'data-ece-after="{view["ece_after"]!r}" data-temperature="{view["temperature"]!r}" '
        f'style="margin:4px 0;">{_esc(summary)}</p>'
        '<div style="display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start;">'
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
