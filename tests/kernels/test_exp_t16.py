"""The exp of the float32 softmax passes (table-driven on AVX-512) against mpmath.

``_core._exp32`` runs the exp the running level's float32 softmax / log_softmax passes use:
on AVX-512 the 16-entry table with a degree-3 polynomial (``_simd/exp_t16.inc``, designed for
a relative error below 2**-29.2), elsewhere (and on AVX-512 with the private switch
``_core._exp_table(False)``) the polynomial exp32 (below 2**-33). Both are measured here in
mpmath over a dense grid of d in [-104, 0] (the float32 range of x - max, and a little more),
and float32 softmax / log_softmax through the table are held to the tighter ulp bounds the
error analysis gives (0.56 and 0.54 ulp) on rows of every tail length, with a temperature, and
on one row longer than the exp store.
"""

from __future__ import annotations

from collections.abc import Iterator

import mpmath
import numpy as np
import pytest

from softmaxlab import _simd
from softmaxlab import kernels as K
from tests._support.mpref import max_ulp_diff, max_ulp_error, ref_softmax_family

T16_BOUND = 2.0**-29.2  # the analysis of exp_t16.inc
EXP32_BOUND = 2.0**-33


def _core():
    core = _simd.core
    if core is None:
        pytest.fail(f"the compiled core is not loaded: {_simd.load_error}")
    return core


@pytest.fixture
def avx512_table() -> Iterator[None]:
    """The AVX-512 level with its table exp (skipped, like the ``simd_level`` fixture, only
    where the CPU lacks AVX-512)."""
    core = _core()
    if "avx512" not in core.supported_levels():
        pytest.skip("this CPU does not support the 'avx512' SIMD level")
    old = _simd._set_level("avx512")
    prev = core._exp_table(True)
    try:
        yield
    finally:
        core._exp_table(prev)
        _simd._set_level(old)


def _grid() -> np.ndarray:
    """A dense grid of [-104, 0]: 60001 even points, both ends, and 20000 random ones."""
    rng = np.random.default_rng(7)
    d = np.concatenate(
        [np.linspace(-104.0, 0.0, 60001), -104.0 * rng.random(20000), [-0.0, -1e-300, -5e-324]]
    )
    return d


@mpmath.workprec(80)
def _max_rel_error(d: np.ndarray, got: np.ndarray) -> float:
    worst = mpmath.mpf(0)
    for di, gi in zip(d.tolist(), got.tolist(), strict=True):
        ref = mpmath.exp(mpmath.mpf(di))
        worst = max(worst, abs((mpmath.mpf(gi) - ref) / ref))
    return float(worst)


def _exp32(d: np.ndarray) -> np.ndarray:
    out = np.empty_like(d)
    _core()._exp32(d, out)
    return out


def test_table_exp_relative_error_in_mpmath(avx512_table):
    d = _grid()
    err = _max_rel_error(d, _exp32(d))
    assert err <= T16_BOUND, err
    assert err > 2.0**-33  # really the table exp (a short polynomial), not exp32


def test_exp32_relative_error_in_mpmath_every_level(simd_level):
    core = _core()
    prev = core._exp_table(False)
    try:
        d = _grid()
        assert _max_rel_error(d, _exp32(d)) <= EXP32_BOUND
    finally:
        if prev is not None:
            core._exp_table(prev)


def test_exp_table_switch_only_on_avx512(simd_level):
    core = _core()
    state = core._exp_table(None)
    assert (state is None) == (simd_level != "avx512")


def test_table_exp_special_points(avx512_table):
    d = np.array([0.0, -0.0, -1e-20, -700.0, -745.0, -1e300, -np.inf, -1e-310])
    got = _exp32(d)
    assert got[0] == 1.0 and got[1] == 1.0  # the maxima count exactly 1
    assert got[2] == 1.0  # exp(-1e-20) rounds to 1
    assert got[-1] == 1.0
    e700 = float(mpmath.exp(-700))
    assert abs(got[3] / e700 - 1.0) <= T16_BOUND
    # below -700: exp(-700) (not 0), which no float32 result built from it can see
    assert np.all(got[4:7] == got[3])


def test_table_exp_every_length_and_alignment(avx512_table):
    """Masked tails: lengths 0..40 at offsets 0..3 give the same values as the full array."""
    base = -np.linspace(0.0, 30.0, 64)
    full = _exp32(base)
    for off in range(4):
        for n in range(41):
            part = base[off : off + n].copy()
            assert np.array_equal(_exp32(part), full[off : off + n])


def _rows() -> Iterator[tuple[np.ndarray, float]]:
    rng = np.random.default_rng(3)
    for n in [*range(33, 50), 127, 128, 129, 1000, 4099]:
        for scale in (1.0, 10.0):
            yield (rng.standard_normal(n) * scale).astype(np.float32), 1.0
    for t in (0.37, 3.0):
        yield (rng.standard_normal(300) * 5).astype(np.float32), t


def test_float32_softmax_through_the_table_within_the_analysis(avx512_table):
    """softmax <= 0.56 ulp and log_softmax <= 0.54 ulp (floored at eps) against mpmath."""
    worst_sm = worst_lsm = 0.0
    for row, t in _rows():
        sm, lsm, _ = ref_softmax_family(row, t)
        x = row[None, :]
        worst_sm = max(worst_sm, max_ulp_error(K.softmax_rows(x, temperature=t), sm, np.float32))
        got = K.softmax_rows(x, temperature=t, log=True)
        worst_lsm = max(worst_lsm, max_ulp_error(got, lsm, np.float32, floor_at_eps=True))
    assert worst_sm <= 0.56, worst_sm
    assert worst_lsm <= 0.54, worst_lsm
    assert worst_sm > 0.5  # the bound is not met by a coarser rounding check


def test_float32_long_row_through_the_table(avx512_table):
    """A row longer than the exp store (2**18): the sum pass and the write pass recompute the
    exp; against a long double reference (error ~2**-63, far below what is measured)."""
    rng = np.random.default_rng(11)
    row = (rng.standard_normal(2**18 + 13) * 4).astype(np.float32)
    xl = row.astype(np.longdouble)
    e = np.exp(xl - xl.max())
    s = e.sum()
    ref_sm = (e / s).astype(np.float64)
    ref_lsm = ((xl - xl.max()) - np.log(s)).astype(np.float64)
    got = K.softmax_rows(row[None, :])[0]
    assert max_ulp_diff(got, ref_sm, np.float32) <= 0.56
    got = K.softmax_rows(row[None, :], log=True)[0]
    assert max_ulp_diff(got, ref_lsm, np.float32, floor_at_eps=True) <= 0.54


def test_table_on_and_off_agree_to_an_ulp(avx512_table):
    """Same rows through both exps of the AVX-512 level: results differ by at most 1 ulp."""
    core = _core()
    rng = np.random.default_rng(5)
    x = (rng.standard_normal((64, 1000)) * 3).astype(np.float32)
    new = K.softmax_rows(x)
    core._exp_table(False)
    old = K.softmax_rows(x)
    core._exp_table(True)
    assert max_ulp_diff(new, old.astype(np.float64), np.float32) <= 1.0
    assert not np.array_equal(new, old)  # the switch really changes the exp
