"""Invariants of the softmax family, checked with hypothesis (derandomized: fixed examples)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from softmaxlab import log_softmax, logsumexp, softmax

SETTINGS = settings(derandomize=True, max_examples=150, deadline=None)
DTYPES = st.sampled_from([np.float16, np.float32, np.float64])


@st.composite
def rows(draw: st.DrawFn, max_size: int = 60) -> np.ndarray:
    """A finite 1-D row of a random float dtype, anywhere in the dtype's range."""
    dtype = draw(DTYPES)
    width: Any = np.dtype(dtype).itemsize * 8
    n = draw(st.integers(1, max_size))
    elements = st.floats(allow_nan=False, allow_infinity=False, width=width)
    return draw(arrays(dtype, n, elements=elements))


@st.composite
def integer_rows(draw: st.DrawFn) -> tuple[np.ndarray, float]:
    """A row of integer-valued floats and an integer shift such that x + c is exact."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    bound = 2**20 if dtype is np.float32 else 2**40
    n = draw(st.integers(1, 40))
    x = draw(arrays(np.int64, n, elements=st.integers(-bound, bound))).astype(dtype)
    c = float(draw(st.integers(-bound, bound)))
    return x, c


@SETTINGS
@given(rows())
def test_sums_to_one_within_eps(x: np.ndarray) -> None:
    p = softmax(x)
    assert p.dtype == x.dtype
    assert (p >= 0).all() and (p <= 1).all()
    assert abs(math.fsum(p.astype(np.float64).tolist()) - 1.0) <= np.finfo(x.dtype).eps


@SETTINGS
@given(integer_rows())
def test_shift_invariance(xc: tuple[np.ndarray, float]) -> None:
    x, c = xc
    shifted = x + x.dtype.type(c)  # exact: integers well inside the significand
    assert np.array_equal(shifted - x.dtype.type(c), x)
    np.testing.assert_array_equal(softmax(shifted), softmax(x))
    np.testing.assert_array_equal(log_softmax(shifted), log_softmax(x))
    np.testing.assert_array_max_ulp(logsumexp(shifted), logsumexp(x) + x.dtype.type(c), 1)


@SETTINGS
@given(rows())
@example(np.array([1.79769313e308, -2.99327320e292]))  # found by CI: log-probability overflows
def test_exp_log_softmax_is_softmax(x: np.ndarray) -> None:
    lp = log_softmax(x).astype(np.float64)
    p = softmax(x).astype(np.float64)
    eps = float(np.finfo(x.dtype).eps)
    tiny = float(np.finfo(x.dtype).smallest_subnormal)
    # lp is within 2 ulps (floored at eps) and p within 6: exp turns an absolute error of lp
    # into a relative one.
    # Where lp is -inf (a log-probability that overflows, e.g. -1.8e308 - 3e292) p must be 0
    # exactly; inf * 0 would make the tolerance NaN there.
    with np.errstate(invalid="ignore"):  # the inf * 0 that np.where then discards
        scale = np.where(np.isfinite(lp), np.maximum(1.0, np.abs(lp)) * p, 0.0)
    tol = 8 * eps * scale + tiny
    with np.errstate(under="ignore"):
        assert (np.abs(np.exp(lp) - p) <= tol).all()


@SETTINGS
@given(rows(), st.data())
def test_where_equals_indexing(x: np.ndarray, data: st.DataObject) -> None:
    mask = data.draw(arrays(np.bool_, x.shape))
    mask[data.draw(st.integers(0, x.size - 1))] = True
    poisoned = np.where(mask, x, np.array(np.nan, x.dtype))
    p = softmax(poisoned, where=mask)
    lp = log_softmax(poisoned, where=mask)
    np.testing.assert_array_max_ulp(p[mask], softmax(x[mask]), 1)
    np.testing.assert_array_max_ulp(lp[mask], log_softmax(x[mask]), 1)
    assert (p[~mask] == 0).all() and (lp[~mask] == -np.inf).all()
    np.testing.assert_array_max_ulp(logsumexp(poisoned, where=mask), logsumexp(x[mask]), 1)


@SETTINGS
@given(rows())
def test_logsumexp_between_max_and_max_plus_log_n(x: np.ndarray) -> None:
    lse = logsumexp(x)
    assert lse.dtype == x.dtype
    m = x.max()
    assert lse >= m
    hi = float(m) + math.log(x.size)
    fi = np.finfo(x.dtype)
    assert float(lse) <= hi + 2 * float(fi.eps) * abs(hi) + float(fi.smallest_subnormal)


@SETTINGS
@given(rows(), st.randoms(use_true_random=False))
def test_order_equivariance(x: np.ndarray, rnd: object) -> None:
    perm = np.arange(x.size)
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    np.testing.assert_array_max_ulp(softmax(x[perm]), softmax(x)[perm], 1)
    np.testing.assert_array_max_ulp(log_softmax(x[perm]), log_softmax(x)[perm], 1)
    np.testing.assert_array_max_ulp(logsumexp(x[perm]), logsumexp(x), 1)
