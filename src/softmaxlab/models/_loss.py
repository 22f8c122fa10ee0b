"""The multinomial (softmax) cross-entropy loss of a linear model, with no state.

After scikit-learn's ``LinearModelLoss``: every method is a function of
``(coef, X, y, sample_weight, l2_reg_strength)``, so an estimator only wires it to an
optimiser, and a data-parallel fit can sum it over chunks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import param_error
from ..core import cross_entropy, cross_entropy_and_grad

__all__ = ["MultinomialLoss", "objective"]


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

    Notes
    -----
    ``coef`` is the flat array of ``(K, d + fit_intercept)`` coefficients (row-major), as the
    optimisers of :mod:`scipy.optimize` want it; :meth:`unpack` splits it. Logits and
    products with ``X`` are computed in the dtype of ``X`` (float32 stays float32, the BLAS
    ``sgemm``); the log-softmax accumulates in float64 or wider, and every sum over samples is
    returned in float64. ``X`` may be a dense array or a SciPy CSR matrix.

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
        if isinstance(n_classes, bool) or not isinstance(n_classes, int | np.integer):
            raise param_error("n_classes", "an int >= 2", n_classes, func="MultinomialLoss")
        if n_classes < 2:
            raise param_error("n_classes", "an int >= 2", n_classes, func="MultinomialLoss")
        self.n_classes = int(n_classes)
        self.fit_intercept = bool(fit_intercept)
        # Passed on to core's cross_entropy: "numpy" keeps the reference path (Dask workers).
        self.backend = backend

    # ------------------------------------------------------------------ layout
    def n_coef(self, n_features: int) -> int:
        """Length of the flat ``coef`` for ``n_features`` features."""
        return self.n_classes * (n_features + int(self.fit_intercept))

    def init_zero_coef(self, X: Any, dtype: Any = np.float64) -> NDArray[Any]:
        """A flat zero ``coef`` for the data ``X``."""
        return np.zeros(self.n_coef(X.shape[1]), dtype=dtype)

    def unpack(self, coef: NDArray[Any], n_features: int) -> tuple[NDArray[Any], NDArray[Any]]:
        """Split a flat ``coef`` into ``W`` of shape ``(K, d)`` and ``b`` of shape ``(K,)``."""
        k = self.n_classes
        full = np.asarray(coef).reshape(k, n_features + int(self.fit_intercept))
        if self.fit_intercept:
            return full[:, :-1], full[:, -1]
        return full, np.zeros(k, dtype=full.dtype)

    def pack(self, W: NDArray[Any], b: NDArray[Any] | None) -> NDArray[Any]:
        """Inverse of :meth:`unpack`."""
        if self.fit_intercept:
            assert b is not None
            return np.column_stack([W, b]).ravel()
        return np.asarray(W).ravel()

    # ------------------------------------------------------------------ pieces
    def raw_prediction(self, coef: NDArray[Any], X: Any) -> NDArray[Any]:
        """Logits ``X @ W.T + b`` of shape ``(n_samples, K)``, in the dtype of ``X``."""
        W, b = self.unpack(coef, X.shape[1])
        dt = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
        z = np.asarray(X @ W.T.astype(dt, copy=False))
        if self.fit_intercept:
            z += b.astype(dt, copy=False)
        return z

    def _penalty(self, coef: NDArray[Any], n_features: int, l2_reg_strength: float) -> float:
        """½·λ·‖W‖²_F in float64; the intercepts are not penalised."""
        W, _ = self.unpack(coef, n_features)
        return 0.5 * float(l2_reg_strength) * float(np.sum(np.square(W, dtype=np.float64)))

    def _weights(self, y: Any, sample_weight: Any, n: int) -> tuple[NDArray[Any], float]:
        if sample_weight is None:
            return np.ones(n), float(n)
        s = np.asarray(sample_weight, dtype=np.float64)
        return s, float(s.sum())

    def _terms(
        self, coef: NDArray[Any], X: Any, y: Any, sample_weight: Any, scale: float | None
    ) -> tuple[float, NDArray[Any], NDArray[Any], NDArray[Any]]:
        """Data term, residuals ``P - Y``, weighted residuals ``s (P - Y) / S``, ``s / S``.

        The per-sample losses and the per-sample gradients ``P - Y`` come from one call of
        :func:`softmaxlab.cross_entropy_and_grad` (``reduction="none"``), the fused kernel
        on large inputs; only the sample weights are applied here.
        """
        n = X.shape[0]
        yi = np.asarray(y, dtype=np.intp)
        s, total = self._weights(y, sample_weight, n)
        norm = total if scale is None else scale
        z = self.raw_prediction(coef, X)
        ce, g = cross_entropy_and_grad(z, yi, reduction="none", backend=self.backend)
        data = float(np.dot(s, np.asarray(ce, dtype=np.float64))) / norm
        ws = (s / norm).astype(g.dtype, copy=False)
        return data, g, g * ws[:, None], ws

    def _grad_from_resid(
        self, coef: NDArray[Any], X: Any, resid: NDArray[Any], l2_reg_strength: float
    ) -> NDArray[Any]:
        d = X.shape[1]
        W, _ = self.unpack(coef, d)
        gW = np.asarray(X.T @ resid).T.astype(np.float64)
        if l2_reg_strength:
            gW += l2_reg_strength * W
        if self.fit_intercept:
            gb = resid.sum(axis=0, dtype=np.float64)
            return np.column_stack([gW, gb]).ravel()
        return gW.ravel()

    # ------------------------------------------------------------------ public API
    def loss(
        self,
        coef: NDArray[Any],
        X: Any,
        y: Any,
        sample_weight: Any = None,
        l2_reg_strength: float = 0.0,
        *,
        scale: float | None = None,
    ) -> float:
        """The objective :math:`L` at ``coef`` (a float).

        ``scale`` replaces :math:`\\sum_i s_i` as the normaliser (a data-parallel fit passes
        the total weight of all chunks so that chunk losses add up).
        """
        n = X.shape[0]
        yi = np.asarray(y, dtype=np.intp)
        s, total = self._weights(y, sample_weight, n)
        norm = total if scale is None else scale
        ce = cross_entropy(self.raw_prediction(coef, X), yi, reduction="none", backend=self.backend)
        data = float(np.dot(s, np.asarray(ce, dtype=np.float64))) / norm
        return data + self._penalty(coef, X.shape[1], l2_reg_strength)

    def loss_gradient(
        self,
        coef: NDArray[Any],
        X: Any,
        y: Any,
        sample_weight: Any = None,
        l2_reg_strength: float = 0.0,
        *,
        scale: float | None = None,
    ) -> tuple[float, NDArray[Any]]:
        """The objective and its gradient (flat float64, like ``coef``)."""
        data, _, resid, _ = self._terms(coef, X, y, sample_weight, scale)
        value = data + self._penalty(coef, X.shape[1], l2_reg_strength)
        return value, self._grad_from_resid(coef, X, resid, l2_reg_strength)

    def gradient(
        self,
        coef: NDArray[Any],
        X: Any,
        y: Any,
        sample_weight: Any = None,
        l2_reg_strength: float = 0.0,
        *,
        scale: float | None = None,
    ) -> NDArray[Any]:
        """The gradient of the objective with respect to the flat ``coef``."""
        return self.loss_gradient(coef, X, y, sample_weight, l2_reg_strength, scale=scale)[1]

    def gradient_hessian_product(
        self,
        coef: NDArray[Any],
        X: Any,
        y: Any,
        sample_weight: Any = None,
        l2_reg_strength: float = 0.0,
        *,
        scale: float | None = None,
    ) -> tuple[NDArray[Any], Callable[[NDArray[Any]], NDArray[Any]]]:
        r"""The gradient and a function computing Hessian-vector products at ``coef``.

        For a direction ``V`` (flat, split like ``coef`` into :math:`V_W, v_b`), with
        :math:`A = X V_W^\top + v_b` and :math:`R = P \odot (A - (P \odot A)\mathbf 1)`:

        .. math::

            H v = \Bigl(\tfrac{1}{\sum s}(s \odot R)^\top X + \lambda V_W,\;
            \tfrac{1}{\sum s} \sum_i s_i R_i\Bigr)

        Each product costs two passes over ``X``; the probabilities are computed once.
        """
        _, grad, hessp = self.loss_gradient_hessian_product(
            coef, X, y, sample_weight, l2_reg_strength, scale=scale
        )
        return grad, hessp

    def loss_gradient_hessian_product(
        self,
        coef: NDArray[Any],
        X: Any,
        y: Any,
        sample_weight: Any = None,
        l2_reg_strength: float = 0.0,
        *,
        scale: float | None = None,
    ) -> tuple[float, NDArray[Any], Callable[[NDArray[Any]], NDArray[Any]]]:
        """The objective, its gradient and the Hessian-vector product function, in one pass."""
        value, grad, hessp, _ = self.newton_terms(
            coef, X, y, sample_weight, l2_reg_strength, scale=scale
        )
        return value, grad, hessp

    def newton_terms(
        self,
        coef: NDArray[Any],
        X: Any,
        y: Any,
        sample_weight: Any = None,
        l2_reg_strength: float = 0.0,
        *,
        scale: float | None = None,
        X_squared: Any = None,
    ) -> tuple[float, NDArray[Any], Callable[[NDArray[Any]], NDArray[Any]], NDArray[Any] | None]:
        r"""Objective, gradient, Hessian-vector product and (optionally) the Hessian diagonal.

        With ``X_squared`` (``X`` squared elementwise, computed once per fit), the diagonal

        .. math:: H_{(k,j),(k,j)} = \tfrac{1}{\sum s} \sum_i s_i p_{ik}(1 - p_{ik})
                  x_{ij}^2 + \lambda, \qquad H_{b_k, b_k} = \tfrac{1}{\sum s}
                  \sum_i s_i p_{ik}(1 - p_{ik})

        is returned as well (a Jacobi preconditioner for conjugate gradients), else None.
        """
        data, p, resid, ws = self._terms(coef, X, y, sample_weight, scale)
        d = X.shape[1]
        lam = float(l2_reg_strength)
        value = data + self._penalty(coef, d, lam)
        grad = self._grad_from_resid(coef, X, resid, lam)
        # P back from the residual P - Y, in place: (p - 1) + 1 is exact for p >= 1/2 and off by
        # at most half an ulp of 1 below, an absolute error the Hessian-vector products (a
        # curvature model, not the objective or the gradient) do not notice.
        p[np.arange(p.shape[0]), np.asarray(y, dtype=np.intp)] += 1
        del resid
        dt = p.dtype

        def hessp(v: NDArray[Any]) -> NDArray[Any]:
            Vw, vb = self.unpack(np.asarray(v, dtype=np.float64), d)
            a = np.asarray(X @ Vw.T.astype(dt, copy=False))
            if self.fit_intercept:
                a += vb.astype(dt, copy=False)
            pa = p * a
            r = pa - p * pa.sum(axis=1, keepdims=True)
            r *= ws[:, None]
            hw = np.asarray(X.T @ r).T.astype(np.float64)
            if lam:
                hw += lam * Vw
            if self.fit_intercept:
                return np.column_stack([hw, r.sum(axis=0, dtype=np.float64)]).ravel()
            return hw.ravel()

        diag = None
        if X_squared is not None:
            q = p * (1 - p)
            q *= ws[:, None]
            dw = np.asarray(X_squared.T @ q).T.astype(np.float64) + lam
            if self.fit_intercept:
                diag = np.column_stack([dw, q.sum(axis=0, dtype=np.float64)]).ravel()
            else:
                diag = dw.ravel()
        return value, grad, hessp, diag


def objective(
    coef: NDArray[Any],
    intercept: NDArray[Any] | None,
    X: Any,
    y: NDArray[Any],
    C: float = 1.0,
    sample_weight: NDArray[Any] | None = None,
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
    if intercept is not None:
        z = z + np.asarray(intercept, dtype=np.float64)
    ce = cross_entropy(z, np.asarray(y, dtype=np.intp), reduction="none")
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    data = float(np.dot(s, ce))
    if np.isinf(C):
        return data
    return C * data + 0.5 * float(np.sum(W * W))
