"""The fitted state of :class:`SoftmaxRegression`: checked as one unit, never half-updated.

* :func:`encode_classes` / :func:`encode_known`: labels to class indices, with the errors
  ``fit`` and ``partial_fit`` give (checked before any fitted attribute changes).
* :func:`check_classes_argument`: the ``classes`` of a first ``partial_fit`` call.
* :func:`keep_state_on_failure`: a context manager around ``fit`` / ``partial_fit``; if the
  call raises (bad input, a failing solver, Ctrl-C), every fitted attribute (``classes_``,
  ``coef_``, ``n_features_in_``, the optimiser state...) is put back as it was before the
  call, so an estimator is always either unfitted or consistently fitted.
* :func:`check_state`: the consistency of a fitted state (shapes agree, values finite), used
  by ``save`` so that a model file is never written from an inconsistent estimator.
* :class:`ModelState`: the persistence protocol (``_get_state`` / ``_from_state``) and the
  ``save`` / ``load`` methods, over the estimator-agnostic format of :mod:`._modelfile`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from .._validation import param_error, shown
from ._modelfile import file_error, read_model, write_model

__all__ = [
    "ModelState",
    "check_classes_argument",
    "check_state",
    "encode_classes",
    "encode_known",
    "keep_state_on_failure",
]


def encode_classes(y: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.intp]]:
    """Sorted class labels and ``y`` as indices into them; at least two classes are needed."""
    classes, y_enc = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(
            "SoftmaxRegression needs samples of at least 2 classes in the data, but the "
            f"data contains only one class: {classes[0]!r}"
        )
    return classes, y_enc


def check_classes_argument(classes: Any) -> NDArray[Any]:
    """The ``classes`` of a first ``partial_fit`` call: at least 2 distinct labels, 1-D."""
    try:
        arr = np.asarray(classes)
    except (ValueError, TypeError):
        arr = None
    if arr is None or arr.ndim != 1 or arr.dtype.kind not in "biufUSO":
        raise param_error(
            "classes",
            "a 1-D list of at least 2 distinct labels",
            classes if arr is None else arr,
            func="SoftmaxRegression.partial_fit",
        )
    unique = np.unique(arr)
    if len(unique) < 2:
        raise param_error(
            "classes",
            "a list of at least 2 distinct labels (all the labels that will ever appear)",
            arr.tolist(),
            func="SoftmaxRegression.partial_fit",
        )
    return unique


def encode_known(classes: NDArray[Any], y: Any) -> NDArray[np.intp]:
    """``y`` as indices into ``classes``; labels not in it raise ValueError."""
    k = len(classes)
    if (
        isinstance(y, np.ndarray)
        and y.dtype.kind in "iu"
        and classes.dtype.kind in "iu"
        and classes[0] == 0
        and classes[-1] == k - 1
        and (y.size == 0 or (y.min() >= 0 and y.max() < k))
    ):
        # classes_ is 0, 1, ..., k - 1 (sorted and distinct): the labels are the indices.
        return y.astype(np.intp, copy=False)
    y_enc = np.clip(np.searchsorted(classes, y), 0, len(classes) - 1)
    unknown = classes[y_enc] != y
    if np.any(unknown):
        raise ValueError(
            f"The 'y' parameter of SoftmaxRegression.partial_fit holds labels not in "
            f"classes_ {classes.tolist()}: {np.unique(np.asarray(y)[unknown])[:5]}."
        )
    return y_enc


def _fitted_names(model: Any) -> list[str]:
    """Attributes set by fitting: ``name_`` and private ``_name`` (not constructor arguments)."""
    return [n for n in vars(model) if n.endswith("_") or n.startswith("_")]


def _snapshot(value: Any) -> Any:
    """A copy that a fit cannot change: arrays are kept (fitting assigns new ones, never
    writes into them), lists copied (``loss_curve_`` grows in place), a ``RandomState``
    (which advances in place) with its state, the rest deep-copied (the optimiser state is a
    small dict)."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, list):
        return list(value)
    if type(value) is np.random.RandomState:
        return _RandomStateSnapshot(value)
    return copy.deepcopy(value)


class _RandomStateSnapshot:
    """A ``RandomState`` and its state (``get_state``: 0.05 ms, against 0.35-0.5 ms for a
    deep copy, which seeds a new generator from the system first)."""

    def __init__(self, rng: np.random.RandomState):
        self.rng, self.state = rng, rng.get_state()

    def restore(self) -> np.random.RandomState:
        """The same generator, put back where it was."""
        self.rng.set_state(self.state)
        return self.rng


@contextmanager
def keep_state_on_failure(model: Any) -> Iterator[None]:
    """Undo every change to the fitted attributes of ``model`` if the block raises."""
    saved = {n: _snapshot(getattr(model, n)) for n in _fitted_names(model)}
    try:
        yield
    except BaseException:
        for name in _fitted_names(model):
            if name not in saved:
                delattr(model, name)
        for name, value in saved.items():
            if isinstance(value, _RandomStateSnapshot):
                value = value.restore()
            setattr(model, name, value)
        raise


def check_state(model: Any, attributes: tuple[str, ...]) -> dict[str, Any]:
    """The fitted state of ``model`` if it is complete and consistent, else an error.

    Unfitted: TypeError (as before). Inconsistent (``coef_`` not ``(n_classes,
    n_features_in_)``, ``intercept_`` not ``(n_classes,)``, fewer than 2 classes, non-finite
    values, feature names of another length): the standard ``'model'`` parameter error.
    """
    if not all(hasattr(model, a) for a in attributes):
        raise TypeError(
            "The 'model' parameter of save_model must be a fitted SoftmaxRegression. Got "
            f"an unfitted {type(model).__name__} instead."
        )
    state = {a: getattr(model, a) for a in attributes}
    classes = np.asarray(state["classes_"])
    coef = np.asarray(state["coef_"])
    intercept = np.asarray(state["intercept_"])
    k, d = len(classes), state["n_features_in_"]
    problem = None
    if classes.ndim != 1 or k < 2 or len(np.unique(classes)) != k:
        problem = f"classes_ of shape {classes.shape} (need at least 2 distinct labels)"
    elif coef.shape != (k, d) or intercept.shape != (k,):
        problem = (
            f"coef_ of shape {coef.shape} and intercept_ of shape {intercept.shape} with "
            f"{k} classes_ and n_features_in_={d}"
        )
    elif not (np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))):
        problem = "coef_ or intercept_ holding inf or NaN"
    names = getattr(model, "feature_names_in_", None)
    if problem is None and names is not None and len(names) != d:
        problem = f"{len(names)} feature_names_in_ for n_features_in_={d}"
    if problem is not None:
        raise param_error(
            "model",
            "a consistently fitted SoftmaxRegression",
            shown(f"a model with {problem}"),
            func="save_model",
        )
    if names is not None:
        state["feature_names_in_"] = names
    return state


class ModelState:
    """The persistence protocol of a fitted estimator, and its ``save`` / ``load`` methods.

    A subclass names the fitted attributes a model file stores in ``_STATE_ATTRIBUTES``
    (``feature_names_in_`` is added when present); its constructor arguments come from
    ``get_params()``. The file format (:mod:`._modelfile`) knows no estimator class, so the
    dependencies point one way: estimator → this protocol → file format.
    """

    _STATE_ATTRIBUTES: ClassVar[tuple[str, ...]] = ()

    def _get_state(self) -> dict[str, Any]:
        """The fitted state a model file stores: a dict of the ``_STATE_ATTRIBUTES`` and, when
        the model was fitted on named columns, ``feature_names_in_``. Raises TypeError if the
        model is not fitted, the ``'model'`` error if its attributes disagree.
        """
        return check_state(self, self._STATE_ATTRIBUTES)

    @classmethod
    def _from_state(cls, params: dict[str, Any], state: dict[str, Any]) -> Any:
        """A fitted model from constructor arguments and a state of :meth:`_get_state`.

        ``params`` are validated as ``fit`` would (ValueError or TypeError if not allowed);
        the state is taken as it is (the reader checks it against the file's checksum first).
        ``n_iter_`` is 0 and ``loss_curve_`` empty: a loaded model was not fitted here.
        """
        model = cls(**params)
        model._validate_params()  # type: ignore[attr-defined]
        for name in (*cls._STATE_ATTRIBUTES, "feature_names_in_"):
            if name in state:
                setattr(model, name, state[name])
        model.n_iter_ = 0  # type: ignore[attr-defined]
        model.loss_curve_ = []  # type: ignore[attr-defined]
        return model

    def save(self, path: Any, *, temperature: float | None = None) -> Path:
        """Write the fitted model to ``path`` (see :func:`softmaxlab.models.save_model`)."""
        write_model(path, self.get_params(), self._get_state(), temperature)  # type: ignore[attr-defined]
        return Path(path)

    @classmethod
    def _read(cls, path: Any) -> tuple[Any, float | None, dict[str, Any]]:
        """``(model, temperature, metadata)`` from the model file ``path``."""
        params, state, temperature, meta = read_model(path)
        try:
            model = cls._from_state(params, state)
        except (ValueError, TypeError) as exc:
            raise file_error(path, f"invalid parameters ({exc})", "params") from None
        return model, temperature, meta

    @classmethod
    def load(cls, path: Any) -> Any:
        """Read a model written by :meth:`save`; never unpickles (see ``load_model``)."""
        return cls._read(path)[0]
