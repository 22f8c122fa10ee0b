"""Drivers of the compiled cross-entropy and softmax_vjp rows (:mod:`softmaxlab._simd`).

The C kernels return per-row parts of the loss (weighted nll, smoothing term, target weight);
:mod:`softmaxlab.core` applies the reduction (mean over weights, ignore_index, label
smoothing) to them. Large inputs are split by the core across its thread pool into row
ranges; a single long row (fewer rows than threads) into chunks whose sums are merged here,
as :mod:`._compiled` does for softmax.
"""

from __future__ import annotations

import math
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._compiled import _core, merged_max, merged_maxsum, sum_terms
from ._threads import _threads_for


def _lse_parts(
    core: ModuleType,
    xr: NDArray[Any],
    m: float,
    nt: int,
    store: NDArray[np.float64] | None = None,
) -> tuple[float, float]:
    """(s' hi, s' lo) of sum(exp(x - m)) - 1 over a row on ``nt`` threads, merged exactly from
    its chunks; each exp kept in ``store`` (float64 rows only) when it is given."""
    terms = sum_terms(core.row_sum(xr, m, 1.0, store, nt))
    s1 = math.fsum(terms)
    return s1, math.fsum([*terms, -s1])


def _one_row(
    core: ModuleType,
    xr: NDArray[Any],
    y: int,
    opts: dict[str, Any],
    out: NDArray[np.float64],
    g: NDArray[Any] | None,
    nt: int,
) -> None:
    """Parts (and gradient) of one long row across ``nt`` threads, as the row kernels."""
    w, eps, scale, sum_w = opts["w"], opts["eps"], opts["scale"], opts["sum_w"]
    if y == opts["ignore"]:
        out[:] = 0.0
        if g is not None:
            g.fill(0.0)
        return
    n = xr.size
    wy = float(w[y]) if w is not None else 1.0
    out[2] = wy
    f32 = xr.dtype == np.float32
    # float32: one read for (max, sum); float64: the max, then the exact sums.
    m, s1 = merged_maxsum(core, xr, 1.0, nt) if f32 else (merged_max(core, xr, nt), 0.0)
    if math.isnan(m):
        out[0] = math.nan
        out[1] = math.nan if eps > 0.0 else 0.0
        if g is not None:
            g.fill(np.nan)
        return
    if f32:
        s1_lo, dy, dy_lo = 0.0, float(xr[y]) - m, 0.0
    else:
        # A float64 gradient row keeps the sum pass's exps, which ce_grad_chunk then scales.
        s1, s1_lo = _lse_parts(core, xr, m, nt, g)
        dy = float(xr[y]) - m
        dy_lo = math.fsum([float(xr[y]), -m, -dy])
    lse, lse_lo = math.log1p(s1), s1_lo / (1.0 + s1)
    out[0] = -(wy * ((dy - lse) + (dy_lo - lse_lo)))  # -0 for a zero loss, as the rows
    out[1] = 0.0
    if eps > 0.0:
        out[1] = -(math.fsum(core.ce_wsum(xr, w, m, nt)) - (lse + lse_lo) * sum_w)
    if g is None:
        return
    big_u = (1.0 - eps) * wy + eps / n * sum_w
    a = big_u / ((1.0 + s1) + s1_lo) * scale
    b = eps / n * scale
    core.ce_grad_chunk(xr, w, g, m, a, b, nt)
    # The target entry, rounded once (libm's exp of the double-double d_y).
    g[y] = a * (math.exp(dy) * (1.0 + dy_lo)) - (b * wy + (1.0 - eps) * wy * scale)


def ce_denom(
    target: NDArray[np.int64], weight: NDArray[np.float64] | None, n_classes: int, ignore: int
) -> float:
    """Sum of the target weights over the kept rows (the 'mean' denominator)."""
    denom: float = _core().ce_denom(target, weight, n_classes, ignore)
    return denom


Totals = tuple[float, float, float]


def _merge(totals: list[Totals]) -> Totals:
    """Sums of the parts of several row ranges, exactly (math.fsum; -0 kept for -0s only)."""
    out = []
    for col in zip(*totals, strict=True):
        s = math.fsum(col)
        out.append(s if s != 0.0 or not all(math.copysign(1.0, v) < 0 for v in col) else -0.0)
    return out[0], out[1], out[2]


def cross_entropy_parts(
    logits: NDArray[Any],
    target: NDArray[np.int64],
    *,
    weight: NDArray[np.float64] | None = None,
    ignore_index: int = -1,
    label_smoothing: float = 0.0,
    grad: NDArray[Any] | None = None,
    scale: float = 1.0,
) -> tuple[NDArray[np.float64], Totals]:
    r"""Per-row parts of the cross-entropy from logits and class indices, fused gradient.

    For each kept row :math:`i` (:math:`d = x_i - \max x_i`, :math:`L = \log\sum_c e^{d_c}`):

    .. math::

        \mathrm{nllw}_i = w_{y_i} (L - d_{y_i}), \qquad
        \mathrm{smooth}_i = \sum_c w_c (L - d_c) \ (\varepsilon > 0), \qquad
        \mathrm{wy}_i = w_{y_i}

    and, with ``grad``, :math:`g_i = s\,(U \operatorname{softmax}(x_i) - u)` with
    :math:`U = (1-\varepsilon) w_y + \tfrac{\varepsilon}{C}\sum w`,
    :math:`u_c = (1-\varepsilon) w_y [c = y] + \tfrac{\varepsilon}{C} w_c` and :math:`s` =
    ``scale``. No probability is written: memory is O(rows) without ``grad``.

    Parameters
    ----------
    logits : ndarray, shape (N, C)
        C-contiguous float32 or float64, not validated.
    target : ndarray of int64, shape (N,)
        Class indices in ``[0, C)`` or ``ignore_index`` (a kept index outside raises
        ValueError: the kernels never read out of bounds).
    weight : ndarray of float64, shape (C,), optional
    ignore_index : int, default -1
    label_smoothing : float, default 0.0
    grad : ndarray, optional
        Same shape and dtype as ``logits``: receives the gradient.
    scale : float, default 1.0
        Factor of the gradient (1 / the 'mean' denominator, see :func:`ce_denom`).

    Returns
    -------
    parts : ndarray of float64, shape (3, N)
        nllw, smooth, wy. Ignored rows give 0 (and zero gradient rows); rows holding NaN or
        +inf, or all -inf, give NaN (smooth NaN only when ``label_smoothing > 0``) and NaN
        gradient rows.
    totals : tuple of 3 floats
        The sums of the three rows of ``parts`` (compensated).

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.kernels import cross_entropy_parts
    >>> parts, totals = cross_entropy_parts(np.array([[2.0, 0.5, -1.0]]), np.array([0]))
    >>> parts[0].round(6), round(totals[2], 6)
    (array([0.241311]), 1.0)
    """
    core = _core()
    nrows, n = logits.shape
    parts = np.empty((3, nrows))
    if nrows == 0:
        return parts, (-0.0, -0.0, -0.0)
    eps = float(label_smoothing)
    sum_w = float(n) if weight is None else math.fsum(weight.tolist())
    args = (int(ignore_index), eps, float(scale), sum_w)
    nt = _threads_for(logits.nbytes)
    if nrows < nt:
        core.ce_denom(target, weight, n, args[0])  # checks the targets
        opts = {"w": weight, "ignore": args[0], "eps": eps, "scale": args[2], "sum_w": sum_w}
        for i in range(nrows):
            gi = None if grad is None else grad[i]
            _one_row(core, logits[i], int(target[i]), opts, parts[:, i], gi, nt)
        return parts, _merge([tuple(col) for col in parts.T.tolist()])  # type: ignore[misc]
    totals: Totals = core.cross_entropy(logits, target, weight, grad, parts, 0, nrows, *args, nt)
    return parts, totals


def softmax_vjp_rows(
    probs: NDArray[Any], v: NDArray[Any], out: NDArray[Any] | None = None
) -> NDArray[Any]:
    r"""Vector-Jacobian product of softmax per row: :math:`p \odot (v - \langle p, v\rangle)`.

    The dot product and every product are formed in float64, each output rounded once.

    Parameters
    ----------
    probs, v : ndarray, shape (rows, n)
        C-contiguous, same dtype (float32 or float64), not validated.
    out : ndarray, optional
        Same shape and dtype (may be ``probs`` or ``v``).

    Examples
    --------
    >>> import numpy as np
    >>> from softmaxlab.kernels import softmax_vjp_rows
    >>> softmax_vjp_rows(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]]))
    array([[ 0.25, -0.25]])
    """
    core = _core()
    if out is None:
        out = np.empty_like(probs)
    nrows = probs.shape[0]
    if nrows:
        core.vjp(probs, v, out, 0, nrows, min(nrows, _threads_for(probs.nbytes)))
    return out
