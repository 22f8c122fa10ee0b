"""``softmaxlab sample``: decode a next token from a small vocabulary of logits.

``softmaxlab sample "the:2.1,a:1.5,cat:0.3,dog:0.2" --temperature 0.7 --top-p 0.9 -n 1000
--seed 0`` prints the processed distribution (removed tokens marked), the empirical
frequencies of ``n`` draws beside it, the entropy, and the greedy against the sampled choice.

A thin command over :mod:`softmaxlab.reports` (shared with the explorer's Next-token tab):
:func:`~softmaxlab.reports.parse_vocabulary` reads the ``token:logit`` list and
:func:`~softmaxlab.reports.decoding_report` runs the sampling functions, which check the
decoding options (their errors are reported under the option names). Negative logits
(``"a:-1.5"``) need nothing special; a vocabulary whose first token itself starts with ``-``
must come last, after the options and ``--`` (``softmaxlab sample -n 100 -- "-x:1,y:2"``), as
any argument that looks like an option.
"""

from __future__ import annotations

import json
import math
from typing import Annotated

import typer

from ..reports import DecodingReport, decoding_report, parse_vocabulary
from ._util import app, options_named

__all__ = ["SampleReport", "parse_vocabulary", "render", "sample_report"]

SampleReport = DecodingReport
"""What ``softmaxlab sample`` shows (:class:`softmaxlab.reports.DecodingReport`)."""

sample_report = decoding_report
"""Build the report (:func:`softmaxlab.reports.decoding_report`)."""

# The sampling functions' parameters as this command's options, for their error messages.
_OPTIONS = {
    "temperature": "--temperature",
    "top_k": "--top-k",
    "top_p": "--top-p",
    "min_p": "--min-p",
    "num_samples": "-n",
}


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
    seed: Annotated[
        int | None, typer.Option("--seed", min=0, help="Random seed (an int >= 0).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Thin layer: parse the vocabulary, build the report (the library checks), print it."""
    tokens, logits = parse_vocabulary(vocabulary)
    with options_named("sample", _OPTIONS):
        report = decoding_report(
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
