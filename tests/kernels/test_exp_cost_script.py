"""benchmarks/exp_cost.py runs and prints every pass (timings are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "exp_cost.py"
NAMES = ("max pass", "exp only", "f32 exp", "sum pass", "scale pass", "kernel", "torch")


def test_exp_cost_script_runs() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--rows", "64", "--repeat", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [ln.strip() for ln in proc.stdout.splitlines() if ln.startswith("  ")]
    for name in NAMES:
        (line,) = [r for r in rows if r.startswith(name)]
        median, minimum = map(float, line[len(name) :].split())
        assert 0 < minimum <= median, line
