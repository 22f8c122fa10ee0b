"""HTML of the Cross-entropy tab and of the Compare and Gradients extensions.

Built from the plain data of :mod:`._lessons` with the blocks of :mod:`._html`; every number a
test reads is also in a ``data-`` attribute with its full ``repr``.
"""

from __future__ import annotations

import math
from typing import Any

from ._html import bars, esc, fmt, heading, md_bold, note, table, texts
from ._i18n import t

__all__ = [
    "cross_entropy_html",
    "derivation_html",
    "multilabel_html",
    "ovr_sample_html",
    "relu_note",
    "relu_panel",
]

_RED = "color:#d93025;font-weight:600;"
_GOOD = "color:#1e7e34;font-weight:600;"


def _flag(x: float, digits: int = 6) -> str:
    text = fmt(x, digits)
    return f'<span style="{_RED}">{text}</span>' if not math.isfinite(x) else text


def _value(elem_id: str, label: str, value: float, digits: int = 8) -> str:
    """``label = value`` in a paragraph whose ``data-value`` holds the full number."""
    return (
        f'<p id="{elem_id}" class="sl-formula" data-value="{value!r}" style="margin:3px 0;">'
        f"{md_bold(label)} = <b>{_flag(value, digits)}</b></p>"
    )


# ---------------------------------------------------------------------------- Cross-entropy


def _steps_table(view: dict[str, Any], lang: str) -> str:
    k = view["target"]
    headers = texts(
        lang,
        "col.class",
        "col.logit",
        "ce.col_shifted",
        "ce.col_exp",
        "ce.col_log_softmax",
        "ce.col_naive_exp",
        "ce.col_log_of_softmax",
    )
    rows = [
        [
            f"{i}{' ← y' if i == k else ''}",
            fmt(view["logits"][i]),
            fmt(view["shifted"][i]),
            fmt(view["shifted_exp"][i]),
            fmt(view["log_softmax"][i]),
            _flag(view["naive_exp"][i]),
            _flag(view["log_of_softmax"][i]),
        ]
        for i in range(len(view["logits"]))
    ]
    styles = ["background:#fff3e6;" if i == k else "" for i in range(len(view["logits"]))]
    return table(headers, rows, elem_id="ce-steps", row_styles=styles)


def _from_logits(view: dict[str, Any], lang: str) -> str:
    k = view["target"]
    return (
        '<div class="sl-ce-good" style="flex:1;min-width:min(100%,24em);padding:6px 10px;'
        'background:#eef7ee;border-radius:6px;">'
        f"<b>{esc(t('ce.good_title', lang))}</b>"
        + _value("ce-max", t("ce.step_max", lang), view["max"])
        + _value("ce-sum", t("ce.step_sum", lang), view["sum"])
        + _value("ce-lse", t("ce.step_lse", lang), view["lse"])
        + _value("ce-pick", t("ce.step_pick", lang, k=k), view["log_softmax"][k])
        + _value("ce-loss", t("ce.step_loss", lang, k=k), view["loss"])
        + "</div>"
    )


def _naive(view: dict[str, Any], lang: str) -> str:
    k = view["target"]
    broken = not math.isfinite(view["log_of_softmax_loss"])
    verdict = t("ce.naive_bad", lang) if broken else t("ce.naive_ok", lang)
    return (
        '<div class="sl-ce-naive" style="flex:1;min-width:min(100%,24em);padding:6px 10px;'
        'background:#fdf1f0;border-radius:6px;">'
        f"<b>{esc(t('ce.naive_title', lang))}</b>"
        + _value("ce-naive-p", t("ce.naive_p", lang, k=k), view["naive_p"][k])
        + _value("ce-naive-loss", t("ce.naive_loss", lang, k=k), view["naive_loss"])
        + _value("ce-stable-p", t("ce.stable_p", lang, k=k), view["probs"][k])
        + _value("ce-log-loss", t("ce.log_loss", lang, k=k), view["log_of_softmax_loss"])
        + f'<p style="margin:3px 0;{_RED if broken else _GOOD}">{esc(verdict)}</p></div>'
    )


def _smoothing(view: dict[str, Any], lang: str) -> str:
    eps = view["smoothing"]
    n = len(view["logits"])
    target_bars = bars(
        [str(i) for i in range(n)],
        view["smoothed_target"],
        highlight=[view["target"]],
        title=t("ce.smooth_target", lang, eps=fmt(eps, 3)),
        elem_class="sl-bars sl-ce-target",
    )
    formula = t(
        "ce.smooth_formula",
        lang,
        eps=fmt(eps, 4),
        nll=fmt(view["loss"], 6),
        uniform=fmt(view["uniform_part"], 6),
    )
    return (
        heading(t("ce.smooth_title", lang))
        + target_bars
        + f'<p style="margin:3px 0;">{md_bold(formula)}</p>'
        + _value("ce-smoothed", t("ce.smooth_loss", lang, eps=fmt(eps, 4)), view["smoothed_loss"])
        + note(t("ce.smooth_note", lang))
    )


def cross_entropy_html(view: dict[str, Any], lang: str) -> str:
    """The steps table, the two ways side by side, and label smoothing."""
    sides = (
        '<div style="display:flex;flex-wrap:wrap;gap:12px;margin:6px 0;">'
        + _from_logits(view, lang)
        + _naive(view, lang)
        + "</div>"
    )
    return (
        heading(t("ce.steps_title", lang))
        + '<div style="overflow-x:auto;">'
        + _steps_table(view, lang)
        + "</div>"
        + sides
        + _smoothing(view, lang)
    )


# ---------------------------------------------------------------------------- Compare


def relu_panel(view: dict[str, Any], lang: str) -> str:
    """ReLU's values as bars scaled to the largest one (they are not probabilities)."""
    values = view["relu"]
    top = max(values) or 1.0
    mark = f' <span style="{_RED}">≠ 1</span>' if view["relu_sum"] != 1.0 else ""
    rows = "".join(
        f'<div class="sl-bar" data-label="{i}" data-p="{v!r}" '
        'style="display:flex;align-items:center;gap:8px;margin:3px 0;">'
        f'<div style="width:5.5em;text-align:right;">{i}</div>'
        '<div style="flex:1;background:#eee;border-radius:3px;height:1.3em;">'
        f'<div style="width:{100 * v / top:.3f}%;background:#7f7f7f;height:100%;'
        'border-radius:3px;"></div></div>'
        f'<div style="width:11em;font-variant-numeric:tabular-nums;">{fmt(v, 4)}</div></div>'
        for i, v in enumerate(values)
    )
    return (
        '<div class="sl-panel" data-map="relu" style="min-width:0;">'
        f'<div style="font-weight:600;margin-bottom:4px;">ReLU</div>{rows}'
        f"<div>{esc(t('cmp.sum', lang))} = {fmt(view['relu_sum'], 8)}{mark}</div></div>"
    )


def relu_note(view: dict[str, Any], lang: str) -> str:
    """ReLU is not a distribution: its sum, and what doubling the logits does to it."""
    return note(
        t(
            "cmp.relu_note",
            lang,
            total=fmt(view["relu_sum"], 6),
            doubled=fmt(view["relu_doubled_sum"], 6),
            top=fmt(max(view["softmax"]), 4),
            top2=fmt(view["softmax_doubled_max"], 4),
        ),
        cls="sl-note sl-relu-note",
    )


def multilabel_html(view: dict[str, Any], lang: str) -> str:
    """Independent sigmoids against one softmax for the person-and-backpack image."""
    names = [t(f"cmp.ml_{name}", lang) for name in view["names"]]
    sig = bars(
        names,
        view["sigmoid"],
        highlight=[i for i, v in enumerate(view["sigmoid"]) if v > view["threshold"]],
        title=t("cmp.ml_sigmoid", lang, total=fmt(view["sigmoid_sum"], 4)),
        elem_class="sl-bars sl-ml-sigmoid",
    )
    soft = bars(
        names,
        view["softmax"],
        highlight=[view["names"].index(view["softmax_label"])],
        title=t("cmp.ml_softmax", lang, total=fmt(view["softmax_sum"], 4)),
        elem_class="sl-bars sl-ml-softmax",
    )
    labels = t("punct.list", lang).join(
        t(f"cmp.ml_{name}", lang) for name in view["sigmoid_labels"]
    )
    verdict = t(
        "cmp.ml_verdict",
        lang,
        labels=labels,
        label=t(f"cmp.ml_{view['softmax_label']}", lang),
        threshold=fmt(view["threshold"], 2),
    )
    scores = ", ".join(f"{n} {fmt(z, 3)}" for n, z in zip(names, view["logits"], strict=True))
    return (
        f'<div id="cmp-ml" style="margin:6px 0;">{note(t("cmp.ml_scores", lang, scores=scores))}'
        '<div style="display:flex;flex-wrap:wrap;gap:16px;">'
        f'<div style="flex:1;min-width:min(100%,22em);">{sig}</div>'
        f'<div style="flex:1;min-width:min(100%,22em);">{soft}</div></div>'
        f'<p style="margin:4px 0;">{md_bold(verdict)}</p></div>'
    )


def ovr_sample_html(view: dict[str, Any], lang: str) -> str:
    """One test sample's probabilities: raw one-vs-rest, normalised one-vs-rest, softmax."""
    names = view["names"]
    headers = texts(lang, "col.class", "cmp.ovr_raw", "cmp.ovr_norm", "cmp.ovr_softmax")
    rows = [
        [
            f"{esc(names[c])}{' ✓' if c == view['true'] else ''}",
            fmt(view["raw"][c], 4),
            fmt(view["normalised"][c], 4),
            fmt(view["softmax"][c], 4),
        ]
        for c in range(len(names))
    ]
    rows.append(
        [
            esc(t("cmp.sum", lang)),
            f'<span class="sl-raw-sum" data-value="{view["raw_sum"]!r}">'
            f"{fmt(view['raw_sum'], 6)}</span>",
            fmt(math.fsum(view["normalised"]), 6),
            fmt(math.fsum(view["softmax"]), 6),
        ]
    )
    caption = t(
        "cmp.ovr_sample_caption",
        lang,
        index=view["index"],
        n=view["n_test"],
        dataset=view["dataset"],
        true=names[view["true"]],
    )
    return (
        note(caption)
        + table(headers, rows, elem_id="ovr-sample-table")
        + note(t("cmp.ovr_sample_note", lang, total=fmt(view["raw_sum"], 4)))
    )


# ---------------------------------------------------------------------------- Gradients


def _derivation_steps(view: dict[str, Any], lang: str) -> str:
    k = view["target"]
    lines = [
        t("grad.d_softmax", lang),
        t("grad.d_quotient", lang),
        t("grad.d_log", lang, k=k, p=fmt(view["p_target"], 6)),
        t("grad.d_result", lang, k=k),
    ]
    items = "".join(f'<li style="margin:2px 0;">{md_bold(line)}</li>' for line in lines)
    return f'<ol class="sl-derivation" style="margin:4px 0 4px 1.2em;">{items}</ol>'


def _derivation_table(view: dict[str, Any], lang: str) -> str:
    k = view["target"]
    n = len(view["logits"])
    headers = [
        "j",
        t("grad.d_col_jac", lang, k=k),
        t("grad.d_col_chain", lang, k=k),
        t("col.grad", lang),
        t("grad.d_col_fd", lang),
        t("grad.d_col_diff", lang),
    ]
    rows = [
        [
            str(j),
            fmt(view["jac_row"][j], 6),
            fmt(view["chain"][j], 6),
            fmt(view["grad"][j], 6),
            fmt(view["fd"][j], 8),
            fmt(abs(view["fd"][j] - view["grad"][j]), 2),
        ]
        for j in range(n)
    ]
    styles = ["background:#fff3e6;" if j == k else "" for j in range(n)]
    return table(headers, rows, elem_id="grad-derivation", row_styles=styles)


def _descent_table(view: dict[str, Any], lang: str) -> str:
    headers = [
        t("grad.s_col_step", lang),
        t("grad.s_col_loss", lang),
        t("grad.s_col_p", lang, k=view["target"]),
        t("grad.s_col_z", lang, k=view["target"]),
    ]
    rows = [
        [
            str(r["step"]),
            f'<span class="sl-step-loss" data-value="{r["loss"]!r}">{fmt(r["loss"], 6)}</span>',
            fmt(r["p_target"], 6),
            fmt(r["z_target"], 6),
        ]
        for r in view["steps"]
    ]
    return table(headers, rows, elem_id="grad-steps")


def derivation_html(view: dict[str, Any], lang: str) -> str:
    """The derivation of p − y, the finite-difference check and several descent steps."""
    fd = (
        f'<p id="grad-fd" class="sl-note" data-value="{view["fd_max_diff"]!r}" '
        'style="margin:4px 0;">'
        + md_bold(t("grad.fd_note", lang, h=fmt(view["fd_h"], 2), diff=fmt(view["fd_max_diff"], 3)))
        + "</p>"
    )
    falls = note(t("grad.s_falls", lang)) if view["loss_falls"] else ""
    return (
        heading(t("grad.d_title", lang))
        + _derivation_steps(view, lang)
        + '<div style="overflow-x:auto;">'
        + _derivation_table(view, lang)
        + "</div>"
        + fd
        + heading(t("grad.s_title", lang, n=len(view["steps"]) - 1, lr=fmt(view["lr"], 4)))
        + _descent_table(view, lang)
        + f'<div class="sl-descent-notes" data-falls="{int(view["loss_falls"])}">'
        + falls
        + note(t("grad.s_why", lang))
        + "</div>"
    )
