"""The one set of high-precision references (mpmath) and the one ulp measure of the test suite.

Every reference is computed in mpmath from the exact input values (a float16/32/64 converts to
an mpf exactly, and ``x / T`` is formed in mpmath), so nothing here shares code or rounding
with softmaxlab. Each function evaluates inside its own local context (``mpmath.workdps``) at
``DPS`` = 50 significant digits unless told otherwise; no module of the test suite sets the
global mpmath precision. ``benchmarks/accuracy.py`` uses the same error measure.

Error measure
-------------
``ulp(r, dtype)`` is the spacing of ``dtype`` floats in the binade of the exact value ``r``:
``2**(floor(log2|r|) - nmant)``, and the subnormal spacing ``2**(minexp - nmant)`` below the
smallest normal (and at 0). The error of a computed ``y`` is ``|y - r| / ulp(r)``, so a
correctly rounded result is within 0.5.

With ``floor_at_eps=True`` the ulp is floored at eps (``max(ulp(r), eps)``, eps = ulp(1.0)):
results with ``|r| < 1`` are measured in units of eps rather than of their own, possibly tiny,
binade. The library's log_softmax bounds use this option; softmax and logsumexp the plain ulp.

``ulp_errors``/``max_ulp_error`` measure against mpf references; ``max_ulp_diff`` applies the
same definition to a float reference array (for path-against-path comparisons).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import mpmath
import numpy as np
from mpmath.libmp import from_float as _from_float
from mpmath.libmp import fzero, mpf_add, mpf_exp, mpf_sub

__all__ = [
    "DPS",
    "BigRowReference",
    "big_row_reference",
    "double_double",
    "max_ulp_diff",
    "max_ulp_error",
    "max_ulp_error_dd",
    "ref_cross_entropy_rows",
    "ref_entropy",
    "ref_exp_sum",
    "ref_log_sigmoid",
    "ref_logsumexp_b",
    "ref_shifted_exps",
    "ref_sigmoid",
    "ref_softmax",
    "ref_softmax_family",
    "ulp",
    "ulp_errors",
]

DPS = 50


def _mp(v: Any) -> mpmath.mpf:
    """``v`` as an mpf, exactly: an mpf is kept, a number goes through ``float`` (exact for
    float16/32/64 and for the integers used in tests)."""
    return v if isinstance(v, mpmath.mpf) else mpmath.mpf(float(v))


def _row(x: Sequence[Any] | np.ndarray, temperature: Any) -> list[mpmath.mpf]:
    """The 1-D row ``x / temperature`` in mpmath (call inside a working precision)."""
    vals = np.asarray(x).ravel().tolist() if isinstance(x, np.ndarray) else list(x)
    t = _mp(temperature)
    return [_mp(v) / t for v in vals]


def ref_softmax_family(
    x: Sequence[Any] | np.ndarray, temperature: float = 1.0, dps: int = DPS
) -> tuple[list[mpmath.mpf], list[mpmath.mpf], mpmath.mpf]:
    """softmax, log_softmax and logsumexp of the 1-D row ``x / temperature``, to ``dps`` digits.

    Entries are floats (converted exactly) or mpf values (kept as they are); they may be -inf
    (probability 0, log-probability -inf); the row must have a finite maximum.
    """
    with mpmath.workdps(dps):
        xs = _row(x, temperature)
        m = max(xs)
        d = [v - m for v in xs]
        e = [mpmath.exp(v) for v in d]
        s = mpmath.fsum(e)
        log_s = mpmath.log(s)
        return [v / s for v in e], [v - log_s for v in d], m + log_s


def ref_softmax(
    x: Sequence[Any] | np.ndarray, temperature: float = 1.0, dps: int = DPS
) -> list[float]:
    """softmax of the row ``x / temperature`` at ``dps`` digits, each rounded once to float."""
    return [float(p) for p in ref_softmax_family(x, temperature, dps)[0]]


def ref_shifted_exps(
    x: Sequence[Any] | np.ndarray, temperature: float = 1.0, dps: int = DPS
) -> list[mpmath.mpf]:
    """``exp(x/T - max(x/T))`` per entry (the softmax numerators, the largest 1), to ``dps``."""
    with mpmath.workdps(dps):
        xs = _row(x, temperature)
        m = max(xs)
        return [mpmath.exp(v - m) for v in xs]


def ref_exp_sum(
    x: Sequence[Any] | np.ndarray, temperature: float = 1.0, dps: int = DPS
) -> mpmath.mpf:
    """``sum(exp(x/T - max(x/T)))`` (the shifted softmax denominator, >= 1) to ``dps`` digits."""
    with mpmath.workdps(dps):
        return mpmath.fsum(ref_shifted_exps(x, temperature, dps))


def ref_cross_entropy_rows(
    x: np.ndarray,
    target: Sequence[int] | np.ndarray,
    weight: Sequence[float] | np.ndarray | None = None,
    label_smoothing: float = 0.0,
    ignore_index: int = -100,
    dps: int = DPS,
) -> tuple[list[Any], list[list[Any]], list[Any]]:
    """Per-sample cross-entropy losses, gradient rows ('sum' reduction) and each row's gradient
    scale ``max(U max_c p_c, u)`` (0 for ignored rows), to ``dps`` digits, with PyTorch's
    class weights and label smoothing ``eps`` over ``C`` classes:
    ``L = (1-eps) w_y (-log p_y) + eps/C sum_c w_c (-log p_c)``,
    ``dL/dz = U p - eps/C w - (1-eps) w_y e_y`` with ``U = (1-eps) w_y + eps/C sum_c w_c``."""
    c = x.shape[1]
    losses: list[Any] = []
    grads: list[list[Any]] = []
    scales: list[Any] = []
    with mpmath.workdps(dps):
        w = [mpmath.mpf(1)] * c if weight is None else [mpmath.mpf(float(v)) for v in weight]
        eps, sum_w = mpmath.mpf(label_smoothing), mpmath.fsum(w)
        for row, y in zip(x, np.asarray(target).tolist(), strict=True):
            if y == ignore_index:
                losses.append(mpmath.mpf(0))
                grads.append([mpmath.mpf(0)] * c)
                scales.append(mpmath.mpf(0))
                continue
            p, logp, _ = ref_softmax_family(row, dps=dps)
            smooth = -mpmath.fsum(wc * lp for wc, lp in zip(w, logp, strict=True))
            losses.append((1 - eps) * w[y] * -logp[y] + eps / c * smooth)
            big_u = (1 - eps) * w[y] + eps / c * sum_w
            g = [big_u * pc - eps / c * wc for pc, wc in zip(p, w, strict=True)]
            g[y] -= (1 - eps) * w[y]
            grads.append(g)
            u = max((1 - eps) * w[y] + eps / c * w[y], eps / c * max(w))
            scales.append(max(big_u * max(p), u))
    return losses, grads, scales


def ref_entropy(
    x: Sequence[Any] | np.ndarray, temperature: float = 1.0, dps: int = DPS
) -> mpmath.mpf:
    """Entropy ``-sum(p log p)`` in nats of ``softmax(x / temperature)``, to ``dps`` digits."""
    with mpmath.workdps(dps):
        p, logp, _ = ref_softmax_family(x, temperature, dps)
        return -mpmath.fsum(pi * li for pi, li in zip(p, logp, strict=True) if pi != 0)


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
    """``1 / (1 + exp(-v))`` to ``dps`` digits."""
    with mpmath.workdps(dps):
        return 1 / (1 + mpmath.exp(-_mp(v)))


def ref_log_sigmoid(v: float, dps: int = DPS) -> mpmath.mpf:
    """``-log1p(exp(-v))`` to ``dps`` digits."""
    with mpmath.workdps(dps):
        return -mpmath.log1p(mpmath.exp(-_mp(v)))


# ------------------------------------------------------------------------------ the ulp measure


def ulp(r: Any, dtype: Any, *, floor_at_eps: bool = False) -> mpmath.mpf:
    """Spacing of ``dtype`` floats at the exact value ``r`` (see the module docstring)."""
    fi = np.finfo(dtype)
    emin = int(fi.minexp)
    with mpmath.workdps(DPS):
        r = mpmath.mpf(r)
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
    """Largest of ``ulp_errors`` (0 for no entries)."""
    errs = ulp_errors(out, ref, dtype, floor_at_eps=floor_at_eps)
    return float(errs.max()) if errs.size else 0.0


def max_ulp_diff(out: Any, ref: Any, dtype: Any = None, *, floor_at_eps: bool = False) -> float:
    """Largest ``|out - ref| / ulp(ref)`` against a float reference array, in ``dtype`` ulps.

    ``dtype`` defaults to ``out``'s dtype; ``ulp`` is the definition above, applied to each
    reference value as a float64 (exact for float16/32/64 references). NaN and infinite entries
    must match exactly (equal ones count 0, a mismatch inf).
    """
    y = np.asarray(out)
    fi = np.finfo(y.dtype if dtype is None else dtype)
    y64 = y.astype(np.float64).ravel()
    r = np.broadcast_to(np.asarray(ref, dtype=np.float64), y.shape).ravel()
    finite = np.isfinite(r)
    special = ~finite | ~np.isfinite(y64)
    same = (np.isnan(y64) & np.isnan(r)) | (y64 == r)
    if np.any(special & ~same):
        return math.inf
    if not np.any(~special):
        return 0.0
    rf, yf = r[~special], y64[~special]
    _, e2 = np.frexp(rf)  # |rf| = m * 2**e2 with m in [0.5, 1): binade exponent e2 - 1
    e = np.maximum(np.where(rf == 0, fi.minexp, e2 - 1), fi.minexp)
    u = np.ldexp(1.0, (e - fi.nmant).astype(np.int64))
    if floor_at_eps:
        u = np.maximum(u, float(fi.eps))
    return float(np.max(np.abs(yf - rf) / u))


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
    """The ``BigRowReference`` of ``x``."""
    return BigRowReference(x)


def double_double(values: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """mpmath values as double-doubles: hi (the nearest float64) and lo (the rest, rounded)."""
    with mpmath.workdps(DPS):
        hi = [float(v) for v in values]
        lo = [float(v - h) if mpmath.isfinite(v) else 0.0 for v, h in zip(values, hi, strict=True)]
    return np.array(hi), np.array(lo)


def max_ulp_error_dd(
    out: Any, ref: tuple[np.ndarray, np.ndarray], dtype: Any, *, floor_at_eps: bool = False
) -> float:
    """``max_ulp_error`` against exact values kept as double-doubles (``double_double``), in
    NumPy: ``|out - (hi + lo)| / ulp(hi)`` with the ulp of this module (the spacing of ``dtype``
    at the value, floored at eps if asked), for long rows where the per-entry mpmath measure is
    slow. The measure itself is off by well under 2**-50 ulp. Non-finite references must be
    matched exactly (else inf)."""
    hi, lo = ref
    y = np.asarray(out, np.float64).ravel()
    fi = np.finfo(dtype)
    fin = np.isfinite(hi)
    if not np.array_equal(y[~fin], hi[~fin]) or not np.isfinite(y[fin]).all():
        return float("inf")
    h = hi[fin]
    e = np.maximum(np.frexp(h)[1] - 1, int(fi.minexp))
    u = np.ldexp(1.0, e - int(fi.nmant))
    if floor_at_eps:
        u = np.maximum(u, float(fi.eps))
    err = np.abs((y[fin] - h) - lo[fin]) / u
    return float(err.max()) if err.size else 0.0
