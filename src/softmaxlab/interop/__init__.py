"""Non-NumPy array inputs: PyTorch, JAX, CuPy and Dask arrays (and other array-API arrays).

(Named *interop*, not *backends*, so that "backend" means only the ``backend=`` option;
:mod:`softmaxlab.backends` is kept as an alias.)

The public functions of :mod:`softmaxlab.core` call :func:`is_foreign` on any input that is
not a NumPy array; when it is true they hand the call to this package, which computes in the
input's own library (its array-API namespace, through ``array-api-compat``) and returns the
same array type on the same device. Nothing here is imported by ``import softmaxlab``: this
module itself imports nothing heavy, and ``array-api-compat`` and the array libraries are
imported on the first foreign call.

``cross_entropy`` and ``cross_entropy_grad`` accept PyTorch, JAX and CuPy logits (not Dask).
Dask arrays go through :mod:`._dask`, which keeps every pass over the data lazy and
streaming, so a softmax along a chunked axis runs in bounded memory.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "cross_entropy",
    "cross_entropy_grad",
    "is_foreign",
    "log_softmax",
    "logsumexp",
    "softmax",
]

# Top-level modules whose array types are computed in their own library.
_KNOWN_ROOTS = frozenset({"torch", "jax", "jaxlib", "cupy", "cupyx", "dask"})


def is_foreign(x: Any) -> bool:
    """Whether ``x`` is an array of another library (not NumPy) that this package handles.

    Cheap by design (it runs on every non-ndarray input of the core functions): a look at the
    type's module name, then at ``__array_namespace__``. NumPy scalars, lists, tuples,
    Python numbers and non-array objects of the array libraries (``torch.Size``) are not
    foreign.
    """
    root = type(x).__module__.partition(".")[0]
    if root == "numpy" or root == "builtins":
        return False
    if root in _KNOWN_ROOTS:
        # Arrays of these libraries only: torch.Size, Dask DataFrames and the like keep the
        # NumPy path (their library is already imported, so this import is cheap).
        import array_api_compat

        return bool(array_api_compat.is_array_api_obj(x))
    return hasattr(x, "__array_namespace__")


def _check_backend_option(backend: Any, x: Any, func: str) -> None:
    from .._validation import check_backend

    if check_backend(backend, func) != "auto":
        from .._validation import param_error

        raise param_error(
            "backend",
            f"None or 'auto' for a {_type_name(x)} input (it selects NumPy code paths; the "
            "input is computed in its own library)",
            backend,
            func=func,
        )


def _type_name(x: Any) -> str:
    t = type(x)
    return f"{t.__module__.partition('.')[0]}.{t.__name__}"


def _is_dask(x: Any) -> bool:
    return type(x).__module__.partition(".")[0] == "dask"


def softmax(
    x: Any, axis: Any, *, temperature: Any, where: Any, backend: Any, func: str = "softmax"
) -> Any:
    """:func:`softmaxlab.softmax` of a foreign array, in its own library."""
    from . import _generic

    _check_backend_option(backend, x, func)
    return _generic.softmax(x, axis, temperature, where, log=False, func=func, dask=_is_dask(x))


def log_softmax(
    x: Any, axis: Any, *, temperature: Any, where: Any, backend: Any, func: str = "log_softmax"
) -> Any:
    """:func:`softmaxlab.log_softmax` of a foreign array, in its own library."""
    from . import _generic

    _check_backend_option(backend, x, func)
    return _generic.softmax(x, axis, temperature, where, log=True, func=func, dask=_is_dask(x))


def logsumexp(
    x: Any,
    axis: Any,
    *,
    b: Any,
    keepdims: Any,
    return_sign: Any,
    where: Any,
    backend: Any,
    func: str = "logsumexp",
) -> Any:
    """:func:`softmaxlab.logsumexp` of a foreign array, in its own library.

    ``b`` and ``return_sign`` are supported for NumPy input only: they raise here rather
    than converting the array behind the caller's back.
    """
    from .._validation import check_bool, param_error, shown
    from . import _generic

    _check_backend_option(backend, x, func)
    if b is not None:
        raise param_error(
            "b",
            f"None for a {_type_name(x)} input (scale factors are supported for NumPy input only)",
            shown("an array"),
            func=func,
        )

    if check_bool(return_sign, "return_sign", func=func):
        raise param_error(
            "return_sign",
            f"False for a {_type_name(x)} input (the sign is supported for NumPy input only)",
            return_sign,
            func=func,
        )
    keepdims = check_bool(keepdims, "keepdims", func=func)
    return _generic.logsumexp(x, axis, where, keepdims=keepdims, func=func, dask=_is_dask(x))


def _cross_entropy(logits: Any, target: Any, options: dict[str, Any], *, grad: bool) -> Any:
    from . import _generic

    func = "cross_entropy_grad" if grad else "cross_entropy"
    backend = options.pop("backend", None)
    _check_backend_option(backend, logits, func)
    if _is_dask(logits):
        from .._validation import shown, type_error

        raise type_error(
            "logits",
            "a NumPy, PyTorch, JAX or CuPy array (cross-entropy of Dask arrays is not supported)",
            shown("a Dask array"),
            func=func,
        )
    return _generic.cross_entropy(logits, target, grad=grad, func=func, **options)


def cross_entropy(logits: Any, target: Any, **options: Any) -> Any:
    """:func:`softmaxlab.cross_entropy` of a foreign array (not Dask), in its own library.

    ``options`` are the keyword options of :func:`softmaxlab.cross_entropy`.
    """
    return _cross_entropy(logits, target, options, grad=False)


def cross_entropy_grad(logits: Any, target: Any, **options: Any) -> Any:
    """:func:`softmaxlab.cross_entropy_grad` of a foreign array (not Dask), in its library."""
    return _cross_entropy(logits, target, options, grad=True)
