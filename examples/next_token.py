"""Next-token decoding: temperature, top-k, top-p and min-p on a tiny vocabulary.

Run: python examples/next_token.py
"""

from __future__ import annotations

import numpy as np

from softmaxlab import softmax
from softmaxlab.sampling import effective_num_choices, entropy, process_logits, sample

tokens = ["the", "a", "cat", "dog", "sat", "on"]
logits = np.array([2.1, 1.5, 0.3, 0.2, -0.4, -1.2])  # a language model's scores

raw = softmax(logits)
print(
    "softmax of the raw logits:",
    ", ".join(f"{t} {p:.3f}" for t, p in zip(tokens, raw, strict=True)),
)

settings = {
    "plain": {},
    "temperature 0.7": {"temperature": 0.7},
    "top-k 3": {"top_k": 3},
    "top-p 0.9 at T=0.7": {"temperature": 0.7, "top_p": 0.9},
    "min-p 0.2": {"min_p": 0.2},
}
for name, opts in settings.items():
    probs, removed = process_logits(logits, **opts)
    kept = [t for t, r in zip(tokens, removed, strict=True) if not r]
    draws = sample(logits, num_samples=10_000, rng=0, **opts)
    freq = np.bincount(draws, minlength=len(tokens)) / draws.size
    print(f"\n{name}: keeps {kept}")
    print(
        f"  entropy {float(entropy(probs=probs)):.3f} nats, "
        f"{float(effective_num_choices(probs=probs)):.2f} effective choices"
    )
    for t, p, f in zip(tokens, probs, freq, strict=True):
        print(f"  {t:>4}  p={p:.3f}  freq={f:.3f}")

greedy = tokens[int(sample(logits, temperature=0)[0])]
sampled = tokens[int(sample(logits, temperature=0.7, top_p=0.9, rng=1)[0])]
print(f"\ngreedy: {greedy}   sampled (T=0.7, top-p 0.9): {sampled}")
