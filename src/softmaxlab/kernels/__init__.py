"""Row kernels of the softmax family on validated 2-D arrays (rows × classes).

Every function here takes C-contiguous 2-D float32 or float64 arrays whose last axis is the
one normalised (one row per slice), and never validates: the public functions of
:mod:`softmaxlab` validate, move the axis last, and call these through one dispatch point
(:mod:`softmaxlab.core._dispatch`). The results match the pure-NumPy reference path of
:mod:`softmaxlab.core` (same special values; float32 within 1 ulp of the exact value, float64
within a few ulps).

softmax, log_softmax and logsumexp run on the compiled SIMD core (:mod:`softmaxlab._simd`,
C, level chosen at import by the CPU's features) when it is loaded, and on the numba kernels
otherwise; cross-entropy, its gradient and softmax_vjp run on the numba kernels for now.
numba is imported on the first numba kernel call, not when this package is imported. Large
inputs are split across threads (see :func:`set_num_threads`; the environment variable
``SOFTMAXLAB_NUM_THREADS`` sets the default).
"""

from __future__ import annotations

import importlib.util

from .. import _simd
from ._compiled import logsumexp_rows, softmax_rows
from ._config import show_config
from ._numba_rows import (
    cross_entropy_grad_rows,
    cross_entropy_rows,
    softmax_vjp_rows,
)
from ._threads import (
    ENV_THREADS,
    PARALLEL_MIN_ELEMENTS,
    SHORT_MIN_ROWS,
    SHORT_ROW,
    get_num_threads,
    set_num_threads,
)
from ._threads import _default_threads as _default_threads  # for the tests

__all__ = [
    "ENV_THREADS",
    "PARALLEL_MIN_ELEMENTS",
    "SHORT_MIN_ROWS",
    "SHORT_ROW",
    "available",
    "core_loaded",
    "cross_entropy_grad_rows",
    "cross_entropy_rows",
    "get_num_threads",
    "logsumexp_rows",
    "set_num_threads",
    "show_config",
    "softmax_rows",
    "softmax_vjp_rows",
]


def available() -> bool:
    """True when numba is installed (the cross-entropy kernels need it; the NumPy path does
    not). Only looks for the package: numba itself is imported by the first kernel call.
    """
    return importlib.util.find_spec("numba") is not None


def core_loaded() -> bool:
    """True when the compiled SIMD core is loaded (see :func:`softmaxlab.show_config`)."""
    return _simd.core is not None
