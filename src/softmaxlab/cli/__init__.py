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
from typing import NoReturn

import typer

app = typer.Typer(
    name="softmaxlab",
    help="Exact softmax numerics, softmax regression, sampling and an interactive explorer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class CLIError(Exception):
    """A problem to report to the user as one line, with exit status 2."""


def fail(message: str) -> NoReturn:
    """Report ``message`` as one line and stop the command (exit status 2)."""
    raise CLIError(message)


@app.callback()
def _root() -> None:
    # A callback keeps `app` a group even while only one command is registered; without it,
    # Typer would run that command directly and `softmaxlab compute ...` would not parse.
    pass


# `CLIError` and `fail` are defined above so that command modules can import them on load.
# Command modules register themselves on `app` when imported. Keep this list sorted.
from . import bench as _bench  # noqa: E402,F401
from . import compute as _compute  # noqa: E402,F401
from . import explore as _explore  # noqa: E402,F401
from . import predict as _predict  # noqa: E402,F401
from . import sample as _sample  # noqa: E402,F401
from . import train as _train  # noqa: E402,F401


def _usage_error_types() -> tuple[type[BaseException], ...]:
    """The exception class(es) click raises for bad command lines.

    Typer >= 0.2x vendors click (``typer._click``) and no longer depends on the ``click``
    package, whose exceptions it never raises; older Typer versions raise click's own.
    """
    base = getattr(typer, "TyperException", None)
    if base is not None:
        return (base,)
    import click

    return (click.ClickException,)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (also used by ``python -m softmaxlab``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="softmaxlab", standalone_mode=False)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`softmaxlab compute ... | head`): stop quietly, as Unix tools
        # do. Point stdout at devnull so the interpreter's final flush does not fail again.
        _silence_stdout()
        return 141
    except typer.Exit as exc:  # also raised by --help
        return int(getattr(exc, "exit_code", 0) or 0)
    except typer.Abort:
        print("softmaxlab: aborted", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("softmaxlab: aborted", file=sys.stderr)
        return 130
    except (CLIError, ValueError, TypeError, OSError) as exc:
        _report(str(exc) or type(exc).__name__)
        return 2
    except Exception as exc:
        if not isinstance(exc, _usage_error_types()):
            raise  # a bug: keep the traceback
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":
            # `softmaxlab` alone: the help text is the answer, not an error line.
            print(message, file=sys.stderr)
        else:
            _report(message)
        code = getattr(exc, "exit_code", 2)
        return code if isinstance(code, int) and code else 2
    return int(result) if isinstance(result, int) else 0


def _report(message: str) -> None:
    """Print an error as exactly one line on stderr."""
    text = " ".join(line.strip() for line in message.splitlines() if line.strip())
    print(f"softmaxlab: error: {text}", file=sys.stderr)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests)
        pass


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
