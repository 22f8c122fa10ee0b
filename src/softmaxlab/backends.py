"""The former name of :mod:`softmaxlab.interop`, kept so that existing imports keep working.

The array adapters were renamed so that the word *backend* keeps one meaning in softmaxlab:
the ``backend=`` option of the public functions (``'auto'``, ``'numpy'``, ``'compiled'``).
"""

from .interop import cross_entropy, cross_entropy_grad, is_foreign, log_softmax, logsumexp, softmax

__all__ = [
    "cross_entropy",
    "cross_entropy_grad",
    "is_foreign",
    "log_softmax",
    "logsumexp",
    "softmax",
]
