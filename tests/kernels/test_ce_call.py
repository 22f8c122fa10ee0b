"""The core's one-call cross-entropy (``ce_call``): what it takes, what it gives back.

It takes the common small call of :func:`softmaxlab.cross_entropy` and
:func:`softmaxlab.cross_entropy_and_grad` whole (checks, kernel, reduction) and returns None
for everything else, which then takes the general path. What it computes must be the bits
of the threaded drivers' path (the same kernel, the same reduction in Python), and that path
agrees with PyTorch and the NumPy reference (test_dispatch_loss.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import softmaxlab as sl
from softmaxlab import _simd, kernels
from softmaxlab.core import _ce_kernel, _dispatch

pytestmark = pytest.mark.skipif(_simd.core is None, reason="the compiled core is not built")

LIMIT = _dispatch.SMALL_BYTES


def _call(x, y, *, axis=-1, ignore=-100, ls=0.0, red="mean", backend=None, grad=False,
          limit=LIMIT):  # fmt: skip
    assert _simd.core is not None
    return _simd.core.ce_call(x, y, axis, ignore, ls, red, backend, grad, limit)


def _problem(rows, n, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((rows, n)) * 4).astype(dtype)
    y = rng.integers(0, n, rows)
    return x, y


CASES = [
    {"red": "mean"},
    {"red": "sum"},
    {"red": "mean", "ls": 0.3},
    {"red": "sum", "ls": 1},
    {"red": "mean", "ignore": 2},
    {"red": "mean", "ls": 0.1, "ignore": -1},
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
@pytest.mark.parametrize("shape", [(1, 10), (7, 3), (64, 33), (300, 100)], ids=str)
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_bits_of_the_driver_path(case, shape, dtype, simd_level):
    """ce_call's sums and gradient are the driver path's (cross_entropy_parts, with the
    gradient scale that _kernel_ce gives it); the public loss reduces them as that path does."""
    x, y = _problem(*shape, dtype)
    ignore, ls = case.get("ignore", -100), float(case.get("ls", 0.0))
    if ignore >= 0:
        y[::3] = ignore
    for grad in (False, True):
        got = _call(x, y, grad=grad, **case)
        assert got is not None
        *totals, g = got
        mean_grad = grad and case["red"] == "mean"
        denom = kernels.ce_denom(y, None, shape[1], ignore)
        scale = _ce_kernel._div(1.0, denom) if mean_grad else 1.0  # as _kernel_ce
        want_g = np.empty_like(x) if grad else None
        _, want = kernels.cross_entropy_parts(
            x, y, ignore_index=ignore, label_smoothing=ls, grad=want_g, scale=scale
        )
        assert np.array(totals).tobytes() == np.array(want).tobytes()
        if grad:
            assert g.dtype == dtype and g.shape == x.shape and g.flags.owndata
            np.testing.assert_array_equal(g, want_g)
            assert np.signbit(g).tolist() == np.signbit(want_g).tolist()
        else:
            assert g is None
        loss, _ = _ce_kernel._fast_ce(x, y, (-1, None, ignore, case.get("ls", 0.0),
                                             case["red"], None), grad)  # fmt: skip
        ref = _ce_kernel._kernel_ce(x, y, None, ignore, ls, case["red"], grad)[0]
        assert type(loss) is dtype  # a NumPy scalar of x's dtype
        assert loss.tobytes() == dtype(ref).tobytes()


def test_the_public_calls_take_it_and_agree_with_the_numpy_path(monkeypatch):
    taken: list[bool] = []
    real = _simd.core.ce_call

    def spy(*args: Any) -> Any:
        res = real(*args)
        taken.append(res is not None)
        return res

    monkeypatch.setattr(_simd.core, "ce_call", spy)
    x, y = _problem(5, 10, np.float32)
    loss = sl.cross_entropy(x, y, label_smoothing=0.2)
    loss2, g = sl.cross_entropy_and_grad(x, y, reduction="sum")
    assert taken == [True, True]
    ref = sl.cross_entropy(x, y, label_smoothing=0.2, backend="numpy")
    ref2, ref_g = sl.cross_entropy_and_grad(x, y, reduction="sum", backend="numpy")
    assert type(loss) is type(ref) is np.float32
    np.testing.assert_allclose([loss, loss2], [ref, ref2], rtol=4e-7)
    np.testing.assert_allclose(g, ref_g, rtol=0, atol=4e-7)


def test_special_values_and_degenerate_denominators():
    x, y = _problem(4, 6, np.float64)
    x[1, 2] = np.nan
    x[2, :] = -np.inf
    nll, _, wy, g = _call(x, y, grad=True)
    assert np.isnan(nll) and wy == 4.0
    assert np.isnan(g[1]).all() and np.isnan(g[2]).all() and np.isfinite(g[[0, 3]]).all()
    loss, g = sl.cross_entropy_and_grad(x, y)
    assert np.isnan(loss) and np.isnan(g[1]).all()
    y[:] = -100  # every row ignored: 0 / 0 for 'mean'
    nll, smooth, wy, g = _call(x, y, grad=True)
    assert (nll, smooth, wy) == (0.0, 0.0, 0.0) and (g == 0).all()
    loss, g = sl.cross_entropy_and_grad(x, y)
    assert np.isnan(loss) and not np.signbit(loss) and (g == 0).all()
    assert sl.cross_entropy(x, y, reduction="sum") == 0.0


REFUSED = [
    {"axis": 0},
    {"axis": np.int64(-1)},
    {"axis": True},
    {"ignore": np.int64(-100)},
    {"ignore": 2**70},
    {"ls": -0.1},
    {"ls": 1.5},
    {"ls": float("nan")},
    {"ls": True},
    {"ls": np.float64(0.1)},
    {"ls": 2},
    {"red": "none"},
    {"red": "MEAN"},
    {"red": None},
    {"backend": "numpy"},
    {"backend": "AUTO"},
    {"backend": 1},
    {"limit": 10 * 6 * 8},  # at the size limit
]


@pytest.mark.parametrize("kwargs", REFUSED, ids=repr)
def test_anything_but_the_common_call_is_refused(kwargs):
    x, y = _problem(10, 6, np.float64)
    assert _call(x, y, **kwargs) is None
    assert _call(x, y, grad=True, **kwargs) is None


def test_arrays_it_does_not_take():
    x, y = _problem(10, 6, np.float64)
    refused = [
        (x.tolist(), y),
        (x.astype(np.float16), y),
        (np.asfortranarray(x), y),
        (x[:, ::2], y),
        (x[0], y[:1]),
        (x[None], y[None]),
        (np.empty((0, 6)), y[:0]),
        (x, y.astype(np.int32)),
        (x, y.tolist()),
        (x, y[:, None]),
        (x, y[:9]),
        (x, np.where(y == y[0], 6, y)),  # a kept target out of range
        (x, np.where(y == y[0], -5, y)),
        (np.ma.masked_array(x), y),
    ]
    for xs, ys in refused:
        assert _call(xs, ys) is None
        assert _call(xs, ys, grad=True) is None
