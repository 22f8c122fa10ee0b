"""cross_entropy and cross_entropy_grad against torch.nn.functional.cross_entropy (and its
autograd gradient), option by option, and every bad-input path."""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from softmaxlab import SoftmaxLabError, cross_entropy, cross_entropy_grad

TOL: dict[Any, tuple[float, float]] = {np.float32: (2e-5, 2e-6), np.float64: (1e-12, 1e-14)}

# (logits shape, class axis): torch wants the classes on axis 1 (or 0 for one sample).
SHAPES = [((5,), -1), ((8, 5), -1), ((5, 8), 0), ((4, 5, 3, 2), 1), ((4, 3, 5), -1)]


def _torch_reference(
    logits: np.ndarray, target: np.ndarray, axis: int, **options: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Loss and gradient from PyTorch, with the class axis moved to torch's place."""
    torch_axis = 0 if logits.ndim == 1 else 1
    z = torch.tensor(np.moveaxis(logits, axis, torch_axis), requires_grad=True)
    if target.dtype.kind == "f":
        t = torch.tensor(np.moveaxis(target, axis, torch_axis))
    else:
        t = torch.tensor(target.astype(np.int64))
    if options.get("weight") is not None:
        options["weight"] = torch.tensor(options["weight"])
    loss = F.cross_entropy(z, t, **options)
    loss.sum().backward()
    assert z.grad is not None
    return loss.detach().numpy(), np.moveaxis(z.grad.numpy(), torch_axis, axis)


def _make_target(
    kind: str, shape: tuple[int, ...], axis: int, rng: np.random.Generator, dtype: Any
) -> np.ndarray:
    n_classes = shape[axis]
    sample_shape = tuple(s for i, s in enumerate(shape) if i != axis % len(shape))
    if kind == "probs":
        q = rng.random(shape).astype(dtype)
        return q / q.sum(axis=axis, keepdims=True)
    idx = rng.integers(0, n_classes, sample_shape)
    if kind == "index_ignored":
        idx = np.where(rng.random(sample_shape) < 0.3, -100, idx)
        idx.flat[0] = 2  # at least one kept sample
    return idx


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("shape", "axis"), SHAPES)
@pytest.mark.parametrize("kind", ["index", "index_ignored", "probs"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_matches_torch(
    dtype: Any,
    shape: tuple[int, ...],
    axis: int,
    kind: str,
    weighted: bool,
    label_smoothing: float,
) -> None:
    rng = np.random.default_rng(zlib.crc32(repr((shape, kind, weighted)).encode()))
    logits = (rng.standard_normal(shape) * 3).astype(dtype)
    target = _make_target(kind, shape, axis, rng, dtype)
    weight = rng.uniform(0.2, 2.0, shape[axis]).astype(dtype) if weighted else None
    for reduction in ("mean", "sum", "none"):
        if kind == "index_ignored" and len(shape) == 1:
            target = np.array(-100) if reduction != "mean" else np.array(1)
        opts: dict[str, Any] = {
            "weight": weight,
            "label_smoothing": label_smoothing,
            "reduction": reduction,
        }
        want_loss, want_grad = _torch_reference(logits, target, axis, **opts)
        loss = cross_entropy(logits, target, axis=axis, **opts)
        grad = cross_entropy_grad(logits, target, axis=axis, **opts)
        assert np.asarray(loss).dtype == dtype and grad.dtype == dtype
        assert grad.shape == logits.shape
        assert np.shape(loss) == np.shape(want_loss)
        rtol, atol = TOL[dtype]
        np.testing.assert_allclose(loss, want_loss, rtol=rtol, atol=atol, err_msg=reduction)
        np.testing.assert_allclose(grad, want_grad, rtol=rtol, atol=atol, err_msg=reduction)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_ignore_index_matches_torch(reduction: str, label_smoothing: float) -> None:
    rng = np.random.default_rng(5)
    logits = rng.standard_normal((6, 4))
    target = np.array([1, 3, 1, 0, 2, 1])  # ignore_index=1 is also a class number
    weight = rng.uniform(0.5, 1.5, 4)
    opts: dict[str, Any] = {
        "ignore_index": 1,
        "weight": weight,
        "label_smoothing": label_smoothing,
        "reduction": reduction,
    }
    want_loss, want_grad = _torch_reference(logits, target, -1, **opts)
    np.testing.assert_allclose(cross_entropy(logits, target, **opts), want_loss, rtol=1e-13)
    np.testing.assert_allclose(cross_entropy_grad(logits, target, **opts), want_grad, atol=1e-15)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("weight", [None, [0.0, 1.0, 1.0]])
def test_degenerate_denominators_match_torch(
    label_smoothing: float, weight: list[float] | None
) -> None:
    logits = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0], [0.2, 0.1, 0.0]])
    # All targets ignored: 'mean' is NaN (0/0); the gradient is zero, as in PyTorch.
    # With weight [0, 1, 1] and only class-0 targets kept, the weight sum is 0 as well.
    for target in (np.array([-100, -100, -100]), np.array([0, -100, 0])):
        for reduction in ("mean", "sum", "none"):
            opts: dict[str, Any] = {
                "weight": None if weight is None else np.array(weight),
                "label_smoothing": label_smoothing,
                "reduction": reduction,
            }
            want_loss, want_grad = _torch_reference(logits, target, -1, **opts)
            loss = cross_entropy(logits, target, **opts)
            grad = cross_entropy_grad(logits, target, **opts)
            np.testing.assert_allclose(loss, want_loss, rtol=1e-14)
            np.testing.assert_allclose(grad, want_grad, rtol=1e-14, atol=1e-16)
    assert np.isnan(cross_entropy(logits, np.array([-100, -100, -100])))


def test_probability_targets_mean_divides_by_n() -> None:
    logits = np.array([[0.0, 0.0], [0.0, np.log(3.0)]])
    q = np.array([[1.0, 0.0], [0.0, 1.0]])
    # -log(1/2) and -log(3/4), averaged over N = 2 (weights do not enter the denominator).
    want = (np.log(2.0) + np.log(4.0 / 3.0)) / 2
    np.testing.assert_allclose(cross_entropy(logits, q), want, rtol=1e-15)
    w = np.array([2.0, 0.5])
    want_w = (2.0 * np.log(2.0) + 0.5 * np.log(4.0 / 3.0)) / 2
    np.testing.assert_allclose(cross_entropy(logits, q, weight=w), want_w, rtol=1e-15)


def test_large_logits_do_not_overflow() -> None:
    logits = np.array([[1000.0, 0.0, -1000.0]], np.float32)
    assert cross_entropy(logits, [1]) == pytest.approx(1000.0, rel=1e-6)
    np.testing.assert_allclose(cross_entropy_grad(logits, [0]), [[0.0, 0.0, 0.0]], atol=1e-30)


def test_inputs_never_modified() -> None:
    rng = np.random.default_rng(7)
    logits = rng.standard_normal((4, 3))
    q = rng.random((4, 3))
    w = rng.random(3)
    saved = (logits.copy(), q.copy(), w.copy())
    for f in (cross_entropy, cross_entropy_grad):
        f(logits, q, weight=w, label_smoothing=0.1)
        f(logits, np.array([0, 1, 2, 0]), weight=w, label_smoothing=0.1)
    for a, b in zip((logits, q, w), saved, strict=True):
        np.testing.assert_array_equal(a, b)


# --- bad input -----------------------------------------------------------------------------

FUNCS = [cross_entropy, cross_entropy_grad]


@pytest.mark.parametrize("f", FUNCS)
def test_index_target_shape_mismatch_names_shapes_and_axis(f: Any) -> None:
    logits = np.zeros((4, 3, 5))
    with pytest.raises(ValueError) as info:
        f(logits, np.zeros((4, 3), int), axis=1)
    msg = str(info.value)
    assert "'target'" in msg and "(4, 3, 5)" in msg and "(4, 3)" in msg and "axis 1" in msg


@pytest.mark.parametrize("f", FUNCS)
def test_probability_target_shape_mismatch(f: Any) -> None:
    with pytest.raises(ValueError) as info:
        f(np.zeros((4, 3)), np.zeros((3, 4)))
    msg = str(info.value)
    assert "'target'" in msg and "(4, 3)" in msg and "(3, 4)" in msg


@pytest.mark.parametrize("f", FUNCS)
@pytest.mark.parametrize("bad", [3, -1, 7])
def test_class_index_out_of_range(f: Any, bad: int) -> None:
    with pytest.raises(ValueError, match=rf"\[0, 2\].*Got {bad} instead"):
        f(np.zeros((2, 3)), np.array([0, bad]))


@pytest.mark.parametrize("f", FUNCS)
@pytest.mark.parametrize("bad", ["avg", "MEAN", None, 1])
def test_bad_reduction(f: Any, bad: object) -> None:
    with pytest.raises(ValueError, match="'reduction'"):
        f(np.zeros((2, 3)), [0, 1], reduction=bad)


@pytest.mark.parametrize("f", FUNCS)
@pytest.mark.parametrize("bad", [-0.1, 1.5, np.nan, np.inf, "0.1", None])
def test_bad_label_smoothing(f: Any, bad: object) -> None:
    with pytest.raises(ValueError, match="'label_smoothing'") as info:
        f(np.zeros((2, 3)), [0, 1], label_smoothing=bad)
    assert isinstance(info.value, SoftmaxLabError)


@pytest.mark.parametrize("f", FUNCS)
@pytest.mark.parametrize("shape", [(2,), (4,), (1, 3), ()])
def test_bad_weight_shape(f: Any, shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match=r"'weight'.*\(3\)") as info:
        f(np.zeros((2, 3)), [0, 1], weight=np.ones(shape))
    assert str(shape) in str(info.value)


@pytest.mark.parametrize("f", FUNCS)
@pytest.mark.parametrize(
    "target", [["a", "b"], np.array([True, False]), np.array([1 + 0j, 0j]), [None, 1]]
)
def test_non_numeric_target_is_type_error(f: Any, target: object) -> None:
    with pytest.raises(TypeError, match="'target'"):
        f(np.zeros((2, 3)), target)


@pytest.mark.parametrize("f", FUNCS)
def test_other_bad_arguments(f: Any) -> None:
    with pytest.raises(ValueError, match="'axis'"):
        f(np.zeros((2, 3)), [0, 1], axis=(0, 1))
    with pytest.raises(ValueError, match="'axis'"):
        f(np.zeros((2, 3)), [0, 1], axis=2)
    with pytest.raises(ValueError, match="'ignore_index'"):
        f(np.zeros((2, 3)), [0, 1], ignore_index=1.5)
    with pytest.raises(ValueError, match="'logits'"):
        f(3.0, 0)
    with pytest.raises(TypeError, match="'logits'"):
        f([["a", "b"]], [0])


@pytest.mark.parametrize("kind", ["index", "probs"])
def test_empty_batch_matches_torch(kind: str) -> None:
    logits = np.empty((0, 3))
    target = np.empty(0, np.int64) if kind == "index" else np.empty((0, 3))
    for reduction in ("mean", "sum", "none"):
        want_loss, want_grad = _torch_reference(logits, target, -1, reduction=reduction)
        loss = cross_entropy(logits, target, reduction=reduction)
        np.testing.assert_array_equal(loss, want_loss)  # NaN for 'mean', as in PyTorch
        assert np.shape(loss) == np.shape(want_loss)
        assert cross_entropy_grad(logits, target, reduction=reduction).shape == want_grad.shape
