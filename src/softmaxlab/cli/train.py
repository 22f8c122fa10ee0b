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

The work is done by plain functions: :func:`load_data` (CSV files through
:mod:`softmaxlab.cli._csv`, the one CSV reader), :func:`train` (the shared workflow
:func:`softmaxlab.models.run_training`, which the explorer's train tab runs too) and
:func:`check_arguments` (every option and path, before any data is read: the output must not
name the input, its directory must exist, ``--plots`` must not be a file; the estimator checks
``--C``, ``--solver`` and ``--max-iter`` itself). The command only parses options and prints.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer
from numpy.typing import NDArray

from .._datasets import Name as DatasetName
from .._datasets import load as load_bundled
from ._csv import CsvTable, numeric_columns, read_csv
from ._util import app, fail, option_error

if TYPE_CHECKING:  # the workflow imports scikit-learn: only when a command runs
    from ..models._workflow import TrainResult

__all__ = [
    "CsvTable",
    "check_arguments",
    "load_data",
    "numeric_columns",
    "read_csv",
    "train",
]


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
        bundled = load_bundled(dataset, func="softmaxlab train")
        return bundled.X, bundled.labels, bundled.feature_names, bundled.description
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


def train(X: NDArray[np.float64], y: NDArray[Any], **options: Any) -> TrainResult:
    """Split, standardise, fit, calibrate and score: :func:`softmaxlab.models.run_training`
    (the workflow the explorer's train tab runs too), with the same options and defaults."""
    from ..models import run_training

    return run_training(X, y, **options)


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
    for note in notes(result):
        console.print(f"[yellow]warning:[/yellow] {note}")
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


def notes(result: TrainResult) -> list[str]:
    """Warnings about a training run, one sentence each (empty when all went well)."""
    out = []
    if not result.converged:
        out.append(
            f"the fit stopped at max_iter={result.model.n_iter_} before converging; "
            "raise --max-iter"
        )
    if result.temperature_warning == "lower":
        out.append(
            f"the model classifies all {result.n_calibration} calibration samples correctly, "
            f"so the temperature stopped at its lower bound {result.temperature:g}; it is not "
            "estimated from the data (use more data or a larger calibration part)"
        )
    elif result.temperature_warning == "upper":
        out.append(
            f"the temperature stopped at its upper bound {result.temperature:g}: the "
            "calibration samples show no link between the logits and the classes"
        )
    return out


_OPTIONS = {"C": "--C", "solver": "--solver", "max_iter": "--max-iter"}


def _check_model_options(**params: Any) -> None:
    """The estimator's own checks of --C, --solver and --max-iter (not repeated here), said
    in terms of the options, before any data is read."""
    import re

    from sklearn.utils._param_validation import InvalidParameterError

    from ..models import SoftmaxRegression

    try:
        SoftmaxRegression(**params)._validate_params()
    except InvalidParameterError as exc:
        message = re.sub(
            r"^The '(\w+)' parameter of SoftmaxRegression",
            lambda m: f"The '{_OPTIONS.get(m[1], m[1])}' option of softmaxlab train",
            str(exc),
        )
        fail(message)


def _check_writable_directory(option: str, path: Path, *, create: bool) -> None:
    """Refuse, before training, a directory that cannot be written (or created, with
    ``create``: its first existing ancestor must be a writable directory)."""
    probe = path
    while create and not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if create and not probe.is_dir():
        fail(f"{option} {str(path)!r}: {str(probe)!r} is a file, so the directory cannot be made")
    if not os.access(probe, os.W_OK | os.X_OK):
        fail(f"{option} {str(path)!r}: the directory {str(probe)!r} is not writable")


def check_arguments(
    *,
    data: Path | None,
    output: Path | None,
    plots: Path | None,
    test_size: float,
    C: float,
    solver: str,
    max_iter: int,
    scheduler: str | None,
) -> None:
    """Check every option and path before any data is read or any file written."""
    from ._io import refuse_output_over_inputs

    if not 0 < test_size < 1:
        raise option_error("--test-size", "a number in (0, 1)", test_size, command="train")
    _check_model_options(C=C, solver=solver, max_iter=max_iter)
    if scheduler is not None:
        if solver != "lbfgs":
            fail(f"--scheduler fits with --solver lbfgs only; got {solver!r}")
        from ..models._dask import _ADDRESS_WORDS, parse_address

        try:
            parse_address(scheduler)
        except ValueError:
            raise option_error("--scheduler", _ADDRESS_WORDS, scheduler, command="train") from None
    if plots is not None and plots.exists() and not plots.is_dir():
        fail(f"--plots {str(plots)!r} is a file; give a directory (created if missing)")
    if plots is not None:
        _check_writable_directory("--plots", plots.absolute(), create=True)
    if output is not None:
        if output.is_dir():
            fail(f"--output {str(output)!r} is a directory; give a file name")
        parent = output.parent if str(output.parent) else Path(".")
        if not parent.is_dir():
            fail(f"--output {str(output)!r}: the directory {str(parent)!r} does not exist")
        _check_writable_directory("--output", parent, create=False)
        refuse_output_over_inputs(output, [data], option="--output")
        if plots is not None and plots.resolve() == output.resolve():
            fail(f"--output {str(output)!r} and --plots name the same path")


@app.command("train")
def train_command(
    data: Annotated[
        Path | None, typer.Argument(help="CSV file with a header row", show_default=False)
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Column of DATA.csv holding the labels")
    ] = None,
    dataset: Annotated[
        DatasetName | None,
        typer.Option("--dataset", help="A bundled dataset instead of DATA: digits, iris, wine"),
    ] = None,
    c: Annotated[float, typer.Option("--C", "-C", help="Inverse regularisation strength")] = 1.0,
    solver: Annotated[str, typer.Option(help="lbfgs, newton-cg, trust-ncg, sgd or adam")] = "lbfgs",
    max_iter: Annotated[int, typer.Option(help="Iterations (epochs for sgd/adam)")] = 1000,
    test_size: Annotated[float, typer.Option(help="Fraction held out for testing")] = 0.25,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the splits (an int >= 0)")] = 0,
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

    check_arguments(
        data=data,
        output=output,
        plots=plots,
        test_size=test_size,
        C=c,
        solver=solver,
        max_iter=max_iter,
        scheduler=scheduler,
    )
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


def __getattr__(name: str) -> Any:
    # ``TrainResult`` used to live here; it is the shared workflow's now (imported lazily so
    # that starting the command line does not load scikit-learn).
    if name == "TrainResult":
        from ..models._workflow import TrainResult

        return TrainResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
