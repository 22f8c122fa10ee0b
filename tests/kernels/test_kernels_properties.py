"""Property tests: the kernels agree with the NumPy path on arbitrary inputs (hypothesis),
on every SIMD level of the compiled core this machine supports."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import softmaxlab as sl
from softmaxlab import kernels as K

SETTINGS = settings(
    max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _arrays(dtype: type) -> st.SearchStrategy[np.ndarray]:
    # Rows up to 70 (64 or more take the short-row kernels), with infinities and NaN mixed in.
    elements = st.floats(
        -1e4, 1e4, width=32 if dtype == np.float32 else 64, allow_subnormal=False
    ) | st.sampled_from([np.inf, -np.inf, np.nan, 0.0, -0.0])
    shapes = st.tuples(st.integers(1, 70), st.integers(1, 40))
    return hnp.arrays(dtype, shapes, elements=elements)


def _same(got: np.ndarray, ref: np.ndarray, ulps: float) -> None:
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
    np.testing.assert_array_equal(np.isinf(got), np.isinf(ref))
    fin = np.isfinite(ref)
    sp = np.maximum(np.spacing(np.abs(ref[fin])), np.finfo(got.dtype).tiny)
    assert np.all(np.abs(got[fin] - ref[fin]) <= ulps * sp + np.finfo(got.dtype).eps * 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_softmax_and_log_softmax_equal_numpy_path(dtype, simd_level):
    @SETTINGS
    @given(_arrays(dtype))
    def check(x):
        for log in (False, True):
            got = K.softmax_rows(x, log=log)
            ref = (sl.log_softmax if log else sl.softmax)(x, axis=-1, backend="numpy")
            if log:
                # log_softmax: ulps of the result, floored at eps (results near 0).
                fin = np.isfinite(ref)
                np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
                np.testing.assert_array_equal(got[~fin], ref[~fin])
                sp = np.maximum(np.spacing(np.abs(ref[fin])), np.finfo(dtype).eps)
                assert np.all(np.abs(got[fin] - ref[fin]) <= 3 * sp)
            else:
                _same(got, ref, 1.0 if dtype == np.float32 else 8.0)

    check()


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_logsumexp_equals_numpy_path(dtype, simd_level):
    @SETTINGS
    @given(_arrays(dtype))
    def check(x):
        got = K.logsumexp_rows(x, fallback=lambda rows: sl.logsumexp(rows, axis=1, backend="numpy"))
        _same(got, sl.logsumexp(x, axis=1, backend="numpy"), 1.0)

    check()


def test_shift_invariance(simd_level):
    """Adding a constant to a row changes nothing (up to the rounding of x + c)."""

    @SETTINGS
    @given(_arrays(np.float32), st.floats(-50, 50, width=32))
    def check(x, c):
        finite = np.isfinite(x).all(axis=1)
        x = x[finite]
        if x.size == 0:
            return
        x64 = x.astype(np.float64)
        shifted = (x64 + c).astype(np.float32)
        exact = (shifted.astype(np.float64) - x64) == c  # rows where x + c is exact
        rows = exact.all(axis=1)
        np.testing.assert_array_equal(K.softmax_rows(shifted[rows]), K.softmax_rows(x[rows]))

    check()
