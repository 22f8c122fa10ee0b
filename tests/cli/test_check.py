"""``softmaxlab check``: exit statuses 0/1/2, the report, --json, --lang, a hanging function.

In-process runs go through :func:`softmaxlab.cli.main`; the hanging function and the real
command line run in a subprocess (a call that never returns cannot be stopped in-process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from softmaxlab.checker import CASES
from softmaxlab.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "check"
STABILITY = {case.name for case in CASES if case.stability}
_ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}


@pytest.fixture(autouse=True)
def _plain_output(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def example(name: str, function: str | None = "softmax") -> str:
    path = str(EXAMPLES / f"{name}.py")
    return f"{path}:{function}" if function else path


def test_correct_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, example("correct"))
    assert (code, err) == (0, "")
    assert f"{len(CASES)} passed, 0 failed, 0 not applicable ({len(CASES)} cases)" in out
    assert "Every applicable case passed." in out


def test_function_name_defaults_to_softmax(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, example("correct", None))[0] == 0


def test_naive_file_exits_1_with_the_overflow_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, example("naive"))
    assert (code, err) == (1, "")
    assert "exp(1000) overflows to inf in float64" in out
    assert "Subtract the maximum first" in out
    assert "11 passed, 4 failed, 2 not applicable" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, example("naive"), "--json")
    assert (code, err) == (1, "")
    doc = json.loads(out)
    assert doc["passed"] is False and doc["lang"] == "en"
    assert {c["name"] for c in doc["cases"] if c["status"] == "failed"} == STABILITY
    by_name = {c["name"]: c for c in doc["cases"]}
    assert by_name["large_gap"]["code"] == "overflow"
    assert by_name["temperature"]["status"] == "not applicable"
    assert set(by_name["ties"]) >= {"name", "passed", "reason", "hint", "tolerance"}


@pytest.mark.parametrize(
    ("lang", "word"), [("zh-Hans", "先减去最大值"), ("zh-Hant", "先減去最大值")]
)
def test_languages(capsys: pytest.CaptureFixture[str], lang: str, word: str) -> None:
    code, out, _ = run(capsys, example("naive"), "--lang", lang)
    assert code == 1 and word in out
    code, out, _ = run(capsys, example("naive"), "--lang", lang, "--json")
    doc = json.loads(out)
    assert doc["lang"] == lang and word in {c["name"]: c for c in doc["cases"]}["large_gap"]["hint"]


def test_wrong_axis_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, example("wrong_axis"), "--json")
    assert code == 1
    doc = json.loads(out)
    assert [(c["name"], c["code"]) for c in doc["cases"] if c["status"] == "failed"] == [
        ("batch_rows", "wrong_axis")
    ]


# --- usage errors: exit 2 and one line -------------------------------------------------------


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("softmaxlab: error: The 'TARGET' argument of softmaxlab check must")
    return lines[0]


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, f"{tmp_path / 'nope.py'}:softmax")
    assert code == 2 and out == ""
    assert "(no file " in _one_error_line(err)


def test_missing_function(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, example("correct", "softmax2"))
    assert code == 2
    line = _one_error_line(err)
    assert "Got 'softmax2' instead" in line and "softmax" in line


def test_not_callable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "mine.py").write_text("softmax = 3\n")
    code, _, err = run(capsys, f"{tmp_path / 'mine.py'}:softmax")
    assert code == 2
    assert "must be a callable. Got 'softmax' instead (a int" in _one_error_line(err)


@pytest.mark.parametrize(
    ("source", "what"),
    [("def softmax(x)\n", "SyntaxError"), ("raise SystemExit(4)\n", "SystemExit")],
)
def test_file_that_does_not_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source: str, what: str
) -> None:
    (tmp_path / "broken.py").write_text(source)
    code, _, err = run(capsys, f"{tmp_path / 'broken.py'}:softmax")
    assert code == 2
    assert what in _one_error_line(err)


def test_bad_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, example("correct"), "--timeout", "0")
    assert code == 2
    assert "The '--timeout' option of softmaxlab check must be a number in the range" in err


def test_the_file_may_import_its_neighbours(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "helpers.py").write_text("import numpy as np\nshift = lambda x: x - np.max(x)\n")
    (tmp_path / "mine.py").write_text(
        "import numpy as np\nfrom helpers import shift\n"
        "def softmax(x):\n    e = np.exp(shift(np.asarray(x)))\n    return e / e.sum()\n"
    )
    code, out, _ = run(capsys, f"{tmp_path / 'mine.py'}:softmax", "--json")
    assert code == 1  # imports fine; the batch case fails (whole array)
    failures = [c["code"] for c in json.loads(out)["cases"] if c["status"] == "failed"]
    assert failures == ["whole_array"]


# --- the real command line -------------------------------------------------------------------


def test_help_says_the_file_is_run() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "softmaxlab", "check", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_ENV,
        check=False,
    )
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "Importing the file runs its code" in text


_FAST = ("--timeout", "0.5", "--json")


def test_hanging_function_fails_within_the_time_limit(tmp_path: Path) -> None:
    (tmp_path / "loops.py").write_text(
        "import numpy as np\n"
        "def softmax(x):\n"
        "    x = np.asarray(x)\n"
        "    while x.max() > 500:\n"
        "        pass\n"
        "    e = np.exp(x - x.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n"
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "softmaxlab", "check", f"{tmp_path / 'loops.py'}:softmax", *_FAST],
        capture_output=True,
        text=True,
        timeout=120,
        env=_ENV,
        check=False,
    )
    assert time.perf_counter() - start < 60
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    cases = {c["name"]: c for c in json.loads(proc.stdout)["cases"]}
    assert cases["course_example"]["passed"]
    assert cases["large_equal"]["code"] == "timeout"
    assert cases["large_gap"]["status"] == "not run"


def test_an_ascii_terminal_gets_ascii(tmp_path: Path) -> None:
    env = {**_ENV, "PYTHONIOENCODING": "ascii"}
    for extra in ((), ("--json",), ("--lang", "zh-Hant")):
        proc = subprocess.run(
            [sys.executable, "-m", "softmaxlab", "check", example("naive"), *extra],
            capture_output=True,
            timeout=120,
            env=env,
            check=False,
        )
        assert proc.returncode == 1 and proc.stderr == b"", proc.stderr
        proc.stdout.decode("ascii")  # raises if anything else slipped through
    assert (
        b"Subtract the maximum first: exp(x -"
        in subprocess.run(
            [sys.executable, "-m", "softmaxlab", "check", example("naive")],
            capture_output=True,
            timeout=120,
            env=env,
            check=False,
        ).stdout
    )
