"""Plain functions behind the tabs that fit models: Draw a digit, Train & calibrate, and the
one-vs-rest comparison of the Compare tab.

Nothing here imports gradio. Models come from :mod:`softmaxlab.models`
(:class:`~softmaxlab.models.SoftmaxRegression`, :class:`~softmaxlab.models.TemperatureScaling`,
the calibration metrics and :func:`~softmaxlab.models.compare_ovr_softmax`); data are
scikit-learn's bundled digits, iris and wine (no download).

Examples
--------
>>> import numpy as np
>>> canvas = np.zeros((280, 280))
>>> canvas[40:240, 130:150] = 1.0           # a vertical stroke: a "1"
>>> img = digit_from_drawing(canvas)
>>> img.shape, bool(img.min() >= 0), bool(img.max() <= 16)
((8, 8), True, True)
>>> bool(img[:, 3:5].sum() > img[:, :2].sum())
True
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import _datasets
from .._validation import SoftmaxLabError
from ._callbacks import InputProblem
from ._problems import in_range

DATASETS = _datasets.NAMES
SEED = 0
Report = Callable[[float, str], None]


# ---------------------------------------------------------------------------- drawing


def ink_from_image(image: Any) -> NDArray[np.float64]:
    """Ink intensity in [0, 1] of a drawing: dark, opaque pixels are ink.

    Accepts a 2-D ink map (0 = paper; 0..1, or 0..255), an RGB or an RGBA image (a transparent pixel
    is paper), or Gradio's sketchpad value (a dict with a ``"composite"`` image).
    """
    if isinstance(image, dict):
        image = image.get("composite")
    if image is None:
        return np.zeros((0, 0))
    a = np.asarray(image, dtype=np.float64)
    if a.ndim == 2:
        # A 2-D array is an ink map already (0 = paper); values above 1 are taken as 0..255.
        scale = 255.0 if a.max(initial=0.0) > 1.0 else 1.0
        return np.clip(a / scale, 0.0, 1.0)
    if a.ndim != 3 or a.shape[2] not in (3, 4):
        raise InputProblem("err.empty_drawing")
    rgb = a[..., :3] / 255.0
    gray = rgb @ np.array([0.299, 0.587, 0.114])
    alpha = a[..., 3] / 255.0 if a.shape[2] == 4 else np.ones(a.shape[:2])
    return np.clip(alpha * (1.0 - gray), 0.0, 1.0)


def digit_from_drawing(image: Any, *, threshold: float = 0.25) -> NDArray[np.float64]:
    """Turn a drawing into an 8×8 image like scikit-learn's digits (values 0..16).

    As in the UCI optical digits (the source of ``load_digits``): the ink is cropped to its
    bounding box, scaled (aspect ratio kept) so that its longer side fills a 32×32 bitmap,
    centred, thresholded, and each 4×4 block is replaced by its number of ink pixels (0..16).

    Raises
    ------
    InputProblem
        For an empty drawing (no ink).
    """
    from PIL import Image

    ink = ink_from_image(image)
    mask = ink > threshold
    if ink.size == 0 or not mask.any():
        raise InputProblem("err.empty_drawing")
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    side = max(h, w)
    square = np.zeros((side, side))
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = crop
    small = Image.fromarray(square.astype(np.float32)).resize((32, 32), Image.Resampling.BOX)
    bitmap = np.asarray(small, dtype=np.float64) > 0.3
    return bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3)).astype(np.float64)


# ---------------------------------------------------------------------------- digit model


class DigitModel:
    """Softmax regression on scikit-learn's digits, with temperature scaling.

    Trained on 80 % of the digits (scaled to [0, 1]); the temperature is fitted on the other
    20 %. Training runs once, in a background thread started by :func:`start_digit_model`.
    """

    def __init__(self) -> None:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        from ..models import SoftmaxRegression, TemperatureScaling

        X, y = load_digits(return_X_y=True)
        X_fit, X_val, y_fit, y_val = train_test_split(
            X / 16.0, y, test_size=0.2, random_state=SEED, stratify=y
        )
        self.model = SoftmaxRegression(C=1.0, max_iter=300).fit(X_fit, y_fit)
        self.scaler = TemperatureScaling(self.model).fit(X_val, y_val)
        self.temperature = float(self.scaler.temperature_)
        self.val_accuracy = float(self.model.score(X_val, y_val))

    def probabilities(self, image8: NDArray[np.float64], *, calibrated: bool) -> list[float]:
        """The ten class probabilities of an 8×8 image with values 0..16."""
        x = np.asarray(image8, dtype=np.float64).reshape(1, 64) / 16.0
        model = self.scaler if calibrated else self.model
        return [float(p) for p in model.predict_proba(x)[0]]


_digit_model: DigitModel | None = None
_digit_error: BaseException | None = None
_digit_lock = threading.Lock()
_digit_ready = threading.Event()


def _train_digit_model() -> None:
    global _digit_model, _digit_error
    with _digit_lock:
        if _digit_model is None:
            try:
                _digit_model = DigitModel()
            except BaseException as exc:  # reported when the model is asked for
                _digit_error = exc
        _digit_ready.set()


def start_digit_model() -> None:
    """Start training the digit model in a background thread (once per process)."""
    if not _digit_ready.is_set() and not _digit_lock.locked():
        threading.Thread(target=_train_digit_model, name="softmaxlab-digits", daemon=True).start()


def get_digit_model(timeout: float = 120.0) -> DigitModel:
    """The trained digit model, waiting for the background training if needed."""
    if not _digit_ready.is_set():
        start_digit_model()
        if not _digit_ready.wait(timeout):
            raise InputProblem("err.model_training")
    if _digit_model is None:
        raise RuntimeError(f"the digit model could not be trained: {_digit_error!r}")
    return _digit_model


def digit_view(image: Any, *, calibrated: bool) -> dict[str, Any]:
    """The 8×8 image the model sees, the ten probabilities and the top 3.

    Raises
    ------
    InputProblem
        For an empty drawing.
    """
    img = digit_from_drawing(image)
    model = get_digit_model()
    probs = model.probabilities(img, calibrated=calibrated)
    order = sorted(range(10), key=lambda k: (-probs[k], k))
    return {
        "image": img.tolist(),
        "probs": probs,
        "top3": order[:3],
        "calibrated": calibrated,
        "temperature": model.temperature,
    }


# ---------------------------------------------------------------------------- data sets


#: The explorer's split (train / validation / test = 60 / 20 / 20 %) for the workflow.
TEST_SIZE, CALIBRATION_SIZE = 0.2, 0.25


def check_dataset(dataset: Any) -> str:
    """``dataset`` if it names a bundled data set, else the page's message."""
    try:
        return _datasets.check_name(dataset)
    except SoftmaxLabError:
        raise InputProblem("err.dataset", value=dataset, allowed=", ".join(DATASETS)) from None


def _bundled(dataset: str) -> tuple[NDArray[Any], NDArray[Any], list[str]]:
    """Features, integer labels and class names of a bundled data set."""
    data = _datasets.load(check_dataset(dataset))
    return data.X, data.y, data.class_names


def load_split(
    dataset: str, *, seed: int = SEED
) -> tuple[
    NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any], list[str]
]:
    """Standardised train / validation / test split (60 / 20 / 20 %) of a bundled data set.

    The split and the scaling of :func:`softmaxlab.models._workflow.split_data`, the ones
    the Train & calibrate tab and ``softmaxlab train`` use.
    """
    from ..models._workflow import split_data

    X, y, names = _bundled(dataset)
    sp = split_data(X, y, test_size=TEST_SIZE, calibration_size=CALIBRATION_SIZE, seed=seed)
    return (
        sp.standardise(sp.X_train),
        sp.y_train,
        sp.standardise(sp.X_cal),
        sp.y_cal,
        sp.standardise(sp.X_test),
        sp.y_test,
        names,
    )


def _check_c(C: Any) -> float:
    return in_range(C, "C", 1e-4, 1e4, shown=("1e-4", "1e4"))


def _check_iter(max_iter: Any) -> int:
    return int(in_range(max_iter, "max_iter", 1, 5000, whole=True))


# The workflow's stages as (fraction done, name) for the progress display.
_STAGES = {
    "split": (0.05, "data"),
    "fit": (0.15, "fit"),
    "calibrate": (0.75, "calibrate"),
    "score": (0.9, "score"),
}


def _bins_dict(bins: Any) -> dict[str, list[float]]:
    return {
        "edges": bins.edges.tolist(),
        "accuracy": bins.accuracy.tolist(),
        "confidence": bins.confidence.tolist(),
        "counts": bins.counts.tolist(),
    }


def train_view(
    dataset: str, C: float, max_iter: float, *, n_bins: int = 10, report: Report | None = None
) -> dict[str, Any]:
    """Fit softmax regression, calibrate it by temperature scaling and score it.

    Runs :func:`softmaxlab.models.run_training` (the workflow of ``softmaxlab train``) on the
    60 / 20 / 20 % split. Returns the loss curve, train and test accuracy, the test confusion
    matrix, the fitted temperature with ``temperature_warning`` (None, or ``"lower"`` /
    ``"upper"`` when the temperature stopped at an end of ``temperature_range``, e.g. a
    validation set the model classifies perfectly), whether the fit ``converged``, and ECE,
    NLL (finite, from the log-probabilities) and reliability bins on the test set before and
    after scaling.
    """
    from ..models import run_training
    from ..models._workflow import TEMPERATURE_RANGE

    def on_stage(name: str) -> None:
        if report is not None:
            report(*_STAGES[name])

    c_value, iterations = _check_c(C), _check_iter(max_iter)
    X, y, names = _bundled(dataset)
    r = run_training(
        X,
        y,
        C=c_value,
        max_iter=iterations,
        test_size=TEST_SIZE,
        calibration_size=CALIBRATION_SIZE,
        seed=SEED,
        n_bins=n_bins,
        on_stage=on_stage,
    )
    if report is not None:
        report(1.0, "done")
    ece = r.metrics[f"ECE ({n_bins} bins)"]
    return {
        "dataset": dataset,
        "names": names,
        "n_train": r.n_train,
        "n_val": r.n_calibration,
        "n_test": r.n_test,
        "loss_curve": [float(v) for v in r.model.loss_curve_],
        "n_iter": int(r.model.n_iter_),
        "converged": bool(r.converged),
        "train_accuracy": r.train_accuracy,
        "test_accuracy": r.metrics["accuracy"][0],
        "confusion": r.confusion.tolist(),
        "temperature": r.temperature,
        "temperature_warning": r.temperature_warning,
        "temperature_range": list(TEMPERATURE_RANGE),
        "ece_before": float(ece[0]),
        "ece_after": float(ece[1]),
        "nll_before": float(r.metrics["log-loss"][0]),
        "nll_after": float(r.metrics["log-loss"][1]),
        "bins_before": _bins_dict(r.reliability(calibrated=False)),
        "bins_after": _bins_dict(r.reliability(calibrated=True)),
    }


def ovr_view(dataset: str, C: float = 1.0) -> dict[str, Any]:
    """One-vs-rest logistic regression against softmax regression on the same split."""
    from ..models import compare_ovr_softmax

    c_value = _check_c(C)
    X_train, y_train, _, _, X_test, y_test, names = load_split(dataset)
    rows = compare_ovr_softmax(X_train, y_train, X_test, y_test, C=c_value)
    return {
        "dataset": dataset,
        "n_classes": len(names),
        "n_train": len(y_train),
        "n_test": len(y_test),
        "rows": [
            {
                "name": r.name,
                "accuracy": float(r.accuracy),
                "log_loss": float(r.log_loss),
                "fit_seconds": float(r.fit_seconds),
                "n_parameters": int(r.n_parameters),
            }
            for r in rows
        ],
    }
