"""Issue 11: a 0-d input is one row of one entry (as SciPy and PyTorch), and logsumexp's flags
accept real booleans only."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
import torch

import softmaxlab as sl
from softmaxlab import SoftmaxLabError


@pytest.mark.parametrize("value", [3.0, -2.5, 0.0, 1e300, -1e300, np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("axis", [-1, 0, None])
def test_zero_d_softmax_matches_scipy_and_torch(
    value: float, dtype: type, axis: int | None
) -> None:
    with np.errstate(over="ignore"):  # 1e300 is inf in float16/float32, as meant
        x = np.asarray(value, dtype=dtype)
    p, lp = sl.softmax(x, axis=axis), sl.log_softmax(x, axis=axis)
    assert p.shape == () and lp.shape == ()
    assert p.dtype == dtype and lp.dtype == dtype
    with np.errstate(invalid="ignore"):
        ref = scipy.special.softmax(x.astype(np.float64), axis=axis)
    np.testing.assert_array_equal(p, np.asarray(ref, dtype=dtype))
    tref = torch.log_softmax(torch.tensor(float(x), dtype=torch.float64), 0).numpy()
    np.testing.assert_array_equal(lp, tref.astype(dtype))


def test_zero_d_python_scalars_and_masks() -> None:
    assert float(sl.softmax(3.0)) == 1.0
    assert float(sl.softmax(7)) == 1.0
    assert float(sl.log_softmax(3.0, temperature=0.5)) == 0.0
    assert float(sl.softmax(3.0, where=False)) == 0.0
    assert float(sl.log_softmax(3.0, where=False)) == -np.inf
    # The result is the same as the one-entry row's.
    np.testing.assert_array_equal(sl.softmax(np.float32(2.0)), sl.softmax([np.float32(2.0)])[0])


@pytest.mark.parametrize("axis", [1, -2, (0,)])
def test_zero_d_with_an_axis_it_does_not_have(axis: object) -> None:
    with pytest.raises(SoftmaxLabError, match="'axis' parameter of softmax"):
        sl.softmax(3.0, axis=axis)


@pytest.mark.parametrize("flag", ["keepdims", "return_sign"])
@pytest.mark.parametrize("value", ["no", "", 1, 0, 1.0, None, [True]])
def test_logsumexp_flags_refuse_stand_ins(flag: str, value: object) -> None:
    with pytest.raises(TypeError, match=f"'{flag}' parameter of logsumexp must be a bool"):
        sl.logsumexp([1.0, 2.0], **{flag: value})


@pytest.mark.parametrize("value", [True, False, np.bool_(True), np.bool_(False)])
def test_logsumexp_flags_accept_booleans(value: object) -> None:
    ref = scipy.special.logsumexp([1.0, 2.0], keepdims=bool(value))
    np.testing.assert_allclose(sl.logsumexp([1.0, 2.0], keepdims=value), ref, rtol=1e-15)
    out = sl.logsumexp([1.0, -2.0], b=[1.0, -1.0], return_sign=value)
    if bool(value):
        ref_v, ref_s = scipy.special.logsumexp([1.0, -2.0], b=[1.0, -1.0], return_sign=True)
        np.testing.assert_allclose(out[0], ref_v, rtol=1e-15)
        assert out[1] == ref_s
    else:
        np.testing.assert_allclose(out, scipy.special.logsumexp([1.0, -2.0], b=[1.0, -1.0]))
