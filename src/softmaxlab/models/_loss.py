"""The multinomial (softmax) cross-entropy loss of a linear model, with no state.

After scikit-learn's ``LinearModelLoss``: every method is a function of
``(coef, X, y, sample_weight, l2_reg_strength)``, so an estimator only wires it to an
optimiser, and a data-parallel fit can sum it over chunks. :meth:`MultinomialLoss.bind`
fixes the data once (a :class:`BoundLoss`, what the solvers call), and the evaluation reads
``X`` once per call: row blocks small enough to stay in cache get their logits, the fused
cross-entropy gradient of the core and their share of :math:`X^\\top R` in turn, and the blocks
are spread over the threads of :func:`softmaxlab.kernels.set_num_threads`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import _simd, kernels
from .._validation import param_error
from ..core import cross_entropy, cross_entropy_and_grad
from ..kernels import _threads
from ._blocks import (
    CHUNKS_PER_THREAD,
    IGNORE_INDEX,
    THREADED_MIN_ENTRIES,
    _blas_controller,
    _block_rows,
    _Sums,
)

__all__ = ["BoundLoss", "MultinomialLoss", "objective"]

Array = NDArray[Any]


class BoundLoss:
    r"""A :class:`MultinomialLoss` on fixed data: loss, gradient and Hessian products of ``coef``.

    Made by :meth:`MultinomialLoss.bind`. The rows of a dense ``X`` are split into blocks of
    ``block_rows`` rows (default: about :data:`._blocks.BLOCK_BYTES` of ``X`` rows, logits
    and gradient rows), and runs of blocks (:data:`CHUNKS_PER_THREAD` per thread) are taken
    in turn by ``n_threads`` threads (default :func:`softmaxlab.kernels.get_num_threads`,
    one for small data; ``ranges`` is the even split of the rows over them). Per block
    :math:`b`:

    .. math:: Z_b = X_b W^\top + b, \qquad (\mathrm{CE}_b, G_b) =
              \texttt{cross\_entropy\_and\_grad}(Z_b, y_b), \qquad
              \nabla_W \mathrel{+}= (s_b \odot G_b)^\top X_b / \textstyle\sum s

    with the fused kernel of the core for :math:`G_b = P_b - Y_b`, so that ``X`` is read
    from memory once per evaluation; BLAS runs on one thread inside the blocks when they
    are spread over several threads. Sums over blocks are float64, in a fixed order for a
    given ``n_threads``; without sample weights they are divided by the row count once, at
    the end. A CSR ``X`` is one block.

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.models import MultinomialLoss
    >>> X = np.arange(12.0).reshape(6, 2) / 10; y = np.array([0, 1, 2, 0, 1, 2])
    >>> bound = MultinomialLoss(3).bind(X, y, l2_reg_strength=0.1, block_rows=4)
    >>> value, grad = bound.loss_gradient(np.zeros(9))
    >>> round(value, 6), grad.shape                          # log 3 at zero
    (1.098612, (9,))
    """

    def __init__(
        self,
        loss: MultinomialLoss,
        X: Any,
        y: Any,
        sample_weight: Any,
        l2_reg_strength: float,
        scale: float | None,
        block_rows: int | None,
        n_threads: int | None,
    ):
        self.spec, self.X = loss, X
        self.n, self.d = X.shape
        self.dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.dtype(np.float64)
        self.y = np.asarray(y, dtype=np.intp)
        if sample_weight is None:
            s, total = None, float(self.n)
        else:
            s = np.asarray(sample_weight, dtype=np.float64)
            total = float(s.sum())
        norm = total if scale is None else float(scale)
        # Per-sample factors s_i / norm (None: all 1 / norm): float64 for the loss, and a
        # column in the working dtype for the gradient rows.
        self.inv_norm = 1.0 / norm
        self.ws = None if s is None else s / norm
        self.ws_col = None if self.ws is None else self.ws.astype(self.dtype)[:, None]
        self.lam = float(l2_reg_strength)
        k = loss.n_classes
        if block_rows is None:
            block_rows = _block_rows(self.d, k, self.dtype.itemsize)
        dense = isinstance(X, np.ndarray)
        self.block_rows = max(1, int(block_rows)) if dense else max(self.n, 1)
        nt = _threads.get_num_threads() if n_threads is None else int(n_threads)
        if not dense or self.n * self.d < THREADED_MIN_ENTRIES:
            nt = 1
        if self.block_rows * k * self.dtype.itemsize >= _threads.PARALLEL_MIN_BYTES:
            # The kernels split such logit blocks across the core's threads themselves: one
            # range here, so that the two kinds of threads do not compete for the cores.
            nt = 1
        nt = max(1, min(nt, -(-self.n // self.block_rows)))
        self.n_threads = nt
        self.ranges = _threads._bounds(self.n, nt) if self.n else []
        # The work: runs of whole blocks, taken in turn by the threads, summed in order.
        step = self.block_rows * max(1, -(-self.n // (self.block_rows * CHUNKS_PER_THREAD * nt)))
        self.chunks = (
            self.ranges if nt == 1 else [(a, min(self.n, a + step)) for a in range(0, self.n, step)]
        )
        # Dense float32/float64 blocks on the compiled core call its fused cross-entropy
        # directly, into buffers reused across a chunk's blocks: the values of
        # cross_entropy_and_grad(reduction='none'), without its per-call checks and arrays.
        self.direct = loss._direct(X) and self.y.flags.c_contiguous
        # ... and C-contiguous ones with few enough classes go through its fused linear
        # cross-entropy: one call per chunk computes the logits, the loss and the gradient
        # with X read once, in register tiles (the skinny products BLAS runs slowly), and
        # without the GIL, so that threads scale.
        self.fused = self.direct and loss.fuses(X)

    # ------------------------------------------------------------------ the block pass
    def _weights(self, lo: int, hi: int) -> Any:
        """``s_i / norm`` of rows ``lo:hi`` as a column (None unweighted: see :meth:`_total`)."""
        return None if self.ws_col is None else self.ws_col[lo:hi]

    def _value(self, ce: Any, lo: int, hi: int) -> float:
        r"""The rows' share of the data term, :math:`\sum_i s_i \mathrm{CE}_i` (/ norm)."""
        if self.ws is None:
            return float(ce.sum() if ce.dtype == np.float64 else ce.sum(dtype=np.float64))
        return float(np.dot(np.asarray(ce, dtype=np.float64), self.ws[lo:hi]))

    def _blocks(self, lo: int, hi: int) -> Any:
        """``(start, stop, X[start:stop])`` of the row blocks of ``lo:hi``."""
        if lo == 0 and hi == self.n and self.block_rows >= self.n:
            yield 0, self.n, self.X  # no slice (a CSR slice is a copy)
            return
        for a in range(lo, hi, self.block_rows):
            b = min(hi, a + self.block_rows)
            yield a, b, self.X[a:b]

    def _over_ranges(self, fn: Callable[[int, int], _Sums]) -> list[_Sums]:
        """``fn`` on every chunk, in chunk order, the chunks taken by ``n_threads`` threads as
        they come free; BLAS on one thread inside blocks (as configured for a single block)."""
        chunks = self.chunks
        if len(chunks) <= 1 and self.n <= self.block_rows:
            return [fn(lo, hi) for lo, hi in chunks]
        with _blas_controller().limit(limits=1, user_api="blas"):
            if self.n_threads == 1 or len(chunks) == 1:
                return [fn(lo, hi) for lo, hi in chunks]
            out: list[Any] = [None] * len(chunks)
            taken = itertools.count()  # next() is atomic under the GIL

            def worker() -> None:
                for i in taken:
                    if i >= len(chunks):
                        return
                    out[i] = fn(*chunks[i])

            _threads._run([worker] * self.n_threads)
            return out

    def _total(self, parts: list[_Sums]) -> _Sums:
        """The threads' sums added up, times 1 / norm when there are no sample weights."""
        total = _Sums.merged(parts, self.spec.n_classes, self.d, self.spec.fit_intercept)
        if self.ws_col is None:
            total.value *= self.inv_norm
            total.G *= self.inv_norm
        return total

    def _logits(self, Xb: Any, Wt: Array, b: Array | None, buf: list[Any]) -> Array:
        """``X_b W^T + b``, for a dense block into ``buf[0]`` (reused by the chunk's blocks)."""
        if isinstance(Xb, np.ndarray):
            m = Xb.shape[0]
            if buf[0] is None or buf[0].shape[0] < m:
                buf[0] = np.empty((m, Wt.shape[1]), dtype=np.result_type(Xb, Wt))
            z = np.matmul(Xb, Wt, out=buf[0][:m])
        else:
            z = np.asarray(Xb @ Wt)
        if b is not None:
            z += b
        return z

    def _block_ce(
        self, z: Array, y: Array, want_grad: bool, keep: bool, buf: list[Any]
    ) -> tuple[Any, Array | None]:
        """Per-row losses (in the logits' dtype) and, with ``want_grad``, the gradient rows
        ``P − Y`` of one block: the core's kernel called directly (see :attr:`direct`), the
        gradient into ``buf[1]`` unless ``keep`` (the kept rows need arrays of their own)."""
        m = len(z)
        if not self.direct or z.nbytes >= _threads.PARALLEL_MIN_BYTES:  # large: threaded
            if not want_grad:
                return cross_entropy(z, y, reduction="none", backend=self.spec.backend), None
            return cross_entropy_and_grad(z, y, reduction="none", backend=self.spec.backend)
        if buf[2] is None or buf[2].size < 3 * m:
            buf[2] = np.empty(3 * m)
        parts = buf[2][: 3 * m].reshape(3, m)  # C-contiguous, as the core takes it
        g = None
        if want_grad:
            if keep:
                g = np.empty_like(z)
            else:
                if buf[1] is None or buf[1].shape[0] < m:
                    buf[1] = np.empty_like(z)
                g = buf[1][:m]
        core: Any = _simd.core
        core.cross_entropy(z, y, None, g, parts, 0, m, IGNORE_INDEX, 0.0, 1.0, float(z.shape[1]), 1)
        # The 'none' losses are the parts' nll times (1 - 0.0), in the logits' dtype.
        return (parts[0] if z.dtype == np.float64 else parts[0].astype(z.dtype)), g

    def _split(self, coef: Array) -> tuple[Array, Array, Array | None]:
        """``W`` (float64) and, in the working dtype, ``W^T`` and the intercepts (or None)."""
        W, b = self.spec.unpack(np.asarray(coef, dtype=np.float64), self.d)
        Wt = np.ascontiguousarray(W.T, dtype=self.dtype)
        return W, Wt, (b.astype(self.dtype) if self.spec.fit_intercept else None)

    def _pass(self, coef: Array, want_grad: bool, keep: bool) -> tuple[float, Array | None, list]:
        """Data term, its gradient (flat, with the penalty) and the kept ``P`` blocks."""
        W, Wt, b = self._split(coef)

        def run(lo: int, hi: int) -> _Sums:
            acc = _Sums(self.spec.n_classes, self.d, self.spec.fit_intercept)
            buf: list[Any] = [None, None, None]  # logits, gradient rows, per-row parts
            for a, e, Xb in self._blocks(lo, hi):
                z = self._logits(Xb, Wt, b, buf)
                y = self.y[a:e]
                ce, g = self._block_ce(z, y, want_grad, keep, buf)
                acc.value += self._value(ce, a, e)
                if g is None:
                    continue
                w = self._weights(a, e)
                if keep:
                    acc.add_rows(g if w is None else g * w, Xb)
                    # P back from P - Y, in place: (p - 1) + 1 is exact for p >= 1/2 and off
                    # by half an ulp of 1 below, which the curvature model does not notice.
                    g[np.arange(e - a), y] += 1
                    acc.kept.append(g)
                else:
                    if w is not None:
                        g *= w  # g is ours: weighted in place
                    acc.add_rows(g, Xb)
            return acc

        chunk = self._fused_chunk(Wt, b, want_grad) if self.fused and not keep else run
        total = self._total(self._over_ranges(chunk))
        value = total.value + self._penalty(W)
        if not want_grad:
            return value, None, []
        return value, self._with_penalty(total.G, W), total.kept

    def _fused_chunk(
        self, Wt: Array, b: Array | None, want_grad: bool
    ) -> Callable[[int, int], _Sums]:
        r"""The chunk function of :meth:`_pass` through the core's fused kernel (see
        :attr:`fused`): one call per chunk, which adds :math:`[X^\top (s \odot G);
        \sum_i s_i G_i]` into its own float64 ``(d + 1, K)`` array."""
        core: Any = _simd.core
        k, d, fi = self.spec.n_classes, self.d, self.spec.fit_intercept

        def run(lo: int, hi: int) -> _Sums:
            acc = _Sums(k, d, fi)
            gt = np.zeros((d + 1, k)) if want_grad else None
            acc.value = core.linear_ce(self.X, Wt, b, self.y, self.ws, gt, lo, hi)
            if gt is not None:
                acc.add_transposed(gt)
            return acc

        return run

    def _penalty(self, W: Array) -> float:
        """½·λ·‖W‖²_F in float64; the intercepts are not penalised."""
        return 0.5 * self.lam * float(np.sum(np.square(W, dtype=np.float64)))

    def _with_penalty(self, G: Array, W: Array) -> Array:
        """``G`` (laid out as ``coef``) plus ``λ W`` on its weights, flat."""
        if self.lam:
            G[:, : self.d] += self.lam * W
        return G.ravel()

    def _by_block(self, probs: list[Array], fn: Callable[..., None]) -> Array:
        """``fn(P_b, X_b, w_b, sums, buf)`` over the blocks of the kept ``P`` (``w_b`` None
        without sample weights, ``buf`` the thread's logit buffer); the sums, as ``coef``."""
        starts = [a for lo, hi in self.chunks for a in range(lo, hi, self.block_rows)]
        index = {a: i for i, a in enumerate(starts)}
        k, fi = self.spec.n_classes, self.spec.fit_intercept

        def run(lo: int, hi: int) -> _Sums:
            acc = _Sums(k, self.d, fi)
            buf: list[Any] = [None]
            for a, e, Xb in self._blocks(lo, hi):
                fn(probs[index[a]], Xb, self._weights(a, e), acc, buf)
            return acc

        return self._total(self._over_ranges(run)).G

    # ------------------------------------------------------------------ public
    def loss(self, coef: Array) -> float:
        """The objective :math:`L` at ``coef`` (a float)."""
        return self._pass(coef, want_grad=False, keep=False)[0]

    def loss_gradient(self, coef: Array) -> tuple[float, Array]:
        """The objective and its gradient (flat float64, like ``coef``)."""
        value, grad, _ = self._pass(coef, want_grad=True, keep=False)
        return value, grad  # type: ignore[return-value]

    def gradient(self, coef: Array) -> Array:
        """The gradient of the objective with respect to the flat ``coef``."""
        return self.loss_gradient(coef)[1]

    def gradient_hessian_product(self, coef: Array) -> tuple[Array, Callable[[Array], Array]]:
        """The gradient and the Hessian-vector product function (see :meth:`newton_terms`)."""
        _, grad, hessp, _ = self.newton_terms(coef)
        return grad, hessp

    def loss_gradient_hessian_product(
        self, coef: Array
    ) -> tuple[float, Array, Callable[[Array], Array]]:
        """The objective, its gradient and the Hessian-vector product function, in one pass."""
        value, grad, hessp, _ = self.newton_terms(coef)
        return value, grad, hessp

    def newton_terms(
        self, coef: Array, *, diagonal: bool = False, X_squared: Any = None
    ) -> tuple[float, Array, Callable[[Array], Array], Array | None]:
        r"""Objective, gradient, Hessian-vector product and (optionally) the Hessian diagonal.

        For a direction ``V`` (flat, split like ``coef`` into :math:`V_W, v_b`), with
        :math:`A = X V_W^\top + v_b` and :math:`R = P \odot (A - (P \odot A)\mathbf 1)`:

        .. math::

            H v = \Bigl(\tfrac{1}{\sum s}(s \odot R)^\top X + \lambda V_W,\;
            \tfrac{1}{\sum s} \sum_i s_i R_i\Bigr)

        computed block by block as the gradient (``X`` read once per product; the
        probabilities are kept from the gradient pass). With ``diagonal``,

        .. math:: H_{(k,j),(k,j)} = \tfrac{1}{\sum s} \sum_i s_i p_{ik}(1 - p_{ik})
                  x_{ij}^2 + \lambda, \qquad H_{b_k, b_k} = \tfrac{1}{\sum s}
                  \sum_i s_i p_{ik}(1 - p_{ik})

        is returned as well (a Jacobi preconditioner for conjugate gradients), else None;
        the squares of ``X`` are formed block by block. ``X_squared`` (the former way to ask
        for the diagonal, with the squares computed by the caller) means ``diagonal=True``;
        it is not read.
        """
        value, grad, probs = self._pass(coef, want_grad=True, keep=True)
        assert grad is not None
        lam = self.lam
        compiled = self.spec.backend in (None, "auto", "compiled") and kernels.available()

        def hessp(v: Array) -> Array:
            Vw, Vt, vbt = self._split(v)

            def block(P: Array, Xb: Any, w: Any, acc: _Sums, buf: list) -> None:
                a = self._logits(Xb, Vt, vbt, buf)
                r = _softmax_vjp(P, a, compiled)  # P * (A - (P * A) 1), into a's buffer
                if w is not None:
                    r *= w
                acc.add_rows(r, Xb)

            return self._with_penalty(self._by_block(probs, block), Vw)

        diag = None
        if diagonal or X_squared is not None:

            def block_diag(P: Array, Xb: Any, w: Any, acc: _Sums, buf: list) -> None:
                q = P * (1 - P)
                if w is not None:
                    q *= w
                acc.add_rows(q, Xb.multiply(Xb) if hasattr(Xb, "multiply") else np.square(Xb))

            D = self._by_block(probs, block_diag)
            D[:, : self.d] += lam
            diag = D.ravel()
        return value, grad, hessp, diag


def _softmax_vjp(P: Array, A: Array, compiled: bool) -> Array:
    r""":math:`P \odot (A - (P \odot A)\mathbf 1)` per row into ``A`` (the core's softmax_vjp)."""
    if compiled and A.flags.c_contiguous and A.dtype == P.dtype and A.shape == P.shape:
        return kernels.softmax_vjp_rows(P, A, out=A)
    pa = P * A
    return np.subtract(pa, P * pa.sum(axis=1, keepdims=True), out=A)


def _delegate(name: str) -> Callable[..., Any]:
    """The method ``name`` of :class:`MultinomialLoss`: :meth:`MultinomialLoss.bind` on the
    data, then ``BoundLoss.<name>(coef)`` (the docstring is the bound method's)."""

    def method(
        self: MultinomialLoss,
        coef: Array,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        l2_reg_strength: float = 0.0,
        *,
        scale: float | None = None,
        **options: Any,
    ) -> Any:
        bound = self.bind(X, y, sample_weight, l2_reg_strength, scale=scale)
        return getattr(bound, name)(coef, **options)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = getattr(BoundLoss, name).__doc__
    return method


class MultinomialLoss:
    r"""Weighted mean multinomial cross-entropy of a linear model plus an L2 penalty.

    With ``W`` of shape ``(K, d)``, intercepts ``b`` (``(K,)``, zero without intercept),
    logits :math:`z_i = W x_i + b`, one-hot targets :math:`Y` and sample weights :math:`s`:

    .. math::

        L(W, b) = \frac{1}{\sum_i s_i} \sum_i s_i \bigl(-\operatorname{log\_softmax}(z_i)_{y_i}
        \bigr) + \frac{\lambda}{2} \lVert W \rVert_F^2

        \nabla_W L = \frac{1}{\sum_i s_i} (s \odot (P - Y))^\top X + \lambda W, \qquad
        \nabla_b L = \frac{1}{\sum_i s_i} \sum_i s_i (p_i - e_{y_i})

    where :math:`P = \operatorname{softmax}(Z)`. The intercept is never penalised.
    scikit-learn's ``LogisticRegression`` objective :math:`C \sum_i s_i \mathrm{CE}_i +
    \tfrac12 \lVert W \rVert^2` is :math:`C \sum_i s_i \cdot L` with
    :math:`\lambda = 1 / (C \sum_i s_i)`; it has the same minimiser.

    Parameters
    ----------
    n_classes : int
        Number of classes ``K`` (at least 2).
    fit_intercept : bool, default True
        Whether ``coef`` carries a last column of intercepts.
    backend : str or None, default None
        Passed on to :func:`softmaxlab.cross_entropy_and_grad` ('numpy' keeps the reference
        path).

    Notes
    -----
    ``coef`` is the flat array of ``(K, d + fit_intercept)`` coefficients (row-major), as the
    optimisers of :mod:`scipy.optimize` want it; :meth:`unpack` splits it. Logits and
    products with ``X`` are computed in the dtype of ``X`` (float32 stays float32, the BLAS
    ``sgemm``), block by block (see :class:`BoundLoss`); the log-softmax accumulates in
    float64 or wider, and every sum over samples and over blocks is returned in float64.
    ``X`` may be a dense array or a SciPy CSR matrix (one block).

    The methods ``loss``, ``loss_gradient``, ``gradient``, ``gradient_hessian_product``,
    ``loss_gradient_hessian_product`` and ``newton_terms`` all take
    ``(coef, X, y, sample_weight=None, l2_reg_strength=0.0, *, scale=None)`` and are those of
    ``bind(X, y, sample_weight, l2_reg_strength, scale=scale)``; ``scale`` replaces
    :math:`\sum_i s_i` as the normaliser (a data-parallel fit passes the total weight of all
    chunks so that chunk losses add up).

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.models import MultinomialLoss
    >>> loss = MultinomialLoss(n_classes=3)
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> y = np.array([0, 2])
    >>> coef = np.zeros(3 * 3)                       # all logits 0: loss log(3)
    >>> round(float(loss.loss(coef, X, y)), 6)
    1.098612
    >>> loss.gradient(coef, X, y).reshape(3, 3).round(4)
    array([[-0.3333,  0.1667, -0.1667],
           [ 0.1667,  0.1667,  0.3333],
           [ 0.1667, -0.3333, -0.1667]])
    """

    def __init__(self, n_classes: int, fit_intercept: bool = True, *, backend: str | None = None):
        is_int = not isinstance(n_classes, bool) and isinstance(n_classes, int | np.integer)
        if not is_int or n_classes < 2:
            raise param_error("n_classes", "an int >= 2", n_classes, func="MultinomialLoss")
        self.n_classes = int(n_classes)
        self.fit_intercept = bool(fit_intercept)
        self.backend = backend

    # ------------------------------------------------------------------ layout
    def n_coef(self, n_features: int) -> int:
        """Length of the flat ``coef`` for ``n_features`` features."""
        return self.n_classes * (n_features + int(self.fit_intercept))

    def init_zero_coef(self, X: Any, dtype: Any = np.float64) -> Array:
        """A flat zero ``coef`` for the data ``X``."""
        return np.zeros(self.n_coef(X.shape[1]), dtype=dtype)

    def unpack(self, coef: Array, n_features: int) -> tuple[Array, Array]:
        """Split a flat ``coef`` into ``W`` of shape ``(K, d)`` and ``b`` of shape ``(K,)``."""
        k = self.n_classes
        full = np.asarray(coef).reshape(k, n_features + int(self.fit_intercept))
        if self.fit_intercept:
            return full[:, :-1], full[:, -1]
        return full, np.zeros(k, dtype=full.dtype)

    def pack(self, W: Array, b: Array | None) -> Array:
        """Inverse of :meth:`unpack`."""
        if self.fit_intercept:
            assert b is not None
            return np.column_stack([W, b]).ravel()
        return np.asarray(W).ravel()

    def raw_prediction(self, coef: Array, X: Any) -> Array:
        """Logits ``X @ W.T + b`` of shape ``(n_samples, K)``, in the dtype of ``X``."""
        W, b = self.unpack(coef, X.shape[1])
        dt = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
        z = np.asarray(X @ W.T.astype(dt, copy=False))
        if self.fit_intercept:
            z += b.astype(dt, copy=False)
        return z

    def _direct(self, X: Any) -> bool:
        """Whether dense rows ``X`` go to the compiled core's cross-entropy kernels."""
        return bool(
            isinstance(X, np.ndarray)
            and _simd.core is not None
            and X.dtype in (np.float32, np.float64)
            and self.backend in (None, "auto", "compiled", "numba")
        )

    def fuses(self, X: Any) -> bool:
        """Whether :meth:`bind` computes rows ``X`` (with C-contiguous labels) through the
        compiled core's fused linear cross-entropy: dense C-contiguous float32 or float64
        rows and at most ``linear_ce_max_classes`` classes. That kernel reads rows at any
        address at full speed (BLAS, on the other path, is ~3x slower on unaligned ones)."""
        core: Any = _simd.core
        return bool(
            self._direct(X)
            and X.flags.c_contiguous
            and self.n_classes <= core.linear_ce_max_classes(X.itemsize)
        )

    def bind(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        l2_reg_strength: float = 0.0,
        *,
        scale: float | None = None,
        block_rows: int | None = None,
        n_threads: int | None = None,
    ) -> BoundLoss:
        """The loss on fixed data: a :class:`BoundLoss` whose methods take ``coef`` only."""
        return BoundLoss(self, X, y, sample_weight, l2_reg_strength, scale, block_rows, n_threads)

    loss = _delegate("loss")
    loss_gradient = _delegate("loss_gradient")
    gradient = _delegate("gradient")
    gradient_hessian_product = _delegate("gradient_hessian_product")
    loss_gradient_hessian_product = _delegate("loss_gradient_hessian_product")

    newton_terms = _delegate("newton_terms")


def objective(
    coef: Array,
    intercept: Array | None,
    X: Any,
    y: Array,
    C: float = 1.0,
    sample_weight: Array | None = None,
) -> float:
    r"""scikit-learn's ``LogisticRegression`` objective of a multinomial model.

    .. math:: C \sum_i s_i\, \mathrm{CE}\bigl(y_i, \operatorname{softmax}(W x_i + b)\bigr)
              + \tfrac12 \lVert W \rVert_F^2

    ``y`` holds class indices ``0..K-1``; ``C=np.inf`` drops the penalty (and returns the
    unscaled data term :math:`\sum_i s_i \mathrm{CE}_i`). The per-sample cross-entropies are
    those of :func:`softmaxlab.cross_entropy` (``reduction="none"``).

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.models import objective
    >>> W = np.zeros((3, 2)); X = np.ones((4, 2)); y = np.array([0, 1, 2, 0])
    >>> round(objective(W, None, X, y, C=1.0), 6)     # 4 log 3
    4.394449
    """
    W = np.asarray(coef, dtype=np.float64)
    z = np.asarray(X @ W.T, dtype=np.float64)
    z = z if intercept is None else z + np.asarray(intercept, dtype=np.float64)
    ce = cross_entropy(z, np.asarray(y, dtype=np.intp), reduction="none")
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    data = float(np.dot(s, ce))
    return data if np.isinf(C) else C * data + 0.5 * float(np.sum(W * W))
