"""Reading numbers for the CLI (softmaxlab.cli._io): tokens, text, .npy, JSON and stdin.

Expected values are written out by hand or produced by NumPy/json directly, never by the
module under test.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from softmaxlab.cli import _io

# --- numbers and tokens ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3.0),
        ("-3", -3.0),
        ("+2.5", 2.5),
        ("-1.5e-3", -0.0015),
        ("1E3", 1000.0),
        (" 7 ", 7.0),
        ("inf", math.inf),
        ("-inf", -math.inf),
        ("Infinity", math.inf),
        ("-Infinity", -math.inf),
        (".5", 0.5),
    ],
)
def test_parse_number_accepts_float_syntax(text: str, expected: float) -> None:
    assert _io.parse_number(text) == expected


def test_parse_number_nan() -> None:
    assert math.isnan(_io.parse_number("nan"))
    assert math.isnan(_io.parse_number("-NaN"))


@pytest.mark.parametrize("text", ["", "  ", "abc", "1_000", "--3", "1,2", "0x10", "3 4", "e5"])
def test_parse_number_rejects_and_quotes_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number") as info:
        _io.parse_number(text)
    assert repr(text) in str(info.value)


def test_parse_number_shortens_long_text() -> None:
    with pytest.raises(ValueError) as info:
        _io.parse_number("x" * 500)
    assert len(str(info.value)) < 80


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["3", "1", "-3"], [3.0, 1.0, -3.0]),
        (["3,1,-3"], [3.0, 1.0, -3.0]),
        (["3, 1, -3"], [3.0, 1.0, -3.0]),
        (["3 1 -3"], [3.0, 1.0, -3.0]),
        (["3,1", "-3"], [3.0, 1.0, -3.0]),
        (["-inf", "0"], [-math.inf, 0.0]),
        ([], []),
    ],
)
def test_parse_tokens(tokens: list[str], expected: list[float]) -> None:
    out = _io.parse_tokens(tokens)
    assert out.dtype == np.float64
    assert out.shape == (len(expected),)
    assert out.tolist() == expected


@pytest.mark.parametrize(
    ("tokens", "shown"),
    [
        (["3", "abc"], "'abc'"),
        (["3,x,1"], "'x' in '3,x,1'"),
        (["3,,1"], "'3,,1'"),
        (["3,1,"], "'3,1,'"),
        ([",3"], "',3'"),
        ([""], "''"),
        (["--json"], "'--json'"),
    ],
)
def test_parse_tokens_errors_name_the_token(tokens: list[str], shown: str) -> None:
    with pytest.raises(ValueError) as info:
        _io.parse_tokens(tokens)
    assert shown in str(info.value)


# --- text ------------------------------------------------------------------------------------


def test_parse_text_csv_with_header_comments_and_blank_lines() -> None:
    text = "# logits of two images\n\ncat, dog ,fish\n3,1,-3\n\n1,2,3\n"
    table = _io.parse_text(text, source="'x.csv'")
    assert table.header == ("cat", "dog", "fish")
    assert table.values.tolist() == [[3.0, 1.0, -3.0], [1.0, 2.0, 3.0]]
    assert table.source == "'x.csv'"


def test_parse_text_quoted_header() -> None:
    table = _io.parse_text('"a, b",c\n1,2\n')
    assert table.header == ("a, b", "c")
    assert table.values.tolist() == [[1.0, 2.0]]


def test_parse_text_whitespace_separated_without_header() -> None:
    table = _io.parse_text("1 2\t3\n4  5 6\n")
    assert table.header is None
    assert table.values.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]


def test_parse_text_one_line_is_one_row() -> None:
    assert _io.parse_text("3 1 -3\n").values.shape == (1, 3)


def test_parse_text_special_values() -> None:
    values = _io.parse_text("nan,inf,-inf\n").values[0]
    assert math.isnan(values[0])
    assert values[1] == math.inf
    assert values[2] == -math.inf


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("1,2,3\n4,5\n", ["line 2", "2 values", "line 1 has 3"]),
        ("a,b\n1,2,3\n", ["line 2", "3 values", "header has 2"]),
        ("1,2\n3,abc\n", ["line 2, column 2", "'abc' is not a number"]),
        ("1,2\n3,\n", ["line 2, column 2", "empty value"]),
        ("1,abc\n", ["line 1, column 2", "'abc'"]),
        ("", ["holds no numbers"]),
        ("# only a comment\n", ["holds no numbers"]),
        ("a,b,c\n", ["holds no numbers"]),
        ("1 2\n\n# c\n3\n", ["line 4", "1 value,", "line 1 has 2"]),
    ],
)
def test_parse_text_errors_name_source_line_and_value(text: str, pieces: list[str]) -> None:
    with pytest.raises(ValueError) as info:
        _io.parse_text(text, source="'data.csv'")
    message = str(info.value)
    assert message.startswith("'data.csv'")
    assert "\n" not in message
    for piece in pieces:
        assert piece in message


def test_parse_text_reads_json() -> None:
    table = _io.parse_text(' [[1, 2], [3, "-Infinity"]]')
    assert table.values.tolist() == [[1.0, 2.0], [3.0, -math.inf]]
    assert table.header is None


# --- JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[3, 1, -3]", [3.0, 1.0, -3.0]),
        ("[[1, 2], [3, 4]]", [[1.0, 2.0], [3.0, 4.0]]),
        ("[[[1], [2]], [[3], [4]]]", [[[1.0], [2.0]], [[3.0], [4.0]]]),
        ('{"logits": [1, 2], "temperature": 2}', [1.0, 2.0]),
        ("5", [5.0]),
        ("[1e999, -1e999]", [math.inf, -math.inf]),
        ("[1" + "0" * 400 + "]", [math.inf]),
        ('["inf", "-Infinity", "2"]', [math.inf, -math.inf, 2.0]),
        ("[Infinity, -Infinity]", [math.inf, -math.inf]),
        ("[]", []),
    ],
)
def test_json_values(tmp_path: Path, text: str, expected: list[float]) -> None:
    path = tmp_path / "x.json"
    path.write_text(text)
    out = _io.read_array(path)
    assert out.dtype == np.float64
    assert out.tolist() == expected


def test_json_nan_literal_and_string(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('[NaN, "NaN", 1]')
    out = _io.read_array(path)
    assert np.isnan(out[:2]).all()
    assert out[2] == 1.0


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("[[1, 2], [3]]", ["ragged", "top level[1]"]),
        ("[[1, 2], 3]", ["ragged", "top level[1]"]),
        ("[1, true]", ["top level[1]", "true is not a number"]),
        ("[1, null]", ["null is not a number"]),
        ('[1, "abc"]', ["top level[1]", "'abc' is not a number"]),
        ("[1, {}]", ["JSON object"]),
        ('{"x": [1]}', ["'logits' key", "'x'"]),
        ('{"logits": [[1], [2, 3]]}', ["'logits'[1]", "ragged"]),
        ("[1, 2", ["not valid JSON", "line 1"]),
        ("[" * 100_000 + "]" * 100_000, ["nested too deeply"]),
    ],
)
def test_json_errors(tmp_path: Path, text: str, pieces: list[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError) as info:
        _io.read_array(path)
    message = str(info.value)
    assert repr(str(path)) in message
    assert "\n" not in message
    for piece in pieces:
        assert piece in message


# --- files -----------------------------------------------------------------------------------


def test_read_table_csv_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("\ufeffa,b\n1,2\n".encode())
    table = _io.read_table(path)
    assert table.header == ("a", "b")
    assert table.values.tolist() == [[1.0, 2.0]]
    assert table.source == repr(str(path))


def test_csv_file_is_never_json(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("[a],{b}\n1,2\n")
    table = _io.read_table(path)
    assert table.header == ("[a]", "{b}")
    assert table.values.tolist() == [[1.0, 2.0]]


def test_read_table_other_extension_is_text(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("1 2 3\n")
    assert _io.read_array(path).tolist() == [[1.0, 2.0, 3.0]]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_npy_keeps_float_dtype(tmp_path: Path, dtype: type) -> None:
    data = np.arange(6, dtype=dtype).reshape(2, 3) - 2
    path = tmp_path / "x.npy"
    np.save(path, data)
    out = _io.read_array(path)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, data)


@pytest.mark.parametrize("data", [np.arange(3), np.array([True, False]), np.array(7)])
def test_npy_ints_bools_and_scalars_become_float64(tmp_path: Path, data: np.ndarray) -> None:
    path = tmp_path / "x.npy"
    np.save(path, data)
    out = _io.read_array(path)
    assert out.dtype == np.float64
    assert out.ndim >= 1
    np.testing.assert_array_equal(out, np.atleast_1d(data).astype(np.float64))


def test_npz_with_one_array(tmp_path: Path) -> None:
    path = tmp_path / "x.npz"
    np.savez(path, logits=np.array([1.0, 2.0]))
    assert _io.read_array(path).tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    ("maker", "pieces"),
    [
        (lambda p: np.save(p, np.array([1 + 2j])), ["dtype complex128", "real numbers"]),
        (lambda p: np.save(p, np.array(["a"])), ["dtype <U1"]),
        (lambda p: np.save(p, np.array([{}], dtype=object)), ["not a readable NumPy file"]),
        (lambda p: p.write_bytes(b"not numpy at all"), ["not a readable NumPy file"]),
        (lambda p: p.write_bytes(b""), ["not a readable NumPy file"]),
    ],
)
def test_npy_errors(tmp_path: Path, maker: object, pieces: list[str]) -> None:
    path = tmp_path / "bad.npy"
    maker(path)  # type: ignore[operator]
    with pytest.raises(ValueError) as info:
        _io.read_array(path)
    message = str(info.value)
    assert repr(str(path)) in message
    for piece in pieces:
        assert piece in message


def test_npz_with_two_arrays_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "two.npz"
    np.savez(path, a=np.zeros(2), b=np.zeros(2))
    with pytest.raises(ValueError, match="holds 2 arrays"):
        _io.read_array(path)


@pytest.mark.parametrize("name", ["missing.csv", "missing.npy", "missing.json"])
def test_missing_file_is_an_oserror_naming_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with pytest.raises(FileNotFoundError) as info:
        _io.read_table(path)
    assert repr(str(path)) in str(info.value)
    assert "No such file" in str(info.value)


def test_directory_is_an_oserror_naming_it(tmp_path: Path) -> None:
    with pytest.raises(OSError) as info:
        _io.read_table(tmp_path)
    assert repr(str(tmp_path)) in str(info.value)


def test_binary_file_with_text_extension(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(ValueError, match="not UTF-8 text"):
        _io.read_table(path)


def test_read_matrix_shapes(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text("[1, 2, 3]")
    assert _io.read_matrix(one).shape == (1, 3)
    three = tmp_path / "three.npy"
    np.save(three, np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"3-D array of shape \(2, 2, 2\)"):
        _io.read_matrix(three)
    csv_path = tmp_path / "m.csv"
    csv_path.write_text("1,2\n3,4\n5,6\n")
    assert _io.read_matrix(csv_path).shape == (3, 2)


# --- stdin -----------------------------------------------------------------------------------


def test_read_stdin_text_and_json() -> None:
    assert _io.read_stdin(io.StringIO("3 1 -3\n")).values.tolist() == [[3.0, 1.0, -3.0]]
    assert _io.read_stdin(io.StringIO("[3, 1]")).values.tolist() == [3.0, 1.0]


@pytest.mark.parametrize("text", ["", "  \n\n"])
def test_read_stdin_empty(text: str) -> None:
    with pytest.raises(ValueError, match="<stdin> is empty"):
        _io.read_stdin(io.StringIO(text))


def test_read_stdin_errors_name_stdin() -> None:
    with pytest.raises(ValueError, match=r"<stdin> line 1, column 2: 'x' is not a number"):
        _io.read_stdin(io.StringIO("1 x\n"))


# --- JSON output -----------------------------------------------------------------------------


def test_to_json_value_is_strict_json() -> None:
    data = np.array([[0.25, np.inf], [np.nan, -np.inf]])
    text = json.dumps(_io.to_json_value(data), allow_nan=False)
    assert text == '[[0.25, "Infinity"], ["NaN", "-Infinity"]]'


def test_to_json_value_scalars() -> None:
    assert _io.to_json_value(np.float64(0.5)) == 0.5
    assert _io.to_json_value(np.float32(np.nan)) == "NaN"
    assert _io.to_json_value(np.array(-np.inf)) == "-Infinity"


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
        elements=st.floats(allow_nan=True, allow_infinity=True),
    )
)
def test_json_round_trip(data: np.ndarray) -> None:
    text = json.dumps({"logits": _io.to_json_value(data)}, allow_nan=False)
    back = _io.parse_text(text).values
    np.testing.assert_array_equal(back, data)  # NaN positions compare equal here
    numbers = ~np.isnan(data)  # the sign of a NaN carries no meaning; that of -0.0 does
    assert np.array_equal(np.signbit(back[numbers]), np.signbit(data[numbers]))


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=5),
        elements=st.floats(allow_nan=True, allow_infinity=True),
    ),
    st.sampled_from([",", " ", "\t", ", "]),
)
def test_text_round_trip(data: np.ndarray, sep: str) -> None:
    text = "\n".join(sep.join(repr(float(v)) for v in row) for row in data) + "\n"
    back = _io.parse_text(text, source="'t.csv'").values
    np.testing.assert_array_equal(back, data)


# --- CSV data files (softmaxlab.cli._csv: the one reader of train/predict) ----------------


def test_one_csv_reader_and_one_number_rule() -> None:
    from softmaxlab.cli import _csv, predict, train

    assert train.read_csv is _csv.read_csv and train.CsvTable is _csv.CsvTable
    assert train.numeric_columns is _csv.numeric_columns
    assert _csv._is_number is _io._is_number  # header detection as in parse_text
    assert not hasattr(predict, "_is_number") and not hasattr(train, "_is_number")


def test_read_csv_cells_blank_lines_quotes_and_header(tmp_path: Path) -> None:
    from softmaxlab.cli._csv import read_csv

    path = tmp_path / "d.csv"
    path.write_text('\ufeffx,"y,z", label\n1,2,cat\n\n  \n3,-inf,"dog, big"\n', "utf-8")
    table = read_csv(path)
    assert table.header == ["x", "y,z", "label"]
    assert table.rows == [["1", "2", "cat"], ["3", "-inf", "dog, big"]]
    assert table.lines == [2, 5]
    assert table.source == repr(str(path))


@pytest.mark.parametrize(
    ("first", "is_header"),
    [("a,b", True), ("1,b", False), ("inf,nan", False), ("1_0,x", True), ("-1e-3, x", False)],
)
def test_read_csv_header_detection_uses_parse_number(
    tmp_path: Path, first: str, is_header: bool
) -> None:
    from softmaxlab.cli._csv import read_csv

    path = tmp_path / "h.csv"
    path.write_text(f"{first}\n5,6\n", "utf-8")
    table = read_csv(path)
    assert (table.header is not None) == is_header
    assert len(table.rows) == (1 if is_header else 2)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "is empty"),
        ("a,b\n", "has a header but no data rows"),
        ("a,b\n1,2\n3\n", "line 3: 1 values, but the header has 2"),
    ],
)
def test_read_csv_errors_name_the_file_and_line(tmp_path: Path, content: str, fragment: str):
    from softmaxlab.cli._csv import read_csv

    path = tmp_path / "bad.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv") as info:
        read_csv(path)
    assert fragment in str(info.value)


def test_read_csv_not_utf8_and_missing(tmp_path: Path) -> None:
    from softmaxlab.cli._csv import read_csv

    path = tmp_path / "latin.csv"
    path.write_bytes("é,b\n1,2\n".encode("latin-1"))
    with pytest.raises(ValueError, match="not UTF-8"):
        read_csv(path)
    with pytest.raises(OSError, match="cannot read"):
        read_csv(tmp_path / "missing.csv")


def test_numeric_columns_values_and_errors(tmp_path: Path) -> None:
    from softmaxlab.cli._csv import numeric_columns, read_csv

    path = tmp_path / "n.csv"
    path.write_text("a,b,c\n1.5,x,2e3\n-0.25,y,1_0\n4,z,inf\n", "utf-8")
    table = read_csv(path)
    np.testing.assert_array_equal(numeric_columns(table, [0]), [[1.5], [-0.25], [4.0]])
    with pytest.raises(ValueError, match=r"line 2, column 'b': 'x' is not a number"):
        numeric_columns(table, [0, 1])
    with pytest.raises(ValueError, match=r"line 3, column 'c': '1_0' is not a number"):
        numeric_columns(table, [2])
    no_inf = tmp_path / "i.csv"
    no_inf.write_text("a\n1\ninf\n", "utf-8")
    with pytest.raises(ValueError, match=r"line 3, column 'a': 'inf' is not a finite number"):
        numeric_columns(read_csv(no_inf), [0])
