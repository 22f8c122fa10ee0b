"""``softmaxlab sample``: decode a next token from a small vocabulary of logits.

``softmaxlab sample "the:2.1,a:1.5,cat:0.3,dog:0.2" --temperature 0.7 --top-p 0.9 -n 1000
--seed 0`` prints the processed distribution (removed tokens marked), the empirical
frequencies of ``n`` draws beside it, the entropy, and the greedy against the sampled choice.

The work is done by plain functions: :func:`parse_vocabulary` reads the ``token:logit`` list,
:func:`sample_report` calls :func:`softmaxlab.sampling.process_logits`,
:func:`softmaxlab.sampling.sample` and :func:`softmaxlab.sampling.entropy`, and
:func:`render` prints a Rich table. Negative logits (``"a:-1.5"``) need nothing special; a
vocabulary whose first token itself starts with ``-`` must come last, after the options and
``--`` (``softmaxlab sample -n 100 -- "-x:1,y:2"``), as any argument that looks like an option.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer

from . import app, fail

__all__ = ["SampleReport", "parse_vocabulary", "render", "sample_report"]


def parse_vocabulary(text: str) -> tuple[list[str], list[float]]:
    """Split ``"the:2.1,a:1.5"`` into tokens and logits.

    Entries are separated by commas; each is ``token:logit`` (the last colon separates, so a
    token may contain colons). Whitespace around tokens and numbers is ignored. A logit is a
    finite number or ``-inf`` (a banned token).

    Raises
    ------
    ValueError
        Empty vocabulary, an empty entry, a missing token or logit, a logit that is not a
        number (or is NaN or +inf), or a token given twice; the message names the entry.

    Examples
    --------
    >>> parse_vocabulary("the:2.1, a:-1.5 ,x:y:0")
    (['the', 'a', 'x:y'], [2.1, -1.5, 0.0])
    >>> parse_vocabulary("the:2.1,the:1")
    Traceback (most recent call last):
    ...
    ValueError: the token 'the' appears twice in the vocabulary
    """
    if not text.strip():
        raise ValueError(
            "the vocabulary is empty; give tokens and logits as 'token:logit,token:logit'"
        )
    tokens: list[str] = []
    logits: list[float] = []
    for position, raw in enumerate(text.split(","), start=1):
        entry = raw.strip()
        if not entry:
            raise ValueError(
                f"vocabulary entry {position} is empty (two commas in a row or a trailing comma)"
            )
        if ":" not in entry:
            raise ValueError(
                f"the vocabulary entry {entry!r} has no logit; write it as '{entry}:<logit>'"
            )
        token, _, value = entry.rpartition(":")
        token, value = token.strip(), value.strip()
        if not token:
            raise ValueError(f"the vocabulary entry {entry!r} has no token before the colon")
        if not value:
            raise ValueError(f"the token {token!r} has no logit after the colon")
        try:
            if "_" in value:  # float() accepts "1_0"; nobody means that here
                raise ValueError
            logit = float(value)
        except ValueError:
            raise ValueError(f"the logit of {token!r} is not a number: {value!r}") from None
        if math.isnan(logit) or logit == math.inf:
            raise ValueError(
                f"the logit of {token!r} must be a finite number or -inf. Got {value!r}"
            )
        if token in tokens:
            raise ValueError(f"the token {token!r} appears twice in the vocabulary")
        tokens.append(token)
        logits.append(logit)
    return tokens, logits


@dataclass(frozen=True)
class SampleReport:
    """What ``softmaxlab sample`` shows (all lists follow the vocabulary order)."""

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


def sample_report(
    tokens: list[str],
    logits: list[float],
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    min_p: float | None = None,
    n: int = 1000,
    seed: int | None = None,
) -> SampleReport:
    """Process the logits, draw ``n`` tokens and collect what the command prints.

    Entropies are in nats: ``entropy`` of the processed distribution, ``entropy_before`` of
    ``softmax(logits)`` before temperature and filters. ``sampled`` is the first draw.

    Examples
    --------
    >>> r = sample_report(["a", "b"], [2.0, 0.0], temperature=0, n=3)
    >>> r.probabilities, r.removed, r.counts, r.greedy, r.sampled
    ([1.0, 0.0], [False, True], [3, 0], 'a', 'a')
    """
    import numpy as np

    from ..sampling import entropy, process_logits, sample

    x = np.asarray(logits, dtype=np.float64)
    probs, removed = process_logits(
        x, temperature=temperature, top_k=top_k, top_p=top_p, min_p=min_p
    )
    draws = sample(
        x,
        temperature=temperature,
        top_k=top_k,
        top_p=top_p,
        min_p=min_p,
        num_samples=n,
        rng=seed,
    )
    counts = np.bincount(draws, minlength=len(tokens))
    greedy = int(sample(x, temperature=0)[0])
    h = float(entropy(probs=probs))
    return SampleReport(
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
        sampled=tokens[int(draws[0])],
        n=n,
        settings={
            "temperature": temperature,
            "top_k": top_k,
            "top_p": top_p,
            "min_p": min_p,
            "seed": seed,
        },
    )


def render(report: SampleReport) -> None:
    """Print the report as a Rich table with a short summary."""
    from rich.console import Console
    from rich.table import Table

    s = report.settings
    parts = [f"temperature={s['temperature']:g}"]
    parts += [
        f"{name.replace('_', '-')}={s[name]:g}"
        for name in ("top_k", "top_p", "min_p")
        if s[name] is not None
    ]
    parts += [f"n={report.n}", f"seed={s['seed']}"]
    table = Table(title="next-token distribution (" + ", ".join(parts) + ")")
    table.add_column("token")
    table.add_column("logit", justify="right")
    table.add_column("probability", justify="right")
    table.add_column(f"frequency (n={report.n})", justify="right")
    table.add_column("")
    for i, token in enumerate(report.tokens):
        logit = report.logits[i]
        table.add_row(
            token,
            f"{logit:.4g}" if math.isfinite(logit) else "-inf",
            f"{report.probabilities[i]:.4f}",
            f"{report.frequencies[i]:.4f}",
            "removed" if report.removed[i] else "",
            style="dim" if report.removed[i] else None,
        )
    console = Console()
    console.print(table)
    console.print(
        f"entropy: {report.entropy:.4f} nats ({report.effective_choices:.3g} effective "
        f"choices); before temperature and filters: {report.entropy_before:.4f} nats"
    )
    console.print(f"greedy choice: {report.greedy}    sampled choice: {report.sampled}")


@app.command(
    help=(
        "Sample next tokens from a vocabulary of logits, e.g. "
        'softmaxlab sample "the:2.1,a:1.5,cat:0.3,dog:0.2" --temperature 0.7 --top-p 0.9 '
        "-n 1000 --seed 0"
    ),
)
def sample(
    vocabulary: Annotated[
        str, typer.Argument(help="Tokens and logits: 'token:logit,token:logit,...'.")
    ],
    temperature: Annotated[
        float, typer.Option("--temperature", help="Temperature >= 0 (0 is greedy).")
    ] = 1.0,
    top_k: Annotated[
        int | None, typer.Option("--top-k", help="Keep the k most likely tokens (k >= 1).")
    ] = None,
    top_p: Annotated[
        float | None, typer.Option("--top-p", help="Nucleus mass p in (0, 1].")
    ] = None,
    min_p: Annotated[
        float | None,
        typer.Option("--min-p", help="Drop tokens below min-p times the top probability."),
    ] = None,
    n: Annotated[int, typer.Option("-n", "--num-samples", help="Number of draws.")] = 1000,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (>= 0).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Thin layer: check the options, build the report, print it."""
    if temperature < 0 or not math.isfinite(temperature):
        fail(f"--temperature must be a finite number >= 0. Got {temperature:g}")
    if top_k is not None and top_k < 1:
        fail(f"--top-k must be an integer >= 1. Got {top_k}")
    if top_p is not None and not 0 < top_p <= 1:
        fail(f"--top-p must be in the range (0, 1]. Got {top_p:g}")
    if min_p is not None and not 0 <= min_p <= 1:
        fail(f"--min-p must be in the range [0, 1]. Got {min_p:g}")
    if n < 1:
        fail(f"-n must be an integer >= 1. Got {n}")
    if seed is not None and seed < 0:
        fail(f"--seed must be an integer >= 0. Got {seed}")
    tokens, logits = parse_vocabulary(vocabulary)
    if all(v == -math.inf for v in logits):
        fail("every logit is -inf: there is nothing to sample")
    report = sample_report(
        tokens,
        logits,
        temperature=temperature,
        top_k=top_k,
        top_p=top_p,
        min_p=min_p,
        n=n,
        seed=seed,
    )
    if as_json:
        typer.echo(json.dumps(report.to_json(), allow_nan=False))
    else:
        render(report)
