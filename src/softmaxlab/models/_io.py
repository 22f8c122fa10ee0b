"""Model files of :class:`SoftmaxRegression`: :func:`save_model` and :func:`load_model`.

The format (a ``.npz`` archive of arrays plus JSON metadata, never pickled, every field
checked before a byte of data is read) is :mod:`softmaxlab.models._modelfile`; the
estimator's persistence protocol (``_get_state`` / ``_from_state``) is
:class:`softmaxlab.models._state.ModelState`. This module depends on both and on the
estimator; none of them imports it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from ._modelfile import FORMAT_VERSION, ModelFileError
from ._regression import SoftmaxRegression

__all__ = ["FORMAT_VERSION", "LoadedModel", "ModelFileError", "load_model", "save_model"]


class LoadedModel(NamedTuple):
    """What :func:`load_model` returns."""

    model: SoftmaxRegression
    temperature: float | None
    metadata: dict[str, Any]


def save_model(
    path: str | os.PathLike[str], model: Any, *, temperature: float | None = None
) -> Path:
    """Write a fitted :class:`SoftmaxRegression` (and optionally a temperature) to ``path``.

    Parameters
    ----------
    path : str or path-like
        Written as given (the conventional suffix is ``.npz``).
    model : SoftmaxRegression
        A fitted model.
    temperature : float, optional
        The ``temperature_`` of a :class:`TemperatureScaling` fitted on this model.

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import tempfile, os, numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from softmaxlab.models import SoftmaxRegression, load_model, save_model
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = SoftmaxRegression(max_iter=500).fit(X, y)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = save_model(os.path.join(d, "iris.npz"), clf, temperature=1.5)
    ...     back = load_model(p)
    >>> back.temperature, bool(np.array_equal(back.model.predict_proba(X), clf.predict_proba(X)))
    (1.5, True)
    """
    if not isinstance(model, SoftmaxRegression) or not hasattr(model, "coef_"):
        raise TypeError(
            "The 'model' parameter of save_model must be a fitted SoftmaxRegression. Got "
            f"{type(model).__name__} instead."
        )
    return model.save(path, temperature=temperature)


def load_model(path: str | os.PathLike[str]) -> LoadedModel:
    """Read a model file written by :func:`save_model`, checking everything; never unpickles.

    The metadata is read and checked against the schema first
    (:func:`softmaxlab.models._schema.check_metadata`); then each array's ``.npy`` header is
    checked against the shapes the metadata declares before its data is decompressed; then
    the checksum.

    Returns
    -------
    LoadedModel
        ``(model, temperature, metadata)``: a fitted :class:`SoftmaxRegression`, the stored
        temperature (or None) and the metadata dict.

    Raises
    ------
    ModelFileError
        (a ``ValueError``) naming the file and the problem: missing or unreadable file, not an
        ``.npz`` archive, truncated, other members, newer format version, a metadata field
        outside the schema (its ``parameter`` names the field), wrong shapes or dtypes,
        non-finite coefficients, or contents that do not match their checksum.
    """
    return LoadedModel(*SoftmaxRegression._read(path))
