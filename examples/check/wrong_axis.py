"""Shifted correctly, but summed over axis 0: a 1-D vector is fine, a batch of rows is not.

``softmaxlab check wrong_axis.py:softmax`` fails the batch case: the columns sum to 1
instead of the rows.
"""

import numpy as np


def softmax(x):
    x = np.asarray(x)
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
