"""Independent high-precision references (mpmath) and ulp-error measures for the core tests.

Every reference is computed in mpmath from the exact input values (a float16/32/64 converts to
an mpf exactly, and ``x / T`` is formed in mpmath), so nothing here shares code or rounding
with softmaxlab. Also used by ``benchmarks/accuracy.py``.

Error measure
-------------
``ulp(r, dtype)`` is the spacing of ``dtype`` floats in the binade of the exact value ``r``:
``2**(floor(log2|r|) - nmant)``, and the subnormal spacing below the smallest normal. The error
of a computed ``y`` is ``|y - r| / ulp(r)`` (so a correctly rounded result is within 0.5).

For log_softmax the ulp is *floored at eps* (``max(ulp(r), eps)``, eps = ulp(1.0)): results
with ``|r| < 1`` are measured in units of eps rather than of their own, possibly tiny, binade.
``logsumexp`` and ``softmax`` use the plain ulp.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import mpmath
import numpy as np
from mpmath.libmp import from_float as _from_float
from mpmath.libmp import fzero, mpf_add, mpf_exp, mpf_sub

__all__ = [
    "BigRowReference",
    "big_row_reference",
    "max_ulp_error",
    "ref_log_sigmoid",
    "ref_sigmoid",
    "ref_softmax_family",
    "ulp",
    "ulp_errors",
]

DPS = 50


def _mp(v: Any) -> mpmath.mpf:
    return mpmath.mpf(float(v))


def ref_softmax_family(
    x: Sequence[float] | np.ndarray, temperature: float = 1.0, dps: int = DPS
) -> tuple[list[mpmath.mpf], list[mpmath.mpf], mpmath.mpf]:
    """softmax, log_softmax and logsumexp of the 1-D row ``x / temperature``, to ``dps`` digits.

    Entries may be -inf (probability 0, log-probability -inf); the row must have a finite
    maximum.
    """
    with mpmath.workdps(dps):
        t = _mp(temperature)
        xs = [_mp(v) / t for v in np.asarray(x).ravel()]
        m = max(xs)
        d = [v - m for v in xs]
        e = [mpmath.exp(v) for v in d]
        s = mpmath.fsum(e)
        log_s = mpmath.log(s)
        return [v / s for v in e], [v - log_s for v in d], m + log_s


def ref_logsumexp_b(
    x: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray, dps: int = DPS
) -> tuple[mpmath.mpf, int]:
    """log|sum(b * exp(x))| and its sign (-1, 0, 1), to ``dps`` digits (finite x)."""
    with mpmath.workdps(dps):
        s = mpmath.fsum(_mp(bi) * mpmath.exp(_mp(xi)) for xi, bi in zip(x, b, strict=True))
        if s == 0:
            return mpmath.mpf("-inf"), 0
        return mpmath.log(abs(s)), (1 if s > 0 else -1)


def ref_sigmoid(v: float, dps: int = DPS) -> mpmath.mpf:
    with mpmath.workdps(dps):
        return 1 / (1 + mpmath.exp(-_mp(v)))


def ref_log_sigmoid(v: float, dps: int = DPS) -> mpmath.mpf:
    with mpmath.workdps(dps):
        return -mpmath.log1p(mpmath.exp(-_mp(v)))


def ulp(r: mpmath.mpf, dtype: Any, *, floor_at_eps: bool = False) -> mpmath.mpf:
    """Spacing of ``dtype`` floats at the exact value ``r`` (see the module docstring)."""
    fi = np.finfo(dtype)
    emin = int(fi.minexp)
    if r == 0 or not mpmath.isfinite(r):
        e = emin
    else:
        e = max(int(mpmath.frexp(r)[1]) - 1, emin)
    u = mpmath.ldexp(1, e - int(fi.nmant))
    if floor_at_eps:
        u = max(u, mpmath.ldexp(1, -int(fi.nmant)))
    return u


def _rounds_to_inf(r: mpmath.mpf, dtype: Any) -> float:
    """+inf or -inf if ``r`` overflows when rounded to ``dtype``, else 0 (no match)."""
    fi = np.finfo(dtype)
    threshold = mpmath.ldexp(2 - mpmath.ldexp(1, -int(fi.nmant) - 1), int(fi.maxexp) - 1)
    if abs(r) >= threshold:
        return float(mpmath.sign(r)) * np.inf
    return 0.0


def ulp_errors(
    out: Any, ref: Sequence[mpmath.mpf] | mpmath.mpf, dtype: Any, *, floor_at_eps: bool = False
) -> np.ndarray:
    """``|out - ref| / ulp(ref)`` per entry; equal infinities count 0, any other mismatch inf."""
    ys = np.asarray(out).ravel()
    refs = list(ref) if isinstance(ref, Sequence) else [ref]
    if len(refs) != ys.size:
        raise ValueError(f"{ys.size} outputs for {len(refs)} reference values")
    errs = np.empty(ys.size)
    with mpmath.workdps(DPS):
        for i, (y, r) in enumerate(zip(ys.tolist(), refs, strict=True)):
            if not (mpmath.isfinite(r) and np.isfinite(y)):
                same = float(r) == y or (np.isinf(y) and _rounds_to_inf(r, dtype) == y)
                errs[i] = 0.0 if same else np.inf
                continue
            errs[i] = float(abs(mpmath.mpf(y) - r) / ulp(r, dtype, floor_at_eps=floor_at_eps))
    return errs


def max_ulp_error(out: Any, ref: Any, dtype: Any, *, floor_at_eps: bool = False) -> float:
    errs = ulp_errors(out, ref, dtype, floor_at_eps=floor_at_eps)
    return float(errs.max()) if errs.size else 0.0


class BigRowReference:
    """Exact-enough softmax data of one long row, built with ~110-bit mpmath arithmetic.

    Each ``exp(x_i - max)`` is computed once (low-level mpmath at 110 bits, i.e. ~33 digits);
    the sum of a million such terms then carries a relative error below 1e-26, far under any
    float64 ulp. ``softmax(i)``, ``log_softmax(i)`` and ``logsumexp`` are exact to that level.
    """

    PREC = 110

    def __init__(self, x: np.ndarray):
        vals = np.asarray(x, dtype=np.float64).ravel().tolist()
        m = max(vals)
        mf = _from_float(m)
        prec = self.PREC
        total = fzero
        exps = []
        for v in vals:
            e = mpf_exp(mpf_sub(_from_float(v), mf, prec), prec)
            exps.append(e)
            total = mpf_add(total, e, prec)
        self._vals = vals
        self._exps = exps
        with mpmath.workdps(DPS):
            self.max = mpmath.mpf(m)
            self.sum = mpmath.mpf(total)
            self.log_sum = mpmath.log(self.sum)
            self.logsumexp = self.max + self.log_sum

    def softmax(self, idx: Sequence[int]) -> list[mpmath.mpf]:
        with mpmath.workdps(DPS):
            return [mpmath.mpf(self._exps[i]) / self.sum for i in idx]

    def log_softmax(self, idx: Sequence[int]) -> list[mpmath.mpf]:
        with mpmath.workdps(DPS):
            return [(mpmath.mpf(self._vals[i]) - self.max) - self.log_sum for i in idx]


def big_row_reference(x: np.ndarray) -> BigRowReference:
    return BigRowReference(x)
