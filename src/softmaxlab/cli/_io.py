"""Reading numbers for the command line: tokens, stdin, CSV/whitespace text, ``.npy`` and JSON.

Plain functions with no CLI machinery, shared by every command that takes arrays of numbers.
Each raises :class:`ValueError` (bad content) or :class:`OSError` (the file cannot be opened)
with a one-line message that names the source and the offending value, so a command can print
it as is.

Formats
-------
* tokens: ``["3", "1", "-3"]`` or ``["3,1,-3"]``; any token may hold several numbers
  separated by commas or whitespace.
* text (``.csv``, ``.tsv``, ``.txt``, anything else, and stdin): one row per line, numbers
  separated by commas, or by whitespace when no line has a comma. Blank lines and lines starting
  with ``#`` are skipped. A first row in which no field is a number is a header (column names).
* ``.npy`` (and ``.npz`` holding a single array): read without pickles; real dtypes only.
* ``.json``: a number, a list or nested lists of numbers, or an object with a ``"logits"`` key
  (so the output of ``softmaxlab compute --json`` can be read back).

Every number is parsed by :func:`parse_number`, which accepts Python float syntax, including
``inf``, ``-inf``, ``nan``, ``Infinity`` and ``1e-3``. JSON accepts the non-standard literals
``NaN``/``Infinity`` and the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"`` (the
protobuf-JSON spelling used by :func:`to_json_value`).
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from numpy.typing import NDArray

# One rule for a number and for showing typed text, shared with the explorer.
from ..reports._parse import _show, parse_number

__all__ = [
    "Table",
    "parse_number",
    "parse_text",
    "parse_tokens",
    "read_array",
    "read_matrix",
    "read_stdin",
    "read_table",
    "refuse_output_over_inputs",
    "to_json_value",
]


@dataclass(frozen=True)
class Table:
    """Numbers read from a source, with the column names of a text header if there was one.

    Attributes
    ----------
    values : ndarray of float
        The numbers, at least 1-D. Text sources always give a 2-D array (rows × columns).
    header : tuple of str or None
        Column names from the first line of a text source, or None.
    source : str
        Where the numbers came from, for messages (a quoted path, ``<stdin>`` or ``arguments``).
    """

    values: NDArray[Any]
    header: tuple[str, ...] | None
    source: str


def _split_fields(token: str) -> list[str]:
    """Split ``"3,1,-3"`` or ``"3 1 -3"`` into fields; empty fields between commas are kept."""
    if "," in token:
        return [field.strip() for field in token.split(",")]
    return token.split()


def parse_tokens(tokens: Sequence[str]) -> NDArray[np.float64]:
    """Numbers given as command-line tokens, as a 1-D float64 array.

    Each token may hold one number or several separated by commas or whitespace.

    Raises
    ------
    ValueError
        If a token is not a number, or a comma-separated token has an empty field.

    Examples
    --------
    >>> parse_tokens(["3", "1", "-3"])
    array([ 3.,  1., -3.])
    >>> parse_tokens(["3,1", "-inf"])
    array([  3.,   1., -inf])
    >>> parse_tokens(["3,,1"])
    Traceback (most recent call last):
    ...
    ValueError: empty value in '3,,1' (two commas in a row, or a comma at an end)
    """
    values: list[float] = []
    for token in tokens:
        fields = _split_fields(token)
        if not fields:
            raise ValueError(f"{_show(token)} is not a number")
        for field in fields:
            if field == "":
                raise ValueError(
                    f"empty value in {_show(token)} (two commas in a row, or a comma at an end)"
                )
            try:
                values.append(parse_number(field))
            except ValueError:
                if field == token:
                    raise
                raise ValueError(f"{_show(field)} in {_show(token)} is not a number") from None
    return np.array(values, dtype=np.float64)


def _is_number(field: str) -> bool:
    try:
        parse_number(field)
    except ValueError:
        return False
    return True


def _text_rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank, non-comment lines split into fields, with their 1-based line numbers."""
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if any("," in line for _, line in lines):
        # One line at a time, so that line numbers stay exact (quoted names, no multi-line cells).
        return [(number, [f.strip() for f in next(csv.reader([line]))]) for number, line in lines]
    return [(number, line.split()) for number, line in lines]


def parse_text(text: str, *, source: str = "<stdin>", allow_json: bool = True) -> Table:
    """Parse rows of numbers (CSV or whitespace-separated) or a JSON document.

    With ``allow_json``, text starting with ``[`` or ``{`` is read as JSON (see
    :func:`read_array`); anything else as one row per line, in which case ``values`` is 2-D
    (rows × columns).

    Raises
    ------
    ValueError
        Naming ``source``, the line and the value: a field that is not a number, an empty
        field, rows of different lengths, no numbers at all, or malformed JSON.

    Examples
    --------
    >>> t = parse_text("a,b,c\\n3,1,-3\\n0,0,0\\n", source="'x.csv'")
    >>> t.header, t.values.tolist()
    (('a', 'b', 'c'), [[3.0, 1.0, -3.0], [0.0, 0.0, 0.0]])
    >>> parse_text("1 2\\n3\\n").values
    Traceback (most recent call last):
    ...
    ValueError: <stdin> line 2: 1 value, but line 1 has 2 (every row needs the same length)
    """
    if allow_json and text.lstrip().startswith(("[", "{")):
        return Table(_parse_json(text, source), None, source)
    rows = _text_rows(text)
    header: tuple[str, ...] | None = None
    if rows and not any(_is_number(field) for field in rows[0][1]):
        header = tuple(rows[0][1])
        rows = rows[1:]
    if not rows:
        raise ValueError(f"{source} holds no numbers")
    width = len(header) if header is not None else len(rows[0][1])
    first_line = rows[0][0] - 1 if header is not None else rows[0][0]
    out = np.empty((len(rows), width), dtype=np.float64)
    for i, (line, fields) in enumerate(rows):
        if len(fields) != width:
            plural = "value" if len(fields) == 1 else "values"
            what = "the header has" if header is not None else f"line {first_line} has"
            raise ValueError(
                f"{source} line {line}: {len(fields)} {plural}, but {what} {width} "
                "(every row needs the same length)"
            )
        for j, field in enumerate(fields):
            if field == "":
                raise ValueError(f"{source} line {line}, column {j + 1}: empty value")
            try:
                out[i, j] = parse_number(field)
            except ValueError as exc:
                raise ValueError(f"{source} line {line}, column {j + 1}: {exc}") from None
    return Table(out, header, source)


def _json_constant(name: str) -> float:
    return float(name)  # "NaN", "Infinity", "-Infinity"


def _json_leaf(value: Any, where: str, source: str) -> float:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{source} at {where}: {json.dumps(value)} is not a number")
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:  # an integer literal beyond the float range
            return math.inf if value > 0 else -math.inf
    if isinstance(value, str):
        try:
            return parse_number(value)
        except ValueError as exc:
            raise ValueError(f"{source} at {where}: {exc}") from None
    raise ValueError(f"{source} at {where}: expected a number or a list, got a JSON object")


def _json_shape(value: Any, where: str, source: str) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    if not value:
        return (0,)
    inner = _json_shape(value[0], f"{where}[0]", source)
    for i, item in enumerate(value[1:], start=1):
        other = _json_shape(item, f"{where}[{i}]", source)
        if other != inner:
            raise ValueError(
                f"{source} at {where}[{i}]: ragged nested lists (shape {other or 'scalar'} "
                f"where {where}[0] has shape {inner or 'scalar'})"
            )
    return (len(value), *inner)


def _json_fill(value: Any, where: str, source: str, out: list[float]) -> None:
    if isinstance(value, list):
        for i, item in enumerate(value):
            _json_fill(item, f"{where}[{i}]", source, out)
    else:
        out.append(_json_leaf(value, where, source))


def _parse_json(text: str, source: str) -> NDArray[np.float64]:
    try:
        data = json.loads(text, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{source} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise ValueError(f"{source}: JSON nested too deeply") from None
    where = "top level"
    if isinstance(data, dict):
        if "logits" not in data:
            keys = ", ".join(repr(k) for k in list(data)[:5]) or "none"
            raise ValueError(
                f"{source}: a JSON object must have a 'logits' key (found keys: {keys})"
            )
        data, where = data["logits"], "'logits'"
    try:
        shape = _json_shape(data, where, source)
        flat: list[float] = []
        _json_fill(data, where, source, flat)
    except RecursionError:
        raise ValueError(f"{source}: JSON nested too deeply") from None
    arr = np.array(flat, dtype=np.float64).reshape(shape)
    return arr.reshape(1) if arr.ndim == 0 else arr


def _check_npy_size(path: Path, source: str) -> None:
    """Refuse a ``.npy`` whose header declares more data than the file holds, before reading.

    A 193-byte file may declare 1e11 elements; NumPy would try to allocate them first.
    """
    try:
        with open(path, "rb") as fh:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
            else:
                shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
            offset = fh.tell()
    except (ValueError, EOFError):
        return  # not a readable header: np.load reports it
    if dtype.hasobject:
        return  # refused by np.load (no pickles)
    declared = math.prod(shape) * dtype.itemsize
    held = path.stat().st_size - offset
    if declared > held:
        raise ValueError(
            f"{source} declares an array of shape {shape} and dtype {dtype} "
            f"({declared:,} bytes) but holds {held:,} bytes of data"
        )


_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGIC = b"PK\x03\x04"


def _load_npy(path: Path, source: str) -> NDArray[Any]:
    with open(path, "rb") as fh:
        head = fh.read(len(_NPY_MAGIC))
    if not head.startswith((_NPY_MAGIC, _ZIP_MAGIC)):
        # np.load would fall back to unpickling and advise allow_pickle: softmaxlab never
        # unpickles, so say what the file is not.
        raise ValueError(f"{source} is not a readable NumPy file: no .npy or .npz header")
    if head.startswith(_NPY_MAGIC):
        _check_npy_size(path, source)
    try:
        loaded = np.load(path, allow_pickle=False)
    except (ValueError, EOFError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "pickle" in reason:
            reason = "it holds Python objects (pickled data), which softmaxlab never loads"
        raise ValueError(f"{source} is not a readable NumPy file: {reason}") from None
    if isinstance(loaded, np.lib.npyio.NpzFile):
        with loaded:
            names = list(loaded.files)
            if len(names) != 1:
                raise ValueError(
                    f"{source} holds {len(names)} arrays ({', '.join(names) or 'none'}); "
                    "expected exactly one"
                )
            try:
                arr = loaded[names[0]]
            except ValueError as exc:
                raise ValueError(f"{source} is not a readable NumPy file: {exc}") from None
    else:
        arr = loaded
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise ValueError(
            f"{source} holds an array of dtype {arr.dtype}; expected real numbers "
            "(float, int or bool)"
        )
    return arr.reshape(1) if arr.ndim == 0 else arr


def _source_name(path: str | os.PathLike[str]) -> str:
    return repr(os.fspath(path))


def _open_error(exc: OSError, source: str) -> OSError:
    reason = exc.strerror or str(exc)
    return type(exc)(f"cannot read {source}: {reason}")


def read_table(path: str | os.PathLike[str]) -> Table:
    """Read numbers from a file, choosing the format by extension.

    ``.npy``/``.npz`` are NumPy files, ``.json`` is JSON, anything else is text (CSV or
    whitespace-separated, one row per line). See the module docstring for the formats.

    Raises
    ------
    OSError
        If the file cannot be opened (missing, a directory, no permission); the message names it.
    ValueError
        If the content is not numbers in the expected layout; the message names the file.
    """
    p = Path(path)
    source = _source_name(path)
    suffix = p.suffix.lower()
    try:
        if suffix in {".npy", ".npz"}:
            return Table(_load_npy(p, source), None, source)
        raw = p.read_bytes()
    except OSError as exc:
        raise _open_error(exc, source) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            f"{source} is not UTF-8 text (binary arrays must be saved as .npy)"
        ) from None
    if suffix == ".json":
        return Table(_parse_json(text, source), None, source)
    return parse_text(text, source=source, allow_json=False)


def read_array(path: str | os.PathLike[str]) -> NDArray[Any]:
    """The numbers in a file as a float array of at least one dimension (see :func:`read_table`)."""
    return read_table(path).values


def read_matrix(path: str | os.PathLike[str]) -> NDArray[Any]:
    """The numbers in a file as a 2-D float array (rows × columns).

    A 1-D array becomes one row; arrays of more than two dimensions raise ValueError.
    """
    table = read_table(path)
    values = table.values
    if values.ndim == 1:
        return values.reshape(1, -1)
    if values.ndim != 2:
        raise ValueError(
            f"{table.source} holds a {values.ndim}-D array of shape {values.shape}; "
            "expected a matrix (2-D)"
        )
    return values


def read_stdin(stream: TextIO | None = None) -> Table:
    """Read numbers from standard input (text or JSON, see :func:`parse_text`)."""
    stream = sys.stdin if stream is None else stream
    if stream is None:
        raise OSError("cannot read <stdin>: there is no standard input")
    try:
        text = stream.read()
    except UnicodeDecodeError:
        raise ValueError("<stdin> is not UTF-8 text") from None
    except OSError as exc:
        raise _open_error(exc, "<stdin>") from None
    if not text.strip():
        raise ValueError("<stdin> is empty: no numbers to read")
    return parse_text(text.lstrip("\ufeff"), source="<stdin>")


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: same resolved path, or same inode (hard links)."""
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop: fall back to the inode check
        pass
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one of them does not exist (yet): not the same file
        return False


def refuse_output_over_inputs(
    output: str | os.PathLike[str] | None,
    inputs: Iterable[str | os.PathLike[str] | None],
    *,
    option: str = "--output",
) -> None:
    """Refuse, before any work, an output path that names one of the command's input files.

    Paths are compared after resolving symlinks, ``..`` and relative parts, and by inode, so
    ``./d.csv``, an absolute path, a symlink to ``d.csv`` or a hard link all count as
    ``d.csv``. ``None`` entries (an option not given, or stdin/stdout as ``-``) are skipped.

    Raises
    ------
    SoftmaxLabError
        A :class:`ValueError` whose one-line message names the option, the output and the
        input it would overwrite.

    Examples
    --------
    >>> refuse_output_over_inputs("model.npz", ["data.csv"])  # different files: nothing
    >>> try:
    ...     refuse_output_over_inputs("./data.csv", ["data.csv", None])
    ... except ValueError as exc:
    ...     print(exc)
    The '--output' parameter must be a path that is not one of the input files (writing it
    would destroy the input 'data.csv'). Got './data.csv' instead.
    """
    if output is None or os.fspath(output) == "-":
        return
    out = Path(output)
    for item in inputs:
        if item is None or os.fspath(item) == "-":
            continue
        if _same_file(out, Path(item)):
            from .._validation import param_error, shown

            raise param_error(
                option,
                "a path that is not one of the input files (writing it would destroy the "
                f"input {os.fspath(item)!r})",
                shown(repr(os.fspath(output))),  # a path in full, however long
            )


def _json_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def to_json_value(values: NDArray[Any] | float | Iterable[Any]) -> Any:
    """Nested lists of floats for :func:`json.dumps`, strict JSON (``allow_nan=False``) safe.

    NaN and infinities become the strings ``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` (the
    protobuf JSON mapping); :func:`read_table` reads them back.

    Examples
    --------
    >>> to_json_value(np.array([[0.5, np.inf], [np.nan, -np.inf]]))
    [[0.5, 'Infinity'], ['NaN', '-Infinity']]
    """
    if isinstance(values, np.ndarray | np.generic):
        if values.dtype.kind == "f" and np.isfinite(values).all():
            return values.tolist()  # nothing to replace: skip the per-element walk
        data = values.tolist()
    else:
        data = values
    if isinstance(data, float):
        return _json_float(data)
    if isinstance(data, int):
        return data
    return [to_json_value(item) for item in data]
