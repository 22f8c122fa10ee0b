"""HTML of the Action choice tab, from the plain data of :func:`._action.action_view`.

The regret curves and the softmax policy's probabilities over time are inline SVG (no
plotting library, nothing fetched); every plotted number is also in a ``data-`` attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._html import BAR, WIN, esc, fmt, heading, note, svg_frame, table, texts
from ._i18n import t

__all__ = ["action_html"]

POLICY_COLOURS = {"softmax": WIN, "epsilon-greedy": BAR, "uniform": "#888888"}
"""The softmax policy in the page's highlight colour, the epsilon-greedy one in its bar colour."""
ARM_COLOURS = (
    "#4c78a8",
    "#f58518",
    "#54a24b",
    "#e45756",
    "#72b7b2",
    "#b279a2",
    "#eeca3b",
    "#9d755d",
    "#ff9da6",
    "#bab0ac",
)
WIDTH, HEIGHT, PAD = 440, 240, 44


def _policy_name(name: str, lang: str) -> str:
    return t("act.policy_" + name.replace("-", "_"), lang)


def _x(i: int, n: int) -> float:
    return PAD + (WIDTH - PAD - 8) * (i / max(1, n - 1))


def _y(v: float, top: float) -> float:
    return 8 + (HEIGHT - PAD - 8) * (1.0 - v / top)


def _axes(top: float, steps: int, y_label: str, lang: str) -> str:
    return (
        f'<text x="{PAD - 4}" y="14" text-anchor="end">{fmt(top, 3)}</text>'
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end">0</text>'
        f'<text x="{PAD}" y="{HEIGHT - PAD + 14}" text-anchor="middle">1</text>'
        f'<text x="{WIDTH - 8}" y="{HEIGHT - PAD + 14}" text-anchor="end">{steps}</text>'
        f'<text x="{(WIDTH + PAD) / 2}" y="{HEIGHT - 8}" text-anchor="middle">'
        f"{esc(t('act.step', lang))}</text>"
        f'<text x="10" y="{(HEIGHT - PAD) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 10 {(HEIGHT - PAD) / 2})">{esc(y_label)}</text>'
    )


def _thin(n: int, most: int = 120) -> list[int]:
    """At most ``most`` indices from 0 to n − 1 (both ends kept) to keep the SVG small."""
    if n <= most:
        return list(range(n))
    return sorted({round(i * (n - 1) / (most - 1)) for i in range(most)})


def regret_svg(view: dict[str, Any], lang: str) -> str:
    """Cumulative regret (mean over runs) of each policy against the step."""
    n = view["steps"]
    top = max(max(row["regret"]) for row in view["policies"]) or 1.0
    keep = _thin(n)
    lines = []
    legend = []
    for k, row in enumerate(view["policies"]):
        colour = POLICY_COLOURS.get(row["name"], "#000")
        points = " ".join(f"{_x(i, n):.1f},{_y(row['regret'][i], top):.1f}" for i in keep)
        lines.append(
            f'<polyline class="sl-regret" data-policy="{esc(row["name"])}" '
            f'data-final="{row["final_regret"]!r}" points="{points}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        y = 16 + 14 * k
        legend.append(
            f'<line x1="{PAD + 10}" y1="{y - 4}" x2="{PAD + 26}" y2="{y - 4}" '
            f'stroke="{colour}" stroke-width="3"/>'
            f'<text x="{PAD + 30}" y="{y}">{esc(_policy_name(row["name"], lang))}</text>'
        )
    body = "".join(lines) + "".join(legend) + _axes(top, n, t("act.regret_axis", lang), lang)
    return svg_frame(WIDTH, HEIGHT, PAD, body, elem_class="sl-regret-chart")


def policy_svg(probs: Sequence[Sequence[float]], lang: str) -> str:
    """The softmax policy's mean probabilities per step as a stacked area (arm 0 at the bottom)."""
    n = len(probs)
    arms = len(probs[0])
    keep = _thin(n)
    lower = [0.0] * len(keep)
    areas = []
    for a in range(arms):
        upper = [lower[j] + probs[i][a] for j, i in enumerate(keep)]
        top_edge = [f"{_x(i, n):.1f},{_y(upper[j], 1.0):.1f}" for j, i in enumerate(keep)]
        bottom_edge = [f"{_x(i, n):.1f},{_y(lower[j], 1.0):.1f}" for j, i in enumerate(keep)]
        colour = ARM_COLOURS[a % len(ARM_COLOURS)]
        areas.append(
            f'<polygon class="sl-area" data-arm="{a}" '
            f'points="{" ".join(top_edge + bottom_edge[::-1])}" fill="{colour}" '
            'fill-opacity="0.85" stroke="none"/>'
        )
        lower = upper
    body = "".join(areas) + _axes(1.0, n, t("act.prob_axis", lang), lang)
    return svg_frame(WIDTH, HEIGHT, PAD, body, elem_class="sl-policy-chart")


def _arm_label(a: int, view: dict[str, Any]) -> str:
    colour = ARM_COLOURS[a % len(ARM_COLOURS)]
    star = " ★" if a == view["best"] else ""
    return f'<span style="color:{colour};font-weight:700;">■</span> {a}{star}'


def _snapshot_table(view: dict[str, Any], lang: str) -> str:
    steps = view["snapshots"]
    headers = [t("act.arm", lang), t("act.mean", lang)] + [
        t("act.at_step", lang, step=s + 1) for s in steps
    ]
    rows = [
        [_arm_label(a, view), fmt(view["means"][a], 4)]
        + [fmt(view["softmax_probs"][s][a], 4) for s in steps]
        for a in range(view["arms"])
    ]
    styles = ["background:#fff3e6;" if a == view["best"] else "" for a in range(view["arms"])]
    return table(headers, rows, elem_id="act-probs-table", row_styles=styles)


def _summary_table(view: dict[str, Any], lang: str) -> str:
    headers = texts(lang, "act.policy", "act.final_regret", "act.best_rate")
    rows = [
        [
            esc(_policy_name(row["name"], lang)),
            fmt(row["final_regret"], 5),
            f"{100 * row['best_rate_end']:.1f}%",
        ]
        for row in view["policies"]
    ]
    return table(headers, rows, elem_id="act-summary")


def _column(title: str, chart: str, remark: str) -> str:
    """A chart under its heading and above its note, in a column that wraps on a phone."""
    style = "flex:1;min-width:min(100%,28em);"
    return f'<div style="{style}">{heading(title)}{chart}{note(remark)}</div>'


def action_html(view: dict[str, Any], lang: str) -> str:
    """The regret curves, the policy's probabilities over time and the summary tables."""
    settings = t(
        "act.settings",
        lang,
        arms=view["arms"],
        steps=view["steps"],
        runs=view["runs"],
        t=fmt(view["temperature"], 4),
        eps=fmt(view["epsilon"], 4),
        seed=view["seed"],
        best=view["best"],
    )

    regret = regret_svg(view, lang)
    policy = policy_svg(view["softmax_probs"], lang)
    charts = (
        '<div style="display:flex;flex-wrap:wrap;gap:16px;">'
        + _column(t("act.regret_title", lang), regret, t("act.regret_note", lang))
        + _column(t("act.policy_title", lang), policy, t("act.policy_note", lang))
        + "</div>"
    )
    return (
        f'<div class="sl-action" data-arms="{view["arms"]}" data-steps="{view["steps"]}">'
        + note(settings)
        + charts
        + heading(t("act.summary_title", lang))
        + _summary_table(view, lang)
        + note(t("act.tail_note", lang, tail=view["tail"]))
        + heading(t("act.probs_title", lang))
        + '<div style="overflow-x:auto;">'
        + _snapshot_table(view, lang)
        + "</div></div>"
    )
