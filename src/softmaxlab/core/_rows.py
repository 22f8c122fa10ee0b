"""Reshaping helpers: move the normalised axes last and view the array as rows.

Every core function works on a 2-D array of shape (rows, n) where each row is one slice that
is normalised together; these helpers go there and back.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

# An extended (x87 80-bit) long double carries 11 more significand bits than float64. Where it
# exists, float64 inputs are shifted and exponentiated in it; elsewhere a double-double
# correction of the shift is used. Tests flip this flag to exercise the fallback.
EXTENDED = np.finfo(np.longdouble).nmant >= 63


def work_dtype(dtype: np.dtype[Any]) -> np.dtype[Any]:
    """The precision in which a slice of ``dtype`` is accumulated."""
    if dtype.kind == "c":
        if dtype.itemsize <= 8:
            return np.dtype(np.complex128)
        return np.dtype(np.clongdouble) if EXTENDED else np.dtype(np.complex128)
    if dtype.itemsize <= 4:
        return np.dtype(np.float64)
    if dtype == np.float64:
        return np.dtype(np.longdouble) if EXTENDED else np.dtype(np.float64)
    return np.dtype(np.longdouble)


class Rows:
    """View of an array with ``axes`` moved last and flattened into (rows, n)."""

    def __init__(self, shape: tuple[int, ...], axes: tuple[int, ...]):
        self.shape = shape
        self.axes = axes
        nd = len(shape)
        if axes == (nd - 1,):  # the usual last-axis case, set up without the general work
            self.perm = self.inverse = list(range(nd))
            self.identity = True
            self.outer = shape[:-1]
            self.n = shape[-1]
            self.nrows = math.prod(self.outer)
            return
        rest = [i for i in range(len(shape)) if i not in axes]
        self.perm = rest + list(axes)
        self.inverse = [0] * len(self.perm)
        for i, p in enumerate(self.perm):
            self.inverse[p] = i
        # Already in order (the usual last-axis case): plain reshapes, no transposes.
        self.identity = self.perm == list(range(len(shape)))
        self.outer = tuple(shape[i] for i in rest)
        self.n = math.prod(shape[i] for i in axes)
        self.nrows = math.prod(self.outer)

    def to_rows(self, arr: NDArray[Any]) -> NDArray[Any]:
        moved = arr if self.identity else np.transpose(arr, self.perm)
        return moved.reshape(self.nrows, self.n)

    def from_rows(self, rows: NDArray[Any]) -> NDArray[Any]:
        if self.identity:
            return rows.reshape(self.shape)
        moved_shape = self.outer + tuple(self.shape[i] for i in self.axes)
        return np.transpose(rows.reshape(moved_shape), self.inverse)

    def reduced(self, values: NDArray[Any], keepdims: bool) -> NDArray[Any]:
        """Shape one value per row back to the reduced (or kept-dims) shape."""
        out = values.reshape(self.outer)
        if keepdims:
            kept = tuple(1 if i in self.axes else s for i, s in enumerate(self.shape))
            out = out.reshape(kept)
        return out


def two_sum_error(a: NDArray[Any], b: NDArray[Any], s: NDArray[Any]) -> NDArray[Any]:
    """Rounding error of ``s = a + b`` (Knuth's TwoSum): ``a + b == s + err`` exactly."""
    bb = s - a
    err = (a - (s - bb)) + (b - bb)
    # inf - inf inside TwoSum gives NaN where the sum is not finite; no correction is due there.
    return np.where(np.isfinite(err), err, 0.0)


def two_prod_error(a: NDArray[Any], b: float, p: NDArray[Any]) -> NDArray[Any]:
    """Rounding error of ``p = a * b`` (Dekker's TwoProduct): ``a * b == p + err`` exactly."""
    split = 134217729.0  # 2**27 + 1 (Veltkamp splitting of float64)
    ca = split * a
    ah = ca - (ca - a)
    al = a - ah
    cb = split * b
    bh = cb - (cb - b)
    bl = b - bh
    err = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    # Infinite or huge operands (whose exp is 0 or inf anyway) give NaN here: no correction.
    return np.where(np.isfinite(err), err, 0.0)


def split_sum(terms: NDArray[Any], extra: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
    """Row sums of float64 ``terms`` in [0, 1] plus ``extra``, as ``hi + lo`` with ``hi`` exact.

    Each term is split into a multiple of 2**-26 (such numbers below 2**27 add exactly in
    float64) and a remainder below 2**-27; only the small remainders' sum is rounded.
    """
    big = 2.0**26
    hi = (terms + big) - big
    lo = (terms - hi) + extra
    return hi.sum(axis=1), lo.sum(axis=1)
