"""The ``softmaxlab`` command line.

Each command lives in its own module as a thin Typer function over a plain, importable
function (the report builders of :mod:`softmaxlab.reports`, the library itself), and registers
itself on the app of :mod:`softmaxlab.cli._util`. This module is the one place that imports
the command modules; they import the app from ``_util``, never from here, so the imports
point one way. Heavy libraries (gradio, scikit-learn, dask, matplotlib) are imported
inside the command functions, never at module level, so that ``softmaxlab compute`` starts
fast.

Every command ends in one line on stderr and a non-zero exit status when anything goes wrong,
never a traceback (see :mod:`softmaxlab.cli._util` for the exit statuses).
"""

from __future__ import annotations

from collections.abc import Sequence

from ._util import CLIError, app, exit_on_error, fail, report, run_app

# isort: split

# Command modules register themselves on `app` when imported (after the names above, which
# train/predict still import from this package). Keep this list sorted.
from . import bench as _bench  # noqa: F401
from . import check as _check  # noqa: F401
from . import compute as _compute  # noqa: F401
from . import explore as _explore  # noqa: F401
from . import predict as _predict  # noqa: F401
from . import sample as _sample  # noqa: F401
from . import train as _train  # noqa: F401

__all__ = ["CLIError", "app", "fail", "main", "run"]

_report = report  # the name used before `_util` existed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (also used by ``python -m softmaxlab``)."""
    return run_app(argv)


def run() -> None:
    """Console-script entry point."""
    exit_on_error()
