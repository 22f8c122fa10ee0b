"""What Dask needs beyond the array-API namespace: passes over the data that do not pile up.

A softmax needs every slice's maximum before it can exponentiate, and its sum before it can
divide. Written naively, one Dask graph shares each input chunk between the max reduction,
the sum reduction and the final map; the scheduler must then keep every chunk it has read
in memory until the maximum of the whole slice is known, which for a softmax along a chunked
axis means the whole array. :func:`after` breaks that sharing: it clones the graph that
produces an array (reading the chunks again from their source) and makes the clone wait for
a reduction, so each pass streams over the chunks and only the small per-slice results are
kept between passes.
"""

from __future__ import annotations

from typing import Any


def after(array: Any, dependency: Any) -> Any:
    """``array`` recomputed from its sources, starting only once ``dependency`` is done.

    Each chunk of the result is read (or computed) anew, so it is never held in memory
    between the pass that produced ``dependency`` and the pass that uses the result.
    """
    from dask.graph_manipulation import bind

    return bind(array, dependency)


def _shift_block(xw: Any, m0: Any, good: Any, temperature: float) -> Any:
    import array_api_compat
    import numpy as np

    xp = array_api_compat.array_namespace(xw)
    # -1e308 - 1e308 overflows to -inf, which is the right shifted value (its exp is 0): the
    # NumPy floating-point warning that a NumPy chunk would raise is noise here.
    with np.errstate(over="ignore", under="ignore"):
        d = xp.where(good, xw - m0, 0.0)
        return d / temperature if temperature != 1.0 else d


def shift(xw: Any, m0: Any, good: Any, temperature: float) -> Any:
    """``where(good, (xw - m0) / temperature, 0)`` block by block, without overflow warnings."""
    import dask.array as da

    return da.map_blocks(_shift_block, xw, m0, good, temperature, dtype=xw.dtype)


def _numpy_blocks(x: Any, axes: tuple[int, ...]) -> bool:
    """Whether ``x`` holds NumPy blocks and every slice over ``axes`` lies in one block."""
    import numpy as np

    meta = getattr(x, "_meta", None)
    return isinstance(meta, np.ndarray) and all(len(x.chunks[a]) == 1 for a in axes)


NUMPY: dict[str, Any] = {}
"""softmaxlab's NumPy ``softmax``, ``log_softmax`` and ``logsumexp``, which the blocks of
NumPy chunks run. :mod:`softmaxlab.core` fills it when it is imported (this package never
imports the core, which imports it)."""


def _softmax_block(
    block: Any, mask: Any = None, *, axes: tuple[int, ...], temperature: float, log: bool
) -> Any:
    f = NUMPY["log_softmax" if log else "softmax"]
    return f(block, axis=axes, temperature=temperature, where=mask)


def _logsumexp_block(block: Any, mask: Any = None, *, axes: tuple[int, ...]) -> Any:
    import numpy as np

    return np.asarray(NUMPY["logsumexp"](block, axis=axes, keepdims=True, where=mask))


def blockwise_softmax(
    x: Any, axes: tuple[int, ...], temperature: float, mask: Any, *, log: bool
) -> Any | None:
    """softmax of each block with softmaxlab's NumPy path, when no slice spans blocks.

    One pass, and the accuracy of the NumPy path. None when the blocks are not NumPy
    arrays or a slice spans several blocks (then the streaming passes are used).
    """
    if not _numpy_blocks(x, axes):
        return None
    import dask.array as da

    args = [x] if mask is None else [x, mask.rechunk(x.chunks)]
    return da.map_blocks(
        _softmax_block, *args, axes=axes, temperature=temperature, log=log, dtype=x.dtype
    )


def blockwise_logsumexp(x: Any, axes: tuple[int, ...], mask: Any, *, keepdims: bool) -> Any:
    """logsumexp of each block with softmaxlab's NumPy path, or None (see above)."""
    if not _numpy_blocks(x, axes):
        return None
    import dask.array as da

    chunks = tuple((1,) if i in axes else c for i, c in enumerate(x.chunks))
    args = [x] if mask is None else [x, mask.rechunk(x.chunks)]
    out = da.map_blocks(_logsumexp_block, *args, axes=axes, chunks=chunks, dtype=x.dtype)
    return out if keepdims else da.squeeze(out, axis=axes)
