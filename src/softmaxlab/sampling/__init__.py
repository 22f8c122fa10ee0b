"""Where softmax works in practice: decoding, exploration, attention, top-k.

- Next-token decoding: :func:`process_logits` (temperature, top-k, top-p, min-p with the
  rules of Hugging Face ``transformers``), :func:`sample` (Gumbel-max / inverse CDF,
  ``temperature=0`` is greedy) and :func:`gumbel_softmax`.
- Information: :func:`entropy`, :func:`effective_num_choices` (:math:`e^H`),
  :func:`perplexity`, and :func:`top_k` (a classifier's top-5).
- Exploration: :class:`BoltzmannPolicy`, :class:`EpsilonGreedyPolicy`, :class:`UniformPolicy`
  and the bandit simulation in :mod:`softmaxlab.sampling.bandit`.
- Attention: :func:`scaled_dot_product_attention`.

Everything is built on the core :func:`softmaxlab.softmax` and :func:`softmaxlab.log_softmax`
(with ``where=`` masks) and needs NumPy only.
"""

from ._gumbel import gumbel_softmax
from ._info import TopK, effective_num_choices, entropy, perplexity, top_k
from ._policy import BoltzmannPolicy, EpsilonGreedyPolicy, UniformPolicy
from ._process import DECODING_DEFAULTS, DecodingOptions, ProcessedLogits, process_logits
from ._sample import sample
from .attention import scaled_dot_product_attention

__all__ = [
    "DECODING_DEFAULTS",
    "BoltzmannPolicy",
    "DecodingOptions",
    "EpsilonGreedyPolicy",
    "ProcessedLogits",
    "TopK",
    "UniformPolicy",
    "effective_num_choices",
    "entropy",
    "gumbel_softmax",
    "perplexity",
    "process_logits",
    "sample",
    "scaled_dot_product_attention",
    "top_k",
]
