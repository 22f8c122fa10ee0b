"""``softmaxlab explore``: argument checks (without serving) and one real start-up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from softmaxlab.cli import main


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--lang", "fr"], "The '--lang' option of softmaxlab explore must be one of"),
        (
            ["--port", "0"],
            "'--port' option of softmaxlab explore must be an int in the range [1, 65535]",
        ),
        (["--port", "70000"], "Got '70000' instead"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(
    args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explore", *args]) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_busy_port_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert main(["explore", "--port", str(port)]) == 2
    assert f"port {port}" in capsys.readouterr().err


def test_cli_module_does_not_import_gradio() -> None:
    code = "import sys, softmaxlab.cli.explore; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_explore_serves_and_prints_its_address() -> None:
    port = free_port()
    env = dict(os.environ)
    env.pop("GRADIO_ANALYTICS_ENABLED", None)  # the command must turn telemetry off itself
    proc = subprocess.Popen(
        [sys.executable, "-m", "softmaxlab", "explore", "--port", str(port), "--lang", "zh-Hant"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 90
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "running at" in line or not line:
                break
        assert f"http://127.0.0.1:{port}/" in line, line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=20) as response:
            config = response.read().decode()
        assert "數值精度" in config  # the fixed language is in the page's initial labels
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_start_up_runs_without_collection_and_freezes_what_it_built() -> None:
    import gc

    from softmaxlab.cli.explore import starting

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with starting():
            assert not gc.isenabled()
            built = [[i] for i in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(built)
    finally:
        gc.unfreeze()
    # An error while starting still switches collection back on.
    with pytest.raises(RuntimeError), starting():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.unfreeze()
