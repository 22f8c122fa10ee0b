"""The train workflow shared by ``softmaxlab train`` and the explorer's Train & calibrate tab.

split → standardise → fit → calibrate → score, as plain functions with no printing and no
Gradio, returning a :class:`TrainResult`. One behaviour for both faces:

* **Split**: a test part (``test_size`` of all samples) and then a calibration part
  (``calibration_size`` of the rest), both stratified by class when every class has at least
  3 samples, with scikit-learn's ``train_test_split`` and the seed ``seed``. The CLI uses
  25 % / 20 % (its ``--test-size``), the explorer 20 % / 25 % (60 / 20 / 20).
* **Scaling**: each feature is standardised with the mean and standard deviation of the
  training part only (a constant feature is left unscaled); after the fit the standardisation
  is folded into the coefficients, so the returned model predicts from raw features:
  :math:`W (x - m)/s + b = (W/s)\\,x + (b - W m / s)`.
* **Calibration**: one temperature fitted on the calibration part by
  :class:`TemperatureScaling` within :data:`TEMPERATURE_RANGE` = [0.05, 20]. A calibration
  set that the model classifies perfectly has no finite optimum (the likelihood grows as
  :math:`T \\to 0`): the temperature then stops at 0.05 and ``temperature_warning`` says so
  (``"lower"``); ``"upper"`` means the calibration logits carry no usable information.
* **Scores** on the test part, before and after calibration: accuracy, log-loss (from the
  log-probabilities, so always finite), Brier score and ECE with ``n_bins`` bins; the
  confusion matrix of the uncalibrated predictions (rows: true class, columns: predicted,
  the classes in the order of ``model.classes_``), which the temperature never changes.

Examples
--------
>>> from sklearn.datasets import load_iris
>>> from softmaxlab.models import run_training
>>> X, y = load_iris(return_X_y=True)
>>> r = run_training(X, y, test_size=0.2, calibration_size=0.25, max_iter=200)
>>> r.n_train, r.n_calibration, r.n_test
(90, 30, 30)
>>> r.temperature, r.temperature_warning          # 30 samples, all classified correctly
(0.05, 'lower')
>>> bool(r.metrics["log-loss"][1] < float("inf"))
True
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._calibration import TemperatureScaling
from ._compare import compare_ovr_softmax
from ._metrics import brier_score, expected_calibration_error, reliability_bins
from ._regression import SoftmaxRegression

__all__ = [
    "TEMPERATURE_RANGE",
    "Split",
    "TrainResult",
    "check_every_class_trains",
    "fit_standardised",
    "run_training",
    "split_data",
]

#: The temperatures calibration may choose (see the module docstring).
TEMPERATURE_RANGE = (0.05, 20.0)

#: The stages reported to ``on_stage``, in order.
STAGES = ("split", "fit", "calibrate", "score")


@dataclass(frozen=True)
class Split:
    """Train, calibration and test parts, with the training part's mean and scale."""

    X_train: NDArray[Any]
    y_train: NDArray[Any]
    X_cal: NDArray[Any]
    y_cal: NDArray[Any]
    X_test: NDArray[Any]
    y_test: NDArray[Any]
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]

    def standardise(self, X: NDArray[Any]) -> NDArray[np.float64]:
        """``(X - mean) / scale`` with the training part's statistics."""
        return (np.asarray(X, dtype=np.float64) - self.mean) / self.scale


@dataclass
class TrainResult:
    """What :func:`run_training` measured."""

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
    # Fields after the ones of the former ``softmaxlab.cli.train.TrainResult``:
    temperature_warning: str | None = None  # None, "lower" or "upper" (module docstring)
    train_accuracy: float = float("nan")
    converged: bool = True
    n_bins: int = 15

    def reliability(self, calibrated: bool) -> Any:
        """Reliability bins (``n_bins``) of the test probabilities before or after scaling."""
        p = self.proba_test_calibrated if calibrated else self.proba_test
        return reliability_bins(self.y_test_index, p, n_bins=self.n_bins)


def check_every_class_trains(y: NDArray[Any], split: Split, test_size: float) -> None:
    """Refuse a split whose training part lacks a class of ``y`` (before anything is fitted):
    the model could never predict it, and the calibration and test scores would be undefined.
    """
    classes, counts = np.unique(y, return_counts=True)
    y_train = split.y_train
    missing = np.setdiff1d(classes, np.unique(y_train))
    if len(missing):
        label = missing[0].item() if isinstance(missing[0], np.generic) else missing[0]
        n = int(counts[np.searchsorted(classes, missing[0])])
        raise ValueError(
            f"class {label!r} has {n} sample{'s' if n != 1 else ''} and the split (test size "
            f"{test_size:g}) leaves none of them for training; give every class at least 3 "
            "samples (one each for training, calibration and testing) or a smaller test size"
        )


def split_data(
    X: NDArray[Any],
    y: NDArray[Any],
    *,
    test_size: float = 0.25,
    calibration_size: float = 0.2,
    seed: int = 0,
) -> Split:
    """Stratified train / calibration / test parts and the training statistics.

    Raises ValueError for a single class. A class with fewer than 3 samples may end up
    without training samples; :func:`run_training` refuses that split with
    :func:`check_every_class_trains` before fitting.
    """
    from sklearn.model_selection import train_test_split

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
    mean = np.asarray(X_train, dtype=np.float64).mean(axis=0)
    scale = np.asarray(X_train, dtype=np.float64).std(axis=0)
    scale[scale == 0] = 1.0
    return Split(X_train, y_train, X_cal, y_cal, X_test, y_test, mean, scale)


def fit_standardised(
    split: Split,
    *,
    C: float = 1.0,
    solver: str = "lbfgs",
    max_iter: int = 1000,
    verbose: int = 0,
    scheduler: str | None = None,
) -> SoftmaxRegression:
    """Fit on the standardised training part, then fold the scaling into the coefficients.

    ``scheduler`` (a Dask scheduler address) fits data-parallel on that cluster.
    """
    model = SoftmaxRegression(C=C, solver=solver, max_iter=max_iter, verbose=verbose)
    Xs = split.standardise(split.X_train)
    if scheduler is None:
        model.fit(Xs, split.y_train)
    else:
        import dask.array as da

        from ._dask import get_client

        rows = max(1000, -(-len(split.y_train) // 8))
        client = get_client(scheduler)
        try:
            model.fit(da.from_array(Xs, chunks=(rows, -1)), split.y_train, client=client)
        finally:
            client.close()
    raw_coef = model.coef_ / split.scale
    model.intercept_ = model.intercept_ - raw_coef @ split.mean
    model.coef_ = raw_coef
    return model


def _nll(log_proba: NDArray[Any], y_index: NDArray[np.intp]) -> float:
    """Mean negative log-likelihood from log-probabilities (finite for finite logits)."""
    return float(-np.mean(log_proba[np.arange(len(y_index)), y_index]))


def _scores(
    y_index: NDArray[np.intp],
    before: tuple[NDArray[Any], NDArray[Any]],
    after: tuple[NDArray[Any], NDArray[Any]],
    n_bins: int,
) -> dict[str, tuple[float, float]]:
    """Accuracy, log-loss, Brier score and ECE of two (probabilities, log-probabilities)."""
    measures: dict[str, Callable[[NDArray[Any], NDArray[Any]], float]] = {
        "accuracy": lambda p, lp: float(np.mean(np.argmax(p, axis=1) == y_index)),
        "log-loss": lambda p, lp: _nll(lp, y_index),
        "Brier score": lambda p, lp: brier_score(y_index, p),
        f"ECE ({n_bins} bins)": lambda p, lp: expected_calibration_error(y_index, p, n_bins=n_bins),
    }
    return {name: (f(*before), f(*after)) for name, f in measures.items()}


def run_training(
    X: NDArray[Any],
    y: NDArray[Any],
    *,
    C: float = 1.0,
    solver: str = "lbfgs",
    max_iter: int = 1000,
    test_size: float = 0.25,
    calibration_size: float = 0.2,
    seed: int = 0,
    n_bins: int = 15,
    verbose: int = 0,
    compare_ovr: bool = False,
    scheduler: str | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> TrainResult:
    """Split, standardise, fit, calibrate and score (see the module docstring).

    ``on_stage(name)`` is called as each of :data:`STAGES` begins (for a progress display).
    """

    def stage(name: str) -> None:
        if on_stage is not None:
            on_stage(name)

    stage("split")
    split = split_data(X, y, test_size=test_size, calibration_size=calibration_size, seed=seed)
    check_every_class_trains(np.asarray(y), split, test_size)
    stage("fit")
    start = time.perf_counter()
    model = fit_standardised(
        split, C=C, solver=solver, max_iter=max_iter, verbose=verbose, scheduler=scheduler
    )
    seconds = time.perf_counter() - start
    stage("calibrate")
    cal = TemperatureScaling(model, temperature_range=TEMPERATURE_RANGE)
    cal.fit(split.X_cal, split.y_cal)
    stage("score")
    y_idx = np.searchsorted(model.classes_, split.y_test)
    before = (model.predict_proba(split.X_test), model.predict_log_proba(split.X_test))
    after = (cal.predict_proba(split.X_test), cal.predict_log_proba(split.X_test))
    k = len(model.classes_)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (y_idx, np.argmax(before[0], axis=1)), 1)
    comparison = []
    if compare_ovr:
        comparison = compare_ovr_softmax(
            split.standardise(split.X_train),
            split.y_train,
            split.standardise(split.X_test),
            split.y_test,
            C=C,
            max_iter=max_iter,
        )
    return TrainResult(
        model=model,
        temperature=float(cal.temperature_),
        temperature_warning=cal.at_bound_,
        classes=model.classes_.tolist(),
        n_train=len(split.y_train),
        n_calibration=len(split.y_cal),
        n_test=len(split.y_test),
        metrics=_scores(y_idx, before, after, n_bins),
        confusion=confusion,
        y_test_index=y_idx,
        proba_test=before[0],
        proba_test_calibrated=after[0],
        comparison=comparison,
        fit_seconds=seconds,
        train_accuracy=float(model.score(split.X_train, split.y_train)),
        converged=int(model.n_iter_) < max_iter,
        n_bins=n_bins,
    )
