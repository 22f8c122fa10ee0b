"""Every command ends in one line on stderr and a non-zero exit, whatever happens (issue 11).

Three layers: a matrix that makes each registered command raise each kind of exception (the
one handler in ``softmaxlab.cli._util`` must turn all of them into one line); real
resource exhaustion in real processes (a 193-byte ``.npy`` declaring 1e11 elements,
``sample -n 10000000000000``, a huge ``bench --shapes``); and the one phrasing of option
errors. ``refuse_output_over_inputs`` (used by the commands that write files) is tested last.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from softmaxlab import SoftmaxLabError
from softmaxlab._validation import param_error
from softmaxlab.cli import _util, main
from softmaxlab.cli._io import refuse_output_over_inputs

COMMANDS = ["bench", "check", "compute", "explore", "predict", "sample", "train"]

# (exception, exit status, a piece of the line)
RAISED: list[tuple[BaseException, int, str]] = [
    (param_error("temperature", "a finite number > 0", -1.0, func="softmax"), 2, "Got -1.0"),
    (ValueError("bad value\nsecond line"), 2, "bad value second line"),
    (TypeError("bad type"), 2, "bad type"),
    (OSError(2, "No such file or directory"), 2, "No such file"),
    (MemoryError("Unable to allocate 745. GiB"), 1, "not enough memory"),
    (MemoryError(), 1, "not enough memory for this input (MemoryError)"),
    (OverflowError("int too large to convert to float"), 1, "too large"),
    (RecursionError("maximum recursion depth exceeded"), 1, "nested too deeply"),
    (ZeroDivisionError("division by zero"), 1, "internal error: ZeroDivisionError"),
    (RuntimeError("boom"), 1, "internal error: RuntimeError: boom"),
    (KeyError("x"), 1, "internal error: KeyError"),
]


def _name(info: Any) -> str:
    return info.name or info.callback.__name__


def _raiser(exc: BaseException, name: str) -> Any:
    def command() -> None:
        raise exc

    command.__name__ = name  # Typer names a command after its function unless told
    return command


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch):
    """Replace a registered command's function (Typer builds the click command per call)."""

    def patch(name: str, exc: BaseException) -> None:
        infos = [c for c in _util.app.registered_commands if _name(c) == name]
        assert len(infos) == 1, name
        monkeypatch.setattr(infos[0], "callback", _raiser(exc, infos[0].callback.__name__))

    return patch


def test_every_command_is_registered_once() -> None:
    names = sorted(_name(c) for c in _util.app.registered_commands)
    assert names == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("exc", "status", "piece"), RAISED, ids=lambda v: type(v).__name__)
def test_any_exception_is_one_line_and_non_zero(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    patched: Any,
    command: str,
    exc: BaseException,
    status: int,
    piece: str,
) -> None:
    monkeypatch.delenv("SOFTMAXLAB_DEBUG", raising=False)
    patched(command, exc)
    assert main([command]) == status
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("softmaxlab: "), err
    assert piece in err


@pytest.mark.parametrize("command", COMMANDS)
def test_ctrl_c_is_130(capsys: pytest.CaptureFixture[str], patched: Any, command: str) -> None:
    patched(command, KeyboardInterrupt())
    assert main([command]) == 130
    assert capsys.readouterr().err == "softmaxlab: aborted\n"


def test_debug_shows_the_traceback_of_an_internal_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, patched: Any
) -> None:
    monkeypatch.setenv("SOFTMAXLAB_DEBUG", "1")
    patched("compute", RuntimeError("boom"))
    assert main(["compute"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1].startswith("softmaxlab: internal error")


def test_library_error_fields_survive_to_the_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # compute does not check the temperature: the library's error, named as the option.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["compute", "1", "2", "-T", "-2"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "softmaxlab: error: The '--temperature' option of softmaxlab compute must be a finite "
        "number > 0. Got '-2' instead.\n"
    )


def test_softmaxlab_error_has_fields() -> None:
    err = param_error("top_k", "an int >= 1", 0, func="process_logits")
    assert isinstance(err, SoftmaxLabError) and isinstance(err, ValueError)
    assert (err.parameter, err.allowed, err.value, err.function) == (
        "top_k",
        "an int >= 1",
        "0",
        "process_logits",
    )
    # An array is described, never quoted as if the description were the value.
    arr = param_error("where", "a mask", np.zeros((2, 3)))
    assert str(arr).endswith("Got an array of shape (2, 3) and dtype float64 instead.")


# --- real resource exhaustion, in real processes --------------------------------------------

_ENV = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
_ENV.pop("SOFTMAXLAB_DEBUG", None)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "softmaxlab", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=_ENV,
        check=False,
    )


def _huge_npy(path: Path) -> Path:
    buf = io.BytesIO()
    header = {"descr": "<f8", "fortran_order": False, "shape": (10**11,)}
    np.lib.format.write_array_header_1_0(buf, header)
    data = buf.getvalue()
    path.write_bytes(data + b"\0" * (193 - len(data)))
    assert path.stat().st_size == 193
    return path


def test_npy_declaring_1e11_elements_is_refused_before_reading(tmp_path: Path) -> None:
    proc = _cli("compute", "--file", str(_huge_npy(tmp_path / "huge.npy")))
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    assert "declares an array of shape (100000000000,)" in line
    assert "holds 65 bytes of data" in line  # 193 bytes minus the 128-byte header


def test_garbage_npy_gives_no_pickle_advice(tmp_path: Path) -> None:
    path = tmp_path / "bad.npy"
    path.write_bytes(b"garbage that is not numpy")
    proc = _cli("compute", "--file", str(path))
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert "no .npy or .npz header" in line and "allow_pickle" not in line


def test_sample_counts_any_number_of_draws_without_storing_them() -> None:
    # 10**13 draws once ended in MemoryError; they are counted, not stored, now.
    proc = _cli("sample", "a:1,b:2", "-n", "10000000000000", "--seed", "0", "--json")
    assert proc.returncode == 0, proc.stderr
    counts = json.loads(proc.stdout)["counts"]
    assert sum(counts) == 10**13 and counts[1] > counts[0]


@pytest.mark.parametrize(
    "args",
    [["bench", "--shapes", "100000x10000000000", "--ops", "softmax", "--threads", "1"]],
    ids=["bench"],
)
def test_memory_error_is_one_line(args: list[str]) -> None:
    proc = _cli(*args)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith("softmaxlab: error: not enough memory for this input (MemoryError")


# --- the one phrasing of option errors ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["sample", "a:1", "--top-k", "0"],
            "The '--top-k' option of softmaxlab sample must be an int >= 1. Got 0 instead.",
        ),
        (
            ["sample", "a:1", "--top-k", "x"],
            "The '--top-k' option of softmaxlab sample must be an int. Got 'x' instead.",
        ),
        (
            ["explore", "--lang", "fr"],
            "The '--lang' option of softmaxlab explore must be one of 'en', 'zh-Hans', "
            "'zh-Hant'. Got 'fr' instead.",
        ),
        (
            ["bench", "--repeat", "0"],
            "The '--repeat' option of softmaxlab bench must be an int >= 1. Got '0' instead.",
        ),
        (
            ["compute", "1", "--axis", "2"],
            "The '--axis' option of softmaxlab compute must be in the range [-1, 0] for an "
            "array of 1 dimension. Got '2' instead.",
        ),
    ],
)
def test_option_errors_follow_the_template(
    capsys: pytest.CaptureFixture[str], args: list[str], line: str
) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err == f"softmaxlab: error: {line}\n"


# --- refuse_output_over_inputs ----------------------------------------------------------------


def test_output_over_an_input_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "d.csv"
    data.write_text("a,b\n1,2\n")
    monkeypatch.chdir(tmp_path)
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    hard = tmp_path / "hard.csv"
    os.link(data, hard)
    for output in ("d.csv", "./d.csv", str(data), "sub/../d.csv", str(link), str(hard)):
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(SoftmaxLabError) as info:
            refuse_output_over_inputs(output, ["model.npz", str(data)])
        message = str(info.value)
        assert "\n" not in message
        assert message.startswith("The '--output' parameter must be a path that is not one")
        assert f"Got {output!r} instead." in message
        assert info.value.parameter == "--output"
    assert data.read_text() == "a,b\n1,2\n"


def test_distinct_or_missing_paths_pass(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("1\n")
    refuse_output_over_inputs(tmp_path / "m.npz", [data, None, "-"])  # a new file
    refuse_output_over_inputs(None, [data])  # no output
    refuse_output_over_inputs("-", [data])  # stdout
    refuse_output_over_inputs(tmp_path / "x.csv", [tmp_path / "missing.csv"])
    with pytest.raises(SoftmaxLabError, match="'-o' parameter"):
        refuse_output_over_inputs(data, [data], option="-o")


def test_bench_compiled_without_the_core_is_an_option_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from softmaxlab import kernels

    monkeypatch.setattr(kernels, "available", lambda: False)
    assert main(["bench", "--backend", "numba", "--shapes", "1x3", "--repeat", "1"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "softmaxlab: error: The '--backend' option of softmaxlab bench must be 'auto' or "
        "'numpy' while the compiled core is not loaded (softmaxlab.show_config() says why). "
        "Got 'numba' instead.\n"
    )


def test_a_huge_message_is_not_echoed_in_full(
    capsys: pytest.CaptureFixture[str], patched: Any
) -> None:
    patched("sample", ValueError("x" * 8_000_000))
    assert main(["sample"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 1100 and err.rstrip().endswith("...")
