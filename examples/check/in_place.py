"""Correct values, but the caller's array is overwritten on the way.

``x -= ...`` and ``np.exp(x, out=x)`` write into the array that was passed in, so the
caller's logits are gone after the call. ``softmaxlab check in_place.py:softmax`` fails the
"input unchanged" case (and the list case passes: a list is copied by np.asarray).
"""

import numpy as np


def softmax(x):
    x = np.asarray(x)
    x -= np.max(x, axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= np.sum(x, axis=-1, keepdims=True)
    return x
