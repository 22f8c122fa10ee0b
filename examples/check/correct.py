"""A softmax written by hand that passes ``softmaxlab check correct.py:softmax``.

Shift by the maximum (exp never overflows and the sum is at least 1), exponentiate, sum
along the last axis, divide. The dtype of the input is kept, and the input is not modified.
"""

import numpy as np


def softmax(x, axis=-1, temperature=1.0):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(float)
    z = x / x.dtype.type(temperature)
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)
