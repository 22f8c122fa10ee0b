"""The bad-input matrix of issue 11, counted per area from the test suite itself.

Not a benchmark: it collects (``pytest --collect-only``) the hardening tests of each area and
prints how many hostile or edge inputs each area tries, and, where a test module keeps its
cases in a table whose expectations say "clear error" or "documented value", how they split.
Every case counted is a test that fails on any other outcome (a traceback, a raw NumPy
message, a wrong value), so "other" is the number of failing tests of the last run.

Run: ``python benchmarks/hardening_matrix.py``
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AREAS = {
    "library (core, loss, attention, sampling)": [
        "tests/core/test_hardening_bad_inputs.py",
        "tests/core/test_hardening_cross_entropy.py",
        "tests/core/test_zero_d_and_flags.py",
        "tests/sampling/test_process.py",
        "tests/sampling/test_attention.py",
    ],
    "estimator and calibration": ["tests/models/test_hardening_estimator.py"],
    "model files": ["tests/models/test_hardening_files.py"],
    "Dask": ["tests/models/test_hardening_dask.py"],
    "CLI": ["tests/cli/test_errors.py", "tests/cli/test_train_predict.py"],
    "explorer": ["tests/explorer/test_browser_entries.py", "tests/explorer/test_callbacks.py"],
}


def collected(paths: list[str]) -> int:
    existing = [p for p in paths if (ROOT / p).exists()]
    if not existing:
        return 0
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            *existing,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return sum(1 for line in proc.stdout.splitlines() if "::" in line)


def core_split() -> tuple[int, int]:
    sys.path.insert(0, str(ROOT))
    from tests.core import test_hardening_bad_inputs as m

    errors = sum(1 for _, _, exp in m.MATRIX if isinstance(exp, m.Err))
    return errors, len(m.MATRIX) - errors


def main() -> None:
    print("| area | test cases collected |")
    print("|---|---|")
    for area, paths in AREAS.items():
        print(f"| {area} | {collected(paths)} |")
    errors, values = core_split()
    print(
        f"\ncore MATRIX: {errors + values} cases, {errors} clear errors, {values} documented values"
    )


if __name__ == "__main__":
    main()
