"""cross_entropy and cross_entropy_grad through the dispatch point: class-index problems of
every size go to the fused kernels of the compiled core, probability targets (and
``backend="numpy"``) to the NumPy reference path; both agree with each other and with
PyTorch, option by option."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from softmaxlab import _simd, cross_entropy, cross_entropy_grad, kernels
from tests._support.mpref import max_ulp_diff

KERNELS = ("loss", "grad")  # cross_entropy_parts without and with the gradient
N_CLASSES = 17
N_BIG = (1 << 14) // N_CLASSES + 1

OPTIONS: list[dict[str, Any]] = [
    {},
    {"reduction": "sum"},
    {"reduction": "none"},
    {"weight": True},
    {"label_smoothing": 0.2},
    {"weight": True, "label_smoothing": 0.25, "reduction": "none"},
    {"weight": True, "label_smoothing": 0.1, "reduction": "sum"},
    {"ignore_index": 3},  # a class number that is also ignored
    {"ignore_index": -1, "weight": True, "label_smoothing": 0.3},
]


def _ids(opts: dict[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in opts.items()) or "default"


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the calls of the core's cross-entropy kernel: 'loss', or 'grad' when it writes a
    gradient; through ``cross_entropy`` (the gradient buffer its fourth argument) or through
    the small-call entry ``ce_call`` when it takes the call (``want_grad`` its eighth)."""
    calls: list[str] = []
    assert _simd.core is not None
    real, real_call = _simd.core.cross_entropy, _simd.core.ce_call

    def wrapper(*args: Any) -> Any:
        calls.append("loss" if args[3] is None else "grad")
        return real(*args)

    def call_wrapper(*args: Any) -> Any:
        res = real_call(*args)
        if res is not None:
            calls.append("grad" if args[7] else "loss")
        return res

    monkeypatch.setattr(_simd.core, "cross_entropy", wrapper)
    monkeypatch.setattr(_simd.core, "ce_call", call_wrapper)
    return calls


@pytest.fixture(params=[1, 2], ids=["1thread", "2threads"])
def threads(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """1 or 2 kernel threads, used for inputs of any size."""
    old = kernels.get_num_threads()
    monkeypatch.setattr(kernels._threads, "PARALLEL_MIN_BYTES", 0)
    kernels.set_num_threads(request.param)
    yield request.param
    kernels.set_num_threads(old)


def _problem(
    dtype: Any, shape: tuple[int, ...] = (N_BIG, N_CLASSES), axis: int = -1, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 3.0, shape).astype(dtype)
    n_classes = shape[axis]
    sample_shape = tuple(s for i, s in enumerate(shape) if i != axis % len(shape))
    target = rng.integers(0, n_classes, sample_shape)
    target.flat[::7] = -100
    weight = rng.uniform(0.2, 3.0, n_classes)
    return logits, target, weight


def _options(opts: dict[str, Any], weight: np.ndarray, target: np.ndarray) -> dict[str, Any]:
    kw = dict(opts)
    if kw.pop("weight", False):
        kw["weight"] = weight
    if "ignore_index" in kw:
        target[target == -100] = kw["ignore_index"]
        target.flat[::5] = kw["ignore_index"]
    return kw


# ----------------------------------------------------------------- kernels vs NumPy path


@pytest.mark.parametrize("opts", OPTIONS, ids=_ids)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_large_inputs_use_the_kernels_and_agree(spy: list[str], dtype: Any, opts: Any) -> None:
    logits, target, weight = _problem(dtype)
    kw = _options(opts, weight, target)
    before = logits.copy()
    loss = cross_entropy(logits, target, **kw)
    grad = cross_entropy_grad(logits, target, **kw)
    assert spy == list(KERNELS)
    ref_loss = cross_entropy(logits, target, backend="numpy", **kw)
    ref_grad = cross_entropy_grad(logits, target, backend="numpy", **kw)
    assert spy == list(KERNELS)  # backend="numpy" never calls them
    np.testing.assert_array_equal(logits, before)  # the input is never written

    assert type(loss) is type(ref_loss)
    assert np.asarray(loss).dtype == np.asarray(ref_loss).dtype == dtype
    assert np.shape(loss) == np.shape(ref_loss)
    assert grad.dtype == ref_grad.dtype == dtype and grad.shape == ref_grad.shape == logits.shape
    if dtype == np.float16:
        # Both paths work in float32 or wider; the kernels round once more (through float32).
        assert max_ulp_diff(loss, ref_loss, np.float16) <= 1
        assert max_ulp_diff(grad, ref_grad, np.float16) <= 1
        return
    rtol = 4e-7 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(loss, ref_loss, rtol=rtol, atol=0)
    scale = np.abs(ref_grad).max()
    atol = scale * (4e-7 if dtype == np.float32 else 1e-15)
    np.testing.assert_allclose(grad, ref_grad, rtol=0, atol=atol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("shape", "axis"), [((500, 17, 3), 1), ((17, 1000), 0)], ids=str)
def test_class_axis_is_moved_last_for_the_kernels(
    spy: list[str], dtype: Any, shape: tuple[int, ...], axis: int
) -> None:
    logits, target, weight = _problem(dtype, shape, axis, seed=1)
    for reduction in ("mean", "none"):
        kw: dict[str, Any] = {"axis": axis, "weight": weight, "reduction": reduction}
        loss = cross_entropy(logits, target, **kw)
        grad = cross_entropy_grad(logits, target, **kw)
        ref_loss = cross_entropy(logits, target, backend="numpy", **kw)
        ref_grad = cross_entropy_grad(logits, target, backend="numpy", **kw)
        assert np.shape(loss) == np.shape(ref_loss) == target.shape * (reduction == "none")
        assert grad.shape == logits.shape
        rtol = 4e-7 if dtype == np.float32 else 1e-14
        np.testing.assert_allclose(loss, ref_loss, rtol=rtol)
        atol = np.abs(ref_grad).max() * (4e-7 if dtype == np.float32 else 1e-15)
        np.testing.assert_allclose(grad, ref_grad, rtol=0, atol=atol)
    assert spy == list(KERNELS) * 2


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_threads_agree_with_the_reference(threads: int, dtype: Any) -> None:
    """Many rows split across threads, and one long row split into chunks."""
    rng = np.random.default_rng(2)
    for shape in ((300, 200), (1, 50001)):
        logits = rng.normal(0.0, 4.0, shape).astype(dtype)
        target = rng.integers(0, shape[1], shape[0])
        weight = rng.uniform(0.2, 3.0, shape[1])
        kw: dict[str, Any] = {"weight": weight, "label_smoothing": 0.1}
        loss = cross_entropy(logits, target, backend="numba", **kw)
        ref = cross_entropy(logits, target, backend="numpy", **kw)
        np.testing.assert_allclose(loss, ref, rtol=4e-7 if dtype == np.float32 else 1e-14)
        grad = cross_entropy_grad(logits, target, backend="numba", **kw)
        gref = cross_entropy_grad(logits, target, backend="numpy", **kw)
        # Measured against mpmath, each path's float64 gradient of a 50,001-class row is off
        # by up to a few tens of ulps of its largest entry (the two round differently).
        atol = np.abs(gref).max() * (4e-7 if dtype == np.float32 else 1e-14)
        np.testing.assert_allclose(grad, gref, rtol=0, atol=atol)


# ----------------------------------------------------------------------------- vs torch


def _torch(
    logits: np.ndarray, target: np.ndarray, opts: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's loss and autograd gradient (classes on axis 1, as torch wants them)."""
    z = torch.tensor(logits, requires_grad=True)
    kw = dict(opts)
    if kw.get("weight") is not None:
        kw["weight"] = torch.tensor(kw["weight"].astype(logits.dtype))
    loss = F.cross_entropy(z, torch.tensor(target.astype(np.int64)), **kw)
    loss.sum().backward()
    assert z.grad is not None
    return loss.detach().numpy(), z.grad.numpy()


@pytest.mark.parametrize("opts", OPTIONS, ids=_ids)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernel_path_matches_torch(spy: list[str], dtype: Any, opts: Any) -> None:
    # (N, C, d) with the classes on axis 1, torch's own layout: 1,000 x 17 x 2 elements.
    logits, target, weight = _problem(dtype, (1000, N_CLASSES, 2), 1, seed=3)
    kw = _options(opts, weight, target)
    if "weight" in kw:
        kw["weight"] = kw["weight"].astype(dtype)  # as torch sees it
    want_loss, want_grad = _torch(logits, target, kw)
    loss = cross_entropy(logits, target, axis=1, **kw)
    grad = cross_entropy_grad(logits, target, axis=1, **kw)
    assert spy == list(KERNELS)
    assert np.shape(loss) == want_loss.shape and grad.shape == want_grad.shape
    # PyTorch forms lse - x_y in float32: its error is relative to the logits, not the loss.
    eps = np.finfo(dtype).eps
    atol = 4 * eps * np.abs(logits).max() * (1 if np.ndim(loss) else np.abs(loss).max())
    np.testing.assert_allclose(loss, want_loss, rtol=16 * eps, atol=atol)
    atol = np.abs(want_grad).max() * (2e-6 if dtype == np.float32 else 1e-13)
    np.testing.assert_allclose(grad, want_grad, rtol=0, atol=atol)


# -------------------------------------------------------------------------- special values


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_special_values_agree_on_both_paths(dtype: Any) -> None:
    logits, target, _ = _problem(dtype, seed=4)
    target[:6] = [0, 2, 1, 5, 4, 3]
    logits[0, 3] = np.nan  # NaN row: NaN loss and gradient
    logits[1, 5] = np.inf  # +inf: NaN
    logits[2, :] = -np.inf  # all -inf: NaN
    logits[3, 7] = -np.inf  # one -inf entry, not the target: finite
    logits[4, 4] = -np.inf  # -inf at the target: +inf loss
    logits[5, 6] = 1e30  # one huge logit, not the target: about 1e30, no overflow
    for reduction in ("none", "sum"):
        fast = cross_entropy(logits, target, reduction=reduction, backend="numba")
        ref = cross_entropy(logits, target, reduction=reduction, backend="numpy")
        np.testing.assert_array_equal(np.isnan(fast), np.isnan(ref))
        np.testing.assert_allclose(fast, ref, rtol=4e-7 if dtype == np.float32 else 1e-14)
    loss = cross_entropy(logits, target, reduction="none", backend="numba")
    assert np.isnan(loss[:3]).all() and np.isfinite(loss[3]) and loss[4] == np.inf
    assert loss[5] == pytest.approx(1e30 - float(logits[5, 5]), rel=1e-6)
    g = cross_entropy_grad(logits, target, reduction="sum", backend="numba")
    gref = cross_entropy_grad(logits, target, reduction="sum", backend="numpy")
    np.testing.assert_array_equal(np.isnan(g), np.isnan(gref))
    assert np.isnan(g[:3]).all() and np.isfinite(g[3:]).all()
    np.testing.assert_allclose(g, gref, rtol=0, atol=4e-7 if dtype == np.float32 else 1e-15)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.4])
def test_degenerate_denominators_on_the_kernel_path(label_smoothing: float) -> None:
    logits, target, _ = _problem(np.float64, seed=5)
    ignored = np.full_like(target, -100)
    # All ignored: 'mean' is 0/0 = NaN, the gradient all zeros (as PyTorch).
    for backend in ("numba", "numpy"):
        assert np.isnan(
            cross_entropy(logits, ignored, label_smoothing=label_smoothing, backend=backend)
        )
        g = cross_entropy_grad(logits, ignored, label_smoothing=label_smoothing, backend=backend)
        assert (g == 0).all()
    # Every kept target has weight 0: the weight sum is 0, so 'mean' is NaN.
    w = np.ones(N_CLASSES)
    w[0] = 0.0
    zero_w = np.where(target == -100, -100, 0)
    want_loss, want_grad = _torch(logits, zero_w, {"weight": w, "label_smoothing": label_smoothing})
    loss = cross_entropy(logits, zero_w, weight=w, label_smoothing=label_smoothing)
    grad = cross_entropy_grad(logits, zero_w, weight=w, label_smoothing=label_smoothing)
    assert np.isnan(loss) and np.isnan(want_loss)
    np.testing.assert_array_equal(np.isnan(grad), np.isnan(want_grad))


def test_ignore_index_beyond_int64_and_unsigned_targets(spy: list[str]) -> None:
    logits, target, _ = _problem(np.float32, seed=6)
    kept = np.where(target < 0, 0, target)  # no ignored sample
    huge = 2**70  # matches no target, on either path
    fast = cross_entropy(logits, kept, ignore_index=huge, reduction="none")
    ref = cross_entropy(logits, kept, ignore_index=huge, reduction="none", backend="numpy")
    np.testing.assert_allclose(fast, ref, rtol=4e-7)
    np.testing.assert_array_equal(
        cross_entropy(logits, kept.astype(np.uint16)), cross_entropy(logits, kept)
    )
    assert spy == ["loss"] * 3


def test_non_contiguous_input(spy: list[str]) -> None:
    base, target, weight = _problem(np.float64, (N_BIG, 2 * N_CLASSES), seed=7)
    logits = base[:, ::2]  # a strided view
    target = np.where(target < N_CLASSES, target, 1)
    w = weight[:N_CLASSES]
    got = cross_entropy_grad(logits, target, weight=w, reduction="sum")
    want = cross_entropy_grad(logits.copy(), target, weight=w, reduction="sum")
    np.testing.assert_array_equal(got, want)
    assert spy == ["grad"] * 2


# ------------------------------------------------------------------ routing and errors


def test_small_inputs_use_the_kernels_and_probability_targets_stay_on_numpy(
    spy: list[str],
) -> None:
    rng = np.random.default_rng(8)
    logits, target, _ = _problem(np.float64, seed=8)
    q = rng.random(logits.shape)
    q /= q.sum(axis=1, keepdims=True)
    cross_entropy(logits, q)
    cross_entropy_grad(logits, q)
    cross_entropy(logits, target, backend="numpy")
    assert spy == []
    small = rng.standard_normal((10, 5))
    for backend in (None, "auto", "compiled", "numba"):
        got = cross_entropy(small, np.arange(10) % 5, backend=backend)
        assert got == pytest.approx(cross_entropy(small, np.arange(10) % 5, backend="numpy"))
    cross_entropy_grad(small, np.arange(10) % 5)
    assert spy == ["loss"] * 4 + ["grad"]


def test_backend_numba_on_small_and_empty_inputs() -> None:
    logits = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
    # Worked by hand in cross_entropy's docstring: (0.2413 + 0.1096) / 2.
    assert float(cross_entropy(logits, [0, 2], backend="numba")) == pytest.approx(
        0.1754560, abs=1e-6
    )
    # One sample: 1-D logits and a 0-d target.
    one = np.array([0.3, -1.2, 2.5, 0.0])
    for reduction in ("mean", "none"):
        fast = cross_entropy(one, np.int64(2), reduction=reduction, backend="numba")
        ref = cross_entropy(one, np.int64(2), reduction=reduction, backend="numpy")
        assert type(fast) is type(ref) and np.shape(fast) == np.shape(ref) == ()
        np.testing.assert_allclose(fast, ref, rtol=1e-15)
        g = cross_entropy_grad(one, 2, reduction=reduction, backend="numba")
        assert g.shape == (4,)
        np.testing.assert_allclose(g, cross_entropy_grad(one, 2, backend="numpy"), atol=1e-16)
    for func in (cross_entropy, cross_entropy_grad):
        for shape in ((0, 3), (4, 0)):
            empty = np.zeros(shape, dtype=np.float32)
            t = np.full(shape[0], -100)  # with no class, every sample must be ignored
            fast = func(empty, t, backend="numba", reduction="none")
            ref = func(empty, t, backend="numpy", reduction="none")
            assert fast.shape == ref.shape and fast.dtype == ref.dtype
            np.testing.assert_array_equal(fast, ref)
    # No class at all (every sample ignored): as PyTorch, 0 per sample, 'mean' is 0/0 = NaN.
    no_class = np.zeros((4, 0))
    np.testing.assert_array_equal(
        cross_entropy(no_class, np.full(4, -100), reduction="none", backend="numba"), np.zeros(4)
    )
    assert np.isnan(cross_entropy(no_class, np.full(4, -100)))
    assert cross_entropy(no_class, np.full(4, -100), reduction="sum") == 0.0


@pytest.mark.parametrize("func", [cross_entropy, cross_entropy_grad])
@pytest.mark.parametrize("backend", ["auto", "compiled", "numba"])
def test_out_of_range_targets_are_a_clear_error(spy: list[str], func: Any, backend: str) -> None:
    logits, target, _ = _problem(np.float32, seed=9)
    name = func.__name__
    for bad in (N_CLASSES, -1):
        t = target.copy()
        t[10] = bad
        with pytest.raises(ValueError, match=rf"'target' parameter of {name} .*Got {bad} inst"):
            func(logits, t, backend=backend)
    with pytest.raises(ValueError, match="shape"):
        func(logits, target[:-1], backend=backend)
    # The fast path may hand int64 targets to the core, which checks them before any row is
    # read (and the general path then names the bad one); nothing is computed from them.
    assert set(spy) <= set(KERNELS)


def test_the_core_checks_targets_itself() -> None:
    """Memory safety: the C kernel refuses indices outside [0, C) whatever the caller did."""
    logits = np.zeros((3, 4), dtype=np.float32)
    for bad in (4, -2, 2**40):
        t = np.array([0, bad, 1], dtype=np.int64)
        with pytest.raises(ValueError, match=f"target {bad} at row 1 is outside"):
            kernels.cross_entropy_parts(logits, t)
        with pytest.raises(ValueError, match="outside"):
            kernels.ce_denom(t, None, 4, -100)
    ok = np.array([0, -100, 3], dtype=np.int64)
    parts, totals = kernels.cross_entropy_parts(logits, ok, ignore_index=-100)
    np.testing.assert_array_equal(parts[:, 1], 0.0)
    # Two kept rows of 4 equal logits: each -log(1/4); the total weight is 2.
    np.testing.assert_allclose(totals, (2 * np.log(4.0), 0.0, 2.0), rtol=1e-15)
    assert kernels.ce_denom(ok, None, 4, -100) == 2.0


@pytest.mark.parametrize("func", [cross_entropy, cross_entropy_grad])
def test_backend_errors(func: Any) -> None:
    name = func.__name__
    logits = np.zeros((2, 3))
    with pytest.raises(ValueError, match=f"'backend' parameter of {name} must be one of"):
        func(logits, [0, 1], backend="cuda")
    with pytest.raises(ValueError, match=f"'backend' parameter of {name} must be one of"):
        func(logits, [0, 1], backend=1)
    q = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match="'numba' only with integer class indices"):
        func(logits, q, backend="numba")
    np.testing.assert_array_equal(func(logits, q, backend="auto"), func(logits, q))
    if np.dtype(np.longdouble).itemsize > 8:
        with pytest.raises(ValueError, match="'numba' only for float16, float32 or float64"):
            func(logits.astype(np.longdouble), [0, 1], backend="numba")


def test_backend_compiled_without_the_core_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_simd, "core", None)
    for backend in ("compiled", "numba"):
        with pytest.raises(ValueError, match="the compiled core is not loaded"):
            cross_entropy([[1.0, 2.0]], [0], backend=backend)
    logits, target, _ = _problem(np.float64, seed=10)
    # "auto" quietly keeps the reference path.
    np.testing.assert_array_equal(
        cross_entropy_grad(logits, target), cross_entropy_grad(logits, target, backend="numpy")
    )
