"""The Σ row of the Softmax tab's steps table and the warnings of the Train tab (no browser).

The Σ exp reference is mpmath at 50 digits; the train warnings come from real fits of the
bundled iris data (whose 30-sample calibration set is classified perfectly).
"""

from __future__ import annotations

import re
import warnings

import pytest

from softmaxlab.explorer import _callbacks as cb
from softmaxlab.explorer import _models as md
from softmaxlab.explorer import _render as rd
from softmaxlab.explorer._i18n import LANGUAGES, t
from softmaxlab.explorer.tabs import train as train_tab
from tests._support.mpref import ref_exp_sum


def mp_exp_sum(z: list[float], temperature: float = 1.0) -> float:
    return float(ref_exp_sum(z, temperature))


def steps_rows(html: str) -> list[list[str]]:
    table = re.search(r'<table id="sm-steps-table".*?</table>', html, re.S)
    assert table
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)
    return [
        [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r)]
        for r in rows
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("z", "log10_t"), [([3.0, 1.0, -3.0], 0.0), ([1.0, 2.0, 3.0, 4.0], 0.30103)]
)
def test_steps_table_has_a_sigma_row(lang: str, z: list[float], log10_t: float) -> None:
    view = cb.softmax_view(z, cb.DEFAULT_NAMES[: len(z)], log10_t)
    html = rd.softmax_details(view, lang)
    rows = steps_rows(html)
    assert len(rows) == 1 + len(z) + 1  # header, one row per class, the Σ row
    header, sigma = rows[0], rows[-1]
    assert t("col.exp", lang) in header
    assert header[5] == t("sm.col_divide", lang, p=t("col.prob", lang))
    assert sigma[0] == "Σ"
    exp_sum = float(re.search(r'data-exp-sum="([^"]+)"', html).group(1))
    assert exp_sum == pytest.approx(mp_exp_sum(z, 10**log10_t), rel=1e-15)
    assert (
        float(re.search(r'class="sl-p-sum" data-total="([^"]+)"', html).group(1)) == view["total"]
    )
    assert sigma[4] == f"Σ = {rd.fmt(exp_sum)}"
    assert rd.fmt(exp_sum) in t("sm.sum_steps", lang, exp_sum=rd.fmt(exp_sum))
    assert t("sm.sum_steps", lang, exp_sum=rd.fmt(exp_sum)) in html
    # Each class's exp ÷ Σ is the probability shown in its row.
    for row, e in zip(rows[1:-1], view["exps"], strict=True):
        assert float(row[5].replace("−", "-")) == pytest.approx(e / exp_sum, rel=1e-7)


@pytest.fixture(scope="module")
def iris_views() -> dict[str, dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the 10-iteration fit warns that it did not converge
        return {"full": md.train_view("iris", 1.0, 200), "short": md.train_view("iris", 1.0, 10)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_iris_shows_the_lower_bound_warning(iris_views: dict, lang: str) -> None:
    view = iris_views["full"]
    assert view["temperature_warning"] == "lower" and view["converged"]
    html = rd.train_html(view, lang)
    low = view["temperature_range"][0]
    assert re.findall(r'data-warning="(\w+)"', html) == ["lower"]
    assert t("tr.warn_lower", lang, bound=rd.fmt(low, 4), n_val=view["n_val"]) in html
    assert "0.05" in html and "30" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_fit_that_does_not_converge_says_so(iris_views: dict, lang: str) -> None:
    view = iris_views["short"]
    assert not view["converged"] and view["n_iter"] == 10
    html = rd.train_html(view, lang)
    assert "iter" in re.findall(r'data-warning="(\w+)"', html)
    assert t("tr.warn_iter", lang, n_iter=10) in html


def test_upper_bound_and_no_warning() -> None:
    view = dict(md.train_view("digits", 1.0, 200))
    assert view["temperature_warning"] is None and view["converged"]
    assert "sl-train-warning" not in rd.train_html(view, "en")
    view["temperature_warning"] = "upper"
    html = rd.train_html(view, "zh-Hans")
    assert re.findall(r'data-warning="(\w+)"', html) == ["upper"]
    assert "上限 20" in html


def test_train_tab_relabels_the_warning_without_training_again(iris_views: dict) -> None:
    [html] = train_tab.train_again("zh-Hant", iris_views["full"])
    assert "下限 0.05" in html
