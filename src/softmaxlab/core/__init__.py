"""The softmax family on NumPy arrays: transforms, losses, gradients and relatives.

Everything here needs NumPy only.
"""

from ._activations import log_sigmoid, sigmoid, sparsemax
from ._grad import softmax_jacobian, softmax_vjp
from ._logsumexp import logsumexp
from ._loss import cross_entropy, cross_entropy_and_grad, cross_entropy_grad
from ._softmax import log_softmax, softmax

__all__ = [
    "cross_entropy",
    "cross_entropy_and_grad",
    "cross_entropy_grad",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "sigmoid",
    "softmax",
    "softmax_jacobian",
    "softmax_vjp",
    "sparsemax",
]
