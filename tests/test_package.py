"""``import softmaxlab`` stays light: NumPy only (its speed is measured by
``benchmarks/bench_startup.py``, not asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys

import softmaxlab

HEAVY = ["scipy", "typer", "rich", "torch", "gradio", "sklearn", "numba", "matplotlib", "dask"]


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def test_import_loads_numpy_only() -> None:
    code = (
        "import sys, json; import softmaxlab; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = set(json.loads(_run(code)))
    assert "numpy" in loaded and "softmaxlab" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_public_names() -> None:
    expected = {
        "softmax",
        "log_softmax",
        "logsumexp",
        "cross_entropy",
        "cross_entropy_and_grad",
        "cross_entropy_grad",
        "softmax_jacobian",
        "softmax_vjp",
        "sigmoid",
        "log_sigmoid",
        "sparsemax",
        "SoftmaxLabError",
    }
    assert expected <= set(softmaxlab.__all__)
    for name in expected:
        assert callable(getattr(softmaxlab, name))
    assert issubclass(softmaxlab.SoftmaxLabError, ValueError)


def test_explore_resolves_lazily_to_the_explorer() -> None:
    # `softmaxlab.explore()` is the Jupyter entry point; it must not load gradio on import.
    code = (
        "import sys, softmaxlab; assert 'gradio' not in sys.modules; "
        "f = softmaxlab.explore; import softmaxlab.explorer as e; "
        "print(f is e.explore, 'gradio' in sys.modules)"
    )
    assert _run(code).split() == ["True", "False"]
