"""Winner-takes-all plots (p(T) and the simplex) and the Precision notes (issue 14).

p(T) is checked against mpmath's softmax (tests/_support/mpref.py) at temperatures read back
from the drawing's own grid; the Precision notes must say what their own table shows.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pytest

from softmaxlab.explorer import _callbacks as cb
from softmaxlab.explorer import _render as rd
from softmaxlab.explorer import _render_winner as rw
from tests._support.mpref import ref_softmax


@pytest.mark.parametrize("logits", [[3.0, 1.0, -3.0], [-2.0, -1.0, -1.0, 4.0], [0.0, 0.0]])
def test_sweep_matches_mpmath_at_every_temperature(logits: list[float]) -> None:
    swept = rw.sweep(logits, n=41)
    temps = swept["temperatures"]
    assert temps[0] == pytest.approx(0.05, rel=1e-12) and temps[-1] == pytest.approx(10.0)
    assert np.all(np.diff(np.log10(temps)) == pytest.approx(np.log10(200) / 40))
    for temperature, row in zip(temps, swept["probs"], strict=True):
        assert row == pytest.approx([float(p) for p in ref_softmax(logits, temperature)], abs=1e-14)


def test_simplex_point_is_the_barycentre_of_the_corners() -> None:
    corners = [rw.simplex_xy(e) for e in np.eye(3)]
    p = [float(v) for v in ref_softmax([3.0, 1.0, -3.0])]
    x = sum(w * c[0] for w, c in zip(p, corners, strict=True))
    y = sum(w * c[1] for w, c in zip(p, corners, strict=True))
    assert rw.simplex_xy(p) == pytest.approx((x, y), abs=0.06)
    # An equilateral triangle: the three sides have the same length.
    sides = [math.dist(corners[i], corners[(i + 1) % 3]) for i in range(3)]
    assert max(sides) - min(sides) < 0.2


def test_winner_section_marks_the_current_temperature_and_point() -> None:
    view = cb.softmax_view([3.0, 1.0, -3.0], ["A", "B", "C"], math.log10(2.0))
    page = rw.winner_html(view, "zh-Hans")
    assert re.search(r'class="sl-ptemp-now" data-t="([^"]+)"', page).group(1) == "2.0"
    assert len(re.findall(r'class="sl-ptemp"', page)) == 3
    shown = [
        float(v) for v in re.search(r'sl-simplex-point" data-p="([^"]+)"', page).group(1).split(",")
    ]
    assert shown == pytest.approx([float(v) for v in ref_softmax([3.0, 1.0, -3.0], 2.0)], abs=1e-15)
    assert "赢者通吃" in page and "概率单纯形" in page
    four = rw.winner_html(cb.softmax_view([1.0, 2.0, 3.0, 4.0], list("ABCD"), 0.0), "en")
    assert "sl-simplex-point" not in four and "there are 4 now" in four


def _dtype_rows(page: str) -> dict[str, float]:
    table = page.split('id="prec-dtype-table"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        rows[cells[0]] = float(cells[3].replace("−", "-")) if cells[3] not in ("NaN",) else math.nan
    return rows


@pytest.mark.parametrize(
    "logits", [[1000.0, 999.0, 998.0], [0.3, 0.6, -1.2, 2.1, 0.05], [1.0, 2.0, 3.0]]
)
def test_sum_note_says_what_the_table_shows(logits: list[float]) -> None:
    page = rd.precision_html(cb.precision_view(logits), "en")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    rows = _dtype_rows(page)
    assert list(rows) == ["float16", "float32", "float64"]
    for dtype, error in rows.items():
        exact = re.search(rf"{dtype}[^.]*: Σ p is exactly 1", text)
        missed = re.search(rf"{dtype}[^.]*: Σ p misses 1", text)
        assert bool(exact) == (error == 0) and bool(missed) == (error > 0), (dtype, error)
    assert "misses 1 by a few" not in text


def test_infinite_logit_note_does_not_claim_no_underflow() -> None:
    for lang, nan_word, wrong in [
        ("en", "The probabilities are NaN", "No probability underflowed"),
        ("zh-Hans", "这里的概率是 NaN", "这里没有概率下溢"),
    ]:
        page = rd.precision_html(cb.precision_view([math.inf, 1.0]), lang)
        assert nan_word in page and wrong not in page
        assert "NaN" in page.split("prec-dtype-table")[1].split("</table>")[1][:400]
