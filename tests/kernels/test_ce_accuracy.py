"""Cross-entropy, its gradient and the fused call on the compiled core against mpmath.

Every SIMD level this machine supports (the ``simd_level`` fixture), float32 and float64,
short rows (<= 32 classes: the kernels that vectorise across rows), long rows, and one long
row split across two threads; class weights, label smoothing and ignored samples. The
reference is formed in mpmath from the exact input values (``ref_softmax_family``): per sample
``(1 - eps) w_y (-logp_y) + eps / C sum_c w_c (-logp_c)``, and the gradient
``U p - u`` with ``U = (1 - eps) w_y + eps / C sum(w)``, ``u = (1 - eps) w_y e_y + eps / C w``.

Bounds: the loss per sample within 1 ulp (float32) and 3 ulps (float64) of the exact value;
the gradient entries within 1 ulp (float32) and 4 ulps (float64) of the row's scale
``max_c max(U p_c, u_c)``: an absolute measure, because an entry is the difference of those
two terms and cancels where ``U p_c`` is close to ``u_c`` (a well-predicted target), which
no method that forms ``p`` first escapes (PyTorch's ``softmax - onehot`` neither).
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterator
from typing import Any

import mpmath
import numpy as np
import pytest

import softmaxlab as sl
from softmaxlab import kernels as K
from softmaxlab.kernels import _threads
from tests._support.mpref import max_ulp_error, ref_cross_entropy_rows

# The short rows' kernels take blocks of 16 (AVX-512) or 8 (AVX2) rows: the short shapes end
# in a partial block, at the class counts of the transposition's edge cases (8 and 32:
# whole 8 or 16 class tiles, 20: a partial one, the training case).
SHAPES = {
    "short": (40, 10),
    "short-8": (37, 8),
    "short-20": (45, 20),
    "short-32": (21, 32),
    "long": (6, 300),
    "one-long-row": (1, 5001),
}
SHORT_SHAPES = ["short", "short-8", "short-20", "short-32"]
OPTS: dict[str, dict[str, Any]] = {
    "plain": {},
    "weight": {"weight": True},
    "smooth": {"label_smoothing": 0.1},
    "weight+smooth": {"weight": True, "label_smoothing": 0.3},
}
LOSS_ULPS = {np.float32: 1.0, np.float64: 3.0}
GRAD_ULPS = {np.float32: 1.0, np.float64: 4.0}


@pytest.fixture
def two_threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Two threads for inputs of any size (so that the one long row is split)."""
    old = K.get_num_threads()
    monkeypatch.setattr(_threads, "PARALLEL_MIN_BYTES", 0)
    K.set_num_threads(2)
    yield
    K.set_num_threads(old)


def _problem(shape_name: str, dtype: Any, opt_name: str) -> tuple[Any, ...]:
    n, c = SHAPES[shape_name]
    rng = np.random.default_rng(zlib.crc32(f"{shape_name} {opt_name}".encode()))
    x = (rng.standard_normal((n, c)) * 4).astype(dtype)
    x[0, :] += 1e3  # a large common offset: d = x - max must be formed exactly
    t = rng.integers(0, c, n)
    if n > 2:
        t[1] = -100
        x[2, t[2]] = x[2].max() + 30  # a dominant target: loss near 0, gradient cancels
    kw = dict(OPTS[opt_name])
    if kw.get("weight"):
        kw["weight"] = rng.uniform(0.2, 3.0, c)
    return x, t, kw


@functools.cache
def _reference(
    shape_name: str, dtype: Any, opt_name: str
) -> tuple[list[Any], list[list[Any]], list[Any]]:
    """Per-sample losses, gradient rows ('sum' reduction) and the rows' gradient scales
    (``max_c max(U p_c, u_c)``, 0 for ignored rows) in mpmath (50 digits)."""
    x, t, kw = _problem(shape_name, dtype, opt_name)
    return ref_cross_entropy_rows(x, t, kw.get("weight"), kw.get("label_smoothing", 0.0))


def _grad_row_ulps(got: np.ndarray, ref: list[list[Any]], scales: list[Any], dtype: Any) -> float:
    """Largest |g - exact| per row, in ulps of the row's gradient scale."""
    worst = 0.0
    nmant = np.finfo(dtype).nmant
    with mpmath.workdps(50):
        for grow, rrow, top in zip(got.tolist(), ref, scales, strict=True):
            if top == 0:  # an ignored row: exactly zero
                assert all(g == 0.0 for g in grow)
                continue
            u = mpmath.ldexp(1, int(mpmath.frexp(top)[1]) - 1 - nmant)
            err = max(abs(mpmath.mpf(g) - r) for g, r in zip(grow, rrow, strict=True))
            worst = max(worst, float(err / u))
    return worst


def _check(shape_name: str, dtype: Any, opt_name: str) -> None:
    x, t, kw = _problem(shape_name, dtype, opt_name)
    losses, grads, scales = _reference(shape_name, dtype, opt_name)
    loss = sl.cross_entropy(x, t, reduction="none", backend="compiled", **kw)
    assert loss.dtype == dtype
    assert max_ulp_error(loss, losses, dtype) <= LOSS_ULPS[dtype]
    grad = sl.cross_entropy_grad(x, t, reduction="sum", backend="compiled", **kw)
    assert grad.dtype == dtype
    assert _grad_row_ulps(grad, grads, scales, dtype) <= GRAD_ULPS[dtype]
    # The fused call gives the same values as the two separate ones.
    fl, fg = sl.cross_entropy_and_grad(x, t, reduction="none", backend="compiled", **kw)
    np.testing.assert_array_equal(fl, loss)
    np.testing.assert_array_equal(fg, grad)
    # 'mean': the sum of the losses over the sum of the kept target weights, rounded once.
    wv = kw.get("weight")
    kept = [i for i, y in enumerate(t.tolist()) if y != -100]
    with mpmath.workdps(50):
        denom = mpmath.fsum(mpmath.mpf(1 if wv is None else wv[t[i]]) for i in kept)
        mean_ref = mpmath.fsum(losses) / denom
    mean = sl.cross_entropy(x, t, backend="compiled", **kw)
    assert max_ulp_error(mean, mean_ref, dtype) <= LOSS_ULPS[dtype]
    mean_grad = sl.cross_entropy_grad(x, t, backend="compiled", **kw)
    with mpmath.workdps(50):
        scaled = [[g / denom for g in row] for row in grads]
        scaled_top = [v / denom for v in scales]
    assert _grad_row_ulps(mean_grad, scaled, scaled_top, dtype) <= GRAD_ULPS[dtype]


@pytest.mark.parametrize("opt_name", list(OPTS))
@pytest.mark.parametrize("shape_name", [*SHORT_SHAPES, "long"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_cross_entropy_against_mpmath(
    dtype: Any, shape_name: str, opt_name: str, simd_level: str
) -> None:
    _check(shape_name, dtype, opt_name)


@pytest.mark.parametrize("opt_name", ["plain", "weight+smooth"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_one_long_row_split_across_threads_against_mpmath(
    dtype: Any, opt_name: str, simd_level: str, two_threads: None
) -> None:
    _check("one-long-row", dtype, opt_name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("n_classes", [5, 300])
def test_nan_and_inf_rows_give_nan_and_leave_the_others_alone(
    dtype: Any, n_classes: int, simd_level: str
) -> None:
    """NaN, +inf and all -inf rows: NaN loss and gradient rows (as the NumPy path and
    PyTorch); an ignored NaN row contributes nothing; the other rows keep their values."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((40, n_classes)).astype(dtype)
    t = rng.integers(0, n_classes, 40)
    x[0, 1], x[1, 2], x[2, :] = np.nan, np.inf, -np.inf
    x[3, 0], t[3] = np.nan, -100  # ignored: never used
    for ls in (0.0, 0.2):
        loss, grad = sl.cross_entropy_and_grad(
            x, t, reduction="none", label_smoothing=ls, backend="compiled"
        )
        assert np.isnan(loss[:3]).all() and np.isnan(grad[:3]).all()
        assert loss[3] == 0.0 and (grad[3] == 0.0).all()
        assert np.isfinite(loss[4:]).all() and np.isfinite(grad[4:]).all()
        clean_loss, clean_grad = sl.cross_entropy_and_grad(
            x[4:], t[4:], reduction="none", label_smoothing=ls, backend="numpy"
        )
        rtol = 4e-7 if dtype == np.float32 else 1e-14
        np.testing.assert_allclose(loss[4:], clean_loss, rtol=rtol)
        np.testing.assert_allclose(grad[4:], clean_grad, rtol=0, atol=rtol)
        assert np.isnan(sl.cross_entropy(x, t, label_smoothing=ls, backend="compiled"))


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_empty_class_axis_and_no_rows(dtype: Any, simd_level: str) -> None:
    for shape in ((0, 4), (3, 0)):
        x = np.zeros(shape, dtype=dtype)
        t = np.full(shape[0], -100)
        for red in ("none", "sum", "mean"):
            got = sl.cross_entropy_and_grad(x, t, reduction=red, backend="compiled")
            want = sl.cross_entropy_and_grad(x, t, reduction=red, backend="numpy")
            np.testing.assert_array_equal(got[0], want[0])
            assert got[1].shape == shape and got[1].dtype == dtype
