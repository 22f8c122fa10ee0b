"""``import softmaxlab`` stays light: NumPy only (its speed is measured by
``benchmarks/bench_startup.py``, not asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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


def test_reports_and_bench_harness_stay_light() -> None:
    # The shared report builders and the benchmark harness need NumPy only (the CLI, the
    # explorer and the comparison libraries are imported by their callers, or when run).
    code = (
        "import sys, json; import softmaxlab.reports, softmaxlab.bench; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = set(json.loads(_run(code)))
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_benchmark_harness_left_the_package_root() -> None:
    import importlib.util

    assert importlib.util.find_spec("softmaxlab._benchmark") is None
    from softmaxlab import bench

    assert callable(bench.run) and bench.parse_shapes("2x3") == [(2, 3)]


def test_cli_command_modules_do_not_import_the_cli_package() -> None:
    # No import circle cli/__init__ <-> commands: commands take the app from cli._util, and
    # only cli/__init__ imports the command modules.
    import ast
    from pathlib import Path

    cli_dir = Path(softmaxlab.__file__).parent / "cli"
    submodules = {p.stem for p in cli_dir.glob("*.py")}
    offenders = []
    for path in sorted(cli_dir.glob("*.py")):
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module is None:
                names = {alias.name for alias in node.names}
                if names - submodules:  # a name of cli/__init__, not a sibling module
                    offenders.append(f"{path.name}: from . import {', '.join(sorted(names))}")
            if isinstance(node, ast.ImportFrom) and node.module == "softmaxlab.cli":
                offenders.append(f"{path.name}: from softmaxlab.cli import ...")
    assert offenders == []


def test_softmaxlab_error_is_one_type_with_fields() -> None:
    from softmaxlab._validation import SoftmaxLabTypeError

    with pytest.raises(softmaxlab.SoftmaxLabError) as info:
        softmaxlab.softmax([1.0, 2.0], temperature=-1.0)
    err = info.value
    assert (err.parameter, err.value, err.function) == ("temperature", "-1.0", "softmax")
    assert str(err) == (
        f"The 'temperature' parameter of softmax must be {err.allowed}. Got -1.0 instead."
    )
    with pytest.raises(TypeError) as type_info:
        softmaxlab.softmax(["a", "b"])
    assert isinstance(type_info.value, SoftmaxLabTypeError)
    assert isinstance(type_info.value, softmaxlab.SoftmaxLabError)
    assert type_info.value.parameter == "x" and type_info.value.value == "an array of dtype <U1"
