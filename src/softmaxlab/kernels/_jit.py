# numba's stubs type an @intrinsic as called with its typing context first; in jitted code it
# is called with the values only.
# mypy: disable-error-code="call-arg, var-annotated"
"""numba kernels on validated, C-contiguous 2-D float32/float64 arrays (rows × classes).

This is the only module of softmaxlab that imports numba. Everything here is serial and
``nogil``; :mod:`softmaxlab.kernels` splits work across threads and merges partial results.

Accuracy design (the NumPy reference in ``softmaxlab.core`` is the specification):

* float32 input: ``d = x - max`` is exact in float64, ``exp`` is a float64 polynomial with
  relative error below 2**-33, sums are float64, and each output is rounded once to float32.
* float64 input: ``d`` is kept as a double-double (TwoSum), ``exp`` is accurate to about
  1 ulp, and sums are compensated (pairwise, with the error of every addition kept by
  TwoSum).
* One maximal term is taken out of the sum, ``s' = sum(exp(d)) - 1``, so that ``log1p(s')``
  keeps full relative accuracy when one logit dominates (the core does the same).

Vectorisation notes (measured on this machine, numba 0.68): ``np.exp`` is not vectorised, so
``exp`` is written by hand (Cody–Waite reduction, polynomial, 2**k from integer bits); a
float max reduction does not vectorise but an integer key of the bits does; a float sum
vectorises only when written as a pairwise tree of elementwise additions over a block;
``fastmath`` is used without ``reassoc`` (which would re-order the range reduction and the
compensated sums); inner loops run over slices starting at 0 (loops over ``range(lo, hi)`` of
a larger array do not vectorise).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

# No 'reassoc' (and no 'nnan'/'ninf': special values are handled explicitly).
_FM = {"nsz", "arcp", "contract"}
_OPTS: dict[str, Any] = {"fastmath": _FM, "nogil": True, "cache": True, "error_model": "numpy"}
_INL: dict[str, Any] = {"fastmath": _FM, "inline": "always", "error_model": "numpy"}

BLOCK = 1024  # elements of a row handled per scratch block (fits in L1 as float64)
# float32 rows up to this length keep their exps (float64, <= 2 MB scratch) for the write
# pass; longer ones compute each exp twice. (float64 rows keep them in the output itself.)
STORE_MAX = 1 << 18

LOG2E = 1.4426950408889634
LN2 = 0.6931471805599453
# Cody–Waite split of ln 2 (fdlibm): k * LN2_HI is exact for |k| < 2**11.
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
SHIFT = 6755399441055744.0  # 1.5 * 2**52: adding it rounds to an integer in the low bits
SHIFT_BITS = 0x4338000000000000

# exp(r) = 1 + r + r**2 * q(r) on |r| <= ln2/2; least-squares fit, relative error < 2**-33.9.
Q0 = 0.5000000078130342
Q1 = 0.16666666163889232
Q2 = 0.04166627028506936
Q3 = 0.008333429975334598
Q4 = 0.001394602078432451
Q5 = 0.0001982649620038153

# float64 exp: exp(r) = 1 + r + r**2 * e(r), e of degree 9 fitted (weighted least squares in
# mpmath on Chebyshev nodes) on |r| <= ln2/2; relative error < 2**-56.
E0 = 0.5000000000000012
E1 = 0.16666666666666483
E2 = 0.04166666666651632
E3 = 0.008333333333451433
E4 = 0.0013888888946678828
E5 = 0.00019841269597118904
E6 = 2.480149034623507e-05
E7 = 2.755750728541229e-06
E8 = 2.7631125446226205e-07
E9 = 2.50246452096493e-08


@intrinsic
def _f64_as_i64(typingctx, x):
    sig = types.int64(types.float64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return sig, codegen


@intrinsic
def _i64_as_f64(typingctx, x):
    sig = types.float64(types.int64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return sig, codegen


@intrinsic
def _i32_as_f32(typingctx, x):
    sig = types.float32(types.int32)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.FloatType())

    return sig, codegen


@intrinsic
def _fma(typingctx, a, b, c):
    sig = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        return builder.fma(args[0], args[1], args[2])

    return sig, codegen


# --------------------------------------------------------------------------- exp


@njit(**_INL)
def _exp32(d):
    """exp(d) for d <= 0 to 2**-33 relative (float32 path); 0 below -700 (float32 results
    there are 0 anyway, and log1p of a sum must not see a spurious 1e-304).

    One fused multiply-add reduces the argument: |kf| <= 1010, so the error of the float64
    ln 2 adds at most 2.3e-14 to r, far below what float32 results can see.
    """
    dc = max(d, -700.0)
    t = dc * LOG2E + SHIFT
    kf = t - SHIFT
    r = _fma(-kf, LN2, dc)
    q = Q5
    q = q * r + Q4
    q = q * r + Q3
    q = q * r + Q2
    q = q * r + Q1
    q = q * r + Q0
    p = (q * r + 1.0) * r + 1.0
    e = p * _i64_as_f64((_f64_as_i64(t) + 1023) << 52)
    return e if d >= -700.0 else 0.0


@njit(**_INL)
def _exp64(dh, dl):
    """exp(dh + dl) for dh <= 0, |dl| <= ulp(dh): about 1 ulp, gradual underflow kept."""
    # Far below the underflow threshold: exp is 0 whatever the (possibly huge) tail dl.
    dl = dl if dh > -1000.0 else 0.0
    dh = max(dh, -1000.0)
    t = dh * LOG2E + SHIFT
    kf = t - SHIFT
    r = dh - kf * LN2_HI  # exact: kf * LN2_HI has at most 53 bits, and Sterbenz
    rl = dl - kf * LN2_LO
    r2 = r + rl
    p = E9
    p = p * r2 + E8
    p = p * r2 + E7
    p = p * r2 + E6
    p = p * r2 + E5
    p = p * r2 + E4
    p = p * r2 + E3
    p = p * r2 + E2
    p = p * r2 + E1
    p = p * r2 + E0
    p = 1.0 + (r + (rl + r2 * r2 * p))
    k = _f64_as_i64(t) - SHIFT_BITS
    # 2**k in two normal factors, so that results in the subnormal range round only once.
    k1 = k >> 1
    k2 = k - k1
    return (p * _i64_as_f64((k1 + 1023) << 52)) * _i64_as_f64((k2 + 1023) << 52)


@njit(**_INL)
def _log1p_vec(s):
    """log1p(s) for s >= 0 to a few float64 ulps, in a form LLVM vectorises."""
    u = 1.0 + s
    c = s - (u - 1.0)  # rounding error of 1 + s, added back as c / u
    bits = _f64_as_i64(u)
    # Split u = 2**k * f with f in [sqrt(1/2), sqrt(2)).
    k = ((bits + 0x00095F619980C433) >> 52) - 1023
    f = _i64_as_f64(bits - (k << 52))
    z = (f - 1.0) / (f + 1.0)
    z2 = z * z
    p = 1.0 / 15.0
    p = p * z2 + 1.0 / 13.0
    p = p * z2 + 1.0 / 11.0
    p = p * z2 + 1.0 / 9.0
    p = p * z2 + 1.0 / 7.0
    p = p * z2 + 1.0 / 5.0
    p = p * z2 + 1.0 / 3.0
    lf = 2.0 * z + 2.0 * z * z2 * p
    return k * LN2 + (lf + c / u)


# --------------------------------------------------------------------------- max


@njit(**_OPTS)
def max32(xr):
    """(max, has_nan) of a float32 row (the max ignores NaNs).

    A float max reduction does not vectorise; a signed-integer key of the bits does (the key
    orders finite values and infinities like the floats; NaNs are caught by ``mag``).
    """
    bits = xr.view(np.int32)
    key = np.int32(-(2**31))
    mag = np.int32(0)
    for i in range(bits.size):
        b = bits[i]
        key = max(key, b ^ ((b >> 31) & 0x7FFFFFFF))
        mag = max(mag, b & 0x7FFFFFFF)
    m = np.float64(_i32_as_f32(key ^ ((key >> 31) & 0x7FFFFFFF)))
    return m, mag > 0x7F800000


@njit(**_OPTS)
def max64(xr):
    """(max, has_nan) of a float64 row."""
    bits = xr.view(np.int64)
    key = np.int64(-(2**63))
    mag = np.int64(0)
    for i in range(bits.size):
        b = bits[i]
        key = max(key, b ^ ((b >> 63) & 0x7FFFFFFFFFFFFFFF))
        mag = max(mag, b & 0x7FFFFFFFFFFFFFFF)
    b = key ^ ((key >> 63) & 0x7FFFFFFFFFFFFFFF)
    m = _i64_as_f64(b)
    return m, mag > 0x7FF0000000000000


# --------------------------------------------------------------------------- sums


@njit(**_OPTS)
def _tree_sum(buf, nb):
    """Pairwise sum of buf[:nb] (destroys buf): every level is an elementwise, vectorised add."""
    h = 8
    while h < nb:
        h *= 2
    for i in range(nb, h):
        buf[i] = 0.0
    while h > 8:
        h //= 2
        lo = buf[:h]
        hi = buf[h : 2 * h]
        for i in range(h):
            lo[i] += hi[i]
    s = 0.0
    for i in range(8):
        s += buf[i]
    return s


@njit(**_OPTS)
def sum32(xr, m, inv_t, buf):
    """(count of entries equal to the max, sum of exp((x - m) * inv_t) over the others)."""
    cnt = 0
    rest = 0.0
    for b0 in range(0, xr.size, BLOCK):
        xb = xr[b0 : b0 + BLOCK]
        nb = xb.size
        for i in range(nb):
            d = (np.float64(xb[i]) - m) * inv_t
            e = _exp32(d)
            buf[i] = e if d < 0.0 else 0.0
            cnt += d == 0.0
        rest += _tree_sum(buf, nb)
    return cnt, rest


@njit(**_OPTS)
def sumstore32(xr, m, inv_t, buf, store):
    """As sum32, also keeping every exp in ``store`` (so the write pass needs no exp)."""
    cnt = 0
    rest = 0.0
    for b0 in range(0, xr.size, BLOCK):
        xb = xr[b0 : b0 + BLOCK]
        sb = store[b0 : b0 + BLOCK]
        nb = xb.size
        for i in range(nb):
            d = (np.float64(xb[i]) - m) * inv_t
            e = _exp32(d)
            sb[i] = e
            buf[i] = e if d < 0.0 else 0.0
            cnt += d == 0.0
        rest += _tree_sum(buf, nb)
    return cnt, rest


@njit(**_OPTS)
def scale_store32(store, o, inv_s):
    for i in range(o.size):
        o[i] = np.float32(store[i] * inv_s)


@njit(**_INL)
def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


@njit(**_INL)
def _shift64(x, m, t):
    """(x - m) / t as an unevaluated double-double (hi, lo); lo is 0 where hi is -inf."""
    dh = x - m
    bb = dh - x
    dl = (x - (dh - bb)) + (-m - bb)
    if t != 1.0:
        qh = dh / t
        rem = _fma(-qh, t, dh)  # exact remainder
        dl = (rem + dl) / t
        dh = qh
    dl = dl if dh > -np.inf else 0.0
    return dh, dl


@njit(**_OPTS)
def _tree_sum2(buf, ebuf, nb):
    """Compensated pairwise sum of buf[:nb] as (hi, lo): every level is an elementwise
    TwoSum (vectorised) whose rounding errors are carried along in ``ebuf``."""
    h = 8
    while h < nb:
        h *= 2
    for i in range(nb, h):
        buf[i] = 0.0
    for i in range(h):
        ebuf[i] = 0.0
    while h > 8:
        h //= 2
        a = buf[:h]
        b = buf[h : 2 * h]
        ea = ebuf[:h]
        eb = ebuf[h : 2 * h]
        for i in range(h):
            s, err = _two_sum(a[i], b[i])
            a[i] = s
            ea[i] += eb[i] + err
    hi = 0.0
    lo = 0.0
    for i in range(8):
        hi, err = _two_sum(hi, buf[i])
        lo += err + ebuf[i]
    return hi, lo


@njit(**_OPTS)
def sum64(xr, m, t, buf, store):
    """(count of maxima, hi, lo) of sum(exp((x - m) / t)) over the non-maximal entries.

    ``buf`` holds 2 * BLOCK floats. When ``store`` is not empty, every exp is kept there (so
    that the softmax write pass needs no second exp).
    """
    cnt = 0
    hi = 0.0
    lo = 0.0
    keep = store.size > 0
    ebuf = buf[BLOCK:]
    for b0 in range(0, xr.size, BLOCK):
        xb = xr[b0 : b0 + BLOCK]
        nb = xb.size
        if keep:
            sb = store[b0 : b0 + BLOCK]
            for i in range(nb):
                dh, dl = _shift64(xb[i], m, t)
                e = _exp64(dh, dl)
                sb[i] = e
                buf[i] = e if dh < 0.0 else 0.0
                cnt += dh == 0.0
        else:
            for i in range(nb):
                dh, dl = _shift64(xb[i], m, t)
                e = _exp64(dh, dl)
                buf[i] = e if dh < 0.0 else 0.0
                cnt += dh == 0.0
        bh, bl = _tree_sum2(buf, ebuf, nb)
        hi, err = _two_sum(hi, bh)
        lo += err + bl
    hi, lo = _two_sum(hi, lo)
    return cnt, hi, lo


@njit(**_OPTS)
def scale_store64(store, o, inv_s):
    for i in range(o.size):
        o[i] = store[i] * inv_s


# --------------------------------------------------------------------------- writes


@njit(**_OPTS)
def write_sm32(xr, o, m, inv_t, inv_s):
    for i in range(xr.size):
        o[i] = np.float32(_exp32((np.float64(xr[i]) - m) * inv_t) * inv_s)


@njit(**_OPTS)
def write_lsm32(xr, o, m, inv_t, lse):
    for i in range(xr.size):
        o[i] = np.float32((np.float64(xr[i]) - m) * inv_t - lse)


@njit(**_OPTS)
def write_lsm64(xr, o, m, t, lh, ll):
    for i in range(xr.size):
        dh, dl = _shift64(xr[i], m, t)
        o[i] = (dh - lh) + (dl - ll)


@njit(**_OPTS)
def fill(o, v):
    for i in range(o.size):
        o[i] = v


# --------------------------------------------------------------------------- row drivers


@njit(**_INL)
def _log1p_dd(hi, lo):
    """log1p(hi + lo) as (value, correction) for hi >= 0."""
    lh = math.log1p(hi)
    return lh, lo / (1.0 + hi)


@njit(**_OPTS)
def softmax_rows32(x, out, r0, r1, inv_t, log):
    buf = np.empty(2 * BLOCK)
    n = x.shape[1]
    store = np.empty(n if (n <= STORE_MAX and not log) else 0)
    for i in range(r0, r1):
        xr = x[i]
        o = out[i]
        m, nan = max32(xr)
        if nan or m == np.inf or m == -np.inf:
            fill(o, np.nan)
            continue
        if store.size:
            cnt, rest = sumstore32(xr, m, inv_t, buf, store)
            scale_store32(store, o, 1.0 / (cnt + rest))
            continue
        cnt, rest = sum32(xr, m, inv_t, buf)
        s1 = (cnt - 1) + rest
        if log:
            write_lsm32(xr, o, m, inv_t, math.log1p(s1))
        else:
            write_sm32(xr, o, m, inv_t, 1.0 / (1.0 + s1))


@njit(**_OPTS)
def softmax_rows64(x, out, r0, r1, t, log):
    """softmax / log_softmax of float64 rows r0..r1. For softmax the exps are kept in the
    output row itself (float64, like them) and scaled in place: one exp per entry, no
    scratch, and ``out`` may be ``x`` (each entry is read before it is written)."""
    buf = np.empty(2 * BLOCK)
    for i in range(r0, r1):
        xr = x[i]
        o = out[i]
        m, nan = max64(xr)
        if nan or m == np.inf or m == -np.inf:
            fill(o, np.nan)
            continue
        cnt, hi, lo = sum64(xr, m, t, buf, o[:0] if log else o)
        hi, lo2 = _two_sum(np.float64(cnt - 1), hi)
        lo += lo2
        if log:
            lh, ll = _log1p_dd(hi, lo)
            write_lsm64(xr, o, m, t, lh, ll)
        else:
            scale_store64(o, o, _inv_one_plus(hi, lo))


@njit(**_INL)
def _inv_one_plus(hi, lo):
    """1 / (1 + hi + lo), to about an ulp."""
    sh, sl = _two_sum(1.0, hi)
    sl += lo
    inv = 1.0 / sh
    return inv - inv * inv * sl


SHORT_BLOCK = 64  # rows per transposed block in the short-row kernels


@njit(**_INL)
def _transpose_max(x, b0, nb, tb, m, bad):
    """Load rows b0..b0+nb of ``x`` transposed into ``tb`` (classes × SHORT_BLOCK lanes, the
    unused lanes zero) and set per lane the max ``m`` (0 for bad lanes) and ``bad`` (1 for a
    row holding NaN or +inf, or all -inf; else 0).

    Every loop but the transposition runs across rows, so LLVM vectorises it whatever the
    (small) number of classes.
    """
    n = tb.shape[0]
    R = tb.shape[1]
    for r in range(nb):
        xr = x[b0 + r]
        for j in range(n):
            tb[j, r] = xr[j]
    for j in range(n):
        row = tb[j]
        for r in range(nb, R):
            row[r] = 0.0
    row = tb[0]
    for r in range(R):
        m[r] = row[r]
        bad[r] = 0.0
    for j in range(n):
        row = tb[j]
        for r in range(R):
            v = row[r]
            m[r] = v if v > m[r] else m[r]
            bad[r] += v != v
    for r in range(R):
        mr = m[r]
        ok = bad[r] == 0.0 and mr > -np.inf and mr < np.inf
        bad[r] = 0.0 if ok else 1.0
        m[r] = mr if ok else 0.0


@njit(**_INL)
def _short_block32(x, b0, nb, tb, m, bad, acc, cnt, inv_t, keep_d):
    """Load rows b0..b0+nb of ``x`` transposed into ``tb`` (classes × SHORT_BLOCK lanes) and
    compute per lane: the max ``m`` (0 for bad lanes), ``bad`` (NaN, +inf or all -inf), the
    count of maxima ``cnt`` and the sum of the other exps ``acc``. ``tb`` is left holding
    ``d = (x - m) * inv_t`` when ``keep_d`` and ``exp(d)`` otherwise.

    See _transpose_max for the layout.
    """
    n = tb.shape[0]
    R = tb.shape[1]
    _transpose_max(x, b0, nb, tb, m, bad)
    for r in range(R):
        acc[r] = 0.0
        cnt[r] = 0.0
    for j in range(n):
        row = tb[j]
        for r in range(R):
            d = (row[r] - m[r]) * inv_t
            e = _exp32(d)
            acc[r] += e if d < 0.0 else 0.0
            cnt[r] += d == 0.0
            row[r] = d if keep_d else e


@njit(**_OPTS)
def short_rows32(x, out, r0, r1, inv_t, log):
    """softmax / log_softmax of many short float32 rows (blocks transposed, see above)."""
    n = x.shape[1]
    R = SHORT_BLOCK
    tb = np.empty((n, R))
    lanes = np.empty((5, R))
    m, bad, acc, cnt, fin = lanes[0], lanes[1], lanes[2], lanes[3], lanes[4]
    for b0 in range(r0, r1, R):
        nb = min(R, r1 - b0)
        _short_block32(x, b0, nb, tb, m, bad, acc, cnt, inv_t, log)
        if log:
            for r in range(R):
                fin[r] = _log1p_vec((cnt[r] - 1.0) + acc[r])
            for r in range(nb):
                o = out[b0 + r]
                if bad[r] != 0.0:
                    fill(o, np.nan)
                    continue
                lse = fin[r]
                for j in range(n):
                    o[j] = np.float32(tb[j, r] - lse)
        else:
            for r in range(R):
                fin[r] = 1.0 / (cnt[r] + acc[r])
            for r in range(nb):
                o = out[b0 + r]
                if bad[r] != 0.0:
                    fill(o, np.nan)
                    continue
                inv = fin[r]
                for j in range(n):
                    o[j] = np.float32(tb[j, r] * inv)


@njit(**_OPTS)
def short_lse32(x, out, flags, r0, r1):
    """logsumexp of many short float32 rows (flags as in lse_rows32)."""
    n = x.shape[1]
    R = SHORT_BLOCK
    tb = np.empty((n, R))
    lanes = np.empty((6, R))
    m, bad, acc, cnt, fin, lse = lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5]
    for b0 in range(r0, r1, R):
        nb = min(R, r1 - b0)
        _short_block32(x, b0, nb, tb, m, bad, acc, cnt, 1.0, True)
        for r in range(R):
            lse[r] = _log1p_vec((cnt[r] - 1.0) + acc[r])
            fin[r] = m[r] + lse[r]
        for r in range(nb):
            flags[b0 + r] = 0
            if bad[r] != 0.0:
                xr = x[b0 + r]
                mm, nan = max32(xr)
                out[b0 + r] = np.nan if nan else mm
            else:
                out[b0 + r] = np.float32(fin[r])
                flags[b0 + r] = abs(fin[r]) * 64.0 < lse[r]


# --------------------------------------------------------------------------- pieces of one row
# Used to split a single long row across threads: max of each chunk, then sums against the
# merged max, then the writes.


@njit(**_OPTS)
def chunk_sum32(xr, m, inv_t):
    buf = np.empty(2 * BLOCK)
    return sum32(xr, m, inv_t, buf)


@njit(**_OPTS)
def chunk_sum64(xr, m, t, store):
    buf = np.empty(2 * BLOCK)
    return sum64(xr, m, t, buf, store)


# --------------------------------------------------------------------------- logsumexp


@njit(**_OPTS)
def lse_rows32(x, out, flags, r0, r1):
    """float32 logsumexp per row; ``flags[i] = 1`` where m and log(sum) cancel.

    ``L = log1p(s')`` is good to about 2**-33 absolute (the float32-path exp), which is
    below a quarter ulp of the float32 result unless ``|m + L| < L / 64``.
    """
    buf = np.empty(2 * BLOCK)
    for i in range(r0, r1):
        xr = x[i]
        m, nan = max32(xr)
        flags[i] = 0
        if nan:
            out[i] = np.nan
        elif m == np.inf or m == -np.inf:
            out[i] = m
        else:
            cnt, rest = sum32(xr, m, 1.0, buf)
            lse = math.log1p((cnt - 1) + rest)
            res = m + lse
            out[i] = np.float32(res)
            flags[i] = abs(res) * 64.0 < lse


@njit(**_OPTS)
def lse_rows64(x, out, flags, r0, r1):
    """float64 logsumexp per row; ``flags[i] = 1`` where m and log(sum) cancel.

    The result is ``m + L`` with ``L = log1p(s')``; the exps carry about 2**-53 relative
    error, so ``L`` is good to about 2**-53 absolute. When ``|m + L| < L`` that can be more
    than an ulp of the result, and the caller may recompute the row in extended precision.
    """
    buf = np.empty(2 * BLOCK)
    for i in range(r0, r1):
        xr = x[i]
        m, nan = max64(xr)
        flags[i] = 0
        if nan:
            out[i] = np.nan
        elif m == np.inf or m == -np.inf:
            out[i] = m
        else:
            cnt, hi, lo = sum64(xr, m, 1.0, buf, buf[:0])
            hi, lo2 = _two_sum(np.float64(cnt - 1), hi)
            lo += lo2
            lh, ll = _log1p_dd(hi, lo)
            s, err = _two_sum(m, lh)
            res = s + (err + ll)
            out[i] = res
            flags[i] = abs(res) < lh


# --------------------------------------------------------------------------- cross-entropy
# Index targets, PyTorch semantics. Per row: the loss
#   (1 - eps) * w_y * (L - d_y) + eps / C * sum_c w_c * (L - d_c),   d = x - max, L = log sum e^d
# and the gradient  U * softmax - u,  U = (1 - eps) * w_y + eps / C * sum(w),
#   u_c = (1 - eps) * w_y * [c == y] + eps / C * w_c,
# scaled by ``scale`` (1 / the 'mean' denominator, or 1). Ignored rows are never read.


@njit(**_OPTS)
def _wsum_d(xr, w, has_w, m, buf):
    """sum_c w_c * (x_c - m) in float64 (pairwise)."""
    tot = 0.0
    for b0 in range(0, xr.size, BLOCK):
        xb = xr[b0 : b0 + BLOCK]
        nb = xb.size
        if has_w:
            wb = w[b0 : b0 + BLOCK]
            for i in range(nb):
                buf[i] = wb[i] * (np.float64(xb[i]) - m)
        else:
            for i in range(nb):
                buf[i] = np.float64(xb[i]) - m
        tot += _tree_sum(buf, nb)
    return tot


@njit(**_OPTS)
def ce_rows(x, target, w, has_w, ignore_index, eps, scale, nllw, smooth, wy_out, grad, want_grad):
    """Fused cross-entropy over rows (float32 or float64 logits), optional gradient.

    Per row (float64, 0 for ignored rows): ``nllw`` gets ``w_y * (L - d_y)``, ``smooth``
    ``sum_c w_c (L - d_c)`` (only when ``eps > 0``), ``wy_out`` the target weight; ``grad``
    (same dtype as ``x``) the scaled gradient. The caller combines the two loss parts as
    PyTorch does (for 'mean', each part over the weight sum on its own).
    """
    nrows, n_classes = x.shape
    buf = np.empty(2 * BLOCK)
    f32 = x.itemsize == 4
    sum_w = 0.0
    if has_w:
        for c in range(n_classes):
            sum_w += w[c]
    else:
        sum_w = np.float64(n_classes)
    for i in range(nrows):
        y = target[i]
        if y == ignore_index:
            nllw[i] = 0.0
            smooth[i] = 0.0
            wy_out[i] = 0.0
            if want_grad:
                fill(grad[i], 0.0)
            continue
        xr = x[i]
        wy = w[y] if has_w else 1.0
        wy_out[i] = wy
        if f32:
            m, nan = max32(xr)
        else:
            m, nan = max64(xr)
        if nan or m == np.inf or m == -np.inf:
            nllw[i] = np.nan
            smooth[i] = np.nan if eps > 0.0 else 0.0
            if want_grad:
                fill(grad[i], np.nan)
            continue
        if f32:
            cnt, rest = sum32(xr, m, 1.0, buf)
            lse = math.log1p((cnt - 1) + rest)
            lse_lo = 0.0
            dy = np.float64(xr[y]) - m
            dy_lo = 0.0
            s_tot = cnt + rest
        else:
            cnt, hi, lo = sum64(xr, m, 1.0, buf, buf[:0])
            hi, lo2 = _two_sum(np.float64(cnt - 1), hi)
            lo += lo2
            lse, lse_lo = _log1p_dd(hi, lo)
            dy, dy_lo = _shift64(np.float64(xr[y]), m, 1.0)
            s_tot = (1.0 + hi) + lo
        nllw[i] = wy * ((lse - dy) + (lse_lo - dy_lo))
        smooth[i] = 0.0
        if eps > 0.0:
            smooth[i] = (lse + lse_lo) * sum_w - _wsum_d(xr, w, has_w, m, buf)
        if want_grad:
            g = grad[i]
            big_u = (1.0 - eps) * wy + eps / n_classes * sum_w
            a = big_u / s_tot * scale
            b = eps / n_classes * scale
            if f32:
                if has_w:
                    for c in range(n_classes):
                        e = _exp32(np.float64(xr[c]) - m)
                        g[c] = np.float32(a * e - b * w[c])
                else:
                    for c in range(n_classes):
                        e = _exp32(np.float64(xr[c]) - m)
                        g[c] = np.float32(a * e - b)
                ey = _exp32(np.float64(xr[y]) - m)
            else:
                if has_w:
                    for c in range(n_classes):
                        dh, dl = _shift64(xr[c], m, 1.0)
                        g[c] = a * _exp64(dh, dl) - b * w[c]
                else:
                    for c in range(n_classes):
                        dh, dl = _shift64(xr[c], m, 1.0)
                        g[c] = a * _exp64(dh, dl) - b
                ey = _exp64(dy, dy_lo)
            # The target entry: one rounding of U p_y - u_y, not two.
            wyy = w[y] if has_w else 1.0
            g[y] = a * ey - (b * wyy + (1.0 - eps) * wy * scale)


# --------------------------------------------------------------------------- softmax vjp


@njit(**_OPTS)
def vjp_rows(p, v, out, r0, r1):
    """out = p * (v - sum(p * v)) per row, accumulated in float64."""
    buf = np.empty(2 * BLOCK)
    for i in range(r0, r1):
        pr = p[i]
        vr = v[i]
        o = out[i]
        dot = 0.0
        for b0 in range(0, pr.size, BLOCK):
            pb = pr[b0 : b0 + BLOCK]
            vb = vr[b0 : b0 + BLOCK]
            nb = pb.size
            for j in range(nb):
                buf[j] = np.float64(pb[j]) * np.float64(vb[j])
            dot += _tree_sum(buf, nb)
        for j in range(pr.size):
            o[j] = np.float64(pr[j]) * (np.float64(vr[j]) - dot)


@njit(**_OPTS)
def short_ce32(
    x, target, w, has_w, ignore_index, eps, scale, nllw, smooth, wy_out, grad, want_grad
):
    """ce_rows for many short float32 rows (blocks transposed as in short_rows32)."""
    nrows, n = x.shape
    R = SHORT_BLOCK
    tb = np.empty((n, R))
    lanes = np.empty((5, R))
    m, bad, acc, cnt, fin = lanes[0], lanes[1], lanes[2], lanes[3], lanes[4]
    sum_w = 0.0
    if has_w:
        for c in range(n):
            sum_w += w[c]
    else:
        sum_w = np.float64(n)
    for b0 in range(0, nrows, R):
        nb = min(R, nrows - b0)
        _short_block32(x, b0, nb, tb, m, bad, acc, cnt, 1.0, False)
        for r in range(R):
            fin[r] = _log1p_vec((cnt[r] - 1.0) + acc[r])
        for r in range(nb):
            i = b0 + r
            y = target[i]
            if y == ignore_index:
                nllw[i] = 0.0
                smooth[i] = 0.0
                wy_out[i] = 0.0
                if want_grad:
                    fill(grad[i], 0.0)
                continue
            wy = w[y] if has_w else 1.0
            wy_out[i] = wy
            if bad[r] != 0.0:
                nllw[i] = np.nan
                smooth[i] = np.nan if eps > 0.0 else 0.0
                if want_grad:
                    fill(grad[i], np.nan)
                continue
            xr = x[i]
            lse = fin[r]
            mr = m[r]
            nllw[i] = wy * (lse - (np.float64(xr[y]) - mr))
            smooth[i] = 0.0
            if eps > 0.0:
                wd = 0.0
                for c in range(n):
                    wd += (w[c] if has_w else 1.0) * (np.float64(xr[c]) - mr)
                smooth[i] = lse * sum_w - wd
            if want_grad:
                g = grad[i]
                big_u = (1.0 - eps) * wy + eps / n * sum_w
                a = big_u / (cnt[r] + acc[r]) * scale
                b = eps / n * scale
                for c in range(n):
                    g[c] = np.float32(a * tb[c, r] - b * (w[c] if has_w else 1.0))
                g[y] = np.float32(a * tb[y, r] - (b * wy + (1.0 - eps) * wy * scale))


@njit(**_OPTS)
def short_rows64(x, out, r0, r1, t, log):
    """softmax / log_softmax of many short float64 rows: as short_rows32, with the shift kept
    as a double-double and the sums compensated (TwoSum per lane)."""
    n = x.shape[1]
    R = SHORT_BLOCK
    tb = np.empty((n, R))
    tl = np.empty((n, R))
    lanes = np.empty((7, R))
    m, bad, ahi, alo, cnt, fh, fl = (
        lanes[0],
        lanes[1],
        lanes[2],
        lanes[3],
        lanes[4],
        lanes[5],
        lanes[6],
    )
    for b0 in range(r0, r1, R):
        nb = min(R, r1 - b0)
        _transpose_max(x, b0, nb, tb, m, bad)
        for r in range(R):
            ahi[r] = 0.0
            alo[r] = 0.0
            cnt[r] = 0.0
        for j in range(n):
            row = tb[j]
            rlo = tl[j]
            for r in range(R):
                dh, dl = _shift64(row[r], m[r], t)
                e = _exp64(dh, dl)
                term = e if dh < 0.0 else 0.0
                s, err = _two_sum(ahi[r], term)
                ahi[r] = s
                alo[r] += err
                cnt[r] += dh == 0.0
                row[r] = dh if log else e
                rlo[r] = dl
        for r in range(nb):
            hi, lo2 = _two_sum(cnt[r] - 1.0, ahi[r])
            lo = alo[r] + lo2
            if log:
                fh[r], fl[r] = _log1p_dd(hi, lo)
            else:
                sh, sl = _two_sum(1.0, hi)
                sl += lo
                inv = 1.0 / sh
                fh[r] = inv - inv * inv * sl
        for r in range(nb):
            o = out[b0 + r]
            if bad[r] != 0.0:
                fill(o, np.nan)
                continue
            if log:
                lh = fh[r]
                ll = fl[r]
                for j in range(n):
                    o[j] = (tb[j, r] - lh) + (tl[j, r] - ll)
            else:
                inv = fh[r]
                for j in range(n):
                    o[j] = tb[j, r] * inv


@njit(**_OPTS)
def short_ce64(
    x, target, w, has_w, ignore_index, eps, scale, nllw, smooth, wy_out, grad, want_grad
):
    """ce_rows for many short float64 rows (blocks transposed as in short_rows64)."""
    nrows, n = x.shape
    R = SHORT_BLOCK
    tb = np.empty((n, R))
    lanes = np.empty((5, R))
    m, bad, ahi, alo, cnt = lanes[0], lanes[1], lanes[2], lanes[3], lanes[4]
    sum_w = 0.0
    if has_w:
        for c in range(n):
            sum_w += w[c]
    else:
        sum_w = np.float64(n)
    for b0 in range(0, nrows, R):
        nb = min(R, nrows - b0)
        _transpose_max(x, b0, nb, tb, m, bad)
        for r in range(R):
            ahi[r] = 0.0
            alo[r] = 0.0
            cnt[r] = 0.0
        for j in range(n):
            row = tb[j]
            for r in range(R):
                dh, dl = _shift64(row[r], m[r], 1.0)
                e = _exp64(dh, dl)
                s, err = _two_sum(ahi[r], e if dh < 0.0 else 0.0)
                ahi[r] = s
                alo[r] += err
                cnt[r] += dh == 0.0
                row[r] = e
        for r in range(nb):
            i = b0 + r
            y = target[i]
            if y == ignore_index:
                nllw[i] = 0.0
                smooth[i] = 0.0
                wy_out[i] = 0.0
                if want_grad:
                    fill(grad[i], 0.0)
                continue
            wy = w[y] if has_w else 1.0
            wy_out[i] = wy
            if bad[r] != 0.0:
                nllw[i] = np.nan
                smooth[i] = np.nan if eps > 0.0 else 0.0
                if want_grad:
                    fill(grad[i], np.nan)
                continue
            xr = x[i]
            mr = m[r]
            hi, lo2 = _two_sum(cnt[r] - 1.0, ahi[r])
            lo = alo[r] + lo2
            lse, lse_lo = _log1p_dd(hi, lo)
            dy, dy_lo = _shift64(xr[y], mr, 1.0)
            nllw[i] = wy * ((lse - dy) + (lse_lo - dy_lo))
            smooth[i] = 0.0
            if eps > 0.0:
                wd = 0.0
                for c in range(n):
                    wd += (w[c] if has_w else 1.0) * (xr[c] - mr)
                smooth[i] = (lse + lse_lo) * sum_w - wd
            if want_grad:
                g = grad[i]
                big_u = (1.0 - eps) * wy + eps / n * sum_w
                a = big_u / ((1.0 + hi) + lo) * scale
                b = eps / n * scale
                for c in range(n):
                    g[c] = a * tb[c, r] - b * (w[c] if has_w else 1.0)
                g[y] = a * tb[y, r] - (b * wy + (1.0 - eps) * wy * scale)


# --------------------------------------------------------------------------- pieces of one CE row


@njit(**_OPTS)
def chunk_wsum(xr, w, has_w, m):
    """sum_c w_c * (x_c - m) over a chunk of a row (w sliced alike, or unused)."""
    buf = np.empty(2 * BLOCK)
    return _wsum_d(xr, w, has_w, m, buf)


@njit(**_OPTS)
def chunk_ce_grad(xr, w, has_w, m, a, b, g):
    """g_c = a * exp(x_c - m) - b * w_c over a chunk of a row (the target entry is fixed
    by the caller)."""
    if xr.itemsize == 4:
        for c in range(xr.size):
            e = _exp32(np.float64(xr[c]) - m)
            g[c] = a * e - b * (w[c] if has_w else 1.0)
    else:
        for c in range(xr.size):
            dh, dl = _shift64(np.float64(xr[c]), m, 1.0)
            g[c] = a * _exp64(dh, dl) - b * (w[c] if has_w else 1.0)
