"""Attention weights as a softmax over keys, with a causal mask and a fully masked query.

Run: python examples/attention.py
"""

from __future__ import annotations

import numpy as np

from softmaxlab.sampling import scaled_dot_product_attention

rng = np.random.default_rng(0)
words = ["the", "cat", "sat", "down"]
x = rng.normal(size=(len(words), 8))  # one embedding per word
wq, wk, wv = (rng.normal(size=(8, 8)) / np.sqrt(8) for _ in range(3))
q, k, v = x @ wq, x @ wk, x @ wv

out, weights = scaled_dot_product_attention(q, k, v, is_causal=True, return_weights=True)
print("causal attention weights (row: query, column: key)")
print("      " + "".join(f"{w:>7}" for w in words))
for word, row in zip(words, weights, strict=True):
    print(f"{word:>6}" + "".join(f"{p:7.3f}" for p in row))
print("each row sums to", weights.sum(axis=1).round(12))

# A query allowed to see no key at all gets zeros, never NaN.
mask = np.ones((4, 4), dtype=bool)
mask[2] = False
out = scaled_dot_product_attention(q, k, v, mask=mask)
print("output of the fully masked query 'sat':", out[2].round(3))

# Batch and heads: (batch, heads, length, dim).
qb = rng.normal(size=(2, 3, 4, 8))
print("batched output shape:", scaled_dot_product_attention(qb, qb, qb).shape)
