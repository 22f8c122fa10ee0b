"""Shifted correctly, but normalised over every entry of the array at once.

``softmaxlab check whole_array.py:softmax`` fails the batch case: the whole 4 × 3 array
sums to 1 instead of each row.
"""

import numpy as np


def softmax(x):
    x = np.asarray(x)
    e = np.exp(x - x.max())
    return e / e.sum()
