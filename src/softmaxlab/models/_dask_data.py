"""The data of a Dask fit: its inputs checked, the labels encoded and the weights made on
the workers, and lazy prediction (``predict_proba`` returns a Dask array computed block by
block). The loss over the chunks and the cluster connection are in :mod:`._dask`.

Nothing here imports Dask until a Dask array is seen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import param_error

__all__ = [
    "encode_labels",
    "is_dask_array",
    "lazy_logits",
    "lazy_proba",
    "prepare_fit_inputs",
    "sample_weights",
    "take_classes",
]


def is_dask_array(x: Any) -> bool:
    """True for a ``dask.array.Array`` (checked without importing Dask)."""
    return type(x).__module__.startswith("dask.array") and hasattr(x, "chunks")


def prepare_fit_inputs(X: Any, y: Any, sample_weight: Any, solver: str) -> tuple[Any, Any, Any]:
    """Check a Dask fit; ``y`` and ``sample_weight`` as Dask arrays chunked like ``X``'s rows.

    ``X`` stays a Dask array (cast to float64 unless floating) in one block of columns; ``y``
    and the weights (NumPy arrays are wrapped, Dask arrays rechunked) stay on the cluster.
    Raises ValueError for a solver other than 'lbfgs' or 'newton-cg', an ``X`` that is not
    2-D, or a ``y`` or ``sample_weight`` of the wrong shape.
    """
    import dask.array as da

    if solver not in ("lbfgs", "newton-cg"):
        raise ValueError(
            "SoftmaxRegression fits Dask arrays with solver='lbfgs' or 'newton-cg' only. Got "
            f"solver={solver!r} instead."
        )
    if X.ndim != 2:
        raise ValueError(f"Expected a 2-D Dask array X. Got {X.ndim} dimensions instead.")
    if X.dtype.kind not in "f":
        X = X.astype(np.float64)
    X = X.rechunk({1: X.shape[1]})
    rows = X.chunks[0]
    out: list[Any] = []
    for name, v in (("y", y), ("sample_weight", sample_weight)):
        if v is None:
            out.append(None)
            continue
        v = v if is_dask_array(v) else da.from_array(np.asarray(v), chunks=(rows,))
        if v.shape != (X.shape[0],):
            what = "one label" if name == "y" else "one weight"
            raise ValueError(
                f"{name} must have {what} per row of X ({X.shape[0]}). Got shape {v.shape} instead."
            )
        out.append(v.rechunk((rows,)))
    return X, out[0], out[1]


def _encode_block(block: NDArray[Any], classes: NDArray[Any]) -> NDArray[np.intp]:
    return np.searchsorted(classes, block).astype(np.intp)


def _computed(client: Any, *values: Any) -> list[Any]:
    """Small results of lazy values, computed on ``client`` (None: Dask's default)."""
    import dask

    if client is None:
        return list(dask.compute(*values))
    return list(client.gather(client.compute(list(values))))


def encode_labels(y: Any, client: Any = None) -> tuple[NDArray[Any], Any]:
    """The sorted classes (computed on ``client``: one value per class comes back) and
    ``y`` as lazy indices into them, block by block on the workers."""
    import dask.array as da

    classes = np.asarray(_computed(client, da.unique(y))[0])
    if len(classes) < 2:
        raise ValueError(
            "SoftmaxRegression needs samples of at least 2 classes in the data, but the "
            f"data contains only {len(classes)} class(es): {classes.tolist()!r}"
        )
    return classes, y.map_blocks(_encode_block, classes, dtype=np.intp)


def sample_weights(
    y_enc: Any, sample_weight: Any, class_weight: Any, classes: NDArray[Any], client: Any = None
) -> tuple[Any, float]:
    """Lazy per-row weights divided by the largest one, and that largest one.

    As the in-memory fit: ``sample_weight`` times the class weights (a dict, or 'balanced'
    from the class counts, computed on the workers), rescaled by their maximum so that huge
    weights do not overflow. Returns ``(None, 1)`` without weights. Raises the
    ``'sample_weight'`` parameter error for negative, non-finite or all-zero weights.
    """
    import dask.array as da
    from sklearn.utils.class_weight import compute_class_weight

    n = int(y_enc.shape[0])
    sw = None
    if sample_weight is not None:
        sw = sample_weight.astype(np.float64)
    if class_weight is not None:
        if isinstance(class_weight, str) and class_weight == "balanced":
            counts = _computed(client, da.bincount(y_enc, minlength=len(classes)))[0]
            cw = n / (len(classes) * counts.astype(np.float64))
        else:
            cw = compute_class_weight(class_weight, classes=classes, y=classes)
        per = y_enc.map_blocks(lambda b, w: w[b], cw, dtype=np.float64)
        sw = per if sw is None else sw * per
    if sw is None:
        return None, 1.0
    bad, top = _computed(client, ((sw < 0) | ~da.isfinite(sw)).any(), sw.max())
    if bad or not top > 0:
        raise param_error(
            "sample_weight",
            f"{n} finite weights >= 0, not all 0 (one per sample)",
            "weights with negative, non-finite or only zero values",
            func="SoftmaxRegression",
        )
    return sw / float(top), float(top)


def _block_logits(block: NDArray[Any], coef: NDArray[Any], intercept: NDArray[Any]) -> Any:
    dt = block.dtype if block.dtype in (np.float32, np.float64) else np.float64
    return block @ coef.T.astype(dt) + intercept.astype(dt)


def _block_proba(
    block: NDArray[Any], coef: NDArray[Any], intercept: NDArray[Any], log: bool
) -> NDArray[Any]:
    from ..core import log_softmax, softmax

    z = _block_logits(block, coef, intercept)
    # NumPy path on workers (see DaskLoss): no JIT inside a memory-limited worker.
    return log_softmax(z, axis=1, backend="numpy") if log else softmax(z, axis=1, backend="numpy")


def lazy_logits(X: Any, coef: NDArray[Any], intercept: NDArray[Any]) -> Any:
    """``X @ coef.T + intercept`` as a Dask array, block by block."""
    X = X.rechunk({1: X.shape[1]})
    dt = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    return X.map_blocks(
        _block_logits, coef, intercept, dtype=dt, chunks=(X.chunks[0], (coef.shape[0],))
    )


def lazy_proba(X: Any, coef: NDArray[Any], intercept: NDArray[Any], *, log: bool) -> Any:
    """softmax (or log_softmax) of the logits as a Dask array, block by block."""
    X = X.rechunk({1: X.shape[1]})
    dt = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    return X.map_blocks(
        _block_proba, coef, intercept, log, dtype=dt, chunks=(X.chunks[0], (coef.shape[0],))
    )


def _take(idx: NDArray[Any], classes: NDArray[Any]) -> NDArray[Any]:
    return classes[idx]


def take_classes(idx: Any, classes: NDArray[Any]) -> Any:
    """Labels ``classes[idx]`` of a Dask array of indices, lazily."""
    return idx.map_blocks(_take, classes, dtype=classes.dtype)
