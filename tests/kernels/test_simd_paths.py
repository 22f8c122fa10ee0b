"""The intrinsics paths of the compiled core: the AVX-512 float64 table exp (``exp_t64.inc``)
and the AVX2 float32/float64 passes (``exp_avx2.inc``), against mpmath and on every tail
length of their vector loops.

``row_sum(d, 0.0, 1.0, store, 1)`` on a 1-D float64 row d <= 0 whose max is 0 stores exp(d) as
the float64 softmax passes compute it, and returns the sum of the terms as (cnt, hi, lo), the
sum being cnt + hi + lo: a count of maxima and a double-double of the other terms (or, on the
AVX-512 table path, 0 and a double-double of them all). The float64 exps are measured in mpmath
over a dense grid of d in [-745, 0] (normal and subnormal results) at every level: the AVX-512
table path to its analysis (<= 0.56 ulp rounded, exp + its lo part within 2**-57, as the sums
of rows [0, d, ...] show to within their own rounding),
the polynomial exp64 of the other levels (and of AVX-512 with the private switch off) to
1 ulp. The float32 and float64 softmax, log_softmax and logsumexp then run on rows of every
length 1..70 (every remainder of the 4-, 8- and 16-lane loops), with NaN, +inf and the max in
the last entries, at every level.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import mpmath
import numpy as np
import pytest

import softmaxlab as sl
from softmaxlab import kernels as K
from tests._support.mpref import max_ulp_error, ref_softmax_family, ulp_errors
from tests.kernels.test_exp_t16 import _core

T64_ULP = 0.56  # exp_t64.inc: 0.5 + 2 (2**-58 + 2**-58.5) / 2**-53 where the result is < 1
T64_DD = 2.0**-57
T64_ADD = 2.0**-106  # a rounding of the compensated sums' low parts (each below 2**-52)


@pytest.fixture(scope="module")
def exp_grid() -> tuple[np.ndarray, list[mpmath.mpf]]:
    rng = np.random.default_rng(0)
    d = np.concatenate(
        [
            np.linspace(-745.0, 0.0, 6001),
            -rng.exponential(2.0, 2000),
            -rng.uniform(0.0, 0.05, 1000),
            [-708.4, -708.3, -709.0, -744.4, -1e-300, -0.0],
        ]
    )
    with mpmath.workdps(40):
        ref = [mpmath.exp(mpmath.mpf(float(v))) for v in d]
    return d, ref


@pytest.fixture(params=[True, False], ids=["table", "polynomial"])
def table(request: pytest.FixtureRequest, simd_level: str) -> Iterator[bool]:
    """The private switch of the AVX-512 table exps (on and off); other levels run once."""
    core = _core()
    on = bool(request.param)
    if simd_level != "avx512":
        if not on:
            pytest.skip("only AVX-512 has a table exp to switch off")
        yield False
        return
    old = core._exp_table(on)
    try:
        yield on
    finally:
        core._exp_table(old)


def test_float64_exp_against_mpmath(exp_grid, table):
    core = _core()
    d, ref = exp_grid
    store = np.empty_like(d)
    core.row_sum(d, 0.0, 1.0, store, 1)
    err = ulp_errors(store, ref, np.float64)  # the subnormal spacing below 2**-1022
    normal = np.array([float(r) for r in ref]) >= np.finfo(np.float64).tiny
    assert float(err[normal].max()) <= (T64_ULP if table else 1.0)
    assert float(err[~normal].max()) <= 1.0  # a subnormal result rounds once more
    assert store[d == 0.0].tolist() == [1.0] * int(np.sum(d == 0.0))  # the maxima: exactly 1
    if not table:
        return
    worst = 0.0
    for i in range(0, d.size, 7):  # rows [0, d] and [0, d x 31]: cnt + hi + lo is 1 + k exp(d)
        for k in (1, 31):  # the vector loop's tail; its whole vectors
            [(cnt, hi, lo)] = core.row_sum(np.array([0.0] + [d[i]] * k), 0.0, 1.0, None, 1)
            with mpmath.workdps(60):
                got = mpmath.mpf(cnt) + mpmath.mpf(hi) + mpmath.mpf(lo)
                bound = k * T64_DD * ref[i] + (2 * k + 32) * T64_ADD  # 2 roundings a term, a lane
                err = abs(got - 1 - k * ref[i]) / bound
            worst = max(worst, float(err))
    assert worst <= 1.0


def _tail_rows(n: int, rng: np.random.Generator) -> np.ndarray:
    x = rng.normal(0.0, 4.0, (5, n))
    x[1, -1] = x[1].max() + 3.0  # the max in the last entry
    x[2, -1] = np.nan
    x[3, -1] = np.inf
    x[4, : n // 2] = -1e3  # exps far below the others (0 in float32)
    return x


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_every_tail_length(dtype, table):
    rng = np.random.default_rng(5)
    bounds = (1.0, 1.0, 1.0) if dtype == np.float32 else (6.0, 2.0, 1.1)
    for n in range(1, 71):
        x = _tail_rows(n, rng).astype(dtype)
        sm = K.softmax_rows(x)
        lsm = K.softmax_rows(x, log=True)
        lse = K.logsumexp_rows(x, fallback=lambda r: np.full(r.shape[0], np.nan, r.dtype))
        for i in (2, 3):  # a NaN or +inf in the row: NaN throughout
            assert np.isnan(sm[i]).all() and np.isnan(lsm[i]).all(), (n, i)
        assert np.isnan(lse[2]) and lse[3] == np.inf, n
        for i in (0, 1, 4):
            rsm, rlsm, rlse = ref_softmax_family(x[i])
            assert max_ulp_error(sm[i], rsm, dtype) <= bounds[0], (n, i)
            assert max_ulp_error(lsm[i], rlsm, dtype, floor_at_eps=True) <= bounds[1], (n, i)
            if not np.isnan(lse[i]):  # rows flagged for the fallback are not the kernel's
                assert max_ulp_error(lse[i : i + 1], [rlse], dtype) <= bounds[2], (n, i)


@functools.cache
def _confident_row(n: int, gap: float, spread: bool) -> tuple[np.ndarray, mpmath.mpf]:
    """A row whose max 0 stands ``gap`` (or gap to gap + 3) above all n - 1 others, and
    the exact log(sum(exp(x))) = log1p(s'), s' tiny: the cross-entropy loss of its max."""
    x = np.full(n, -gap)
    if spread:
        x -= np.random.default_rng(n).uniform(0.0, 3.0, n)
    x[0] = 0.0
    with mpmath.workdps(60):
        if spread:
            s1 = mpmath.fsum(mpmath.exp(mpmath.mpf(float(v))) for v in x[1:])
        else:
            s1 = (n - 1) * mpmath.exp(mpmath.mpf(-gap))
        return x, mpmath.log1p(s1)


@pytest.mark.parametrize("n", [1000, 5000, 40000])
def test_float64_sums_of_confident_rows(simd_level, n):
    """The float64 sums take a quick pass that keeps S = sum(exp(x - m)) to a part in 2**100
    but s' = S - 1 only to about n**2 2**-108 absolute; where s' is too small for that
    (below n 2**-28), they sum again exactly. logsumexp and the loss of the max are then
    log1p(s') itself, to 1.1 and 2 ulps (without the second sum: up to 101 ulps here)."""
    for gap in (38.0, 45.0, 60.0):
        for spread in (False, True):
            x, ref = _confident_row(n, gap, spread)
            lse = sl.logsumexp(x)
            loss = sl.cross_entropy(x[None, :], np.array([0]), reduction="none")
            assert max_ulp_error(np.array([lse]), [ref], np.float64) <= 1.1, (gap, spread)
            assert max_ulp_error(loss, [ref], np.float64) <= 2.0, (gap, spread)
