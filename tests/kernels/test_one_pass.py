"""The one-pass (max, sum) of long rows (``maxsum32`` / ``maxsum64`` in ``kernels.inc``)
against mpmath, next to the two-pass path on the same rows.

Rows of at least ``_online_min()`` entries (16384 by default) find their max and their sum of
exps in one read: block by block (2048 entries), each block's max, then its exps against it,
merged into the running sum as the max grows. float32 log_softmax and cross-entropy take it
on every level; float64 softmax, log_softmax and cross-entropy on AVX-512 (elsewhere the switch
leaves float64 on the two passes). The private switch ``_online_min`` lowers the threshold so
that rows of 4500 entries (two whole blocks and a partial one) take each path in turn. The
exact values are formed in mpmath once and kept as double-doubles (hi + lo), against which
the errors are measured in NumPy (the error of that measure is below 2**-50 ulp).

The rows are chosen for the merge: a max that grows in every block (sorted rows), blocks of
-inf only, the max repeated in two blocks (the count of maxima of cross-entropy), terms that
underflow against the row's max, a temperature, and NaN, +inf or all -inf rows (NaN out, the
same on both paths). Bounds are the library's: float32 1 ulp; float64 softmax 6, log_softmax
2 (floored at eps); the cross-entropy loss 1 (float32) and 3 (float64) ulps.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import softmaxlab as sl
from tests._support.mpref import (
    double_double,
    max_ulp_error_dd,
    ref_cross_entropy_rows,
    ref_softmax_family,
)
from tests.kernels.test_exp_t16 import _core

N = 4500
NEVER = 1 << 62
SM_ULPS = {np.float32: 1.0, np.float64: 6.0}
LSM_ULPS = {np.float32: 1.0, np.float64: 2.0}
CE_ULPS = {np.float32: 1.0, np.float64: 3.0}
DTYPES = [np.float32, np.float64]


def _rows(dtype: Any) -> np.ndarray:
    rng = np.random.default_rng(11)
    x = rng.normal(0.0, 4.0, (8, N))
    x[1] = np.sort(x[1])  # the max grows in every block
    x[2] = np.sort(x[2])[::-1]  # the max in the first block
    x[3, :2048] = -np.inf  # a whole block of -inf, then finite entries
    x[4, : N // 2] = -1e3 + x[4, : N // 2]  # exps underflow against the row's max
    x[5, -1] = x[5].max() + 3.0  # the max in the last entry
    x[6, 10] = x[6, 3000] = x[6].max() + 2.0  # the max twice, in two blocks
    x[7] = np.linspace(0.0, 1e-3, N)  # factors close to 1
    return x.astype(dtype)


def _special_rows(dtype: Any) -> np.ndarray:
    rng = np.random.default_rng(12)
    x = rng.normal(0.0, 4.0, (4, N))
    x[0, -5] = np.nan  # NaN in the last block
    x[1, 2500] = np.inf  # +inf in the middle block
    x[2] = -np.inf  # every entry -inf
    x[3, :2048] = -np.inf  # a block of -inf, then NaN
    x[3, 4000] = np.nan
    return x.astype(dtype)


@functools.cache
def _ref_rows(dtype: Any, temperature: float) -> list[tuple[Any, Any]]:
    """(softmax, log_softmax) of each row as double-doubles."""
    out = []
    for row in _rows(dtype):
        sm, lsm, _ = ref_softmax_family(row, temperature)
        out.append((double_double(sm), double_double(lsm)))
    return out


def _targets() -> np.ndarray:
    return np.array([3, N - 1, 0, 3000, 100, N - 1, 10, 2222])


@functools.cache
def _ref_ce(dtype: Any, smooth: bool) -> tuple[Any, np.ndarray | None, float]:
    x = _rows(dtype)
    w = np.random.default_rng(13).uniform(0.2, 3.0, N) if smooth else None
    eps = 0.2 if smooth else 0.0
    losses, _, _ = ref_cross_entropy_rows(x, _targets(), w, eps)
    return double_double(losses), w, eps


@pytest.fixture(params=["one-pass", "two-pass"])
def path(request: pytest.FixtureRequest, simd_level: str) -> Iterator[str]:
    """Each row of 9000 entries through the one-pass (threshold 1) or the two passes."""
    core = _core()
    old = core._online_min(1 if request.param == "one-pass" else NEVER)
    try:
        yield request.param
    finally:
        core._online_min(old)


@pytest.mark.parametrize("temperature", [1.0, 0.37])
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_softmax_and_log_softmax_against_mpmath(dtype, temperature, path):
    x = _rows(dtype)
    sm = sl.softmax(x, temperature=temperature, backend="compiled")
    lsm = sl.log_softmax(x, temperature=temperature, backend="compiled")
    for i, (rsm, rlsm) in enumerate(_ref_rows(dtype, temperature)):
        assert max_ulp_error_dd(sm[i], rsm, dtype) <= SM_ULPS[dtype], (path, i)
        assert max_ulp_error_dd(lsm[i], rlsm, dtype, floor_at_eps=True) <= LSM_ULPS[dtype], (
            path,
            i,
        )
    assert (sm[3, :2048] == 0).all() and (lsm[3, :2048] == -np.inf).all()


@pytest.mark.parametrize("smooth", [False, True], ids=["plain", "weight+smooth"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_cross_entropy_loss_against_mpmath(dtype, smooth, path):
    x = _rows(dtype)
    losses, w, eps = _ref_ce(dtype, smooth)
    got = sl.cross_entropy(
        x, _targets(), weight=w, label_smoothing=eps, reduction="none", backend="compiled"
    )
    kept = np.arange(8) != 3  # the reference takes no -inf logit; row 3 against the NumPy path
    assert (
        max_ulp_error_dd(got[kept], (losses[0][kept], losses[1][kept]), dtype) <= CE_ULPS[dtype]
    ), path
    ref3 = sl.cross_entropy(
        x[3:4], _targets()[3:4], weight=w, label_smoothing=eps, reduction="none", backend="numpy"
    )
    # Row 3's loss is finite without smoothing, +inf with it (eps w_c (x_c - m) at -inf).
    assert np.isfinite(got[3]) == (not smooth)
    assert (
        max_ulp_error_dd(got[3:4], (ref3.astype(np.float64), np.zeros(1)), dtype) <= CE_ULPS[dtype]
    ), path


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_special_rows_give_nan_on_both_paths(dtype, path):
    x = _special_rows(dtype)
    assert np.isnan(sl.softmax(x, backend="compiled")).all()
    assert np.isnan(sl.log_softmax(x, backend="compiled")).all()
    loss = sl.cross_entropy(x, np.zeros(4, np.int64), reduction="none", backend="compiled")
    assert np.isnan(loss).all()
    # The same rows on the reference path: the documented values agree.
    assert np.isnan(sl.softmax(x, backend="numpy")).all()


def test_the_switch_reports_and_checks_its_threshold():
    core = _core()
    old = core._online_min(None)
    assert old == 16384
    assert core._online_min(5) == old
    assert core._online_min(None) == 5
    core._online_min(old)
    with pytest.raises(ValueError, match="v must be >= 0"):
        core._online_min(-1)
    assert core._online_min(None) == old
