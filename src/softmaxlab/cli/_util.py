"""The Typer app and the error handling shared by every ``softmaxlab`` command (spaCy style).

Command modules import :data:`app` (and :func:`fail`, :func:`options_named`) from here and
register themselves on it; :mod:`softmaxlab.cli` imports every command module once, so no
module imports back the package that imports it.

Errors
------
Every command ends in **one line on stderr and a non-zero exit status**, whatever happens
(:func:`run_app`):

===============================================  ======  =====================================
what                                             status  line
===============================================  ======  =====================================
bad input: :class:`CLIError`, ``ValueError``       2     ``softmaxlab: error: <message>``
(:class:`~softmaxlab.SoftmaxLabError`),
``TypeError``, ``OSError``, a bad command line
``MemoryError``, ``OverflowError``,                1     ``softmaxlab: error: <what> (...)``
``RecursionError``
any other exception (a bug)                        1     ``softmaxlab: internal error: ...``
Ctrl-C (``KeyboardInterrupt``)                    130    ``softmaxlab: aborted``
a closed pipe (``... | head``)                    141    nothing
===============================================  ======  =====================================

Messages follow the library's template (``The '--top-k' option of softmaxlab sample must be an
int >= 1. Got 0 instead.``): the library's own errors carry their fields
(:class:`~softmaxlab.SoftmaxLabError`), and :func:`options_named` renames a library parameter
to the command-line option that set it; click's messages for Typer's ``min``/``max``/choices
are rewritten into the same template. ``SOFTMAXLAB_DEBUG=1`` prints the traceback of an
internal error before its line.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NoReturn

import typer

from .._validation import SoftmaxLabError, describe_value

__all__ = [
    "CLIError",
    "app",
    "fail",
    "option_error",
    "options_named",
    "report",
    "run_app",
]

app = typer.Typer(
    name="softmaxlab",
    help="Exact softmax numerics, softmax regression, sampling and an interactive explorer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    # A callback keeps `app` a group even while only one command is registered; without it,
    # Typer would run that command directly and `softmaxlab compute ...` would not parse.
    pass


class CLIError(ValueError):
    """A problem to report to the user as one line, with exit status 2.

    A :class:`ValueError`, so that the plain functions behind the commands (which raise it
    through :func:`option_error`) document and raise the usual type.
    """


def fail(message: str) -> NoReturn:
    """Report ``message`` as one line and stop the command (exit status 2)."""
    raise CLIError(message)


def option_error(option: str, allowed: str, value: Any, *, command: str | None = None) -> CLIError:
    """The one phrasing of a bad option: ``The '--x' option of softmaxlab cmd must be ...``.

    Examples
    --------
    >>> print(option_error("--top-k", "an int >= 1", 0, command="sample"))
    The '--top-k' option of softmaxlab sample must be an int >= 1. Got 0 instead.
    """
    where = f" of softmaxlab {command}" if command else ""
    return CLIError(
        f"The '{option}' option{where} must be {allowed}. Got {describe_value(value)} instead."
    )


@contextlib.contextmanager
def options_named(
    command: str, options: Mapping[str, str], *, typed: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Say a library error in terms of the command line: parameter ``top_k`` is ``--top-k``.

    The library checks its own arguments (the CLI does not check them again); a
    :class:`~softmaxlab.SoftmaxLabError` whose ``parameter`` is a key of ``options`` becomes
    :func:`option_error` for that option, with the same allowed values. The value shown is
    the text typed when ``typed`` has it (``'0'`` rather than ``0.0``), else the library's.
    """
    try:
        yield
    except SoftmaxLabError as exc:
        name = exc.parameter or ""
        option = options.get(name)
        if option is None or exc.allowed is None:
            raise
        # An optional library parameter is simply left out on the command line.
        allowed = exc.allowed.removesuffix(" or None")
        value = describe_value(typed[name]) if typed and name in typed else exc.value
        where = f" of softmaxlab {command}"
        raise CLIError(
            f"The '{option}' option{where} must be {allowed}. Got {value} instead."
        ) from None


# --- running the app -------------------------------------------------------------------------


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


def _range_words(kind: str, low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"{kind} in the range [{low}, {high}]"
    if low is not None:
        return f"{kind} >= {low}"
    if high is not None:
        return f"{kind} <= {high}"
    return kind


def _allowed_from_typer(param: Any, error: Mapping[str, Any]) -> str | None:
    """What an option accepts, from Typer's own check (its pydantic error and min/max)."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    kind = error.get("type", "")
    if kind == "value_error":
        m = re.search(r"is not one of (?P<choices>.+?)\.?$", str(error.get("msg", "")))
        return f"one of {m.group('choices')}" if m else None
    if kind in ("int_parsing", "int_from_float") or isinstance(
        low if low is not None else high, int
    ):
        noun = "an int"
    elif kind == "float_parsing" or low is not None or high is not None:
        noun = "a number"
    else:
        return None
    return _range_words(noun, low, high)


def _usage_message(exc: BaseException) -> str:
    """A usage error about one option's value, in the one template (else click's words).

    Typer checks ``min``/``max``, enums and number syntax with pydantic and raises click's
    ``BadParameter`` from the pydantic error, which holds the text typed.
    """
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    param = getattr(exc, "param", None)
    opts = getattr(param, "opts", None)
    errors = getattr(exc.__cause__, "errors", None)
    if not opts or not callable(errors):
        return message
    try:
        error = errors(include_url=False)[0]
    except (TypeError, IndexError):
        return message
    allowed = _allowed_from_typer(param, error)
    if allowed is None or "input" not in error:
        return message
    ctx = getattr(exc, "ctx", None)
    command = getattr(getattr(ctx, "command", None), "name", None)
    return str(option_error(max(opts, key=len), allowed, error["input"], command=command))


_MAX_LINE = 1000  # characters of a message shown; an 8 MB bad entry is not echoed back


def report(message: str, *, prefix: str = "error") -> None:
    """Print an error as exactly one line on stderr (at most about 1000 characters)."""
    text = " ".join(line.strip() for line in message.splitlines() if line.strip())
    if len(text) > _MAX_LINE:
        text = text[: _MAX_LINE - 3] + "..."
    print(f"softmaxlab: {prefix}: {text}", file=sys.stderr)


def _resource_message(exc: BaseException) -> str:
    detail = str(exc).strip()
    if isinstance(exc, MemoryError):
        what = "not enough memory for this input"
    elif isinstance(exc, RecursionError):
        what = "the input is nested too deeply"
    else:
        what = "a number is too large for this computation"
    return f"{what} ({type(exc).__name__}{': ' + detail if detail else ''})"


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests)
        pass


_ABORTED = 130  # 128 + SIGINT


def _run(args: list[str]) -> int:
    result = app(args=args, prog_name="softmaxlab", standalone_mode=False)
    sys.stdout.flush()
    code = int(result) if isinstance(result, int) else 0
    if code == _ABORTED:
        # Typer turns Ctrl-C in a command into Exit(130) and, outside standalone mode,
        # returns that status; no command returns a status itself.
        print("softmaxlab: aborted", file=sys.stderr)
    return code


def run_app(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see the module docstring)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(args)
    except BrokenPipeError:
        # The reader went away (`softmaxlab compute ... | head`): stop quietly, as Unix tools
        # do. Point stdout at devnull so the interpreter's final flush does not fail again.
        _silence_stdout()
        return 141
    except typer.Exit as exc:  # also raised by --help
        return int(getattr(exc, "exit_code", 0) or 0)
    except (typer.Abort, KeyboardInterrupt):
        print("softmaxlab: aborted", file=sys.stderr)
        return _ABORTED
    except (CLIError, ValueError, TypeError, OSError) as exc:
        report(str(exc) or type(exc).__name__)
        return 2
    except (MemoryError, OverflowError, RecursionError) as exc:
        report(_resource_message(exc))
        return 1
    except Exception as exc:
        if isinstance(exc, _usage_error_types()):
            return _usage_failure(exc)
        if os.environ.get("SOFTMAXLAB_DEBUG", "") not in ("", "0"):
            traceback.print_exc()
        detail = str(exc).strip()
        report(
            f"{type(exc).__name__}{': ' + detail if detail else ''} (a bug in softmaxlab; "
            "set SOFTMAXLAB_DEBUG=1 to see the traceback)",
            prefix="internal error",
        )
        return 1


def _usage_failure(exc: BaseException) -> int:
    message = _usage_message(exc)
    if type(exc).__name__ == "NoArgsIsHelpError":
        # `softmaxlab` alone: the help text is the answer, not an error line.
        print(message, file=sys.stderr)
    else:
        report(message)
    code = getattr(exc, "exit_code", 2)
    return code if isinstance(code, int) and code else 2


def exit_on_error() -> NoReturn:
    """Console-script entry point: run and exit with the status."""
    sys.exit(run_app())
