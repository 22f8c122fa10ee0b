"""``softmaxlab bench``: a tiny run prints the table and valid JSON; bad options fail in one
line. Timings are never asserted, only that they are measured (positive, finite)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.special

import softmaxlab
from softmaxlab import bench as harness
from softmaxlab.cli import main
from tests._support.mpref import max_ulp_diff

TINY = ["bench", "--quick", "--shapes", "1x10,256x10", "--repeat", "3", "--threads", "1"]
COLUMNS = ["op", "dtype", "thr", "shape", "impl", "backend", "median", "Gelem/s", "GB/s"]
COLUMNS += ["torch/x", "of copy"]
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_softmax.py"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _table_rows(out: str) -> list[list[str]]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["op", "dtype"])
    return [line.split() for line in lines[start + 2 :] if line and not line.startswith("#")]


def test_tiny_run_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *TINY, "--ops", "softmax,cross_entropy_grad")
    assert code == 0, err
    assert out.startswith("# machine: ")
    assert "# load average (1, 5, 15 min) before: " in out
    assert "# load average (1, 5, 15 min) after: " in out
    header = next(line for line in out.splitlines() if line.startswith("op "))
    positions = [header.index(c) for c in COLUMNS]
    assert positions == sorted(positions)
    rows = _table_rows(out)
    seen = {(r[0], r[3], r[4]) for r in rows}
    core = softmaxlab.kernels.core_loaded()
    for op in ("softmax", "cross_entropy_grad"):
        for shape in ("1x10", "256x10"):
            for impl in ("softmaxlab", "numpy", "torch", "copy"):
                assert (op, shape, impl) in seen
    assert ("softmax", "1x10", "scipy") in seen and (
        "cross_entropy_grad",
        "1x10",
        "scipy",
    ) not in seen
    measured = 0
    for r in rows:
        assert r[1] == "float32" and r[2] == "1"
        if r[6:8] == ["not", "installed"]:
            continue
        measured += 1
        # median (with its unit), Gelem/s, GB/s, torch/x, of copy: positive finite numbers.
        assert r[6].endswith(("us", "ms"))
        values = [float(r[6][:-2]), *map(float, r[7:11])]
        assert all(math.isfinite(v) and v > 0 for v in values), r
        if r[4] == "torch":
            assert float(r[9]) == 1.0
        if r[4] == "copy":
            assert float(r[10]) == 1.0
        # With backend="auto", every input goes to the compiled core when it is loaded.
        small_path = "compiled" if core else "numpy"
        assert r[5] == {"softmaxlab": small_path, "sl-numba": "numba"}.get(r[4], "-"), r
    assert measured >= 2 * 2 * 4
    # The extra backend="numba" row is shown only where 'auto' keeps softmax on NumPy.
    assert (("softmax", "1x10", "sl-numba") in seen) == (not core)
    assert ("cross_entropy_grad", "1x10", "sl-numba") not in seen


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    import jax

    x64 = jax.config.read("jax_enable_x64")
    code, out, err = run(
        capsys, *TINY, "--ops", "log_softmax,cross_entropy", "--dtypes", "float64", "--json"
    )
    assert code == 0, err
    # float64 needs JAX's 64-bit mode, a global flag: it is set back afterwards.
    assert jax.config.read("jax_enable_x64") == x64
    data = json.loads(out)
    assert set(data) == {"machine", "load_before", "load_after", "results"}
    assert len(data["load_before"]) == 3 and data["machine"]["cpus"] >= 1
    results = data["results"]
    ops = {r["op"] for r in results}
    assert ops == {"log_softmax", "cross_entropy"}
    for r in results:
        assert r["dtype"] == "float64" and r["threads"] == 1
        assert r["shape"] in ([1, 10], [256, 10])
        if r["note"]:
            assert r["note"] == "not installed" and r["seconds"] is None
            continue
        for key in ("seconds", "gelem_per_s", "gb_per_s", "vs_torch", "vs_copy"):
            assert math.isfinite(r[key]) and r[key] > 0, (key, r)
    impls = {(r["op"], r["impl"]) for r in results}
    assert ("log_softmax", "softmaxlab") in impls and ("cross_entropy", "torch") in impls


def test_backend_numba_and_two_threads(capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    from softmaxlab import kernels

    before = kernels.get_num_threads(), torch.get_num_threads()
    code, out, err = run(
        capsys,
        "bench",
        "--shapes",
        "300x20",
        "--repeat",
        "3",
        "--threads",
        "2",
        "--dtypes",
        "float32",
        "--ops",
        "cross_entropy_grad",
        "--backend",
        "numba",
        "--json",
    )
    assert code == 0, err
    assert (kernels.get_num_threads(), torch.get_num_threads()) == before  # restored
    results = json.loads(out)["results"]
    mine = {r["impl"]: r for r in results}
    # The public fused loss-and-gradient ran on the numba path.
    assert mine["softmaxlab"]["backend"] == "numba"
    assert "sl-numba" not in mine
    assert all(r["threads"] == 2 for r in results)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--threads", "0"], "The '--threads' option of softmaxlab bench must be a comma-sep"),
        (["--threads", "1,x"], "list of ints >= 1, e.g. 1,2. Got 'x' instead."),
        (["--dtypes", "float8"], "'--dtypes' option of softmaxlab bench must be a comma-separat"),
        (["--dtypes", "float8"], "list of float32, float64. Got 'float8' instead."),
        (["--ops", "softmax,gelu"], "Got 'gelu' instead"),
        (["--shapes", "10"], "The '--shapes' option of softmaxlab bench must be comma-separ"),
        (["--shapes", "0x10"], "Got '0x10' instead"),
        (["--repeat", "0"], "The '--repeat' option of softmaxlab bench must be an int >= 1."),
        (["--backend", "cuda"], "'--backend' option of softmaxlab bench must be one of 'auto'"),
        (["--repeat", "many"], "--repeat"),
        (["--no-such-option"], "no-such-option"),
    ],
)
def test_bad_options_fail_in_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "bench", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("softmaxlab: error: ")
    assert message in err


def test_missing_libraries_are_reported_not_errors() -> None:
    from softmaxlab import kernels

    libs: dict[str, Any] = {"scipy": None, "torch": None, "jax": None}
    lines: list[str] = []
    report = harness.run(
        [(4, 10)],
        ["float32"],
        [1],
        ["softmax", "cross_entropy"],
        repeat=3,
        emit=lines.append,
        libs=libs,
    )
    by_impl = {(r.op, r.impl): r for r in report.results}
    for name in ("scipy", "torch", "jax"):
        r = by_impl[("softmax", name)]
        assert r.seconds is None and r.note == "not installed"
    # scipy has no cross-entropy: no row for it there.
    assert ("cross_entropy", "scipy") not in by_impl
    assert by_impl[("cross_entropy", "torch")].note == "not installed"
    mine = by_impl[("softmax", "softmaxlab")]
    assert mine.seconds is not None and mine.seconds > 0 and mine.vs_torch is None
    assert any("torch" in line and "not installed" in line for line in lines)
    path = "compiled" if kernels.available() else "numpy"
    assert any(line.split()[4:6] == ["softmaxlab", path] and "n/a" in line for line in lines)


def test_the_command_does_not_import_heavy_libraries_at_startup() -> None:
    code = (
        "import sys; import softmaxlab.cli.bench; "
        "print(sorted(m for m in ('torch', 'scipy', 'numba', 'jax') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_benchmark_script_is_a_thin_wrapper() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--quick" in out.stdout and "--threads" in out.stdout


def test_fast_and_out_variants_are_rows_of_their_own(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, *TINY, "--ops", "softmax,cross_entropy", "--dtypes", "float32,float64",
        "--fast", "--out",
    )  # fmt: skip
    assert code == 0, err
    seen = {(r[0], r[1], r[3], r[4]): r for r in _table_rows(out)}
    core = softmaxlab.kernels.core_loaded()
    for shape in ("1x10", "256x10"):
        # precision='fast' exists for float32 only; out= for both dtypes; neither for the loss.
        assert ("softmax", "float32", shape, "sl-fast") in seen
        assert ("softmax", "float64", shape, "sl-fast") not in seen
        for dtype in ("float32", "float64"):
            row = seen[("softmax", dtype, shape, "sl-out")]
            assert row[5] == ("compiled" if core else "numpy")
            assert ("cross_entropy", dtype, shape, "sl-out") not in seen


def test_the_variants_compute_what_they_name() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((64, 300)).astype(np.float32)
    target = rng.integers(0, 300, 64)
    impls = harness.build_impls("log_softmax", x, target, {}, variants=("fast", "out"))
    exact = softmaxlab.log_softmax(x)
    np.testing.assert_array_equal(impls["sl-out"](), exact)
    ref = scipy.special.log_softmax(x.astype(np.float64), axis=-1)
    fast = impls["sl-fast"]()
    assert fast.dtype == np.float32
    # The fast mode's documented bound, 4 ulps (of float32, floored at eps).
    assert max_ulp_diff(fast, ref, floor_at_eps=True) <= 4.0
