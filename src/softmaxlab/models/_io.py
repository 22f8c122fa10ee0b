"""Model files: arrays in a ``.npz`` archive plus JSON metadata, never pickled.

Format (version 1), one ``.npz`` (zip) archive with exactly three members:

``metadata``
    1-D ``uint8`` array holding UTF-8 JSON: ``format`` (``"softmaxlab-model"``),
    ``format_version`` (1), ``softmaxlab_version``, ``model`` (``"SoftmaxRegression"``),
    ``n_classes``, ``n_features``, ``classes`` (a JSON list) and ``classes_dtype`` (a NumPy
    dtype string of kind bool/int/uint/float/str), ``feature_names`` (list or null),
    ``params`` (the JSON-representable constructor arguments; ``C=inf`` as ``"inf"``, a
    ``class_weight`` dict as ``[label, weight]`` pairs), ``temperature`` (float or null,
    from :class:`TemperatureScaling`), and ``sha256`` of the coefficients, intercepts and
    classes.
``coef``
    float64, shape ``(n_classes, n_features)``.
``intercept``
    float64, shape ``(n_classes,)``.

Reading uses ``np.load(..., allow_pickle=False)`` and checks every field, shape, dtype and
the checksum; anything else is reported as a :class:`ModelFileError` naming the file.
Writing goes to a temporary file in the same directory, then ``os.replace``: an existing
file is never left half-written.

This module depends on the estimator and never the reverse (``SoftmaxRegression.save`` /
``load`` import it inside the call): it reads a model through its persistence protocol
``SoftmaxRegression._get_state()`` plus ``get_params()``, and builds one with
``SoftmaxRegression._from_state(params, state)``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .._validation import SoftmaxLabError
from ._regression import SoftmaxRegression

__all__ = ["FORMAT_VERSION", "LoadedModel", "ModelFileError", "load_model", "save_model"]

FORMAT = "softmaxlab-model"
FORMAT_VERSION = 1
_MEMBERS = {"metadata", "coef", "intercept"}
_PARAMS = (
    "C",
    "fit_intercept",
    "solver",
    "max_iter",
    "tol",
    "class_weight",
    "warm_start",
    "batch_size",
    "learning_rate",
    "random_state",
    "verbose",
)


class ModelFileError(SoftmaxLabError):
    """A model file that cannot be read: unreadable, truncated, modified or not ours."""


class LoadedModel(NamedTuple):
    """What :func:`load_model` returns."""

    model: SoftmaxRegression
    temperature: float | None
    metadata: dict[str, Any]


def _digest(coef: NDArray[Any], intercept: NDArray[Any], classes: list[Any]) -> str:
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(coef, dtype="<f8").tobytes())
    h.update(np.ascontiguousarray(intercept, dtype="<f8").tobytes())
    h.update(json.dumps(classes, sort_keys=True).encode())
    return h.hexdigest()


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=True)
    except (TypeError, ValueError):
        return False
    return True


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
    state = model._get_state()
    if temperature is not None and not (np.isfinite(temperature) and temperature > 0):
        raise SoftmaxLabError(
            "The 'temperature' parameter of save_model must be a finite number > 0. Got "
            f"{temperature!r} instead."
        )
    classes = np.asarray(state["classes_"])
    if classes.dtype.kind not in "biufU":
        raise TypeError(
            "save_model stores class labels that are bool, int, float or str; this model's "
            f"classes_ have dtype {classes.dtype}."
        )
    coef = np.ascontiguousarray(state["coef_"], dtype=np.float64)
    intercept = np.ascontiguousarray(state["intercept_"], dtype=np.float64)
    class_list = classes.tolist()
    params = model.get_params()
    if isinstance(params.get("class_weight"), dict):
        # JSON object keys are strings: keep the labels' types as [label, weight] pairs.
        params["class_weight"] = [
            [k.item() if isinstance(k, np.generic) else k, float(v)]
            for k, v in params["class_weight"].items()
        ]
    params = {k: v for k, v in params.items() if k in _PARAMS and _jsonable(v)}
    if np.isinf(params.get("C", 1.0)):
        params["C"] = "inf"
    names = state.get("feature_names_in_")
    from .. import __version__

    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "softmaxlab_version": __version__,
        "model": "SoftmaxRegression",
        "n_classes": int(coef.shape[0]),
        "n_features": int(coef.shape[1]),
        "classes": class_list,
        "classes_dtype": classes.dtype.str,
        "feature_names": None if names is None else [str(n) for n in names],
        "params": params,
        "temperature": None if temperature is None else float(temperature),
        "sha256": _digest(coef, intercept, class_list),
    }
    blob = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, metadata=blob, coef=coef, intercept=intercept)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return target


def _fail(path: Any, what: str) -> ModelFileError:
    return ModelFileError(f"Cannot load model file '{os.fspath(path)}': {what}.")


def _read_members(path: Any) -> dict[str, NDArray[Any]]:
    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except IsADirectoryError:
        raise _fail(path, "it is a directory") from None
    except PermissionError:
        raise _fail(path, "permission denied") from None
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise _fail(
            path, f"not a softmaxlab model file (not a NumPy .npz archive: {exc})"
        ) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise _fail(path, "not a softmaxlab model file (a single .npy array, not a .npz archive)")
    with archive:
        names = set(archive.files)
        if names != _MEMBERS:
            raise _fail(
                path,
                f"not a softmaxlab model file (members {sorted(names)}, "
                f"expected {sorted(_MEMBERS)})",
            )
        out = {}
        for name in sorted(_MEMBERS):
            try:
                out[name] = archive[name]
            except ValueError as exc:
                # Object arrays need pickle: refused, and never ours.
                raise _fail(path, f"member '{name}' cannot be read safely ({exc})") from None
            except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
                raise _fail(
                    path, f"the file is truncated or corrupted (member '{name}': {exc})"
                ) from None
    return out


def _parse_metadata(path: Any, blob: NDArray[Any]) -> dict[str, Any]:
    """The metadata dict of a model file, after checking its format and version."""
    if blob.dtype != np.uint8 or blob.ndim != 1:
        raise _fail(path, "not a softmaxlab model file (its metadata is not UTF-8 JSON bytes)")
    try:
        meta = json.loads(blob.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, f"its metadata is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _fail(path, f"not a softmaxlab model file (no 'format': '{FORMAT}' in its metadata)")
    version = meta.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _fail(path, f"invalid format_version {version!r}")
    if version > FORMAT_VERSION:
        raise _fail(
            path,
            f"it uses format version {version}, newer than this softmaxlab "
            f"reads ({FORMAT_VERSION}); upgrade softmaxlab",
        )
    if version < 1 or meta.get("model") != "SoftmaxRegression":
        raise _fail(path, f"unsupported model {meta.get('model')!r} / version {version}")
    return meta


def _check_arrays(path: Any, arrays: dict[str, NDArray[Any]], k: int, d: int) -> None:
    for name, shape in (("coef", (k, d)), ("intercept", (k,))):
        arr = arrays[name]
        if arr.dtype != np.float64 or arr.shape != shape:
            raise _fail(
                path,
                f"'{name}' has dtype {arr.dtype} and shape {arr.shape}; the "
                f"metadata says float64 {shape}",
            )
        if not np.all(np.isfinite(arr)):
            raise _fail(path, f"'{name}' holds inf or NaN")


def _decode_params(path: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments from their JSON form (``"inf"``, ``[label, weight]`` pairs)."""
    if params.get("C") == "inf":
        params["C"] = np.inf
    if isinstance(params.get("class_weight"), list):
        try:
            params["class_weight"] = {k: float(v) for k, v in params["class_weight"]}
        except (TypeError, ValueError):
            raise _fail(path, "invalid 'class_weight' parameter") from None
    unknown = set(params) - set(_PARAMS)
    if unknown:
        raise _fail(path, f"unknown parameters {sorted(unknown)}")
    return params


def load_model(path: str | os.PathLike[str]) -> LoadedModel:
    """Read a model file written by :func:`save_model`, checking everything; never unpickles.

    Returns
    -------
    LoadedModel
        ``(model, temperature, metadata)``: a fitted :class:`SoftmaxRegression`, the stored
        temperature (or None) and the metadata dict.

    Raises
    ------
    ModelFileError
        (a ``ValueError``) naming the file and the problem: missing or unreadable file, not an
        ``.npz`` archive, truncated, other members, newer format version, wrong shapes or
        dtypes, non-finite coefficients, or contents that do not match their checksum.
    """
    arrays = _read_members(path)
    meta = _parse_metadata(path, arrays["metadata"])
    try:
        k, d = int(meta["n_classes"]), int(meta["n_features"])
        classes_list = meta["classes"]
        cdtype = np.dtype(str(meta["classes_dtype"]))
        params = dict(meta["params"])
        names = meta["feature_names"]
        temperature = meta["temperature"]
        digest = str(meta["sha256"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(path, f"its metadata lacks or garbles field {exc}") from None
    if cdtype.kind not in "biufU":
        raise _fail(path, f"class labels of dtype {cdtype} are not allowed")
    _check_arrays(path, arrays, k, d)
    coef, intercept = arrays["coef"], arrays["intercept"]
    if not isinstance(classes_list, list) or len(classes_list) != k or k < 2:
        raise _fail(path, f"'classes' must list the {k} class labels (at least 2)")
    if names is not None and (not isinstance(names, list) or len(names) != d):
        raise _fail(path, f"'feature_names' must list the {d} feature names")
    if temperature is not None and not (
        isinstance(temperature, int | float) and np.isfinite(temperature) and temperature > 0
    ):
        raise _fail(path, f"invalid temperature {temperature!r}")
    if _digest(coef, intercept, classes_list) != digest:
        raise _fail(
            path, "its contents do not match their checksum (the file was modified or corrupted)"
        )
    state: dict[str, Any] = {
        "classes_": np.asarray(classes_list, dtype=cdtype),
        "coef_": coef,
        "intercept_": intercept,
        "n_features_in_": d,
    }
    if names is not None:
        state["feature_names_in_"] = np.asarray(names, dtype=object)
    try:
        model = SoftmaxRegression._from_state(_decode_params(path, params), state)
    except ValueError as exc:
        raise _fail(path, f"invalid parameters ({exc})") from None
    return LoadedModel(model, None if temperature is None else float(temperature), meta)
