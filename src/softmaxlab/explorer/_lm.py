"""The explorer's "Next token (real model)" tab as plain functions: a prompt in, views out.

The model is :class:`softmaxlab.models._ngram.NgramModel` (a bigram softmax regression,
fitted by :class:`softmaxlab.models.SoftmaxRegression`) on one of the corpora of
:mod:`softmaxlab.models._lm_corpus`. Each corpus is trained once per process, in one
background thread, when the tab is first opened (:func:`start_models`); a view waits for its
own model only. The decoding options are those of the Next token tab
(:class:`._decoding.Decoding`), checked by :mod:`softmaxlab.sampling`, whose errors
the page translates. Nothing here imports gradio.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np

from .. import reports, softmax
from ._decoding import Decoding, _decoding_problems
from ._problems import InputProblem, in_range

__all__ = [
    "CORPUS_CHOICES",
    "EXAMPLE_PROMPTS",
    "generate_view",
    "get_model",
    "is_started",
    "lm_view",
    "start_models",
    "stepped",
]

CORPUS_CHOICES = (("English", "en"), ("简体中文", "zh-Hans"), ("繁體中文", "zh-Hant"))
"""The corpus switch: (label, corpus name); the labels are the languages' own names."""

EXAMPLE_PROMPTS = {"en": "in the morning , the cat", "zh-Hans": "小猫在", "zh-Hant": "小貓在"}
"""The prompt shown when a corpus is picked."""

N_TOP = 15
MAX_PROMPT_TOKENS = 200
MAX_GENERATE = 40

_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="softmaxlab-lm")
_MODELS: dict[str, Future[Any]] = {}
_LOCK = threading.Lock()


def _train(corpus: str) -> Any:
    from ..models._lm_corpus import corpus_sentences
    from ..models._ngram import NgramModel

    return NgramModel(order=2).fit(corpus_sentences(corpus))


def _future(corpus: str) -> Future[Any]:
    if corpus not in EXAMPLE_PROMPTS:
        raise InputProblem("err.lm_corpus", value=corpus)
    with _LOCK:
        if corpus not in _MODELS:
            _MODELS[corpus] = _EXECUTOR.submit(_train, corpus)
        return _MODELS[corpus]


def start_models(first: str = "en") -> None:
    """Train the three corpora's models in the background (``first`` first), once."""
    for corpus in (first, *EXAMPLE_PROMPTS):
        if corpus in EXAMPLE_PROMPTS:
            _future(corpus)


def is_started(corpus: str) -> bool:
    """Whether the model of ``corpus`` is trained or being trained."""
    with _LOCK:
        return corpus in _MODELS


def get_model(corpus: str) -> Any:
    """The trained model of ``corpus`` (waits for its training, about a second, once)."""
    return _future(corpus).result()


def _prompt_tokens(prompt: str | None) -> list[str]:
    from ..models._ngram import tokenize

    tokens = tokenize(prompt or "")
    if len(tokens) > MAX_PROMPT_TOKENS:
        raise InputProblem(
            "err.range", what="what.lm_tokens", low=0, high=MAX_PROMPT_TOKENS, value=len(tokens)
        )
    return tokens


def _model_info(model: Any, corpus: str) -> dict[str, Any]:
    return {
        "corpus": corpus,
        "vocabulary": len(model.classes_),
        "n_tokens": model.n_tokens_,
        "seconds": model.fit_seconds_,
        "C": model.C,
        "n_iter": int(model.regression_.n_iter_),
    }


def lm_view(corpus: str, prompt: str | None, decoding: Decoding) -> dict[str, Any]:
    """The model's next-token logits after ``prompt``, decoded with the page's settings.

    ``rows`` are the :data:`N_TOP` highest logits (ties: lower index first) with the base
    probability softmax(z), the probability after decoding and the cumulative probability
    that top-p cuts (softmax(z / T) over the tokens top-k kept, summed in that order);
    ``cum`` holds that cumulative bar for every token.
    """
    from ..models._ngram import UNK
    from ..sampling import process_logits

    model = get_model(corpus)
    tokens = _prompt_tokens(prompt)
    read = model.read(tokens)
    options, rng_seed = decoding.options, decoding.seed
    z = model.next_logits(tokens)
    t = options["temperature"]
    with _decoding_problems():
        probs, removed = process_logits(z, **options)
        kept = reports.kept_after_each_filter(z, **options)
        head = process_logits(z, temperature=t or 1.0, top_k=options["top_k"]).probs
        after_p = process_logits(
            z, temperature=t or 1.0, top_k=options["top_k"], top_p=options["top_p"]
        ).removed
    sampled = model.generate(tokens, 1, **options, seed=rng_seed)[0]
    order = np.argsort(-z, kind="stable")
    cum = np.cumsum(head[order].astype(np.float64))
    base = softmax(z)
    classes = model.classes_
    rows = [
        {
            "rank": r + 1,
            "token": classes[i],
            "logit": float(z[i]),
            "p": float(base[i]),
            "pp": float(probs[i]),
            "cum": float(cum[r]),
            "removed": bool(removed[i]),
        }
        for r, i in enumerate(order[:N_TOP])
    ]
    return {
        "model": _model_info(model, corpus),
        "tokens": tokens,
        "read": read,
        "unknown": sorted({w for w, r in zip(tokens, read, strict=True) if r == UNK}),
        "context": model.context(tokens)[-1],
        "rows": rows,
        "cum": [
            {"token": classes[i], "p": float(head[i]), "cum": float(c), "kept": not after_p[i]}
            for i, c in zip(order, cum, strict=True)
        ],
        "options": options,
        "kept": kept,
        "n": len(classes),
        "greedy": classes[int(order[0])],
        "sampled": sampled,
        "seed": rng_seed,
    }


def generate_view(corpus: str, prompt: str | None, decoding: Decoding, n: float) -> dict[str, Any]:
    """``n`` tokens drawn one at a time after ``prompt``, each with its decoded probability.

    Each draw is :meth:`NgramModel.generate` of one token on the growing prompt, so the
    result is that of one ``generate(prompt, n)`` call (stopping after ``</s>``).
    """
    from ..models._ngram import EOS, join_tokens
    from ..sampling import process_logits

    model = get_model(corpus)
    tokens = _prompt_tokens(prompt)
    options, rng_seed = decoding.options, decoding.seed
    count = in_range(n, "what.lm_tokens", 1, MAX_GENERATE, whole=True)
    steps: list[dict[str, Any]] = []
    context = list(tokens)
    with _decoding_problems():
        for _ in range(int(count)):
            probs = process_logits(model.next_logits(context), **options).probs
            token = model.generate(context, 1, **options, seed=rng_seed)[0]
            steps.append({"token": token, "p": float(probs[model.classes_.index(token)])})
            context.append(token)
            if token == EOS:
                break
    generated = [s["token"] for s in steps if s["token"] != EOS]
    return {
        "prompt": join_tokens(tokens),
        "steps": steps,
        "text": join_tokens(tokens + generated),
        "ended": bool(steps) and steps[-1]["token"] == EOS,
        "seed": rng_seed,
    }


def stepped(prompt: str | None, view: dict[str, Any]) -> tuple[str, bool]:
    """The prompt with the token of ``view`` (a :func:`generate_view` of one token) appended,
    and whether the model ended the text instead (then the prompt is left as it was)."""
    from ..models._ngram import EOS, join_tokens

    token = view["steps"][0]["token"]
    if token == EOS:
        return prompt or "", True
    return join_tokens([*_prompt_tokens(prompt), token]), False
