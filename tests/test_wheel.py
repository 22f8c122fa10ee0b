"""``python -m build`` makes a wheel that installs and works in a clean virtual environment."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_builds_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    wheels = list(dist.glob("softmaxlab-*.whl"))
    assert len(wheels) == 1, wheels

    env_dir = tmp_path / "venv"
    # System site-packages give the clean environment numpy/typer/rich without a download;
    # softmaxlab itself must come from the wheel, not from the source tree.
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", str(wheels[0])],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]

    check = subprocess.run(
        [
            str(py),
            "-c",
            "import softmaxlab, sys; print(softmaxlab.__file__); "
            "print(softmaxlab.softmax([3.0, 1.0, -3.0]).round(4).tolist()); "
            "info = softmaxlab.show_config(quiet=True); "
            "print(info['compiled_core'], info['simd_level'], info['load_error'])",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert check.returncode == 0, check.stderr
    lines = check.stdout.splitlines()
    assert str(env_dir) in lines[0]
    assert lines[1] == "[0.8789, 0.1189, 0.0022]"
    # The wheel carries the compiled core, and it loads outside the source tree.
    assert lines[2].startswith("True "), lines[2]

    cli = subprocess.run(
        [str(env_dir / "bin" / "softmaxlab"), "compute", "3", "1", "-3", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert cli.returncode == 0, cli.stderr
    assert "0.8789" in cli.stdout or "0.878" in cli.stdout


@pytest.mark.slow
def test_sdist_ships_the_c_sources(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    (sdist,) = tmp_path.glob("softmaxlab-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    simd = "src/softmaxlab/_simd/"
    sources = ("_core.c", "kern_baseline.c", "kern_avx2.c", "kern_avx512.c", "kernels.inc")
    for f in (*sources, "short_rows.inc", "_core.pyi"):
        assert simd + f in names
    assert simd + "slx_kernels.h" in names
    assert {"setup.py", "pyproject.toml", "README.md"} <= names
    assert any(n.startswith("tests/kernels/") for n in names)
