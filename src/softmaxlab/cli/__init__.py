"""The ``softmaxlab`` command line.

Each command lives in its own module as a thin Typer function over a plain, importable
function, and registers itself on :data:`app`. Heavy libraries (gradio, scikit-learn, dask,
numba, matplotlib) are imported inside the command functions, never at module level, so that
``softmaxlab compute`` starts fast.

Errors from the library (``ValueError``, ``TypeError``, ``OSError``) and from argument parsing
become one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click
import typer

app = typer.Typer(
    name="softmaxlab",
    help="Exact softmax numerics, softmax regression, sampling and an interactive explorer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules register themselves on `app` when imported. Keep this list sorted.
from . import compute as _compute  # noqa: E402,F401


class CLIError(Exception):
    """A problem to report to the user as one line, with exit status 2."""


def fail(message: str) -> None:
    """Report ``message`` as one line and stop the command (exit status 2)."""
    raise CLIError(message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (also used by ``python -m softmaxlab``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="softmaxlab", standalone_mode=False)
    except click.exceptions.Exit as exc:  # typer.Exit
        return int(exc.exit_code or 0)
    except click.exceptions.Abort:
        print("softmaxlab: aborted", file=sys.stderr)
        return 130
    except click.ClickException as exc:
        print(f"softmaxlab: error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code or 2
    except CLIError as exc:
        print(f"softmaxlab: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OSError) as exc:
        print(f"softmaxlab: error: {exc}", file=sys.stderr)
        return 2
    return int(result) if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
