"""sigmoid and log_sigmoid against mpmath; sparsemax against an exact implementation of
Martins & Astudillo (2016) written here with rational arithmetic, and its invariants."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from softmaxlab import log_sigmoid, sigmoid, sparsemax
from tests._support.mpref import max_ulp_error, ref_log_sigmoid, ref_sigmoid

FLOATS = [np.float16, np.float32, np.float64]
# float16/float32: within 1 ulp; float64: "a couple of ulps".
GOAL = {"float16": 1.0, "float32": 1.0, "float64": 2.0}
# float64 also without the 80-bit long double (the fallback only changes float64).
PATHS = [(np.float16, False), (np.float32, False), (np.float64, False), (np.float64, True)]
PATH_IDS = ["float16", "float32", "float64-native", "float64-fallback"]


def _inputs(dtype: Any) -> np.ndarray:
    rng = np.random.default_rng(0)
    big = {
        np.float16: [10.0, 11.1, 17.0, 30.0, 65504.0],
        np.float32: [20.0, 40.0, 88.0, 104.0, 200.0, 3e38],
        np.float64: [20.0, 40.0, 100.0, 700.0, 745.0, 1000.0, 1e308],
    }[dtype]
    vals = np.concatenate(
        [
            rng.standard_normal(400) * 5,
            rng.standard_normal(100) * 1e-3,
            [0.0, 1e-8, 0.5, 1.0, 2.0],
            big,
        ]
    )
    return np.concatenate([vals, -vals]).astype(dtype)


@pytest.mark.parametrize(("dtype", "fallback"), PATHS, ids=PATH_IDS)
def test_sigmoid_accuracy(dtype: Any, fallback: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if fallback:
        monkeypatch.setattr("softmaxlab.core._rows.EXTENDED", False)
    x = _inputs(dtype)
    assert max_ulp_error(sigmoid(x), [ref_sigmoid(v) for v in x], dtype) <= GOAL[dtype.__name__]


@pytest.mark.parametrize(("dtype", "fallback"), PATHS, ids=PATH_IDS)
def test_log_sigmoid_accuracy(dtype: Any, fallback: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if fallback:
        monkeypatch.setattr("softmaxlab.core._rows.EXTENDED", False)
    x = _inputs(dtype)
    ref = [ref_log_sigmoid(v) for v in x]
    assert max_ulp_error(log_sigmoid(x), ref, dtype) <= GOAL[dtype.__name__]


@pytest.mark.parametrize("dtype", FLOATS)
def test_sigmoid_special_values(dtype: Any) -> None:
    x = np.array([-np.inf, np.inf, np.nan, 0.0], dtype)
    s = sigmoid(x)
    ls = log_sigmoid(x)
    assert s.dtype == ls.dtype == dtype
    np.testing.assert_array_equal(s, np.array([0.0, 1.0, np.nan, 0.5], dtype))
    np.testing.assert_array_equal(ls[[0, 1, 2]], np.array([-np.inf, 0.0, np.nan], dtype))
    np.testing.assert_allclose(ls[3], -np.log(2.0), rtol=np.finfo(dtype).eps)
    # Very negative x: log_sigmoid(x) = x, where log(sigmoid(x)) has long underflowed.
    big = np.array(-np.finfo(dtype).max, dtype)
    assert log_sigmoid(big) == big
    assert sigmoid(big) == 0


def test_sigmoid_types_and_inputs() -> None:
    assert sigmoid([1, 2]).dtype == np.float64
    assert log_sigmoid(np.array([True])).dtype == np.float64
    assert np.ndim(sigmoid(0.0)) == 0 and float(sigmoid(0.0)) == 0.5
    x = np.array([1.0, -2.0])
    sigmoid(x)
    log_sigmoid(x)
    np.testing.assert_array_equal(x, [1.0, -2.0])
    np.testing.assert_allclose(sigmoid(x) + sigmoid(-x), 1.0, rtol=1e-16)
    with pytest.raises(TypeError, match="'x'"):
        sigmoid(["a"])
    with pytest.raises(TypeError, match="'x'"):
        log_sigmoid(np.array([1j]))


# --- sparsemax -----------------------------------------------------------------------------


def _sparsemax_exact(row: np.ndarray) -> list[Fraction]:
    """Sort-based sparsemax of Martins & Astudillo (2016, Alg. 1) in exact rationals."""
    z = [Fraction(float(v)) for v in row]
    zs = sorted(z, reverse=True)
    cumsum = Fraction(0)
    k_star, sum_star = 1, zs[0]
    for k, zk in enumerate(zs, start=1):
        cumsum += zk
        if 1 + k * zk > cumsum:
            k_star, sum_star = k, cumsum
    tau = (sum_star - 1) / k_star
    return [max(v - tau, Fraction(0)) for v in z]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("scale", [0.1, 1.0, 10.0])
def test_sparsemax_matches_exact_algorithm(dtype: Any, scale: float) -> None:
    rng = np.random.default_rng(int(scale * 10))
    eps = float(np.finfo(dtype).eps)
    for n in (1, 2, 3, 7, 50, 300):
        x = (rng.standard_normal(n) * scale + 5.0).astype(dtype)
        got = sparsemax(x)
        assert got.dtype == dtype
        exact = _sparsemax_exact(x)
        want = np.array([float(v) for v in exact])
        np.testing.assert_allclose(got, want, rtol=0, atol=8 * eps * max(1.0, scale))
        # Entries clearly outside the support are exactly 0.
        tau_gap = np.array([float(v) for v in exact]) == 0
        assert (got[tau_gap & (x < np.sort(x)[-1] - 1.5)] == 0).all()


def test_sparsemax_known_values() -> None:
    np.testing.assert_array_equal(sparsemax([3.0, 1.0, -3.0]), [1.0, 0.0, 0.0])
    np.testing.assert_allclose(sparsemax([1.0, 1.2, 0.1]), [0.4, 0.6, 0.0], rtol=1e-15)
    np.testing.assert_array_equal(sparsemax([0.0, 0.0, 0.0, 0.0]), [0.25] * 4)
    # Two classes: sparsemax([t, 0]) = clip((t + 1) / 2, 0, 1) on the first entry.
    for t in (-3.0, -1.0, -0.5, 0.0, 0.25, 1.0, 2.0):
        np.testing.assert_allclose(sparsemax([t, 0.0])[0], np.clip((t + 1) / 2, 0, 1))


def test_sparsemax_invariants() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((20, 12)) * 2
    p = sparsemax(x)
    assert (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=4e-16 * 12)
    assert (p == 0).any(axis=1).sum() > 10  # sparse: exact zeros
    np.testing.assert_allclose(sparsemax(x + 3.0), p, atol=1e-14)  # shift invariant
    assert not np.allclose(sparsemax(2 * x), p)  # but not scale invariant
    perm = rng.permutation(12)
    np.testing.assert_array_equal(sparsemax(x[:, perm]), p[:, perm])
    np.testing.assert_array_equal(sparsemax(x.T, axis=0), p.T)
    whole = sparsemax(x, axis=None)
    np.testing.assert_allclose(whole.sum(), 1.0, rtol=1e-14)
    np.testing.assert_allclose(
        whole.ravel(), [float(v) for v in _sparsemax_exact(x.ravel())], atol=1e-14
    )


def test_sparsemax_special_values_and_edges() -> None:
    x = np.array(
        [[1.0, np.nan, 0.0], [np.inf, 0.0, 1.0], [-np.inf, -np.inf, -np.inf], [-np.inf, 1.0, 1.0]]
    )
    p = sparsemax(x)
    assert np.isnan(p[:3]).all()
    np.testing.assert_array_equal(p[3], [0.0, 0.5, 0.5])
    for dtype in FLOATS:
        assert sparsemax(np.zeros((2, 3), dtype)).dtype == dtype
        assert sparsemax(np.empty((0, 3), dtype)).shape == (0, 3)
    assert sparsemax([1, 2]).dtype == np.float64
    with pytest.raises(ValueError, match="'axis'"):
        sparsemax(np.zeros((2, 3)), axis=2)
    with pytest.raises(ValueError, match="'axis'"):
        sparsemax(np.zeros((2, 3)), axis=(1, 1))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_relu_matches_torch(dtype: Any) -> None:
    import torch

    from softmaxlab import relu

    rng = np.random.default_rng(4)
    x = np.concatenate([rng.standard_normal(200) * 10, [0.0, -0.0, np.inf, -np.inf, np.nan]])
    x = x.astype(dtype)
    got = relu(x)
    ref = torch.relu(torch.from_numpy(x)).numpy()
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, ref)
    # Not a distribution: scaling the input scales the output; no sign bit on zeros.
    finite = x[np.isfinite(x)]
    np.testing.assert_array_equal(relu(2 * finite), 2 * relu(finite))
    assert not np.signbit(relu(np.array([-0.0, -3.0], dtype=dtype))).any()


def test_relu_inputs() -> None:
    from softmaxlab import SoftmaxLabError, relu

    assert relu(-1) == 0.0 and relu(2) == 2.0 and np.ndim(relu(2)) == 0
    np.testing.assert_array_equal(relu([[True, False]]), [[1.0, 0.0]])
    with pytest.raises((TypeError, SoftmaxLabError)) as info:
        relu("abc")
    assert "'x' parameter of relu" in str(info.value)
