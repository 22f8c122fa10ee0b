r"""The minibatch loss and gradient of the stochastic solvers, with no set-up per minibatch.

:func:`minibatch_gradient` gives the ``loss_gradient(coef, idx, fraction)`` that
:func:`softmaxlab.models._solvers.minibatch_epochs` calls once per minibatch, for a dense
float32 or float64 ``X`` on the compiled core. Per minibatch of rows :math:`B`:

.. math:: Z = X_B W^\top + b, \qquad (\mathrm{CE}, R) = \texttt{core.cross\_entropy}(Z, y_B),
          \qquad \nabla_W = (s_B \odot R)^\top X_B / \textstyle\sum s + \lambda W,
          \qquad \nabla_b = \mathbf 1^\top (s_B \odot R) / \textstyle\sum s

with :math:`R = P - Y` from the core's fused kernel (one C call, no probabilities
written). These are the operations of :class:`~softmaxlab.models._loss.BoundLoss` on the
minibatch, in the same order, dtypes and row blocks, so the value and the gradient are
those of ``MultinomialLoss.loss_gradient(coef, X[idx], y[idx], sw[idx], l2, scale=total *
fraction)`` bit for bit; what goes away is the set-up around them (a bound loss, zeroed
sums, the dispatch of the core function and new arrays for the logits, the gradient rows
and the gradient): every buffer is allocated once per pass and reused. Minibatches that
:class:`BoundLoss` would spread over several threads, CSR input and a loss whose
``backend`` is not the compiled core keep that general path (:func:`minibatch_gradient`
returns None).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import _simd
from ..core import _dispatch
from ._blocks import IGNORE_INDEX, _blas_controller, _ones
from ._loss import BoundLoss, MultinomialLoss

__all__ = ["MinibatchGradient", "minibatch_gradient"]

Array = NDArray[Any]
_CORE_BACKENDS = (None, "auto", "compiled", "numba")


class MinibatchGradient:
    """``loss_gradient(coef, idx, fraction) -> (value, gradient)`` over minibatches of ``X``.

    ``idx`` is a ``slice`` (rows in order: a view) or an index array (rows gathered into a
    reused buffer, as ``X[idx]``); ``fraction`` the minibatch's share of the rows, so that
    the normaliser is ``total * fraction`` as in ``SoftmaxRegression``. The returned
    gradient (flat, laid out as ``coef``) is a buffer that the next call overwrites.
    Made by :func:`minibatch_gradient`, which checks that the fused path applies.
    """

    def __init__(
        self,
        spec: MultinomialLoss,
        X: Array,
        y: Array,
        sample_weight: Array | None,
        l2_reg_strength: float,
        total: float,
        block_rows: int,
        fused: bool = False,
    ):
        self.X, self.y, self.sw = X, y, sample_weight
        self.lam, self.total = float(l2_reg_strength), float(total)
        self.k, self.d = spec.n_classes, X.shape[1]
        self.fi = spec.fit_intercept
        self.dtype = X.dtype
        self.f64 = X.dtype == np.float64
        self.block_rows = block_rows
        self.Wt = np.empty((self.d, self.k), dtype=X.dtype)  # W^T in the working dtype
        self.G = np.empty((self.k, self.d + self.fi))  # the gradient, as coef
        self.GT = np.empty((self.d, self.k))  # X_b^T R of float64 blocks
        self.prod = np.empty((self.d, self.k))  # ... of the blocks after the first
        self.b = np.empty(self.k, dtype=X.dtype)  # float32 intercepts
        self._rows: dict[int, tuple[Array, Array, Array]] = {}  # logits, R, parts per size
        self._gather: Array | None = None
        # BoundLoss.fused: the minibatch is one call of the core's fused linear cross-entropy.
        self.fused = fused
        self.GT1 = np.empty((self.d + 1, self.k))  # its sums (d + 1, K)

    def _buffers(self, m: int) -> tuple[Array, Array, Array]:
        """The logits, gradient rows and per-row loss parts of an ``m``-row block."""
        bufs = self._rows.get(m)
        if bufs is None:
            z = np.empty((m, self.k), dtype=self.dtype)
            bufs = self._rows[m] = (z, np.empty_like(z), np.empty((3, m)))
        return bufs

    def _rows_of(self, idx: Any) -> tuple[Array, Array, Array | None]:
        """``X[idx]``, ``y[idx]`` and the weights of the rows (a gather into a buffer)."""
        sw = self.sw
        if isinstance(idx, slice):
            return self.X[idx], self.y[idx], None if sw is None else sw[idx]
        m = len(idx)
        if self._gather is None or self._gather.shape[0] < m:
            self._gather = np.empty((m, self.d), dtype=self.dtype)
        Xb = np.take(self.X, idx, axis=0, out=self._gather[:m])
        return Xb, self.y[idx], None if sw is None else sw[idx]

    def __call__(self, coef: Array, idx: Any, fraction: float) -> tuple[float, Array]:
        if self.fused:
            return self._fused(coef, idx, fraction)
        Xb, yb, swb = self._rows_of(idx)
        m = Xb.shape[0]
        norm = float(self.total * fraction)
        # As BoundLoss.__init__: s_i / norm in float64 and as a column in the working dtype.
        ws = None if swb is None else np.asarray(swb, dtype=np.float64) / norm
        ws_col = None if ws is None else ws.astype(self.dtype)[:, None]
        full = coef.reshape(self.k, self.d + self.fi)
        W = full[:, : self.d]
        np.copyto(self.Wt, W.T)  # as np.ascontiguousarray(W.T, dtype=...)
        b = None
        if self.fi:  # float64: the column itself (the copy of BoundLoss has its values)
            b = full[:, self.d] if self.f64 else self.b
            if not self.f64:
                np.copyto(b, full[:, self.d])
        G = self.G
        G.fill(0.0)
        value = 0.0
        first = True
        br = self.block_rows
        core: Any = _simd.core  # loaded: minibatch_gradient checked it
        for a in range(0, m, br):
            e = min(m, a + br)
            xb = Xb if e - a == m else Xb[a:e]
            z, g, parts = self._buffers(e - a)
            np.matmul(xb, self.Wt, out=z)
            if b is not None:
                z += b
            core.cross_entropy(
                z, yb[a:e], None, g, parts, 0, e - a, IGNORE_INDEX, 0.0, 1.0, float(self.k), 1
            )
            value += self._value(parts[0], None if ws is None else ws[a:e])
            if ws_col is not None:
                g *= ws_col[a:e]
            first = self._add_rows(g, xb, first)
        if not first and self.f64:
            G[:, : self.d] += self.GT.T
        return self._finish(value, W, ws is None, norm)

    def _finish(self, value: float, W: Array, unweighted: bool, norm: float) -> tuple[float, Array]:
        """The sums in ``G`` and ``value`` divided by ``norm`` when unweighted (as
        :meth:`BoundLoss._total`), plus the penalty; the flat gradient."""
        G = self.G
        if unweighted:
            inv_norm = 1.0 / norm
            value *= inv_norm
            G *= inv_norm
        value += 0.5 * self.lam * float(np.square(W).sum())  # BoundLoss._penalty
        if self.lam:
            G[:, : self.d] += self.lam * W
        return value, G.ravel()

    def _fused(self, coef: Array, idx: Any, fraction: float) -> tuple[float, Array]:
        """The minibatch through the core's fused linear cross-entropy, as
        :meth:`BoundLoss._fused_pass` on one thread computes it."""
        Xb, yb, swb = self._rows_of(idx)
        norm = float(self.total * fraction)
        ws = None if swb is None else np.asarray(swb, dtype=np.float64) / norm
        full = coef.reshape(self.k, self.d + self.fi)
        W = full[:, : self.d]
        np.copyto(self.Wt, W.T)
        b = None
        if self.fi:
            b = self.b
            np.copyto(b, full[:, self.d])
        gt = self.GT1
        gt.fill(0.0)
        core: Any = _simd.core
        value = core.linear_ce(Xb, self.Wt, b, yb, ws, gt, 0, Xb.shape[0])
        G = self.G
        G.fill(0.0)  # _Sums.add_transposed into zeros
        G[:, : self.d] += gt[: self.d].T
        if self.fi:
            G[:, self.d] += gt[self.d]
        return self._finish(value, W, ws is None, norm)

    def _value(self, nll: Array, w: Array | None) -> float:
        """The block's data term (:meth:`BoundLoss._value` of the per-row losses)."""
        # The core's 'none' losses: nll * (1 - 0.0) (exact: the same numbers) in the dtype.
        ce = nll if self.f64 else nll.astype(np.float32)
        if w is None:
            return float(ce.sum() if self.f64 else ce.sum(dtype=np.float64))
        return float(np.dot(np.asarray(ce, dtype=np.float64), w))

    def _add_rows(self, R: Array, Xb: Array, first: bool) -> bool:
        """:meth:`_Sums.add_rows` into the reused buffers; False once a product is held."""
        d = self.d
        if not self.f64:
            self.G[:, :d] += R.T @ Xb
        elif first:
            np.matmul(Xb.T, R, out=self.GT)
        else:
            self.GT += np.matmul(Xb.T, R, out=self.prod)
        if self.fi:
            self.G[:, d] += _ones(len(R), R.dtype) @ R
        return False


def minibatch_gradient(
    spec: MultinomialLoss,
    X: Any,
    y: Array,
    sample_weight: Array | None,
    l2_reg_strength: float,
    total: float,
    batch_size: int,
) -> tuple[MinibatchGradient, bool] | None:
    """The fused minibatch ``loss_gradient`` of ``X`` when it applies, else None.

    It applies to a dense float32/float64 ``X`` and int64 ``y`` with the compiled core loaded
    and ``spec.backend`` leaving the choice to it, when a minibatch of ``batch_size`` rows is
    one thread's work for :class:`BoundLoss` and small enough for one C call per block.
    Returns the function and whether its minibatches are split into row blocks (then BLAS
    runs on one thread, as :class:`BoundLoss` has it: see :func:`one_blas_thread`).
    """
    if (
        type(X) is not np.ndarray
        or X.ndim != 2
        or X.dtype not in (np.float32, np.float64)
        or _simd.core is None
        or spec.backend not in _CORE_BACKENDS
    ):
        return None
    y = np.ascontiguousarray(y)
    if y.dtype != np.int64:
        return None
    m = min(batch_size, X.shape[0])
    if m < 1:
        return None
    probe = BoundLoss(spec, X[:m], y[:m], None, l2_reg_strength, 1.0, None, None)
    rows = min(probe.block_rows, m)
    if (
        probe.n_threads != 1
        or rows * spec.n_classes * probe.dtype.itemsize >= _dispatch.SMALL_BYTES
    ):
        return None
    fused = MinibatchGradient(
        spec, X, y, sample_weight, l2_reg_strength, total, probe.block_rows, probe.fused
    )
    return fused, not probe.fused and m > probe.block_rows


def one_blas_thread(blocked: bool) -> Any:
    """BLAS limited to one thread while ``blocked`` minibatches run (as :class:`BoundLoss`
    does around its row blocks), else a context that does nothing."""
    import contextlib

    if not blocked:
        return contextlib.nullcontext()
    return _blas_controller().limit(limits=1, user_api="blas")
