"""Issue 11: cross-entropy on degenerate inputs matches torch 2.13, value for value.

An empty class axis, no rows, every target ignored, a zero total weight: for each reduction,
each target kind, with and without label smoothing and class weights, ``cross_entropy``,
``cross_entropy_grad`` and ``cross_entropy_and_grad`` return what
``torch.nn.functional.cross_entropy`` (and its autograd gradient) returns — NaN, 0 or -0 —
and never crash. The reference is computed by torch in the test, never by softmaxlab.

What torch 2.13 does (checked by these tests, not assumed):

- 'mean' over nothing kept (no rows, no class, all ignored, zero weight sum) is NaN;
- probability targets: 'sum' over nothing is -0 (it negates an empty sum) and 'none' gives
  -0 per row of an empty class axis;
- label smoothing over an empty class axis multiplies by smoothing / C = inf: 'sum' and
  'none' are NaN there too;
- class-index targets on an empty class axis raise unless every target is ignored.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import softmaxlab as sl

# name -> (logits, target); the class axis is the last one (torch's axis 1 for 2-D).
CASES: dict[str, tuple[np.ndarray, np.ndarray]] = {
    "no class, all ignored": (np.zeros((3, 0)), np.full(3, -100)),
    "no class, probabilities": (np.zeros((3, 0)), np.zeros((3, 0))),
    "no row, indices": (np.zeros((0, 4)), np.zeros(0, dtype=np.int64)),
    "no row, probabilities": (np.zeros((0, 4)), np.zeros((0, 4))),
    "no row no class, indices": (np.zeros((0, 0)), np.zeros(0, dtype=np.int64)),
    "no row no class, probabilities": (np.zeros((0, 0)), np.zeros((0, 0))),
    "all ignored": (np.arange(12.0).reshape(3, 4), np.full(3, -100)),
    "zero weight sum": (np.arange(6.0).reshape(3, 2), np.array([0, 0, 1])),
}
REDUCTIONS = ("mean", "sum", "none")


def _options(name: str, n_classes: int, reduction: str, smoothing: float, weighted: bool):
    options: dict[str, Any] = {"reduction": reduction, "label_smoothing": smoothing}
    if weighted:
        # The zero-weight case has weight 0 on both classes; elsewhere weights 1..C.
        zero = name == "zero weight sum"
        options["weight"] = np.zeros(n_classes) if zero else np.arange(1.0, n_classes + 1)
    return options


def _torch(z: np.ndarray, t: np.ndarray, options: dict[str, Any]):
    zt = torch.tensor(z, requires_grad=True)
    opts = dict(options)
    if "weight" in opts:
        opts["weight"] = torch.tensor(opts["weight"])
    loss = F.cross_entropy(zt, torch.tensor(t), **opts)
    loss.sum().backward()
    assert zt.grad is not None
    return loss.detach().numpy(), zt.grad.numpy()


def _same(ours: Any, ref: np.ndarray, *, sign: bool) -> None:
    ours = np.asarray(ours)
    assert ours.shape == ref.shape
    assert ours.dtype == ref.dtype
    np.testing.assert_allclose(ours, ref, rtol=1e-13, atol=1e-15, equal_nan=True)
    if sign:  # 0 and -0 as torch (the sign of a NaN means nothing)
        finite = ~np.isnan(ref)
        assert np.array_equal(np.signbit(ours[finite]), np.signbit(ref[finite]))


PARAMS = list(itertools.product(CASES, REDUCTIONS, (0.0, 0.1), (False, True)))


@pytest.mark.parametrize(("case", "reduction", "smoothing", "weighted"), PARAMS)
def test_degenerate_inputs_match_torch(case, reduction, smoothing, weighted) -> None:
    z, t = CASES[case]
    options = _options(case, z.shape[-1], reduction, smoothing, weighted)
    ref_loss, ref_grad = _torch(z, t, options)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either: the special values are meant
        loss = sl.cross_entropy(z, t, **options)
        grad = sl.cross_entropy_grad(z, t, **options)
        both = sl.cross_entropy_and_grad(z, t, **options)
    _same(loss, ref_loss, sign=True)
    _same(grad, ref_grad, sign=False)
    _same(both[0], ref_loss, sign=True)
    _same(both[1], ref_grad, sign=False)


@pytest.mark.parametrize(("case", "reduction", "smoothing", "weighted"), PARAMS)
def test_degenerate_torch_tensors_match_torch(case, reduction, smoothing, weighted) -> None:
    """The same inputs as PyTorch tensors (computed by softmaxlab.interop in torch)."""
    z, t = CASES[case]
    options = _options(case, z.shape[-1], reduction, smoothing, weighted)
    ref_loss, ref_grad = _torch(z, t, options)
    zt, tt = torch.tensor(z), torch.tensor(t)
    _same(sl.cross_entropy(zt, tt, **options).numpy(), ref_loss, sign=True)
    _same(sl.cross_entropy_grad(zt, tt, **options).numpy(), ref_grad, sign=False)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_index_cases_on_every_backend(backend, reduction) -> None:
    """backend='numba' on inputs the kernels cannot take (no entry) gives torch's values."""
    for case in ("no class, all ignored", "no row, indices", "no row no class, indices"):
        z, t = CASES[case]
        ref_loss, ref_grad = _torch(z, t, {"reduction": reduction})
        loss, grad = sl.cross_entropy_and_grad(z, t, reduction=reduction, backend=backend)
        _same(loss, ref_loss, sign=True)
        _same(grad, ref_grad, sign=False)


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_degenerate_keeps_dtype(dtype) -> None:
    z = np.zeros((3, 0), dtype=dtype)
    loss, grad = sl.cross_entropy_and_grad(z, np.zeros((3, 0), dtype=dtype))
    assert np.isnan(loss) and np.asarray(loss).dtype == dtype
    assert grad.shape == (3, 0) and grad.dtype == dtype


def test_empty_class_axis_with_a_kept_target_is_a_clear_error() -> None:
    """torch raises IndexError ('Target 0 is out of bounds'); ours names the parameter."""
    z = np.zeros((3, 0))
    with pytest.raises(IndexError):
        F.cross_entropy(torch.tensor(z), torch.tensor([0, -100, -100]))
    for func in (sl.cross_entropy, sl.cross_entropy_grad, sl.cross_entropy_and_grad):
        with pytest.raises(ValueError, match=r"'target' parameter .*class axis 1 .* empty") as e:
            func(z, np.array([-100, 0, -100]))
        assert isinstance(e.value, sl.SoftmaxLabError)
        assert e.value.parameter == "target" and e.value.value == "0"
    with pytest.raises(ValueError, match=r"'target' parameter .* empty"):
        sl.cross_entropy(torch.tensor(z), torch.tensor([0, -100, -100]))


def test_weights_on_an_empty_class_axis_are_checked() -> None:
    with pytest.raises(ValueError, match=r"'weight' parameter.*\(0\)"):
        sl.cross_entropy(np.zeros((3, 0)), np.full(3, -100), weight=np.ones(1))


def test_neighbours_stay_finite() -> None:
    """One kept row among ignored ones, one class: ordinary values (torch's)."""
    z = np.array([[0.5], [2.0], [-1.0]])
    t = np.array([-100, 0, -100])
    for reduction in REDUCTIONS:
        for ls in (0.0, 0.3):
            ref_loss, ref_grad = _torch(z, t, {"reduction": reduction, "label_smoothing": ls})
            loss, grad = sl.cross_entropy_and_grad(z, t, reduction=reduction, label_smoothing=ls)
            _same(loss, ref_loss, sign=True)
            _same(grad, ref_grad, sign=False)
            assert np.all(np.isfinite(np.asarray(loss)))
