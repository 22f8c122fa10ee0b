"""``softmaxlab compute``: output checked against independent computations.

Most runs are in-process through :func:`softmaxlab.cli.main` (captured with capsys); a few run
the real interpreter (``python -m softmaxlab``) and the installed console script, so that
argument parsing, stdin and exit codes are tested as a user meets them. References are
``math.exp`` written out in the test and ``scipy.special.softmax``/``log_softmax``.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

import softmaxlab
from softmaxlab.cli import main
from softmaxlab.cli.compute import softmax_report
from tests._support.mpref import ref_softmax, ref_softmax_family

# --- helpers ---------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _plain_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich output without colour at a fixed width, whatever the CI environment sets."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr(sys, "stdin", _Terminal(""))  # an interactive terminal by default


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str | None = None,
) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["compute", *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, **kw: Any
) -> dict[str, Any]:
    code, out, err = run(capsys, monkeypatch, "--json", *args, **kw)
    assert code == 0, err
    assert err == ""
    doc = json.loads(out, parse_constant=_reject_constant)
    assert isinstance(doc, dict)
    return doc


def _reject_constant(name: str) -> None:
    raise AssertionError(f"non-standard JSON constant {name} in the output")


def _decode(value: Any) -> Any:
    """The JSON strings for non-finite numbers back to floats, recursively."""
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value]
    return value


def table_rows(out: str, *, sigma: bool = False) -> list[list[str]]:
    """The entry rows of every Rich table in ``out`` (with ``sigma``, only the Σ rows)."""
    rows = []
    for line in out.splitlines():
        if line.startswith("│"):
            cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
            if (cells[0] in ("Σ", "sum")) == sigma:
                rows.append(cells)
    return rows


def mp_softmax(logits: list[float], temperature: float = 1.0) -> tuple[list[float], list[float]]:
    """softmax and log_softmax at 50 digits (mpmath), rounded once to float64."""
    p, logp, _ = ref_softmax_family(logits, temperature)
    return [float(v) for v in p], [float(v) for v in logp]


# The library promises 6 ulps (softmax) and 2 ulps (log_softmax) in float64; SciPy, used as a
# second reference, rounds x - max in float64 and is only good to about |x - max| ulps.
MP_RTOL = 1.4e-15
SCIPY_RTOL = 1e-13


def assert_one_line_error(code: int, out: str, err: str) -> str:
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("softmaxlab: error: ")
    return lines[0]


# --- the worked example ----------------------------------------------------------------------


def test_worked_example_table(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "3", "1", "-3")
    assert code == 0
    assert err == ""
    for shown in ("0.8789", "0.1189", "0.0022"):
        assert shown in out
    rows = table_rows(out)
    assert len(rows) == 3
    logits = [3.0, 1.0, -3.0]
    probs = ref_softmax(logits)
    for i, (row, x, p) in enumerate(zip(rows, logits, probs, strict=True)):
        label, logit, scaled, shifted, probability = row
        assert label == str(i)
        assert float(logit) == x
        assert float(scaled) == x
        assert float(shifted) == pytest.approx(math.exp(x - 3.0), rel=5e-4)
        value, *_bar, percent = probability.split()
        assert value == f"{p:.4f}"
        assert percent == f"{100 * p:.2f}%"
    assert "exp(logit/T − max)" in out
    assert "probability" in out


def test_worked_example_sum_check(capsys, monkeypatch) -> None:
    _, out, _ = run(capsys, monkeypatch, "3", "1", "-3")
    line = next(line for line in out.splitlines() if line.startswith("sum check"))
    eps = np.finfo(np.float64).eps
    assert f"{3 * eps:.3g}" in line  # the tolerance n·eps, n = 3
    assert "n·eps" in line
    assert "|sum − 1|" in line
    assert "✓" in line


def test_worked_example_shows_the_sum_step(capsys, monkeypatch) -> None:
    # Issue 14: exponentiate -> sum -> normalise, with the sum shown. Reference: math.exp and
    # math.fsum written out here; the probability column is exp / sum.
    _, out, _ = run(capsys, monkeypatch, "3", "1", "-3")
    (sigma_row,) = table_rows(out, sigma=True)
    exps = [math.exp(x - 3.0) for x in (3.0, 1.0, -3.0)]
    total = math.fsum(exps)  # 1.1378...
    assert sigma_row[0] == "Σ"
    assert float(sigma_row[3]) == pytest.approx(total, rel=5e-6)
    assert float(sigma_row[4]) == 1.0
    assert "probability = exp / Σ" in out
    for row, e in zip(table_rows(out), exps, strict=True):
        assert row[4].split()[0] == f"{e / total:.4f}"
    assert f"Σ exp(logit/T − max) = {total:.6g}" in out


def test_sum_step_in_json_and_report(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "1", "2", "3", "-T", "2")
    z = [v / 2.0 for v in (1.0, 2.0, 3.0)]
    exps = [math.exp(v - max(z)) for v in z]
    assert doc["exp_sum"] == pytest.approx(math.fsum(exps), rel=1e-15)
    r = softmax_report(np.array([1.0, 2.0, 3.0]), temperature=2.0)
    np.testing.assert_allclose(r.normalised, mp_softmax([1.0, 2.0, 3.0], 2.0)[0], rtol=4e-16)
    # The one sum check (math.fsum): [1, 2, 3] misses 1 by half an ulp, summed exactly.
    plain = run_json(capsys, monkeypatch, "1", "2", "3")
    p = softmaxlab.softmax([1.0, 2.0, 3.0]).tolist()
    assert plain["sum"] == math.fsum(p)
    assert plain["sum_abs_error"] == abs(math.fsum(p) - 1.0)


def test_one_two_three(capsys, monkeypatch) -> None:
    _, out, _ = run(capsys, monkeypatch, "1", "2", "3")
    shown = [row[4].split()[0] for row in table_rows(out)]
    assert shown == ["0.0900", "0.2447", "0.6652"]


def test_help_lists_the_command(capsys, monkeypatch) -> None:
    assert main(["--help"]) == 0
    assert "compute" in capsys.readouterr().out
    assert main(["compute", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--temperature", "-T", "--labels", "--log", "--json", "--file", "--axis"):
        assert option in out


# --- the plain function behind the command ---------------------------------------------------


def test_softmax_report_columns() -> None:
    r = softmax_report(np.array([3.0, 1.0, -3.0]), temperature=2.0)
    np.testing.assert_array_equal(r.scaled, [1.5, 0.5, -1.5])
    expected_exp = [math.exp(v - 1.5) for v in (1.5, 0.5, -1.5)]
    np.testing.assert_allclose(r.shifted_exp, expected_exp, rtol=4e-16)
    mp_p, mp_logp = mp_softmax([3.0, 1.0, -3.0], 2.0)
    np.testing.assert_allclose(r.probabilities, mp_p, rtol=MP_RTOL)
    np.testing.assert_allclose(r.log_probabilities, mp_logp, rtol=MP_RTOL)
    assert float(r.sums) == math.fsum(r.probabilities.tolist())
    assert r.tolerance == 3 * np.finfo(np.float64).eps
    assert r.n == 3


def test_softmax_report_moves_the_axis_last() -> None:
    x = np.arange(6.0).reshape(2, 3)
    r = softmax_report(x, axis=0)
    assert r.probabilities.shape == (3, 2)
    np.testing.assert_allclose(r.probabilities, special.softmax(x, axis=0).T, rtol=SCIPY_RTOL)
    assert r.sums.shape == (3,)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=12),
    st.sampled_from([0.25, 1.0, 3.0]),
)
def test_json_output_equals_the_library_bit_for_bit(logits: list[float], t: float) -> None:
    # Nothing between the command line and the library may change a value: numbers written
    # with repr() parse back exactly, and JSON floats round-trip exactly.
    tokens = [repr(v) for v in logits]
    out = io.StringIO()
    sys_stdout = sys.stdout
    sys.stdout = out
    try:
        code = main(["compute", "--json", "-T", repr(t), *tokens])
    finally:
        sys.stdout = sys_stdout
    assert code == 0
    doc = json.loads(out.getvalue())
    assert doc["logits"] == logits
    assert doc["probabilities"] == softmaxlab.softmax(logits, temperature=t).tolist()
    assert doc["log_probabilities"] == softmaxlab.log_softmax(logits, temperature=t).tolist()


# --- negative numbers and token forms --------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["3", "1", "-3"],
        ["3,1,-3"],
        ["3, 1, -3"],
        ["3,1", "-3"],
        ["--", "3", "1", "-3"],
        ["-T", "1", "3", "1", "-3"],
        ["3", "-T1", "1", "-3"],
        ["3", "1", "--temperature", "1", "-3"],
        ["3", "1", "--temperature=1", "-3"],
        ["3.0", "1e0", "-3E0"],
    ],
)
def test_token_forms_give_the_same_result(capsys, monkeypatch, args: list[str]) -> None:
    doc = run_json(capsys, monkeypatch, *args)
    assert doc["logits"] == [3.0, 1.0, -3.0]
    np.testing.assert_allclose(doc["probabilities"], ref_softmax([3.0, 1.0, -3.0]))


def test_negative_numbers_of_every_shape(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "-1.5e-3", "-2", "-0.5", "-inf", "-1E2")
    logits = _decode(doc["logits"])
    assert logits == [-0.0015, -2.0, -0.5, -math.inf, -100.0]
    expected = special.softmax(np.array(logits))
    np.testing.assert_allclose(doc["probabilities"], expected, rtol=SCIPY_RTOL, atol=0)
    finite = [v for v in logits if math.isfinite(v)]
    mp_p, _ = mp_softmax(finite)
    np.testing.assert_allclose([p for p in doc["probabilities"] if p], mp_p, rtol=MP_RTOL)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("-INFINITY", -math.inf),  # its letters contain T: must not be read as -T Y
        ("-Infinity", -math.inf),
        ("-iNf", -math.inf),
        ("-1E-3", -0.001),
        ("-.5", -0.5),
    ],
)
def test_negative_tokens_that_spell_option_letters(
    capsys, monkeypatch, token: str, expected: float
) -> None:
    doc = run_json(capsys, monkeypatch, "1", token, "-T", "2")
    assert _decode(doc["logits"]) == [1.0, expected]
    assert doc["temperature"] == 2.0


def test_negative_nan_token(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "-NaN", "2")
    assert doc["logits"][0] == "NaN"


def test_options_after_numbers_are_still_options(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "-3", "1", "--labels", "a,b", "-T", "2")
    assert doc["labels"] == ["a", "b"]
    assert doc["temperature"] == 2.0


# --- options ---------------------------------------------------------------------------------


@pytest.mark.parametrize("temperature", ["0.5", "2", "10", "1e-3", "1e3"])
def test_temperature(capsys, monkeypatch, temperature: str) -> None:
    logits = [2.0, -1.0, 0.5, 4.0]
    t = float(temperature)
    doc = run_json(capsys, monkeypatch, *map(str, logits), "--temperature", temperature)
    assert doc["temperature"] == t
    expected = special.softmax(np.array(logits) / t)
    np.testing.assert_allclose(doc["probabilities"], expected, rtol=SCIPY_RTOL, atol=1e-300)
    expected_log = special.log_softmax(np.array(logits) / t)
    np.testing.assert_allclose(doc["log_probabilities"], expected_log, rtol=SCIPY_RTOL)
    mp_p, mp_logp = mp_softmax(logits, t)
    np.testing.assert_allclose(doc["probabilities"], mp_p, rtol=MP_RTOL, atol=1e-300)
    np.testing.assert_allclose(doc["log_probabilities"], mp_logp, rtol=MP_RTOL)


def test_temperature_columns_in_table(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "3", "1", "-3", "-T", "2")
    assert code == 0
    probs = ref_softmax([3.0, 1.0, -3.0], temperature=2.0)
    for row, x, p in zip(table_rows(out), [3.0, 1.0, -3.0], probs, strict=True):
        assert float(row[2]) == x / 2
        assert float(row[3]) == pytest.approx(math.exp(x / 2 - 1.5), rel=5e-4)
        assert row[4].split()[0] == f"{p:.4f}"
    assert "T = 2" in out


def test_labels(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "3", "1", "-3", "--labels", "cat, dog,fish")
    assert code == 0
    assert [row[0] for row in table_rows(out)] == ["cat", "dog", "fish"]
    doc = run_json(capsys, monkeypatch, "3", "1", "-3", "--labels", "cat,dog,fish")
    assert doc["labels"] == ["cat", "dog", "fish"]


def test_labels_are_not_rich_markup(capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "1", "2", "--labels", "[/x],[bold]b[/bold]")
    assert code == 0, err
    assert [row[0] for row in table_rows(out)] == ["[/x]", "[bold]b[/bold]"]


def test_log_column(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "3", "1", "-3", "--log")
    assert code == 0
    expected = special.log_softmax([3.0, 1.0, -3.0])
    rows = table_rows(out)
    assert [row[-1] for row in rows] == [f"{v:.4f}" for v in expected]
    assert "log p" in out


def test_json_document(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "3", "1", "-3", "-T", "0.5", "--labels", "a,b,c")
    assert doc["logits"] == [3.0, 1.0, -3.0]
    assert doc["temperature"] == 0.5
    assert doc["labels"] == ["a", "b", "c"]
    assert doc["shape"] == [3]
    assert doc["dtype"] == "float64"
    x = np.array([3.0, 1.0, -3.0]) / 0.5
    np.testing.assert_allclose(doc["probabilities"], special.softmax(x), rtol=SCIPY_RTOL)
    np.testing.assert_allclose(doc["log_probabilities"], special.log_softmax(x), rtol=SCIPY_RTOL)
    mp_p, mp_logp = mp_softmax([3.0, 1.0, -3.0], 0.5)
    np.testing.assert_allclose(doc["probabilities"], mp_p, rtol=MP_RTOL)
    np.testing.assert_allclose(doc["log_probabilities"], mp_logp, rtol=MP_RTOL)
    assert doc["sum"] == math.fsum(doc["probabilities"])
    assert doc["sum_abs_error"] == abs(doc["sum"] - 1.0)
    assert doc["tolerance"] == 3 * np.finfo(np.float64).eps
    assert doc["sum_abs_error"] <= doc["tolerance"]


def test_json_without_labels_is_null(capsys, monkeypatch) -> None:
    assert run_json(capsys, monkeypatch, "1", "2")["labels"] is None


# --- special values are results, not errors ---------------------------------------------------


def test_nan_logit_gives_a_nan_slice(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "1", "nan", "2")
    assert all(math.isnan(v) for v in _decode(doc["probabilities"]))
    assert doc["sum"] == "NaN"
    code, out, err = run(capsys, monkeypatch, "1", "nan", "2")
    assert code == 0
    assert err == ""
    assert "a NaN logit makes the whole slice NaN" in out


def test_pos_inf_logit_gives_a_nan_slice(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "1", "inf")
    assert all(math.isnan(v) for v in _decode(doc["probabilities"]))
    code, out, _ = run(capsys, monkeypatch, "1", "inf")
    assert code == 0
    assert "+inf logit" in out


def test_neg_inf_logit_gets_probability_zero(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "-inf", "0", "0")
    assert _decode(doc["probabilities"]) == [0.0, 0.5, 0.5]
    assert _decode(doc["log_probabilities"])[0] == -math.inf
    code, out, err = run(capsys, monkeypatch, "-inf", "0", "0")
    assert code == 0
    assert err == ""
    assert table_rows(out)[0][4].split()[0] == "0"


def test_all_neg_inf_is_nan(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "-inf", "-inf")
    assert all(math.isnan(v) for v in _decode(doc["probabilities"]))
    _, out, _ = run(capsys, monkeypatch, "-inf", "-inf")
    assert "every logit is -inf" in out


def test_tiny_temperature_is_one_hot_without_warnings(capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "3", "1", "-3", "-T", "1e-310")
    assert code == 0
    assert err == ""  # no RuntimeWarning from the overflowing logit/T column
    assert [row[4].split()[0] for row in table_rows(out)] == ["1.0000", "0", "0"]


def test_huge_logits(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "1e308", "-1e308", "1.7e308")
    np.testing.assert_allclose(doc["probabilities"], [0.0, 0.0, 1.0])


# --- files, stdin and 2-D input --------------------------------------------------------------


def test_csv_rows_are_slices(capsys, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "logits.csv"
    path.write_text("3,1,-3\n1,2,3\n")
    code, out, err = run(capsys, monkeypatch, "--file", str(path))
    assert code == 0, err
    assert "slice 0" in out
    assert "slice 1" in out
    assert out.count("sum check") == 2
    shown = [row[4].split()[0] for row in table_rows(out)]
    assert shown == ["0.8789", "0.1189", "0.0022", "0.0900", "0.2447", "0.6652"]
    doc = run_json(capsys, monkeypatch, "--file", str(path))
    x = np.array([[3.0, 1.0, -3.0], [1.0, 2.0, 3.0]])
    np.testing.assert_allclose(doc["probabilities"], special.softmax(x, axis=-1), rtol=SCIPY_RTOL)
    assert doc["shape"] == [2, 3]
    assert len(doc["sum"]) == 2


def test_csv_header_gives_labels(capsys, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "logits.csv"
    path.write_text("cat,dog,fish\n3,1,-3\n")
    code, out, _ = run(capsys, monkeypatch, "--file", str(path))
    assert code == 0
    assert [row[0] for row in table_rows(out)] == ["cat", "dog", "fish"]
    doc = run_json(capsys, monkeypatch, "--file", str(path), "--labels", "x,y,z")
    assert doc["labels"] == ["x", "y", "z"]


def test_csv_header_names_the_slices_with_axis_zero(capsys, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "logits.csv"
    path.write_text("cat,dog\n3,1\n1,2\n-3,3\n")
    code, out, _ = run(capsys, monkeypatch, "--file", str(path), "--axis", "0")
    assert code == 0
    assert "slice cat" in out
    assert "slice dog" in out
    # the first slice is the column "cat": logits 3, 1, -3
    shown = [row[4].split()[0] for row in table_rows(out)[:3]]
    assert shown == ["0.8789", "0.1189", "0.0022"]


@pytest.mark.parametrize("axis", ["0", "-2"])
def test_axis_zero(capsys, monkeypatch, tmp_path: Path, axis: str) -> None:
    path = tmp_path / "logits.csv"
    path.write_text("3,1,-3\n1,2,3\n")
    doc = run_json(capsys, monkeypatch, "--file", str(path), "--axis", axis)
    x = np.array([[3.0, 1.0, -3.0], [1.0, 2.0, 3.0]])
    np.testing.assert_allclose(doc["probabilities"], special.softmax(x, axis=0), rtol=SCIPY_RTOL)
    assert doc["shape"] == [2, 3]
    assert doc["tolerance"] == 2 * np.finfo(np.float64).eps


def test_npy_float32_keeps_its_precision(capsys, monkeypatch, tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(scale=5.0, size=(3, 7)).astype(np.float32)
    path = tmp_path / "x.npy"
    np.save(path, x)
    doc = run_json(capsys, monkeypatch, "--file", str(path))
    assert doc["dtype"] == "float32"
    assert doc["tolerance"] == pytest.approx(7 * float(np.finfo(np.float32).eps))
    expected = special.softmax(x.astype(np.float64), axis=-1)
    np.testing.assert_allclose(doc["probabilities"], expected, rtol=2e-7)


def test_three_d_npy_with_axis(capsys, monkeypatch, tmp_path: Path) -> None:
    x = np.arange(24.0).reshape(2, 3, 4) / 7
    path = tmp_path / "x.npy"
    np.save(path, x)
    doc = run_json(capsys, monkeypatch, "--file", str(path), "--axis", "1")
    np.testing.assert_allclose(doc["probabilities"], special.softmax(x, axis=1), rtol=SCIPY_RTOL)
    assert np.array(doc["sum"]).shape == (2, 4)
    code, out, _ = run(capsys, monkeypatch, "--file", str(path), "--axis", "1")
    assert code == 0
    assert "slice [0, 0]" in out
    assert "slice [1, 3]" in out


def test_json_file(capsys, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[[3, 1, -3], [0, 0, 0]]")
    doc = run_json(capsys, monkeypatch, "--file", str(path))
    np.testing.assert_allclose(doc["probabilities"][1], [1 / 3] * 3, rtol=MP_RTOL)


def test_large_matrix_is_shown_compactly(capsys, monkeypatch, tmp_path: Path) -> None:
    x = np.random.default_rng(1).normal(size=(100, 30))
    path = tmp_path / "big.npy"
    np.save(path, x)
    code, out, err = run(capsys, monkeypatch, "--file", str(path))
    assert code == 0, err
    assert "showing 20 of 100 slices" in out
    assert "sum check, 100 slices" in out
    assert len(out.splitlines()) < 40
    first = table_rows(out)[0]
    p0 = special.softmax(x[0])
    assert first[0] == "0"
    assert first[1] == f"{p0[0]:.4f}"
    doc = run_json(capsys, monkeypatch, "--file", str(path))
    np.testing.assert_allclose(doc["probabilities"], special.softmax(x, axis=-1), rtol=SCIPY_RTOL)


def test_long_vector_is_shortened(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, *[str(i) for i in range(200)])
    assert code == 0
    rows = table_rows(out)
    assert len(rows) == 61
    assert len(table_rows(out, sigma=True)) == 1
    assert rows[30][0] == "..."
    assert rows[-1][0] == "199"


@pytest.mark.parametrize("args", [["-"], []])
def test_stdin_numbers(capsys, monkeypatch, args: list[str]) -> None:
    doc = run_json(capsys, monkeypatch, *args, stdin="3 1 -3\n")
    assert doc["logits"] == [3.0, 1.0, -3.0]
    assert doc["source"] == "<stdin>"


def test_dash_on_a_terminal_says_it_is_waiting(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal("3 1 -3\n"))
    code = main(["compute", "--json", "-"])
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["logits"] == [3.0, 1.0, -3.0]
    assert err == "reading logits from the terminal; end with Ctrl-D\n"


def test_file_dash_is_stdin(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, "--file", "-", stdin="1,2\n")
    assert doc["logits"] == [1.0, 2.0]


def test_stdin_several_lines_is_a_matrix(capsys, monkeypatch) -> None:
    doc = run_json(capsys, monkeypatch, stdin="1,2\n3,5\n")
    np.testing.assert_allclose(
        doc["probabilities"], special.softmax([[1.0, 2.0], [3.0, 5.0]], axis=-1), rtol=SCIPY_RTOL
    )


def test_json_output_reads_back(capsys, monkeypatch) -> None:
    first = run_json(capsys, monkeypatch, "3", "-inf", "nan")
    again = run_json(capsys, monkeypatch, "--file", "-", stdin=json.dumps(first))
    assert again["logits"] == first["logits"]


# --- bad input: one line, exit 2, no traceback ------------------------------------------------


def _bad_files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "ragged.csv").write_text("1,2,3\n4,5\n")
    (tmp_path / "text.csv").write_text("1,2\n3,abc\n")
    (tmp_path / "broken.json").write_text("[1, 2")
    (tmp_path / "ragged.json").write_text("[[1], [2, 3]]")
    (tmp_path / "bad.npy").write_bytes(b"garbage")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "empty.json").write_text("[]")
    np.save(tmp_path / "complex.npy", np.array([1j]))
    return {p.name: str(p) for p in tmp_path.iterdir()}


BAD_INPUTS: list[tuple[list[str], str | None, list[str]]] = [
    (["3", "abc"], None, ["'abc' is not a number"]),
    (["3", "1x"], None, ["'1x'"]),
    (["3,,1"], None, ["empty value", "'3,,1'"]),
    (["3,1,"], None, ["empty value"]),
    ([], None, ["no logits given"]),
    ([], "", ["<stdin> is empty"]),
    (["-"], "  \n", ["<stdin> is empty"]),
    (["-"], "1 2\n3\n", ["<stdin> line 2"]),
    (["-", "1"], None, ["'-'", "only"]),
    (["--temperature", "0", "1", "2"], None, ["'--temperature' option", "> 0. Got '0' instead"]),
    (["-T", "-1", "1", "2"], None, ["--temperature", "'-1'"]),
    (["-T", "inf", "1", "2"], None, ["--temperature", "'inf'"]),
    (["-T", "-inf", "1", "2"], None, ["--temperature", "'-inf'"]),
    (["-T", "nan", "1", "2"], None, ["--temperature", "'nan'"]),
    (["-T", "warm", "1", "2"], None, ["'--temperature' option", "a number. Got 'warm' inst"]),
    (["-T", "-INFINITY", "1", "2"], None, ["--temperature", "'-INFINITY'"]),
    (["-3,abc"], None, ["'abc' in '-3,abc' is not a number"]),
    (["--", "-3", "-T"], None, ["'-T' is not a number"]),
    (["-T", "", "1", "2"], None, ["--temperature", "''"]),
    (["1", "2", "-T"], None, ["'-T'", "requires an argument"]),
    (["1", "2", "--labels", "a"], None, ["'--labels' option", "must be 2 distinct", "1 given"]),
    (["1", "2", "--labels", "a,b,c"], None, ["'--labels'", "3 given). Got 'a,b,c' instead"]),
    (["1", "2", "--labels", "a,a"], None, ["'--labels'", "'a' appears twice"]),
    (["1", "2", "--labels", "a,"], None, ["'--labels'", "one is empty", "Got 'a,' instead"]),
    (["1", "2", "--axis", "1"], None, ["'--axis' option", "[-1, 0]", "Got '1' instead"]),
    (["1", "2", "--axis", "-2"], None, ["'--axis'", "Got '-2' instead"]),
    (["1", "2", "--axis", "x"], None, ["'--axis' option", "must be an int. Got 'x' instead"]),
    (["1", "2", "--axis", "0.5"], None, ["'--axis' option", "an int. Got '0.5' instead"]),
    (["1", "--tempreature", "2"], None, ["'--tempreature'", "not an option"]),
    (["1", "--json=yes"], None, ["--json", "does not take a value"]),
    (["1", "-h"], None, ["'-h'", "not an option"]),
    (["--file", "@missing.csv"], None, ["missing.csv", "No such file"]),
    (["--file", "@missing.npy"], None, ["missing.npy", "No such file"]),
    (["--file", "@."], None, ["cannot read", "Is a directory"]),
    (["--file", "@text.csv/inner.csv"], None, ["inner.csv", "Not a directory"]),
    (["--file", "@ragged.csv"], None, ["ragged.csv", "line 2", "2 values"]),
    (["--file", "@text.csv"], None, ["text.csv", "line 2, column 2", "'abc'"]),
    (["--file", "@broken.json"], None, ["broken.json", "not valid JSON"]),
    (["--file", "@ragged.json"], None, ["ragged.json", "ragged"]),
    (["--file", "@bad.npy"], None, ["bad.npy", "not a readable NumPy file"]),
    (["--file", "@complex.npy"], None, ["complex.npy", "complex128"]),
    (["--file", "@empty.csv"], None, ["empty.csv", "holds no numbers"]),
    (["--file", "@empty.json"], None, ["no logits", "empty.json", "(0,)"]),
    (["--file", "@ragged.csv", "1"], None, ["not both", "'1'"]),
    (["--file", "@text.csv", "--axis", "2"], None, ["text.csv"]),
]


@pytest.mark.parametrize(("args", "stdin", "pieces"), BAD_INPUTS)
def test_bad_input_is_one_line(
    capsys, monkeypatch, tmp_path: Path, args: list[str], stdin: str | None, pieces: list[str]
) -> None:
    files = _bad_files(tmp_path)
    resolved = []
    for arg in args:
        if arg.startswith("@"):
            name = arg[1:]
            arg = str(tmp_path) if name == "." else files.get(name, str(tmp_path / name))
        resolved.append(arg)
    code, out, err = run(capsys, monkeypatch, *resolved, stdin=stdin)
    line = assert_one_line_error(code, out, err)
    for piece in pieces:
        assert piece in line


def test_bad_axis_on_a_file(capsys, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("1,2\n3,4\n")
    code, out, err = run(capsys, monkeypatch, "--file", str(path), "--axis", "2")
    line = assert_one_line_error(code, out, err)
    assert "[-2, 1] for an array of 2 dimensions. Got '2' instead" in line


def test_unreadable_file(capsys, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "secret.csv"
    path.write_text("1,2\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # running as root: permissions are not enforced
            pytest.skip("file permissions are not enforced for this user")
        code, out, err = run(capsys, monkeypatch, "--file", str(path))
    finally:
        path.chmod(0o600)
    line = assert_one_line_error(code, out, err)
    assert "secret.csv" in line
    assert "Permission denied" in line


def test_error_report_is_always_one_line(capsys) -> None:
    from softmaxlab.cli import _report

    _report("first line\n  second line\n\n")
    assert capsys.readouterr().err == "softmaxlab: error: first line second line\n"


# --- real processes --------------------------------------------------------------------------

_ENV = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
for _name in ("FORCE_COLOR", "COLUMNS", "TTY_COMPATIBLE"):
    _ENV.pop(_name, None)


def _subprocess(cmd: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, timeout=120, env=_ENV, check=False
    )


def test_module_run_prints_the_table() -> None:
    proc = _subprocess([sys.executable, "-m", "softmaxlab", "compute", "3", "1", "-3"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    shown = [row[4].split()[0] for row in table_rows(proc.stdout)]
    assert shown == ["0.8789", "0.1189", "0.0022"]


def test_module_run_bad_token_is_one_line() -> None:
    proc = _subprocess([sys.executable, "-m", "softmaxlab", "compute", "3", "-x1"])
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == ["softmaxlab: error: '-x1' is not a number"]


def test_module_run_reads_piped_stdin() -> None:
    proc = _subprocess([sys.executable, "-m", "softmaxlab", "compute", "--json"], "-1 -2 -inf\n")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    np.testing.assert_allclose(
        _decode(doc["probabilities"]), special.softmax([-1.0, -2.0, -np.inf]), rtol=SCIPY_RTOL
    )


def test_module_run_empty_stdin_is_one_line() -> None:
    proc = _subprocess([sys.executable, "-m", "softmaxlab", "compute"], "")
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == ["softmaxlab: error: <stdin> is empty: no numbers to read"]


def _console_script() -> str | None:
    here = Path(sys.executable).parent / ("softmaxlab.exe" if os.name == "nt" else "softmaxlab")
    return str(here) if here.exists() else shutil.which("softmaxlab")


def test_console_script() -> None:
    script = _console_script()
    if script is None:
        pytest.skip("the softmaxlab console script is not installed next to this interpreter")
    proc = _subprocess([script, "compute", "3", "1", "-3", "--log", "--labels", "a,b,c"])
    assert proc.returncode == 0, proc.stderr
    rows = table_rows(proc.stdout)
    assert [row[0] for row in rows] == ["a", "b", "c"]
    assert [row[4].split()[0] for row in rows] == ["0.8789", "0.1189", "0.0022"]
    bad = _subprocess([script, "compute", "-T", "0", "1"])
    assert bad.returncode == 2
    assert len(bad.stderr.splitlines()) == 1
    assert "Traceback" not in bad.stderr


def test_ascii_output_when_the_encoding_is_not_utf8() -> None:
    env = {**_ENV, "PYTHONIOENCODING": "latin-1"}
    proc = subprocess.run(
        [sys.executable, "-m", "softmaxlab", "compute", "1", "2", "3"],
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode("latin-1")
    assert "0.6652 #######" in text
    assert "<= n*eps" in text
    assert proc.stderr == b""


def test_works_without_the_click_package() -> None:
    # Typer >= 0.2x vendors click and does not install it; the CLI must not need it, also
    # for usage errors (which Typer raises as its own exception classes).
    code = (
        "import sys\n"
        "sys.modules['click'] = None\n"
        "from softmaxlab.cli import main\n"
        "assert main(['compute', '3', '1', '-3', '--json']) == 0\n"
        "sys.exit(main(['compute', '1', '--temperature']))\n"
    )
    proc = _subprocess([sys.executable, "-c", code])
    assert proc.returncode == 2, proc.stderr
    assert '"probabilities": [0.87887' in proc.stdout
    assert proc.stderr.splitlines() == [
        "softmaxlab: error: Option '--temperature' requires an argument."
    ]


def test_importing_compute_stays_light() -> None:
    heavy = ["scipy", "torch", "gradio", "sklearn", "numba", "matplotlib", "dask", "pandas"]
    code = (
        "import sys, softmaxlab.cli.compute\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    proc = _subprocess([sys.executable, "-c", code])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
