"""The tiny next-token model: softmax regression on one-hot n-gram features (issue 14).

The reference is an independent count estimate: with the penalty (almost) off, a softmax
regression on one-hot bigram features reaches the maximum-likelihood conditional
frequencies n(u, v) / n(u), counted here with :class:`collections.Counter`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter

import numpy as np
import pytest

from softmaxlab import SoftmaxLabError
from softmaxlab.models._lm_corpus import CORPORA, corpus_sentences
from softmaxlab.models._ngram import BOS, EOS, UNK, NgramModel, join_tokens, tokenize

TINY = [
    ["the", "cat", "sat"],
    ["the", "cat", "ran"],
    ["the", "dog", "sat"],
    ["a", "dog", "sat"],
    ["the", "cat", "sat"],
    ["a", "cat", "slept"],
]


def count_estimate(sentences: list[list[str]]) -> dict[str, dict[str, float]]:
    """P(v | u) = n(u, v) / n(u) from the sentences read as <s> w1 … wn </s>."""
    pairs: Counter[tuple[str, str]] = Counter()
    for s in sentences:
        seq = [BOS, *s, EOS]
        pairs.update(itertools.pairwise(seq))
    totals: Counter[str] = Counter()
    for (u, _), n in pairs.items():
        totals[u] += n
    table: dict[str, dict[str, float]] = {}
    for (u, v), n in pairs.items():
        table.setdefault(u, {})[v] = n / totals[u]
    return table


@pytest.fixture(scope="module")
def unpenalised() -> NgramModel:
    return NgramModel(C=1e6, tol=1e-10, max_iter=200).fit(TINY)


def test_vocabulary_and_classes(unpenalised: NgramModel) -> None:
    words = sorted({w for s in TINY for w in s})
    assert unpenalised.contexts_ == [BOS, *words]
    assert unpenalised.classes_ == [*words, EOS]
    assert unpenalised.n_tokens_ == sum(len(s) + 1 for s in TINY)


@pytest.mark.parametrize("context", [BOS, "the", "a", "cat", "dog", "sat"])
def test_unpenalised_bigram_reaches_the_count_estimate(
    unpenalised: NgramModel, context: str
) -> None:
    expected = count_estimate(TINY)[context]
    p = unpenalised.next_proba([] if context == BOS else [context])
    assert math.fsum(p) == pytest.approx(1.0, abs=1e-12)
    for i, token in enumerate(unpenalised.classes_):
        assert p[i] == pytest.approx(expected.get(token, 0.0), abs=2e-3), token


def test_penalty_smooths_towards_unseen_tokens() -> None:
    strong = NgramModel(C=0.05).fit(TINY)
    p = strong.next_proba(["the"])
    ref = count_estimate(TINY)["the"]
    # Seen continuations lose mass to unseen ones; the ranking of the seen ones stays.
    assert p[strong.classes_.index("sat")] > 0.005
    assert p[strong.classes_.index("cat")] < ref["cat"]
    assert p[strong.classes_.index("cat")] > p[strong.classes_.index("dog")]


def test_logits_are_intercept_plus_one_weight_column(unpenalised: NgramModel) -> None:
    reg = unpenalised.regression_
    col = unpenalised.contexts_.index("cat")
    z = unpenalised.next_logits(["the", "cat"])
    np.testing.assert_allclose(z, reg.intercept_ + reg.coef_[:, col], rtol=0, atol=1e-12)
    # The model's own decision_function on the one-hot row agrees.
    x = np.zeros((1, len(unpenalised.contexts_)))
    x[0, col] = 1.0
    np.testing.assert_allclose(z, reg.decision_function(x)[0], rtol=1e-12, atol=1e-12)


def test_unknown_token_reads_as_unk_and_gives_the_intercepts(unpenalised: NgramModel) -> None:
    assert unpenalised.read(["the", "zebra", "<s>"]) == ["the", UNK, UNK]
    z = unpenalised.next_logits(["the", "zebra"])
    np.testing.assert_array_equal(z, unpenalised.regression_.intercept_)


def test_generation_is_reproducible_by_seed_and_stepwise(unpenalised: NgramModel) -> None:
    model = NgramModel().fit(corpus_sentences("en"))
    prompt = tokenize("in the morning ,")
    options = {"temperature": 1.2, "top_p": 0.95}
    a = model.generate(prompt, 12, seed=7, **options)
    assert a == model.generate(prompt, 12, seed=7, **options)
    # Drawing one token at a time from the growing prompt gives the same tokens.
    steps: list[str] = []
    for _ in range(len(a)):
        steps += model.generate(prompt + steps, 1, seed=7, **options)
    assert steps == a
    seeds = {tuple(model.generate(prompt, 12, seed=s, **options)) for s in range(8)}
    assert len(seeds) > 1
    # Greedy decoding follows the argmax of the logits.
    greedy = model.generate(prompt, 3, temperature=0.0)
    assert greedy[0] == model.classes_[int(np.argmax(model.next_logits(prompt)))]


def test_top_k_generation_only_draws_the_k_largest() -> None:
    model = NgramModel().fit(corpus_sentences("en"))
    prompt = tokenize("the")
    z = model.next_logits(prompt)
    allowed = {model.classes_[i] for i in np.argsort(-z, kind="stable")[:3]}
    draws = {model.generate(prompt, 1, top_k=3, seed=s)[0] for s in range(60)}
    assert draws <= allowed and len(draws) >= 2


def test_trigram_pair_features_and_back_off() -> None:
    model = NgramModel(order=3, C=1e6, tol=1e-10, min_pair_count=1).fit(TINY)
    # After "a cat" the only continuation is "slept"; after "the cat", "sat" 2/3, "ran" 1/3.
    p = model.next_proba(["a", "cat"])
    assert p[model.classes_.index("slept")] == pytest.approx(1.0, abs=2e-3)
    q = model.next_proba(["the", "cat"])
    assert q[model.classes_.index("sat")] == pytest.approx(2 / 3, abs=2e-3)
    assert not model.backs_off(["the", "cat"])
    # An unseen pair backs off to the previous token's column alone.
    assert model.backs_off(["dog", "cat"])
    reg = model.regression_
    z = model.next_logits(["dog", "cat"])
    np.testing.assert_allclose(z, reg.intercept_ + reg.coef_[:, model.contexts_.index("cat")])


@pytest.mark.parametrize("name", CORPORA)
def test_corpora_are_deterministic_and_small(name: str) -> None:
    sentences = corpus_sentences(name)
    assert sentences == corpus_sentences(name)
    vocab = {w for s in sentences for w in s}
    assert 100 <= len(vocab) <= 400
    if name != "en":
        assert all(len(w) == 1 for w in vocab)


def test_traditional_corpus_is_the_simplified_one_mapped_character_by_character() -> None:
    hans, hant = corpus_sentences("zh-Hans"), corpus_sentences("zh-Hant")
    assert [len(s) for s in hans] == [len(s) for s in hant]
    assert "猫" in {w for s in hans for w in s} and "貓" in {w for s in hant for w in s}
    assert not {"猫", "鸟", "书", "风", "说"} & {w for s in hant for w in s}


def test_tokenize_and_join() -> None:
    assert tokenize("Where is the KEY? 它在哪里？") == [
        "where", "is", "the", "key", "?", "它", "在", "哪", "里", "？",
    ]  # fmt: skip
    assert join_tokens(["in", "the", "park", ",", "ben", "ran", ".", "mia"]) == (
        "in the park, ben ran. mia"
    )
    assert join_tokens(list("小猫睡了。")) == "小猫睡了。"


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"order": 4}, "order"),
        ({"order": True}, "order"),
        ({"min_pair_count": 0}, "min_pair_count"),
    ],
)
def test_bad_options_follow_the_template(kwargs: dict[str, object], parameter: str) -> None:
    with pytest.raises(SoftmaxLabError, match=f"The '{parameter}' parameter of NgramModel must"):
        NgramModel(**kwargs).fit(TINY)  # type: ignore[arg-type]


def test_bad_inputs_follow_the_template(unpenalised: NgramModel) -> None:
    with pytest.raises(SoftmaxLabError, match=re.escape("'sentences' parameter of NgramModel.fit")):
        NgramModel().fit(["the cat"])  # type: ignore[list-item]
    with pytest.raises(SoftmaxLabError, match=re.escape("'sentences' parameter of NgramModel.fit")):
        NgramModel().fit([])
    with pytest.raises(SoftmaxLabError, match=re.escape("'n_tokens' parameter of NgramModel.gen")):
        unpenalised.generate(["the"], -1)
    with pytest.raises(SoftmaxLabError, match=re.escape("'seed' parameter of NgramModel.gen")):
        unpenalised.generate(["the"], 1, seed=-3)
    with pytest.raises(SoftmaxLabError, match=re.escape("'name' parameter of corpus_sentences")):
        corpus_sentences("fr")
    with pytest.raises(SoftmaxLabError, match=re.escape("'text' parameter of tokenize")):
        tokenize(3)  # type: ignore[arg-type]
