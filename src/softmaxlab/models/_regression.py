"""``SoftmaxRegression``: multinomial logistic regression as a scikit-learn estimator.

The estimator only validates, encodes the classes and wires :class:`MultinomialLoss` (the
plumbing over :func:`softmaxlab.cross_entropy_and_grad`) to an optimiser of
:mod:`softmaxlab.models._solvers`: L-BFGS and trust-region Newton-CG from
:mod:`scipy.optimize`, an inexact Newton-CG, or minibatch SGD / Adam (also through
``partial_fit``, one minibatch stream at a time). Dask arrays are fitted by
:mod:`softmaxlab.models._dask` (over :mod:`softmaxlab.models._dask_data`); ``save`` /
``load`` and the persistence
protocol (``_get_state`` / ``_from_state``) come from :class:`softmaxlab.models._state.ModelState`
over the file format of :mod:`softmaxlab.models._modelfile`.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import _check_partial_fit_first_call, check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from .._validation import describe_value, param_error, shown
from ..core import log_softmax, softmax
from ._loss import MultinomialLoss, objective
from ._minibatch import minibatch_gradient, one_blas_thread
from ._solvers import (
    N_ITER_NO_CHANGE,
    lbfgs,
    minibatch_epochs,
    newton_cg,
    progress,
    trust_ncg,
    warn_not_converged,
)
from ._state import ModelState, check_classes_argument, encode_known, keep_state_on_failure
from ._state import encode_classes as _encode_classes

__all__ = ["SoftmaxRegression", "objective"]

_N_ITER_NO_CHANGE = N_ITER_NO_CHANGE  # its former name here


class SoftmaxRegression(ModelState, ClassifierMixin, BaseEstimator):
    r"""Softmax (multinomial logistic) regression.

    Minimises scikit-learn's ``LogisticRegression`` objective for the multinomial model

    .. math::

        C \sum_i s_i \, \mathrm{CE}\bigl(y_i, \operatorname{softmax}(W x_i + b)\bigr)
        + \tfrac12 \lVert W \rVert_F^2

    with the intercept :math:`b` unpenalised and centred (:math:`\sum_k b_k = 0`);
    ``C=np.inf`` means no penalty. The optimiser works on the same objective divided by
    :math:`C \sum_i s_i` (a mean, as scikit-learn does), so ``tol`` means the same as there.

    Parameters
    ----------
    C : float, default 1.0
        Inverse regularisation strength, in (0, inf].
    fit_intercept : bool, default True
        Whether to fit the intercepts :math:`b`.
    solver : {'lbfgs', 'newton-cg', 'trust-ncg', 'sgd', 'adam'}, default 'lbfgs'
        ``'lbfgs'``: L-BFGS-B of :func:`scipy.optimize.minimize` on the loss and gradient
        (the default: the fastest to scikit-learn's optimum on standardised data, measured
        by ``benchmarks/bench_fit.py``).
        ``'newton-cg'``: inexact Newton steps from conjugate gradients preconditioned by the
        Hessian diagonal, with a backtracking line search (the faster one on badly scaled
        data, where L-BFGS needs many iterations).
        ``'trust-ncg'``: SciPy's trust-region Newton conjugate gradient using exact
        Hessian-vector products (no Hessian stored). Every evaluation, gradient or product
        reads ``X`` once, in row blocks spread over the threads. ``'sgd'`` / ``'adam'``:
        minibatches of ``batch_size``, ``max_iter`` epochs; only these offer ``partial_fit``
        (a dense ``X``: each minibatch in one fused pass over its rows, with no set-up).
    max_iter : int, default 100
        Iterations (lbfgs, newton-cg, trust-ncg) or epochs (sgd, adam).
    tol : float, default 1e-4
        Stop when the largest gradient entry (lbfgs, newton-cg), the gradient norm (trust-ncg)
        is below
        ``tol``, or when the epoch loss has not improved by ``tol`` for 10 epochs (sgd, adam).
    class_weight : dict or 'balanced', default None
        Weights multiplying the sample weights per class; ``'balanced'`` uses
        ``n_samples / (n_classes * bincount(y))``.
    warm_start : bool, default False
        Start from the previous solution when refitting.
    batch_size : int, default 256
        Minibatch size of the stochastic solvers.
    learning_rate : float, default 0.01
        Step size of the stochastic solvers. ``fit`` decays it as :math:`\eta / \sqrt{1+e}` at
        epoch :math:`e`; ``partial_fit`` keeps it constant (lower it between calls to
        anneal).
    random_state : int, RandomState instance or None, default None
        Shuffles the minibatches.
    verbose : int, default 0
        A positive value shows a progress bar (Rich) over the iterations.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (n_classes, n_features)
        One row per class, also for two classes (the rows are opposite).
    intercept_ : ndarray of shape (n_classes,)
    n_iter_ : int
    loss_curve_ : list of float
        The objective divided by :math:`C \sum_i s_i` after each iteration or epoch.
    n_samples_seen_ : float
        Total sample weight used by ``partial_fit`` (its penalty is :math:`1/(C \cdot
        \text{n\_samples\_seen\_})`, so it minimises the objective of all samples seen).
    n_features_in_ : int

    Notes
    -----
    float32 input is kept: logits and products with ``X`` use float32 BLAS; the loss, the
    gradient and the coefficients are accumulated and stored in float64. CSR matrices are
    used as they are.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from softmaxlab.models import SoftmaxRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = SoftmaxRegression(max_iter=1000).fit(X, y)
    >>> clf.predict(X[:3])
    array([0, 0, 0])
    >>> round(clf.score(X, y), 2)
    0.97
    """

    _STATE_ATTRIBUTES: ClassVar[tuple[str, ...]] = (
        "classes_",
        "coef_",
        "intercept_",
        "n_features_in_",
    )
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "C": [Interval(Real, 0, None, closed="right")],
        "fit_intercept": ["boolean"],
        "solver": [StrOptions({"lbfgs", "newton-cg", "trust-ncg", "sgd", "adam"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "warm_start": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        C: float = 1.0,
        *,
        fit_intercept: bool = True,
        solver: str = "lbfgs",
        max_iter: int = 100,
        tol: float = 1e-4,
        class_weight: dict[Any, float] | str | None = None,
        warm_start: bool = False,
        batch_size: int = 256,
        learning_rate: float = 0.01,
        random_state: Any = None,
        verbose: int = 0,
    ):
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    # ------------------------------------------------------------------ helpers
    def _validate_Xy(self, X: Any, y: Any, reset: bool) -> tuple[Any, Any]:
        X, y = validate_data(
            self, X, y, accept_sparse="csr", dtype=[np.float64, np.float32], reset=reset
        )
        if not (isinstance(y, np.ndarray) and y.ndim == 1 and y.dtype.kind in "biu"):
            # 1-D integer or bool labels are 'binary' or 'multiclass' targets: nothing to
            # check (type_of_target would find their unique values, ~1 ms per 10,000).
            check_classification_targets(y)
        return X, y

    def _weights(
        self,
        X: Any,
        y_enc: NDArray[Any],
        sample_weight: Any,
        classes: NDArray[Any] | None = None,
    ) -> NDArray[Any] | None:
        classes = self.classes_ if classes is None else classes
        sw = None
        if sample_weight is not None:
            try:
                sw = _check_sample_weight(
                    sample_weight, X, dtype=np.float64, ensure_non_negative=True
                )
            except (ValueError, TypeError) as exc:
                raise param_error(
                    "sample_weight",
                    f"{X.shape[0]} finite weights >= 0, not all 0 (one per sample)",
                    shown(f"{describe_value(sample_weight)} ({exc})"),
                    func="SoftmaxRegression",
                ) from None
        if self.class_weight is not None:
            cw = compute_class_weight(self.class_weight, classes=classes, y=classes[y_enc])
            per = cw[y_enc]
            sw = per if sw is None else sw * per
        return sw

    def _rescaled(
        self, sw: NDArray[Any] | None, n: int
    ) -> tuple[NDArray[Any] | None, float, float]:
        """Weights divided by the largest one, their total and the penalty strength.

        The mean loss does not change, and huge weights (1e308) overflow neither the sum nor
        the penalty :math:`1/(C \\sum_i s_i)`.
        """
        top = 1.0 if sw is None else float(sw.max())
        if not top > 0:
            raise ValueError("The sum of sample weights of SoftmaxRegression must be > 0.")
        sw = None if sw is None else sw / top
        norm = float(n) if sw is None else float(sw.sum())
        l2 = 0.0 if np.isinf(self.C) else 1.0 / (self.C * top) / norm
        return sw, norm * top, l2

    def _l2(self, total_weight: float) -> float:
        return 0.0 if np.isinf(self.C) else 1.0 / (self.C * total_weight)

    def _start(self, loss: MultinomialLoss, n_features: int) -> NDArray[Any]:
        k = loss.n_classes
        if self.warm_start and hasattr(self, "coef_") and self.coef_.shape == (k, n_features):
            b = self.intercept_ if self.fit_intercept else None
            return loss.pack(self.coef_, b).astype(np.float64)
        return np.zeros(loss.n_coef(n_features))

    def _set_coef(self, loss: MultinomialLoss, coef: NDArray[Any], n_features: int) -> None:
        W, b = loss.unpack(np.asarray(coef, dtype=np.float64), n_features)
        # softmax ignores a shift shared by all classes; the optimum has none in W (the
        # penalty removes it) and we remove it from b (sum of intercepts 0, as documented).
        self.coef_ = W - W.mean(axis=0, keepdims=True)
        self.intercept_ = b - b.mean() if self.fit_intercept else np.zeros(len(b))

    # ------------------------------------------------------------------ fitting
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self, X: Any, y: Any, sample_weight: Any = None, *, client: Any = None
    ) -> SoftmaxRegression:
        """Fit the model to ``X`` (n_samples, n_features) and labels ``y``.

        Parameters
        ----------
        X : {array-like, CSR matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
        client : distributed.Client or str, optional
            Only for a Dask array ``X``: the cluster to use (a client or a scheduler address).
            By default the current default client, else an embedded ``LocalCluster``.

        Returns
        -------
        self

        Notes
        -----
        With a Dask array ``X`` (rows in chunks, any number of them) the loss, gradient and
        Hessian products are computed per chunk on the cluster with the same blocked kernel
        and summed; the optimiser runs here (``solver`` 'lbfgs' or 'newton-cg'). ``y`` and
        ``sample_weight`` (NumPy or Dask arrays) stay on the cluster, chunked like ``X``:
        only the classes, the class counts (for ``class_weight='balanced'``) and the
        weights' maximum and sum come back. Dask inputs are not checked for NaN/inf (that
        would read all the data).

        Sample weights must be finite and >= 0, not all 0; they are divided by the largest
        one (the minimiser does not change), so weights up to 1e308 fit without overflow.
        A call that raises (bad input, a solver error, Ctrl-C) leaves every fitted attribute
        as it was before the call.
        """
        from ._dask_data import is_dask_array

        with keep_state_on_failure(self):  # a failed fit leaves the previous model intact
            if is_dask_array(X):
                return self._fit_dask(X, y, sample_weight, client)
            return self._fit_arrays(X, y, sample_weight)

    def _fit_arrays(self, X: Any, y: Any, sample_weight: Any) -> SoftmaxRegression:
        X, y = self._validate_Xy(X, y, reset=True)
        classes, y_enc = _encode_classes(y)
        sw = self._weights(X, y_enc, sample_weight, classes)
        sw, total, l2 = self._rescaled(sw, X.shape[0])
        loss = MultinomialLoss(len(classes), self.fit_intercept)
        coef0 = self._start(loss, X.shape[1])
        self.classes_ = classes
        if self.solver in ("sgd", "adam"):
            self._opt_state: dict[str, Any] | None = None
            coef, curve = self._stochastic(
                loss, coef0, X, y_enc, sw, l2, self.max_iter, check_random_state(self.random_state)
            )
            self.n_iter_ = len(curve)
        else:
            coef, curve, n_iter = self._deterministic(loss.bind(X, y_enc, sw, l2), coef0)
            self.n_iter_ = max(int(n_iter), 1)
        self.loss_curve_ = curve
        self.n_samples_seen_ = total
        self._set_coef(loss, coef, X.shape[1])
        return self

    def _fit_dask(self, X: Any, y: Any, sample_weight: Any, client: Any) -> SoftmaxRegression:
        """L-BFGS or Newton-CG here, the loss, gradient and Hessian products summed over the
        row chunks on the cluster (``y`` and the weights stay there)."""
        from ._dask import DaskLoss, get_client
        from ._dask_data import encode_labels, prepare_fit_inputs, sample_weights

        X, y, sample_weight = prepare_fit_inputs(X, y, sample_weight, self.solver)
        c = get_client(client)
        classes, y_enc = encode_labels(y, c)
        check_classification_targets(classes)
        sw, top = sample_weights(y_enc, sample_weight, self.class_weight, classes, c)
        loss = MultinomialLoss(len(classes), self.fit_intercept)
        dloss = DaskLoss(c, loss, X, y_enc, sw)
        norm = dloss.total  # the sum of the rescaled weights
        total = norm * top
        l2 = 0.0 if np.isinf(self.C) else 1.0 / (self.C * top) / norm
        self.classes_ = classes
        self.n_features_in_ = int(X.shape[1])
        if hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        try:
            coef, curve, n_iter = self._deterministic(
                dloss.penalised(l2), self._start(loss, X.shape[1])
            )
        finally:
            dloss.release()
        self.n_iter_ = max(int(n_iter), 1)
        self.loss_curve_ = curve
        self.n_samples_seen_ = total
        self._set_coef(loss, coef, X.shape[1])
        return self

    def _deterministic(
        self, problem: Any, coef0: NDArray[Any]
    ) -> tuple[NDArray[Any], list[float], int]:
        """Run lbfgs, newton-cg or trust-ncg on ``problem`` (a :class:`BoundLoss`, or the
        Dask loss with the same ``loss_gradient`` and ``newton_terms``)."""
        curve: list[float] = []
        options: dict[str, Any] = {"max_iter": self.max_iter, "tol": self.tol}
        with progress(self.verbose, self.max_iter, f"SoftmaxRegression ({self.solver})") as advance:

            def callback(intermediate_result: Any) -> None:
                curve.append(float(intermediate_result.fun))
                advance()

            if self.solver == "lbfgs":
                res = lbfgs(problem.loss_gradient, coef0, callback=callback, **options)
            elif self.solver == "newton-cg":
                res = newton_cg(
                    lambda c: problem.newton_terms(c, diagonal=True),
                    coef0,
                    callback=callback,
                    **options,
                )
            else:
                res = trust_ncg(
                    problem.loss_gradient_hessian_product, coef0, callback=callback, **options
                )
        if not res.success and res.nit >= self.max_iter:
            warn_not_converged(
                self.solver, self.max_iter, "iterations", "; increase max_iter or scale the data"
            )
        return res.x, curve, res.nit

    def _stochastic(
        self,
        loss: MultinomialLoss,
        coef: NDArray[Any],
        X: Any,
        y: NDArray[Any],
        sw: NDArray[Any] | None,
        l2: float,
        n_epochs: int,
        rng: np.random.RandomState,
        *,
        streaming: bool = False,
    ) -> tuple[NDArray[Any], list[float]]:
        """Epochs of minibatches (``fit``), or one pass in order at a constant step
        (``streaming``, for ``partial_fit``)."""
        n = X.shape[0]
        total = float(n) if sw is None else float(sw.sum())

        def loss_gradient(c: NDArray[Any], idx: NDArray[Any], fraction: float) -> Any:
            swb = None if sw is None else sw[idx]
            # Scaled so that the expected minibatch gradient is the full gradient.
            return loss.loss_gradient(c, X[idx], y[idx], swb, l2, scale=total * fraction)

        # The same values with no set-up per minibatch (dense X on the compiled core).
        fused = minibatch_gradient(loss, X, y, sw, l2, total, self.batch_size)
        blocked = False
        if fused is not None:
            loss_gradient, blocked = fused  # type: ignore[assignment]
        with (
            progress(self.verbose, n_epochs, f"SoftmaxRegression ({self.solver})") as advance,
            one_blas_thread(blocked),
        ):
            coef, curve, self._opt_state, converged = minibatch_epochs(
                loss_gradient,
                coef,
                n,
                solver=self.solver,
                state=self._opt_state,
                learning_rate=self.learning_rate,
                batch_size=self.batch_size,
                n_epochs=n_epochs,
                rng=rng,
                tol=self.tol,
                stop_early=not streaming,
                shuffle=not streaming,
                decay=not streaming,
                on_epoch=advance,
            )
        if not converged:
            warn_not_converged(self.solver, self.max_iter, "epochs")
        return coef, curve

    def _has_stochastic_solver(self) -> bool:
        return self.solver in ("sgd", "adam")

    def _encode_known(self, y: Any) -> NDArray[np.intp]:
        """``y`` as indices into ``classes_``; labels not in it raise ValueError."""
        return encode_known(self.classes_, y)

    @available_if(_has_stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(
        self, X: Any, y: Any, classes: Any = None, sample_weight: Any = None
    ) -> SoftmaxRegression:
        """One pass of minibatch updates (``solver`` 'sgd' or 'adam') over ``X``, ``y``.

        The first call needs ``classes`` (all labels that will ever appear). The penalty is
        :math:`1/(C \\cdot \\text{n\\_samples\\_seen\\_})`, so the model tends to the fit on
        every sample seen so far (a dataset streamed ``E`` times counts ``E`` times).

        Returns
        -------
        self
        """
        with keep_state_on_failure(self):  # a failed call changes nothing
            if not hasattr(self, "classes_") and classes is not None:
                classes = check_classes_argument(classes)
            return self._partial_fit(X, y, classes, sample_weight)

    def _partial_fit(self, X: Any, y: Any, classes: Any, sample_weight: Any) -> SoftmaxRegression:
        first = _check_partial_fit_first_call(self, classes)
        X, y = self._validate_Xy(X, y, reset=first)
        loss = MultinomialLoss(len(self.classes_), self.fit_intercept)
        y_enc = self._encode_known(y)
        sw = self._weights(X, y_enc, sample_weight)
        if first:
            self._opt_state = None
            self.n_samples_seen_ = 0.0
            self.n_iter_ = 0
            self.loss_curve_ = []
            coef = np.zeros(loss.n_coef(X.shape[1]))
        else:
            coef = loss.pack(self.coef_, self.intercept_ if self.fit_intercept else None)
        self.n_samples_seen_ += float(X.shape[0]) if sw is None else float(sw.sum())
        if not np.isfinite(self.n_samples_seen_):
            raise param_error(
                "sample_weight",
                "weights whose running total stays finite",
                shown(f"a total of {self.n_samples_seen_}"),
                func="SoftmaxRegression.partial_fit",
            )
        if not hasattr(self, "_rng"):
            self._rng = check_random_state(self.random_state)
        l2 = self._l2(self.n_samples_seen_)
        coef, curve = self._stochastic(loss, coef, X, y_enc, sw, l2, 1, self._rng, streaming=True)
        self.n_iter_ += 1
        self.loss_curve_.extend(curve)
        W, b = loss.unpack(coef, X.shape[1])
        self.coef_ = np.array(W)
        self.intercept_ = np.array(b)
        return self

    # ------------------------------------------------------------------ prediction
    def _dask_input(self, X: Any) -> bool:
        from ._dask_data import is_dask_array

        if not is_dask_array(X):
            return False
        check_is_fitted(self)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has shape {X.shape}, but SoftmaxRegression is expecting "
                f"{self.n_features_in_} features as input."
            )
        return True

    def _logits(self, X: Any) -> NDArray[Any]:
        if self._dask_input(X):
            from ._dask_data import lazy_logits

            return lazy_logits(X, self.coef_, self.intercept_)
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=[np.float64, np.float32], reset=False)
        dt = X.dtype
        z = np.asarray(X @ self.coef_.T.astype(dt))
        return z + self.intercept_.astype(dt)

    def decision_function(self, X: Any) -> NDArray[Any]:
        """Logits ``X @ coef_.T + intercept_``, shape (n_samples, n_classes).

        With two classes, the 1-D score of the second class, ``z_1 - z_0`` (scikit-learn's
        convention: positive means ``classes_[1]``).
        """
        z = self._logits(X)
        if len(self.classes_) == 2:
            return z[:, 1] - z[:, 0]
        return z

    def predict_proba(self, X: Any) -> NDArray[Any]:
        """Class probabilities ``softmax(decision logits)``, shape (n_samples, n_classes).

        A Dask array ``X`` gives a lazy Dask array, computed block by block.
        """
        if self._dask_input(X):
            from ._dask_data import lazy_proba

            return lazy_proba(X, self.coef_, self.intercept_, log=False)
        return softmax(self._logits(X), axis=1)

    def predict_log_proba(self, X: Any) -> NDArray[Any]:
        """Log-probabilities, from :func:`softmaxlab.log_softmax` (no underflow to -inf)."""
        if self._dask_input(X):
            from ._dask_data import lazy_proba

            return lazy_proba(X, self.coef_, self.intercept_, log=True)
        return log_softmax(self._logits(X), axis=1)

    def predict(self, X: Any) -> NDArray[Any]:
        """The most probable class for each row of ``X``."""
        z = self._logits(X)
        if self._dask_input(X):
            from ._dask_data import take_classes

            return take_classes(z.argmax(axis=1), self.classes_)
        return self.classes_[np.argmax(z, axis=1)]
