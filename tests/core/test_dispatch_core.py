"""The compiled SIMD core as the dispatch sees it: loading, level choice, show_config, and the
fallback to the NumPy reference path when the extension is absent.

Most checks run in a fresh interpreter (``SOFTMAXLAB_SIMD`` is read, and the extension
loaded, once per process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

import softmaxlab as sl
from softmaxlab import _simd


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != _simd.ENV_SIMD}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-W", "default", "-c", code],
        capture_output=True,
        text=True,
        env=full_env,
        check=True,
        timeout=120,
    )


def _supported() -> list[str]:
    assert _simd.core is not None, _simd.load_error
    return list(_simd.core.supported_levels())


def test_the_core_is_loaded_in_the_test_environment() -> None:
    # The [test] install builds the extension; a silent fallback here would hide every level.
    assert _simd.core is not None, _simd.load_error
    assert "baseline" in _simd.core.compiled_levels()


def test_import_loads_no_numba_and_the_first_call_runs_the_core() -> None:
    """A fresh process: import is NumPy-only, and the first softmax call is the C core's
    (recorded by wrapping it), with no JIT compiler imported."""
    code = """
import sys, json
import softmaxlab as sl
from softmaxlab import _simd
assert 'numba' not in sys.modules
calls = []
real = _simd.core
class Spy:
    def __getattr__(self, name):
        fn = getattr(real, name)
        def wrapped(*a):
            calls.append(name)
            return fn(*a)
        return wrapped
_simd.core = Spy()
import numpy as np
y = sl.softmax(np.array([[3.0, 1.0, -3.0]], dtype=np.float32))
z = sl.log_softmax(np.array([1.0, 2.0]))
w = sl.logsumexp(np.array([0.0, 0.0]))
print(json.dumps({"calls": calls, "numba": 'numba' in sys.modules,
                  "y": [round(float(v), 4) for v in y[0]], "w": float(w)}))
"""
    out = json.loads(_run(code).stdout)
    assert out["calls"] == ["softmax_call", "softmax_call", "logsumexp"]
    assert out["numba"] is False
    assert out["y"] == [0.8789, 0.1189, 0.0022]
    assert out["w"] == pytest.approx(np.log(2.0), rel=1e-15)


@pytest.mark.parametrize("level", list(_simd.LEVELS))
def test_environment_variable_forces_a_level(level: str) -> None:
    if level not in _supported():
        pytest.skip(f"this CPU does not support the '{level}' SIMD level")
    code = "import json, softmaxlab as sl; print(json.dumps(sl.show_config(quiet=True)))"
    res = _run(code, SOFTMAXLAB_SIMD=level)
    info = json.loads(res.stdout)
    assert info["simd_level"] == level
    assert info["simd_reason"] == f"forced by SOFTMAXLAB_SIMD={level}"
    assert "Warning" not in res.stderr


def test_environment_variable_unknown_or_unsupported_level_warns() -> None:
    code = "import json, softmaxlab as sl; print(json.dumps(sl.show_config(quiet=True)))"
    best = _supported()[-1]
    res = _run(code, SOFTMAXLAB_SIMD="sse9")
    assert json.loads(res.stdout)["simd_level"] == best
    assert "RuntimeWarning" in res.stderr
    assert "SOFTMAXLAB_SIMD must be one of the SIMD levels" in res.stderr
    assert "Got 'sse9' instead" in res.stderr
    missing = [lv for lv in _simd.LEVELS if lv not in _supported()]
    if missing:  # a level this CPU lacks: refused with a warning, the best level runs
        res = _run(code, SOFTMAXLAB_SIMD=missing[-1])
        assert json.loads(res.stdout)["simd_level"] == best
        assert "does not support" in res.stderr


def test_without_environment_variable_the_best_level_runs() -> None:
    code = "import json, softmaxlab as sl; print(json.dumps(sl.show_config(quiet=True)))"
    info = json.loads(_run(code).stdout)
    assert info["simd_level"] == _supported()[-1]
    assert info["simd_reason"].startswith("the best level this CPU supports")


def test_show_config_prints_and_returns(capsys: pytest.CaptureFixture[str]) -> None:
    info = sl.show_config()
    printed = capsys.readouterr().out
    assert info["compiled_core"] is True
    assert info["simd_level"] in _simd.LEVELS
    assert set(info["supported_levels"]) <= set(info["compiled_levels"])
    assert info["threads"] == sl.kernels.get_num_threads()
    assert f"SIMD level:       {info['simd_level']}" in printed
    assert "compiled core:    loaded" in printed
    assert "threads:" in printed
    assert info["parallel_min_bytes"] == sl.kernels.PARALLEL_MIN_BYTES
    assert f"inputs of {sl.kernels.PARALLEL_MIN_BYTES:,} bytes or more" in printed


def test_set_level_refuses_unknown_levels() -> None:
    with pytest.raises(ValueError, match="unknown SIMD level 'avx9000'"):
        _simd._set_level("avx9000")


def test_fallback_when_the_extension_cannot_be_loaded() -> None:
    """Simulate a missing extension: everything works on the NumPy path, show_config says
    so, and asking for the compiled core explicitly is a clear error."""
    code = """
import sys, json
sys.modules['softmaxlab._simd._core'] = None  # any import of it now raises ImportError
import numpy as np
import softmaxlab as sl
info = sl.show_config(quiet=True)
x = np.array([[3.0, 1.0, -3.0]], dtype=np.float32)
y = sl.softmax(x)
same = bool((y == sl.softmax(x, backend="numpy")).all())
big = np.random.default_rng(0).normal(size=(300, 100))
lse_same = bool((sl.logsumexp(big, axis=1) == sl.logsumexp(big, axis=1, backend="numpy")).all())
t = np.arange(300) % 100
ce = sl.cross_entropy_and_grad(big, t)
ref = sl.cross_entropy_and_grad(big, t, backend="numpy")
lse_same = lse_same and bool(ce[0] == ref[0]) and bool((ce[1] == ref[1]).all())
try:
    sl.softmax(x, backend="compiled")
    err = None
except ValueError as exc:
    err = str(exc)
sl.show_config()
y = [round(float(v), 4) for v in y[0]]
nb = 'numba' in sys.modules
print(json.dumps({"info": info, "y": y, "same": same, "lse": lse_same, "err": err, "numba": nb}))
"""
    res = _run(code)
    lines = res.stdout.splitlines()
    out: dict[str, Any] = json.loads(lines[-1])
    assert out["info"]["compiled_core"] is False
    assert "softmaxlab._simd._core" in out["info"]["load_error"]
    assert out["info"]["simd_level"] is None
    assert out["y"] == [0.8789, 0.1189, 0.0022]
    assert out["same"] and out["lse"]
    assert "compiled core is not loaded" in out["err"]
    assert out["numba"] is False  # everything stayed on the NumPy path
    assert any(line.startswith("compiled core:    not loaded") for line in lines)
