r"""A tiny next-token model: softmax regression on one-hot n-gram context features.

:class:`NgramModel` is the smallest real language model that softmax explains completely.
For a context :math:`c` (the previous token, and for ``order=3`` also the previous pair) it
computes one logit per vocabulary token,

.. math::

    z_v(c) = b_v + W_{v,\,\text{prev}(c)} + W_{v,\,\text{pair}(c)}, \qquad
    P(v \mid c) = \operatorname{softmax}(z(c))_v,

and the weights are fitted by :class:`softmaxlab.models.SoftmaxRegression` (cross-entropy
of the next token, L2 penalty :math:`\tfrac{1}{2C}\lVert W\rVert^2`) on a sparse CSR matrix
of one-hot features. With the penalty off (:math:`C \to \infty`) and bigram features only,
the optimum is the count estimate :math:`P(v \mid u) = n(u, v) / n(u)`: one weight column
per previous token is as free as a table of conditional frequencies. The penalty smooths
that table; pair features seen too rarely get no column, and the model *backs off* to the
previous token alone (the pair's weights are simply absent).

Tokens: English is lower-cased and split into words and punctuation; each Chinese character
is one token (:func:`tokenize`). A sentence is read as ``<s> w₁ … wₙ </s>``. A token the
model never saw is read as ``<unk>``, which has no feature column: after an unknown token the
logits are the intercepts :math:`b` alone (roughly how often each token comes next overall).

Examples
--------
>>> model = NgramModel(C=1e4).fit([["a", "b"], ["a", "c"], ["a", "b"]])
>>> model.classes_
['a', 'b', 'c', '</s>']
>>> p = model.next_proba(["a"])
>>> [round(float(x), 2) for x in p]
[0.0, 0.67, 0.33, 0.0]
>>> tokenize("The cat sat, 小猫睡了。")
['the', 'cat', 'sat', ',', '小', '猫', '睡', '了', '。']
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np
from numpy.typing import NDArray

from .._validation import check_int, param_error, shown

if TYPE_CHECKING:
    from ..sampling import DecodingOptions

__all__ = ["BOS", "EOS", "UNK", "NgramModel", "join_tokens", "tokenize"]

BOS = "<s>"
"""The start of a sentence (a context, never predicted)."""
EOS = "</s>"
"""The end of a sentence (predicted, never a context of its own)."""
UNK = "<unk>"
"""A token the model never saw: no feature column, so only the intercepts speak."""

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[a-z0-9']+|[^\sa-z0-9']")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into tokens: lower-case words, punctuation marks, single CJK characters.

    Examples
    --------
    >>> tokenize("Where is the KEY? 它在哪里？")
    ['where', 'is', 'the', 'key', '?', '它', '在', '哪', '里', '？']
    """
    if not isinstance(text, str):
        raise param_error("text", "a string", text, func="tokenize")
    return _TOKEN.findall(text.lower())


def _cjk_or_mark(token: str) -> bool:
    return len(token) == 1 and not (token.isascii() and token.isalnum())


def join_tokens(tokens: Sequence[str]) -> str:
    """Tokens back to text: a space between two words, none around CJK characters or marks.

    Examples
    --------
    >>> join_tokens(["the", "cat", "sat", ".", "小", "猫", "。"])
    'the cat sat.小猫。'
    """
    out = ""
    for i, w in enumerate(tokens):
        if i and not _cjk_or_mark(w) and not _cjk_or_mark(tokens[i - 1]):
            out += " "
        elif i and not _cjk_or_mark(w) and tokens[i - 1] in (",", ".", "?", "!"):
            out += " "
        out += w
    return out


class NgramModel:
    """Bigram (``order=2``) or trigram-with-back-off (``order=3``) softmax next-token model.

    Parameters
    ----------
    order : {2, 3}, default 2
        Context length plus one: 2 uses the previous token, 3 adds the previous pair.
    C : float, default 1.0
        Inverse L2 strength of :class:`~softmaxlab.models.SoftmaxRegression` (``np.inf``: none).
        The penalty is on the summed loss of all tokens, so 1.0 smooths only lightly.
    min_pair_count : int, default 2
        ``order=3`` only: a pair gets a feature column if it occurs at least this often.
    solver : str, default 'newton-cg'
        The solver of :class:`~softmaxlab.models.SoftmaxRegression` ('newton-cg' needs about
        ten iterations here; 'lbfgs' several dozen).
    max_iter, tol
        Passed to :class:`~softmaxlab.models.SoftmaxRegression`.

    Attributes
    ----------
    contexts_ : list of str
        The tokens with a feature column (``<s>`` first, then the vocabulary).
    classes_ : list of str
        The tokens the model predicts, in logit order (the vocabulary, then ``</s>``).
    pairs_ : dict of (str, str) to int
        ``order=3``: the feature column of each pair kept.
    regression_ : SoftmaxRegression
    n_tokens_ : int
        Predicted positions in the training text (``</s>`` included).
    fit_seconds_ : float
        Wall time of :meth:`fit`.
    """

    def __init__(
        self,
        order: int = 2,
        *,
        C: float = 1.0,
        min_pair_count: int = 2,
        solver: str = "newton-cg",
        max_iter: int = 100,
        tol: float = 1e-5,
    ) -> None:
        self.order = order
        self.C = C
        self.min_pair_count = min_pair_count
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol

    # ------------------------------------------------------------------ fitting
    def _check(self) -> None:
        if isinstance(self.order, bool) or self.order not in (2, 3):
            raise param_error("order", "2 or 3", self.order, func="NgramModel")
        if isinstance(self.min_pair_count, bool) or not isinstance(self.min_pair_count, int):
            raise param_error(
                "min_pair_count", "an int >= 1", self.min_pair_count, func="NgramModel"
            )
        if self.min_pair_count < 1:
            raise param_error(
                "min_pair_count", "an int >= 1", self.min_pair_count, func="NgramModel"
            )

    @staticmethod
    def _sequences(sentences: Any) -> list[list[str]]:
        out = []
        for s in sentences:
            if isinstance(s, str) or not all(isinstance(w, str) for w in s):
                raise param_error(
                    "sentences",
                    "a sequence of token lists (lists of str)",
                    shown(f"an item {s!r:.40}"),
                    func="NgramModel.fit",
                )
            out.append([BOS, *s, EOS])
        if not out:
            raise param_error(
                "sentences",
                "a non-empty sequence of token lists",
                shown("none"),
                func="NgramModel.fit",
            )
        return out

    def fit(self, sentences: Sequence[Sequence[str]]) -> NgramModel:
        """Fit the model to ``sentences`` (each a list of tokens, without ``<s>``/``</s>``)."""
        from scipy import sparse

        from ._regression import SoftmaxRegression

        start = time.perf_counter()
        self._check()
        seqs = self._sequences(sentences)
        words = sorted({w for s in seqs for w in s[1:-1]})
        self.contexts_ = [BOS, *words]
        self.classes_ = [*words, EOS]
        self._col = {w: i for i, w in enumerate(self.contexts_)}
        target = {w: i for i, w in enumerate(self.classes_)}
        pair_counts = Counter((s[i - 2], s[i - 1]) for s in seqs for i in range(2, len(s)))
        self.pairs_: dict[tuple[str, str], int] = {}
        if self.order == 3:
            kept = sorted(p for p, n in pair_counts.items() if n >= self.min_pair_count)
            self.pairs_ = {p: len(self.contexts_) + j for j, p in enumerate(kept)}
        self.n_features_ = len(self.contexts_) + len(self.pairs_)
        # Identical (context, next token) rows are fitted once, weighted by their count.
        events = Counter(
            (tuple(s[max(0, i - self.order + 1) : i]), s[i]) for s in seqs for i in range(1, len(s))
        )
        rows, cols, y, weight = [], [], [], []
        for r, ((context, nxt), count) in enumerate(events.items()):
            for c in self._columns(list(context)):
                rows.append(r)
                cols.append(c)
            y.append(target[nxt])
            weight.append(float(count))
        X = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(events), self.n_features_)
        )
        self.regression_ = SoftmaxRegression(
            C=self.C, solver=self.solver, max_iter=self.max_iter, tol=self.tol
        )
        self.regression_.fit(X, np.asarray(y), sample_weight=np.asarray(weight))
        # Every class occurs as a next token, so the estimator's classes are 0 … K-1 in order.
        self.n_tokens_ = int(sum(weight))
        self.fit_seconds_ = time.perf_counter() - start
        return self

    # ------------------------------------------------------------------ reading
    def _columns(self, context: list[str]) -> list[int]:
        """Feature columns of a context (its last one or two tokens)."""
        cols = []
        if context and context[-1] in self._col:
            cols.append(self._col[context[-1]])
        if self.order == 3 and len(context) >= 2:
            pair = (context[-2], context[-1])
            if pair in self.pairs_:
                cols.append(self.pairs_[pair])
        return cols

    def read(self, tokens: Sequence[str]) -> list[str]:
        """``tokens`` as the model reads them: an unknown token becomes ``<unk>``.

        ``</s>`` (an end of sentence drawn by :meth:`generate`) is read as ``<s>``: a new
        sentence starts after it.
        """
        return [BOS if w == EOS else (w if w in self._col and w != BOS else UNK) for w in tokens]

    def context(self, prompt: Sequence[str]) -> list[str]:
        """The context of the next token: ``<s>`` then the prompt's tokens as read."""
        return [BOS, *self.read(prompt)]

    def backs_off(self, prompt: Sequence[str]) -> bool:
        """``order=3``: whether the last pair of the context has no column (bigram only)."""
        ctx = self.context(prompt)
        return self.order == 3 and (len(ctx) < 2 or (ctx[-2], ctx[-1]) not in self.pairs_)

    def next_logits(self, prompt: Sequence[str]) -> NDArray[np.float64]:
        """The logits :math:`z` of the token after ``prompt`` (one per :attr:`classes_`)."""
        cols = self._columns(self.context(prompt))
        reg = self.regression_
        return np.asarray(reg.intercept_ + reg.coef_[:, cols].sum(axis=1), dtype=np.float64)

    def next_proba(self, prompt: Sequence[str]) -> NDArray[np.float64]:
        """:math:`P(\\cdot \\mid \\text{prompt}) = \\operatorname{softmax}(z)`."""
        from ..core import softmax

        return np.asarray(softmax(self.next_logits(prompt)), dtype=np.float64)

    def generate(
        self,
        prompt: Sequence[str],
        n_tokens: int,
        *,
        seed: int = 0,
        **options: Unpack[DecodingOptions],
    ) -> list[str]:
        """Draw up to ``n_tokens`` tokens after ``prompt``, one at a time (stops after ``</s>``).

        Each draw is :func:`softmaxlab.sampling.sample` on :meth:`next_logits` with the decoding
        ``options`` (``temperature``, ``top_k``, ``top_p``, ``min_p``). The draw for the token at
        position ``L`` (the prompt and the tokens drawn so far, as read) uses the generator seeded
        with ``(seed, L)``, so drawing ``n`` tokens at once gives the same tokens as ``n`` calls
        drawing one each.
        """
        from ..sampling import sample

        check_int(n_tokens, "n_tokens", low=0, func="NgramModel.generate")
        check_int(seed, "seed", low=0, func="NgramModel.generate")
        tokens = list(self.read(prompt))
        out: list[str] = []
        for _ in range(n_tokens):
            rng = np.random.default_rng([seed, len(tokens)])
            z = self.next_logits(tokens)
            i = int(sample(z, **options, rng=rng)[0])
            out.append(self.classes_[i])
            tokens.append(self.classes_[i])
            if out[-1] == EOS:
                break
        return out
