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
