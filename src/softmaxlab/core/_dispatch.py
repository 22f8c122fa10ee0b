"""The one place where the core hands work to the numba kernels.

Public functions validate, move the normalised axes last and view the array as C-contiguous
rows; this module decides whether those rows go to :mod:`softmaxlab.kernels` or stay on the
pure-NumPy reference path. ``backend="numpy"`` always keeps the reference path.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .. import kernels
from .._validation import param_error

BACKENDS = ("auto", "numpy", "numba")

#: With ``backend="auto"``, inputs of at least this many elements use the kernels (when numba
#: is installed): smaller ones never pay for importing numba or loading compiled code.
KERNEL_MIN_ELEMENTS = 1 << 14

_KERNEL_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


@functools.cache
def _numba_installed() -> bool:
    return kernels.available()


def check_backend(backend: Any, func: str) -> str:
    if backend is None:
        return "auto"
    if not isinstance(backend, str) or backend not in BACKENDS:
        raise param_error("backend", "one of 'auto', 'numpy', 'numba'", backend, func=func)
    return backend


def use_kernels(backend: str, dtype: np.dtype[Any], size: int, func: str) -> bool:
    """Whether rows of ``dtype`` with ``size`` elements in all go to the kernels."""
    if backend == "numpy":
        return False
    if backend == "numba":
        if dtype not in _KERNEL_DTYPES:
            raise ValueError(
                f"The 'backend' parameter of {func} can be 'numba' only for float16, float32 "
                f"or float64 input without a mask. Got an array of dtype {dtype} instead."
            )
        if not _numba_installed():
            raise ValueError(
                f"The 'backend' parameter of {func} is 'numba', but numba is not installed "
                "(pip install 'softmaxlab[fast]')."
            )
        return True
    return dtype in _KERNEL_DTYPES and size >= KERNEL_MIN_ELEMENTS and _numba_installed()


def kernel_rows(rows2d: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Rows as the kernels take them: C-contiguous float32/float64 (float16 via float32)."""
    if rows2d.dtype == np.float16:
        return rows2d.astype(np.float32)
    return np.ascontiguousarray(rows2d)


_FAST_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_INF = float("inf")


def fast_softmax(
    x: Any, axis: Any, temperature: Any, backend: Any, log: bool
) -> np.ndarray[Any, Any] | None:
    """softmax / log_softmax of the common kernel call, with no more checks than it needs.

    Handles a C-contiguous float32/float64 ndarray normalised along its last axis by an int,
    with a finite temperature > 0 given as a float or int, going to the kernels (``backend``
    'numba', or 'auto'/None at or above KERNEL_MIN_ELEMENTS with numba installed). Returns
    None for anything else (empty input included), which then takes the general path with its
    full validation; the results are the same either way. This keeps a (1, 10) call with
    ``backend='numba'`` near the cost of one numba call.
    """
    if type(x) is not np.ndarray:
        return None
    if backend == "numba":
        if not _numba_installed():
            return None  # the general path raises the clear error
    elif backend is None or backend == "auto":
        if x.size < KERNEL_MIN_ELEMENTS or not _numba_installed():
            return None
    else:
        return None
    if x.dtype not in _FAST_DTYPES or not x.flags.c_contiguous:
        return None
    nd = x.ndim
    if type(axis) is not int or not (axis == -1 or axis == nd - 1) or nd == 0 or x.size == 0:
        return None
    tt = type(temperature)
    if not ((tt is float and 0.0 < temperature < _INF) or (tt is int and 0 < temperature < 2**53)):
        return None
    rows = x if nd == 2 else x.reshape(-1, x.shape[-1])
    out = np.empty_like(rows)
    kernels.softmax_rows(rows, out, temperature=temperature, log=log)
    return out if nd == 2 else out.reshape(x.shape)
