"""precision='fast' (issue 10): float32 softmax / log_softmax with exp in float32 lanes, within
4 ulp of the mpmath reference on every SIMD level this machine supports (the baseline level
runs the exact kernel), rows of the short path (<= 32 classes, vectorised across rows), the
long path and temperatures != 1."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from softmaxlab import _simd, log_softmax, show_config, softmax
from tests._support.mpref import ref_softmax_family, ulp_errors

FAST_ULPS = 4.0  # the documented bound of precision='fast' (README, Accuracy)
TRANSFORMS = [softmax, log_softmax]


def _rows(n: int, nrows: int, spread: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((nrows, n)) * spread).astype(np.float32)
    x[0, 0] = x[0].max() - 120.0  # an exp far below float32's range: probability 0 or subnormal
    if n > 2:
        x[0, 1] = x[0].max() - 95.0  # a subnormal probability
    return x


def _worst_vs_mpmath(func: Any, x: np.ndarray, temperature: float) -> float:
    out = func(x, temperature=temperature, precision="fast")
    assert out.dtype == np.float32 and out.shape == x.shape
    k = 0 if func is softmax else 1
    worst = 0.0
    for row, o in zip(x, out, strict=True):
        ref = ref_softmax_family(row, temperature)[k]
        worst = max(worst, float(ulp_errors(o, ref, np.float32).max()))
    return worst


@pytest.mark.parametrize("func", TRANSFORMS)
@pytest.mark.parametrize(
    ("n", "nrows"),
    [(3, 40), (17, 40), (32, 40), (1, 3), (5, 2), (33, 4), (100, 6), (1000, 3), (5003, 1)],
)
@pytest.mark.parametrize("temperature", [1.0, 0.7, 3.0])
def test_fast_within_4_ulp_on_every_level(
    simd_level: str, func: Any, n: int, nrows: int, temperature: float
) -> None:
    x = _rows(n, nrows, 8.0, seed=n * 7 + nrows)
    assert _worst_vs_mpmath(func, x, temperature) <= FAST_ULPS


def test_fast_wide_range_rows(simd_level: str) -> None:
    # Logits spread over hundreds of units: many exps underflow, some are subnormal.
    x = _rows(700, 2, 40.0, seed=3)
    for func in TRANSFORMS:
        assert _worst_vs_mpmath(func, x, 1.0) <= FAST_ULPS


@pytest.mark.parametrize("temperature", [1.0, 0.7])
def test_fast_whole_vectors_near_the_underflow(simd_level: str, temperature: float) -> None:
    # Sorted logits 80 to 104 below the max: whole vectors of 8 or 16 lanes lie above, across
    # and below the bound (d = -86) from which AVX2 adds k to the exponent bits instead of
    # scaling in two steps, and their exps are normal, subnormal or 0 in float32. The first
    # entries keep log(S) far from 0 (a float64 sum cannot hold 1 + 1e-35).
    d = np.linspace(-80.0, -104.0, 1020) * temperature
    x = np.concatenate([[0.0, -0.5, -1.0, -2.0], d]).astype(np.float32)[None, :]
    for func in TRANSFORMS:
        assert _worst_vs_mpmath(func, x, temperature) <= FAST_ULPS


def test_fast_kernel_runs_where_the_level_has_one(simd_level: str) -> None:
    # The fast kernel rounds differently from the exact one somewhere in a long row; the
    # baseline level has none and gives the exact result bit for bit.
    core = _simd.core
    assert core is not None
    assert core.has_fast() == (simd_level != "baseline")
    assert show_config(quiet=True)["fast_float32"] == (simd_level != "baseline")
    assert core.has_fast_log() == (simd_level == "avx2")  # AVX-512: the exact one is faster
    assert show_config(quiet=True)["fast_log_softmax"] == (simd_level == "avx2")
    x = _rows(4096, 4, 5.0, seed=11)
    same = np.array_equal(softmax(x, precision="fast"), softmax(x))
    assert same == (simd_level == "baseline")


@pytest.mark.parametrize("func", TRANSFORMS)
def test_fast_special_values_as_exact(simd_level: str, func: Any) -> None:
    inf, nan = np.inf, np.nan
    base = np.linspace(-3.0, 3.0, 40, dtype=np.float32)
    x = np.tile(base, (8, 1))
    x[0, 5] = nan  # NaN anywhere: the row is NaN
    x[1, 7] = inf  # +inf: NaN
    x[2, :] = -inf  # all -inf: NaN
    x[3, ::3] = -inf  # -inf entries: probability 0 / log-probability -inf
    x[4, :] = 3.0e38  # huge equal logits: uniform
    x[5, 0], x[5, 1] = 3.0e38, -3.0e38  # a difference that overflows float32: exp 0
    x[6, :] = 0.0
    x[6, 9] = 1.0e-30  # a tiny max
    exact, fast = func(x), func(x, precision="fast")
    np.testing.assert_array_equal(np.isnan(fast), np.isnan(exact))
    np.testing.assert_array_equal(np.isneginf(fast), np.isneginf(exact))
    np.testing.assert_array_equal(fast == 0.0, exact == 0.0)
    ok = np.isfinite(exact) & (exact != 0.0)
    np.testing.assert_allclose(fast[ok], exact[ok], rtol=4 * 2.0**-23)


def test_fast_tiny_and_huge_temperatures(simd_level: str) -> None:
    # 1/T outside [2**-100, 2**100] runs the exact kernel: one-hot, never NaN.
    x = _rows(200, 2, 3.0, seed=5)
    for t in (1e-35, 1e35):
        np.testing.assert_array_equal(
            softmax(x, temperature=t, precision="fast"), softmax(x, temperature=t)
        )


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 300),
    shift=st.sampled_from([0.0, 1.0, -37.5, 1000.0]),
    seed=st.integers(0, 2**16),
)
def test_fast_sums_and_agreement_with_exact(n: int, shift: float, seed: int) -> None:
    x = _rows(n, 3, 6.0, seed)
    p = softmax(x, precision="fast")
    sums = p.astype(np.float64).sum(axis=-1)
    # each p within 4 ulp <= 4 * 2**-23 p: the sum within 4 * 2**-23 of 1 whatever n
    np.testing.assert_allclose(sums, 1.0, rtol=0, atol=4 * 2.0**-23)
    # A shifted input (x + shift rounds in float32): fast within 4 ulp-sized steps of exact.
    xs = x + np.float32(shift)
    q = softmax(xs, precision="fast")
    np.testing.assert_allclose(q, softmax(xs), rtol=8 * 2.0**-24, atol=1e-44)
