"""The kernels of the compiled core against the pure-NumPy reference path and mpmath.

softmax, log_softmax, logsumexp, cross-entropy (loss, gradient, fused) and softmax_vjp run at
every SIMD level this machine supports (the ``simd_level`` fixture).
Every kernel is compared with the public NumPy functions of softmaxlab (the specification of
values and special cases) on float32 and float64, with one and two threads (the thread
threshold is lowered so that small inputs take the split paths too), and on a few rows with an
mpmath reference for the ulp bounds of the fast path.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest

import softmaxlab as sl
from softmaxlab import kernels as K
from softmaxlab.kernels import _threads
from tests._support.mpref import max_ulp_diff, max_ulp_error, ref_softmax_family

DTYPES = [np.float32, np.float64]


@pytest.fixture(params=[0, 1, 2], ids=["default", "1thread", "2threads"])
def threads(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Default settings, or 1 or 2 threads with threads used for inputs of any size."""
    old = K.get_num_threads()
    if request.param == 0:
        yield old
        return
    monkeypatch.setattr(_threads, "PARALLEL_MIN_BYTES", 0)
    K.set_num_threads(request.param)
    yield request.param
    K.set_num_threads(old)


SHAPES = [(1, 1), (1, 10), (5, 33), (100000, 10), (3, 100003), (1, 10**6)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_softmax_rows_matches_numpy_path(shape, log, dtype, threads, simd_level):
    rng = np.random.default_rng(hash((shape, log)) % 2**32)
    x = (rng.standard_normal(shape) * 10).astype(dtype)
    x0 = x.copy()
    got = K.softmax_rows(x, log=log)
    ref = (sl.log_softmax if log else sl.softmax)(x, axis=-1, backend="numpy")
    assert got.dtype == dtype and got.shape == shape
    np.testing.assert_array_equal(x, x0)  # the input is never written
    bound = 1.0 if dtype == np.float32 else (2.0 if log else 8.0)
    assert max_ulp_diff(got, ref, floor_at_eps=log) <= bound
    if not log:
        np.testing.assert_allclose(
            got.sum(axis=1, dtype=np.float64), 1.0, rtol=4 * np.finfo(dtype).eps * np.sqrt(shape[1])
        )


def _numpy_lse(rows: np.ndarray) -> np.ndarray:
    return sl.logsumexp(rows, axis=1, backend="numpy")


def _mp_rows(dtype: type) -> list[tuple[np.ndarray, float]]:
    rng = np.random.default_rng(7)
    rows = [
        (rng.normal(0, 10, 60), 1.0),
        (rng.normal(0, 1, 800), 1.0),
        (rng.normal(0, 3, 40) + 1e4, 1.0),
        (np.r_[40.0, rng.normal(0, 1, 30)], 1.0),  # one dominant logit: log_softmax near 0
        (rng.normal(0, 5, 50), 0.3),
        (np.r_[1.0, -np.inf, 2.0, -np.inf, 0.5], 1.0),
        (np.array([-0.0, 0.0, 0.0]), 1.0),
        (rng.normal(0, 2, 1), 1.0),
    ]
    if dtype == np.float64:
        rows.append((np.array([0.0, -720.0, -741.0, -1.0]), 1.0))  # subnormal probabilities
    return [(r.astype(dtype), t) for r, t in rows]


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_ulp_error_against_mpmath(dtype, threads, simd_level):
    """Bounds of the fast path: float32 <= 1 ulp; float64 softmax <= 6, log_softmax <= 2,
    logsumexp <= 1.1 ulps (log_softmax measured with the ulp floored at eps)."""
    worst = {"softmax": 0.0, "log_softmax": 0.0, "logsumexp": 0.0}
    for row, t in _mp_rows(dtype):
        sm, lsm, lse = ref_softmax_family(row, t)
        x = row[None, :]
        worst["softmax"] = max(
            worst["softmax"], max_ulp_error(K.softmax_rows(x, temperature=t), sm, dtype)
        )
        worst["log_softmax"] = max(
            worst["log_softmax"],
            max_ulp_error(
                K.softmax_rows(x, temperature=t, log=True), lsm, dtype, floor_at_eps=True
            ),
        )
        if t == 1.0:
            got = K.logsumexp_rows(x, fallback=_numpy_lse)
            worst["logsumexp"] = max(worst["logsumexp"], max_ulp_error(got, [lse], dtype))
    if dtype == np.float32:
        bounds = {"softmax": 1.0, "log_softmax": 1.0, "logsumexp": 1.0}
    else:
        bounds = {"softmax": 6.0, "log_softmax": 2.0, "logsumexp": 1.1}
    for name, bound in bounds.items():
        assert worst[name] <= bound, (name, worst[name])


@pytest.mark.parametrize("temperature", [1.0, 0.3], ids=["t1", "t0.3"])
@pytest.mark.parametrize("n_classes", [8, 20, 32])
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_short_row_kernel_ulp_error_against_mpmath(dtype, n_classes, temperature, simd_level):
    """70 rows (four blocks of 16 and a partial one) of up to 32 classes take the kernels that
    vectorise across rows; same bounds."""
    rng = np.random.default_rng(11 + n_classes)
    x = (rng.standard_normal((70, n_classes)) * rng.uniform(0.1, 30, (70, 1))).astype(dtype)
    x[3, 0] = 50.0  # one dominant logit
    x[69, -1] = 60.0  # ... in the partial block too
    t = temperature
    sm = K.softmax_rows(x, temperature=t)
    lsm = K.softmax_rows(x, temperature=t, log=True)
    lse = K.logsumexp_rows(x, fallback=_numpy_lse)
    worst = [0.0, 0.0, 0.0]
    for i, row in enumerate(x):
        rsm, rlsm, _ = ref_softmax_family(row, t)
        worst[0] = max(worst[0], max_ulp_error(sm[i], rsm, dtype))
        worst[1] = max(worst[1], max_ulp_error(lsm[i], rlsm, dtype, floor_at_eps=True))
        if t == 1.0:
            rlse = ref_softmax_family(row)[2]
            worst[2] = max(worst[2], max_ulp_error(lse[i : i + 1], [rlse], dtype))
    bounds = [1.0, 1.0, 1.0] if dtype == np.float32 else [6.0, 2.0, 1.1]
    assert all(w <= b for w, b in zip(worst, bounds, strict=True)), worst


SPECIAL_ROWS = [
    [1.0, np.nan, 2.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, np.nan],
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, np.inf, 0.0, 1.0],
    [-np.inf] * 10,
    [-np.inf] * 5 + [0.0, 1.0, 2.0, -np.inf, 3.0],  # first half all -inf: still a normal row
    [0.0, -np.inf, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
    [-0.0, 0.0, -0.0, 0.0, 1e-45, -1e-45, 0.0, 0.0, 0.0, 0.0],
    [np.inf, -np.inf, np.nan, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3e38, -3e38, 1e38, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [np.nan, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
]


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_special_values(dtype, log, threads, simd_level):
    for row in SPECIAL_ROWS:
        x = np.array([row], dtype=dtype)
        with np.errstate(over="ignore"):
            got = K.softmax_rows(x, log=log)
        ref = (sl.log_softmax if log else sl.softmax)(x, backend="numpy")
        bad = np.isnan(x).any() or np.isposinf(x).any() or np.isneginf(x).all()
        assert np.isnan(got).all() == bad
        if not bad:
            assert not np.isnan(got).any()
            expect_zero = np.isneginf(x)
            assert np.all(got[expect_zero] == (-np.inf if log else 0.0))
        assert max_ulp_diff(got, ref, floor_at_eps=log) <= (1.0 if dtype == np.float32 else 6.0)


def test_special_rows_mixed_with_normal_rows(threads, simd_level):
    """A bad row does not affect its neighbours (short-row and long-row kernels)."""
    for n in (10, 200):
        x = np.random.default_rng(3).normal(size=(130, n)).astype(np.float32)
        x[5, 3] = np.nan
        x[70, 0] = np.inf
        x[128] = -np.inf
        for log in (False, True):
            got = K.softmax_rows(x, log=log)
            ref = (sl.log_softmax if log else sl.softmax)(x, backend="numpy")
            assert np.isnan(got[[5, 70, 128]]).all()
            assert max_ulp_diff(got, ref, floor_at_eps=log) <= 1.0


@pytest.mark.parametrize("temperature", [0.01, 0.5, 3.7])
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_temperature(dtype, temperature, threads, simd_level):
    x = np.random.default_rng(4).normal(0, 4, (40, 300)).astype(dtype)
    for log in (False, True):
        got = K.softmax_rows(x, temperature=temperature, log=log)
        ref = (sl.log_softmax if log else sl.softmax)(x, temperature=temperature, backend="numpy")
        assert max_ulp_diff(got, ref, floor_at_eps=log) <= (1.0 if dtype == np.float32 else 8.0)


@pytest.mark.parametrize("shape", [(3, 3), (20, 3), (1, 300000)], ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_tiny_temperature_is_one_hot(dtype, shape, simd_level, threads):
    """Regression: a temperature below 1 / DBL_MAX (inverse inf) must not give 0 * inf = NaN
    at the maxima (float32 rows multiply by the inverse temperature)."""
    x = np.zeros(shape, dtype=dtype)
    x[:, 1] = 2.0
    x[:, 2] = 2.0
    x[:, 0] = np.nextafter(dtype(2.0), dtype(0.0))
    for t in (5e-324, 1e-310, 1e-300):
        p = K.softmax_rows(x, temperature=t)
        lp = K.softmax_rows(x, temperature=t, log=True)
        want = np.zeros(shape, dtype=dtype)
        want[:, 1:3] = 0.5
        np.testing.assert_array_equal(p, want)
        assert (lp[:, 1:3] == dtype(-np.log(2.0))).all()
        assert np.isneginf(lp[:, 0]).all() or (lp[:, 0] < -1e30).all()


def test_out_parameter_is_filled_and_returned(simd_level):
    x = np.random.default_rng(5).normal(size=(4, 7))
    out = np.empty_like(x)
    res = K.softmax_rows(x, out)
    assert res is out
    np.testing.assert_allclose(out, sl.softmax(x, backend="numpy"), rtol=1e-15)


@pytest.mark.parametrize("shape", [(1, 10), (100, 10), (3, 100003), (2, 300000)], ids=str)
@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_in_place(dtype, log, shape, threads, simd_level):
    x = np.random.default_rng(12).normal(0, 5, shape).astype(dtype)
    expected = K.softmax_rows(x.copy(), log=log)
    res = K.softmax_rows(x, x, log=log)
    assert res is x
    np.testing.assert_array_equal(x, expected)


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_short_rows_of_every_class_count_stay_in_their_rows(dtype, log, threads, simd_level):
    """Short rows (1 to 32 classes, 8-row blocks and a part block) written into the middle of
    a larger buffer and in place: the values are the reference path's (within the bounds of
    test_softmax_rows_matches_numpy_path), the
    entries before and after the output are untouched (a row's store may run past its end
    only onto rows written after it) and the in-place result is the same, bit for bit (no
    store runs onto inputs not yet read)."""
    rng = np.random.default_rng(29)
    f = sl.log_softmax if log else sl.softmax
    bound = 1.0 if dtype == np.float32 else (2.0 if log else 8.0)
    for n in range(1, 33):
        x = rng.normal(0, 4, (37, n)).astype(dtype)
        x[5, n // 2] = np.inf  # a NaN row among finite ones
        big = np.full((39, n), 7.0, dtype)
        out = big[1:-1]
        K.softmax_rows(x, out, log=log)
        assert (big[0] == 7.0).all() and (big[-1] == 7.0).all(), n
        ref = f(x, backend="numpy")
        assert np.isnan(out[5]).all() and np.isnan(ref[5]).all(), n
        keep = np.ones(37, bool)
        keep[5] = False
        assert max_ulp_diff(out[keep], ref[keep], floor_at_eps=log) <= bound, n
        y = x.copy()
        assert K.softmax_rows(y, y, log=log) is y
        np.testing.assert_array_equal(y, out, err_msg=f"{n} classes in place")


@pytest.mark.parametrize("smoothing", [0.0, 0.1], ids=["plain", "smoothed"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_short_cross_entropy_gradient_rows_stay_in_their_rows(
    dtype, smoothing, threads, simd_level
):
    """The fused cross-entropy gradient of short rows (1 to 32 classes, class weights, some
    rows ignored) written into the middle of a larger buffer: the reference path's values
    (reduction 'sum', scale 1) and the entries before and after it untouched."""
    rng = np.random.default_rng(31)
    for n in range(1, 33):
        x = rng.normal(0, 4, (37, n)).astype(dtype)
        t = rng.integers(0, n, 37)
        t[[3, 20]] = -100
        w = rng.uniform(0.5, 2.0, n)
        big = np.full((39, n), 7.0, dtype)
        g = big[1:-1]
        K.cross_entropy_parts(
            x, t, weight=w, ignore_index=-100, label_smoothing=smoothing, grad=g, scale=1.0
        )
        assert (big[0] == 7.0).all() and (big[-1] == 7.0).all(), n
        ref = sl.cross_entropy_grad(
            x, t, weight=w, label_smoothing=smoothing, reduction="sum", backend="numpy"
        )
        tol = 4 * np.finfo(dtype).eps
        np.testing.assert_allclose(g, ref, rtol=tol, atol=tol, err_msg=f"{n} classes")


@pytest.mark.parametrize("shape", [(1, 1), (7, 10), (100000, 10), (3, 100003)], ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_logsumexp_rows_matches_numpy_path(dtype, shape, threads, simd_level):
    x = np.random.default_rng(6).normal(0, 10, shape).astype(dtype)
    got = K.logsumexp_rows(x, fallback=_numpy_lse)
    ref = sl.logsumexp(x, axis=1, backend="numpy")
    assert got.dtype == dtype and got.shape == (shape[0],)
    assert max_ulp_diff(got, ref) <= 1.0


@pytest.mark.parametrize("nrows", [4, 68])  # 68 rows: float32 short-row kernel
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_logsumexp_rows_cancellation_goes_to_fallback(dtype, nrows, simd_level):
    """Rows where max and log(sum) cancel are handed to the fallback, and only those."""
    rows = [[-0.6931471805599453] * 2, [-0.2, -0.3], [3.0, 1.0], [-30.0, -31.0]]
    if dtype == np.float32:
        rows[1] = [-0.6931472, -0.6931472]  # float32 flags only strong cancellation
    x = np.array((rows * 17)[:nrows], dtype=dtype)
    seen = []

    def fallback(rows):
        seen.append(rows.copy())
        return sl.logsumexp(rows, axis=1, backend="numpy")

    got = K.logsumexp_rows(x, fallback=fallback)
    flagged = np.tile([True, True, False, False], 17)[:nrows]
    np.testing.assert_array_equal(seen[0], x[flagged])
    np.testing.assert_array_equal(got, sl.logsumexp(x, axis=1, backend="numpy"))
    # Without a fallback the error is at most a few ulps of log(sum), in absolute terms.
    fast = K.logsumexp_rows(x)
    lse_shift = sl.logsumexp(x - x.max(axis=1, keepdims=True), axis=1, backend="numpy")
    tol = 4 * np.spacing(lse_shift) if dtype == np.float64 else 2.0**-30 * lse_shift
    assert np.all(np.abs(fast - got) <= tol)


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_logsumexp_special_values(dtype, simd_level):
    x = np.array(
        [
            [np.nan, 1.0],
            [np.inf, 1.0],
            [-np.inf, -np.inf],
            [np.inf, -np.inf],
            [np.nan, np.inf],
            [0.0, -40.0],
            [-np.inf, 2.0],
        ],
        dtype=dtype,
    )
    got = K.logsumexp_rows(x)
    np.testing.assert_array_equal(got[:5], [np.nan, np.inf, -np.inf, np.inf, np.nan])
    assert got[5] == np.logaddexp(dtype(0.0), dtype(-40.0))
    assert got[6] == 2.0
    np.testing.assert_array_equal(got, sl.logsumexp(x, axis=1, backend="numpy"))
    # Regression: a term far below underflow must add exactly nothing to log1p of the rest.
    rows = np.array([[0.0, -np.inf], [0.0, -800.0], [-3.0, -1e30]], dtype=dtype)
    np.testing.assert_array_equal(K.logsumexp_rows(rows), [0.0, 0.0, -3.0])
    if dtype == np.float64:
        # log(1 + e**-720) = e**-720 (subnormal), rounded once.
        sub = K.logsumexp_rows(np.array([[0.0, -720.0]]))[0]
        assert abs(sub - np.exp(-720.0)) <= 5e-324


CE_OPTIONS = [
    {},
    {"reduction": "sum"},
    {"reduction": "none"},
    {"weight": True},
    {"label_smoothing": 0.1},
    {"weight": True, "label_smoothing": 0.25, "reduction": "none"},
    {"ignore_index": 3},
]


def _ce(logits, target, **kw):
    """The loss on the compiled core (its per-row parts reduced by softmaxlab.core)."""
    return sl.cross_entropy(logits, target, backend="compiled", **kw)


def _ce_grad(logits, target, return_loss=False, **kw):
    """The gradient on the compiled core; with ``return_loss`` the fused (grad, loss)."""
    if return_loss:
        loss, grad = sl.cross_entropy_and_grad(logits, target, backend="compiled", **kw)
        return grad, loss
    return sl.cross_entropy_grad(logits, target, backend="compiled", **kw)


def _ce_problem(dtype, n=300, c=17, seed=8, ignore_index=-100):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 3, (n, c)).astype(dtype)
    target = rng.integers(0, c, n)
    target[::7] = ignore_index
    weight = rng.uniform(0.2, 3.0, c)
    return logits, target, weight


@pytest.mark.parametrize("n_classes", [17, 40])  # short rows (<= 32 classes) and long ones
@pytest.mark.parametrize(
    "opts", CE_OPTIONS, ids=lambda o: ",".join(map(str, o.items())) or "default"
)
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_cross_entropy_rows_matches_numpy_path(dtype, opts, n_classes, threads, simd_level):
    logits, target, weight = _ce_problem(
        dtype, c=n_classes, ignore_index=opts.get("ignore_index", -100)
    )
    kw = dict(opts)
    if kw.pop("weight", False):
        kw["weight"] = weight
    got = _ce(logits, target, **kw)
    ref = sl.cross_entropy(logits, target, **kw, backend="numpy")
    assert np.asarray(got).dtype == dtype and np.shape(got) == np.shape(ref)
    rtol = 2e-7 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(got, ref, rtol=rtol, atol=0)
    grad, loss = _ce_grad(logits, target, return_loss=True, **kw)
    np.testing.assert_array_equal(loss, got)  # fused forward = forward alone
    gref = sl.cross_entropy_grad(logits, target, **kw, backend="numpy")
    assert grad.dtype == dtype
    scale = np.abs(gref).max()
    np.testing.assert_allclose(
        grad, gref, rtol=0, atol=scale * (4e-7 if dtype == np.float32 else 1e-15)
    )
    np.testing.assert_array_equal(_ce_grad(logits, target, **kw), grad)


@pytest.mark.parametrize("opts", CE_OPTIONS[:6], ids=lambda o: ",".join(map(str, o.items())))
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_cross_entropy_one_long_row(dtype, opts, threads, simd_level):
    """One row of many classes (split across threads when there are two)."""
    rng = np.random.default_rng(13)
    logits = rng.normal(0, 4, (1, 3001)).astype(dtype)
    weight = rng.uniform(0.2, 3.0, 3001)
    kw = dict(opts)
    if kw.pop("weight", False):
        kw["weight"] = weight
    for target in (np.array([1234]), np.array([-100])):
        got = _ce(logits, target, **kw)
        ref = sl.cross_entropy(logits, target, **kw, backend="numpy")
        np.testing.assert_allclose(got, ref, rtol=2e-7 if dtype == np.float32 else 1e-14)
        grad, loss = _ce_grad(logits, target, return_loss=True, **kw)
        np.testing.assert_array_equal(loss, got)
        gref = sl.cross_entropy_grad(logits, target, **kw, backend="numpy")
        tol = np.abs(gref).max() * (4e-7 if dtype == np.float32 else 1e-15)
        np.testing.assert_allclose(grad, gref, rtol=0, atol=tol)
    bad = logits.copy()
    bad[0, 2000] = np.nan
    assert np.isnan(_ce(bad, np.array([3])))
    assert np.isnan(_ce_grad(bad, np.array([3]))).all()


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("nrows", [3, 70])  # 70 rows take the short-row kernels
def test_cross_entropy_rows_special_cases(dtype, nrows, simd_level):
    rows = [[1.0, np.nan, 0.0], [1.0, 2.0, 3.0], [np.inf, 0.0, 0.0]]
    logits = np.array((rows * 24)[:nrows], dtype=dtype)
    target = np.array(([0, 2, -100] * 24)[:nrows])
    loss = _ce(logits, target, reduction="none")
    assert np.isnan(loss[0]) and np.isfinite(loss[1]) and loss[2] == 0.0
    np.testing.assert_array_equal(
        loss, sl.cross_entropy(logits, target, reduction="none", backend="numpy")
    )
    grad = _ce_grad(logits, target, reduction="sum")
    assert np.isnan(grad[0]).all() and (grad[2] == 0.0).all()
    # Every sample ignored: 'mean' is 0/0 = NaN, as in PyTorch.
    assert np.isnan(_ce(logits, np.full(nrows, -100)))
    # Kept samples whose target weights are all 0: 'mean' divides each part by a zero weight
    # sum, so loss and gradient are NaN (as PyTorch), with or without smoothing.
    w = np.array([1.0, 1.0, 0.0])
    tz = np.where(np.isfinite(logits).all(axis=1), 2, -100)
    for ls in (0.0, 0.5):
        got = _ce(logits, tz, weight=w, label_smoothing=ls)
        assert np.isnan(got) and np.isnan(
            sl.cross_entropy(logits, tz, weight=w, label_smoothing=ls, backend="numpy")
        )
        g = _ce_grad(logits, tz, weight=w, label_smoothing=ls)
        gref = sl.cross_entropy_grad(logits, tz, weight=w, label_smoothing=ls, backend="numpy")
        np.testing.assert_array_equal(g, gref)
        assert np.isnan(g[tz == 2]).all() and (g[tz == -100] == 0).all()


def test_cross_entropy_rows_against_torch(simd_level):
    import torch

    logits, target, weight = _ce_problem(np.float64, n=64, c=9, seed=9)
    zt = torch.tensor(logits, requires_grad=True)
    tt = torch.tensor(target)
    wt = torch.tensor(weight)
    lt = torch.nn.functional.cross_entropy(zt, tt, weight=wt, label_smoothing=0.1)
    lt.backward()
    grad, loss = _ce_grad(logits, target, weight=weight, label_smoothing=0.1, return_loss=True)
    np.testing.assert_allclose(loss, lt.item(), rtol=1e-13)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-10, atol=1e-17)


@pytest.mark.parametrize("shape", [(1, 1), (9, 31), (3, 100003)], ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_softmax_vjp_rows_matches_numpy_path(dtype, shape, threads, simd_level):
    rng = np.random.default_rng(10)
    p = sl.softmax(rng.normal(size=shape)).astype(dtype)
    v = rng.normal(size=shape).astype(dtype)
    got = K.softmax_vjp_rows(p, v)
    # The float64 reference, formed in NumPy (not with the kernel).
    pw, vw = p.astype(np.float64), v.astype(np.float64)
    ref = (pw * (vw - (pw * vw).sum(axis=1, keepdims=True))).astype(dtype)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, ref, rtol=0, atol=np.abs(ref).max() * 4 * np.finfo(dtype).eps)


def test_set_num_threads_validates():
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="'n' parameter of set_num_threads"):
            K.set_num_threads(bad)


def test_thread_count_from_environment(monkeypatch):
    monkeypatch.setenv(K.ENV_THREADS, "3")
    assert K._default_threads() == 3
    monkeypatch.setenv(K.ENV_THREADS, "zero")
    with pytest.raises(ValueError, match="SOFTMAXLAB_NUM_THREADS"):
        K._default_threads()
    monkeypatch.delenv(K.ENV_THREADS)
    assert K._default_threads() >= 1


def test_env_variable_sets_default_in_new_process():
    code = "from softmaxlab import kernels as K; print(K.get_num_threads())"
    env = {"SOFTMAXLAB_NUM_THREADS": "5", "PATH": ""}
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert res.stdout.strip() == "5"


def test_no_kernel_imports_numba():
    """Every kernel runs on the compiled core: none imports numba (or needs it)."""
    code = (
        "import sys, numpy as np, softmaxlab as sl, softmaxlab.kernels as K\n"
        "x = np.ones((2, 3)); t = np.array([0, 2])\n"
        "K.softmax_rows(x); K.logsumexp_rows(x); K.softmax_vjp_rows(x, x)\n"
        "sl.cross_entropy_and_grad(x, t, backend='numba'); sl.softmax_vjp(x, x)\n"
        "assert 'numba' not in sys.modules, 'a kernel imported numba'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_one_call_small_path_matches_numpy_path(dtype, simd_level):
    """The public call on small C-contiguous input (one C call, ``softmax_call``) against the
    NumPy path: special rows, 1-D/3-D shapes, temperatures."""
    rng = np.random.default_rng(14)
    inputs = [np.array(SPECIAL_ROWS, dtype=dtype), (rng.standard_normal((4, 3, 7)) * 9)]
    inputs += [rng.standard_normal(5) * 30, rng.standard_normal((40, 5))]
    for x in inputs:
        x = x.astype(dtype)
        for t in (1.0, 0.3, 7):
            for f in (sl.softmax, sl.log_softmax):
                with np.errstate(over="ignore"):
                    got = f(x, temperature=t)
                    ref = f(x, temperature=t, backend="numpy")
                assert got.dtype == dtype and got.shape == x.shape
                bound = 1.0 if dtype == np.float32 else 8.0
                assert max_ulp_diff(got, ref, floor_at_eps=f is sl.log_softmax) <= bound


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_one_call_small_path_returns_a_new_array_of_its_own(dtype, simd_level):
    """The result the small call allocates (NumPy's C API where the build has it) is a new,
    writeable, C-contiguous base-class ndarray that owns its data, of x's shape and dtype,
    and holds what the call writes into a given ``out``."""
    rng = np.random.default_rng(15)
    for shape in [(10,), (1, 10), (3, 2, 5), (7, 13)]:  # under _call's limit (bytes)
        x = rng.normal(0, 3, shape).astype(dtype)
        got = _call(x)
        assert type(got) is np.ndarray and got is not x
        assert got.dtype == dtype and got.shape == shape and got.base is None
        assert got.flags.c_contiguous and got.flags.writeable and got.flags.owndata
        assert not np.shares_memory(got, x)
        out = np.empty_like(x)
        assert _call(x, out=out) is out
        np.testing.assert_array_equal(got, out)
        got[...] = 0.0  # its own memory: x is unchanged
        assert np.isfinite(x).all() and (x != 0).any()


def _call(x, *, axis=-1, t=1.0, backend=None, out=None, precision="exact", log=False, limit=800):
    from softmaxlab import _simd

    return _simd.core.softmax_call(x, axis, t, backend, out, precision, log, limit)


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
def test_one_call_small_path_takes_only_the_common_call(dtype, simd_level):
    """``softmax_call`` returns None (and sets no error) for anything but the common call, so
    that the general path validates it; what it takes it computes exactly."""
    x = np.zeros((3, 4), dtype=dtype)
    quarter = np.full((3, 4), 0.25, dtype=dtype)
    np.testing.assert_array_equal(_call(x, limit=x.nbytes + 1), quarter)
    readonly = np.empty((3, 4), dtype=dtype)
    readonly.flags.writeable = False
    not_taken = [
        {"limit": x.nbytes},  # at the size limit (bytes)
        *({"axis": a} for a in (0, np.int64(-1), True, -2, None, 2, 2**70)),
        *({"t": t} for t in (0.0, -1.0, np.inf, np.nan, np.float64(1.0), True, 2**53, -3, 0)),
        *({"t": t} for t in (10**30, "1", None)),
        *({"backend": b} for b in ("numpy", "AUTO", 1)),
        *({"precision": p} for p in ("EXACT", None, b"exact")),
        {"out": np.empty((3, 4), dtype=np.float16)},
        {"out": np.empty((4, 3), dtype=dtype)},
        {"out": np.empty((3, 4, 1), dtype=dtype)},
        {"out": np.empty((3, 8), dtype=dtype)[:, ::2]},
        {"out": np.ma.masked_array(np.empty((3, 4), dtype=dtype))},
        {"out": [0.0] * 12},
        {"out": readonly},
    ]
    for kwargs in not_taken:
        assert _call(x, **kwargs) is None, kwargs
    bad_inputs = [x[:, ::2], x.astype(np.float16), np.ones((3, 0), dtype=dtype), x.tolist()]
    bad_inputs += [np.ones((), dtype=dtype), x.astype(x.dtype.newbyteorder()), np.ma.array(x)]
    for bad_x in bad_inputs:
        assert _call(bad_x) is None
    flat = np.zeros(x.size + 2, dtype=dtype)
    assert _call(flat[:12].reshape(3, 4), out=flat[2:].reshape(3, 4)) is None  # overlap
    # Taken: axis ndim - 1, an int temperature, the core's backend names, precision 'fast'.
    taken = [{"axis": 1}, {"t": 7}, {"precision": "fast"}]
    taken += [{"backend": b} for b in ("auto", "compiled", "numba")]
    for kwargs in taken:
        np.testing.assert_array_equal(_call(x, **kwargs), quarter)
    out = np.full((3, 4), 9.0, dtype=dtype)
    assert _call(x, out=out) is out  # returned, not copied
    np.testing.assert_array_equal(out, quarter)
    y = x.copy()
    assert _call(y, out=y, log=True) is y  # in place
    np.testing.assert_array_equal(y, np.log(quarter))
    np.testing.assert_array_equal(x, 0.0)  # the input was never written


def _three_rows(n: int) -> np.ndarray:
    """Three float32 rows of n >= 40 entries: the max in the second half, the max in the first
    half with -inf entries in both, and one NaN row."""
    rng = np.random.default_rng(n)
    x = (rng.standard_normal((3, n)) * 4).astype(np.float32)
    x[0, n - 5] = 30.0
    x[1, 7] = 25.0
    x[1, [0, n // 2, n - 1]] = -np.inf
    x[2, n // 3] = np.nan
    return x


@pytest.mark.parametrize("n", [40, 1001, 32_000, 2**21, 2**21 + 13])
def test_float32_softmax_rows_in_every_output(n, threads, simd_level):
    """softmax of float32 rows written into a new array (the exps of each row's second half
    are kept in the output row itself, the others in a scratch row up to 2**21 entries and
    computed again beyond), into an ``out=`` that is not 8-byte aligned and in place (no exp
    kept in the output there): each within the 0.56 ulp bound of the AVX-512 table exp (the
    other levels: 0.51) of a long double reference; -inf gives 0, the NaN row is NaN."""
    x = _three_rows(n)
    x0 = x.copy()
    xl = x[:2].astype(np.longdouble)
    e = np.exp(xl - xl.max(axis=1, keepdims=True))
    ref = (e / e.sum(axis=1, keepdims=True)).astype(np.float64)
    fresh = K.softmax_rows(x)
    np.testing.assert_array_equal(x, x0)
    flat = np.full(x.size + 1, 7.0, dtype=np.float32)
    offset = flat[1:].reshape(x.shape)  # 4 bytes past an aligned start
    assert offset.ctypes.data % 8 == 4
    K.softmax_rows(x, offset)
    inplace = x.copy()
    K.softmax_rows(inplace, inplace)
    for got in (fresh, offset, inplace):
        assert max_ulp_diff(got[:2], ref, np.float32) <= 0.56
        assert got[1, 0] == got[1, n // 2] == got[1, n - 1] == 0.0
        assert np.isnan(got[2]).all()
    assert flat[0] == 7.0  # nothing written before out
