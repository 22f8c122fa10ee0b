"""The implementations compared: softmaxlab, naive NumPy, SciPy, PyTorch, JAX and a copy."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["OPTIONAL", "build_impls", "load_libraries", "softmaxlab_path"]

OPTIONAL = ("scipy", "torch", "jax")


def load_libraries(names: Sequence[str] = OPTIONAL) -> dict[str, Any]:
    """The optional comparison libraries that import, by name (missing ones are None)."""
    libs: dict[str, Any] = {}
    for name in names:
        try:
            libs[name] = importlib.import_module("scipy.special" if name == "scipy" else name)
        except ImportError:
            libs[name] = None
    return libs


def _naive(x: np.ndarray, log: bool) -> np.ndarray:
    d = x - x.max(axis=-1, keepdims=True)
    if log:
        return d - np.log(np.exp(d).sum(axis=-1, keepdims=True))
    e = np.exp(d)
    return e / e.sum(axis=-1, keepdims=True)


def _naive_ce(x: np.ndarray, t: np.ndarray, grad: bool) -> Any:
    logp = _naive(x, log=True)
    rows = np.arange(len(t))
    loss = -logp[rows, t].mean()
    if not grad:
        return loss
    g = np.exp(logp)
    g[rows, t] -= 1.0
    return loss, g / len(t)


def softmaxlab_path(op: str, x: np.ndarray, backend: str) -> str:
    """Which path the public function takes for ``x``: 'compiled' or 'numpy' (or the
    ``backend`` asked for)."""
    from ..core import _dispatch

    if backend != "auto":
        return backend
    return "compiled" if _dispatch.use_core("auto", x.dtype, x.size, op) else "numpy"


#: The rows of softmaxlab's own variants, besides ``softmaxlab`` (its default call).
VARIANTS = {"fast": "sl-fast", "out": "sl-out"}


def build_impls(
    op: str,
    x: np.ndarray,
    target: np.ndarray,
    libs: dict[str, Any],
    backend: str = "auto",
    variants: Sequence[str] = (),
) -> dict[str, Callable[[], Any]]:
    """One zero-argument callable per available implementation of ``op`` on ``x``.

    Every implementation allocates its result on each call, as PyTorch and NumPy do, except
    the ``variants`` of softmax and log_softmax that are asked for: ``'fast'`` (row
    ``sl-fast``: ``precision='fast'``, float32 only) and ``'out'`` (row ``sl-out``: the
    default call writing into one preallocated array, ``out=``).
    """
    import softmaxlab as sl

    torch, sp, jax = libs.get("torch"), libs.get("scipy"), libs.get("jax")
    impls: dict[str, Callable[[], Any]] = {}
    if op in ("softmax", "log_softmax"):
        log = op == "log_softmax"
        slf = sl.log_softmax if log else sl.softmax
        impls["softmaxlab"] = lambda: slf(x, backend=backend)
        if "fast" in variants and x.dtype == np.float32:
            impls[VARIANTS["fast"]] = lambda: slf(x, backend=backend, precision="fast")
        if "out" in variants:
            buf = np.empty_like(x)
            impls[VARIANTS["out"]] = lambda: slf(x, backend=backend, out=buf)
        impls["numpy"] = lambda: _naive(x, log)
        if sp is not None:
            spf = sp.log_softmax if log else sp.softmax
            impls["scipy"] = lambda: spf(x, axis=-1)
        if torch is not None:
            xt = torch.from_numpy(x)
            tf = torch.log_softmax if log else torch.softmax
            impls["torch"] = lambda: tf(xt, -1)
        if jax is not None:
            xj = jax.numpy.asarray(x)
            jf = jax.jit(jax.nn.log_softmax if log else jax.nn.softmax)
            impls["jax"] = lambda: jf(xj).block_until_ready()
    elif op in ("cross_entropy", "cross_entropy_grad"):
        grad = op == "cross_entropy_grad"
        if grad:
            impls["softmaxlab"] = lambda: sl.cross_entropy_and_grad(x, target, backend=backend)
        else:
            impls["softmaxlab"] = lambda: sl.cross_entropy(x, target, backend=backend)
        impls["numpy"] = lambda: _naive_ce(x, target, grad)
        if torch is not None:
            xt = torch.from_numpy(x)
            tt = torch.from_numpy(target)
            fce = torch.nn.functional.cross_entropy
            if grad:

                def torch_forward_backward() -> Any:
                    z = xt.detach().requires_grad_(True)
                    loss = fce(z, tt)
                    loss.backward()
                    return loss, z.grad

                impls["torch"] = torch_forward_backward
            else:
                impls["torch"] = lambda: fce(xt, tt)
        if jax is not None:
            xj = jax.numpy.asarray(x)
            tj = jax.numpy.asarray(target)

            def jax_loss(z: Any) -> Any:
                lp = jax.nn.log_softmax(z)
                return -jax.numpy.take_along_axis(lp, tj[:, None], axis=-1).mean()

            jf = jax.jit(jax.value_and_grad(jax_loss) if grad else jax_loss)
            impls["jax"] = lambda: jax.block_until_ready(jf(xj))
    else:  # pragma: no cover - the callers check op
        raise ValueError(f"unknown op {op!r}")
    # The memory reference: allocate a same-size array and copy into it, as every default
    # row allocates its result (issue 10's "allocate + copy").
    impls["copy"] = lambda: x.copy()
    return impls
