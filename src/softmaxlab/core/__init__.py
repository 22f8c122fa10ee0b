"""The softmax family on NumPy arrays: transforms, losses, gradients and relatives.

Everything here needs NumPy only.
"""

from ..interop import _dask as _dask_blocks
from ._activations import log_sigmoid, relu, sigmoid, sparsemax
from ._grad import softmax_jacobian, softmax_vjp
from ._logsumexp import logsumexp
from ._loss import cross_entropy, cross_entropy_and_grad, cross_entropy_grad
from ._softmax import log_softmax, softmax

# Dask blocks of NumPy chunks run these; the array adapters never import the core.
_dask_blocks.NUMPY.update(softmax=softmax, log_softmax=log_softmax, logsumexp=logsumexp)

__all__ = [
    "cross_entropy",
    "cross_entropy_and_grad",
    "cross_entropy_grad",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "relu",
    "sigmoid",
    "softmax",
    "softmax_jacobian",
    "softmax_vjp",
    "sparsemax",
]
