"""``softmaxlab predict MODEL DATA.csv``: class probabilities from a saved model, as CSV.

The model file (written by ``softmaxlab train --output``) is read without unpickling. When it
records feature names, DATA.csv must have a header with those columns (in any order; other
columns are ignored); otherwise every column is a feature. The stored temperature is applied
unless ``--no-calibration``. ``--top-k K`` writes the K most probable classes per row instead
of every class. Everything is checked before anything is written; ``--output`` is replaced
atomically.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from numpy.typing import NDArray

from ._util import app, fail, option_error

__all__ = ["check_arguments", "predict_table"]


def predict_table(
    model_path: str | os.PathLike[str],
    data_path: str | os.PathLike[str],
    *,
    top_k: int | None = None,
    calibrated: bool = True,
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the output CSV (strings), or ValueError/OSError naming the problem."""
    from ..core import softmax
    from ..models import load_model
    from ._csv import numeric_columns, read_csv

    loaded = load_model(model_path)
    model = loaded.model
    names = loaded.metadata.get("feature_names")
    d = model.coef_.shape[1]
    table = read_csv(data_path, header=True if names is not None else None)
    if names is not None:
        assert table.header is not None
        missing = [n for n in names if n not in table.header]
        if missing:
            shown = ", ".join(repr(m) for m in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise ValueError(
                f"{table.source} lacks the feature column{'s' if len(missing) > 1 else ''} "
                f"{shown}{more} that the model was trained on"
            )
        columns = [table.header.index(n) for n in names]
    else:
        width = len(table.rows[0])
        if width != d:
            raise ValueError(
                f"{table.source} has {width} columns but the model expects {d} features"
            )
        columns = list(range(width))
    X = numeric_columns(table, columns)
    z = X @ model.coef_.T + model.intercept_
    if calibrated and loaded.temperature is not None:
        z = z / loaded.temperature
    proba: NDArray[Any] = softmax(z, axis=1)
    classes = [str(c) for c in model.classes_.tolist()]
    if top_k is None:
        header = [f"p_{c}" for c in classes]
        rows = [[repr(float(v)) for v in row] for row in proba]
        return header, rows
    k = min(top_k, len(classes))
    order = np.argsort(-proba, axis=1, kind="stable")[:, :k]
    header = [h for r in range(1, k + 1) for h in (f"top{r}_class", f"top{r}_p")]
    rows = [
        [cell for j in idx for cell in (classes[j], repr(float(p[j])))]
        for idx, p in zip(order, proba, strict=True)
    ]
    return header, rows


def _write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` atomically (mode kept, symlink followed; see ``models._files``)."""
    from ..models._files import atomic_write

    atomic_write(path, lambda fh: fh.write(text), text=True)


def check_arguments(*, model: Path, data: Path, top_k: int | None, output: Path | None) -> None:
    """Check the options and paths before reading anything: ``--output`` must not name an
    input (it would replace the model or the data), nor a directory, nor a missing one."""
    from ._io import refuse_output_over_inputs

    if top_k is not None and top_k < 1:
        raise option_error("--top-k", "an int >= 1", top_k, command="predict")
    if output is None:
        return
    if output.is_dir():
        fail(f"--output {str(output)!r} is a directory; give a file name")
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        fail(f"--output {str(output)!r}: the directory {str(parent)!r} does not exist")
    refuse_output_over_inputs(output, [model, data], option="--output")


@app.command("predict")
def predict_command(
    model: Annotated[Path, typer.Argument(help="Model file from 'softmaxlab train --output'")],
    data: Annotated[Path, typer.Argument(help="CSV file of features")],
    top_k: Annotated[
        int | None, typer.Option("--top-k", help="Only the K most probable classes per row")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the CSV here (default stdout)")
    ] = None,
    calibration: Annotated[
        bool, typer.Option("--calibration/--no-calibration", help="Apply the stored temperature")
    ] = True,
) -> None:
    """Print (or write) class probabilities for every row of DATA.csv as CSV."""
    check_arguments(model=model, data=data, top_k=top_k, output=output)
    header, rows = predict_table(model, data, top_k=top_k, calibrated=calibration)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    if output is None:
        sys.stdout.write(buf.getvalue())
    else:
        _write_atomic(output, buf.getvalue())
