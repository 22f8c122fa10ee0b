"""A softmax along a chunked axis of a Dask array larger than the memory it may use.

The input is a 320 MB float32 file of 2 rows of 40 million values; each row is one slice
(160 MB, 320 MB in float64) split into 40 chunks. The computation runs in a subprocess
whose private memory is capped (RLIMIT_DATA) at what it uses after its imports plus
100 MB: less than one slice, let alone the file. The control run shows the cap bites:
reading the array into memory under the same cap fails. The result is written with
``da.store`` into a file and sampled entries are checked against a float64 NumPy formula
computed here, independently of softmaxlab.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROWS, COLS, CHUNK = 2, 40_000_000, 1_000_000
HEADROOM_MB = 100
CHILD = Path(__file__).with_name("_dask_memory_child.py")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_DATA is enforced on Linux"),
]


def _run(mode: str, src: Path, dst: Path) -> subprocess.CompletedProcess[str]:
    args = [str(v) for v in (mode, src, dst, ROWS, COLS, CHUNK, HEADROOM_MB)]
    return subprocess.run(
        [sys.executable, str(CHILD), *args], capture_output=True, text=True, timeout=120
    )


def _row_reference(row: np.ndarray) -> tuple[float, float]:
    """Maximum and sum of exp(x - max) of a float32 row, in float64, 4 M values at a time."""
    m = float(row.max())
    s = 0.0
    for i in range(0, row.size, 4_000_000):
        s += float(np.exp(row[i : i + 4_000_000].astype(np.float64) - m).sum())
    return m, s


def test_softmax_of_file_larger_than_memory_cap(tmp_path: Path) -> None:
    src, dst = tmp_path / "x.f32", tmp_path / "p.f32"
    x = np.memmap(src, dtype=np.float32, mode="w+", shape=(ROWS, COLS))
    rng = np.random.default_rng(7)
    for r in range(ROWS):
        for i in range(0, COLS, 5_000_000):
            x[r, i : i + 5_000_000] = rng.normal(10.0 * r, 4.0, 5_000_000)
    x.flush()
    np.memmap(dst, dtype=np.float32, mode="w+", shape=(ROWS, COLS)).flush()

    control = _run("materialize", src, dst)
    assert control.returncode == 3, control.stdout + control.stderr

    for mode, out in [("softmax", dst), ("logsumexp", tmp_path / "lse.npy")]:
        done = _run(mode, src, out)
        assert done.returncode == 0, done.stdout + done.stderr
        print(done.stdout.strip())

    p = np.memmap(dst, dtype=np.float32, mode="r", shape=(ROWS, COLS))
    lse = np.load(tmp_path / "lse.npy")
    idx = np.random.default_rng(8).integers(0, COLS, 20_000)
    for r in range(ROWS):
        m, s = _row_reference(x[r])
        assert lse.dtype == np.float32
        assert lse[r] == pytest.approx(m + np.log(s), rel=1.2e-7)  # one float32 rounding
        want = np.exp(x[r, idx].astype(np.float64) - m) / s
        np.testing.assert_allclose(p[r, idx], want, rtol=2e-7, atol=1e-45)
        # Each row sums to one: the float32 outputs, added in float64.
        total = sum(
            float(p[r, i : i + 4_000_000].sum(dtype=np.float64)) for i in range(0, COLS, 4_000_000)
        )
        assert total == pytest.approx(1.0, abs=1e-5)
