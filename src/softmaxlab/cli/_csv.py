"""The one reader of CSV data files (``softmaxlab train`` and ``softmaxlab predict``).

Cells are read as strings (labels may be words), blank lines are skipped, and a header is
recognised with the same rule and the same number syntax as the number readers of
:mod:`softmaxlab.cli._io` (:func:`~softmaxlab.cli._io.parse_number`): the first row is a
header when none of its cells is a number. :func:`numeric_columns` turns chosen columns into
finite floats, naming the line and the column of a bad cell.

Examples
--------
>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     path = os.path.join(d, "d.csv")
...     with open(path, "w") as fh:
...         _ = fh.write("x,label\\n1.5,cat\\n\\n-2,dog\\n")
...     table = read_csv(path)
>>> table.header, table.rows, table.lines
(['x', 'label'], [['1.5', 'cat'], ['-2', 'dog']], [2, 4])
>>> numeric_columns(table, [0]).ravel().tolist()
[1.5, -2.0]
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._io import _is_number, parse_number

__all__ = ["CsvTable", "numeric_columns", "read_csv"]


@dataclass(frozen=True)
class CsvTable:
    """Cells of a CSV file as strings, with the header row (or None) and line numbers."""

    source: str
    header: list[str] | None
    rows: list[list[str]]
    lines: list[int]


def read_csv(path: str | os.PathLike[str], *, header: bool | None = None) -> CsvTable:
    """Read a CSV file into strings; blank lines are skipped.

    ``header=None`` detects a header: the first row is one when none of its cells is a number.

    Raises
    ------
    OSError
        The file cannot be opened (the message names it).
    ValueError
        Not UTF-8 text, no rows, or rows of different lengths (naming the line).
    """
    source = repr(os.fspath(path))
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            raw = [(n, row) for n, row in enumerate(csv.reader(fh), start=1)]
    except UnicodeDecodeError:
        raise ValueError(f"{source} is not UTF-8 text; expected a CSV file") from None
    except csv.Error as exc:
        raise ValueError(f"{source} is not a readable CSV file: {exc}") from None
    except OSError as exc:
        raise type(exc)(f"cannot read {source}: {exc.strerror or exc}") from None
    raw = [(n, [c.strip() for c in row]) for n, row in raw if any(c.strip() for c in row)]
    if not raw:
        raise ValueError(f"{source} is empty: no rows to read")
    names: list[str] | None = None
    if header or (header is None and not any(_is_number(c) for c in raw[0][1])):
        names = raw[0][1]
        raw = raw[1:]
        if not raw:
            raise ValueError(f"{source} has a header but no data rows")
    width = len(names) if names is not None else len(raw[0][1])
    for n, row in raw:
        if len(row) != width:
            raise ValueError(
                f"{source} line {n}: {len(row)} values, but the "
                f"{'header' if names is not None else 'first row'} has {width}"
            )
    return CsvTable(source, names, [r for _, r in raw], [n for n, _ in raw])


def numeric_columns(table: CsvTable, columns: list[int]) -> NDArray[np.float64]:
    """The given columns as finite floats; a bad cell raises ValueError naming line and column."""
    out = np.empty((len(table.rows), len(columns)), dtype=np.float64)
    for j, c in enumerate(columns):
        name = repr(table.header[c]) if table.header is not None else str(c + 1)
        for i, row in enumerate(table.rows):
            cell = row[c]
            where = f"{table.source} line {table.lines[i]}, column {name}"
            try:
                value = parse_number(cell)
            except ValueError:
                raise ValueError(
                    f"{where}: {cell!r} is not a number (features must be numeric)"
                ) from None
            if not math.isfinite(value):
                raise ValueError(f"{where}: {cell!r} is not a finite number")
            out[i, j] = value
    return out
