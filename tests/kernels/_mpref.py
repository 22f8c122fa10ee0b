"""mpmath references and ulp measures for the kernel tests (independent of softmaxlab).

Inputs convert to mpf exactly; everything is evaluated with 50 significant digits. The error
of a computed ``y`` against an exact ``r`` is ``|y - r| / ulp(r)`` where ``ulp(r)`` is the
spacing of the dtype's floats in the binade of ``r`` (subnormal spacing below the smallest
normal), so a correctly rounded result is within 0.5. For log_softmax the ulp is floored at
eps (results in (-1, 1) are measured in units of eps), as in the core issue's bounds.
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np

DPS = 50


def softmax_family(row: np.ndarray, temperature: float = 1.0) -> tuple[list[Any], list[Any], Any]:
    """Exact softmax, log_softmax and logsumexp of ``row / temperature`` (finite max)."""
    with mpmath.workdps(DPS):
        t = mpmath.mpf(float(temperature))
        xs = [mpmath.mpf(float(v)) / t for v in row]
        m = max(xs)
        e = [mpmath.exp(v - m) for v in xs]
        s = mpmath.fsum(e)
        lse_shift = mpmath.log(s)
        sm = [v / s for v in e]
        lsm = [v - m - lse_shift for v in xs]
        return sm, lsm, m + lse_shift


def ulp(r: Any, dtype: Any, *, floor_at_eps: bool = False) -> Any:
    fi = np.finfo(dtype)
    with mpmath.workdps(DPS):
        a = abs(mpmath.mpf(r))
        tiny = mpmath.mpf(float(fi.smallest_normal))
        if a < tiny:
            u = mpmath.mpf(2) ** (int(np.log2(float(fi.smallest_normal))) - fi.nmant)
        else:
            u = mpmath.mpf(2) ** (int(mpmath.floor(mpmath.log(a, 2))) - fi.nmant)
        if floor_at_eps:
            u = max(u, mpmath.mpf(float(fi.eps)))
        return u


def max_ulp(out: Any, ref: Any, dtype: Any, *, floor_at_eps: bool = False) -> float:
    """Largest ulp error of the finite ``out`` values against ``ref`` (-inf must match)."""
    worst = 0.0
    with mpmath.workdps(DPS):
        for y, r in zip(np.ravel(out), ref, strict=True):
            if r == -mpmath.inf:
                assert y == -np.inf
                continue
            err = abs(mpmath.mpf(float(y)) - r) / ulp(r, dtype, floor_at_eps=floor_at_eps)
            worst = max(worst, float(err))
    return worst
