"""A stable softmax whose temperature multiplies the logits instead of dividing them.

``softmaxlab check temperature_times.py:softmax`` fails only the temperature case.
"""

import numpy as np


def softmax(x, temperature=1.0):
    z = np.asarray(x) * temperature
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
