"""The dispatch point: float inputs of every size go to the compiled core (the NumPy path
when it is not loaded), masks, weights and ``backend="numpy"`` to the NumPy reference path;
both give the same values."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from softmaxlab import _simd, kernels, log_softmax, logsumexp, softmax
from tests._support.mpref import max_ulp_diff

BIG = ((1 << 14) // 100 + 1, 100)


class _CoreSpy:
    """Stands for the loaded C core, recording its one-call small softmax as 'softmax_rows'
    (it is the same row kernel, reached without the Python wrapper)."""

    def __init__(self, core: Any, calls: list[str]) -> None:
        self._core, self._calls = core, calls

    def __getattr__(self, name: str) -> Any:
        return getattr(self._core, name)

    def softmax_call(self, *args: Any) -> Any:
        res = self._core.softmax_call(*args)
        if res is not None:
            self._calls.append("softmax_rows")
        return res


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record which kernel entry points are called."""
    calls: list[str] = []
    for name in ("softmax_rows", "logsumexp_rows"):
        real = getattr(kernels, name)

        def wrapper(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(kernels, name, wrapper)
    if _simd.core is not None:
        monkeypatch.setattr(_simd, "core", _CoreSpy(_simd.core, calls))
    return calls


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("func", [softmax, log_softmax])
def test_large_inputs_use_the_kernels_and_agree(spy: list[str], func: Any, dtype: Any) -> None:
    x = (np.random.default_rng(0).standard_normal(BIG) * 10).astype(dtype)
    fast = func(x, temperature=0.7)
    assert spy == ["softmax_rows"]
    ref = func(x, temperature=0.7, backend="numpy")
    assert spy == ["softmax_rows"]
    assert fast.dtype == ref.dtype == dtype
    # Each path is within its ulp bound of the exact value, hence near the other.
    assert max_ulp_diff(fast, ref) <= 6


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_axis_is_moved_last_for_the_kernels(spy: list[str], dtype: Any) -> None:
    x = np.random.default_rng(1).standard_normal((100, 7, 40)).astype(dtype)
    np.testing.assert_allclose(
        softmax(x, axis=0, backend="numba"), softmax(x, axis=0, backend="numpy"), rtol=1e-6
    )
    np.testing.assert_allclose(
        log_softmax(x, axis=(0, 2), backend="numba"),
        log_softmax(x, axis=(0, 2), backend="numpy"),
        rtol=1e-6,
    )
    assert spy == ["softmax_rows", "softmax_rows"]


def test_small_inputs_use_the_core_and_masks_and_weights_stay_on_numpy(spy: list[str]) -> None:
    softmax(np.ones(10))
    log_softmax(np.ones((2, 3), dtype=np.float32))
    assert spy == ["softmax_rows", "softmax_rows"]
    spy.clear()
    x = np.random.default_rng(2).standard_normal(BIG)
    softmax(x, where=x > 0)
    softmax(np.ones(3, dtype=np.longdouble))
    logsumexp(x, axis=1, b=np.ones_like(x))
    logsumexp(x, axis=1, return_sign=True)
    softmax(x, backend="numpy")
    assert spy == []
    logsumexp(x, axis=1)
    logsumexp(np.ones(3))
    assert spy == ["logsumexp_rows", "logsumexp_rows"]


def test_special_values_agree_on_both_paths() -> None:
    x = np.random.default_rng(3).standard_normal(BIG)
    x[0, 3] = np.nan
    x[1, 5] = np.inf
    x[2, :] = -np.inf
    x[3, 7] = -np.inf
    for func in (softmax, log_softmax):
        fast, ref = func(x, backend="numba"), func(x, backend="numpy")
        np.testing.assert_array_equal(np.isnan(fast), np.isnan(ref))
        np.testing.assert_allclose(fast, ref, rtol=1e-13, atol=0)
    fast, ref = logsumexp(x, axis=1, backend="numba"), logsumexp(x, axis=1, backend="numpy")
    assert np.isnan(fast[0]) and fast[1] == np.inf and fast[2] == -np.inf
    np.testing.assert_allclose(fast, ref, rtol=1e-15, atol=0)


def test_logsumexp_kernel_hands_cancelling_rows_to_the_reference() -> None:
    x = np.random.default_rng(4).standard_normal(BIG)
    x[:5] = np.full(BIG[1], -np.log(BIG[1]))  # lse ~ 1e-16: max and log(sum) cancel
    fast = logsumexp(x, axis=1, backend="numba")
    ref = logsumexp(x, axis=1, backend="numpy")
    np.testing.assert_allclose(fast[5:], ref[5:], rtol=1e-15)
    np.testing.assert_array_equal(fast[:5], ref[:5])


def test_backend_is_validated() -> None:
    with pytest.raises(ValueError, match="'backend' parameter of softmax must be one of"):
        softmax([1.0, 2.0], backend="cuda")
    for backend in ("compiled", "numba"):
        with pytest.raises(ValueError, match=f"'{backend}' only for float16"):
            softmax(np.ones(3, dtype=np.longdouble), backend=backend)
        with pytest.raises(ValueError, match=f"'{backend}' only without b"):
            logsumexp([1.0, 2.0], b=[1.0, 1.0], backend=backend)


def test_compiled_backend_without_the_core_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, spy: list[str]
) -> None:
    monkeypatch.setattr(_simd, "core", None)
    monkeypatch.setattr(_simd, "load_error", "ImportError: simulated")
    for backend in ("compiled", "numba"):
        with pytest.raises(ValueError, match=r"compiled core is not loaded \(ImportError: simul"):
            softmax([1.0, 2.0], backend=backend)
        with pytest.raises(ValueError, match="compiled core is not loaded"):
            logsumexp([1.0, 2.0], backend=backend)
    # "auto" quietly keeps the reference path.
    x = np.random.default_rng(5).standard_normal(BIG)
    np.testing.assert_array_equal(softmax(x), softmax(x, backend="numpy"))
    np.testing.assert_array_equal(logsumexp(x, axis=1), logsumexp(x, axis=1, backend="numpy"))
    assert spy == []


def test_the_kernels_refuse_to_run_without_the_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """No fallback inside the kernels: without the core they name why (core keeps NumPy)."""
    monkeypatch.setattr(_simd, "core", None)
    monkeypatch.setattr(_simd, "load_error", "ImportError: simulated")
    x = np.ones((2, 3))
    for call in (
        lambda: kernels.softmax_rows(x),
        lambda: kernels.logsumexp_rows(x),
        lambda: kernels.softmax_vjp_rows(x, x),
        lambda: kernels.cross_entropy_parts(x, np.array([0, 1])),
    ):
        with pytest.raises(RuntimeError, match=r"not loaded \(ImportError: simulated\)"):
            call()


def test_no_call_imports_numba() -> None:
    code = (
        "import sys, numpy as np, softmaxlab as sl\n"
        "sl.softmax([1.0, 2.0]); sl.logsumexp(np.ones((300, 100)), axis=1)\n"
        "sl.cross_entropy_and_grad(np.ones((300, 100)), np.zeros(300, dtype=int))\n"
        "print('numba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 10), (10,), (3, 4, 5), (100, 10), (2, 3000)])
@pytest.mark.parametrize("temperature", [1.0, 0.5, 3])
@pytest.mark.parametrize("func", [softmax, log_softmax])
def test_lean_call_path_equals_the_general_path(
    spy: list[str], func: Any, dtype: Any, shape: tuple[int, ...], temperature: float
) -> None:
    """The lean path (C-contiguous, last axis) gives bit for bit what the general path gives
    for the same values laid out otherwise (which moves them into rows first)."""
    x = (np.random.default_rng(3).standard_normal(shape) * 5).astype(dtype)
    lean = func(x, temperature=temperature, backend="numba")
    assert spy == ["softmax_rows"]
    strided = np.repeat(x, 2, axis=-1)[..., ::2]  # same values, not C-contiguous
    general = func(strided, temperature=temperature, backend="numba")
    assert spy == ["softmax_rows", "softmax_rows"]
    assert lean.shape == x.shape and lean.dtype == dtype
    np.testing.assert_array_equal(lean, general)


@pytest.mark.parametrize("temperature", [0.0, -1.0, float("nan"), float("inf"), 0, True])
def test_lean_call_path_still_rejects_bad_temperature(temperature: Any) -> None:
    x = np.ones((1, 10), dtype=np.float32)
    with pytest.raises((ValueError, TypeError), match="'temperature' parameter of softmax"):
        softmax(x, temperature=temperature, backend="numba")


def test_lean_call_path_keeps_special_values_and_input() -> None:
    x = np.array(
        [[1.0, np.nan, 2.0], [np.inf, 0.0, 1.0], [-np.inf, -np.inf, -np.inf], [-np.inf, 0.0, 0.0]],
        dtype=np.float32,
    )
    before = x.copy()
    got = softmax(x, backend="numba")
    np.testing.assert_array_equal(x, before)
    assert np.isnan(got[:3]).all()
    np.testing.assert_array_equal(got[3], np.array([0.0, 0.5, 0.5], dtype=np.float32))
