"""Short float64 rows (<= 32 classes, the kernels that vectorise across rows) on every class
count 1..32, against mpmath and the baseline level, at every SIMD level.

The AVX2 level runs them in intrinsics (``short64_avx2.inc``: 8 rows per block, 4 x 4 register
transposes, masked loads and stores at the class tails), AVX-512 with its table exp, the
baseline level in portable C. Every class count covers every tail of the 4- and 8-class tiles;
27 rows end in a partial block of 8 (AVX2, AVX-512) and of 16 (baseline). Special rows are
mixed in (NaN, +inf, all -inf, some -inf, a huge offset that ``x - max`` must absorb exactly,
a dominant logit). Bounds: softmax 6 ulps, log_softmax 2 (floored at eps), logsumexp 1.1, as
README; the cross-entropy loss per sample 3 ulps and its gradient 4 ulps of the row's scale
(``tests/kernels/test_ce_accuracy.py``'s measures), with class weights, label smoothing and
ignored samples.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pytest

import softmaxlab as sl
from softmaxlab import _simd
from softmaxlab import kernels as K
from tests._support.mpref import max_ulp_error, ref_cross_entropy_rows, ref_softmax_family
from tests.kernels.test_ce_accuracy import _grad_row_ulps

ROWS = 27
CLASSES = list(range(1, 33))
BAD = (1, 2, 3)  # NaN, +inf, all -inf: NaN rows


def _rows(n: int) -> np.ndarray:
    rng = np.random.default_rng(zlib.crc32(f"short64 {n}".encode()))
    x = rng.standard_normal((ROWS, n)) * rng.uniform(0.1, 30.0, (ROWS, 1))
    x[1, n // 2] = np.nan
    x[2, n - 1] = np.inf
    x[3, :] = -np.inf
    x[4, 0] = -np.inf  # some -inf entries: exactly 0 / -inf (a one-class row stays bad)
    x[5, :] += 1e6  # x - max formed exactly
    x[6, n - 1] = x[6].max() + 40.0  # one dominant logit, in the last (tail) class
    x[26, 0] = x[26].max() + 25.0  # ... and in the partial block
    return x


def _normal_rows(x: np.ndarray) -> list[int]:
    return [
        i
        for i in range(ROWS)
        if np.isfinite(x[i]).any() and not np.isnan(x[i]).any() and not np.isposinf(x[i]).any()
    ]


@pytest.mark.parametrize("temperature", [1.0, 0.3], ids=["t1", "t0.3"])
def test_softmax_family_every_class_count(temperature: float, simd_level: str) -> None:
    worst = [0.0, 0.0, 0.0]
    for n in CLASSES:
        x = _rows(n)
        with np.errstate(all="ignore"):
            sm = K.softmax_rows(x, temperature=temperature)
            lsm = K.softmax_rows(x, temperature=temperature, log=True)
            lse = K.logsumexp_rows(x, fallback=lambda r: np.full(r.shape[0], np.nan))
        normal = _normal_rows(x)
        for i in range(ROWS):
            if i not in normal:
                assert np.isnan(sm[i]).all() and np.isnan(lsm[i]).all(), (n, i)
                continue
            assert not np.isnan(sm[i]).any() and not np.isnan(lsm[i]).any(), (n, i)
            ninf = np.isneginf(x[i])
            assert (sm[i][ninf] == 0.0).all() and (lsm[i][ninf] == -np.inf).all(), (n, i)
            rsm, rlsm, rlse = ref_softmax_family(x[i], temperature)
            worst[0] = max(worst[0], max_ulp_error(sm[i], rsm, np.float64))
            worst[1] = max(worst[1], max_ulp_error(lsm[i], rlsm, np.float64, floor_at_eps=True))
            if temperature == 1.0 and not np.isnan(lse[i]):  # flagged rows: the fallback's
                worst[2] = max(worst[2], max_ulp_error(lse[i : i + 1], [rlse], np.float64))
    assert worst[0] <= 6.0 and worst[1] <= 2.0 and worst[2] <= 1.1, worst


def test_same_special_values_and_close_values_as_the_baseline_level(simd_level: str) -> None:
    """The level's results against the portable baseline's (an independent implementation: no
    intrinsics, no fused multiply-add): the same NaN, 0 and -inf entries, values within a few
    ulps; and in place (``out`` is ``x``) the same values as into a new array."""
    for n in CLASSES:
        x = _rows(n)
        for log in (False, True):
            with np.errstate(all="ignore"):
                got = K.softmax_rows(x, log=log)
                old = _simd._set_level("baseline")
                try:
                    want = K.softmax_rows(x, log=log)
                finally:
                    _simd._set_level(old)
                inplace = x.copy()
                K.softmax_rows(inplace, log=log, out=inplace)
            np.testing.assert_array_equal(inplace, got)
            for special in (np.isnan, lambda a: a == 0.0, np.isneginf):
                np.testing.assert_array_equal(special(got), special(want))
            ok = np.isfinite(want) & (want != 0.0)
            rel = np.abs(got[ok] - want[ok]) / np.maximum(np.abs(want[ok]), 2.0**-52)
            assert rel.max(initial=0.0) <= 8 * 2.0**-52, (n, log, rel.max())


@pytest.mark.parametrize(
    "weighted, eps", [(False, 0.0), (True, 0.2)], ids=["plain", "weight+smooth"]
)
def test_cross_entropy_every_class_count(weighted: bool, eps: float, simd_level: str) -> None:
    worst_loss = worst_grad = 0.0
    for n in CLASSES:
        rng = np.random.default_rng(zlib.crc32(f"short64 ce {n} {weighted}".encode()))
        x = rng.standard_normal((ROWS, n)) * 4.0
        x[0, :] += 1e3
        t = rng.integers(0, n, ROWS)
        t[[7, 20]] = -100  # ignored samples: zero parts and gradient rows
        x[8, t[8]] = x[8].max() + 30.0  # a dominant target: the gradient cancels
        w = rng.uniform(0.2, 3.0, n) if weighted else np.ones(n)
        kw: dict[str, Any] = {"label_smoothing": eps}
        if weighted:
            kw["weight"] = w
        loss, grad = sl.cross_entropy_and_grad(x, t, reduction="none", backend="compiled", **kw)
        sgrad = sl.cross_entropy_grad(x, t, reduction="sum", backend="compiled", **kw)
        np.testing.assert_array_equal(
            sl.cross_entropy(x, t, reduction="none", backend="compiled", **kw), loss
        )
        losses, grads, scales = ref_cross_entropy_rows(x, t, w, eps)
        worst_loss = max(worst_loss, max_ulp_error(loss, losses, np.float64))
        worst_grad = max(worst_grad, _grad_row_ulps(sgrad, grads, scales, np.float64))
        # A NaN, +inf or all -inf row: NaN parts and gradient; the other rows unchanged.
        xb = x.copy()
        xb[3, n // 2], xb[4, n - 1], xb[5, :] = np.nan, np.inf, -np.inf
        bl, bg = sl.cross_entropy_and_grad(xb, t, reduction="none", backend="compiled", **kw)
        assert np.isnan(bl[3:6]).all() and np.isnan(bg[3:6]).all(), n
        keep = [i for i in range(ROWS) if i not in (3, 4, 5)]
        np.testing.assert_array_equal(bl[keep], loss[keep])
        np.testing.assert_array_equal(bg[keep], grad[keep])
    assert worst_loss <= 3.0 and worst_grad <= 4.0, (worst_loss, worst_grad)
