"""The compiled core's own thread pool (``pool.inc``): splits, results, fork and concurrency.

Every threaded entry of the core takes a ``threads`` count and splits its rows (or one row's
entries) into that many contiguous parts, as :func:`softmaxlab.kernels._threads._bounds`
does. A part's result does not depend on the thread that runs it, so any thread count gives
the bits of one thread: outputs start as a sentinel, so a part that no thread ran shows up.
The accuracy of the kernels themselves is tested against mpmath in test_kernels.py.
"""

from __future__ import annotations

import multiprocessing
import threading

import numpy as np
import pytest

from softmaxlab import _simd
from softmaxlab.kernels import _threads

pytestmark = pytest.mark.skipif(_simd.core is None, reason="the compiled core is not built")

THREADS = [2, 3, 5, 8]
SENTINEL = 7.25


def _core():
    assert _simd.core is not None
    return _simd.core


def _rows(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) * 8).astype(dtype)
    x[1, 3] = np.inf  # special rows travel with their part
    x[2, :] = -np.inf
    return x


def _filled(shape, dtype):
    return np.full(shape, SENTINEL, dtype=dtype)


# (rows, classes): long rows, fewer rows than some thread counts, short rows (blocks of 16 or
# 8 across rows, with a part boundary inside a block), and a prime row count.
SHAPES = [(37, 300), (4, 5000), (301, 10), (1000, 20)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("mode", [0, 1, 2], ids=["softmax", "log_softmax", "fast"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_softmax_bits_do_not_depend_on_threads(shape, mode, dtype, simd_level):
    core = _core()
    x = _rows(shape, dtype)
    one = _filled(shape, dtype)
    core.softmax(x, one, 0, shape[0], 1.5, mode, 1)
    assert not np.any(one == SENTINEL)
    for nt in THREADS:
        got = _filled(shape, dtype)
        core.softmax(x, got, 0, shape[0], 1.5, mode, nt)
        np.testing.assert_array_equal(got, one)
        part = _filled(shape, dtype)  # a row range: rows outside it stay untouched
        core.softmax(x, part, 2, shape[0] - 1, 1.5, mode, nt)
        np.testing.assert_array_equal(part[2:-1], one[2:-1])
        assert np.all(part[:2] == SENTINEL) and np.all(part[-1] == SENTINEL)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_logsumexp_and_vjp_bits_do_not_depend_on_threads(shape, dtype, simd_level):
    core = _core()
    x = _rows(shape, dtype)
    rows = shape[0]
    p = np.empty_like(x)
    core.softmax(np.nan_to_num(x, posinf=50.0, neginf=-50.0), p, 0, rows, 1.0, 0, 1)
    v = _rows(shape, dtype, seed=1)
    ref_l, ref_f = _filled(rows, dtype), np.full(rows, 9, np.uint8)
    core.logsumexp(x, ref_l, ref_f, 0, rows, 1)
    ref_v = _filled(shape, dtype)
    core.vjp(p, v, ref_v, 0, rows, 1)
    assert not np.any(ref_l == SENTINEL) and not np.any(ref_v == SENTINEL)
    for nt in THREADS:
        lse, flags = _filled(rows, dtype), np.full(rows, 9, np.uint8)
        core.logsumexp(x, lse, flags, 0, rows, nt)
        np.testing.assert_array_equal(lse, ref_l)
        np.testing.assert_array_equal(flags, ref_f)
        got = _filled(shape, dtype)
        core.vjp(p, v, got, 0, rows, nt)
        np.testing.assert_array_equal(got, ref_v)


CE_OPTS = [
    {"weight": False, "eps": 0.0, "grad": False},
    {"weight": True, "eps": 0.1, "grad": True},
    {"weight": False, "eps": 0.0, "grad": True},
]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("opts", CE_OPTS, ids=["loss", "weighted-smoothed-grad", "grad"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_cross_entropy_bits_do_not_depend_on_threads(shape, opts, dtype, simd_level):
    core = _core()
    rows, n = shape
    x = _rows(shape, dtype)
    rng = np.random.default_rng(2)
    y = rng.integers(0, n, rows)
    y[::7] = -100  # ignored rows
    w = rng.uniform(0.5, 2.0, n) if opts["weight"] else None
    sum_w = float(n) if w is None else float(w.sum())
    args = (-100, opts["eps"], 0.01, sum_w)

    def run(nt):
        g = _filled(shape, dtype) if opts["grad"] else None
        parts = np.full((3, rows), SENTINEL)
        totals = core.cross_entropy(x, y, w, g, parts, 0, rows, *args, nt)
        return parts, totals, g

    parts1, totals1, g1 = run(1)
    assert not np.any(parts1 == SENTINEL)
    for nt in THREADS:
        parts, totals, g = run(nt)
        np.testing.assert_array_equal(parts, parts1)
        assert totals == totals1 or np.allclose(totals, totals1, equal_nan=True, rtol=0)
        if g is not None:
            np.testing.assert_array_equal(g, g1)


@pytest.mark.parametrize("n", [1, 7, 1000, 100003])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_one_row_pieces_split_as_the_python_bounds(n, dtype, simd_level):
    """row_max, row_sum, ce_wsum, row_write and ce_grad_chunk over ``nt`` parts give what
    the one-thread calls give on the slices of ``_bounds(n, nt)``."""
    core = _core()
    rng = np.random.default_rng(n)
    x = (rng.standard_normal(n) * 5).astype(dtype)
    w = rng.uniform(0.5, 2.0, n)
    m = float(x.max())
    t = 1.0
    for nt in [1, *THREADS]:
        bounds = _threads._bounds(n, nt)
        assert core.row_max(x, nt) == (m, False)
        want = [core.row_sum(x[lo:hi], m, t, None, 1)[0] for lo, hi in bounds]
        assert core.row_sum(x, m, t, None, nt) == want
        assert core.ce_wsum(x, w, m, nt) == [
            core.ce_wsum(x[lo:hi], w[lo:hi], m, 1)[0] for lo, hi in bounds
        ]
        if dtype == np.float32:  # (max, count, sum) of each part, each part read once
            got = core.row_maxsum(x, 0.5, nt)
            assert got == [core.row_maxsum(x[lo:hi], 0.5, 1)[0] for lo, hi in bounds]
            assert max(p[0] for p in got) == m
        if dtype == np.float64:  # the stored exps, part by part
            store = _filled(n, dtype)
            core.row_sum(x, m, t, store, nt)
            ref = _filled(n, dtype)
            for lo, hi in bounds:
                core.row_sum(x[lo:hi], m, t, ref[lo:hi], 1)
            np.testing.assert_array_equal(store, ref)
        for log in (False, True):
            a = 0.5 if dtype == np.float32 or log else 1.0
            got, ref = _filled(n, dtype), _filled(n, dtype)
            if dtype == np.float64 and not log:  # scales the exps already in out
                got[:] = x
                ref[:] = x
            core.row_write(x, got, m, t, a, 0.0, log, nt)
            for lo, hi in bounds:
                core.row_write(x[lo:hi], ref[lo:hi], m, t, a, 0.0, log, 1)
            np.testing.assert_array_equal(got, ref)
        g, ref = _filled(n, dtype), _filled(n, dtype)
        if dtype == np.float64:
            g[:] = np.exp(x - m)
            ref[:] = g
        core.ce_grad_chunk(x, w, g, m, 0.25, 0.01, nt)
        for lo, hi in bounds:
            core.ce_grad_chunk(x[lo:hi], w[lo:hi], ref[lo:hi], m, 0.25, 0.01, 1)
        np.testing.assert_array_equal(g, ref)


def test_row_max_merges_special_values():
    core = _core()
    x = np.arange(100.0)
    x[73] = np.nan
    assert core.row_max(x, 3)[1] is True  # NaN in the last part
    assert core.row_max(np.empty(0), 2) == (-np.inf, False)
    x = np.full(50, -np.inf)
    x[49] = np.inf
    assert core.row_max(x, 4) == (np.inf, False)


def test_row_maxsum_parts_special_values():
    core = _core()
    x = np.arange(100.0, dtype=np.float32)
    x[73] = np.nan
    parts = core.row_maxsum(x, 1.0, 3)
    assert [np.isnan(p[0]) for p in parts] == [False, False, True]
    x = np.full(50, -np.inf, dtype=np.float32)
    x[49] = 2.0
    (m0, c0, r0), (m1, c1, r1) = core.row_maxsum(x, 1.0, 2)
    assert (m0, c0, r0) == (-np.inf, 0.0, 0.0) and (m1, c1) == (2.0, 1.0)
    # The AVX-512 float32 sum gives each -inf entry an exp of ~1e-304 instead of 0 (its table
    # exp's lowest argument), below any float32 result; the other levels give 0.
    assert 0.0 <= r1 < 1e-300
    with pytest.raises(TypeError, match="float32"):
        core.row_maxsum(np.zeros(4), 1.0, 1)


@pytest.mark.parametrize("bad", [0, -1])
def test_threads_argument_is_checked(bad):
    core = _core()
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match="threads must be >= 1"):
        core.softmax(x, np.empty_like(x), 0, 2, 1.0, 0, bad)
    with pytest.raises(ValueError, match="threads must be >= 1"):
        core.row_max(x[0], bad)


def test_workers_start_on_first_use_and_stay():
    core = _core()
    x = np.ones((8, 10))
    core.softmax(x, np.empty_like(x), 0, 8, 1.0, 0, 4)
    assert core._pool_threads() >= 4  # three workers and the caller
    before = core._pool_threads()
    core.softmax(x, np.empty_like(x), 0, 8, 1.0, 0, 2)
    assert core._pool_threads() == before


def _fork_child(queue):
    core = _core()
    x = np.linspace(-5.0, 5.0, 40000).reshape(40, 1000)
    out = np.empty_like(x)
    core.softmax(x, out, 0, 40, 1.0, 0, 2)
    queue.put((core._pool_threads(), out.sum(axis=1).round(12).tolist()))


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_threaded_calls_work_in_a_forked_child():
    """The parent's workers do not exist in a child: the child starts its own."""
    core = _core()
    x = np.ones((8, 10))
    core.softmax(x, np.empty_like(x), 0, 8, 1.0, 0, 2)  # the parent has a worker
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_fork_child, args=(queue,))
    child.start()
    child.join(60)
    assert child.exitcode == 0, "the forked child hung or failed"
    threads, sums = queue.get(timeout=5)
    assert threads == 2  # one worker started in the child
    assert sums == [1.0] * 40


def test_concurrent_callers_get_their_own_results():
    """Python threads calling threaded kernels at once: one uses the pool, the others run
    their parts on their own thread; every result is the one-thread result."""
    core = _core()
    rng = np.random.default_rng(5)
    xs = [rng.standard_normal((64, 2000)) for _ in range(4)]
    refs = []
    for x in xs:
        r = np.empty_like(x)
        core.softmax(x, r, 0, 64, 1.0, 1, 1)
        refs.append(r)
    errors: list[str] = []

    def caller(k: int) -> None:
        for _ in range(30):
            out = np.full_like(xs[k], SENTINEL)
            core.softmax(xs[k], out, 0, 64, 1.0, 1, 2)
            if not np.array_equal(out, refs[k]):
                errors.append(f"caller {k}")
                return

    ts = [threading.Thread(target=caller, args=(k,)) for k in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    assert not any(t.is_alive() for t in ts), "a caller hung"
    assert errors == []
