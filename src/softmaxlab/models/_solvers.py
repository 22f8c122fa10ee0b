"""Optimisers of :class:`SoftmaxRegression`, each a function of the problem, with no estimator.

* First-order, after optax: a :class:`GradientTransformation` is a pair of pure functions
  ``init(params) -> state`` and ``update(grads, state, params) -> (updates, state)``;
  :func:`sgd` and :func:`adam` build them, :func:`apply_updates` adds the updates, and
  :func:`minibatch_epochs` runs epochs of shuffled minibatches with early stopping.
* Second-order and quasi-Newton: :func:`lbfgs` (SciPy's L-BFGS-B), :func:`newton_cg` (an
  inexact Newton method written here) and :func:`trust_ncg` (SciPy's trust-region Newton-CG).
* :func:`progress`: the optional Rich progress bar shown while a solver runs.

Nothing here knows about classes, sample weights or penalties: the caller passes
``loss_gradient``-style functions of the flat coefficient vector.

Examples
--------
>>> import numpy as np
>>> opt = adam(0.1)
>>> params = np.array([1.0, -2.0])
>>> state = opt.init(params)
>>> updates, state = opt.update(2 * params, state, params)   # gradient of |x|^2
>>> apply_updates(params, updates)                           # first Adam step: -lr * sign(g)
array([ 0.9, -1.9])
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np
import scipy.optimize
from numpy.typing import NDArray
from sklearn.exceptions import ConvergenceWarning

from .. import _simd

__all__ = [
    "AdamState",
    "GradientTransformation",
    "SgdState",
    "adam",
    "apply_updates",
    "lbfgs",
    "minibatch_epochs",
    "newton_cg",
    "progress",
    "sgd",
    "trust_ncg",
]

Array = NDArray[Any]
N_ITER_NO_CHANGE = 10  # epochs without improvement before a stochastic fit stops


# ---------------------------------------------------------------------------- first order


class GradientTransformation(NamedTuple):
    """A stateless optimiser: ``init(params) -> state``, ``update(grads, state, params)``."""

    init: Callable[[Array], Any]
    update: Callable[[Array, Any, Array | None], tuple[Array, Any]]


class SgdState(NamedTuple):
    """Steps taken so far."""

    step: int


class AdamState(NamedTuple):
    """Steps taken and the first and second moment estimates."""

    step: int
    mu: Array
    nu: Array


def sgd(learning_rate: float) -> GradientTransformation:
    r"""Plain gradient descent: :math:`u = -\eta g`."""

    def init(params: Array) -> SgdState:
        return SgdState(0)

    def update(grads: Array, state: SgdState, params: Array | None = None) -> tuple[Array, Any]:
        return -learning_rate * grads, SgdState(state.step + 1)

    return GradientTransformation(init, update)


def adam(
    learning_rate: float, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8
) -> GradientTransformation:
    r"""Adam (Kingma & Ba, 2015) with bias correction.

    .. math:: m_t = b_1 m_{t-1} + (1 - b_1) g, \quad v_t = b_2 v_{t-1} + (1 - b_2) g^2, \quad
              u = -\eta \, \frac{m_t / (1 - b_1^t)}{\sqrt{v_t / (1 - b_2^t)} + \epsilon}
    """

    def init(params: Array) -> AdamState:
        return AdamState(0, np.zeros_like(params), np.zeros_like(params))

    def update(grads: Array, state: AdamState, params: Array | None = None) -> tuple[Array, Any]:
        # PyTorch's order of operations (lerp, then sqrt(v) / sqrt(1 - b2^t) + eps), with
        # in-place steps on new arrays only: the state passed in is never modified.
        t = state.step + 1
        mu = grads - state.mu
        mu *= 1 - b1
        mu += state.mu
        nu = grads * grads
        nu *= 1 - b2
        nu += b2 * state.nu
        den = np.sqrt(nu)
        den /= np.sqrt(1 - b2**t)
        den += eps
        u = mu / den
        u *= -learning_rate / (1 - b1**t)
        return u, AdamState(t, mu, nu)

    return GradientTransformation(init, update)


def apply_updates(params: Array, updates: Array) -> Array:
    """``params + updates`` (a new array)."""
    return params + updates


_FIRST_ORDER: dict[str, Callable[[float], GradientTransformation]] = {"sgd": sgd, "adam": adam}


class _InPlaceStep:
    """The updates of :func:`sgd` / :func:`adam` (default moments) added to ``coef`` in place.

    The same floating-point operations in the same order as ``update`` followed by
    :func:`apply_updates`, so the coefficients and moments are those bit for bit, without
    new arrays per step: the moments are copied once from the state given (which is never
    written) and then updated in place; ``state`` is the optimiser state after the last step.
    Adam runs in one loop of the compiled core (``adam_step``) when it is loaded, else in
    NumPy passes over buffers.
    """

    def __init__(self, solver: str, state: Any, coef: Array):
        self.adam = solver == "adam"
        self.t = int(state.step)
        self.tmp = np.empty_like(coef)
        if self.adam:
            self.mu, self.nu = np.array(state.mu, copy=True), np.array(state.nu, copy=True)
            self.den = np.empty_like(coef)
        self.state: Any = state

    def __call__(self, coef: Array, g: Array, lr: float) -> None:
        self.t += 1
        tmp = self.tmp
        if not self.adam:
            np.multiply(-lr, g, out=tmp)  # sgd: u = -lr g
            coef += tmp
            self.state = SgdState(self.t)
            return
        b1, b2, eps, t = 0.9, 0.999, 1e-8, self.t
        mu, nu, den = self.mu, self.nu, self.den
        core = _simd.core
        if core is not None and g.dtype == np.float64 and g.ndim == 1 and g.flags.c_contiguous:
            # The same operations in one C loop over the entries (no 13 NumPy passes).
            c2, c1 = float(np.sqrt(1 - b2**t)), float(-lr / (1 - b1**t))
            core.adam_step(coef, g, mu, nu, 1 - b1, 1 - b2, b2, c2, eps, c1)
            self.state = AdamState(t, mu, nu)
            return
        np.subtract(g, mu, out=tmp)  # mu + (g - mu)(1 - b1), as adam's update
        tmp *= 1 - b1
        mu += tmp
        np.multiply(g, g, out=tmp)  # g^2 (1 - b2) + b2 nu
        tmp *= 1 - b2
        nu *= b2
        nu += tmp
        np.sqrt(nu, out=den)
        den /= np.sqrt(1 - b2**t)
        den += eps
        np.divide(mu, den, out=den)
        den *= -lr / (1 - b1**t)
        coef += den
        self.state = AdamState(t, mu, nu)


def minibatch_epochs(
    loss_gradient: Callable[[Array, Array, float], tuple[float, Array]],
    coef: Array,
    n_samples: int,
    *,
    solver: str,
    state: dict[str, Any] | None,
    learning_rate: float,
    batch_size: int,
    n_epochs: int,
    rng: np.random.RandomState,
    tol: float,
    stop_early: bool,
    shuffle: bool = True,
    decay: bool = True,
    on_epoch: Callable[[], None] | None = None,
) -> tuple[Array, list[float], dict[str, Any], bool]:
    r"""Epochs of minibatch updates by ``solver`` ('sgd' or 'adam').

    ``loss_gradient(coef, idx, fraction)`` returns the minibatch objective and gradient for
    the rows ``idx`` (an index array when shuffling, else a ``slice``: a view of the rows, no
    copy; ``fraction`` is the minibatch's share of ``n_samples``, so that the epoch loss is
    the sum of ``value * fraction``; the gradient is read before the next call, never
    written, so it may be a buffer that the next call reuses). The updates are applied to
    the coefficients in place (:class:`_InPlaceStep`: the values of ``update`` and
    :func:`apply_updates`). The step size of epoch :math:`e` is :math:`\eta/\sqrt{1+e}`
    with ``decay``, else :math:`\eta`. ``state`` (from a previous call, or None) carries the
    optimiser state and the epoch counter across calls (``partial_fit``). With
    ``stop_early``, stops after :data:`N_ITER_NO_CHANGE` epochs that did not lower the best
    epoch loss by ``tol``.

    Returns
    -------
    coef, curve, state, converged
        The coefficients, the loss of each epoch, the state to pass on, and False when
        ``stop_early`` is set and the epochs ran out first.
    """
    coef = np.array(coef, dtype=np.float64)
    if state is None:
        state = {"opt": _FIRST_ORDER[solver](learning_rate).init(coef), "epoch": 0}
    step = _InPlaceStep(solver, state["opt"], coef)
    bs = min(batch_size, n_samples)
    curve: list[float] = []
    best, no_change = np.inf, 0
    for _ in range(n_epochs):
        order = rng.permutation(n_samples) if shuffle else None
        lr = learning_rate / np.sqrt(1.0 + state["epoch"]) if decay else learning_rate
        acc = 0.0
        for start in range(0, n_samples, bs):
            stop = min(start + bs, n_samples)
            idx: Any = slice(start, stop) if order is None else order[start:stop]
            fraction = (stop - start) / n_samples
            value, g = loss_gradient(coef, idx, fraction)
            acc += value * fraction
            step(coef, g, lr)
            state["opt"] = step.state
        state["epoch"] += 1
        curve.append(float(acc))
        if on_epoch is not None:
            on_epoch()
        if stop_early:
            no_change = no_change + 1 if acc > best - tol else 0
            best = min(best, acc)
            if no_change >= N_ITER_NO_CHANGE:
                return coef, curve, state, True
    return coef, curve, state, not stop_early


# ---------------------------------------------------------------------------- progress


@contextlib.contextmanager
def progress(verbose: int, total: int, description: str) -> Iterator[Callable[[], None]]:
    """A transient Rich progress bar when ``verbose``; yields the function advancing it."""
    if not verbose:
        yield lambda: None
        return
    from rich.progress import Progress

    bar = Progress(transient=True)
    bar.start()
    task = bar.add_task(description, total=total)
    try:
        yield lambda: bar.advance(task)
    finally:
        bar.stop()


def warn_not_converged(solver: str, max_iter: int, unit: str, hint: str = "") -> None:
    """The ConvergenceWarning of every solver (shown at the caller of ``fit``)."""
    warnings.warn(
        f"SoftmaxRegression ({solver}) did not converge in max_iter={max_iter} {unit}{hint}.",
        ConvergenceWarning,
        stacklevel=4,
    )


# ---------------------------------------------------------------------------- second order


def lbfgs(
    fun: Callable[[Array], tuple[float, Array]],
    x0: Array,
    *,
    max_iter: int,
    tol: float,
    callback: Callable[[Any], None] | None = None,
) -> scipy.optimize.OptimizeResult:
    """SciPy's L-BFGS-B on ``fun(x) -> (value, gradient)``; stops at ``max |g| <= tol``."""
    return scipy.optimize.minimize(
        fun,
        x0,
        method="L-BFGS-B",
        jac=True,
        callback=callback,
        options={"maxiter": max_iter, "maxls": 50, "gtol": tol, "ftol": 64 * np.finfo(float).eps},
    )


def trust_ncg(
    terms: Callable[[Array], tuple[float, Array, Callable[[Array], Array]]],
    x0: Array,
    *,
    max_iter: int,
    tol: float,
    callback: Callable[[Any], None] | None = None,
) -> scipy.optimize.OptimizeResult:
    """SciPy's trust-region Newton-CG on ``terms(x) -> (value, gradient, hessp)``."""
    # scipy asks for the value, gradient and Hessian products at the same points: compute
    # the three together once per point.
    cache: dict[str, Any] = {}

    def at(x: Array) -> tuple[float, Array, Callable[[Array], Array]]:
        if cache.get("x") is None or not np.array_equal(cache["x"], x):
            cache["x"] = np.array(x, copy=True)
            cache["v"] = terms(x)
        return cache["v"]

    return scipy.optimize.minimize(
        lambda x: at(x)[0],
        x0,
        jac=lambda x: at(x)[1],
        hessp=lambda x, p: at(x)[2](p),
        method="trust-ncg",
        callback=callback,
        options={"maxiter": max_iter, "gtol": tol},
    )


def _pcg(hessp: Any, b: Array, inv_diag: Array, rtol: float, max_iter: int) -> tuple[Array, int]:
    """Preconditioned conjugate gradients for ``H x = b`` (H positive semi-definite)."""
    x = np.zeros_like(b)
    r = b.copy()
    z = inv_diag * r
    p = z.copy()
    rz = float(r @ z)
    bound = rtol * float(np.linalg.norm(b))
    for i in range(max_iter):
        hp = hessp(p)
        curvature = float(p @ hp)
        if curvature <= 1e-300:
            # Flat or null direction (a shift shared by all classes): stop here.
            return (x if i else inv_diag * b), i
        alpha = rz / curvature
        x += alpha * p
        r -= alpha * hp
        if float(np.linalg.norm(r)) <= bound:
            return x, i + 1
        z = inv_diag * r
        rz_new = float(r @ z)
        p = z + (rz_new / rz) * p
        rz = rz_new
    return x, max_iter


def _newton_direction(g: Array, hessp: Any, diag: Array, n: int) -> Array:
    """The CG solution of ``H d = -g`` to the relative residual ``min(0.5, sqrt(|g|))``."""
    floor = 1e-12 * float(np.max(diag)) if diag.size else 1.0
    inv_diag = 1.0 / np.maximum(diag, max(floor, 1e-300))
    eta = min(0.5, float(np.sqrt(np.linalg.norm(g))))
    d, _ = _pcg(hessp, -g, inv_diag, eta, max(20, min(n, 500)))
    return d


def _backtrack(terms: Any, x: Array, d: Array, f: float, slope: float) -> tuple[float, Any]:
    """Armijo backtracking: the largest ``t`` in 1, 1/2, ... (down to 1e-10) and its terms."""
    t = 1.0
    while t >= 1e-10:
        trial = terms(x + t * d)
        if trial[0] <= f + 1e-4 * t * slope:
            return t, trial
        t *= 0.5
    return t, None


def newton_cg(
    terms: Any, x0: Array, *, tol: float, max_iter: int, callback: Any = None
) -> scipy.optimize.OptimizeResult:
    r"""Inexact Newton with Jacobi-preconditioned CG and an Armijo backtracking line search.

    ``terms(x)`` returns ``(f, grad, hessp, diag)``. Each step solves
    :math:`H d = -g` by CG to the relative residual :math:`\min(0.5, \sqrt{\lVert g
    \rVert})` (superlinear convergence, Eisenstat-Walker style), then takes the largest
    :math:`t \in \{1, 1/2, \dots\}` with :math:`f(x + t d) \le f(x) + 10^{-4} t\, g^\top d`.
    Stops when :math:`\max_j |g_j| \le` ``tol``, or when a step lowers the objective by no
    more than 64 machine epsilons relative (the ``ftol`` of L-BFGS-B). The objective here is
    convex, so the CG direction is always a descent direction.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 1.0], [1.0, 2.0]]); b = np.array([1.0, 1.0])
    >>> quad = lambda x: (0.5 * x @ A @ x - b @ x, A @ x - b, lambda v: A @ v, np.diag(A))
    >>> res = newton_cg(quad, np.zeros(2), tol=1e-12, max_iter=20)
    >>> bool(res.success), np.round(res.x, 6)                  # the solution of A x = b
    (True, array([0.2, 0.4]))
    """
    x = np.array(x0, dtype=np.float64)
    f, g, hessp, diag = terms(x)
    nit, message, success = 0, "maximum number of iterations reached", False
    while True:
        if float(np.max(np.abs(g))) <= tol:
            success, message = True, "gradient below tol"
            break
        if nit >= max_iter:
            break
        d = _newton_direction(g, hessp, diag, len(x))
        slope = float(g @ d)
        if not slope < 0:
            message = "no descent direction (the gradient is at rounding level)"
            break
        t, trial = _backtrack(terms, x, d, f, slope)
        if trial is None:
            message = "line search failed (the objective is at rounding level)"
            break
        x = x + t * d
        decrease = f - trial[0]
        f, g, hessp, diag = trial
        nit += 1
        if callback is not None:
            callback(scipy.optimize.OptimizeResult(x=x, fun=f))
        if decrease <= 64 * np.finfo(float).eps * max(abs(f), 1.0):
            # As L-BFGS-B's ftol: the objective no longer moves (e.g. float32 data).
            success, message = True, "objective change at rounding level"
            break
    return scipy.optimize.OptimizeResult(
        x=x, fun=f, jac=g, nit=nit, success=success, message=message
    )
