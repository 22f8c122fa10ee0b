"""``softmaxlab check my_module.py:softmax``: grade a softmax written by hand.

:func:`load_function` imports the learner's file by path and finds the function;
:func:`softmaxlab.checker.check` runs the battery; :func:`render` prints one row per case and a
summary. The exit status is that of a test runner: 0 when every applicable case passed, 1
when any failed, 2 for a usage error (no such file, no such function, not callable, a file
that does not import) reported as one line.

Importing a file runs its code. This command exists for a learner's own file on their own
machine; the web explorer offers nothing like it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ._util import app, fail

__all__ = ["load_function", "render", "split_target"]

_TARGET = "The 'TARGET' argument of softmaxlab check must be"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


class Lang(StrEnum):
    """The report languages (Typer checks the choice)."""

    en = "en"
    zh_hans = "zh-Hans"
    zh_hant = "zh-Hant"


def split_target(target: str) -> tuple[Path, str]:
    """``'dir/my_module.py:softmax'`` → ``(Path('dir/my_module.py'), 'softmax')``.

    The function name defaults to ``softmax``; a name may be dotted (``Model.softmax``).
    Only the last ``:`` separates, so a Windows drive letter stays in the path.

    Examples
    --------
    >>> split_target("my_module.py:my_softmax")
    (PosixPath('my_module.py'), 'my_softmax')
    >>> split_target("my_module.py")
    (PosixPath('my_module.py'), 'softmax')
    """
    path, sep, name = target.rpartition(":")
    if not sep or not _IDENTIFIER.fullmatch(name):
        return Path(target), "softmax"
    return Path(path), name


def _import_file(path: Path, target: str) -> Any:
    name = re.sub(r"\W", "_", path.stem) or "learner_module"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        fail(f"{_TARGET} a Python file (.py). Got {target!r} instead.")
    module = importlib.util.module_from_spec(spec)
    # The learner's file may import its neighbours, as it would when run from its folder.
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SyntaxError, SystemExit, anything the file raises
        sys.modules.pop(name, None)
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        fail(
            f"{_TARGET} a Python file that imports without error. Got {target!r} instead ({what})."
        )
    finally:
        if folder in sys.path:
            sys.path.remove(folder)
    return module


def load_function(target: str) -> Any:
    """Import ``path.py`` of ``'path.py:name'`` and return its callable ``name``.

    Raises :class:`~softmaxlab.cli.CLIError` (one line, exit status 2) when the file is
    missing or does not import, or when the name is missing or not callable.
    """
    path, name = split_target(target)
    if not path.is_file():
        fail(
            f"{_TARGET} an existing Python file and a function name, as in "
            f"my_module.py:softmax. Got {target!r} instead (no file {str(path)!r})."
        )
    obj: Any = _import_file(path, target)
    for part in name.split("."):
        if not hasattr(obj, part):
            defined = sorted(
                k for k, v in vars(obj).items() if callable(v) and not k.startswith("_")
            )
            listed = ", ".join(defined[:10]) or "none"
            fail(
                f"{_TARGET} a function defined in {path.name}. Got {name!r} instead "
                f"(callables found: {listed})."
            )
        obj = getattr(obj, part)
    if not callable(obj):
        fail(f"{_TARGET} a callable. Got {name!r} instead (a {type(obj).__name__} in {path.name}).")
    return obj


_ASCII = str.maketrans(
    {"−": "-", "→": "->", "×": "x", "·": "*", "≤": "<=", "Σ": "sum ", "ε": "eps", "ᵢ": "_i"}
    | {"ⱼ": "_j", "–": "-", "—": "-", "、": ", "}
)


def _printable(text: str, encoding: str) -> str:
    """``text`` as the terminal can show it: ASCII stand-ins, then ``?`` for the rest."""
    if encoding.lower().replace("-", "").startswith("utf"):
        return text
    text = text.translate(_ASCII)
    try:
        return text.encode(encoding, "replace").decode(encoding)
    except LookupError:
        return text.encode("ascii", "replace").decode("ascii")


def render(result: Any, *, console: Any = None) -> None:
    """Print a :class:`~softmaxlab.checker.CheckResult` as a Rich table and a summary."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..checker._messages import message

    console = console or Console(highlight=False, markup=False, emoji=False)
    encoding = console.encoding or "utf-8"

    def shown(text: str) -> str:
        return _printable(text, encoding)

    lang = result.lang
    table = Table(title=shown(result.heading()), show_lines=True, title_justify="left")
    for key in ("ui.case", "ui.result", "ui.detail"):
        table.add_column(shown(message(lang, key)), overflow="fold")
    styles = {"passed": "green", "not applicable": "dim"}
    hint_label = message(lang, "ui.hint_label")
    tolerance_label = message(lang, "ui.tolerance_label")
    for case in result.cases:
        detail = Text(shown(case.reason))
        if case.hint:
            detail.append(shown(f"\n{hint_label}{case.hint}"), style="italic")
        table.add_row(
            Text(shown(f"{case.name}\n{case.title}")).append(
                shown(f"\n{tolerance_label}{case.tolerance}"), style="dim"
            ),
            Text(shown(case.status_text()), style=styles.get(case.status, "bold red")),
            detail,
        )
    console.print(table)
    stop = ". " if lang == "en" else "。"
    console.print(Text(shown(f"{result.summary()}{stop}{result.verdict()}")))


@app.command(
    help=(
        "Check your own softmax against the exact one, e.g. softmaxlab check "
        "my_module.py:softmax. TARGET is a Python file and a function name (default: softmax). "
        "Importing the file runs its code: check only your own code. Exit status 0 when every "
        "applicable case passes, 1 when any fails, 2 for a usage error. A call that does not "
        "return within --timeout seconds fails its case; it cannot be stopped and keeps "
        "running until the command exits, and the cases after it are not run."
    ),
)
def check(
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET", help="path/to/file.py:function_name (function name optional)."
        ),
    ],
    lang: Annotated[
        Lang, typer.Option("--lang", help="Language of the report: en, zh-Hans or zh-Hant.")
    ] = Lang.en,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0.01, max=600.0, help="Seconds each call may take."),
    ] = 5.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Grade a hand-written softmax case by case."""
    from ..checker import check as run_check

    fn = load_function(target)
    result = run_check(fn, lang=lang.value, timeout=timeout)
    if as_json:
        utf = (sys.stdout.encoding or "").lower().replace("-", "").startswith("utf")
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=not utf) + "\n")
    else:
        render(result)
    sys.stdout.flush()
    if not result.passed:
        raise typer.Exit(code=1)
