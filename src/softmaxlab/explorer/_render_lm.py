"""HTML of the "Next token (real model)" tab, from the plain views of :mod:`._lm`.

Made of the building blocks of :mod:`._html`; every number a test reads is also in a
``data-`` attribute with its full ``repr``.
"""

from __future__ import annotations

from typing import Any

from ._html import BAR, DIM, WIN, esc, fmt, heading, md_bold, note, table
from ._i18n import t

__all__ = ["ended_html", "generated_html", "lm_html", "lm_waiting_html"]


def lm_waiting_html(lang: str) -> str:
    """The tab's content before its model is trained."""
    return note(t("lm.waiting", lang), cls="sl-note sl-lm-waiting")


def ended_html(lang: str) -> str:
    """The note shown when the step button drew the end of the sentence."""
    return note(t("lm.ended", lang), cls="sl-note sl-lm-ended")


def _model_line(info: dict[str, Any], lang: str) -> str:
    return note(
        t(
            "lm.model",
            lang,
            vocabulary=info["vocabulary"],
            n_tokens=info["n_tokens"],
            seconds=fmt(info["seconds"], 2),
            C=fmt(info["C"], 3),
            n_iter=info["n_iter"],
        ),
        cls="sl-note sl-lm-model",
    )


def _read_line(view: dict[str, Any], lang: str) -> str:
    chips = []
    for word, read in zip(view["tokens"], view["read"], strict=True):
        unk = read != word
        style = "border:1px solid #d93025;color:#8a1c12;" if unk else "border:1px solid #ccc;"
        shown = f"{esc(word)} → {esc(read)}" if unk else esc(word)
        chips.append(
            f'<span class="sl-lm-tok" data-token="{esc(word)}" data-read="{esc(read)}" '
            f'style="{style}border-radius:4px;padding:0 4px;margin:1px;display:inline-block;">'
            f"{shown}</span>"
        )
    line = (
        f'<div class="sl-lm-read" style="margin:4px 0;"><b>{esc(t("lm.read", lang))}</b> '
        f"{''.join(chips) or esc(t('lm.empty_prompt', lang))}</div>"
    )
    if view["unknown"]:
        words = t("punct.list", lang).join(view["unknown"])
        line += note(t("lm.unk", lang, words=words), cls="sl-note sl-lm-unk")
    return line + note(t("lm.context", lang, token=view["context"]), cls="sl-note sl-lm-context")


def _top_table(view: dict[str, Any], lang: str) -> str:
    rows, styles = [], []
    for row in view["rows"]:
        status = t("nt.removed", lang) if row["removed"] else ""
        rows.append(
            [
                str(row["rank"]),
                f'<span class="sl-lm-row" data-token="{esc(row["token"])}" '
                f'data-logit="{row["logit"]!r}" data-p="{row["p"]!r}" data-pp="{row["pp"]!r}" '
                f'data-cum="{row["cum"]!r}" data-removed="{int(row["removed"])}">'
                f"{esc(row['token'])}</span>",
                fmt(row["logit"], 4),
                fmt(row["p"], 4),
                fmt(row["pp"], 4),
                fmt(row["cum"], 4),
                esc(status),
            ]
        )
        styles.append(f"color:{DIM};" if row["removed"] else "")
    headers = [t(k, lang) for k in ("lm.col_rank", "lm.col_token", "lm.col_logit")]
    headers += [t(k, lang) for k in ("lm.col_p", "lm.col_pp", "lm.col_cum", "lm.col_status")]
    title = heading(t("lm.top_title", lang, k=len(view["rows"]), n=view["n"]))
    return title + table(headers, rows, elem_id="lm-top", row_styles=styles)


def _cum_bar(view: dict[str, Any], lang: str) -> str:
    """The sorted probabilities top-p sees, stacked left to right, with the top-p line."""
    opts = view["options"]
    top_p = opts["top_p"]
    segments = []
    for seg in view["cum"]:
        color = BAR if seg["kept"] else DIM
        segments.append(
            f'<div class="sl-lm-seg" data-token="{esc(seg["token"])}" data-p="{seg["p"]!r}" '
            f'data-cum="{seg["cum"]!r}" data-kept="{int(seg["kept"])}" '
            f'title="{esc(seg["token"])}: {fmt(seg["p"], 4)}" '
            f'style="flex:none;min-width:0;width:{100 * seg["p"]:.4f}%;background:{color};'
            "height:100%;"
            "box-shadow:inset -1px 0 #fff;overflow:hidden;color:#fff;font-size:11px;"
            'white-space:nowrap;">'
            f"{esc(seg['token']) if seg['p'] > 0.04 else ''}</div>"
        )
    marker = ""
    if top_p is not None and opts["temperature"] > 0:
        marker = (
            f'<div class="sl-lm-cut" data-top-p="{top_p!r}" style="position:absolute;top:-4px;'
            f'bottom:-4px;left:{100 * top_p:.4f}%;border-left:3px solid {WIN};"></div>'
        )
    if opts["temperature"] == 0:
        caption = t("lm.cum_greedy", lang)
    elif top_p is None:
        caption = t("lm.cum_off", lang)
    else:
        caption = t("lm.cum_title", lang, p=fmt(top_p, 4), kept=view["kept"][2], n=view["n"])
    return (
        heading(t("lm.cum_heading", lang))
        + note(caption, cls="sl-note sl-lm-cum-caption")
        + '<div id="lm-cum" style="position:relative;display:flex;height:1.6em;'
        f'background:#eee;border-radius:3px;margin:6px 0 10px;">{"".join(segments)}{marker}</div>'
    )


def _on(value: float | None, off: str) -> str:
    return fmt(value, 4) if value else off


def _pipeline(view: dict[str, Any], lang: str) -> str:
    opts, n, kept, off = view["options"], view["n"], view["kept"], t("nt.off", lang)
    greedy = t("nt.greedy_note", lang) if opts["temperature"] == 0 else ""
    steps = [
        t("nt.step_temperature", lang, t=fmt(opts["temperature"], 4), greedy=greedy),
        t("nt.step_top_k", lang, value=opts["top_k"] or off, kept=kept[1], n=n),
        t("nt.step_top_p", lang, value=_on(opts["top_p"], off), kept=kept[2], n=n),
        t("nt.step_min_p", lang, value=_on(opts["min_p"], off), kept=kept[3], n=n),
        t("nt.step_renorm", lang),
    ]
    return (
        f'<div class="sl-pipeline" style="margin:6px 0;"><b>{esc(t("nt.pipeline", lang))}</b>'
        + "".join(f'<div style="margin-left:1em;">{esc(s)}</div>' for s in steps)
        + "</div>"
    )


def lm_html(view: dict[str, Any], lang: str) -> str:
    """The model line, the prompt as read, the top logits, the top-p bar and the choices."""
    choice = md_bold(
        t("lm.choice", lang, greedy=view["greedy"], sampled=view["sampled"], seed=view["seed"])
    )
    return (
        '<div class="sl-lm">'
        + _model_line(view["model"], lang)
        + _read_line(view, lang)
        + _top_table(view, lang)
        + _cum_bar(view, lang)
        + _pipeline(view, lang)
        + f'<p class="sl-lm-choice" data-greedy="{esc(view["greedy"])}" '
        f'data-sampled="{esc(view["sampled"])}" style="margin:4px 0;">{choice}</p></div>'
    )


def generated_html(view: dict[str, Any], lang: str) -> str:
    """The generated tokens after the prompt, each with the probability it was drawn with."""
    spans = "".join(
        f'<span class="sl-lm-gen-token" data-token="{esc(s["token"])}" data-p="{s["p"]!r}" '
        f'title="p = {fmt(s["p"], 4)}" style="background:rgba(76,120,168,'
        f"{0.15 + 0.6 * s['p']:.3f});border-radius:3px;padding:0 3px;margin:1px;"
        f'display:inline-block;">{esc(s["token"])}</span>'
        for s in view["steps"]
    )
    ended = note(t("lm.ended", lang), cls="sl-note sl-lm-ended") if view["ended"] else ""
    return (
        f'<div class="sl-lm-gen" data-text="{esc(view["text"])}">'
        + heading(t("lm.generated_title", lang, n=len(view["steps"]), seed=view["seed"]))
        + f'<p style="margin:4px 0;"><span style="color:#666;">{esc(view["prompt"])}</span> '
        + spans
        + "</p>"
        + f'<p class="sl-lm-text" style="margin:4px 0;">{esc(view["text"])}</p>'
        + ended
        + "</div>"
    )
