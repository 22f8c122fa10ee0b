"""The Segmentation tab's data: a generated image, per-pixel class scores and their softmax.

The image (:func:`make_image`) is :data:`SIZE` × :data:`SIZE` RGB pixels in [0, 1]: sky
above the horizon (row :data:`HORIZON`), ground below it and an orange ball standing on the
horizon, plus Gaussian noise of a chosen standard deviation from a seeded NumPy
``Generator``. Each pixel's class scores are a fixed linear function of its colour
(:data:`WEIGHTS`, hand-made: the sky score rewards blue, the ground score green, the object
score red)

.. math::

    s_{hw} = W^\\top x_{hw} + b, \\qquad p_{hw} = \\operatorname{softmax}(s_{hw} / T)

and the per-pixel softmax over the class axis is :func:`softmaxlab.softmax` on the
(H, W, C) array with ``axis=-1``; the label map is its argmax.

Examples
--------
>>> view = segmentation_view(1.0, noise=0.08, seed=0, row=2, col=3)
>>> view["classes"], len(view["probs"]), len(view["probs"][0]), len(view["probs"][0][0])
(['sky', 'ground', 'object'], 16, 16, 3)
>>> view["labels"][0][0], view["labels"][-1][0], view["labels"][HORIZON - 1][BALL[1]]
(0, 1, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import reports
from ..core import softmax
from ._problems import in_range

__all__ = [
    "CLASSES",
    "SIZE",
    "WEIGHTS",
    "class_scores",
    "make_image",
    "segmentation_view",
]

SIZE = 16
HORIZON = 10
"""First row of the ground."""
BALL = (8, 7, 3.2)
"""Centre row, centre column and radius of the ball."""
CLASSES = ["sky", "ground", "object"]
COLOURS = {"sky": (0.40, 0.62, 0.95), "ground": (0.36, 0.56, 0.22), "object": (0.92, 0.48, 0.12)}
WEIGHTS = np.array(
    [
        # sky  ground  object
        [-2.0, -1.0, 3.0],  # red
        [0.0, 4.0, -1.0],  # green
        [4.0, -2.0, -2.0],  # blue
    ]
)
"""Colour → class score weights (rows: red, green, blue; columns: sky, ground, object)."""
BIAS = np.array([0.0, 0.0, 0.0])
T_RANGE = (0.1, 5.0)
NOISE_RANGE = (0.0, 0.4)


def make_image(noise: float, seed: int) -> np.ndarray:
    """The (SIZE, SIZE, 3) test image with Gaussian noise of standard deviation ``noise``.

    Returns the image and is the same for the same ``noise`` and ``seed``; values are
    clipped to [0, 1].
    """
    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    image = np.empty((SIZE, SIZE, 3))
    image[...] = COLOURS["sky"]
    image[rows >= HORIZON] = COLOURS["ground"]
    r0, c0, radius = BALL
    image[(rows - r0) ** 2 + (cols - c0) ** 2 <= radius**2] = COLOURS["object"]
    rng = np.random.default_rng(seed)
    return np.clip(image + noise * rng.standard_normal(image.shape), 0.0, 1.0)


def truth() -> np.ndarray:
    """The (SIZE, SIZE) class each pixel of :func:`make_image` was drawn as (0, 1, 2)."""
    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    labels = np.where(rows >= HORIZON, 1, 0)
    r0, c0, radius = BALL
    labels[(rows - r0) ** 2 + (cols - c0) ** 2 <= radius**2] = 2
    return labels


def class_scores(image: np.ndarray) -> np.ndarray:
    """The (H, W, C) class scores ``image @ WEIGHTS + BIAS`` of an (H, W, 3) colour image."""
    return np.asarray(image @ WEIGHTS + BIAS, dtype=np.float64)


def _checked(value: float | None, bounds: tuple[float, float], what: str) -> float:
    return in_range(value, what, *bounds)


def _pixel(value: float | None, what: str) -> int:
    return int(in_range(value, what, 0, SIZE - 1, whole=True))


def segmentation_view(
    temperature: float | None,
    *,
    noise: float | None,
    seed: float | None,
    row: float | None,
    col: float | None,
) -> dict[str, Any]:
    """Everything the Segmentation tab shows at ``temperature`` for the pixel (``row``, ``col``).

    Returns a dict with ``classes``, ``image`` (H × W × 3 lists), ``scores`` and ``probs``
    (H × W × C), ``labels`` (H × W argmax), ``counts`` (pixels per label), ``accuracy``
    (share of pixels labelled as drawn), ``worst`` (largest |Σp − 1| over the pixels,
    :func:`softmaxlab.reports.sum_check`), ``temperature``, ``row``, ``col`` and ``pixel``
    (its ``scores``, ``probs`` and exactly rounded ``total``).

    Raises
    ------
    InputProblem
        A temperature, noise level, seed or pixel position outside its range.
    """
    temp = _checked(temperature, T_RANGE, "what.temperature")
    sigma = _checked(noise, NOISE_RANGE, "what.seg_noise")
    seed_value = _pixel_seed(seed)
    r, c = _pixel(row, "what.seg_row"), _pixel(col, "what.seg_col")
    image = make_image(sigma, seed_value)
    scores = class_scores(image)
    probs = softmax(scores, axis=-1, temperature=temp)
    labels = np.argmax(probs, axis=-1)
    check = reports.sum_check(probs)
    return {
        "classes": list(CLASSES),
        "image": image.tolist(),
        "scores": scores.tolist(),
        "probs": probs.tolist(),
        "labels": labels.tolist(),
        "counts": [int(np.count_nonzero(labels == k)) for k in range(len(CLASSES))],
        "accuracy": float(np.mean(labels == truth())),
        "worst": float(np.max(check.abs_errors)),
        "temperature": temp,
        "row": r,
        "col": c,
        "pixel": {
            "scores": scores[r, c].tolist(),
            "probs": probs[r, c].tolist(),
            "total": float(check.sums[r, c]),
        },
    }


def _pixel_seed(seed: float | None) -> int:
    return int(in_range(seed, "what.seg_seed", 0, 9999, whole=True))
