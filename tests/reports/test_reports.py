"""The shared report builders (softmaxlab.reports) against independent references.

References: mpmath at 50 digits (a local context, never the global precision), ``math.exp`` and
``math.fsum`` written out here, and hand-worked values.
"""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest

from softmaxlab.reports import (
    ParseProblem,
    decoding_report,
    kept_after_each_filter,
    parse_number,
    parse_numbers,
    parse_vocabulary,
    softmax_steps,
    sum_check,
)
from tests._support.mpref import DPS, ref_shifted_exps


def mp_steps(z: list[float], t: float) -> tuple[list[float], float, list[float]]:
    """exp(z/T - max), their sum and the probabilities, at 50 digits, rounded once."""
    e = ref_shifted_exps(z, t)
    with mpmath.workdps(DPS):
        total = mpmath.fsum(e)
        return [float(v) for v in e], float(total), [float(v / total) for v in e]


# --- softmax steps ----------------------------------------------------------------------------


@pytest.mark.parametrize("t", [1.0, 0.5, 3.0])
def test_steps_match_mpmath(t: float) -> None:
    z = [3.0, 1.0, -3.0, 0.25]
    s = softmax_steps(z, temperature=t)
    exps, total, probs = mp_steps(z, t)
    np.testing.assert_allclose(s.exps, exps, rtol=2e-16)
    assert s.exp_sums == pytest.approx(total, rel=2e-16)
    np.testing.assert_allclose(s.normalised, probs, rtol=4e-16)
    np.testing.assert_allclose(s.probabilities, probs, rtol=1.4e-15)
    assert s.shifted.max() == 0.0 and float(s.maxima) == max(z) / t
    assert 1.0 <= float(s.exp_sums) <= len(z)


def test_steps_move_the_axis_last_and_keep_one_sum_per_slice() -> None:
    x = np.array([[3.0, 1.0], [1.0, 2.0], [-3.0, 3.0]])
    s = softmax_steps(x, axis=0)
    assert s.probabilities.shape == (2, 3) and s.exp_sums.shape == (2,)
    for j in range(2):
        _, total, probs = mp_steps(x[:, j].tolist(), 1.0)
        assert s.exp_sums[j] == pytest.approx(total, rel=2e-16)
        np.testing.assert_allclose(s.probabilities[j], probs, rtol=1.4e-15)


def test_steps_keep_the_dtype_and_the_tolerance_follows_it() -> None:
    s = softmax_steps(np.array([1.0, 2.0, 3.0], dtype=np.float32))
    assert s.probabilities.dtype == np.float32
    assert s.tolerance == 3 * float(np.finfo(np.float32).eps)


def test_special_values_are_shown_without_warnings() -> None:
    x = np.array([[np.nan, 1.0], [np.inf, 1.0], [-np.inf, -np.inf], [-np.inf, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = softmax_steps(x)
    assert np.isnan(s.sums[:3]).all() and not s.check.ok[:3].any()
    assert s.probabilities[3].tolist() == [0.0, 1.0] and s.exps[3].tolist() == [0.0, 1.0]
    assert float(s.exp_sums[3]) == 1.0 and bool(s.check.ok[3])


def test_the_library_checks_temperature_and_axis() -> None:
    from softmaxlab import SoftmaxLabError

    with pytest.raises(SoftmaxLabError) as info:
        softmax_steps([1.0, 2.0], temperature=0.0)
    assert info.value.parameter == "temperature" and info.value.function == "softmax"
    with pytest.raises(SoftmaxLabError) as info:
        softmax_steps([1.0, 2.0], axis=1)
    assert info.value.parameter == "axis"


# --- the one sum check ------------------------------------------------------------------------


def test_sum_check_is_exactly_rounded() -> None:
    # Hand-worked: ten float64 0.1 sum to exactly 1 when rounded once (math.fsum); a naive
    # left-to-right sum gives 0.9999999999999999.
    p = np.full(10, 0.1)
    assert sum(p.tolist()) != 1.0
    c = sum_check(p)
    assert float(c.sums) == 1.0 and float(c.abs_errors) == 0.0 and bool(c.ok)


def test_sum_check_of_rows_and_empty() -> None:
    c = sum_check(np.array([[0.5, 0.5], [0.75, 0.5]]))
    assert c.sums.tolist() == [1.0, 1.25] and c.ok.tolist() == [True, False]
    assert sum_check(np.zeros((3, 0))).sums.tolist() == [0.0, 0.0, 0.0]


# --- parsing ----------------------------------------------------------------------------------


def test_parse_number_rules() -> None:
    assert parse_number(" −2.5e1 ") == -25.0 and parse_number("＋3") == 3.0
    assert math.isinf(parse_number("-Infinity"))
    for bad in ("", " ", "1_0", "abc", "1,2"):
        with pytest.raises(ValueError, match="is not a number"):
            parse_number(bad)


@pytest.mark.parametrize(
    ("text", "kwargs", "code", "fields"),
    [
        ("", {}, "empty", {"what": "logits", "min": 1}),
        ("1, x", {}, "not_number", {"index": 2, "value": "x"}),
        ("1; nan", {}, "not_finite", {"index": 2, "value": "nan"}),
        ("1", {"min_count": 2}, "too_few", {"n": 1, "min": 2}),
        ("1 2 3", {"max_count": 2}, "too_many", {"n": 3, "max": 2}),
    ],
)
def test_parse_numbers_codes(text: str, kwargs: dict, code: str, fields: dict) -> None:
    with pytest.raises(ParseProblem) as info:
        parse_numbers(text, **kwargs)
    assert info.value.code == code
    assert fields.items() <= info.value.fields.items()
    assert "\n" not in str(info.value)


def test_long_entries_are_shortened_in_messages() -> None:
    with pytest.raises(ParseProblem) as info:
        parse_numbers("1, " + "x" * 10_000)
    assert len(str(info.value)) < 120 and len(info.value.fields["value"]) <= 40


@pytest.mark.parametrize(
    ("text", "code", "fields"),
    [
        ("", "empty", {}),
        ("a:1,,b:2", "empty_entry", {"index": 2}),
        ("a:1\nb", "no_logit", {"index": 2, "value": "b"}),
        ("a:", "no_logit", {"index": 1}),
        (":1", "no_token", {"index": 1}),
        ("a:x", "not_number", {"value": "x"}),
        ("a:inf", "not_finite", {"value": "inf"}),
        ("a:1,a：2", "duplicate_token", {"token": "a", "index": 2}),
        ("a:-inf, b:-inf", "all_banned", {}),
    ],
)
def test_parse_vocabulary_codes(text: str, code: str, fields: dict) -> None:
    with pytest.raises(ParseProblem) as info:
        parse_vocabulary(text)
    assert info.value.code == code
    assert fields.items() <= info.value.fields.items()


def test_parse_vocabulary_rules() -> None:
    # Commas or line breaks, blank lines skipped, the last (ASCII or full-width) colon splits.
    text = "the: 2.1\n\n a b : −1,x:y：0\nz:-inf\n"
    assert parse_vocabulary(text) == (["the", "a b", "x:y", "z"], [2.1, -1.0, 0.0, -math.inf])
    with pytest.raises(ParseProblem) as info:
        parse_vocabulary("a:1", min_tokens=2)
    assert info.value.code == "too_few"


# --- decoding ---------------------------------------------------------------------------------


def test_kept_after_each_filter_hand_worked() -> None:
    # logits 3, 2, 1, 0, -inf: 4 in play; top-k 3 keeps 3, 2, 1; their softmax is
    # (0.665, 0.245, 0.090), so top-p 0.8 keeps two (the mass above the third is 0.91);
    # renormalised they are (0.731, 0.269), and 0.269 < 0.5 * 0.731: min-p 0.5 keeps one.
    z = [3.0, 2.0, 1.0, 0.0, -math.inf]
    assert kept_after_each_filter(z, top_k=3, top_p=0.8, min_p=0.5) == [4, 3, 2, 1]


def test_decoding_report_greedy_and_counts() -> None:
    r = decoding_report(["a", "b", "c"], [1.0, 1.0, 0.0], temperature=0, n=50, seed=1)
    # Temperature 0 keeps the tied maxima, each with half the mass; greedy is the lower index.
    assert r.probabilities == [0.5, 0.5, 0.0] and r.removed == [False, False, True]
    assert r.greedy == "a" and sum(r.counts) == 50 and r.counts[2] == 0
    assert r.entropy == pytest.approx(math.log(2), rel=1e-15)
    assert r.entropy_before == pytest.approx(
        -math.fsum(p * math.log(p) for p in mp_steps([1.0, 1.0, 0.0], 1.0)[2]), rel=1e-14
    )


def test_decoding_report_validates_before_drawing() -> None:
    from softmaxlab import SoftmaxLabError

    # A bad top_k fails before 10**13 draws are attempted (no MemoryError).
    with pytest.raises(SoftmaxLabError) as info:
        decoding_report(["a", "b"], [1.0, 0.0], top_k=0, n=10**13)
    assert info.value.parameter == "top_k"


def test_decoding_report_counts_any_number_of_draws() -> None:
    # 10**13 draws are counted (not stored): the counts add up to n, follow the probabilities
    # to within a few standard deviations, and the same seed gives the same report.
    p = [math.exp(1) / (math.exp(1) + math.exp(2)), math.exp(2) / (math.exp(1) + math.exp(2))]
    n = 10**13
    r = decoding_report(["a", "b"], [1.0, 2.0], n=n, seed=5)
    assert sum(r.counts) == n and r.n == n
    for c, pi in zip(r.counts, p, strict=True):
        assert abs(c - n * pi) <= 6 * math.sqrt(n * pi * (1 - pi))
    again = decoding_report(["a", "b"], [1.0, 2.0], n=n, seed=5)
    assert again.counts == r.counts and again.sampled == r.sampled


def test_decoding_report_counts_match_a_chi_square_bound() -> None:
    # Small n: the first draw plus the multinomial rest are n draws from the distribution.
    from scipy.stats import chisquare

    logits = [0.5, 1.5, -1.0, 0.0]
    probs = mp_steps(logits, 1.0)[2]
    pvalues = []
    for seed in range(20):
        r = decoding_report(list("abcd"), logits, n=400, seed=seed)
        assert sum(r.counts) == 400 and r.counts[list("abcd").index(r.sampled)] >= 1
        pvalues.append(chisquare(r.counts, [400 * float(q) for q in probs]).pvalue)
    assert min(pvalues) > 1e-4 and sorted(pvalues)[10] > 0.05


def test_decoding_report_bounds_the_number_of_draws() -> None:
    from softmaxlab import SoftmaxLabError

    with pytest.raises(SoftmaxLabError) as info:
        decoding_report(["a", "b"], [1.0, 0.0], n=2**53 + 1)
    assert info.value.parameter == "num_samples"
    assert decoding_report(["a"], [0.0], temperature=0, n=3).entropy == 0.0
    assert math.copysign(1.0, decoding_report(["a"], [0.0], temperature=0, n=3).entropy) == 1.0
