"""``out=`` of softmax and log_softmax (issue 10): the same values as without it, on every path,
written into the caller's array (NumPy's convention), with clear errors for an unusable one."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

import softmaxlab as sl
from softmaxlab import SoftmaxLabError

FUNCS = {"softmax": sl.softmax, "log_softmax": sl.log_softmax}
REFS = {"softmax": scipy.special.softmax, "log_softmax": scipy.special.log_softmax}


def _x(shape: tuple[int, ...], dtype: type) -> np.ndarray:
    return np.random.default_rng(7).normal(0, 5, size=shape).astype(dtype)


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("backend", [None, "numpy", "compiled"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 40), (64, 33)])
def test_out_equals_the_returned_result(
    name: str, backend: str | None, dtype: type, shape: tuple[int, ...]
) -> None:
    f = FUNCS[name]
    x = _x(shape, dtype)
    before = x.copy()
    out = np.full(shape, np.nan, dtype=dtype)
    res = f(x, out=out, temperature=1.5, backend=backend)
    assert res is out
    np.testing.assert_array_equal(out, f(x, temperature=1.5, backend=backend))
    np.testing.assert_array_equal(x, before)
    # SciPy's float64 value of x / T is itself rounded: allow for softmax's condition number.
    ref = REFS[name](x.astype(np.float64) / 1.5, axis=-1)
    eps = float(np.finfo(dtype).eps)
    tol = (4 + 2 * float(np.abs(x.astype(np.float64)).max()) / 1.5) * max(eps, 2**-52)
    # log_softmax's error is absolute, on the scale of the logits.
    atol = tol * float(np.abs(ref).max()) if name == "log_softmax" else float(np.finfo(dtype).tiny)
    np.testing.assert_allclose(out, ref.astype(dtype), rtol=tol, atol=atol)


@pytest.mark.parametrize("name", FUNCS)
def test_out_in_place_non_contiguous_other_axis_and_mask(name: str) -> None:
    f = FUNCS[name]
    x = _x((6, 50), np.float32)
    expected = f(x)
    y = x.copy()
    assert f(y, out=y) is y  # in place
    np.testing.assert_array_equal(y, expected)
    t = np.empty((50, 6), np.float32).T  # not C-contiguous
    np.testing.assert_array_equal(f(x, out=t), expected)
    o = np.empty_like(x)
    np.testing.assert_array_equal(f(x, axis=0, out=o), f(x, axis=0))
    mask = np.arange(50) % 3 != 0
    np.testing.assert_array_equal(f(x, where=mask, out=o), f(x, where=mask))
    z = np.arange(12.0).reshape(3, 4)
    r = z.copy()
    f(r[:, ::-1], out=r)  # partial overlap with the input: computed first, then written
    np.testing.assert_array_equal(r, f(z[:, ::-1]))
    ints = np.array([[1, 2, 3]])
    o64 = np.empty((1, 3))
    np.testing.assert_array_equal(f(ints, out=o64), f(ints))


@pytest.mark.parametrize(
    ("out", "match"),
    [
        ([0.0, 0.0, 0.0], "'out' parameter of softmax must be a NumPy array"),
        (np.empty(4), "result's shape \\(3,\\) and dtype float64. Got an array of shape \\(4,\\)"),
        (
            np.empty(3, np.float32),
            "dtype float64. Got an array of shape \\(3,\\) and dtype float32",
        ),
        (np.empty((1, 3)), "shape \\(3,\\)"),
    ],
)
def test_unusable_out_is_refused(out: object, match: str) -> None:
    with pytest.raises((SoftmaxLabError, TypeError), match=match):
        sl.softmax([1.0, 2.0, 3.0], out=out)


def test_read_only_out_is_refused_and_left_alone() -> None:
    out = np.zeros(3)
    out.flags.writeable = False
    with pytest.raises(SoftmaxLabError, match="writeable"):
        sl.log_softmax([1.0, 2.0, 3.0], out=out)
    np.testing.assert_array_equal(out, 0.0)


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 10), (4, 1000), (3, 70_000)])  # one C call; threads
def test_the_quick_out_path_writes_what_the_general_one_writes(
    name: str, dtype: type, shape: tuple[int, int]
) -> None:
    from softmaxlab.core import _dispatch
    from softmaxlab.core._softmax import _softmax_into

    if not sl.kernels.core_loaded():
        pytest.skip("the quick path needs the compiled core")
    x = _x(shape, dtype)
    if shape[0] > 1:  # special rows: +inf, NaN, all -inf
        x[1, :3] = [np.inf, 1.0, -np.inf]
        x[-1, 5] = np.nan
    log = name == "log_softmax"
    general = np.full(shape, 7.0, dtype=dtype)
    _softmax_into(general, x, -1, 0.7, None, None, log=log, func=name)
    quick = np.full(shape, 7.0, dtype=dtype)
    assert _dispatch.fast_softmax_into(x, quick, -1, 0.7, None, log)  # taken
    np.testing.assert_array_equal(quick, general)
    np.testing.assert_array_equal(FUNCS[name](x, temperature=0.7, out=np.empty_like(x)), general)
    # What it does not take goes the general way: a partial overlap, another dtype.
    flat = np.zeros(x.size + 5, dtype=dtype)
    a, b = flat[: x.size].reshape(shape), flat[5:].reshape(shape)  # both C-contiguous
    assert not _dispatch.fast_softmax_into(a, b, -1, 0.7, None, log)
    assert not _dispatch.fast_softmax_into(x, quick.astype(np.float16), -1, 0.7, None, log)
