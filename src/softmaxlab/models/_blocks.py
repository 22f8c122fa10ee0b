"""Row blocks of the loss evaluation: their size, and what each chunk of blocks adds up.

:class:`~softmaxlab.models._loss.BoundLoss` and the minibatch pass of
:mod:`softmaxlab.models._minibatch` cut ``X`` into row blocks of :func:`_block_rows` rows
(sized by the constants below) and add each block's share of the data term and of
:math:`X^\top R` into a :class:`_Sums`.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[Any]
#: Bytes of one row block's ``X`` rows plus its logits and gradient rows, counted in float64:
#: half of a core's L2 cache (1 MiB on Zen 4), so that the block stays there between its two
#: products. Measured on 160,000 x 100, 20 classes, 1 thread: 468-row blocks 64 ms (float64)
#: and 39 ms (float32) per loss and gradient, 936 rows 74 and 45 ms, 3000 rows 74 and 40 ms,
#: 256 rows 66 and 46 ms; float32 is fastest at the same row count, hence float64 bytes.
BLOCK_BYTES = 1 << 19
#: Bytes of one block's logits (and of each temporary of their shape) at the most: below
#: glibc's default mmap threshold (128 KiB), so that they are not mapped and unmapped, with
#: their page faults, at every block. That matters most on Dask workers, whose nanny sets
#: ``MALLOC_TRIM_THRESHOLD_``, which turns off the threshold's growth (measured: 2-3x
#: slower chunks with 150 KiB logit blocks).
BLOCK_LOGIT_BYTES = 96 << 10
#: The ignore_index the blocks pass to the core's cross-entropy: cross_entropy_and_grad's
#: default (no class index is negative, so no row is ignored).
IGNORE_INDEX = -100
#: Rows of a block at the least and at the most.
BLOCK_ROWS = (64, 8192)
#: Chunks of blocks per thread: a thread the (shared) machine does not run for a while
#: leaves its chunks to the others instead of holding up the evaluation.
CHUNKS_PER_THREAD = 8
#: Data of fewer entries (rows x features) than this is fitted on one thread: the threshold
#: the trainers were tuned with, apart from the kernels' own (PARALLEL_MIN_BYTES, which
#: decides when one kernel call splits its logits across the core's threads).
THREADED_MIN_ENTRIES = 1 << 18


@functools.cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _block_rows(n_features: int, n_classes: int, itemsize: int) -> int:
    rows = BLOCK_BYTES // (8 * (n_features + 2 * n_classes))
    rows = min(rows, BLOCK_LOGIT_BYTES // (itemsize * n_classes))
    return int(min(max(rows, BLOCK_ROWS[0]), BLOCK_ROWS[1]))


@functools.lru_cache(maxsize=16)
def _ones(m: int, dtype: Any) -> Array:
    """A read-only vector of ``m`` ones (block and minibatch sizes repeat)."""
    ones = np.ones(m, dtype=dtype)
    ones.flags.writeable = False
    return ones


class _Sums:
    r"""What one chunk of blocks adds up (float64): the data term, and in ``G`` (laid out as
    ``coef``, ``(K, d + fit_intercept)``) a gradient or a product. Dense float64 blocks add
    :math:`X_b^\top R` to ``GT`` (``(d, K)``, folded into ``G`` at the end), float32 blocks
    :math:`R^\top X_b`: the faster BLAS layout of each (468 x 100 blocks, 20 classes, one
    pass: 19-20 ms against 27 ms in float64, 8.5 ms against 13.7 ms in float32)."""

    def __init__(self, k: int, d: int, fit_intercept: bool):
        self.value = 0.0
        self.G = np.zeros((k, d + fit_intercept))
        self.GT: Array | None = None
        self.prod: Array | None = None
        self.d, self.fit_intercept = d, fit_intercept
        self.kept: list[Array] = []

    def add_rows(self, R: Array, Xb: Any) -> None:
        """Add ``R^T X_b`` and the column sums of ``R`` (the rows' share of a gradient)."""
        d = self.d
        if not isinstance(Xb, np.ndarray):
            self.G[:, :d] += np.asarray(Xb.T @ R).T
        elif R.dtype != np.float64 or Xb.dtype != np.float64:
            self.G[:, :d] += R.T @ Xb
        elif self.GT is None:  # the first block's product is the sum so far
            self.GT = np.matmul(Xb.T, R)
        else:
            self.prod = np.empty_like(self.GT) if self.prod is None else self.prod
            self.GT += np.matmul(Xb.T, R, out=self.prod)
        if self.fit_intercept:
            # Column sums as a product with ones: 1.7 ms against 4.6 ms per pass of 468-row
            # blocks for R.sum(axis=0) (float32 sums in float32, as the product).
            self.G[:, d] += _ones(len(R), R.dtype) @ R

    def add_transposed(self, gt: Array) -> None:
        """Add a ``(d + 1, K)`` sum laid out as ``[X^T R; 1^T R]`` (the core's fused kernel's),
        its last row only with intercepts."""
        d = self.d
        self.G[:, :d] += gt[:d].T
        if self.fit_intercept:
            self.G[:, d] += gt[d]

    def folded(self) -> _Sums:
        """``GT`` added into ``G`` (once, at the end of the thread's blocks)."""
        if self.GT is not None:
            self.G[:, : self.d] += self.GT.T
            self.GT = None
        return self

    @staticmethod
    def merged(parts: list[_Sums], k: int, d: int, fit_intercept: bool) -> _Sums:
        """The parts added up in their order (the first one receives the others)."""
        if not parts:
            return _Sums(k, d, fit_intercept)
        first = parts[0].folded()
        for p in parts[1:]:
            first.value += p.value
            first.G += p.folded().G
            first.kept += p.kept
        return first
