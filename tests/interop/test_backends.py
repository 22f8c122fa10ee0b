"""softmax, log_softmax and logsumexp on PyTorch, JAX and Dask arrays.

Each library's result is compared with softmaxlab's NumPy reference path on the same values
(that path is itself tested against mpmath in tests/core); the checks here are that the
computation stays in the input's library (same type, dtype and device), that the options
mean the same thing, and that special values come out as documented.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dask.array as da
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import softmaxlab as sl

SEED = 20261123


class Lib:
    """How to build an array of one library from NumPy, and read it back."""

    def __init__(
        self,
        name: str,
        to: Callable[[np.ndarray], Any],
        back: Callable[[Any], np.ndarray],
        array_type: type,
    ):
        self.name = name
        self.to = to
        self.back = back
        self.array_type = array_type

    def __repr__(self) -> str:
        return self.name


def _jax_to(a: np.ndarray) -> Any:
    out = jnp.asarray(a)
    assert out.dtype == a.dtype, "float64 JAX arrays need jax.enable_x64(True)"
    return out


LIBS = [
    Lib("torch", lambda a: torch.from_numpy(np.array(a)), lambda t: t.numpy(), torch.Tensor),
    Lib("jax", _jax_to, np.asarray, jax.Array),
    # Chunks of 2 along every axis: every reduction crosses chunk boundaries.
    Lib("dask", lambda a: da.from_array(a, chunks=2), lambda d: d.compute(), da.Array),
    # Chunked along the first axis only: slices over the other axes lie in one block each
    # and take the blockwise NumPy path; slices over the first axis stream.
    Lib(
        "dask-rows",
        lambda a: da.from_array(a, chunks=(2, *a.shape[1:]) if a.ndim else ()),
        lambda d: d.compute(),
        da.Array,
    ),
]


@pytest.fixture(params=LIBS, ids=repr)
def lib(request: pytest.FixtureRequest) -> Any:
    if request.param.name == "jax":
        # float64 JAX arrays exist only with x64 enabled; it is switched on for this test.
        with jax.enable_x64(True):
            yield request.param
    else:
        yield request.param


FUNCS = [sl.softmax, sl.log_softmax]
RTOL = {np.float32: 1e-6, np.float64: 1e-12, np.float16: 1e-3}


def _check(lib: Lib, got: Any, want: np.ndarray, dtype: Any) -> None:
    assert isinstance(got, lib.array_type), type(got)
    g = lib.back(got)
    assert g.dtype == np.dtype(dtype)
    assert g.shape == want.shape
    rtol = RTOL[np.dtype(dtype).type]
    np.testing.assert_allclose(g, want, rtol=rtol, atol=rtol * 1e-3)


@pytest.mark.parametrize("func", FUNCS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [-1, 0, 1, (0, 2), None])
def test_softmax_matches_numpy_path(lib: Lib, func: Any, dtype: Any, axis: Any) -> None:
    rng = np.random.default_rng(SEED)
    a = (rng.normal(0, 8, (3, 5, 4)) + 50).astype(dtype)
    got = func(lib.to(a), axis=axis)
    _check(lib, got, func(a, axis=axis, backend="numpy"), dtype)


@pytest.mark.parametrize("func", FUNCS, ids=lambda f: f.__name__)
def test_temperature_and_where(lib: Lib, func: Any) -> None:
    rng = np.random.default_rng(SEED + 1)
    a = rng.normal(0, 3, (4, 6))
    mask = rng.random((4, 6)) < 0.7
    mask[1] = False  # one fully masked slice
    a[~mask & (rng.random((4, 6)) < 0.5)] = np.nan  # masked entries are never read
    want = func(a, temperature=0.3, where=mask, backend="numpy")
    assert np.all(want[1] == (-np.inf if func is sl.log_softmax else 0.0))
    # The mask may be a NumPy array or an array of the same library.
    for where in (mask, lib.to(mask)):
        got = func(lib.to(a), temperature=0.3, where=where)
        _check(lib, got, want, np.float64)


@pytest.mark.parametrize("func", FUNCS, ids=lambda f: f.__name__)
def test_special_values(lib: Lib, func: Any) -> None:
    inf, nan = np.inf, np.nan
    a = np.array(
        [
            [1.0, nan, 2.0, 0.0],  # NaN: the whole slice is NaN
            [1.0, inf, 2.0, 0.0],  # +inf: the whole slice is NaN
            [-inf, -inf, -inf, -inf],  # all -inf: NaN
            [1.0, -inf, 1.0, -inf],  # -inf entries: probability 0
            [1e308, 1e308, -1e308, 0.0],  # no overflow
        ]
    )
    got = lib.back(func(lib.to(a)))
    assert np.all(np.isnan(got[:3]))
    if func is sl.softmax:
        np.testing.assert_array_equal(got[3], [0.5, 0.0, 0.5, 0.0])
        np.testing.assert_array_equal(got[4], [0.5, 0.5, 0.0, 0.0])
    else:
        np.testing.assert_allclose(got[3], [-np.log(2), -inf, -np.log(2), -inf], rtol=1e-15)
        assert got[4][2] == -inf or got[4][2] < -1e308
    np.testing.assert_array_equal(got, func(a, backend="numpy"))


@pytest.mark.parametrize("func", FUNCS, ids=lambda f: f.__name__)
def test_nan_slice_keeps_masked_entries(lib: Lib, func: Any) -> None:
    a = np.array([[np.nan, 1.0, 2.0]])
    mask = np.array([[True, False, True]])
    got = lib.back(func(lib.to(a), where=mask))
    masked = -np.inf if func is sl.log_softmax else 0.0
    assert np.isnan(got[0, 0]) and got[0, 1] == masked and np.isnan(got[0, 2])


def test_float32_dtype_kept_and_integers_become_float64(lib: Lib) -> None:
    a = np.array([[1, 2, 3], [4, 4, 4]], dtype=np.int64)
    got = sl.softmax(lib.to(a))
    _check(lib, got, sl.softmax(a), np.float64)
    a32 = np.array([[1000.5, 999.25, 998.0]], dtype=np.float32)
    _check(lib, sl.log_softmax(lib.to(a32)), sl.log_softmax(a32), np.float32)


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_matches_numpy_path(lib: Lib, axis: Any, keepdims: bool) -> None:
    rng = np.random.default_rng(SEED + 2)
    a = rng.normal(0, 20, (5, 3))
    got = sl.logsumexp(lib.to(a), axis=axis, keepdims=keepdims)
    want = np.asarray(sl.logsumexp(a, axis=axis, keepdims=keepdims, backend="numpy"))
    _check(lib, got, want, np.float64)


def test_logsumexp_special_values_and_where(lib: Lib) -> None:
    inf, nan = np.inf, np.nan
    a = np.array(
        [
            [0.0, nan, inf],  # NaN wins over +inf
            [0.0, 1.0, inf],  # +inf
            [-inf, -inf, -inf],  # all -inf
            [0.0, -40.0, -inf],  # a dominating term keeps every bit
            [-np.log(2.0), -np.log(2.0), -inf],  # cancels to 0
        ]
    )
    got = lib.back(sl.logsumexp(lib.to(a), axis=1))
    assert np.isnan(got[0])
    assert got[1:3].tolist() == [inf, -inf]
    assert got[3] == np.logaddexp(0.0, -40.0)
    assert abs(got[4]) < 1e-16
    mask = np.array([[False, False, True], [True, True, False]] + [[True] * 3] * 3)
    got = lib.back(sl.logsumexp(lib.to(a), axis=1, where=mask))
    want = sl.logsumexp(a, axis=1, where=mask, backend="numpy")
    # The cancelling row is exact on the NumPy path (2.3e-17), within an ulp of 1 here.
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=1e-16)
    assert got[0] == inf and got[1] == 1.0 + np.log1p(np.exp(-1.0))


def test_empty_inputs(lib: Lib) -> None:
    a = np.zeros((0, 3))
    assert lib.back(sl.softmax(lib.to(a))).shape == (0, 3)
    got = lib.back(sl.logsumexp(lib.to(np.zeros((2, 0))), axis=1))
    assert got.tolist() == [-np.inf, -np.inf]


def test_unsupported_options_raise(lib: Lib) -> None:
    x = lib.to(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="'b' parameter of logsumexp"):
        sl.logsumexp(x, b=np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="'return_sign' parameter of logsumexp"):
        sl.logsumexp(x, return_sign=True)
    with pytest.raises(ValueError, match="'backend' parameter of softmax"):
        sl.softmax(x, backend="numpy")
    with pytest.raises(ValueError, match="'backend' parameter of log_softmax"):
        sl.log_softmax(x, backend="numba")
    with pytest.raises(ValueError, match="'temperature' parameter of softmax"):
        sl.softmax(x, temperature=0.0)
    with pytest.raises(ValueError, match="'axis' parameter of softmax"):
        sl.softmax(x, axis=1)
    with pytest.raises(ValueError, match="'where' parameter of softmax"):
        sl.softmax(x, where=np.array([True, False, True]))
    with pytest.raises(TypeError, match="'where' parameter of softmax must be a boolean"):
        sl.softmax(x, where=np.array([1.0, 0.0]))


def test_complex_input_raises(lib: Lib) -> None:
    x = lib.to(np.array([1.0 + 1j, 2.0]))
    with pytest.raises(TypeError, match="'x' parameter of logsumexp must hold real numbers"):
        sl.logsumexp(x)


def test_shift_invariance_and_sum(lib: Lib) -> None:
    rng = np.random.default_rng(SEED + 3)
    a = rng.normal(0, 5, (4, 7))
    p = lib.back(sl.softmax(lib.to(a)))
    q = lib.back(sl.softmax(lib.to(a + 1e4)))
    np.testing.assert_allclose(p, q, rtol=1e-10)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(np.exp(lib.back(sl.log_softmax(lib.to(a)))), p, rtol=1e-14)


# --- library-specific behaviour -----------------------------------------------------------


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32])
def test_torch_low_precision_dtype_kept(dtype: torch.dtype) -> None:
    g = torch.Generator().manual_seed(SEED)
    t = (torch.randn(6, 9, generator=g) * 4).to(dtype)
    got = sl.softmax(t, axis=0)
    assert isinstance(got, torch.Tensor) and got.dtype == dtype and got.device == t.device
    # Reference: the float64 softmax of the same (already rounded) values, rounded once.
    want = torch.softmax(t.double(), dim=0).to(dtype)
    torch.testing.assert_close(got, want, rtol=0, atol=0)


def test_torch_autograd_flows() -> None:
    g = torch.Generator().manual_seed(SEED)
    z = torch.randn(3, 5, dtype=torch.float64, generator=g)
    w = torch.randn(3, 5, dtype=torch.float64, generator=g)
    for ours, theirs in [(sl.softmax, torch.softmax), (sl.log_softmax, torch.log_softmax)]:
        x1 = z.clone().requires_grad_(True)
        (ours(x1, axis=1) * w).sum().backward()
        x2 = z.clone().requires_grad_(True)
        (theirs(x2, dim=1) * w).sum().backward()
        assert x1.grad is not None and x2.grad is not None
        torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-12, atol=1e-14)


def test_torch_meta_device_stays_on_device() -> None:
    # The "meta" device stands in for an accelerator: the result must stay there (a NumPy
    # round trip would fail on it).
    t = torch.empty(4, 3, device="meta")
    got: Any = sl.log_softmax(t, axis=0, where=np.array([True, False, True]))
    assert got.device.type == "meta" and got.shape == (4, 3)


def test_jax_default_float32_and_jit() -> None:
    # Without x64, JAX works in float32 and integer input becomes float32.
    a = np.array([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]], dtype=np.float32)
    x = jnp.asarray(a)
    f = jax.jit(lambda v: sl.softmax(v, temperature=2.0, where=v > -5))
    got = f(x)
    assert isinstance(got, jax.Array) and got.dtype == jnp.float32
    want = sl.softmax(a, temperature=2.0, where=a > -5)
    np.testing.assert_allclose(np.asarray(got), want, rtol=2e-6, atol=1e-7)
    assert sl.logsumexp(jnp.asarray([1, 2, 3])).dtype == jnp.float32


def test_jax_grad_matches_jax_nn() -> None:
    with jax.enable_x64(True):
        x = jnp.asarray(np.random.default_rng(SEED).normal(size=6))
        ours = jax.grad(lambda v: sl.log_softmax(v)[2] + sl.logsumexp(v))(x)
        theirs = jax.grad(lambda v: jax.nn.log_softmax(v)[2] + jax.nn.logsumexp(v))(x)
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-13)


def test_dask_stays_lazy_and_chunked() -> None:
    a = np.random.default_rng(SEED).normal(size=(6, 10))
    x = da.from_array(a, chunks=(2, 3))
    got = sl.softmax(x, axis=1)
    assert isinstance(got, da.Array) and got.chunks == x.chunks
    lse = sl.logsumexp(x, axis=1, keepdims=True)
    assert isinstance(lse, da.Array) and lse.shape == (6, 1)
    np.testing.assert_allclose(got.compute(), sl.softmax(a, axis=1), rtol=1e-14)


@pytest.mark.parametrize("func", FUNCS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dask_slices_in_one_block_equal_numpy_path(func: Any, dtype: Any) -> None:
    rng = np.random.default_rng(SEED + 4)
    a = rng.normal(0, 30, (6, 3, 50)).astype(dtype)
    mask = rng.random((6, 3, 50)) < 0.8
    x = da.from_array(a, chunks=(2, 3, 50))
    for axis in (-1, (1, 2)):
        got = func(x, axis=axis, temperature=0.7, where=mask)
        # One map over the blocks: no reduction, no second pass over the data.
        assert got.name.startswith("_softmax_block")
        assert not any(name.startswith("max") for name in got.__dask_graph__().layers)
        want = func(a, axis=axis, temperature=0.7, where=mask)
        np.testing.assert_array_equal(got.compute(), want)


def test_dask_logsumexp_in_one_block_equals_numpy_path() -> None:
    a = np.random.default_rng(SEED + 5).normal(0, 30, (6, 40))
    x = da.from_array(a, chunks=(4, 40))
    for keepdims in (False, True):
        got = sl.logsumexp(x, axis=1, keepdims=keepdims, where=a > -20)
        want = sl.logsumexp(a, axis=1, keepdims=keepdims, where=a > -20)
        assert got.shape == want.shape
        assert not any(name.startswith("max") for name in got.__dask_graph__().layers)
        np.testing.assert_array_equal(got.compute(), want)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    data=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
        elements=st.one_of(
            st.floats(-1e3, 1e3), st.sampled_from([np.inf, -np.inf, np.nan, 1e308, -1e308])
        ),
    ),
    use_mask=st.booleans(),
    temperature=st.sampled_from([1.0, 0.25, 3.0]),
)
def test_torch_same_special_values_as_numpy_path(
    data: np.ndarray, use_mask: bool, temperature: float
) -> None:
    mask = (np.arange(data.size).reshape(data.shape) % 3 != 1) if use_mask else None
    for func in FUNCS:
        want = func(data, temperature=temperature, where=mask, backend="numpy")
        got = np.asarray(func(torch.from_numpy(data.copy()), temperature=temperature, where=mask))
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)
    want_lse = np.asarray(sl.logsumexp(data, axis=-1, where=mask, backend="numpy"))
    got_lse = np.asarray(sl.logsumexp(torch.from_numpy(data.copy()), axis=-1, where=mask))
    np.testing.assert_allclose(got_lse, want_lse, rtol=1e-12, atol=1e-15)
