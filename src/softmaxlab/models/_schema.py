"""The schema of a model file's metadata, checked strictly, and its integrity digest.

:func:`check_metadata` is the one validator of the JSON metadata of a model file (see
:mod:`softmaxlab.models._io` for the format). It checks every field's type and range before
anything else is read: integers are ``int`` (never ``bool``, never ``1.0`` or ``1e400``),
counts are bounded (:data:`MAX_CLASSES`, :data:`MAX_FEATURES`, :data:`MAX_COEFFICIENTS`),
the class-label dtype is one of an allowlist (bool, 1/2/4/8-byte int or uint, 4/8-byte
float, Unicode strings of at most :data:`MAX_LABEL_LENGTH` characters), the labels are
distinct scalars, sorted as ``np.unique`` sorts them, and survive a round trip through that
dtype unchanged (so ``<U1`` cannot cut ``c0`` to ``c`` and ``|b1`` cannot turn labels into
``True``), feature names are distinct strings, the temperature a finite number > 0, and no
unknown field is present.

:func:`digest` (format version 2) covers everything that can change a prediction: the
coefficients, the intercepts and every metadata field except the digest itself (classes,
their dtype, feature names, temperature, parameters...). Version-1 files carry the older
digest of coefficients, intercepts and classes only (:func:`digest_v1`); the round-trip
check above still protects their labels.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MAX_CLASSES",
    "MAX_COEFFICIENTS",
    "MAX_FEATURES",
    "MAX_LABEL_LENGTH",
    "MAX_METADATA_BYTES",
    "SchemaError",
    "check_metadata",
    "digest",
    "digest_v1",
]

MAX_CLASSES = 1 << 20
MAX_FEATURES = 1 << 24
MAX_COEFFICIENTS = 1 << 27  # 1 GiB of float64
MAX_LABEL_LENGTH = 1024
MAX_METADATA_BYTES = 1 << 26  # 64 MiB of JSON

_DTYPE = re.compile(r"^(\|b1|[<>|][iu]1|[<>][iu][248]|[<>]f[48]|[<>]U([1-9][0-9]{0,3}))$")
_REQUIRED = (
    "format",
    "format_version",
    "softmaxlab_version",
    "model",
    "n_classes",
    "n_features",
    "classes",
    "classes_dtype",
    "feature_names",
    "params",
    "temperature",
    "sha256",
)
_SCALAR_TYPES = {"b": (bool,), "i": (int,), "u": (int,), "f": (int, float), "U": (str,)}


class SchemaError(ValueError):
    """A metadata field outside the schema: ``field``, what is ``allowed`` and the value."""

    def __init__(self, field: str, allowed: str, value: Any):
        text = repr(value)
        if len(text) > 60:
            text = text[:57] + "..."
        super().__init__(f"its metadata field '{field}' must be {allowed}. Got {text} instead")
        self.field, self.allowed, self.value = field, allowed, text


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _int_field(meta: dict[str, Any], name: str, low: int, high: int) -> int:
    v = meta[name]
    if not _is_int(v) or not low <= v <= high:
        raise SchemaError(name, f"an int in [{low}, {high}]", v)
    return int(v)


def _check_labels(classes: Any, dtype_text: Any, k: int) -> np.dtype[Any]:
    if not isinstance(dtype_text, str) or not _DTYPE.match(dtype_text):
        raise SchemaError(
            "classes_dtype",
            "a NumPy dtype string of bool, int, uint, float32/64 or str (<U1..<U1024)",
            dtype_text,
        )
    dtype = np.dtype(dtype_text)
    if dtype.kind == "U" and dtype.itemsize // 4 > MAX_LABEL_LENGTH:
        raise SchemaError("classes_dtype", f"at most <U{MAX_LABEL_LENGTH}", dtype_text)
    if not isinstance(classes, list) or len(classes) != k:
        raise SchemaError("classes", f"a list of the {k} class labels ('n_classes')", classes)
    types = _SCALAR_TYPES[dtype.kind]
    for c in classes:
        if not isinstance(c, types) or (dtype.kind != "b" and isinstance(c, bool)):
            raise SchemaError("classes", f"a list of labels of dtype {dtype_text}", c)
    try:
        arr = np.asarray(classes, dtype=dtype)
    except (OverflowError, ValueError):
        raise SchemaError("classes", f"labels that dtype {dtype_text} can hold", classes) from None
    if arr.tolist() != classes or (dtype.kind == "f" and not np.all(np.isfinite(arr))):
        raise SchemaError(
            "classes", f"finite labels that dtype {dtype_text} holds exactly", classes
        )
    if not np.all(arr[1:] > arr[:-1]):
        raise SchemaError("classes", "distinct labels in increasing order", classes)
    return dtype


def _check_names(names: Any, d: int) -> None:
    if names is None:
        return
    if (
        not isinstance(names, list)
        or len(names) != d
        or not all(isinstance(n, str) for n in names)
        or len(set(names)) != d
    ):
        raise SchemaError("feature_names", f"null or a list of {d} distinct strings", names)


def _check_temperature(t: Any) -> None:
    ok = t is None or (
        isinstance(t, int | float) and not isinstance(t, bool) and 0 < t < float("inf")
    )
    if not ok:
        raise SchemaError("temperature", "null or a finite number > 0", t)


def check_metadata(meta: dict[str, Any], format_version: int) -> tuple[int, int, np.dtype[Any]]:
    """Check every field of the metadata; return ``(n_classes, n_features, classes dtype)``.

    Raises :class:`SchemaError` naming the first field outside the schema. ``format``,
    ``format_version`` and ``model`` are checked by the caller first.
    """
    missing = [f for f in _REQUIRED if f not in meta]
    if missing:
        raise SchemaError(missing[0], "present", None)
    unknown = sorted(set(meta) - set(_REQUIRED))
    if unknown:
        raise SchemaError(unknown[0], "absent (not a field of this format)", meta[unknown[0]])
    if not isinstance(meta["softmaxlab_version"], str):
        raise SchemaError("softmaxlab_version", "a string", meta["softmaxlab_version"])
    k = _int_field(meta, "n_classes", 2, MAX_CLASSES)
    d = _int_field(meta, "n_features", 1, MAX_FEATURES)
    if k * d > MAX_COEFFICIENTS:
        raise SchemaError("n_features", f"at most {MAX_COEFFICIENTS} // n_classes", d)
    dtype = _check_labels(meta["classes"], meta["classes_dtype"], k)
    _check_names(meta["feature_names"], d)
    _check_temperature(meta["temperature"])
    if not isinstance(meta["params"], dict):
        raise SchemaError("params", "an object of constructor arguments", meta["params"])
    sha = meta["sha256"]
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise SchemaError("sha256", "64 lowercase hexadecimal digits", sha)
    return k, d, dtype


def digest_v1(coef: NDArray[Any], intercept: NDArray[Any], classes: list[Any]) -> str:
    """The digest of format version 1: coefficients, intercepts and class labels."""
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(coef, dtype="<f8").tobytes())
    h.update(np.ascontiguousarray(intercept, dtype="<f8").tobytes())
    h.update(json.dumps(classes, sort_keys=True).encode())
    return h.hexdigest()


def digest(coef: NDArray[Any], intercept: NDArray[Any], meta: dict[str, Any]) -> str:
    """The digest of format version 2: the arrays and every metadata field but ``sha256``."""
    signed = {key: value for key, value in meta.items() if key != "sha256"}
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(coef, dtype="<f8").tobytes())
    h.update(np.ascontiguousarray(intercept, dtype="<f8").tobytes())
    text = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    h.update(text.encode("ascii"))
    return h.hexdigest()
