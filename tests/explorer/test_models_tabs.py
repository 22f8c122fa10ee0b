"""Draw a digit, Train & calibrate and one-vs-rest: the plain functions, without a browser."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sklearn  # noqa: F401  (the [test] extra installs it)

from softmaxlab.explorer import _models as md
from softmaxlab.explorer import _render as rd
from softmaxlab.explorer._callbacks import InputProblem


def upscale_to_canvas(
    img8: np.ndarray, *, scale: int = 30, offset: tuple[int, int] = (30, 30)
) -> np.ndarray:
    """An 8×8 digit (0..16) drawn as black ink on a transparent RGBA canvas."""
    big = np.kron(img8 / 16.0, np.ones((scale, scale)))
    canvas = np.zeros((360, 360, 4), dtype=np.uint8)
    r, c = offset
    canvas[r : r + big.shape[0], c : c + big.shape[1], 3] = np.round(255 * big).astype(np.uint8)
    return canvas


def test_vertical_stroke_becomes_a_centred_column() -> None:
    canvas = np.zeros((280, 280, 4), dtype=np.uint8)
    canvas[40:240, 50:70] = (0, 0, 0, 255)  # drawn off-centre, to the left
    img = md.digit_from_drawing(canvas)
    assert img.shape == (8, 8)
    assert img.min() >= 0 and 0 < img.max() <= 16  # counts of ink pixels per 4×4 block
    assert np.all(img == np.round(img))
    columns = img.sum(axis=0)
    assert columns[3] + columns[4] == columns.sum()  # centred in the middle two columns
    assert np.all(img[:, 3:5].sum(axis=1) > 0)  # full height


def test_position_and_size_of_the_drawing_do_not_matter() -> None:
    canvas = np.zeros((280, 280, 4), dtype=np.uint8)
    canvas[40:240, 100:180] = (0, 0, 0, 255)
    small = np.zeros((280, 280, 4), dtype=np.uint8)
    small[10:60, 200:220] = (0, 0, 0, 255)  # the same 5:2 box, smaller and elsewhere
    np.testing.assert_array_equal(md.digit_from_drawing(canvas), md.digit_from_drawing(small))


def test_white_paper_and_transparent_paper_agree() -> None:
    transparent = np.zeros((100, 100, 4), dtype=np.uint8)
    transparent[20:80, 45:55] = (0, 0, 0, 255)
    white = np.full((100, 100, 4), 255, dtype=np.uint8)
    white[20:80, 45:55] = (0, 0, 0, 255)
    np.testing.assert_array_equal(md.digit_from_drawing(transparent), md.digit_from_drawing(white))
    np.testing.assert_array_equal(
        md.digit_from_drawing({"composite": white, "layers": [], "background": None}),
        md.digit_from_drawing(white[..., :3]),
    )


@pytest.mark.parametrize(
    "drawing",
    [
        np.zeros((280, 280, 4), dtype=np.uint8),
        np.full((280, 280, 4), 255, dtype=np.uint8),
        None,
        {"composite": None, "layers": [], "background": None},
    ],
)
def test_empty_drawing_is_a_clear_problem(drawing: object) -> None:
    with pytest.raises(InputProblem) as info:
        md.digit_from_drawing(drawing)
    assert info.value.key == "err.empty_drawing"
    assert "empty" in info.value.message("en")


@pytest.mark.slow
def test_bundled_digits_redrawn_are_recognised() -> None:
    """Digits drawn back through the sketch pipeline keep most of the model's accuracy."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    model = md.get_digit_model()
    assert model.val_accuracy > 0.93
    idx = range(1, 1797, 15)
    hits = 0
    for i in idx:
        view = md.digit_view(upscale_to_canvas(digits.images[i]), calibrated=False)
        assert math.fsum(view["probs"]) == pytest.approx(1.0, abs=1e-12)
        assert view["top3"][0] == int(np.argmax(view["probs"]))
        hits += view["top3"][0] == digits.target[i]
    assert hits / len(idx) > 0.8
    # Temperature scaling changes the probabilities, never the winner.
    sample = upscale_to_canvas(digits.images[5])
    raw = md.digit_view(sample, calibrated=False)
    cal = md.digit_view(sample, calibrated=True)
    assert raw["top3"][0] == cal["top3"][0]
    assert raw["probs"] != cal["probs"]
    assert "8×8" in rd.digit_html(cal, "en") and "已应用" in rd.digit_html(cal, "zh-Hans")


def test_train_view_on_iris() -> None:
    steps: list[tuple[float, str]] = []
    view = md.train_view("iris", 1.0, 200, report=lambda f, what: steps.append((f, what)))
    assert [w for _, w in steps] == ["data", "fit", "calibrate", "score", "done"]
    assert [f for f, _ in steps] == sorted(f for f, _ in steps)
    assert view["n_train"] + view["n_val"] + view["n_test"] == 150
    assert view["n_test"] == 30
    confusion = np.array(view["confusion"])
    assert confusion.sum() == 30
    assert np.trace(confusion) / 30 == pytest.approx(view["test_accuracy"])
    assert view["test_accuracy"] > 0.85
    assert view["loss_curve"][-1] <= view["loss_curve"][0]
    assert view["temperature"] > 0
    assert sum(view["bins_before"]["counts"]) == 30
    html = rd.train_html(view, "zh-Hant")
    assert "混淆矩陣" in html and "<svg" in html


@pytest.mark.parametrize("dataset", ["iris", "wine"])
def test_train_view_calibration_is_honest_on_separable_validation_sets(dataset: str) -> None:
    # Issue 14: with the tab's defaults (C = 1, 200 iterations) these validation sets are
    # classified perfectly; the temperature ran to 4.5e-5 and the test log-loss to inf.
    from scipy.special import log_softmax as scipy_log_softmax
    from sklearn import datasets
    from sklearn.model_selection import train_test_split

    view = md.train_view(dataset, 1.0, 200)
    assert view["temperature"] == 0.05 == view["temperature_range"][0]
    assert view["temperature_warning"] == "lower"
    assert view["converged"] is True
    assert np.isfinite(view["nll_before"]) and np.isfinite(view["nll_after"])
    # The NLL after scaling recomputed with SciPy: the documented split and scaling written
    # out by hand, a model refitted on them, and the view's temperature.
    X, y = getattr(datasets, f"load_{dataset}")(return_X_y=True)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=0.2, random_state=0, stratify=y
    )
    X_train, _, y_train, _ = train_test_split(
        X_rest, y_rest, test_size=0.25, random_state=0, stratify=y_rest
    )
    from softmaxlab.models import SoftmaxRegression

    m, s = X_train.mean(axis=0), X_train.std(axis=0)
    model = SoftmaxRegression(C=1.0, max_iter=200).fit((X_train - m) / s, y_train)
    z = model.decision_function((X_test - m) / s)
    logp = scipy_log_softmax(z / view["temperature"], axis=1)
    expected = -np.mean(logp[np.arange(len(y_test)), y_test])
    assert view["nll_after"] == pytest.approx(expected, rel=1e-6, abs=1e-12)


@pytest.mark.parametrize(
    ("dataset", "C", "max_iter", "key"),
    [
        ("mnist", 1.0, 100, "err.dataset"),
        ("iris", 0.0, 100, "err.range"),
        ("iris", 1.0, 0.5, "err.range"),
    ],
)
def test_train_view_rejects_bad_settings(dataset: str, C: float, max_iter: float, key: str) -> None:
    with pytest.raises(InputProblem) as info:
        md.train_view(dataset, C, max_iter)
    assert info.value.key == key


def test_ovr_view_on_iris() -> None:
    view = md.ovr_view("iris")
    names = [r["name"] for r in view["rows"]]
    assert names == ["one-vs-rest", "softmax"]
    for row in view["rows"]:
        assert 0.8 < row["accuracy"] <= 1.0
        assert row["log_loss"] > 0 and row["n_parameters"] == 3 * 4 + 3
    assert "one-vs-rest" in rd.ovr_html(view, "en")
