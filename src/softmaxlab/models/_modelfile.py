"""The model file format: arrays in a ``.npz`` archive plus JSON metadata, never pickled.

Format (version 2), one ``.npz`` (zip) archive with exactly three members:

``metadata``
    1-D ``uint8`` array holding UTF-8 JSON: ``format`` (``"softmaxlab-model"``),
    ``format_version`` (2), ``softmaxlab_version``, ``model`` (``"SoftmaxRegression"``),
    ``n_classes``, ``n_features``, ``classes`` (a JSON list) and ``classes_dtype`` (a NumPy
    dtype string of kind bool/int/uint/float/str), ``feature_names`` (list or null),
    ``params`` (the JSON-representable constructor arguments; ``C=inf`` as ``"inf"``, a
    ``class_weight`` dict as ``[label, weight]`` pairs), ``temperature`` (float or null,
    from :class:`TemperatureScaling`), and ``sha256``: the digest of the coefficients, the
    intercepts and every other metadata field (so any edit that can change a prediction,
    such as ``classes_dtype``, ``feature_names`` or ``temperature``, is detected).
``coef``
    float64, shape ``(n_classes, n_features)``.
``intercept``
    float64, shape ``(n_classes,)``.

Version-1 files (whose digest covers only coefficients, intercepts and classes) are still
read, with the same strict schema.

Reading never unpickles and never decompresses more than the metadata declares: the JSON
metadata is read first (at most 64 MiB) and checked strictly against the schema of
:mod:`softmaxlab.models._schema` (types, ranges, an allowlist of label dtypes, distinct
labels that survive their dtype, no unknown field); then each array's ``.npy`` header is
checked against the declared shape and dtype before its data is read; then the checksum.
Anything else is reported as a :class:`ModelFileError` naming the file (and, in its
``parameter`` field, the metadata field at fault).

Writing goes through :func:`softmaxlab.models._files.atomic_write`: a temporary file in the
target's directory, then ``os.replace``, so an existing file is never left half-written; a
new file follows the umask, an overwritten one keeps its mode, a symlink is followed (the
file it points to is replaced, the link stays). :func:`write_model` refuses anything the reader
would refuse (and ``ModelState._get_state`` a model whose fitted attributes disagree).

This module is the format alone: it knows no estimator class. It writes and reads
constructor arguments plus a fitted state (the persistence protocol of
:class:`softmaxlab.models._state.ModelState`, which ``SoftmaxRegression`` inherits);
:mod:`softmaxlab.models._io` builds the public ``save_model`` / ``load_model`` on top.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import SoftmaxLabError, param_error, shown
from ._files import atomic_write
from ._schema import MAX_METADATA_BYTES, SchemaError, check_metadata, digest, digest_v1

__all__ = ["FORMAT_VERSION", "ModelFileError", "read_model", "write_model"]

FORMAT = "softmaxlab-model"
FORMAT_VERSION = 2
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


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=True)
    except (TypeError, ValueError):
        return False
    return True


def write_model(
    path: str | os.PathLike[str],
    params: dict[str, Any],
    state: dict[str, Any],
    temperature: float | None = None,
) -> None:
    """Write constructor arguments ``params`` and a fitted ``state`` to the model file ``path``.

    ``state`` holds ``classes_``, ``coef_``, ``intercept_``, ``n_features_in_`` and optionally
    ``feature_names_in_`` (see :meth:`ModelState._get_state`); ``temperature`` is validated
    (finite, > 0) and anything :func:`read_model` would refuse is refused here first.
    """
    if temperature is not None and not (
        isinstance(temperature, int | float | np.floating | np.integer)
        and not isinstance(temperature, bool)
        and np.isfinite(temperature)
        and temperature > 0
    ):
        raise param_error("temperature", "a finite number > 0", temperature, func="save_model")
    classes = np.asarray(state["classes_"])
    if classes.dtype.kind not in "biufU":
        raise TypeError(
            "save_model stores class labels that are bool, int, float or str; this model's "
            f"classes_ have dtype {classes.dtype}."
        )
    coef = np.ascontiguousarray(state["coef_"], dtype=np.float64)
    intercept = np.ascontiguousarray(state["intercept_"], dtype=np.float64)
    class_list = classes.tolist()
    params = dict(params)
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
    }
    meta["sha256"] = digest(coef, intercept, meta)
    try:  # what load_model would refuse is never written (e.g. labels longer than allowed)
        check_metadata(json.loads(json.dumps(meta)), FORMAT_VERSION)
    except SchemaError as exc:
        raise param_error(
            "model", "a model that the file format can hold", shown(str(exc)), func="save_model"
        ) from None
    blob = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    atomic_write(
        path,
        lambda fh: np.savez_compressed(fh, metadata=blob, coef=coef, intercept=intercept),
    )


def file_error(path: Any, what: str, field: str | None = None) -> ModelFileError:
    err = ModelFileError(f"Cannot load model file '{os.fspath(path)}': {what}.")
    err.parameter = field
    return err


def _open_archive(path: Any) -> zipfile.ZipFile:
    """The zip archive at ``path``, or ModelFileError; nothing is decompressed yet."""
    magic = b""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(6)
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise file_error(path, "no such file") from None
    except IsADirectoryError:
        raise file_error(path, "it is a directory") from None
    except PermissionError:
        raise file_error(path, "permission denied") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        if magic == b"\x93NUMPY":
            raise file_error(
                path, "not a softmaxlab model file (a single .npy array, not a .npz archive)"
            ) from None
        raise file_error(
            path, f"not a softmaxlab model file (not a NumPy .npz archive: {exc})"
        ) from None
    names = {n[:-4] if n.endswith(".npy") else n for n in archive.namelist()}
    if names != _MEMBERS or len(archive.namelist()) != len(_MEMBERS):
        archive.close()
        raise file_error(
            path,
            f"not a softmaxlab model file (members {sorted(names)}, expected {sorted(_MEMBERS)})",
        )
    return archive


def _member_header(path: Any, archive: zipfile.ZipFile, name: str) -> tuple[Any, Any, Any]:
    """``(open member, shape, dtype)`` from the ``.npy`` header alone (no data read)."""
    try:
        fh = archive.open(f"{name}.npy")
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise file_error(
            path, f"the file is truncated or corrupted (member '{name}': {exc})"
        ) from None
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(f"unsupported .npy format version {version}")
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        fh.close()
        raise file_error(path, f"member '{name}' has no valid .npy header ({exc})") from None
    if dtype.hasobject:
        fh.close()
        # Object arrays need pickle: refused, and never ours.
        raise file_error(path, f"member '{name}' cannot be read safely (it holds Python objects)")
    if fortran:
        fh.close()
        raise file_error(
            path, f"member '{name}' is stored in Fortran order; not written by softmaxlab"
        )
    return fh, shape, dtype


def _read_member(
    path: Any, archive: zipfile.ZipFile, name: str, dtype: Any, shape: tuple[int, ...]
) -> NDArray[Any]:
    """The array ``name`` after checking that its header declares ``dtype`` and ``shape``.

    The declared size (and the size the zip directory records) is checked before a byte of
    data is decompressed, so a file declaring a huge array is refused at once.
    """
    fh, got_shape, got_dtype = _member_header(path, archive, name)
    with fh:
        if got_dtype != dtype or tuple(got_shape) != shape:
            raise file_error(
                path,
                f"'{name}' has dtype {got_dtype} and shape {tuple(got_shape)}; the "
                f"metadata says {np.dtype(dtype)} {shape}",
                name,
            )
        expected = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
        if archive.getinfo(f"{name}.npy").file_size > expected + 65536:
            raise file_error(path, f"member '{name}' is larger than its header declares", name)
        try:
            data = bytearray(fh.read(expected + 1))  # past the header: the raw values
        except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            raise file_error(
                path, f"the file is truncated or corrupted (member '{name}': {exc})"
            ) from None
    if len(data) != expected:
        raise file_error(
            path,
            f"the file is truncated or corrupted (member '{name}' holds {len(data)} bytes of "
            f"data; its header declares {expected})",
        )
    return np.frombuffer(data, dtype=dtype).reshape(shape)


def _parse_metadata(path: Any, archive: zipfile.ZipFile) -> dict[str, Any]:
    """The metadata dict of a model file, after checking its format, version and schema."""
    fh, shape, dtype = _member_header(path, archive, "metadata")
    fh.close()
    if dtype != np.uint8 or len(shape) != 1 or shape[0] > MAX_METADATA_BYTES:
        raise file_error(
            path,
            "not a softmaxlab model file (its metadata is not UTF-8 JSON bytes of at most "
            f"{MAX_METADATA_BYTES} bytes)",
        )
    blob = _read_member(path, archive, "metadata", np.uint8, tuple(shape))
    try:
        meta = json.loads(blob.tobytes().decode("utf-8"))
    except RecursionError:
        raise file_error(path, "its metadata is nested too deeply to be ours") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise file_error(path, f"its metadata is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise file_error(
            path, f"not a softmaxlab model file (no 'format': '{FORMAT}' in its metadata)"
        )
    version = meta.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise file_error(path, f"invalid format_version {version!r}", "format_version")
    if version > FORMAT_VERSION:
        raise file_error(
            path,
            f"it uses format version {version}, newer than this softmaxlab "
            f"reads ({FORMAT_VERSION}); upgrade softmaxlab",
            "format_version",
        )
    if meta.get("model") != "SoftmaxRegression":
        raise file_error(
            path, f"unsupported model {meta.get('model')!r} / version {version}", "model"
        )
    return meta


def _check_finite(path: Any, arrays: dict[str, NDArray[Any]]) -> None:
    for name, arr in arrays.items():
        if not np.all(np.isfinite(arr)):
            raise file_error(path, f"'{name}' holds inf or NaN", name)


def _decode_params(path: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments from their JSON form (``"inf"``, ``[label, weight]`` pairs)."""
    if params.get("C") == "inf":
        params["C"] = np.inf
    if isinstance(params.get("class_weight"), list):
        try:
            params["class_weight"] = {k: float(v) for k, v in params["class_weight"]}
        except (TypeError, ValueError):
            raise file_error(path, "invalid 'class_weight' parameter") from None
    unknown = set(params) - set(_PARAMS)
    if unknown:
        raise file_error(path, f"unknown parameters {sorted(unknown)}")
    return params


def _read_checked(
    path: Any, archive: zipfile.ZipFile
) -> tuple[dict[str, Any], dict[str, Any], float | None, dict[str, Any]]:
    meta = _parse_metadata(path, archive)
    try:
        k, d, cdtype = check_metadata(meta, meta["format_version"])
    except SchemaError as exc:
        raise file_error(path, str(exc), exc.field) from None
    coef = _read_member(path, archive, "coef", np.float64, (k, d))
    intercept = _read_member(path, archive, "intercept", np.float64, (k,))
    _check_finite(path, {"coef": coef, "intercept": intercept})
    classes_list = meta["classes"]
    if meta["format_version"] == 1:
        expected = digest_v1(coef, intercept, classes_list)
    else:
        expected = digest(coef, intercept, meta)
    if expected != meta["sha256"]:
        raise file_error(
            path,
            "its contents do not match their checksum (the file was modified or corrupted)",
            "sha256",
        )
    state: dict[str, Any] = {
        "classes_": np.asarray(classes_list, dtype=cdtype),
        "coef_": coef,
        "intercept_": intercept,
        "n_features_in_": d,
    }
    names = meta["feature_names"]
    if names is not None:
        state["feature_names_in_"] = np.asarray(names, dtype=object)
    params = _decode_params(path, dict(meta["params"]))
    temperature = meta["temperature"]
    return params, state, None if temperature is None else float(temperature), meta


def read_model(
    path: str | os.PathLike[str],
) -> tuple[dict[str, Any], dict[str, Any], float | None, dict[str, Any]]:
    """``(params, state, temperature, metadata)`` from a file of :func:`write_model`.

    The reader behind :func:`softmaxlab.models.load_model`, which documents its checks (in
    that order: schema, array headers against the metadata, checksum) and its
    :class:`ModelFileError`; ``state`` is what :meth:`ModelState._from_state` takes. Never
    unpickles.
    """
    with _open_archive(path) as archive:
        return _read_checked(path, archive)
