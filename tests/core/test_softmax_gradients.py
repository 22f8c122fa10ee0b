"""softmax_jacobian, softmax_vjp and cross_entropy_grad against central finite differences
(float64), and the structure of the Jacobian."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from softmaxlab import (
    cross_entropy,
    cross_entropy_grad,
    softmax,
    softmax_jacobian,
    softmax_vjp,
)

H = 1e-6


def _fd_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Central differences of a scalar function, one coordinate at a time."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = H
        g[i] = (f(x + e) - f(x - e)) / (2 * H)
    return g


def _fd_jacobian(x: np.ndarray, temperature: float) -> np.ndarray:
    n = x.size
    jac = np.zeros((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = H
        jac[:, j] = (
            softmax(x + e, temperature=temperature) - softmax(x - e, temperature=temperature)
        ) / (2 * H)
    return jac


@pytest.mark.parametrize("temperature", [1.0, 0.7, 3.0])
@pytest.mark.parametrize("n", [1, 2, 5, 9])
def test_jacobian_matches_finite_differences(temperature: float, n: int) -> None:
    x = np.random.default_rng(n).standard_normal(n) * 2
    jac = softmax_jacobian(x, temperature=temperature)
    assert jac.shape == (n, n)
    np.testing.assert_allclose(jac, _fd_jacobian(x, temperature), atol=1e-9)


def test_jacobian_batched_along_axis() -> None:
    x = np.random.default_rng(0).standard_normal((2, 4, 3))
    jac = softmax_jacobian(x, axis=1)
    assert jac.shape == (2, 3, 4, 4)  # other axes in order, then i, j
    for a in range(2):
        for c in range(3):
            np.testing.assert_allclose(jac[a, c], _fd_jacobian(x[a, :, c], 1.0), atol=1e-9)


def test_jacobian_structure() -> None:
    x = np.random.default_rng(1).standard_normal((3, 6)) * 4
    jac = softmax_jacobian(x)
    np.testing.assert_allclose(jac.sum(axis=-1), 0, atol=4 * np.finfo(float).eps)  # rows
    np.testing.assert_allclose(jac.sum(axis=-2), 0, atol=4 * np.finfo(float).eps)  # columns
    np.testing.assert_array_equal(jac, np.swapaxes(jac, -1, -2))
    eig = np.linalg.eigvalsh(jac)
    assert (eig > -1e-15).all()  # positive semi-definite
    assert (np.sort(np.abs(eig), axis=-1)[:, 0] < 1e-15).all()  # one zero eigenvalue


def test_jacobian_dtype_and_special_values() -> None:
    x = np.array([[1.0, np.nan, 0.0], [0.0, 0.0, 0.0]], np.float32)
    jac = softmax_jacobian(x)
    assert jac.dtype == np.float32
    assert np.isnan(jac[0]).all()
    np.testing.assert_allclose(jac[1], (np.eye(3) / 3 - 1 / 9), rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_vjp_equals_v_times_jacobian(axis: int) -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 5, 3))
    v = rng.standard_normal(x.shape)
    got = softmax_vjp(softmax(x, axis=axis), v, axis=axis)
    jac = softmax_jacobian(x, axis=axis)  # (..., i, j)
    vm = np.moveaxis(v, axis, -1)
    want = np.moveaxis(np.einsum("...i,...ij->...j", vm, jac), -1, axis)
    np.testing.assert_allclose(got, want, atol=1e-15)
    # ... and the derivative of v · softmax(x) by finite differences.
    fd = _fd_gradient(lambda z: float(np.sum(v * softmax(z, axis=axis))), x)
    np.testing.assert_allclose(got, fd, atol=1e-9)


def test_vjp_dtype_and_errors() -> None:
    p = softmax(np.array([1.0, 2.0], np.float32))
    assert softmax_vjp(p, np.array([1.0, 0.0], np.float32)).dtype == np.float32
    assert softmax_vjp(p, np.array([1.0, 0.0])).dtype == np.float64
    with pytest.raises(ValueError, match=r"'v'.*\(2,\).*\(3,\)"):
        softmax_vjp(p, np.zeros(3))
    with pytest.raises(ValueError, match="'probs'"):
        softmax_vjp(0.5, 1.0)
    bad_axes: list[Any] = [(0, 1), None]
    for bad in bad_axes:
        with pytest.raises(ValueError, match="'axis'"):
            softmax_vjp(np.ones((2, 2)), np.ones((2, 2)), axis=bad)
        with pytest.raises(ValueError, match="'axis'"):
            softmax_jacobian(np.ones((2, 2)), axis=bad)
    with pytest.raises(ValueError, match="'x'"):
        softmax_jacobian(1.0)
    with pytest.raises(ValueError, match="'temperature'"):
        softmax_jacobian([1.0, 2.0], temperature=0.0)


CE_CASES: list[dict[str, Any]] = [
    {},
    {"reduction": "sum"},
    {"reduction": "none"},
    {"weight": [0.5, 2.0, 1.0, 0.1]},
    {"label_smoothing": 0.25},
    {"weight": [0.5, 2.0, 1.0, 0.1], "label_smoothing": 0.1, "reduction": "sum"},
    {"ignore_index": 2},
    {"ignore_index": 2, "weight": [0.5, 2.0, 1.0, 0.1], "label_smoothing": 0.3},
]


@pytest.mark.parametrize("opts", CE_CASES)
@pytest.mark.parametrize("kind", ["index", "probs"])
def test_cross_entropy_grad_matches_finite_differences(opts: dict[str, Any], kind: str) -> None:
    rng = np.random.default_rng(3)
    logits = rng.standard_normal((3, 4, 2))  # classes on axis 1
    if kind == "index":
        target: np.ndarray = np.array([[0, 2], [3, 1], [2, 2]])
    else:
        target = rng.random((3, 4, 2))
        target /= target.sum(axis=1, keepdims=True)
    opts = {**opts, "weight": None if "weight" not in opts else np.array(opts["weight"])}

    def total(z: np.ndarray) -> float:
        # 'none' returns per-sample losses; their sum is what the gradient refers to.
        return float(np.sum(cross_entropy(z, target, axis=1, **opts)))

    grad = cross_entropy_grad(logits, target, axis=1, **opts)
    np.testing.assert_allclose(grad, _fd_gradient(total, logits), atol=1e-9)


def test_cross_entropy_grad_is_p_minus_onehot() -> None:
    logits = np.random.default_rng(4).standard_normal((5, 3))
    y = np.array([0, 1, 2, 1, 0])
    want = softmax(logits) - np.eye(3)[y]
    np.testing.assert_allclose(cross_entropy_grad(logits, y, reduction="sum"), want, atol=1e-16)
    np.testing.assert_allclose(cross_entropy_grad(logits, y), want / 5, atol=1e-16)
