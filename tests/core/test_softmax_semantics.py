"""Semantics of softmax, log_softmax and logsumexp from issue 2: special values per slice,
``where=``, empty input, dtypes, axes, temperature, and inputs left untouched."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from softmaxlab import SoftmaxLabError, log_softmax, logsumexp, softmax

FLOATS = [np.float16, np.float32, np.float64]
TRANSFORMS = [softmax, log_softmax]


def _naive_softmax(x: np.ndarray) -> np.ndarray:
    """Textbook formula in float64, for rows where it is accurate enough."""
    z = np.asarray(x, np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# --- special values, per slice -------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS)
def test_special_values_per_slice(dtype: Any) -> None:
    inf, nan = np.inf, np.nan
    x = np.array(
        [
            [1.0, nan, 2.0, 3.0],  # NaN anywhere: the whole slice is NaN
            [1.0, inf, 2.0, 3.0],  # +inf: NaN
            [-inf, inf, 0.0, 1.0],  # -inf and +inf: NaN
            [-inf, -inf, -inf, -inf],  # all -inf: NaN (logsumexp -inf)
            [-inf, 0.0, -inf, 0.0],  # -inf entries get 0 / -inf
            [0.5, -1.0, 2.0, 0.25],  # an ordinary slice, untouched by its neighbours
        ],
        dtype,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # special values are results, not warnings
        p = softmax(x)
        lp = log_softmax(x)
        lse = logsumexp(x, axis=1)
    for out in (p, lp):
        assert out.dtype == dtype
        assert np.isnan(out[:4]).all()
    np.testing.assert_array_equal(p[4], np.array([0, 0.5, 0, 0.5], dtype))
    np.testing.assert_array_equal(lp[4, [0, 2]], [-inf, -inf])
    np.testing.assert_allclose(lp[4, [1, 3]], -np.log(2.0), rtol=2 * np.finfo(dtype).eps)
    np.testing.assert_array_equal(p[5], softmax(x[5]))
    np.testing.assert_array_equal(lp[5], log_softmax(x[5]))
    np.testing.assert_allclose(p[5], _naive_softmax(x[5]), rtol=2 * np.finfo(dtype).eps)
    assert np.isnan(lse[0])
    assert lse[1] == inf
    assert lse[2] == inf  # exp(+inf) + exp(-inf) = inf, as scipy.special.logsumexp
    assert lse[3] == -inf
    np.testing.assert_allclose(lse[4], np.log(2.0), rtol=np.finfo(dtype).eps)


def test_special_values_along_axis_0_and_tuple() -> None:
    x = np.zeros((3, 2, 4))
    x[1, 0, 2] = np.nan  # slices along axis 0: only the slice (:, 0, 2) is affected
    p = softmax(x, axis=0)
    assert np.isnan(p[:, 0, 2]).all()
    mask = np.ones((2, 4), bool)
    mask[0, 2] = False
    np.testing.assert_array_equal(p[:, mask], np.full((3, 7), 1 / 3))
    q = softmax(x, axis=(0, 2))  # slices are x[:, j, :]; only j = 0 holds the NaN
    assert np.isnan(q[:, 0, :]).all()
    np.testing.assert_allclose(q[:, 1, :], np.full((3, 4), 1 / 12), rtol=1e-15)


# --- where= --------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS)
def test_where_equals_boolean_indexing(dtype: Any) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 9)).astype(dtype)
    mask = rng.random((5, 9)) < 0.6
    mask[:, 0] = True
    poisoned = x.copy()
    poisoned[~mask] = np.array([np.nan, np.inf, -np.inf, 1e4], dtype)[np.arange((~mask).sum()) % 4]
    p = softmax(poisoned, where=mask)
    lp = log_softmax(poisoned, where=mask)
    for i in range(5):
        m = mask[i]
        np.testing.assert_array_max_ulp(p[i, m], softmax(x[i, m]), maxulp=1)
        np.testing.assert_array_max_ulp(lp[i, m], log_softmax(x[i, m]), maxulp=1)
        np.testing.assert_array_equal(p[i, ~m], 0)
        np.testing.assert_array_equal(lp[i, ~m], -np.inf)
        np.testing.assert_array_max_ulp(
            logsumexp(poisoned[i], where=m), logsumexp(x[i, m]), maxulp=1
        )
    np.testing.assert_array_max_ulp(
        logsumexp(poisoned, axis=1, where=mask),
        np.array([logsumexp(x[i, mask[i]]) for i in range(5)], dtype),
        maxulp=1,
    )


def test_where_broadcasts_and_fully_masked_slices() -> None:
    x = np.array([[1.0, np.nan, 3.0], [np.inf, 0.0, 0.0], [2.0, 2.0, -np.inf]])
    mask = np.array([[True, False, True], [False, False, False], [True, True, True]])
    p = softmax(x, where=mask)
    np.testing.assert_allclose(p[0], [np.exp(-2) / (1 + np.exp(-2)), 0, 1 / (1 + np.exp(-2))])
    np.testing.assert_array_equal(p[1], [0.0, 0.0, 0.0])  # fully masked: all 0
    np.testing.assert_array_equal(p[2], [0.5, 0.5, 0.0])
    np.testing.assert_array_equal(log_softmax(x, where=mask)[1], [-np.inf] * 3)
    res, sgn = logsumexp(x, axis=1, where=mask, return_sign=True)
    assert res[1] == -np.inf and sgn[1] == 0
    assert sgn[0] == 1 and sgn[2] == 1
    # A (1, n) mask broadcasts over the rows.
    row_mask = np.array([[True, False, True]])
    np.testing.assert_array_equal(softmax(x[[0, 2]], where=row_mask)[:, 1], [0.0, 0.0])
    # Everything masked in logsumexp over the whole array.
    assert logsumexp(x, where=np.zeros_like(x, bool)) == -np.inf


def test_where_masked_entries_in_a_nan_slice() -> None:
    # JAX semantics: masked entries give 0 / -inf whatever happens in the rest of the slice.
    x = np.array([[1.0, np.nan, 3.0, 7.0], [np.inf, 1.0, 2.0, 0.0]])
    mask = np.array([[True, True, False, True], [True, False, True, False]])
    p = softmax(x, where=mask)
    lp = log_softmax(x, where=mask)
    assert np.isnan(p[mask]).all() and np.isnan(lp[mask]).all()
    np.testing.assert_array_equal(p[~mask], 0.0)
    np.testing.assert_array_equal(lp[~mask], -np.inf)


def test_where_bad_values() -> None:
    x = np.zeros((2, 3))
    with pytest.raises(TypeError, match="where"):
        softmax(x, where=np.ones((2, 3)))
    with pytest.raises(ValueError, match="where"):
        softmax(x, where=np.ones((3, 3), bool))
    with pytest.raises(ValueError, match="where"):
        logsumexp(x, where=np.ones(2, bool))


# --- empty input ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (2, 0, 4)])
def test_empty_input(dtype: Any, shape: tuple[int, ...]) -> None:
    x = np.empty(shape, dtype)
    for f in TRANSFORMS:
        out = f(x)
        assert out.shape == shape and out.dtype == dtype
    lse = logsumexp(x, axis=-1)
    assert lse.shape == shape[:-1] and lse.dtype == dtype
    np.testing.assert_array_equal(lse, np.full(shape[:-1], -np.inf, dtype))
    assert logsumexp(x) == -np.inf
    res, sgn = logsumexp(x, return_sign=True)
    assert res == -np.inf and sgn == 0


# --- dtypes and inputs ---------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS)
def test_float_dtype_preserved(dtype: Any) -> None:
    x = np.array([[0.5, 1.5, -2.0]], dtype)
    for f in TRANSFORMS:
        assert f(x).dtype == dtype
        assert f(x, temperature=2.0, where=np.array([True, False, True])).dtype == dtype
    assert logsumexp(x).dtype == dtype
    assert logsumexp(x, axis=1).dtype == dtype


@pytest.mark.parametrize(
    "x", [[1, 2, 3], np.array([1, 2, 3], np.int8), np.array([True, False, True])]
)
def test_integers_and_bools_become_float64(x: Any) -> None:
    ref = _naive_softmax(np.asarray(x, np.float64))
    out = softmax(x)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, ref, rtol=1e-15)
    assert log_softmax(x).dtype == np.float64
    assert np.asarray(logsumexp(x)).dtype == np.float64


@pytest.mark.parametrize("bad", [["a", "b"], np.array([1 + 2j]), [[1.0, 2.0], [3.0]]])
def test_non_numeric_input_raises_type_error(bad: Any) -> None:
    for f in TRANSFORMS:
        with pytest.raises(TypeError, match="'x'"):
            f(bad)


def test_inputs_never_modified() -> None:
    rng = np.random.default_rng(1)
    base = rng.standard_normal((4, 6))
    base[0, 1] = np.nan
    base[1, :] = -np.inf
    base[2, 3] = np.inf
    x = base[:, ::2]  # a non-contiguous view
    mask = rng.random(x.shape) < 0.7
    b = rng.standard_normal(x.shape)
    before = (base.copy(), mask.copy(), b.copy())
    ro = base.copy()
    ro.flags.writeable = False
    for f in TRANSFORMS:
        f(x)
        f(x, where=mask, temperature=0.5)
        f(x, axis=0)
        f(ro)
    logsumexp(x, axis=1, b=b, where=mask, return_sign=True)
    logsumexp(ro, axis=(0, 1))
    np.testing.assert_array_equal(base, before[0])
    np.testing.assert_array_equal(mask, before[1])
    np.testing.assert_array_equal(b, before[2])


# --- axes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("f", TRANSFORMS)
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_axis_equals_moving_the_axis_last(f: Any, axis: int) -> None:
    x = np.random.default_rng(2).standard_normal((3, 4, 5)) * 5
    expected = np.moveaxis(f(np.moveaxis(x, axis, -1)), -1, axis)
    np.testing.assert_array_equal(f(x, axis=axis), expected)
    lse = logsumexp(x, axis=axis)
    np.testing.assert_array_equal(lse, logsumexp(np.moveaxis(x, axis, -1), axis=-1))


@pytest.mark.parametrize("f", TRANSFORMS)
def test_axis_tuple_and_none(f: Any) -> None:
    x = np.random.default_rng(3).standard_normal((3, 4, 5))
    # axis=(1, 2): each x[i] is one slice.
    got = f(x, axis=(1, 2))
    want = f(x.reshape(3, 20), axis=-1).reshape(3, 4, 5)
    np.testing.assert_array_max_ulp(got, want, maxulp=1)
    np.testing.assert_array_equal(f(x, axis=(2, 1)), got)
    # axis=(0, 2): slices x[:, j, :].
    got = f(x, axis=(0, 2))
    for j in range(4):
        want_j = f(x[:, j, :].ravel(), axis=-1).reshape(3, 5)
        np.testing.assert_array_max_ulp(got[:, j, :], want_j, maxulp=1)
    # None: the whole array.
    want_all = f(x.ravel(), axis=-1).reshape(x.shape)
    np.testing.assert_array_max_ulp(f(x, axis=None), want_all, maxulp=1)
    np.testing.assert_allclose(softmax(x, axis=None).sum(), 1.0, rtol=1e-15)


def test_logsumexp_axis_none_default_and_keepdims() -> None:
    x = np.random.default_rng(4).standard_normal((2, 3, 4))
    ref = np.log(np.exp(x).sum())
    assert np.ndim(logsumexp(x)) == 0
    np.testing.assert_allclose(logsumexp(x), ref, rtol=1e-15)
    kept = logsumexp(x, axis=(0, 2), keepdims=True)
    assert kept.shape == (1, 3, 1)
    np.testing.assert_allclose(kept[0, :, 0], np.log(np.exp(x).sum(axis=(0, 2))), rtol=1e-15)
    assert logsumexp(x, axis=None, keepdims=True).shape == (1, 1, 1)


@pytest.mark.parametrize("axis", [2, -3, (0, 0), (1, -1), 1.5, "0", True, (0, None)])
def test_bad_axis_raises(axis: Any) -> None:
    x = np.zeros((2, 3))
    for f in (softmax, log_softmax, logsumexp):
        with pytest.raises(ValueError, match="'axis'"):
            f(x, axis=axis)


# --- temperature ---------------------------------------------------------------------------


@pytest.mark.parametrize("t", [0, 0.0, -1.0, -np.inf, np.inf, np.nan, "2", None, True, [1.0]])
def test_bad_temperature_raises(t: Any) -> None:
    for f in TRANSFORMS:
        with pytest.raises(ValueError, match="'temperature'") as info:
            f([1.0, 2.0], temperature=t)
        assert isinstance(info.value, SoftmaxLabError)
        assert repr(t) in str(info.value) or str(t) in str(info.value)


def test_temperature_accepts_numpy_numbers() -> None:
    x = [1.0, 2.0, 4.0]
    want = _naive_softmax(np.array(x) / 2.0)
    temperatures: list[Any] = [np.float32(2.0), np.int64(2), np.array(2.0), 2]
    for t in temperatures:
        np.testing.assert_allclose(softmax(x, temperature=t), want, rtol=1e-15)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("t", [1e-6, 1e-300, 5e-324])
def test_tiny_temperature_is_one_hot_never_nan(dtype: Any, t: float) -> None:
    x = np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 3.0], [-40.0, 60000.0, 0.0]], dtype)
    p = softmax(x, temperature=t)
    lp = log_softmax(x, temperature=t)
    assert not np.isnan(p).any() and not np.isnan(lp).any()
    np.testing.assert_array_equal(p, np.array([[0, 0, 1], [0.5, 0, 0.5], [0, 1, 0]], dtype))
    assert (lp[0, :2].astype(np.float64) < -1e5).all() and lp[0, 2] == 0
    np.testing.assert_allclose(lp[1, [0, 2]], -np.log(2.0), rtol=np.finfo(dtype).eps)
    assert lp[2, 1] == 0


def test_large_temperature_tends_to_uniform() -> None:
    np.testing.assert_allclose(softmax([1.0, 2.0, 3.0], temperature=1e300), [1 / 3] * 3)


# --- the float64 fallback (no 80-bit long double) ------------------------------------------


def test_fallback_path_has_the_same_semantics(no_extended: None) -> None:
    import softmaxlab.core._rows as rows_module

    assert not rows_module.EXTENDED
    inf, nan = np.inf, np.nan
    x = np.array(
        [
            [1.0, nan, 2.0, 3.0],
            [1.0, inf, 2.0, 3.0],
            [-inf, -inf, -inf, -inf],
            [-inf, 0.0, -inf, 0.0],
            [1e308, -1e308, 0.0, 5.0],
            [0.5, -1.0, 2.0, 0.25],
        ]
    )
    mask = np.array([True, True, False, True])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(x)
        lp = log_softmax(x)
        pm = softmax(x, where=mask, temperature=0.3)
        lpm = log_softmax(x, where=mask, temperature=0.3)
        one_hot = softmax(x[3:], temperature=5e-324)
        lse, sgn = logsumexp(x, axis=1, return_sign=True)
    assert np.isnan(p[:3]).all() and np.isnan(lp[:3]).all()
    np.testing.assert_array_equal(p[3], [0, 0.5, 0, 0.5])
    np.testing.assert_array_equal(p[4], [1, 0, 0, 0])
    np.testing.assert_array_equal(lp[4, :2], [0, -inf])
    np.testing.assert_allclose(p[5], _naive_softmax(x[5]), rtol=4e-16)
    np.testing.assert_allclose(lp[5], np.log(_naive_softmax(x[5])), rtol=4e-16)
    assert np.isnan(pm[0, mask]).all()  # the NaN is not masked
    assert np.isnan(pm[2, mask]).all()  # the unmasked entries are all -inf: NaN
    np.testing.assert_array_equal(pm[:, 2], 0)  # masked entries are 0 even in NaN slices
    np.testing.assert_array_equal(lpm[:, 2], -inf)
    np.testing.assert_allclose(pm[5, mask], _naive_softmax(x[5, mask] / 0.3), rtol=4e-16)
    np.testing.assert_array_equal(one_hot, [[0, 0.5, 0, 0.5], [1, 0, 0, 0], [0, 0, 1, 0]])
    assert np.isnan(lse[0]) and lse[1] == inf and lse[2] == -inf and sgn[2] == 0
    np.testing.assert_allclose(lse[5], np.log(np.exp(x[5]).sum()), rtol=4e-16)
