"""The Segmentation tab's view and HTML, against SciPy and hand-derived values (no browser)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax

from softmaxlab.explorer import _render_attention as ra
from softmaxlab.explorer import _segmentation as sg
from softmaxlab.explorer._i18n import LANGUAGES, t
from softmaxlab.explorer._problems import InputProblem
from softmaxlab.explorer.tabs import segmentation as tab

EPS = np.finfo(np.float64).eps


def view(temperature: float = 1.0, noise: float = 0.12, seed: int = 0, row: int = 9, col: int = 3):
    return sg.segmentation_view(temperature, noise=noise, seed=seed, row=row, col=col)


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.5, 5.0])
@pytest.mark.parametrize("noise", [0.0, 0.12, 0.4])
def test_per_pixel_softmax_against_scipy(temperature: float, noise: float) -> None:
    v = view(temperature, noise)
    scores, probs = np.array(v["scores"]), np.array(v["probs"])
    assert probs.shape == (sg.SIZE, sg.SIZE, 3)
    np.testing.assert_allclose(probs, scipy_softmax(scores / temperature, axis=-1), rtol=1e-13)
    # Every pixel's probabilities sum to 1 (within 3 ulps), and none is negative.
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0, rtol=0, atol=3 * EPS)
    assert np.all(probs >= 0) and v["worst"] <= 3 * EPS
    # The label map is the argmax of the scores (softmax keeps the order).
    np.testing.assert_array_equal(v["labels"], np.argmax(scores, axis=-1))
    assert sum(v["counts"]) == sg.SIZE**2


def test_scores_are_the_documented_linear_function_of_the_colour() -> None:
    v = view(noise=0.0)
    image = np.array(v["image"])
    # By hand, a clean sky pixel (0.40, 0.62, 0.95): sky −2·0.40 + 4·0.95 = 3.0,
    # ground −0.40 + 4·0.62 − 2·0.95 = 0.18, ball 3·0.40 − 0.62 − 2·0.95 = −1.32.
    np.testing.assert_allclose(v["scores"][0][0], [3.0, 0.18, -1.32], rtol=1e-12)
    np.testing.assert_allclose(image[0, 0], [0.40, 0.62, 0.95])
    r, g, b = np.moveaxis(image, -1, 0)
    expected = np.stack([-2 * r + 4 * b, -r + 4 * g - 2 * b, 3 * r - g - 2 * b], axis=-1)
    np.testing.assert_allclose(v["scores"], expected, rtol=1e-12, atol=1e-15)
    # Without noise every pixel is labelled as it was drawn.
    assert v["accuracy"] == 1.0
    np.testing.assert_array_equal(v["labels"], sg.truth())


def test_noise_is_seeded_and_temperature_sharpens() -> None:
    assert view(seed=3)["image"] == view(seed=3)["image"]
    assert view(seed=3)["image"] != view(seed=4)["image"]
    cold, hot = view(0.1), view(5.0)
    assert cold["labels"] == hot["labels"]  # T never changes the argmax
    assert (
        max(cold["pixel"]["probs"]) > max(view(1.0)["pixel"]["probs"]) > max(hot["pixel"]["probs"])
    )


def test_picked_pixel() -> None:
    v = view(row=4, col=11)
    assert (v["row"], v["col"]) == (4, 11)
    assert v["pixel"]["probs"] == v["probs"][4][11]
    assert v["pixel"]["scores"] == v["scores"][4][11]
    assert abs(v["pixel"]["total"] - 1.0) <= 3 * EPS


@pytest.mark.parametrize(
    ("kwargs", "what"),
    [
        ({"temperature": 0.0}, "what.temperature"),
        ({"temperature": None}, "what.temperature"),
        ({"noise": -0.1}, "what.seg_noise"),
        ({"seed": 1.5}, "what.seg_seed"),
        ({"seed": None}, "what.seg_seed"),
        ({"row": 16}, "what.seg_row"),
        ({"col": -1}, "what.seg_col"),
        ({"col": float("nan")}, "what.seg_col"),
    ],
)
def test_bad_entries_are_coded_problems(kwargs: dict, what: str) -> None:
    args = {"temperature": 1.0, "noise": 0.1, "seed": 0, "row": 0, "col": 0, **kwargs}
    temperature = args.pop("temperature")
    with pytest.raises(InputProblem) as info:
        sg.segmentation_view(temperature, **args)
    assert info.value.key == "err.range" and info.value.params["what"] == what
    for lang in LANGUAGES:
        assert t(what, lang) in info.value.message(lang)


def test_output_keeps_the_result_on_a_bad_entry() -> None:
    result, message = tab.segmentation_output(1.0, 0.1, 2.5, 0, 0, "zh-Hant")
    assert not isinstance(result, str) and "sl-error" in message and "種子" in message


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_in_every_language(lang: str) -> None:
    v = view(0.7)
    html = ra.segmentation_html(v, lang)
    labels = [int(x) for x in re.findall(r'data-label="(\d)"', html)]
    assert labels == [label for row in v["labels"] for label in row]
    ps = [float(x) for x in re.findall(r'data-p="([^"]+)"', html)]
    per_class = [p[k] for k in range(3) for row in v["probs"] for p in row]
    assert ps[: len(per_class)] == per_class
    for key in ("seg.class_sky", "seg.class_ground", "seg.class_object", "seg.label_map"):
        assert t(key, lang) in html
    assert "{" not in re.sub(r"<[^>]+>", "", html)
