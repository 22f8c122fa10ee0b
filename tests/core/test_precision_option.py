"""The ``precision`` option of softmax and log_softmax (issue 10): validation, and exactly which
inputs it changes (float32 and float16 on the compiled core; float64 and the NumPy reference
path ignore it). Accuracy per SIMD level: tests/kernels/test_fast_mode.py."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from softmaxlab import SoftmaxLabError, _simd, log_softmax, softmax

TRANSFORMS = [softmax, log_softmax]


@pytest.mark.parametrize("func", TRANSFORMS)
@pytest.mark.parametrize("bad", ["quick", "FAST", "", None, 1, True])
def test_bad_precision_is_refused(func: Any, bad: Any) -> None:
    with pytest.raises(SoftmaxLabError) as info:
        func(np.zeros(3, np.float32), precision=bad)
    msg = str(info.value)
    assert "'precision'" in msg and func.__name__ in msg
    assert "'exact', 'fast'" in msg and repr(bad) in msg


@pytest.mark.parametrize("func", TRANSFORMS)
def test_bad_precision_refused_with_out(func: Any) -> None:
    x = np.zeros((2, 3), np.float32)
    with pytest.raises(SoftmaxLabError, match="precision"):
        func(x, out=np.empty_like(x), precision="approximate")


def _rows(dtype: Any) -> np.ndarray:
    return (np.random.default_rng(1).standard_normal((8, 3000)) * 6).astype(dtype)


@pytest.mark.parametrize("func", TRANSFORMS)
def test_float64_and_numpy_path_ignore_it(func: Any) -> None:
    x64 = _rows(np.float64)
    np.testing.assert_array_equal(func(x64, precision="fast"), func(x64))
    x32 = _rows(np.float32)
    np.testing.assert_array_equal(
        func(x32, precision="fast", backend="numpy"), func(x32, backend="numpy")
    )
    # where= takes the reference path too
    w = np.ones(x32.shape, bool)
    np.testing.assert_array_equal(func(x32, where=w, precision="fast"), func(x32, where=w))


@pytest.mark.skipif(_simd.core is None, reason="the compiled core is not loaded")
@pytest.mark.parametrize("func", TRANSFORMS)
def test_fast_reaches_every_float32_entry_point(func: Any) -> None:
    core = _simd.core
    assert core is not None
    x = _rows(np.float32)
    fast = func(x, precision="fast")
    # the exact kernel rounds differently somewhere in 24000 entries; where the fast kernel
    # has no log_softmax (AVX-512, whose exact one is faster) or none at all (baseline),
    # fast is the exact kernel, bit for bit
    if core.has_fast_log() if func is log_softmax else core.has_fast():
        assert not np.array_equal(fast, func(x))
    else:
        np.testing.assert_array_equal(fast, func(x))
    out = np.empty_like(x)
    assert func(x, out=out, precision="fast") is out
    np.testing.assert_array_equal(out, fast)
    # a 3-d input and a non-last axis go through the general path with the same rows
    np.testing.assert_array_equal(
        func(x.reshape(2, 4, 3000), precision="fast"), fast.reshape(2, 4, 3000)
    )
    np.testing.assert_array_equal(func(x.T, axis=0, precision="fast"), fast.T)
    # float16 is computed through float32
    x16 = x.astype(np.float16)
    expect = func(x16.astype(np.float32), precision="fast").astype(np.float16)
    np.testing.assert_array_equal(func(x16, precision="fast"), expect)
