"""Which inputs leave the NumPy path, and what stays cheap and light."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import dask.array as da
import numpy as np
import pytest
import torch

import softmaxlab as sl
from softmaxlab.interop import is_foreign


@pytest.mark.parametrize(
    "value",
    [
        np.zeros(3),
        np.float64(1.0),
        np.float32(2.0),
        [1.0, 2.0],
        (1, 2),
        3.0,
        7,
        True,
        torch.Size([2, 3]),
    ],
    ids=repr,
)
def test_numpy_and_python_values_are_not_foreign(value: object) -> None:
    assert not is_foreign(value)


@pytest.mark.parametrize(
    "value", [torch.zeros(2), torch.nn.Parameter(torch.zeros(2)), da.zeros(2)], ids=repr
)
def test_library_arrays_are_foreign(value: object) -> None:
    assert is_foreign(value)


def test_any_array_api_object_is_foreign() -> None:
    class Fake:
        def __array_namespace__(self, api_version: object = None) -> object:
            raise TypeError("not a real namespace")

    fake: Any = Fake()
    assert is_foreign(fake)
    # It claims a namespace that array-api-compat cannot use: a TypeError naming x.
    with pytest.raises(TypeError, match="'x' parameter of softmax must be a NumPy array"):
        sl.softmax(fake)


@pytest.mark.parametrize(
    "value",
    [np.array(["a", "b"]), ["a", "b"], "abc", np.array([object(), 1.0]), object(), {"a": 1}],
    ids=lambda v: type(v).__name__,
)
@pytest.mark.parametrize("func", [sl.softmax, sl.log_softmax, sl.logsumexp])
def test_non_numeric_input_raises_type_error_naming_x(value: object, func: object) -> None:
    with pytest.raises(TypeError, match="'x' parameter of"):
        func(value)  # type: ignore[operator]


def test_lists_and_scalars_keep_the_numpy_path() -> None:
    got = sl.softmax([1.0, 2.0, 3.0])
    assert type(got) is np.ndarray
    assert type(sl.softmax(torch.Size([1, 3]))) is np.ndarray
    assert type(sl.logsumexp(2.0)) is np.float64


def test_import_softmaxlab_stays_numpy_only() -> None:
    code = (
        "import sys, softmaxlab as sl; sl.softmax([1.0, 2.0]); "
        "heavy = [m for m in ('array_api_compat', 'torch', 'jax', 'dask', 'cupy') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_old_module_name_still_works() -> None:
    import softmaxlab
    import softmaxlab.backends as old
    import softmaxlab.interop as new

    assert old.is_foreign is new.is_foreign and old.softmax is new.softmax
    assert softmaxlab.backends is old and softmaxlab.interop is new
    assert sorted(old.__all__) == sorted(new.__all__)
