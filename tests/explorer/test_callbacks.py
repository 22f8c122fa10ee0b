"""The explorer's callbacks and HTML, without a browser.

Reference values come from mpmath at 50 digits or from plain-Python formulas written here,
never from softmaxlab itself.
"""

from __future__ import annotations

import math
import re

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from softmaxlab.explorer import _callbacks as cb
from softmaxlab.explorer import _render as rd
from softmaxlab.explorer._i18n import LANGUAGES, t
from tests._support.mpref import DPS, ref_entropy, ref_softmax

# ---------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3, 1, -3", [3.0, 1.0, -3.0]),
        ("3 1 −3", [3.0, 1.0, -3.0]),
        ("1，2、3", [1.0, 2.0, 3.0]),
        (" 1e3 ;-2.5 ", [1000.0, -2.5]),
    ],
)
def test_parse_numbers_accepts_common_separators(text: str, expected: list[float]) -> None:
    assert cb.parse_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "err.empty"),
        ("   ", "err.empty"),
        (None, "err.empty"),
        ("1, abc", "err.not_number"),
        ("1, nan", "err.not_finite"),
        ("1, inf", "err.not_finite"),
        ("5", "err.too_few"),
    ],
)
def test_parse_numbers_rejects_bad_entries(text: str | None, key: str) -> None:
    with pytest.raises(cb.InputProblem) as info:
        cb.parse_numbers(text)
    assert info.value.key == key
    for lang in LANGUAGES:  # every message formats in every language
        assert info.value.message(lang)


def test_parse_numbers_limits_and_nonfinite_option() -> None:
    with pytest.raises(cb.InputProblem, match="at most 3"):
        cb.parse_numbers("1 2 3 4", max_count=3)
    assert cb.parse_numbers("1000, inf", finite=False) == [1000.0, math.inf]


def test_error_messages_name_the_bad_value() -> None:
    with pytest.raises(cb.InputProblem) as info:
        cb.parse_numbers("1, two")
    assert "'two'" in info.value.message("en")
    assert "'two'" in info.value.message("zh-Hans")
    assert "logit" in info.value.message("zh-Hant")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("A, A, B", "err.duplicate"),
        ("A, , B", "err.blank_label"),
        ("", "err.empty"),
        ("A", "err.too_few"),
    ],
)
def test_parse_names_rejects(text: str, key: str) -> None:
    with pytest.raises(cb.InputProblem) as info:
        cb.parse_names(text)
    assert info.value.key == key


def test_rename_classes_adds_and_removes_slots() -> None:
    assert cb.rename_classes("x, y", ["A", "B", "C"], [1.0, 2.0, 3.0]) == (["x", "y"], [1.0, 2.0])
    names, values = cb.rename_classes("p，q，r，s", ["A", "B"], [1.0, 2.0])
    assert names == ["p", "q", "r", "s"] and values == [1.0, 2.0, 0.0, 0.0]


def test_add_and_remove_class_bounds() -> None:
    names, values = list(cb.DEFAULT_NAMES[:2]), [0.0, 0.0]
    for _ in range(8):
        names, values = cb.add_class(names, values)
    assert names == cb.DEFAULT_NAMES and len(values) == 10
    with pytest.raises(cb.InputProblem):
        cb.add_class(names, values)
    with pytest.raises(cb.InputProblem):
        cb.remove_class(["A", "B"], [0.0, 0.0])


# ---------------------------------------------------------------------------- Softmax tab


@pytest.mark.parametrize("key", sorted(cb.PRESETS))
def test_presets_match_mpmath(key: str) -> None:
    z = cb.PRESETS[key]
    view = cb.softmax_view(z, ["A", "B", "C"], 0.0)
    np.testing.assert_allclose(view["probs"], ref_softmax(z), rtol=1e-14, atol=0)
    assert view["sum_ok"]


def test_issue_presets_are_the_ones_asked_for() -> None:
    assert cb.PRESETS["seed_a"] == [3, 1, -3] and cb.PRESETS["seed_b"] == [1, 2, 3]
    assert cb.PRESETS["large"] == [-5, -5, 5] and cb.PRESETS["negative"] == [-2, -1, -1]
    assert cb.PRESETS["small_a"][-1] == 1.5 and cb.PRESETS["small_b"][-1] == 2.0


def test_softmax_view_steps_follow_the_formula() -> None:
    z, temperature = [3.0, 1.0, -3.0], 0.5
    view = cb.softmax_view(z, ["A", "B", "C"], math.log10(temperature))
    assert view["temperature"] == pytest.approx(0.5, rel=1e-12)
    assert view["scaled"] == pytest.approx([6.0, 2.0, -6.0])
    assert view["shifted"] == pytest.approx([0.0, -4.0, -12.0])
    assert view["exps"] == pytest.approx([1.0, math.exp(-4.0), math.exp(-12.0)])
    np.testing.assert_allclose(view["probs"], ref_softmax(z, 0.5), rtol=1e-14)
    # Entropy against its definition at 50 digits.
    h = ref_entropy(z, 0.5)
    assert view["entropy"] == pytest.approx(float(h), rel=1e-12)
    with mpmath.workdps(DPS):
        assert view["entropy_bits"] == pytest.approx(float(h / mpmath.log(2)), rel=1e-12)
    assert view["winners"] == [0] and view["second"] == 1
    assert view["gap"] == 2.0 and view["scaled_gap"] == pytest.approx(4.0)
    assert view["ratio"] == pytest.approx(math.exp(4.0))


def test_softmax_view_shows_the_sum_step() -> None:
    # Issue 14: exponentiate -> sum -> normalise. Reference: math.exp and math.fsum here.
    view = cb.softmax_view([3.0, 1.0, -3.0], ["A", "B", "C"], 0.0)
    exps = [math.exp(x - 3.0) for x in (3.0, 1.0, -3.0)]
    assert view["exp_sum"] == pytest.approx(math.fsum(exps), rel=1e-15)
    assert view["normalised"] == pytest.approx([e / math.fsum(exps) for e in exps], rel=1e-15)


def test_sum_check_is_the_one_the_cli_prints(capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 14: the CLI printed |Σp − 1| = 0 (math.fsum) and the page 1.11e-16 (np.sum) for
    # the same logits. Both now use the exactly rounded sum.
    import json

    from softmaxlab.cli import main

    z = [1.0, 2.0, 3.0]
    view = cb.softmax_view(z, ["A", "B", "C"], 0.0)
    assert main(["compute", "--json", "1", "2", "3"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert view["total"] == doc["sum"] == math.fsum(view["probs"])
    assert view["sum_error"] == doc["sum_abs_error"] == abs(math.fsum(view["probs"]) - 1.0)
    assert view["sum_error"] == pytest.approx(2.0**-53)  # half an ulp of 1, not np.sum's 2**-52


def test_temperature_005_is_one_hot_without_nan() -> None:
    view = cb.softmax_view([3.0, 1.0, -3.0], ["A", "B", "C"], cb.LOG10_T_MIN)
    assert view["temperature"] == 0.05
    assert view["probs"][0] == 1.0
    assert all(0 <= p < 1e-15 for p in view["probs"][1:])
    assert not any(math.isnan(v) for key in ("probs", "exps", "shifted") for v in view[key])
    np.testing.assert_allclose(view["probs"], ref_softmax([3.0, 1.0, -3.0], 0.05), rtol=1e-13)
    html = rd.softmax_chart(view, "en") + rd.softmax_details(view, "en")
    assert "NaN" not in html
    assert "T = 0.05" in html


@pytest.mark.parametrize(
    ("position", "expected"),
    [(-5.0, 0.05), (cb.LOG10_T_MIN, 0.05), (0.0, 1.0), (1.0, 10.0), (3.0, 10.0), (math.nan, 0.05)],
)
def test_temperature_slider_is_clamped(position: float, expected: float) -> None:
    assert cb.temperature_from_log10(position) == expected


def test_ties_are_all_winners() -> None:
    view = cb.softmax_view([1.0, 1.0, 1.0], ["A", "B", "C"], 0.0)
    assert view["winners"] == [0, 1, 2] and view["second"] is None
    assert view["entropy"] == pytest.approx(math.log(3), rel=1e-14)
    html = rd.softmax_chart(view, "en")
    assert html.count('data-winner="1"') == 3
    assert "tie" in html


def test_softmax_view_rejects_bad_class_sets() -> None:
    with pytest.raises(cb.InputProblem) as info:
        cb.softmax_view([1.0, 2.0], ["A", "A"], 0.0)
    assert info.value.key == "err.duplicate"
    with pytest.raises(cb.InputProblem):
        cb.softmax_view([1.0], ["A"], 0.0)
    with pytest.raises(cb.InputProblem):
        cb.softmax_view([1.0, 2.0], ["A", "B", "C"], 0.0)
    with pytest.raises(cb.InputProblem):
        cb.softmax_view([1.0, math.nan], ["A", "B"], 0.0)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.floats(-10, 10), min_size=2, max_size=10),
    st.floats(cb.LOG10_T_MIN, cb.LOG10_T_MAX),
)
def test_softmax_view_sums_to_one_within_its_bound(z: list[float], log10_t: float) -> None:
    names = cb.DEFAULT_NAMES[: len(z)]
    view = cb.softmax_view(z, names, log10_t)
    assert view["sum_ok"]
    assert abs(math.fsum(view["probs"]) - 1.0) <= len(z) * 2.2e-16
    assert 0.0 <= view["entropy"] <= math.log(len(z)) + 1e-12
    assert max(view["shifted"]) == 0.0


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.floats(-4, 4), min_size=2, max_size=10))
def test_shift_preset_changes_no_probability(z: list[float]) -> None:
    moved, c = cb.shift_logits(z)
    assert c != 0.0
    assert all(abs(m - v - c) < 1e-12 for m, v in zip(moved, z, strict=True))
    names = cb.DEFAULT_NAMES[: len(z)]
    before = cb.softmax_view(z, names, 0.0)["probs"]
    after = cb.softmax_view(moved, names, 0.0)["probs"]
    np.testing.assert_allclose(after, before, rtol=1e-12, atol=1e-300)


def test_shift_keeps_inside_the_slider_range() -> None:
    assert cb.shift_logits([9.0, -9.0]) == ([10.0, -8.0], 1.0)
    assert cb.shift_logits([9.6, -9.6]) == ([9.6, -9.6], 0.0)
    moved, c = cb.shift_logits([9.4, -9.8])
    assert c == 0.5 and moved == pytest.approx([9.9, -9.3])


# ---------------------------------------------------------------------------- other tabs


def test_compare_view_against_definitions() -> None:
    z = [2.0, 1.0, 0.1, -1.0]
    view = cb.compare_view(z)
    np.testing.assert_allclose(view["softmax"], ref_softmax(z), rtol=1e-14)
    assert view["sigmoid"] == pytest.approx([1 / (1 + math.exp(-v)) for v in z], rel=1e-14)
    assert view["argmax"] == [1.0, 0.0, 0.0, 0.0]
    # sparsemax by hand: support {2, 1}, tau = (2 + 1 - 1) / 2 = 1 -> [1, 0, 0, 0]
    # (z = 1 gives 1 - tau = 0). Use a case with a support of two: [1, 0.5, -1].
    sp = cb.compare_view([1.0, 0.5, -1.0])["sparsemax"]
    assert sp == pytest.approx([0.75, 0.25, 0.0], abs=1e-15)
    assert cb.compare_view([1.0, 0.5, -1.0])["sparse_zeros"] == 1
    assert view["softmax_sum"] == pytest.approx(1.0, abs=1e-15)


def test_precision_view_shows_overflow_and_underflow() -> None:
    view = cb.precision_view([1000.0, 999.0, 998.0])
    assert view["naive_exp"] == [math.inf] * 3
    assert all(math.isnan(p) for p in view["naive_p"]) and view["naive_bad"] == 3
    np.testing.assert_allclose(view["stable_p"], ref_softmax([1000, 999, 998]), rtol=1e-14)
    dtypes = {d["dtype"]: d for d in view["dtypes"]}
    assert set(dtypes) == {"float16", "float32", "float64"}
    for d in dtypes.values():
        assert d["eps"] == float(np.finfo(d["dtype"]).eps)
        assert d["error"] <= 4 * d["eps"]
    log_view = cb.precision_view([1000.0, 1.0])
    assert log_view["log_of_softmax"][1] == -math.inf
    with mpmath.workdps(DPS):
        ref = float(mpmath.mpf(1) - 1000 - mpmath.log1p(mpmath.exp(-999)))
    assert log_view["log_softmax"][1] == pytest.approx(ref, rel=1e-15)
    assert log_view["log_bad"] == 1
    html = rd.precision_html(view, "en")
    assert "NaN" in html and "inf" in html


def test_precision_view_small_logits_agree() -> None:
    view = cb.precision_view([1.0, 2.0])
    assert view["naive_bad"] == 0 and view["log_bad"] == 0
    np.testing.assert_allclose(view["naive_p"], view["stable_p"], rtol=1e-15)


def test_gradient_view_against_hand_formulas() -> None:
    z, k, lr = [1.0, 2.0, 3.0], 0, 0.5
    view = cb.gradient_view(z, k, lr)
    p = ref_softmax(z)
    jac = [[p[i] * ((i == j) - p[j]) for j in range(3)] for i in range(3)]
    np.testing.assert_allclose(view["jacobian"], jac, rtol=1e-13, atol=1e-17)
    y = [1.0, 0.0, 0.0]
    grad = [pi - yi for pi, yi in zip(p, y, strict=True)]
    np.testing.assert_allclose(view["grad"], grad, rtol=1e-13)
    z_new = [zi - lr * (pi - yi) for zi, pi, yi in zip(z, p, y, strict=True)]
    np.testing.assert_allclose(view["z_new"], z_new, rtol=1e-14)
    np.testing.assert_allclose(view["p_new"], ref_softmax(z_new), rtol=1e-13)
    assert view["loss_before"] == pytest.approx(-math.log(p[0]), rel=1e-13)
    assert view["loss_after"] == pytest.approx(-math.log(ref_softmax(z_new)[0]), rel=1e-13)
    assert view["loss_after"] < view["loss_before"]
    assert view["row_sum_max"] < 1e-15


@pytest.mark.parametrize(
    ("target", "lr"), [(3, 1.0), (-1, 1.0), (0.5, 1.0), (None, 1.0), (0, 0.0), (0, math.nan)]
)
def test_gradient_view_rejects_bad_settings(target: float | None, lr: float) -> None:
    with pytest.raises(cb.InputProblem):
        cb.gradient_view([1.0, 2.0, 3.0], target, lr)


# ---------------------------------------------------------------------------- Next token


def test_parse_vocabulary() -> None:
    tokens, logits = cb.parse_vocabulary(cb.DEFAULT_VOCAB)
    assert tokens[0] == "mat" and len(tokens) == len(logits) == 8
    assert cb.parse_vocabulary("a:b: 1\nc: −2") == (["a:b", "c"], [1.0, -2.0])


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "err.empty"),
        ("\n \n", "err.empty"),
        ("mat 3", "err.vocab_entry"),
        (": 3\nb: 1", "err.vocab_entry"),
        ("mat: x\nb: 1", "err.not_number"),
        ("mat: nan\nb: 1", "err.not_finite"),
        ("mat: 1\nmat: 2", "err.duplicate_token"),
        ("mat: 1", "err.too_few"),
        ("a: -inf\nb: -inf", "err.not_finite"),
    ],
)
def test_parse_vocabulary_rejects(text: str, key: str) -> None:
    with pytest.raises(cb.InputProblem) as info:
        cb.parse_vocabulary(text)
    assert info.value.key == key


@pytest.mark.parametrize(
    "text", ["mat: 3.2, floor: -1", "mat: 3.2\nfloor: -1\n", "x:y: 1, z: −inf, w: 0"]
)
def test_vocabulary_rules_are_those_of_the_cli(text: str) -> None:
    # One parser for `softmaxlab sample` and this page (the page adds only 2..50 tokens).
    from softmaxlab.cli.sample import parse_vocabulary as cli_parse

    assert cb.parse_vocabulary(text) == cli_parse(text)


@pytest.mark.parametrize(
    ("text", "key"), [("a: 1,, b: 2", "err.vocab_entry"), ("a: 1_0\nb: 2", "err.not_number")]
)
def test_vocabulary_errors_are_translated(text: str, key: str) -> None:
    with pytest.raises(cb.InputProblem) as info:
        cb.parse_vocabulary(text)
    assert info.value.key == key
    for lang in LANGUAGES:
        assert "{" not in info.value.message(lang)


D = cb.Decoding.from_controls  # the decoding settings as the page reads them


def test_decoding_errors_come_from_the_library_in_the_page_language() -> None:
    # The page does not re-check top-p: the sampling functions do, and the page translates.
    with pytest.raises(cb.InputProblem) as info:
        cb.next_token_view(["a", "b"], [1.0, 0.0], D(1.0, 0, 1.5, 0.0))
    assert info.value.key == "err.range" and info.value.params["what"] == "top-p"
    assert info.value.params["value"] == "1.5"
    with pytest.raises(cb.InputProblem) as info:
        cb.histogram_view(["a", "b"], [1.0, 0.0], D(1.0, -2.0, 1.0, 0.0), 10)
    assert info.value.params["what"] == "top-k" and info.value.params["value"] == "-2"
    assert "-2" in info.value.message("zh-Hans")
    # Issue 11: a negative seed gave a generic error.
    views = (
        lambda: cb.next_token_view(["a", "b"], [1.0, 0.0], D(1.0, 0, 1.0, 0.0, -3)),
        lambda: cb.histogram_view(["a", "b"], [1.0, 0.0], D(1.0, 0, 1.0, 0.0, -3), 10),
    )
    for view in views:
        with pytest.raises(cb.InputProblem) as info:
            view()
        assert info.value.params["what"] == "seed" and info.value.params["value"] == "-3"


def test_next_token_view_follows_the_pipeline() -> None:
    tokens, logits = ["a", "b", "c", "d"], [2.0, 1.0, 0.5, -1.0]
    view = cb.next_token_view(tokens, logits, D(0.5, 3, 1.0, 0.0, 0))
    # temperature 0.5 then top-k 3: softmax of 2z over the first three, zero for d.
    ref = [*ref_softmax([4.0, 2.0, 1.0]), 0.0]
    np.testing.assert_allclose(view["probs"], ref, rtol=1e-13)
    assert view["removed"] == [False, False, False, True]
    assert view["kept"] == [4, 3, 3, 3]
    np.testing.assert_allclose(view["base"], ref_softmax(logits), rtol=1e-14)
    assert view["greedy"] == 0
    greedy = cb.next_token_view(tokens, logits, D(0.0, 0, 1.0, 0.0, 0))
    assert greedy["probs"] == [1.0, 0.0, 0.0, 0.0] and greedy["sampled"] == 0
    html = rd.next_token_html(view, "zh-Hant")
    assert "已移除" in html and "top-k 3" in html


def test_histogram_view_counts_and_removed_tokens() -> None:
    h = cb.histogram_view(["a", "b", "c"], [1.0, 0.0, -5.0], D(1.0, 2, 1.0, 0.0, 3), 4000)
    assert sum(h["counts"]) == 4000 and h["counts"][2] == 0
    p = ref_softmax([1.0, 0.0])
    for f, pi in zip(h["freq"][:2], p, strict=True):
        assert abs(f - pi) <= 5 * math.sqrt(pi * (1 - pi) / 4000)
    again = cb.histogram_view(["a", "b", "c"], [1.0, 0.0, -5.0], D(1.0, 2, 1.0, 0.0, 3), 4000)
    assert again["counts"] == h["counts"]  # the seed makes the draws reproducible


@pytest.mark.parametrize(
    ("temperature", "top_k", "top_p", "min_p"),
    [(-1.0, 0, 1.0, 0.0), (1.0, 2.5, 1.0, 0.0), (1.0, 0, 0.0, 0.0), (1.0, 0, 1.0, 1.5)],
)
def test_next_token_rejects_bad_settings(
    temperature: float, top_k: float, top_p: float, min_p: float
) -> None:
    with pytest.raises(cb.InputProblem):
        cb.next_token_view(["a", "b"], [1.0, 0.0], D(temperature, top_k, top_p, min_p))


# ---------------------------------------------------------------------------- HTML


def test_html_escapes_user_labels() -> None:
    view = cb.softmax_view([1.0, 0.0], ["<script>x</script>", "b&c"], 0.0)
    html = rd.softmax_chart(view, "en") + rd.softmax_details(view, "en")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "b&amp;c" in html


def test_bars_expose_exact_values() -> None:
    view = cb.softmax_view([3.0, 1.0, -3.0], ["A", "B", "C"], 0.0)
    values = [float(v) for v in re.findall(r'data-p="([^"]+)"', rd.softmax_chart(view, "en"))]
    assert values == view["probs"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_tab_renders_in_every_language(lang: str) -> None:
    parts = [
        rd.softmax_details(cb.softmax_view([1.0, 2.0, 3.0], ["A", "B", "C"], 0.0), lang),
        rd.compare_html(cb.compare_view([1.0, 2.0]), lang),
        rd.precision_html(cb.precision_view([1000.0, 1.0]), lang),
        rd.gradient_html(cb.gradient_view([1.0, 2.0], 1, 1.0), lang),
        rd.next_token_html(cb.next_token_view(["a", "b"], [1.0, 0.0], D(1.0, 0, 1.0, 0.0)), lang),
    ]
    html = "".join(parts)
    assert t("col.prob", lang) in html and t("col.log_softmax", lang) in html
    assert "{" not in re.sub(r"<[^>]+>", "", html)  # no unformatted placeholder
