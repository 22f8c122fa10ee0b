"""The worked examples run: the scripts in examples/ and the doctests of the README's
Applications section."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run_example(name: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


def test_applications_section_doctests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Applications")
    end = readme.index("\n## ", start + 1)
    section = readme[start:end]
    for heading in ("next token", "bandit", "Attention", "top-5"):
        assert heading in section
    parser = doctest.DocTestParser()
    test = parser.get_doctest(section, {}, "README.md#applications", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 20
    assert result.failed == 0


def test_next_token_example() -> None:
    out = run_example("next_token.py")
    assert "top-k 3: keeps ['the', 'a', 'cat']" in out
    assert "min-p 0.2: keeps ['the', 'a']" in out
    # Every shown frequency of a removed token is 0; the probabilities are printed beside.
    for line in out.splitlines():
        if "p=0.000" in line:
            assert "freq=0.000" in line
    assert "greedy: the" in out


@pytest.mark.slow
def test_bandit_example() -> None:
    out = run_example("bandit.py")
    final = {}
    for line in out.splitlines():
        m = re.match(r"^(softmax T=\S+|eps-greedy \S+|uniform)\s+(.*)$", line)
        if m:
            final[m.group(1)] = [float(v) for v in m.group(2).split()]
    assert set(final) == {
        "softmax T=0.1",
        "softmax T=0.3",
        "eps-greedy 0.1",
        "eps-greedy 0.01",
        "uniform",
    }
    for name, row in final.items():
        if name != "uniform":
            assert row[4] < final["uniform"][4]  # regret at t=1000
            assert row[5] > final["uniform"][5]  # best-arm rate at the end


def test_attention_example() -> None:
    out = run_example("attention.py")
    assert "each row sums to [1. 1. 1. 1.]" in out
    assert "output of the fully masked query 'sat': [0. 0. 0. 0. 0. 0. 0. 0.]" in out
    assert "nan" not in out.lower()
    assert "batched output shape: (2, 3, 4, 8)" in out


@pytest.mark.slow
def test_classifier_top5_example() -> None:
    out = run_example("classifier_top5.py")
    m = re.search(r"top-1 accuracy (\S+), top-5 accuracy (\S+)", out)
    assert m is not None
    top1, top5 = float(m.group(1)), float(m.group(2))
    assert 0.5 < top1 <= top5 <= 1.0
    assert len(re.findall(r"^image \d \(true \d\): top-5 ", out, flags=re.M)) == 3
