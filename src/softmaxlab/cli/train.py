"""``softmaxlab train``: fit softmax regression, calibrate it, report and save it.

``softmaxlab train --dataset digits`` or ``softmaxlab train DATA.csv --target COLUMN``
splits the data (train / calibration / test, stratified), standardises the features, fits
:class:`softmaxlab.models.SoftmaxRegression` with a progress bar, fits a
:class:`~softmaxlab.models.TemperatureScaling` on the calibration part, and prints accuracy,
log-loss, Brier score and ECE on the test part before and after temperature scaling, and the
confusion matrix. ``--plots DIR`` writes PNG figures, ``--compare-ovr`` adds the one-vs-rest
comparison, ``--output MODEL`` writes the model file (the standardisation folded into the
coefficients, so the file predicts from raw features). ``--scheduler tcp://host:port`` fits
on a Dask cluster (the loss summed over row chunks on the workers).

The work is done by plain functions (:func:`read_csv`, :func:`load_data`, :func:`train`);
the command only parses options and prints.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from numpy.typing import NDArray

from . import app, fail

__all__ = ["CsvTable", "TrainResult", "load_data", "read_csv", "train"]

DATASETS = ("digits", "iris", "wine")


@dataclass(frozen=True)
class CsvTable:
    """Cells of a CSV file as strings, with the header row (or None) and line numbers."""

    source: str
    header: list[str] | None
    rows: list[list[str]]
    lines: list[int]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
            try:
                value = float(cell)
            except ValueError:
                raise ValueError(
                    f"{table.source} line {table.lines[i]}, column {name}: {cell!r} is not a "
                    "number (features must be numeric)"
                ) from None
            if not math.isfinite(value):
                raise ValueError(
                    f"{table.source} line {table.lines[i]}, column {name}: {cell!r} is not a "
                    "finite number"
                )
            out[i, j] = value
    return out


def _labels(cells: list[str]) -> NDArray[Any]:
    try:
        return np.array([int(c) for c in cells])
    except ValueError:
        return np.array(cells)


def load_data(
    data: str | os.PathLike[str] | None, *, target: str | None, dataset: str | None
) -> tuple[NDArray[np.float64], NDArray[Any], list[str], str]:
    """Features, labels, feature names and a description, from a CSV or a bundled dataset."""
    if (data is None) == (dataset is None):
        raise ValueError("give either DATA.csv with --target COLUMN, or --dataset NAME")
    if dataset is not None:
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}")
        from sklearn import datasets

        bunch = getattr(datasets, f"load_{dataset}")()
        labels = np.asarray(bunch.target_names)[np.asarray(bunch.target)]
        return (
            np.asarray(bunch.data, dtype=np.float64),
            labels,
            [str(n) for n in bunch.feature_names],
            f"scikit-learn's {dataset} dataset",
        )
    assert data is not None
    if target is None:
        raise ValueError("--target COLUMN is required with DATA.csv (the column of labels)")
    table = read_csv(data, header=True)
    assert table.header is not None
    if target not in table.header:
        shown = ", ".join(repr(h) for h in table.header[:10])
        raise ValueError(f"{table.source} has no column {target!r} (columns: {shown})")
    t = table.header.index(target)
    feats = [j for j in range(len(table.header)) if j != t]
    if not feats:
        raise ValueError(f"{table.source} has no feature columns besides {target!r}")
    X = numeric_columns(table, feats)
    y = _labels([row[t] for row in table.rows])
    return X, y, [table.header[j] for j in feats], table.source


@dataclass
class TrainResult:
    """Everything :func:`train` measured, for printing."""

    model: Any  # SoftmaxRegression on raw features
    temperature: float
    classes: list[Any]
    n_train: int
    n_calibration: int
    n_test: int
    metrics: dict[str, tuple[float, float]]  # name -> (before, after) temperature scaling
    confusion: NDArray[np.int64]
    y_test_index: NDArray[np.intp]
    proba_test: NDArray[np.float64]
    proba_test_calibrated: NDArray[np.float64]
    comparison: list[Any] = field(default_factory=list)
    fit_seconds: float = 0.0


def train(
    X: NDArray[np.float64],
    y: NDArray[Any],
    *,
    C: float = 1.0,
    solver: str = "lbfgs",
    max_iter: int = 1000,
    test_size: float = 0.25,
    calibration_size: float = 0.2,
    seed: int = 0,
    verbose: int = 0,
    compare_ovr: bool = False,
    scheduler: str | None = None,
) -> TrainResult:
    """Split, standardise, fit, calibrate and score (see the module docstring)."""
    import time

    from sklearn.metrics import confusion_matrix
    from sklearn.model_selection import train_test_split

    from ..models import (
        SoftmaxRegression,
        TemperatureScaling,
        brier_score,
        compare_ovr_softmax,
        expected_calibration_error,
        log_loss,
    )

    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError("the target column holds a single class; need at least 2")
    stratify = y if counts.min() >= 3 else None
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=stratify
    )
    X_train, X_cal, y_train, y_cal = train_test_split(
        X_rest,
        y_rest,
        test_size=calibration_size,
        random_state=seed,
        stratify=y_rest if stratify is not None else None,
    )
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std[std == 0] = 1.0
    model = SoftmaxRegression(C=C, solver=solver, max_iter=max_iter, verbose=verbose)
    start = time.perf_counter()
    if scheduler is None:
        model.fit((X_train - mean) / std, y_train)
    else:
        # Data-parallel: chunks of rows on the cluster's workers, L-BFGS here.
        import dask.array as da

        from ..models._dask import get_client

        rows = max(1000, -(-len(y_train) // 8))
        client = get_client(scheduler)
        try:
            model.fit(
                da.from_array((X_train - mean) / std, chunks=(rows, -1)), y_train, client=client
            )
        finally:
            client.close()
    seconds = time.perf_counter() - start
    # Fold the standardisation into the coefficients: W (x - m)/s + b = (W/s) x + (b - W m/s).
    raw_coef = model.coef_ / std
    model.intercept_ = model.intercept_ - raw_coef @ mean
    model.coef_ = raw_coef
    cal = TemperatureScaling(model).fit(X_cal, y_cal)
    y_idx = np.searchsorted(model.classes_, y_test)
    p0 = model.predict_proba(X_test)
    p1 = cal.predict_proba(X_test)
    metrics = {}
    for name, f in (
        ("log-loss", log_loss),
        ("Brier score", brier_score),
        ("ECE (15 bins)", expected_calibration_error),
    ):
        metrics[name] = (f(y_idx, p0), f(y_idx, p1))
    acc = float(np.mean(np.argmax(p0, axis=1) == y_idx))
    metrics = {"accuracy": (acc, float(np.mean(np.argmax(p1, axis=1) == y_idx))), **metrics}
    cm = confusion_matrix(y_idx, np.argmax(p0, axis=1), labels=np.arange(len(model.classes_)))
    comparison = []
    if compare_ovr:
        comparison = compare_ovr_softmax(
            (X_train - mean) / std, y_train, (X_test - mean) / std, y_test, C=C, max_iter=max_iter
        )
    return TrainResult(
        model,
        cal.temperature_,
        model.classes_.tolist(),
        len(y_train),
        len(y_cal),
        len(y_test),
        metrics,
        cm,
        y_idx,
        p0,
        p1,
        comparison,
        seconds,
    )


def write_plots(result: TrainResult, directory: Path) -> list[Path]:
    """Reliability diagram, confusion matrix and probability bars of one test sample as PNG."""
    from ..plots import (
        confusion_matrix_figure,
        probability_bars,
        reliability_diagram,
        save_figure,
    )

    directory.mkdir(parents=True, exist_ok=True)
    out = []
    figures = {
        "reliability.png": reliability_diagram(
            result.y_test_index, result.proba_test, y_prob_calibrated=result.proba_test_calibrated
        ),
        "confusion_matrix.png": confusion_matrix_figure(result.confusion, result.classes),
        "probabilities.png": probability_bars(
            result.proba_test_calibrated[0],
            result.classes,
            true_label=result.classes[int(result.y_test_index[0])],
            title="Calibrated probabilities of the first test sample",
        ),
    }
    for name, fig in figures.items():
        save_figure(fig, directory / name)
        out.append(directory / name)
    return out


def render(result: TrainResult, description: str, console: Any) -> None:
    """Print the metrics table, the comparison and the confusion matrix."""
    from rich.table import Table

    console.print(
        f"[bold]{description}[/bold]: {result.n_train} train, {result.n_calibration} "
        f"calibration, {result.n_test} test samples; {len(result.classes)} classes; fit in "
        f"{result.fit_seconds:.2f} s ({result.model.n_iter_} iterations); temperature "
        f"{result.temperature:.4f}"
    )
    table = Table(title="Test metrics")
    table.add_column("metric")
    table.add_column("model", justify="right")
    table.add_column("temperature-scaled", justify="right")
    for name, (before, after) in result.metrics.items():
        table.add_row(name, f"{before:.4f}", f"{after:.4f}")
    console.print(table)
    if result.comparison:
        comp = Table(title="One-vs-rest vs softmax (same split)")
        for col in ("model", "accuracy", "log-loss", "fit time (s)", "parameters"):
            comp.add_column(col, justify="left" if col == "model" else "right")
        for row in result.comparison:
            comp.add_row(
                row.name,
                f"{row.accuracy:.4f}",
                f"{row.log_loss:.4f}",
                f"{row.fit_seconds:.3f}",
                str(row.n_parameters),
            )
        console.print(comp)
    cm = Table(title="Confusion matrix (rows: true, columns: predicted)")
    cm.add_column("")
    for c in result.classes:
        cm.add_column(str(c), justify="right")
    for c, row in zip(result.classes, result.confusion, strict=True):
        cm.add_row(str(c), *(str(int(v)) for v in row))
    console.print(cm)


@app.command("train")
def train_command(
    data: Annotated[
        Path | None, typer.Argument(help="CSV file with a header row", show_default=False)
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Column of DATA.csv holding the labels")
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", help="A bundled dataset instead of DATA: digits, iris, wine"),
    ] = None,
    c: Annotated[float, typer.Option("--C", "-C", help="Inverse regularisation strength")] = 1.0,
    solver: Annotated[str, typer.Option(help="lbfgs, newton-cg, trust-ncg, sgd or adam")] = "lbfgs",
    max_iter: Annotated[int, typer.Option(help="Iterations (epochs for sgd/adam)")] = 1000,
    test_size: Annotated[float, typer.Option(help="Fraction held out for testing")] = 0.25,
    seed: Annotated[int, typer.Option(help="Seed of the splits")] = 0,
    plots: Annotated[Path | None, typer.Option("--plots", help="Directory for PNG figures")] = None,
    compare_ovr: Annotated[
        bool, typer.Option("--compare-ovr", help="Also fit one-vs-rest and compare")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the model file here (.npz)")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Fit on a Dask cluster at this address (tcp://host:port)"),
    ] = None,
) -> None:
    """Fit softmax regression on a CSV file or a bundled dataset, calibrate it and report."""
    from rich.console import Console

    if not 0 < test_size < 1:
        fail(f"--test-size must be in (0, 1); got {test_size}")
    if c <= 0 or math.isnan(c):
        fail(f"--C must be > 0; got {c}")
    if solver not in ("lbfgs", "newton-cg", "trust-ncg", "sgd", "adam"):
        fail(f"--solver must be one of lbfgs, newton-cg, trust-ncg, sgd, adam; got {solver!r}")
    if output is not None and output.is_dir():
        fail(f"--output {str(output)!r} is a directory; give a file name")
    if scheduler is not None and solver != "lbfgs":
        fail(f"--scheduler fits with --solver lbfgs only; got {solver!r}")
    X, y, names, description = load_data(data, target=target, dataset=dataset)
    console = Console()
    result = train(
        X,
        y,
        C=c,
        solver=solver,
        max_iter=max_iter,
        test_size=test_size,
        seed=seed,
        verbose=1,
        compare_ovr=compare_ovr,
        scheduler=scheduler,
    )
    result.model.feature_names_in_ = np.asarray(names, dtype=object)
    render(result, description, console)
    if plots is not None:
        written = write_plots(result, plots)
        console.print("plots: " + ", ".join(str(p) for p in written))
    if output is not None:
        result.model.save(output, temperature=result.temperature)
        console.print(f"model written to {output}")
