"""HTML for the explorer's maths tabs, from the plain data of :mod:`._callbacks`.

Softmax, Compare, Precision, Gradients and Next token are rendered here; the model tabs in
:mod:`._render_models` and the building blocks (:func:`fmt`, :func:`table`, :func:`bars`,
:func:`note`, :func:`error_box`) in :mod:`._html`. All of them are re-exported, so
``_render.<name>`` reaches every renderer.

Examples
--------
>>> fmt(float("nan")), fmt(float("inf")), fmt(-float("inf")), fmt(0.1234567891)
('NaN', 'inf', '−inf', '0.123457')
"""

from __future__ import annotations

import math
from typing import Any

from ._html import (
    BAR,
    CELL_STYLE,
    DIM,
    HEAD_STYLE,
    TABLE_STYLE,
    WIN,
    bars,
    error_box,
    esc,
    fmt,
    heading,
    heat,
    md_bold,
    note,
    table,
    texts,
)
from ._i18n import t
from ._render_lessons import relu_note, relu_panel
from ._render_models import (
    confusion_html,
    digit_html,
    loss_curve_svg,
    ovr_html,
    pixels_html,
    reliability_svg,
    train_html,
)

__all__ = [
    "BAR",
    "DIM",
    "WIN",
    "bars",
    "compare_html",
    "confusion_html",
    "digit_html",
    "error_box",
    "fmt",
    "gradient_html",
    "histogram_html",
    "loss_curve_svg",
    "next_token_html",
    "note",
    "ovr_html",
    "pixels_html",
    "precision_html",
    "reliability_svg",
    "softmax_chart",
    "softmax_details",
    "table",
    "train_html",
]


# ---------------------------------------------------------------------------- Softmax tab


def softmax_chart(view: dict[str, Any], lang: str, *, stamp: int = 0) -> str:
    """The bar chart of the Softmax tab, the winner(s) highlighted.

    ``stamp`` (``data-stamp``) makes each answer of the server a new chart, even one equal to
    the last: the page's preview takes the chart's arrival as the end of a slider move.
    """
    winners = view["winners"]
    win_word, tie_word = t("sm.winner", lang), t("sm.tie", lang)
    word = win_word if len(winners) == 1 else tie_word
    # The temperature sits in its own span and the two tag words in data- attributes, so
    # that the page's live preview (``tabs.softmax.preview_script``) can redraw the bars.
    before, _, after = t("sm.t_value", lang, t="\x00").partition("\x00")
    temperature = f'<span class="sl-t-value">{fmt(view["temperature"], 4)}</span>'
    return (
        f'<div class="sl-chart" data-stamp="{stamp}" data-win="{esc(win_word)}" '
        f'data-tie="{esc(tie_word)}"><div style="margin-bottom:4px;">'
        f"{esc(before)}{temperature}{esc(after)}</div>"
        + bars(
            view["names"],
            view["probs"],
            highlight=winners,
            title=t("sm.chart_title", lang),
            tags={i: word for i in winners},
        )
        + "</div>"
    )


def softmax_details(view: dict[str, Any], lang: str) -> str:
    """Sum check, entropy, explanation and the steps table of the Softmax tab."""
    n = len(view["probs"])
    ok = view["sum_ok"]
    status = t("sm.sum_ok", lang) if ok else t("sm.sum_bad", lang)
    color = "#1e7e34" if ok else "#d93025"
    sum_line = (
        f'<p class="sl-sum" data-total="{view["total"]!r}" style="margin:4px 0;">'
        f"<b>{esc(t('sm.sum_label', lang))}</b>{esc(t('punct.colon', lang))}"
        + esc(
            t(
                "sm.sum",
                lang,
                total=repr(view["total"]),
                error=fmt(view["sum_error"], 3),
                bound=fmt(view["sum_bound"], 3),
            )
        )
        + f' <span style="color:{color};font-weight:600;">{esc(status)}</span></p>'
    )
    sum_note = note(t("sm.sum_note", lang))
    nats, bits, max_nats = (fmt(view[k], 4) for k in ("entropy", "entropy_bits", "max_entropy"))
    entropy = (
        f'<p class="sl-entropy" data-entropy="{view["entropy"]!r}" style="margin:4px 0;">'
        + esc(t("sm.entropy", lang, nats=nats, bits=bits, max_nats=max_nats))
        + "</p>"
    )
    names = view["names"]
    winners = view["winners"]
    if len(winners) > 1:
        explain = t(
            "sm.explain_tie", lang, winners=t("punct.list", lang).join(names[i] for i in winners)
        )
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
        f"<p style='margin:2px 0;'>{md_bold(explain)}</p>"
        + (f"<p style='margin:2px 0;'>{md_bold(regime)}</p>" if regime else "")
        + f"<p style='margin:2px 0;'>{md_bold(t('sm.explain_rule', lang))}</p></div>"
    )
    headers = [
        t("col.class", lang),
        t("col.logit", lang),
        t("col.scaled", lang),
        t("col.shifted", lang),
        t("col.exp", lang),
        t("sm.col_divide", lang, p=t("col.prob", lang)),
        t("col.percent", lang),
    ]
    rows = [
        [
            esc(names[i]),
            fmt(view["logits"][i]),
            fmt(view["scaled"][i]),
            fmt(view["shifted"][i]),
            fmt(view["exps"][i]),
            fmt(view["probs"][i], 8),
            f"{100 * view['probs'][i]:.4f}",
        ]
        for i in range(n)
    ]
    rows.append(_sum_row(view))
    styles = ["background:#fff3e6;" if i in winners else "" for i in range(n)]
    styles.append("background:#eef3fb;font-weight:600;")
    steps = (
        f'<div style="font-weight:600;margin-top:6px;">{esc(t("sm.steps", lang))}</div>'
        # The table scrolls inside its own box on narrow columns instead of widening the page.
        + '<div class="sl-steps-scroll" style="overflow-x:auto;max-width:100%;">'
        + table(headers, rows, elem_id="sm-steps-table", row_styles=styles)
        + "</div>"
        + note(t("sm.sum_steps", lang, exp_sum=fmt(view["exp_sum"])), cls="sl-sum-steps")
    )
    return explanation + sum_line + sum_note + entropy + steps


def _sum_row(view: dict[str, Any]) -> list[str]:
    """The Σ row of the steps table: Σ exp (the divisor of the ÷Σ step) and Σp."""
    exp_sum = (
        f'<span class="sl-exp-sum" data-exp-sum="{view["exp_sum"]!r}">'
        f"Σ = {fmt(view['exp_sum'])}</span>"
    )
    total = f'<span class="sl-p-sum" data-total="{view["total"]!r}">{fmt(view["total"], 8)}</span>'
    return ["Σ", "", "", "", exp_sum, total, f"{100 * view['total']:.4f}"]


# ---------------------------------------------------------------------------- Compare tab


_MAPS = ("softmax", "sigmoid", "argmax", "sparsemax", "relu")
# Five panels: as many columns of at least 24em as fit (three at 1280 px, one on a phone).
_PANELS = (
    "display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,24em),1fr));gap:16px;"
)
_PANEL = "min-width:0;"


def compare_html(view: dict[str, Any], lang: str) -> str:
    """Five small bar charts side by side (ReLU last) and a table with the sums."""
    n = len(view["logits"])
    labels = [str(i) for i in range(n)]
    panels = []
    for name in _MAPS[:-1]:
        values = view[name]
        top = max(values)
        panels.append(
            f'<div class="sl-panel" data-map="{name}" style="{_PANEL}">'
            + bars(
                labels, values, highlight=[i for i, v in enumerate(values) if v == top], title=name
            )
            + f"<div>{esc(t('cmp.sum', lang))} = {fmt(view[name + '_sum'], 8)}</div></div>"
        )
    headers = [
        t("col.class", lang),
        t("col.logit", lang),
        "softmax",
        "sigmoid",
        "argmax",
        "sparsemax",
        "ReLU",
    ]
    rows = [
        [str(i), fmt(view["logits"][i])] + [fmt(view[m][i], 6) for m in _MAPS] for i in range(n)
    ]
    rows.append([esc(t("cmp.sum", lang)), ""] + [fmt(view[m + "_sum"], 8) for m in _MAPS])
    panels.append(relu_panel(view, lang))
    zeros = note(t("cmp.zeros", lang, k=view["sparse_zeros"], n=n))
    return (
        f'<div style="{_PANELS}">'
        + "".join(panels)
        + "</div>"
        + table(headers, rows, elem_id="cmp-table")
        + zeros
        + relu_note(view, lang)
    )


# ---------------------------------------------------------------------------- Precision tab


_RED = "color:#d93025;font-weight:600;"


def _flagged(x: float, digits: int = 6) -> str:
    """A number, in red when it is inf or NaN."""
    text = fmt(x, digits)
    return f'<span style="{_RED}">{text}</span>' if not math.isfinite(x) else text


def _per_class_table(
    view: dict[str, Any], lang: str, columns: tuple[str, ...], elem_id: str
) -> str:
    """Class, logit and one column per ``view`` key (its header is ``col.<key>``)."""
    headers = texts(lang, "col.class", "col.logit", *(f"col.{c}" for c in columns))
    rows = [
        [str(i), fmt(z), *(_flagged(view[c][i]) for c in columns)]
        for i, z in enumerate(view["logits"])
    ]
    return table(headers, rows, elem_id=elem_id)


def sum_note(dtypes: list[dict[str, Any]], lang: str) -> str:
    """What the Σp table shows (exactly 1, off by k ε, or NaN, dtypes grouped), then the rule.

    Examples
    --------
    >>> rows = [{"dtype": "float16", "error": 0.0, "in_eps": 0.0},
    ...         {"dtype": "float32", "error": 0.0, "in_eps": 0.0},
    ...         {"dtype": "float64", "error": 1.1e-16, "in_eps": 0.5}]
    >>> print(sum_note(rows, "en").split(". In general")[0])
    float16, float32: Σ p is exactly 1 here (its rounding errors cancel). float64: Σ p misses 1 by 0.5 ε
    """  # noqa: E501
    groups: dict[tuple[str, str], list[str]] = {}
    for d in dtypes:
        if not math.isfinite(d["error"]):
            status = ("prec.sum_nan", "")
        elif d["error"] == 0:
            status = ("prec.sum_exact", "")
        else:
            status = ("prec.sum_missed", fmt(d["in_eps"], 3))
        groups.setdefault(status, []).append(d["dtype"])
    parts = [t(key, lang, dtype=", ".join(names), k=k) for (key, k), names in groups.items()]
    sep = t("prec.sum_sep", lang)
    return sep.join([*parts, t("prec.dtype_note", lang)])


def precision_html(view: dict[str, Any], lang: str) -> str:
    """The three Precision tables with their explanations."""
    bad = view["naive_bad"]
    naive = ("naive_exp", "naive_p", "stable_exp", "stable_p")
    part1 = (
        heading(t("prec.naive_title", lang))
        + _per_class_table(view, lang, naive, "prec-naive-table")
        + note(t("prec.naive_bad", lang, bad=bad) if bad else t("prec.naive_ok", lang))
    )
    drows = [
        [
            d["dtype"],
            fmt(d["eps"], 3),
            esc(d["sum_repr"]),
            _flagged(d["error"], 3),
            _flagged(d["in_eps"], 3),
        ]
        for d in view["dtypes"]
    ]
    dheaders = texts(lang, *(f"col.{c}" for c in ("dtype", "eps", "sum", "sum_err", "in_eps")))
    part2 = (
        heading(t("prec.dtype_title", lang))
        + table(dheaders, drows, elem_id="prec-dtype-table")
        + note(sum_note(view["dtypes"], lang))
    )
    k = view["log_bad"]
    undefined = not all(math.isfinite(p) for p in view["stable_p"])
    log_key = "prec.log_nan" if undefined else "prec.log_bad" if k else "prec.log_ok"
    part3 = (
        heading(t("prec.log_title", lang))
        + _per_class_table(view, lang, ("log_of_softmax", "log_softmax"), "prec-log-table")
        + note(t(log_key, lang, k=k))
    )
    return part1 + part2 + part3


# ---------------------------------------------------------------------------- Gradients tab


def gradient_html(view: dict[str, Any], lang: str) -> str:
    """The Jacobian heat map, the gradient table and the one-step update."""
    n = len(view["logits"])
    jac = view["jacobian"]
    scale = max(abs(v) for row in jac for v in row) or 1.0
    head = "".join(f'<th style="{HEAD_STYLE}">∂/∂z{j}</th>' for j in range(n))
    body = "".join(
        f'<tr><th style="{HEAD_STYLE}">p{i}</th>'
        + "".join(
            f'<td style="{CELL_STYLE}{heat(jac[i][j], scale)}" data-i="{i}" data-j="{j}">'
            f"{fmt(jac[i][j], 4)}</td>"
            for j in range(n)
        )
        + "</tr>"
        for i in range(n)
    )
    heat_map = (
        f'<table id="grad-jacobian" style="{TABLE_STYLE}"><tr><th></th>{head}</tr>{body}</table>'
    )
    part1 = (
        heading(t("grad.jacobian_title", lang))
        + heat_map
        + note(t("grad.row_sums", lang, value=fmt(view["row_sum_max"], 3)))
    )
    headers = texts(
        lang, "col.class", "col.logit", "col.p", "col.y", "col.grad", "col.z_new", "col.p_new"
    )
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
        heading(t("grad.step_title", lang))
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
        f'<div class="sl-pipeline" style="margin:6px 0;"><b>{esc(t("nt.pipeline", lang))}</b>'
        + "".join(f'<div style="margin-left:1em;">{esc(s)}</div>' for s in steps)
        + "</div>"
    )
    choice = (
        '<p class="sl-choice" style="margin:4px 0;">'
        + md_bold(
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
            f'<div class="sl-hist-row" data-token="{esc(token)}" data-p="{p!r}" data-freq="{f!r}" '
            f'data-count="{view["counts"][i]}" '
            'style="display:flex;align-items:center;gap:8px;margin:3px 0;">'
            '<div style="width:5.5em;text-align:right;overflow:hidden;white-space:nowrap;">'
            f"{esc(token)}</div>"
            '<div style="flex:1;position:relative;background:#eee;border-radius:3px;height:1.3em;">'
            f'<div style="position:absolute;left:0;top:0;width:{100 * p:.3f}%;height:100%;'
            'background:#a8c5e6;border-radius:3px;"></div>'
            f'<div style="position:absolute;left:0;top:30%;width:{100 * f:.3f}%;height:40%;'
            'background:#1f3b5c;border-radius:2px;"></div></div>'
            f'<div style="width:13em;font-variant-numeric:tabular-nums;">{view["counts"][i]} · '
            f"{fmt(f, 4)} / {fmt(p, 4)}</div></div>"
        )
    heading = esc(t("nt.hist_title", lang, n=view["n"]))
    title = f'<div style="font-weight:600;margin-bottom:4px;">{heading}</div>'
    seed = view["seed"]
    notes = t("nt.hist_note", lang, gap=fmt(view["max_gap"], 3))
    notes += " " + t("nt.hist_seed", lang, seed=seed, next=next_seed(seed))
    return (
        f'<div class="sl-hist" data-n="{view["n"]}" data-seed="{seed}">{title}{"".join(rows)}'
        "</div>" + note(notes)
    )


def next_seed(seed: float) -> int:
    """The seed after ``seed`` for "Sample N times": one more, wrapping at 2**32.

    Examples
    --------
    >>> next_seed(0), next_seed(2**32 - 1)
    (1, 0)
    """
    return (int(seed) + 1) % 2**32
