"""The explorer's Next-token tab as plain functions: a vocabulary in, decoding views out.

The vocabulary is read by :func:`softmaxlab.reports.parse_vocabulary` (the rules of
``softmaxlab sample``), the decoding options are checked by :mod:`softmaxlab.sampling`
(the page only translates their errors), and the histogram is
:func:`softmaxlab.reports.decoding_report`. Nothing here imports gradio.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import reports, softmax
from .._validation import SoftmaxLabError
from ._problems import InputProblem, in_range, parse_problem

__all__ = [
    "DEFAULT_VOCAB",
    "MAX_TOKENS",
    "Decoding",
    "histogram_view",
    "next_token_view",
    "page_seed",
    "parse_vocabulary",
]

MIN_TOKENS = 2


DEFAULT_VOCAB = (
    "mat: 3.2\nfloor: 2.6\nsofa: 2.2\nchair: 1.7\nbed: 1.2\nroof: 0.8\ntable: 0.5\nmoon: -1.5"
)
"""Continuations of "The cat sat on the …" with made-up logits."""

MAX_TOKENS = 50


def parse_vocabulary(text: str | None) -> tuple[list[str], list[float]]:
    """Parse ``token: logit`` entries, one per line or separated by commas.

    The rules are :func:`softmaxlab.reports.parse_vocabulary` (the same as ``softmaxlab
    sample``): the last colon (ASCII or full-width) separates token and logit; a logit is a
    finite number or ``-inf`` (a banned token); blank lines are skipped. The page takes 2 to
    50 tokens.

    Raises
    ------
    InputProblem
        Empty vocabulary, an entry without ``token: logit``, a non-numeric logit, a duplicate
        token, fewer than 2 or more than 50 tokens, or only ``-inf`` logits.

    Examples
    --------
    >>> parse_vocabulary("mat: 3.2\\nfloor：2.6, moon: -inf")
    (['mat', 'floor', 'moon'], [3.2, 2.6, -inf])
    """
    try:
        return reports.parse_vocabulary(text, min_tokens=MIN_TOKENS, max_tokens=MAX_TOKENS)
    except reports.ParseProblem as exc:
        what = "what.tokens" if exc.code in ("too_few", "too_many") else "what.vocab"
        raise parse_problem(exc, what) from None


# Each decoding option as the page shows it, with its control's range, for the library's
# errors (the library checks the options; the page only says it in its language).
_OPTION_RANGES: dict[str, tuple[str, float, float]] = {
    "temperature": ("what.temperature", 0, 10),
    "top_k": ("top-k", 0, MAX_TOKENS),
    "top_p": ("top-p", 0, 1),
    "min_p": ("min-p", 0, 1),
    # The library takes any int seed >= 0; the page states the usual 32-bit range.
    "rng": ("seed", 0, 2**32 - 1),
}


@contextlib.contextmanager
def _decoding_problems() -> Iterator[None]:
    """The sampling functions' errors about a decoding option, as this page's message."""
    try:
        yield
    except SoftmaxLabError as exc:
        if exc.parameter not in _OPTION_RANGES:
            raise
        what, low, high = _OPTION_RANGES[exc.parameter]
        raise InputProblem("err.range", what=what, low=low, high=high, value=exc.value) from None


def page_seed(seed: float | None) -> int:
    """The seed box's value as the generator's seed: empty or not finite → 0.

    Raises
    ------
    InputProblem
        Outside [0, 2³² − 1] or not a whole number.

    Examples
    --------
    >>> page_seed(7.0), page_seed(None), page_seed(float("nan"))
    (7, 0, 0)
    """
    if seed is None or (isinstance(seed, float) and not math.isfinite(seed)):
        return 0
    return int(in_range(f"{float(seed):g}", "seed", 0, 2**32 - 1, whole=True))


@dataclass(frozen=True)
class Decoding:
    """The page's decoding settings, read once from its controls.

    ``temperature``, ``top_k``, ``top_p`` and ``min_p`` are the options of
    :func:`softmaxlab.sampling.process_logits` (a filter that is off is None); ``seed`` seeds
    the draws. :meth:`from_controls` reads the sliders and the seed box; whether the options
    are allowed is the sampling functions' call (see :func:`_decoding_problems`), except the
    page's own limits (the temperature slider ends at 10; the seed box takes
    [0, 2³² − 1]).

    Examples
    --------
    >>> d = Decoding.from_controls(0.7, 3.0, 1.0, 0.0, seed=5)
    >>> d
    Decoding(temperature=0.7, top_k=3, top_p=None, min_p=None, seed=5)
    >>> d.options
    {'temperature': 0.7, 'top_k': 3, 'top_p': None, 'min_p': None}
    """

    temperature: float = 1.0
    top_k: Any = None
    top_p: float | None = None
    min_p: float | None = None
    seed: int = 0

    @classmethod
    def from_controls(
        cls,
        temperature: float,
        top_k: float | None,
        top_p: float,
        min_p: float,
        seed: float | None = 0,
    ) -> Decoding:
        """The settings from the controls' values: top-k 0, top-p 1 and min-p 0 are off."""
        t_value = float(temperature)
        if t_value > 10.0:
            raise InputProblem(
                "err.range", what="what.temperature", low=0, high=10, value=temperature
            )
        k: Any = 0 if top_k is None else top_k
        if isinstance(k, float) and k.is_integer():
            k = int(k)  # a slider gives 3.0 for 3
        p, m = float(top_p), float(min_p)
        return cls(
            temperature=t_value,
            top_k=None if k == 0 else k,
            top_p=None if p == 1.0 else p,
            min_p=None if m == 0.0 else m,
            seed=page_seed(seed),
        )

    @property
    def options(self) -> dict[str, Any]:
        """The keyword options of :func:`~softmaxlab.sampling.process_logits`."""
        return {
            "temperature": self.temperature,
            "top_k": self.top_k,
            "top_p": self.top_p,
            "min_p": self.min_p,
        }


def next_token_view(tokens: list[str], logits: list[float], decoding: Decoding) -> dict[str, Any]:
    """Base and processed next-token distributions, the pipeline, greedy and sampled choice.

    Uses :func:`softmaxlab.sampling.process_logits` stage by stage (temperature, then top-k,
    top-p, min-p) to count the tokens left after each filter.

    Examples
    --------
    >>> d = Decoding.from_controls(0.7, 0, 0.9, 0.0)
    >>> v = next_token_view(["a", "b", "c", "d"], [2.1, 1.5, 0.3, 0.2], d)
    >>> [round(p, 3) for p in v["probs"]], v["removed"], v["kept"]
    ([0.702, 0.298, 0.0, 0.0], [False, False, True, True], [4, 4, 2, 2])
    >>> v["greedy"]
    0
    """
    from ..sampling import entropy, process_logits, sample

    options, rng_seed = decoding.options, decoding.seed
    z = np.asarray(logits, dtype=np.float64)
    with _decoding_problems():
        probs, removed = process_logits(z, **options)
        kept = reports.kept_after_each_filter(z, **options)
        sampled = int(sample(z, **options, rng=rng_seed)[0])
    return {
        "tokens": list(tokens),
        "logits": z.tolist(),
        "base": softmax(z).tolist(),
        "probs": probs.tolist(),
        "removed": [bool(r) for r in removed],
        "kept": kept,
        "n": len(tokens),
        "options": options,
        "greedy": int(np.argmax(z)),
        "sampled": sampled,
        "seed": rng_seed,
        "entropy": float(entropy(probs=probs)),
    }


def histogram_view(
    tokens: list[str], logits: list[float], decoding: Decoding, n: float
) -> dict[str, Any]:
    """Empirical frequencies of ``n`` draws next to the processed probabilities.

    Examples
    --------
    >>> h = histogram_view(["a", "b"], [0.0, 0.0], Decoding(), 1000)
    >>> sum(h["counts"]), abs(h["freq"][0] - 0.5) < 0.05
    (1000, True)
    """
    options, rng_seed = decoding.options, decoding.seed
    # The page's own limit (the library takes any n >= 1).
    draws_n = in_range(n, "N", 1, 100_000, whole=True)
    with _decoding_problems():
        report = reports.decoding_report(
            list(tokens), list(logits), **options, n=int(draws_n), seed=rng_seed
        )
    probs = np.asarray(report.probabilities)
    freq = np.asarray(report.frequencies)
    return {
        "tokens": list(tokens),
        "probs": report.probabilities,
        "removed": report.removed,
        "counts": report.counts,
        "freq": report.frequencies,
        "n": report.n,
        "max_gap": float(np.max(np.abs(freq - probs))),
        "seed": rng_seed,
    }
