"""The decoding report: a next-token distribution after the filters, and draws from it.

Shared by ``softmaxlab sample`` and the explorer's Next-token tab. The decoding options
(temperature, top-k, top-p, min-p, seed) are checked once, by
:func:`softmaxlab.sampling.process_logits` and :func:`softmaxlab.sampling.sample`; the number
of draws by the shared :func:`softmaxlab._validation.check_int`, since the draws after the
first are counted by one multinomial draw (any number costs the same).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from .._validation import check_int, check_rng

if TYPE_CHECKING:
    from ..sampling import DecodingOptions

__all__ = ["MAX_DRAWS", "DecodingReport", "decoding_report", "kept_after_each_filter"]

MAX_DRAWS = 2**53
"""The most draws a report counts: every count stays exact as a float (and in JSON)."""


@dataclass(frozen=True)
class DecodingReport:
    """What a decoding view shows (all lists follow the vocabulary order).

    Attributes
    ----------
    tokens, logits : list
        The vocabulary.
    probabilities : list of float
        The processed distribution (:func:`~softmaxlab.sampling.process_logits`).
    removed : list of bool
        Tokens a filter removed (a ``-inf`` logit is never "removed": it had nothing to lose).
    counts, frequencies : list
        How often each token came up in ``n`` draws, and that count divided by ``n``.
    entropy, entropy_before : float
        In nats, of the processed distribution and of ``softmax(logits)`` before temperature
        and filters; ``effective_choices`` is ``exp(entropy)``.
    greedy, sampled : str
        The most likely token (the lowest index among ties) and the first draw.
    """

    tokens: list[str]
    logits: list[float]
    probabilities: list[float]
    removed: list[bool]
    counts: list[int]
    frequencies: list[float]
    entropy: float
    entropy_before: float
    effective_choices: float
    greedy: str
    sampled: str
    n: int
    settings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A dict for :func:`json.dumps` (strict JSON: ``-inf`` logits become "-Infinity")."""
        return {
            "tokens": self.tokens,
            "logits": [x if math.isfinite(x) else "-Infinity" for x in self.logits],
            "probabilities": self.probabilities,
            "removed": self.removed,
            "counts": self.counts,
            "frequencies": self.frequencies,
            "entropy": self.entropy,
            "entropy_before": self.entropy_before,
            "effective_choices": self.effective_choices,
            "greedy": self.greedy,
            "sampled": self.sampled,
            "n": self.n,
            "settings": self.settings,
        }


def decoding_report(
    tokens: list[str],
    logits: list[float],
    *,
    n: int = 1000,
    seed: int | None = None,
    **options: Unpack[DecodingOptions],
) -> DecodingReport:
    """Process the logits, draw ``n`` tokens and collect what a decoding view shows.

    ``options`` are the decoding options of :func:`~softmaxlab.sampling.process_logits`
    (``temperature``, ``top_k``, ``top_p``, ``min_p``). ``sampled`` is the first draw; ``counts``
    are those of all ``n`` draws (the first one plus a multinomial draw of the other ``n - 1``, so
    any ``n`` up to ``MAX_DRAWS`` costs the same). The options are validated by the sampling
    functions before any draw.

    Examples
    --------
    >>> r = decoding_report(["a", "b"], [2.0, 0.0], temperature=0, n=3)
    >>> r.probabilities, r.removed, r.counts, r.greedy, r.sampled
    ([1.0, 0.0], [False, True], [3, 0], 'a', 'a')
    """
    from ..sampling import DECODING_DEFAULTS, entropy, process_logits, sample

    x = np.asarray(logits, dtype=np.float64)
    options = {**DECODING_DEFAULTS, **options}
    probs, removed = process_logits(x, **options)
    checked = check_int(n, "num_samples", low=1, high=MAX_DRAWS, func="decoding_report")
    assert checked is not None
    n = checked
    # The first draw is shown; the other n - 1 are only counted: one multinomial draw gives
    # their counts with the same distribution, in O(vocabulary) whatever n is.
    rng = check_rng(seed, func="decoding_report")
    first = int(sample(x, **options, rng=rng)[0])
    counts = rng.multinomial(n - 1, probs / math.fsum(probs.tolist()))
    counts[first] += 1
    greedy = int(sample(x, temperature=0)[0])
    h = float(entropy(probs=probs)) + 0.0  # never -0.0 (a one-hot distribution)
    return DecodingReport(
        tokens=list(tokens),
        logits=[float(v) for v in x],
        probabilities=[float(v) for v in probs],
        removed=[bool(v) for v in removed],
        counts=[int(c) for c in counts],
        frequencies=[float(c) / n for c in counts],
        entropy=h,
        entropy_before=float(entropy(x)),
        effective_choices=float(np.exp(h)),
        greedy=tokens[greedy],
        sampled=tokens[first],
        n=n,
        settings={**options, "seed": seed},
    )


def kept_after_each_filter(logits: Any, **options: Unpack[DecodingOptions]) -> list[int]:
    """Tokens still in play after temperature, then top-k, then top-p, then min-p.

    A ``-inf`` logit is never in play. The filters run in the order of
    :func:`~softmaxlab.sampling.process_logits`, each stage adding one filter.

    Examples
    --------
    >>> kept_after_each_filter([2.1, 1.5, 0.3, 0.2], temperature=0.7, top_p=0.9)
    [4, 4, 2, 2]
    """
    from ..sampling import DECODING_DEFAULTS, process_logits

    z = np.asarray(logits, dtype=np.float64)
    finite = int(np.count_nonzero(z > -np.inf))
    chosen: dict[str, Any] = {**DECODING_DEFAULTS, **options}
    names = list(DECODING_DEFAULTS)  # the filters in the order they run
    stages = [{k: chosen[k] for k in names[: i + 1]} for i in range(len(names))]
    return [finite - int(np.count_nonzero(process_logits(z, **s).removed)) for s in stages]
