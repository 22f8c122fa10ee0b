"""The one place where the core decides between the compiled kernels and the NumPy path.

Public functions validate, move the normalised axes last and view the array as C-contiguous
rows; this module decides whether those rows go to :mod:`softmaxlab.kernels` or stay on the
pure-NumPy reference path. ``backend="numpy"`` always keeps the reference path.

``backend`` values:

* ``'auto'`` (or None): softmax, log_softmax, logsumexp and cross-entropy (class-index
  targets) use the compiled SIMD core (:mod:`softmaxlab._simd`) for every size when it is
  loaded, and the NumPy path where it is not.
* ``'compiled'``: the compiled core, always (an error if that is impossible).
* ``'numba'``: an alias of ``'compiled'`` (the option's name before the C core replaced the
  numba kernels).
* ``'numpy'``: the pure-NumPy reference path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _simd, kernels
from .._validation import BACKENDS as BACKENDS  # re-exported
from .._validation import check_backend as check_backend  # re-exported
from ..kernels import _threads

_KERNEL_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def _core_loaded() -> bool:
    """True when the compiled core is loaded."""
    return _simd.core is not None


def _check_kernel_dtype(backend: str, dtype: np.dtype[Any], func: str) -> None:
    if dtype not in _KERNEL_DTYPES:
        raise ValueError(
            f"The 'backend' parameter of {func} can be {backend!r} only for float16, float32 "
            f"or float64 input without a mask. Got an array of dtype {dtype} instead."
        )


def use_core(backend: str, dtype: np.dtype[Any], size: int, func: str) -> bool:
    """Whether rows of ``dtype`` go to the compiled core (:mod:`softmaxlab.kernels`): the one
    decision for softmax, log_softmax, logsumexp and cross-entropy, at every ``size``."""
    if backend == "numpy":
        return False
    if backend in ("compiled", "numba"):
        _check_kernel_dtype(backend, dtype, func)
        if _core_loaded():
            return True
        raise ValueError(
            f"The 'backend' parameter of {func} is {backend!r}, but the compiled core is not "
            f"loaded ({_simd.load_error}); use backend='auto' or 'numpy'."
        )
    return dtype in _KERNEL_DTYPES and _core_loaded()


#: Inputs of fewer bytes run on the calling thread (the fast paths' one C call).
SMALL_BYTES = _threads.PARALLEL_MIN_BYTES


def kernel_rows(rows2d: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Rows as the kernels take them: C-contiguous float32/float64 (float16 via float32)."""
    if rows2d.dtype == np.float16:
        return rows2d.astype(np.float32)
    return np.ascontiguousarray(rows2d)


_FAST_CHARS = ("f", "d")  # float32, float64
_CORE_BACKENDS = frozenset(("auto", "compiled", "numba"))
_INF = float("inf")


def _common_call(x: Any, axis: Any, temperature: Any, backend: Any) -> bool:
    """Whether a softmax call is the common one that the quick paths take (the checks of the
    core's ``softmax_call``, for calls too large for it): an ndarray along
    its last axis (an int), a finite temperature > 0 given as a float or int, and a backend
    of the compiled core, which is loaded."""
    if type(x) is not np.ndarray or _simd.core is None:
        return False
    if backend is not None and (type(backend) is not str or backend not in _CORE_BACKENDS):
        return False
    nd = x.ndim
    if type(axis) is not int or not (axis == -1 or axis == nd - 1) or nd == 0:
        return False
    tt = type(temperature)
    return (tt is float and 0.0 < temperature < _INF) or (tt is int and 0 < temperature < 2**53)


def quick_softmax(
    x: Any,
    axis: Any,
    temperature: Any,
    backend: Any,
    out: Any,
    precision: Any,
    log: bool,
) -> np.ndarray[Any, Any] | None:
    """softmax / log_softmax of the common call, small ones in one C call; None otherwise.

    The compiled core's ``softmax_call`` takes a small (< :data:`SMALL_BYTES`) exact
    ``numpy.ndarray``, C-contiguous float32/float64, along its last axis (an int), with a
    finite temperature > 0 given as a float or int, ``backend`` None/'auto'/'compiled'/
    'numba', ``precision`` 'exact' or 'fast', and ``out`` None or a C-contiguous writeable
    ndarray of the same shape and dtype that is ``x`` or shares no memory with it; it checks
    all of that itself and runs the row kernel on the calling thread, so a (1, 10) call costs
    about one C call. Larger common calls go to :func:`fast_softmax` /
    :func:`fast_softmax_into` (threads). Anything else, or the core not loaded, gives None
    and then the general path with its full validation; the results are the same either way.
    """
    core: Any = _simd.core
    if core is None:
        return None
    res: np.ndarray[Any, Any] | None = core.softmax_call(
        x, axis, temperature, backend, out, precision, log, SMALL_BYTES
    )
    return res


def fast_softmax(
    x: Any, axis: Any, temperature: Any, backend: Any, log: bool, fast: bool = False
) -> np.ndarray[Any, Any] | None:
    """softmax / log_softmax of a common call that :func:`quick_softmax` did not take (a
    large one), through :func:`softmaxlab.kernels.softmax_rows` and its threads.

    Takes what :func:`quick_softmax` takes, of any size; returns None for anything else
    (empty input included), which then takes the general path with its full validation.
    ``fast`` is precision='fast' (validated by the caller).
    """
    if not _common_call(x, axis, temperature, backend):
        return None
    if x.dtype.char not in _FAST_CHARS or x.size == 0 or not x.flags.c_contiguous:
        return None
    nd = x.ndim
    rows = x if nd == 2 else x.reshape(-1, x.shape[-1])
    out = kernels.softmax_rows(rows, temperature=temperature, log=log, fast=fast)
    return out if nd == 2 else out.reshape(x.shape)


def fast_softmax_into(
    x: Any, out: Any, axis: Any, temperature: Any, backend: Any, log: bool, fast: bool = False
) -> bool:
    """softmax / log_softmax of the common call written into ``out``; False if not taken.

    Takes what :func:`fast_softmax` takes, with ``out`` a writeable C-contiguous ndarray of
    ``x``'s shape and dtype that is ``x`` itself or shares no memory with it; anything else
    returns False and goes the general way (:func:`softmaxlab.core._softmax._softmax_into`,
    with its full validation and the same results). Keeps ``out=`` as cheap as allocating.
    """
    if type(out) is not np.ndarray or not _common_call(x, axis, temperature, backend):
        return False
    nd = x.ndim
    if (
        x.dtype.char not in _FAST_CHARS
        or out.dtype != x.dtype
        or out.shape != x.shape
        or x.size == 0
        or not (x.flags.c_contiguous and out.flags.c_contiguous and out.flags.writeable)
        or (out is not x and np.may_share_memory(out, x))
    ):
        return False
    n = x.shape[-1]
    rows, dest = (x, out) if nd == 2 else (x.reshape(-1, n), out.reshape(-1, n))
    kernels.softmax_rows(rows, dest, temperature=temperature, log=log, fast=fast)
    return True
