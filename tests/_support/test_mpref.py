"""The shared references and ulp measure against hand-derived values."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from tests._support.mpref import (
    DPS,
    BigRowReference,
    max_ulp_diff,
    max_ulp_error,
    ref_entropy,
    ref_exp_sum,
    ref_log_sigmoid,
    ref_logsumexp_b,
    ref_shifted_exps,
    ref_sigmoid,
    ref_softmax,
    ref_softmax_family,
    ulp,
    ulp_errors,
)


@pytest.mark.parametrize(
    ("dtype", "nmant", "minexp"),
    [(np.float16, 10, -14), (np.float32, 23, -126), (np.float64, 52, -1022)],
)
def test_ulp_by_hand(dtype: type, nmant: int, minexp: int) -> None:
    assert ulp(1.0, dtype) == mpmath.ldexp(1, -nmant)
    assert ulp(1.75, dtype) == mpmath.ldexp(1, -nmant)
    assert ulp(-2.0, dtype) == mpmath.ldexp(1, 1 - nmant)
    assert ulp(0.75, dtype) == mpmath.ldexp(1, -1 - nmant)
    subnormal = mpmath.ldexp(1, minexp - nmant)
    assert ulp(0.0, dtype) == subnormal
    assert ulp(mpmath.ldexp(1, minexp - 3), dtype) == subnormal
    assert ulp(mpmath.ldexp(1, minexp), dtype) == subnormal  # the smallest normal
    # Floored at eps: below 1 the unit is eps = 2**-nmant.
    assert ulp(0.75, dtype, floor_at_eps=True) == mpmath.ldexp(1, -nmant)
    assert ulp(4.0, dtype, floor_at_eps=True) == mpmath.ldexp(1, 2 - nmant)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_both_measures_count_one_step_as_one_ulp(dtype: type) -> None:
    fi = np.finfo(dtype)
    vals = np.array([1.0, 1.5, 0.3, 1e-3, 100.0, float(fi.smallest_normal) / 4], dtype=dtype)
    up = np.nextafter(vals, np.array(np.inf, dtype=dtype))
    assert max_ulp_diff(up, vals) == 1.0
    exact = [mpmath.mpf(float(v)) for v in vals]
    np.testing.assert_array_equal(ulp_errors(up, exact, dtype), np.ones(vals.size))
    # A value half-way between two floats is half an ulp from each.
    with mpmath.workdps(DPS):
        mid = [mpmath.mpf(float(v)) + ulp(float(v), dtype) / 2 for v in vals]
    assert max_ulp_error(vals, mid, dtype) == 0.5
    # Floored at eps, a step at 1e-3 is far below one unit.
    assert max_ulp_diff(up[3:4], vals[3:4], floor_at_eps=True) < 0.01


def test_special_values_match_or_count_infinite() -> None:
    assert max_ulp_diff(np.array([np.nan, np.inf, -np.inf]), [np.nan, np.inf, -np.inf]) == 0.0
    assert max_ulp_diff(np.array([np.nan, 1.0]), [1.0, 1.0]) == math.inf
    assert max_ulp_diff(np.array([np.inf]), [1.0]) == math.inf
    assert max_ulp_error(np.array([-np.inf]), [mpmath.mpf("-inf")], np.float64) == 0.0
    assert max_ulp_error(np.array([0.0]), [mpmath.mpf("-inf")], np.float64) == math.inf
    # 70000 overflows float16 (max 65504): an inf output matches.
    assert max_ulp_error(np.array([np.inf], np.float16), [mpmath.mpf(70000)], np.float16) == 0.0
    with pytest.raises(ValueError):
        ulp_errors(np.zeros(2), [mpmath.mpf(0)], np.float64)


def test_softmax_family_by_hand() -> None:
    p, logp, lse = ref_softmax_family([0.0, 0.0, 0.0, 0.0])
    assert p == [mpmath.mpf("0.25")] * 4
    with mpmath.workdps(DPS):
        assert abs(lse - mpmath.log(4)) < mpmath.mpf(10) ** -45
        assert all(abs(v + mpmath.log(4)) < mpmath.mpf(10) ** -45 for v in logp)
    # [1, 2, 3] / 2: exp(k/2) over their sum, summed here with math.
    e = [math.exp(k / 2) for k in (1, 2, 3)]
    assert ref_softmax([1, 2, 3], 2.0) == pytest.approx([v / math.fsum(e) for v in e], rel=1e-15)
    assert float(ref_exp_sum([1, 2, 3], 2.0)) == pytest.approx(1 + math.exp(-0.5) + math.exp(-1))
    assert [float(v) for v in ref_shifted_exps([5.0, 3.0])] == [1.0, math.exp(-2.0)]
    # -inf entries: probability 0; mpf inputs are kept exactly.
    p, logp, _ = ref_softmax_family([0.0, -math.inf])
    assert p == [1, 0] and logp[1] == -mpmath.inf
    third = mpmath.mpf(1) / 3
    assert ref_softmax_family([third, third])[0][0] == mpmath.mpf("0.5")
    assert float(ref_entropy([7.0] * 5)) == pytest.approx(math.log(5), rel=1e-15)


def test_other_references_by_hand() -> None:
    assert ref_sigmoid(0.0) == mpmath.mpf("0.5")
    assert float(ref_log_sigmoid(0.0)) == pytest.approx(-math.log(2), rel=1e-15)
    val, sign = ref_logsumexp_b([0.0, 0.0], [1.0, -3.0])  # log|1 - 3| = log 2, negative
    assert sign == -1 and float(val) == pytest.approx(math.log(2), rel=1e-15)
    assert ref_logsumexp_b([1.0, 1.0], [1.0, -1.0]) == (-mpmath.inf, 0)
    big = BigRowReference(np.zeros(1000))
    assert float(big.logsumexp) == pytest.approx(math.log(1000), rel=1e-15)
    assert float(big.softmax([3])[0]) == 1e-3


def test_no_global_precision_change() -> None:
    before = mpmath.mp.prec
    ref_softmax_family([1.0, 2.0], dps=80)
    ulp(1.0, np.float64)
    assert mpmath.mp.prec == before
