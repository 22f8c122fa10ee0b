"""The data sets that ship inside scikit-learn: the one place that names and loads them.

``softmaxlab train --dataset``, the explorer's Train & calibrate and Compare tabs and its
one-vs-rest lesson all read their data here. Nothing is downloaded: digits, iris and wine
are files inside the scikit-learn package. This module imports NumPy only; scikit-learn is
imported when a data set is first loaded, so that the command line and the explorer's page
can list the names without loading it.

Examples
--------
>>> NAMES
('digits', 'iris', 'wine')
>>> iris = load("iris")
>>> iris.X.shape, iris.class_names
((150, 4), ['setosa', 'versicolor', 'virginica'])
>>> str(iris.labels[0]), iris.description
('setosa', "scikit-learn's iris dataset")
>>> try:
...     load("mnist")
... except ValueError as err:
...     print(err)
The 'dataset' parameter must be one of 'digits', 'iris', 'wine'. Got 'mnist' instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from ._validation import param_error

__all__ = ["NAMES", "Bundled", "Name", "check_name", "load"]

Name = Literal["digits", "iris", "wine"]
"""A bundled data set's name, as a type (``softmaxlab train --dataset`` takes it as a choice)."""

NAMES: tuple[str, ...] = get_args(Name)
"""The bundled data sets, in the order the explorer lists them."""

_ALLOWED = "one of " + ", ".join(repr(n) for n in NAMES)


@dataclass(frozen=True)
class Bundled:
    """A bundled data set: features, integer class codes and the names of both.

    Attributes
    ----------
    name : str
        One of :data:`NAMES`.
    X : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,), int
        Class codes ``0 … K−1``.
    target_names : ndarray of shape (n_classes,)
        Each class code's label as scikit-learn gives it (strings; ints for digits).
    feature_names : list of str
    """

    name: str
    X: NDArray[np.float64]
    y: NDArray[np.intp]
    target_names: NDArray[Any]
    feature_names: list[str]

    @property
    def class_names(self) -> list[str]:
        """Each class code's label as text (what the explorer shows)."""
        return [str(n) for n in self.target_names]

    @property
    def labels(self) -> NDArray[Any]:
        """Each sample's label (what ``softmaxlab train`` fits and reports)."""
        return self.target_names[self.y]

    @property
    def description(self) -> str:
        """Where the data come from, in words."""
        return f"scikit-learn's {self.name} dataset"


def check_name(name: Any, *, func: str | None = None) -> str:
    """``name`` if it is one of :data:`NAMES`.

    Raises
    ------
    SoftmaxLabError
        With ``parameter='dataset'``, the names allowed and the value received.
    """
    if not isinstance(name, str) or name not in NAMES:
        raise param_error("dataset", _ALLOWED, name, func=func)
    return name


def load(name: Any, *, func: str | None = None) -> Bundled:
    """Load the bundled data set ``name`` (a fresh copy each call, so callers may modify it).

    Raises
    ------
    SoftmaxLabError
        When ``name`` is not one of :data:`NAMES` (see :func:`check_name`).
    """
    checked = check_name(name, func=func)
    from sklearn import datasets

    bunch = getattr(datasets, f"load_{checked}")()
    y = np.asarray(bunch.target, dtype=np.intp)
    return Bundled(
        name=checked,
        X=np.asarray(bunch.data, dtype=np.float64),
        y=y,
        target_names=np.asarray(bunch.target_names),
        feature_names=[str(n) for n in bunch.feature_names],
    )
