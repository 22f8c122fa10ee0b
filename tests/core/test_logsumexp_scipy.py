"""logsumexp against scipy.special.logsumexp: ``b`` (negative, zero with inf/NaN),
``return_sign``, ``keepdims``, axis tuples, complex input; and ``b`` against mpmath."""

from __future__ import annotations

import warnings
from typing import Any

import mpmath
import numpy as np
import pytest
from scipy.special import logsumexp as scipy_logsumexp

from softmaxlab import logsumexp
from tests._support.mpref import max_ulp_error, ref_logsumexp_b

AXES = [None, 0, 1, -1, (0, 2), (2, 0, 1)]


def _scipy(*args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return scipy_logsumexp(*args, **kwargs)


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("b_kind", ["none", "positive", "mixed", "broadcast"])
def test_real_matches_scipy(axis: Any, keepdims: bool, b_kind: str) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 5)) * 4
    b = {
        "none": None,
        "positive": rng.uniform(0.1, 3.0, x.shape),
        "mixed": rng.uniform(-1.0, 3.0, x.shape),
        "broadcast": rng.uniform(-1.0, 3.0, (1, 5)),
    }[b_kind]
    got, gsign = logsumexp(x, axis=axis, b=b, keepdims=keepdims, return_sign=True)
    want, wsign = _scipy(x, axis=axis, b=b, keepdims=keepdims, return_sign=True)
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)
    np.testing.assert_array_equal(gsign, wsign)
    plain = logsumexp(x, axis=axis, b=b, keepdims=keepdims)
    np.testing.assert_allclose(plain, _scipy(x, axis=axis, b=b, keepdims=keepdims), rtol=1e-13)


@pytest.mark.parametrize(
    ("x", "b"),
    [
        ([np.inf, 1.0], [0.0, 1.0]),  # b = 0 removes the term, even inf or NaN
        ([np.nan, 1.0], [0.0, 1.0]),
        ([-np.inf, 1.0], [0.0, 2.0]),
        ([0.0, 0.0], [1.0, -1.0]),  # exact cancellation: -inf, sign 0
        ([1.0, 2.0], [1.0, -1.0]),  # negative sum: NaN without return_sign
        ([np.inf, np.inf], [1.0, -1.0]),  # inf - inf: NaN
        ([np.inf, 1.0], [-1.0, 1.0]),  # -inf sum: log|.| = inf, sign -1
        ([np.nan, np.inf], None),
        ([-np.inf, -np.inf], None),
        ([np.inf, 3.0], None),
        ([700.0, 700.0, -1.0], [1.0, -1.0, 1.0]),
    ],
)
def test_special_values_match_scipy(x: list[float], b: list[float] | None) -> None:
    for return_sign in (False, True):
        got = logsumexp(x, b=b, return_sign=return_sign)
        want = _scipy(np.array(x), b=b, return_sign=return_sign)
        np.testing.assert_allclose(got, want, rtol=1e-15)


def test_all_b_zero_is_an_empty_sum() -> None:
    # Documented: b = 0 terms add nothing, so an all-zero b is an empty sum (-inf, sign 0)
    # even where x is inf. (scipy 1.17 returns NaN here when an x is inf.)
    assert logsumexp([np.inf, 1.0], b=[0.0, 0.0]) == -np.inf
    assert logsumexp([np.inf, 1.0], b=[0.0, 0.0], return_sign=True) == (-np.inf, 0.0)
    assert logsumexp([2.0, 1.0], b=[0.0, 0.0]) == _scipy([2.0, 1.0], b=[0.0, 0.0])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dtype_matches_scipy(dtype: Any) -> None:
    x = np.array([[1.0, 2.0], [3.0, -1.0]], dtype)
    got = logsumexp(x, axis=1)
    want = _scipy(x, axis=1)
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=np.finfo(dtype).eps)
    b = np.array([1.0, -0.5], np.float32)
    assert logsumexp(x, axis=1, b=b).dtype == np.result_type(dtype, np.float32)


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("with_b", [False, True])
def test_complex_matches_scipy(axis: Any, with_b: bool) -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 6)) * 3 + 1j * rng.uniform(-10, 10, (4, 6))
    b = rng.uniform(-2, 2, (4, 6)) if with_b else None
    got = logsumexp(x, axis=axis, b=b)
    want = _scipy(x, axis=axis, b=b)
    # Imaginary parts are angles: compare them on the circle.
    np.testing.assert_allclose(np.real(got), np.real(want), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(np.exp(1j * np.imag(got)), np.exp(1j * np.imag(want)), atol=1e-12)
    assert np.all(np.abs(np.imag(got)) <= np.pi)
    res, sgn = logsumexp(x, axis=axis, b=b, return_sign=True)
    wres, wsgn = _scipy(x, axis=axis, b=b, return_sign=True)
    assert np.isrealobj(res)
    np.testing.assert_allclose(res, wres, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(sgn, wsgn, atol=1e-13)


def test_complex_large_and_special() -> None:
    x = np.array([1000 + 4j, 999 - 3j])
    np.testing.assert_allclose(logsumexp(x), _scipy(x), rtol=1e-15)
    res, sgn = logsumexp(np.array([-np.inf + 0j, -np.inf + 0j]), return_sign=True)
    assert res == -np.inf and sgn == 0
    res, sgn = logsumexp(np.empty(0, complex), return_sign=True)
    assert res == -np.inf and sgn == 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_b_accuracy_against_mpmath(dtype: Any) -> None:
    # Rows whose result is far from 0 (no cancellation), positive and mixed-sign b.
    rng = np.random.default_rng(2)
    goal = 1.1 if dtype is np.float64 else 1.0
    for mixed in (False, True):
        for n in (2, 10, 100, 1000):
            x = (rng.standard_normal(n) * 3 + 10).astype(dtype)
            b = rng.uniform(-0.5 if mixed else 0.1, 2.0, n).astype(dtype)
            b[np.argmax(x)] = 1.5  # keep the sum positive and well away from 0
            ref, sign = ref_logsumexp_b(x, b)
            res, sgn = logsumexp(x, b=b, return_sign=True)
            assert sgn == sign
            assert max_ulp_error(res, ref, dtype) <= goal


# Signed b whose weighted sum cancels: the sum's condition number kappa amplifies every
# rounding; those rows are recomputed exactly, each on its own.


def _cancelling_b_rows(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    rows = [
        (np.array([0.0, -1e-15]), np.array([1.0, -1.0])),
        (np.array([0.0, -1e-300]), np.array([1.0, -1.0])),
        (np.array([1.0, 1.0 + 2.0**-40, 3.0]), np.array([1.0, -1.0, 1e-9])),
        (np.array([5.0, 5.0, 5.0]), np.array([1.0, -0.5, -0.5 + 2.0**-30])),
    ]
    for _ in range(60):
        n = int(rng.integers(2, 40))
        x = rng.standard_normal(n)
        b = rng.uniform(-1.0, 1.0, n)
        # Make the sum tiny next to its terms: b_0 cancels the rest up to its last bits.
        rest = float(np.dot(b[1:], np.exp(x[1:] - x[0])))
        b[0] = -rest * (1.0 + rng.uniform(-1e-9, 1e-9))
        rows.append((x, b))
    return rows


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("extended", [True, False], ids=["long-double", "fallback"])
def test_signed_b_cancellation_is_exact(
    dtype: Any, extended: bool, request: pytest.FixtureRequest
) -> None:
    if not extended:
        request.getfixturevalue("no_extended")  # the path of platforms without long double
    rng = np.random.default_rng(21)
    goal = 1.1 if dtype is np.float64 else 1.0
    for x, b in _cancelling_b_rows(rng):
        xd, bd = x.astype(dtype), b.astype(dtype)
        ref, sign = ref_logsumexp_b(xd, bd, dps=400)
        res, sgn = logsumexp(xd, b=bd, return_sign=True)
        assert sgn == sign, (xd, bd)
        if sign == 0:
            assert res == -np.inf
            continue
        assert max_ulp_error(res, ref, dtype) <= goal, (xd, bd)


def test_signed_b_result_does_not_depend_on_the_batch() -> None:
    # One cancelling row of 4000 terms, alone and among five other rows of the same length.
    rng = np.random.default_rng(22)
    x = rng.standard_normal((6, 4000))
    b = rng.uniform(-1.0, 1.0, (6, 4000))
    for i in range(6):
        b[i, 0] = -float(np.dot(b[i, 1:], np.exp(x[i, 1:] - x[i, 0]))) * (1 + 1e-12)
    batch = logsumexp(x, axis=1, b=b, return_sign=True)
    for i in (0, 5):
        alone = logsumexp(x[i], b=b[i], return_sign=True)
        assert batch[0][i] == alone[0] and batch[1][i] == alone[1]
        ref, sign = ref_logsumexp_b(x[i], b[i], dps=60)
        assert alone[1] == sign
        assert max_ulp_error(alone[0], ref, np.float64) <= 1.1


def test_signed_b_long_row_keeps_its_documented_bound() -> None:
    # Above 4,096 terms no row is recomputed: the error stays within the documented
    # 2**-p (|max| + |log|sum|| + 4 (kappa - 1) log2(n + 1)) (p = 64, or 53 without long double).
    from softmaxlab.core import _rows

    rng = np.random.default_rng(23)
    n = 5000
    x = rng.standard_normal(n)
    b = rng.uniform(-1.0, 1.0, n)
    b[0] = -float(np.dot(b[1:], np.exp(x[1:] - x[0]))) * (1 + 1e-6)
    res = float(logsumexp(x, b=b, return_sign=True)[0])
    with mpmath.workdps(60):
        terms = [
            mpmath.mpf(float(bi)) * mpmath.exp(mpmath.mpf(float(xi)))
            for xi, bi in zip(x, b, strict=True)
        ]
        s = mpmath.fsum(terms)
        kappa = mpmath.fsum(abs(t) for t in terms) / abs(s)
        ref = mpmath.log(abs(s))
    u = 2.0**-64 if _rows.EXTENDED else 2.0**-53
    bound = u * (abs(float(x.max())) + abs(float(ref) - float(x.max())))
    bound += u * 4 * (float(kappa) - 1) * np.log2(n + 1) + float(np.spacing(abs(float(ref))))
    assert abs(res - float(ref)) <= bound
