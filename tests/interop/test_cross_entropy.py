"""cross_entropy and cross_entropy_grad on PyTorch and JAX arrays.

Compared with softmaxlab's NumPy path (itself tested against PyTorch's cross_entropy in
tests/core) and, for PyTorch, with torch.nn.functional.cross_entropy and its autograd.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

import softmaxlab as sl

SEED = 411


def _to(name: str, a: np.ndarray) -> Any:
    return torch.from_numpy(np.array(a)) if name == "torch" else jnp.asarray(a)


@pytest.fixture(params=["torch", "jax"])
def lib(request: pytest.FixtureRequest) -> Any:
    if request.param == "jax":
        with jax.enable_x64(True):
            yield request.param
    else:
        yield request.param


CASES = [
    {},
    {"reduction": "sum"},
    {"reduction": "none"},
    {"label_smoothing": 0.2},
    {"weight": [0.5, 2.0, 1.0, 0.25]},
    {"weight": [0.5, 2.0, 1.0, 0.25], "label_smoothing": 0.1, "reduction": "none"},
    {"ignore_index": 2},
    {"axis": 1, "label_smoothing": 0.3},
]


@pytest.mark.parametrize("opts", CASES, ids=repr)
@pytest.mark.parametrize(
    "func", [sl.cross_entropy, sl.cross_entropy_grad], ids=lambda f: f.__name__
)
def test_index_targets_match_numpy_path(lib: str, opts: dict[str, Any], func: Any) -> None:
    rng = np.random.default_rng(SEED)
    opts = dict(opts)
    if opts.get("axis") == 1:
        z = rng.normal(0, 3, (5, 4, 3))
        y = rng.integers(0, 4, (5, 3))
    else:
        z = rng.normal(0, 3, (6, 4))
        y = rng.integers(0, 4, 6)
    w = opts.pop("weight", None)
    want = func(z, y, weight=w, backend="numpy", **opts)
    got = func(_to(lib, z), _to(lib, y), weight=None if w is None else np.array(w), **opts)
    g = np.asarray(got)
    assert g.dtype == np.float64 and g.shape == np.shape(want)
    np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "func", [sl.cross_entropy, sl.cross_entropy_grad], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_probability_targets_match_numpy_path(lib: str, func: Any, reduction: str) -> None:
    rng = np.random.default_rng(SEED + 1)
    z = rng.normal(0, 3, (6, 5)).astype(np.float32)
    q = rng.dirichlet(np.ones(5), 6).astype(np.float32)
    want = func(z, q, label_smoothing=0.1, reduction=reduction, backend="numpy")
    got = func(_to(lib, z), _to(lib, q), label_smoothing=0.1, reduction=reduction)
    g = np.asarray(got)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, want, rtol=1e-6, atol=1e-7)


def test_torch_matches_torch_and_autograd() -> None:
    rng = np.random.default_rng(SEED + 2)
    z = torch.from_numpy(rng.normal(0, 2, (7, 3)))
    y = torch.from_numpy(rng.integers(0, 3, 7))
    y[2] = -100
    w = torch.tensor([1.0, 0.5, 3.0], dtype=torch.float64)
    x1 = z.clone().requires_grad_(True)
    loss = sl.cross_entropy(x1, y, weight=w, label_smoothing=0.05)
    x2 = z.clone().requires_grad_(True)
    ref = torch.nn.functional.cross_entropy(x2, y, weight=w, label_smoothing=0.05)
    torch.testing.assert_close(loss, ref, rtol=1e-13, atol=0)
    loss.backward()
    ref.backward()
    assert x1.grad is not None and x2.grad is not None
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-12, atol=1e-15)
    g = sl.cross_entropy_grad(z, y, weight=w, label_smoothing=0.05)
    assert isinstance(g, torch.Tensor)
    torch.testing.assert_close(g, x2.grad, rtol=1e-12, atol=1e-15)


def test_all_ignored_mean_is_nan(lib: str) -> None:
    z = _to(lib, np.zeros((2, 3)))
    y = _to(lib, np.array([-100, -100]))
    assert np.isnan(float(sl.cross_entropy(z, y)))
    assert np.all(np.asarray(sl.cross_entropy_grad(z, y)) == 0.0)


def test_errors(lib: str) -> None:
    z = _to(lib, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"class indices in \[0, 2\]"):
        sl.cross_entropy(z, _to(lib, np.array([0, 3])))
    with pytest.raises(
        ValueError,
        match=r"'target' parameter of cross_entropy must be class indices of shape \(2,\)",
    ):
        sl.cross_entropy(z, _to(lib, np.array([0, 1, 2])))
    with pytest.raises(ValueError, match="'weight' parameter of cross_entropy_grad"):
        sl.cross_entropy_grad(z, _to(lib, np.array([0, 1])), weight=np.ones(2))
    avg: Any = "avg"
    with pytest.raises(ValueError, match="'reduction' parameter of cross_entropy"):
        sl.cross_entropy(z, _to(lib, np.array([0, 1])), reduction=avg)
    with pytest.raises(ValueError, match="'backend' parameter of cross_entropy"):
        sl.cross_entropy(z, _to(lib, np.array([0, 1])), backend="numba")
    with pytest.raises(
        TypeError, match="'target' parameter of cross_entropy must be integer class indices or"
    ):
        sl.cross_entropy(z, _to(lib, np.array([True, False])))


def test_dask_logits_raise() -> None:
    import dask.array as da

    with pytest.raises(TypeError, match="'logits' parameter of cross_entropy must be"):
        sl.cross_entropy(da.zeros((2, 3)), np.array([0, 1]))
