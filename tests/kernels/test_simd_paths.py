"""The intrinsics paths of the compiled core: the AVX-512 float64 table exp (``exp_t64.inc``)
and the AVX2 float32/float64 passes (``exp_avx2.inc``), against mpmath and on every tail
length of their vector loops.

``row_sum(d, 0.0, 1.0, store)`` on a 1-D float64 row d <= 0 whose max is 0 stores exp(d) as
the float64 softmax passes compute it, and returns the sum of the terms below the max as a
double-double (hi, lo): the exp itself, then, for a one-entry row. The float64 exps are
measured in mpmath over a dense grid of d in [-745, 0] (normal and subnormal results) at every
level: the AVX-512 table path to its analysis (<= 0.56 ulp rounded, hi + lo within 2**-57),
the polynomial exp64 of the other levels (and of AVX-512 with the private switch off) to
1 ulp. The float32 and float64 softmax, log_softmax and logsumexp then run on rows of every
length 1..70 (every remainder of the 4-, 8- and 16-lane loops), with NaN, +inf and the max in
the last entries, at every level.
"""

from __future__ import annotations

from collections.abc import Iterator

import mpmath
import numpy as np
import pytest

from softmaxlab import kernels as K
from tests._support.mpref import max_ulp_error, ref_softmax_family, ulp_errors
from tests.kernels.test_exp_t16 import _core

T64_ULP = 0.56  # exp_t64.inc: 0.5 + 2 (2**-58 + 2**-58.5) / 2**-53 where the result is < 1
T64_DD = 2.0**-57


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
    core.row_sum(d, 0.0, 1.0, store)
    err = ulp_errors(store, ref, np.float64)  # the subnormal spacing below 2**-1022
    normal = np.array([float(r) for r in ref]) >= np.finfo(np.float64).tiny
    assert float(err[normal].max()) <= (T64_ULP if table else 1.0)
    assert float(err[~normal].max()) <= 1.0  # a subnormal result rounds once more
    assert store[d == 0.0].tolist() == [1.0] * int(np.sum(d == 0.0))  # the maxima: exactly 1
    if not table:
        return
    worst = 0.0
    for i in range(0, d.size, 7):  # one-entry rows below the max: hi + lo is the exp
        if d[i] < -700.0:  # lo vanishes near the subnormal range
            continue
        _, hi, lo = core.row_sum(np.array([0.0, d[i]]), 0.0, 1.0, None)
        with mpmath.workdps(40):
            rel = abs((mpmath.mpf(hi) + mpmath.mpf(lo)) / ref[i] - 1) if d[i] < 0 else 0
        worst = max(worst, float(rel))
    assert worst <= T64_DD


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
