"""The public semantics and accuracy tests of softmax, log_softmax and logsumexp (which take
the compiled core by default) rerun under every other SIMD level this CPU supports, each in a
fresh process with ``SOFTMAXLAB_SIMD`` set (the in-process suite runs the best level)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from softmaxlab import _simd

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    "tests/core/test_softmax_semantics.py",
    "tests/core/test_softmax_accuracy.py",
    "tests/core/test_softmax_properties.py",
]


@pytest.mark.slow
@pytest.mark.parametrize("level", ["baseline", "avx2"])
def test_public_softmax_tests_pass_on_level(level: str) -> None:
    assert _simd.core is not None, _simd.load_error
    if level not in _simd.core.supported_levels():
        pytest.skip(f"this CPU does not support the '{level}' SIMD level")
    env = dict(os.environ, SOFTMAXLAB_SIMD=level)
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import softmaxlab; print(softmaxlab.show_config(quiet=True)['simd_level'])",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert check.stdout.strip() == level
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *FILES],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert " passed" in res.stdout and " failed" not in res.stdout
