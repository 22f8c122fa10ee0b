"""cross_entropy_and_grad: the loss and its gradient in one call (one fused kernel pass on the
compiled core), equal to the two separate functions and to PyTorch's forward + backward."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from softmaxlab import _simd, cross_entropy, cross_entropy_and_grad, cross_entropy_grad

N_CLASSES = 13
N_BIG = (1 << 14) // N_CLASSES + 1

OPTIONS: list[dict[str, Any]] = [
    {},
    {"reduction": "sum"},
    {"reduction": "none"},
    {"weight": True, "label_smoothing": 0.2},
    {"ignore_index": 2, "reduction": "mean"},
]


def _problem(n: int, dtype: Any, opts: dict[str, Any], seed: int = 0) -> tuple[Any, ...]:
    rng = np.random.default_rng(seed)
    z = (rng.standard_normal((n, N_CLASSES)) * 4).astype(dtype)
    y = rng.integers(0, N_CLASSES, n)
    kw = dict(opts)
    if kw.get("weight") is True:
        kw["weight"] = rng.uniform(0.5, 2.0, N_CLASSES)
    return z, y, kw


@pytest.mark.parametrize("opts", OPTIONS, ids=lambda o: ",".join(o) or "default")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [5, N_BIG], ids=["small", "large"])
def test_equals_the_separate_functions(n: int, dtype: Any, opts: dict[str, Any]) -> None:
    z, y, kw = _problem(n, dtype, opts)
    loss, grad = cross_entropy_and_grad(z, y, **kw)
    ref_loss = cross_entropy(z, y, **kw)
    ref_grad = cross_entropy_grad(z, y, **kw)
    assert grad.dtype == z.dtype and grad.shape == z.shape
    assert np.asarray(loss).dtype == np.asarray(ref_loss).dtype
    assert np.shape(loss) == np.shape(ref_loss)
    rtol = 2e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(loss, ref_loss, rtol=rtol, atol=0)
    np.testing.assert_allclose(
        grad, ref_grad, rtol=rtol, atol=1e-7 if dtype == np.float32 else 1e-16
    )


def test_kernel_path_is_one_fused_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []
    assert _simd.core is not None
    real, real_call = _simd.core.cross_entropy, _simd.core.ce_call

    def wrapper(*a: Any) -> Any:
        calls.append(a[3] is not None)  # the gradient buffer
        return real(*a)

    def call_wrapper(*a: Any) -> Any:  # the small-call entry, when it takes the call
        res = real_call(*a)
        if res is not None:
            calls.append(bool(a[7]))  # want_grad
        return res

    monkeypatch.setattr(_simd.core, "cross_entropy", wrapper)
    monkeypatch.setattr(_simd.core, "ce_call", call_wrapper)
    for n in (3, N_BIG):
        z, y, _ = _problem(n, np.float32, {})
        cross_entropy_and_grad(z, y)
        assert calls == [True]  # one pass, loss and gradient together
        calls.clear()
        cross_entropy_and_grad(z, y, backend="numpy")
        assert calls == []


@pytest.mark.parametrize("n", [7, N_BIG])
def test_matches_torch_forward_backward(n: int) -> None:
    """(N, C, d) logits normalised along axis 1, weights and smoothing, against autograd."""
    rng = np.random.default_rng(4)
    z = rng.standard_normal((n, N_CLASSES, 2)) * 3
    y = rng.integers(0, N_CLASSES, (n, 2))
    w = rng.uniform(0.5, 2.0, N_CLASSES)
    loss, grad = cross_entropy_and_grad(z, y, axis=1, weight=w, label_smoothing=0.1)
    zt = torch.from_numpy(z).requires_grad_(True)
    lt = F.cross_entropy(zt, torch.from_numpy(y), weight=torch.from_numpy(w), label_smoothing=0.1)
    lt.backward()
    assert zt.grad is not None
    np.testing.assert_allclose(loss, lt.item(), rtol=1e-12)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-10, atol=1e-17)


def test_torch_tensors_stay_tensors() -> None:
    z = torch.randn(4, 3, dtype=torch.float64)
    y = torch.tensor([0, 2, 1, 0])
    loss, grad = cross_entropy_and_grad(z, y)
    assert isinstance(loss, torch.Tensor) and isinstance(grad, torch.Tensor)
    np.testing.assert_allclose(grad.numpy(), cross_entropy_grad(z.numpy(), y.numpy()), rtol=1e-12)


def test_bad_input_names_the_function() -> None:
    with pytest.raises(ValueError, match="'reduction' parameter of cross_entropy_and_grad"):
        cross_entropy_and_grad([[1.0, 2.0]], [0], reduction="avg")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cross_entropy_and_grad"):
        cross_entropy_and_grad([[1.0, 2.0]], [5])
