"""``softmaxlab sample``: output, JSON, negative logits and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from softmaxlab.cli import main
from softmaxlab.cli.sample import parse_vocabulary
from softmaxlab.sampling import process_logits

VOCAB = "the:2.1,a:1.5,cat:0.3,dog:0.2"
ISSUE_ARGS = ["sample", VOCAB, "--temperature", "0.7", "--top-p", "0.9", "-n", "1000"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_issue_example_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *ISSUE_ARGS, "--seed", "0")
    assert code == 0 and err == ""
    lines = {line.split()[1]: line for line in out.splitlines() if line.startswith("│")}
    assert "removed" in lines["cat"] and "removed" in lines["dog"]
    assert "removed" not in lines["the"] and "removed" not in lines["a"]
    # Probability column: softmax([2.1, 1.5] / 0.7) = 0.7021, 0.2979 (worked by hand).
    assert "0.7021" in lines["the"] and "0.2979" in lines["a"]
    assert "entropy" in out and "nats" in out
    assert "greedy choice: the" in out and "sampled choice:" in out


def test_issue_example_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, *ISSUE_ARGS, "--seed", "0")
    probs, removed = process_logits([2.1, 1.5, 0.3, 0.2], temperature=0.7, top_p=0.9)
    assert data["tokens"] == ["the", "a", "cat", "dog"]
    np.testing.assert_allclose(data["probabilities"], probs, rtol=1e-15)
    assert data["removed"] == removed.tolist() == [False, False, True, True]
    assert sum(data["counts"]) == 1000 and data["counts"][2:] == [0, 0]
    assert data["frequencies"] == [c / 1000 for c in data["counts"]]
    p = np.array(data["probabilities"][:2])
    assert data["entropy"] == pytest.approx(-(p * np.log(p)).sum(), rel=1e-12)
    assert data["effective_choices"] == pytest.approx(np.exp(data["entropy"]), rel=1e-12)
    assert data["greedy"] == "the" and data["sampled"] in ("the", "a")
    assert data["settings"] == {
        "temperature": 0.7,
        "top_k": None,
        "top_p": 0.9,
        "min_p": None,
        "seed": 0,
    }
    # Same seed, same draws.
    assert run_json(capsys, *ISSUE_ARGS, "--seed", "0")["counts"] == data["counts"]


def test_top_k_min_p_and_greedy(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "sample", VOCAB, "--top-k", "1", "-n", "20", "--seed", "3")
    assert data["counts"] == [20, 0, 0, 0] and data["removed"] == [False, True, True, True]
    data = run_json(capsys, "sample", VOCAB, "--min-p", "0.5", "-n", "50", "--seed", "3")
    # min-p 0.5: keep p >= 0.5 * p(the), i.e. logit >= 2.1 - log 2 = 1.407.
    assert data["removed"] == [False, False, True, True]
    data = run_json(capsys, "sample", VOCAB, "--temperature", "0", "-n", "5")
    assert data["counts"] == [5, 0, 0, 0] and data["sampled"] == "the"


def test_negative_logits_and_short_option(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "sample", "x:-0.5,y:-2.25,z:-inf", "-n", "10", "--seed", "1")
    assert data["logits"] == [-0.5, -2.25, "-Infinity"]
    assert data["counts"][2] == 0 and sum(data["counts"]) == 10
    # A vocabulary that itself starts with '-' goes after "--".
    code, out, err = run(capsys, "sample", "-n", "7", "--json", "--", "-x:1,y:-1")
    assert code == 0, err
    data = json.loads(out)
    assert data["tokens"] == ["-x", "y"] and sum(data["counts"]) == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["the:2.1,a"], "the vocabulary entry 'a' has no logit"),
        (["the:2.1,a:"], "the token 'a' has no logit after the colon"),
        (["the:1,:2"], "has no token before the colon"),
        (["the:2.1,the:1.0"], "the token 'the' appears twice"),
        (["the:2.1,a:high"], "the logit of 'a' is not a number: 'high'"),
        (["the:nan"], "must be a finite number or -inf"),
        ([""], "the vocabulary is empty"),
        (["the:1,,a:2"], "vocabulary entry 2 is empty"),
        (["the:-inf,a:-inf"], "every logit is -inf"),
        (
            [VOCAB, "--top-k", "0"],
            "The '--top-k' option of softmaxlab sample must be an int >= 1. Got 0 instead.",
        ),
        (
            [VOCAB, "--top-k", "-3"],
            "'--top-k' option of softmaxlab sample must be an int >= 1. Got -3 instead.",
        ),
        (
            [VOCAB, "--top-p", "0"],
            "'--top-p' option of softmaxlab sample must be a number in the range (0, 1]. Got 0.0",
        ),
        (
            [VOCAB, "--top-p", "1.5"],
            "'--top-p' option of softmaxlab sample must be a number in the range (0, 1]. Got 1.5",
        ),
        (
            [VOCAB, "--min-p", "2"],
            "'--min-p' option of softmaxlab sample must be a number in the range [0, 1]. Got 2.0",
        ),
        (
            [VOCAB, "--temperature", "-0.5"],
            "'--temperature' option of softmaxlab sample must be a finite number >= 0. Got -0.5",
        ),
        (
            [VOCAB, "--temperature", "inf"],
            "'--temperature' option of softmaxlab sample must be a finite number >= 0. Got inf",
        ),
        (
            [VOCAB, "-n", "0"],
            "The '-n' option of softmaxlab sample must be an int from 1 to 9007199254740992. "
            "Got 0 instead.",
        ),
        (
            [VOCAB, "-n", str(2**53 + 1)],
            "The '-n' option of softmaxlab sample must be an int from 1 to 9007199254740992. "
            f"Got {2**53 + 1} instead.",
        ),
        (
            [VOCAB, "--seed", "-1"],
            "The '--seed' option of softmaxlab sample must be an int >= 0. Got '-1' instead.",
        ),
        (
            [VOCAB, "--top-k", "two"],
            "The '--top-k' option of softmaxlab sample must be an int. Got 'two' instead.",
        ),
        (
            [VOCAB, "--top-k", "1.5"],
            "The '--top-k' option of softmaxlab sample must be an int. Got '1.5' instead.",
        ),
    ],
)
def test_errors_are_one_line(capsys: pytest.CaptureFixture[str], args, message) -> None:
    code, out, err = run(capsys, "sample", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("softmaxlab: error:") and message in err


def test_real_process_exit_status_and_no_traceback() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "softmaxlab", *ISSUE_ARGS, "--seed", "0", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert sum(json.loads(ok.stdout)["counts"]) == 1000
    bad = subprocess.run(
        [sys.executable, "-m", "softmaxlab", "sample", "the:2.1,the:1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0


def test_parse_vocabulary_accepts_spaces_and_colons_in_tokens() -> None:
    assert parse_vocabulary(" a : 1 , b:c : -2e-1 ") == (["a", "b:c"], [1.0, -0.2])
