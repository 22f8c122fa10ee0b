"""The Attention tab's data: a sentence's tokens, toy q/k/v, scores, weights and outputs.

The inputs are made deterministically so that a page, a test and a learner see the same
numbers for the same words:

- every token gets an embedding of :data:`DIM` numbers drawn from a NumPy ``Generator``
  seeded by the CRC-32 of the token's UTF-8 bytes (the same word always gets the same
  vector, whatever sentence it is in), plus a small position code (sine and cosine of the
  position, as in the Transformer paper) so that repeated words can be told apart;
- the three projections :math:`W_Q, W_K, W_V` (``DIM × DIM``, entries normal with standard
  deviation :data:`PROJECTION_SCALE`) are drawn once from a ``Generator`` seeded with
  :data:`SEED`; then :math:`Q = XW_Q`, :math:`K = XW_K`,
  :math:`V = XW_V`.

The maths is softmaxlab's: :func:`softmaxlab.sampling.attention.attention_scores` gives
:math:`QK^\\top/\\sqrt{d}` (``-inf`` above the diagonal with the causal mask) and
:func:`softmaxlab.sampling.scaled_dot_product_attention` the weights and the outputs.

Examples
--------
>>> view = attention_view("the cat sat", causal=True, query=2)
>>> view["tokens"]
['the', 'cat', 'sat']
>>> [round(sum(row), 12) for row in view["weights"]]
[1.0, 1.0, 1.0]
>>> view["weights"][0][1:]
[0.0, 0.0]
"""

from __future__ import annotations

import math
import re
import zlib
from typing import Any

import numpy as np

from .. import reports
from ..sampling import scaled_dot_product_attention
from ..sampling.attention import attention_scores
from ._problems import InputProblem, in_range

__all__ = ["DIM", "MAX_TOKENS", "MIN_TOKENS", "SEED", "attention_view", "embeddings", "tokens"]

DIM = 4
"""Size of each embedding, query, key and value (so the scale is 1/√4 = 1/2)."""
SEED = 14
"""Seed of the generator that draws the projections W_Q, W_K, W_V."""
MIN_TOKENS = 2
MAX_TOKENS = 10
POSITION_WEIGHT = 0.5
"""How much of the position code is added to each token's embedding."""
PROJECTION_SCALE = 0.7
"""Standard deviation of the entries of W_Q, W_K, W_V: scores of a few units, so that the
weights are neither one-hot nor flat."""

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def tokens(text: str | None) -> list[str]:
    """The tokens of ``text``: words separated by spaces; Chinese text without spaces by character.

    Raises
    ------
    InputProblem
        Fewer than :data:`MIN_TOKENS` or more than :data:`MAX_TOKENS` tokens.

    Examples
    --------
    >>> tokens("  the cat  sat ")
    ['the', 'cat', 'sat']
    >>> tokens("猫坐着")
    ['猫', '坐', '着']
    """
    words = (text or "").replace("\u3000", " ").split()
    if len(words) == 1 and _CJK.search(words[0]):
        words = [ch for ch in words[0] if not ch.isspace()]
    if len(words) < MIN_TOKENS:
        raise InputProblem("err.too_few", min=MIN_TOKENS, n=len(words), what="what.tokens")
    if len(words) > MAX_TOKENS:
        raise InputProblem("err.too_many", max=MAX_TOKENS, n=len(words), what="what.tokens")
    return words


def _token_vector(token: str) -> np.ndarray:
    rng = np.random.default_rng(zlib.crc32(token.encode("utf-8")))
    return rng.standard_normal(DIM)


def _position_code(position: int) -> np.ndarray:
    # Sine/cosine pairs at two frequencies, as Vaswani et al.'s positional encoding.
    angles = [position / 10000 ** (2 * i / DIM) for i in range(DIM // 2)]
    return np.array([f(a) for a in angles for f in (math.sin, math.cos)])


def embeddings(words: list[str]) -> np.ndarray:
    """The (n, DIM) embeddings X of ``words``: token vector + ``POSITION_WEIGHT`` · position code.

    Examples
    --------
    >>> bool(np.array_equal(embeddings(["a", "b"])[0], embeddings(["a", "c"])[0]))
    True
    """
    rows = [_token_vector(w) + POSITION_WEIGHT * _position_code(i) for i, w in enumerate(words)]
    return np.array(rows, dtype=np.float64)


def projections() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """W_Q, W_K, W_V: three (DIM, DIM) matrices from a generator seeded with :data:`SEED`."""
    rng = np.random.default_rng(SEED)
    w_q, w_k, w_v = (PROJECTION_SCALE * rng.standard_normal((DIM, DIM)) for _ in range(3))
    return w_q, w_k, w_v


def _query_index(query: float | None, n: int) -> int:
    return int(in_range(query, "what.att_query", 1, n, whole=True)) - 1


def attention_view(text: str | None, *, causal: bool, query: float | None) -> dict[str, Any]:
    """Everything the Attention tab shows for the sentence ``text``.

    ``query`` is the position (1 … n) of the token whose weights and mix are shown.

    Returns a dict with ``tokens``, ``q``, ``k``, ``v`` (lists of rows), ``scale`` (1/√d),
    ``scores`` (s·QKᵀ, ``-inf`` where masked), ``weights`` (row-wise softmax, rows sum to 1),
    ``output`` (weights · V), ``row_sums`` (Σ of each weights row, exactly rounded:
    :func:`softmaxlab.reports.sum_check`), ``causal`` and ``query``
    (0-based index).

    Raises
    ------
    InputProblem
        Too few or too many tokens, or a query position outside 1 … n.
    """
    words = tokens(text)
    index = _query_index(query, len(words))
    x = embeddings(words)
    w_q, w_k, w_v = projections()
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    scale = 1.0 / math.sqrt(DIM)
    scores = attention_scores(q, k, scale=scale, is_causal=causal)
    output, weights = scaled_dot_product_attention(
        q, k, v, scale=scale, is_causal=causal, return_weights=True
    )
    return {
        "tokens": words,
        "q": q.tolist(),
        "k": k.tolist(),
        "v": v.tolist(),
        "scale": scale,
        "scores": scores.tolist(),
        "weights": weights.tolist(),
        "output": output.tolist(),
        "row_sums": reports.sum_check(weights).sums.tolist(),
        "causal": bool(causal),
        "query": index,
    }
