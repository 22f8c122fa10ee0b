"""``softmaxlab compute``: the softmax of numbers from the command line, stdin or a file.

The work is done by plain functions, testable without the CLI: :func:`softmax_report` runs
:func:`softmaxlab.softmax` and :func:`softmaxlab.log_softmax` and collects the columns a learner
wants to see, :func:`report_json` makes the machine-readable document and :func:`render` prints
Rich tables. The Typer command only gathers and checks the input.

Negative numbers (``-3``, ``-1.5e-3``, ``-inf``) look like options to click, which would read
``-3`` as the unknown short option ``3`` and ``-INFINITY`` as ``-I -N -F ... -T Y``. Two layers
keep them numbers:

* :func:`protect_negative_numbers` runs before click parses: a token that is a number (or a
  comma-separated list of numbers) and not the value of an option gets a leading space, which
  click does not take for an option prefix and :func:`float` ignores;
* ``ignore_unknown_options`` hands any other unknown dash-token (``-3,abc``, a mistyped
  ``--tempreature``) to the ``LOGITS`` argument, where it is reported as "not a number".

The only short option is ``-T``.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import typer
from numpy.typing import NDArray
from typer.core import TyperCommand

from .._validation import normalize_axes
from ..reports import SoftmaxSteps, softmax_steps
from . import _io
from ._util import app, fail, option_error, options_named

__all__ = [
    "SoftmaxReport",
    "protect_negative_numbers",
    "render",
    "report_json",
    "softmax_report",
]

# Beyond these sizes the output switches to a compact view (JSON always has everything).
MAX_TABLE_ROWS = 60  # entries of one slice shown in full
MAX_SLICE_TABLES = 8  # slices shown as one table each
MAX_MATRIX_ROWS = 20
MAX_MATRIX_COLS = 10
BAR_WIDTH = 10
_BLOCKS = " ▏▎▍▌▋▊▉█"


@dataclass(frozen=True)
class _Glyphs:
    """Characters for the output; plain ASCII when the output encoding is not UTF."""

    minus: str
    le: str
    times: str
    cdot: str
    ok: str
    sigma: str
    unicode: bool


_UNICODE = _Glyphs("−", "≤", "×", "·", "✓", "Σ", True)
_ASCII = _Glyphs("-", "<=", "x", "*", "ok", "sum", False)

SoftmaxReport = SoftmaxSteps
"""What ``compute`` shows: :class:`softmaxlab.reports.SoftmaxSteps` (the name kept)."""


def softmax_report(x: NDArray[Any], *, axis: int = -1, temperature: float = 1.0) -> SoftmaxSteps:
    """softmax of ``x`` along ``axis`` with every step and the sum check.

    A thin name for :func:`softmaxlab.reports.softmax_steps` (the explorer uses the same).

    Examples
    --------
    >>> r = softmax_report(np.array([3.0, 1.0, -3.0]))
    >>> r.probabilities.round(4).tolist(), float(r.sums) == 1.0
    ([0.8789, 0.1189, 0.0022], True)
    """
    return softmax_steps(x, axis=axis, temperature=temperature)


def report_json(
    report: SoftmaxSteps, *, axis: int, labels: list[str] | None, source: str
) -> dict[str, Any]:
    """The ``--json`` document; arrays are nested lists with the input's axis order.

    Non-finite numbers are written as the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``
    so that the output is strict JSON. ``exp_sum`` is Σ exp(logit/T − max) of each slice.
    """

    def back(a: NDArray[Any]) -> Any:
        return _io.to_json_value(np.moveaxis(a, -1, axis))

    return {
        "source": source,
        "shape": list(np.moveaxis(report.logits, -1, axis).shape),
        "axis": axis,
        "temperature": report.temperature,
        "labels": labels,
        "logits": back(report.logits),
        "probabilities": back(report.probabilities),
        "log_probabilities": back(report.log_probabilities),
        "exp_sum": _io.to_json_value(report.exp_sums),
        "sum": _io.to_json_value(report.sums),
        "sum_abs_error": _io.to_json_value(report.abs_errors),
        "tolerance": report.tolerance,
        "dtype": str(report.probabilities.dtype),
    }


# --- rendering -------------------------------------------------------------------------------


def _num(v: float) -> str:
    return f"{v:.6g}"


def _prob(p: float) -> str:
    if math.isnan(p):
        return "nan"
    if p == 0.0:
        return "0"
    if p < 5e-5:
        return f"{p:.1e}"
    return f"{p:.4f}"


def _bar(p: float, g: _Glyphs) -> str:
    """The probability, a bar of BAR_WIDTH cells (eighths of a cell) and the percentage."""
    if not math.isfinite(p):
        return _prob(p)
    if g.unicode:
        full, part = divmod(round(p * BAR_WIDTH * 8), 8)
        bar = "█" * full + (_BLOCKS[part] if part else "")
    else:
        bar = "#" * round(p * BAR_WIDTH)
    return f"{_prob(p):>7} {bar:<{BAR_WIDTH}} {100 * p:6.2f}%"


def _slice_note(logits: NDArray[Any]) -> str:
    if np.isnan(logits).any():
        return "a NaN logit makes the whole slice NaN"
    if np.isposinf(logits).any():
        return "a +inf logit makes the whole slice NaN (inf - inf is undefined)"
    if logits.size and np.isneginf(logits).all():
        return "every logit is -inf, so the slice is NaN (0/0)"
    return "unexpected NaN"


def _sum_line(report: SoftmaxReport, index: tuple[int, ...], g: _Glyphs) -> str:
    s = float(report.sums[index])
    n, eps = report.n, report.tolerance / max(report.n, 1)
    if math.isnan(s):
        return f"sum check: sum = nan: {_slice_note(report.logits[index])}."
    err = abs(s - 1.0)
    verdict = g.ok if err <= report.tolerance else "EXCEEDS the tolerance"
    return (
        f"sum check: sum = {s:.17g}, |sum {g.minus} 1| = {err:.3g} {g.le} n{g.cdot}eps = "
        f"{n} {g.times} {eps:.3g} = {report.tolerance:.3g} {verdict}"
    )


def _entry_rows(n: int) -> list[int | None]:
    """Indices to show (None is an ellipsis row)."""
    if n <= MAX_TABLE_ROWS:
        return list(range(n))
    half = MAX_TABLE_ROWS // 2
    return [*range(half), None, *range(n - half, n)]


def _slice_table(
    report: SoftmaxReport,
    index: tuple[int, ...],
    labels: list[str],
    show_log: bool,
    title: str,
    g: _Glyphs,
) -> Any:
    from rich.table import Table

    t = report.temperature
    table = Table(title=title, title_justify="left", caption_justify="left")
    table.add_column("label", overflow="fold")
    table.add_column("logit", justify="right")
    table.add_column("logit/T", justify="right")
    table.add_column(f"exp(logit/T {g.minus} max)", justify="right")
    table.add_column(f"probability = exp / {g.sigma}", no_wrap=True)
    if show_log:
        table.add_column("log p", justify="right")
    x, z, e = report.logits[index], report.scaled[index], report.exps[index]
    p, lp = report.probabilities[index], report.log_probabilities[index]
    for i in _entry_rows(report.n):
        if i is None:
            table.add_row("...", *["..."] * (5 if show_log else 4))
            continue
        cells = [labels[i], _num(x[i]), _num(z[i]), f"{e[i]:.4g}", _bar(p[i], g)]
        if show_log:
            cells.append(f"{lp[i]:.4f}")
        table.add_row(*cells)
    # The sum step: Σ exp is the divisor of the normalise step; Σp is checked below the table.
    table.add_section()
    exp_sum, p_sum = float(report.exp_sums[index]), float(report.sums[index])
    sigma_row = [g.sigma, "", "", f"{exp_sum:.6g}", _num(p_sum)]
    table.add_row(*sigma_row, *([""] if show_log else []))
    zmax = float(report.maxima[index])
    table.caption = (
        f"T = {_num(t)}, max(logit/T) = {_num(zmax)}, "
        f"{g.sigma} exp(logit/T {g.minus} max) = {exp_sum:.6g}"
    )
    return table


def _matrix_table(
    report: SoftmaxReport,
    labels: list[str],
    show_log: bool,
    width: int,
    slice_names: list[str] | None,
) -> Any:
    from rich.table import Table

    values = report.log_probabilities if show_log else report.probabilities
    lead = report.logits.shape[:-1]
    indices = list(np.ndindex(*lead))
    rows: list[tuple[int, ...] | None] = list(indices)
    if len(indices) > MAX_MATRIX_ROWS:
        half = MAX_MATRIX_ROWS // 2
        rows = [*indices[:half], None, *indices[-half:]]
    n = report.n
    # Each value column takes 9 characters; the slice and |sum-1| columns and borders 22.
    max_cols = max(2, min(MAX_MATRIX_COLS, (width - 22) // 9))
    cols: list[int | None] = list(range(n))
    if n > max_cols:
        half = max_cols // 2
        cols = [*range(half), None, *range(n - (max_cols - half), n)]
    what = "log_softmax" if show_log else "softmax"
    table = Table(
        title=f"{what}(logits / T), T = {_num(report.temperature)}",
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("slice", no_wrap=True)
    for j in cols:
        table.add_column("..." if j is None else labels[j], justify="right", no_wrap=True)
    table.add_column("|sum-1|", justify="right", no_wrap=True)
    for idx in rows:
        if idx is None:
            table.add_row(*["..."] * (len(cols) + 2))
            continue
        cells = [_index_name(idx, slice_names)]
        for j in cols:
            if j is None:
                cells.append("...")
            else:
                v = float(values[idx][j])
                cells.append(f"{v:.4f}" if show_log else _prob(v))
        cells.append(f"{float(report.abs_errors[idx]):.1e}")
        table.add_row(*cells)
    shown_r = sum(r is not None for r in rows)
    shown_c = sum(c is not None for c in cols)
    if shown_r < len(indices) or shown_c < n:
        table.caption = (
            f"showing {shown_r} of {len(indices)} slices and {shown_c} of {n} entries; "
            "--json prints every value"
        )
    return table


def _index_name(idx: tuple[int, ...], names: list[str] | None = None) -> str:
    if len(idx) == 1:
        return names[idx[0]] if names is not None else str(idx[0])
    return "[" + ", ".join(map(str, idx)) + "]"


def _matrix_sum_line(report: SoftmaxReport, g: _Glyphs) -> str:
    err = report.abs_errors
    finite = err[~np.isnan(err)]
    n_nan = int(err.size - finite.size)
    worst = float(finite.max()) if finite.size else math.nan
    bad = int((finite > report.tolerance).sum())
    verdict = g.ok if bad == 0 else f"{bad} slice(s) EXCEED the tolerance"
    line = (
        f"sum check, {err.size} slices: max |sum {g.minus} 1| = {worst:.3g} {g.le} "
        f"n{g.cdot}eps = {report.tolerance:.3g} (n = {report.n}) {verdict}"
    )
    if n_nan:
        line += f"; {n_nan} slice(s) are NaN (a NaN or +inf logit, or all -inf)"
    return line


def render(
    report: SoftmaxReport,
    *,
    labels: list[str],
    show_log: bool = False,
    slice_names: list[str] | None = None,
    console: Any = None,
) -> None:
    """Print ``report``: one table per slice when there are few, otherwise a compact matrix.

    ``labels`` name the entries of a slice; ``slice_names`` (for a report with one leading
    axis) name the slices, which are otherwise shown by their index.
    """
    from rich.console import Console

    console = console or Console(highlight=False, markup=False, emoji=False)
    g = _UNICODE if (console.encoding or "").lower().startswith("utf") else _ASCII
    lead = report.logits.shape[:-1]
    if not lead:
        title = f"softmax(logits / T), T = {_num(report.temperature)}"
        console.print(_slice_table(report, (), labels, show_log, title, g))
        console.print(_sum_line(report, (), g))
    elif math.prod(lead) <= MAX_SLICE_TABLES:
        for idx in np.ndindex(*lead):
            title = f"slice {_index_name(idx, slice_names)}"
            console.print(_slice_table(report, idx, labels, show_log, title, g))
            console.print(_sum_line(report, idx, g))
    else:
        console.print(_matrix_table(report, labels, show_log, console.width, slice_names))
        console.print(_matrix_sum_line(report, g))


# --- argument handling ----------------------------------------------------------------------


def protect_negative_numbers(args: list[str], value_options: set[str]) -> list[str]:
    """Prefix negative-number tokens with a space so that click reads them as arguments.

    ``value_options`` are the option names that take a value; the token after one of them is
    that option's value and is left alone (``-T -1`` must still reach ``--temperature``).
    Everything after ``--`` is already positional.

    Examples
    --------
    >>> protect_negative_numbers(["3", "-3", "-INFINITY", "-1,-2", "-T", "-1", "-x"], {"-T"})
    ['3', ' -3', ' -INFINITY', ' -1,-2', '-T', '-1', '-x']
    """
    out: list[str] = []
    expecting_value = False
    for i, arg in enumerate(args):
        if arg == "--":
            return out + args[i:]
        if expecting_value:
            out.append(arg)
            expecting_value = False
            continue
        if arg.startswith("-") and len(arg) > 1 and _is_number_list(arg):
            arg = " " + arg
        expecting_value = arg in value_options
        out.append(arg)
    return out


def _is_number_list(token: str) -> bool:
    try:
        _io.parse_tokens([token])
    except ValueError:
        return False
    return True


class _LogitsCommand(TyperCommand):
    """A Typer command that reads negative numbers as arguments (see the module docstring)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        value_options: set[str] = set()
        for param in self.params:
            if getattr(param, "param_type_name", "") == "option" and not getattr(
                param, "is_flag", False
            ):
                value_options.update(param.opts)
                value_options.update(param.secondary_opts)
        return super().parse_args(ctx, protect_negative_numbers(list(args), value_options))


def _parse_temperature(text: str) -> float:
    """The text of ``-T`` as a number; whether it is allowed is the library's call."""
    try:
        return _io.parse_number(text)
    except ValueError:
        raise option_error("--temperature", "a number", text, command="compute") from None


def _parse_axis(text: str, ndim: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise option_error("--axis", "an int", text, command="compute") from None
    with options_named("compute", _OPTIONS, typed={"axis": text}):
        normalize_axes(value, ndim, func="softmax")  # the library's own axis check
    return value


def _parse_labels(text: str, n: int, axis: int) -> list[str]:
    labels = [label.strip() for label in text.split(",")]
    allowed = f"{n} distinct non-empty names separated by commas (one per entry along axis {axis}"
    if any(not label for label in labels):
        raise option_error("--labels", f"{allowed}; one is empty)", text, command="compute")
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise option_error(
                "--labels", f"{allowed}; {label!r} appears twice)", text, command="compute"
            )
        seen.add(label)
    if len(labels) != n:
        raise option_error("--labels", f"{allowed}; {len(labels)} given)", text, command="compute")
    return labels


# The library's parameters as this command's options, for its error messages.
_OPTIONS = {"temperature": "--temperature", "axis": "--axis"}


def _stdin_is_terminal() -> bool:
    stream = sys.stdin
    if stream is None:
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return True


def _gather(tokens: list[str], file: str | None) -> _io.Table:
    if file is not None:
        if tokens:
            fail(
                f"give logits either as numbers or with --file, not both. Got {tokens[0]!r} "
                f"and --file {file!r}."
            )
        if file == "-":
            return _gather(["-"], None)
        return _io.read_table(file)
    if tokens == ["-"]:
        if _stdin_is_terminal():
            print("reading logits from the terminal; end with Ctrl-D", file=sys.stderr)
        return _single_row(_io.read_stdin())
    if "-" in tokens:
        fail("'-' (read stdin) must be the only logit token.")
    if not tokens:
        if _stdin_is_terminal():
            fail(
                "no logits given: pass numbers (softmaxlab compute 3 1 -3), --file PATH, "
                "or pipe them on stdin."
            )
        return _single_row(_io.read_stdin())
    try:
        values = _io.parse_tokens(tokens)
    except ValueError as exc:
        bad = next((t for t in tokens if t.startswith("--") or t[:2] == "-h"), None)
        hint = f" ({bad!r} is not an option of compute; see --help)" if bad else ""
        fail(f"{exc}{hint}")
    return _io.Table(values, None, "arguments")


def _single_row(table: _io.Table) -> _io.Table:
    """Numbers on one line of stdin are one vector, as if given as arguments."""
    if table.values.ndim == 2 and table.values.shape[0] == 1:
        return _io.Table(table.values[0], table.header, table.source)
    return table


_HELP = """Compute softmax(logits / T) and show each step: the logits, logits/T, exp(logit/T - max)
(exponentiate), their sum (the Sigma row), the probabilities exp / Sigma (normalise) and a check
that they sum to 1.

Examples:

  softmaxlab compute 3 1 -3

  softmaxlab compute 3,1,-3 -T 2 --labels cat,dog,fish --log

  echo "1 2 3" | softmaxlab compute --json

  softmaxlab compute --file logits.csv   (each line of a CSV is one softmax)

NaN and +inf logits give a NaN slice, -inf gives probability 0 (the library's special values).
"""


@app.command(
    cls=_LogitsCommand,
    help=_HELP,
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": True},
)
def compute(
    logits: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="LOGITS",
            help="Numbers, separated by spaces or commas (negative numbers work as they are). "
            "'-' alone, or none with piped input, reads stdin.",
            show_default=False,
        ),
    ] = None,
    temperature: Annotated[
        str,
        typer.Option("--temperature", "-T", metavar="T", help="Temperature, finite and > 0."),
    ] = "1",
    labels: Annotated[
        str | None,
        typer.Option("--labels", metavar="A,B,...", help="Comma-separated names of the entries."),
    ] = None,
    log: Annotated[bool, typer.Option("--log", help="Also show log-probabilities.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            metavar="PATH",
            help="Read logits from a CSV/text file (one row per line), .npy or .json; "
            "'-' is stdin.",
        ),
    ] = None,
    axis: Annotated[
        str, typer.Option("--axis", metavar="INT", help="Axis to normalise over (file input).")
    ] = "-1",
) -> None:
    t = _parse_temperature(temperature)
    table = _gather(list(logits or []), file)
    x = table.values
    ax = _parse_axis(axis, x.ndim)
    n = x.shape[ax]
    if x.size == 0:
        fail(f"no logits to normalise: {table.source} gives an array of shape {x.shape}.")
    with options_named("compute", _OPTIONS, typed={"temperature": temperature}):
        report = softmax_report(x, axis=ax, temperature=t)  # the library checks T
    # A text header names the columns: the entries when rows are normalised (the default),
    # the slices when columns are (--axis 0).
    header = list(table.header) if table.header is not None else None
    along_rows = ax % x.ndim == x.ndim - 1
    slice_names = header if header is not None and not along_rows else None
    if labels is not None:
        names = _parse_labels(labels, n, ax)
        json_labels: list[str] | None = names
    elif header is not None and along_rows:
        names = json_labels = header
    else:
        names, json_labels = [str(i) for i in range(n)], None
    if as_json:
        doc = report_json(report, axis=ax, labels=json_labels, source=table.source)
        sys.stdout.write(json.dumps(doc, allow_nan=False) + "\n")
        return
    render(report, labels=names, show_log=log, slice_names=slice_names)
