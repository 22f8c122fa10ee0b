"""``softmaxlab bench``: softmaxlab against NumPy, SciPy, PyTorch and JAX, side by side.

``softmaxlab bench --quick`` times a few shapes in float32 with 1 and 2 threads and prints,
per implementation, the median time per call, Gelem/s, effective GB/s, the ratio to PyTorch
and the fraction of copy speed, with the machine and its load average before and after.
The work is done by :func:`softmaxlab.bench.run` (also behind
``python benchmarks/bench_softmax.py``); this command only reads the options. numpy is the
only library it needs: scipy, torch and jax are imported when the command runs, and a
missing one is reported as "not installed".

Timings depend on the machine and its load: nothing here asserts a speed.
"""

from __future__ import annotations

import json
import math
from enum import StrEnum
from typing import Annotated, Any

import typer

from ._util import app, option_error, options_named

__all__ = ["bench", "parse_options"]

_OPS = ("softmax", "log_softmax", "cross_entropy", "cross_entropy_grad")
_DTYPES = ("float32", "float64")


class Backend(StrEnum):
    """The softmaxlab paths (Typer checks the choice)."""

    auto = "auto"
    compiled = "compiled"
    numba = "numba"
    numpy = "numpy"


def _split(option: str, text: str, allowed: tuple[str, ...]) -> list[str]:
    items = [s.strip() for s in text.split(",")]
    for item in items:
        if item not in allowed:
            raise option_error(
                option, f"a comma-separated list of {', '.join(allowed)}", item, command="bench"
            )
    return list(dict.fromkeys(items))


def _threads(text: str) -> list[int]:
    n_threads = []
    for item in text.split(","):
        try:
            n = int(item.strip())
        except ValueError:
            n = 0
        if n < 1:
            raise option_error(
                "--threads",
                "a comma-separated list of ints >= 1, e.g. 1,2",
                item.strip(),
                command="bench",
            )
        n_threads.append(n)
    return list(dict.fromkeys(n_threads))


def parse_options(
    *,
    quick: bool,
    threads: str,
    dtypes: str | None,
    ops: str,
    shapes: str | None,
    repeat: int | None,
    backend: str,
) -> dict[str, Any]:
    """Read the command's list options; return the keyword arguments of ``bench.run``.

    ``repeat`` and ``backend`` are checked by Typer (``min=1``, a choice).

    Raises
    ------
    ValueError
        One line naming the option, what is allowed and the value received.

    Examples
    --------
    >>> opts = parse_options(quick=True, threads="1,2", dtypes=None, ops="softmax",
    ...                      shapes="1x10", repeat=3, backend="auto")
    >>> opts["threads"], opts["dtypes"], opts["shapes"]
    ([1, 2], ['float32'], [(1, 10)])
    >>> try:
    ...     parse_options(quick=True, threads="0", dtypes=None, ops="softmax", shapes=None,
    ...                   repeat=None, backend="auto")
    ... except ValueError as exc:
    ...     print(exc)
    The '--threads' option of softmaxlab bench must be a comma-separated list of ints >= 1,
    e.g. 1,2. Got '0' instead.
    """
    from ..bench import FULL_SHAPES, QUICK_SHAPES, parse_shapes

    dtype_text = dtypes if dtypes is not None else ("float32" if quick else ",".join(_DTYPES))
    if shapes is None:
        shape_list = QUICK_SHAPES if quick else FULL_SHAPES
    else:
        with options_named("bench", {"shapes": "--shapes"}):
            shape_list = parse_shapes(shapes)
    return {
        "shapes": shape_list,
        "dtypes": _split("--dtypes", dtype_text, _DTYPES),
        "threads": _threads(threads),
        "ops": _split("--ops", ops, _OPS),
        "quick": quick,
        "repeat": repeat,
        "backend": str(backend),
    }


def _finite_or_none(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@app.command(help="Benchmark softmax, log_softmax and cross-entropy against other libraries.")
def bench(
    quick: Annotated[
        bool, typer.Option("--quick", help="Few shapes, float32 only, fewer repeats.")
    ] = False,
    threads: Annotated[
        str, typer.Option("--threads", help="Comma-separated thread counts.")
    ] = "1,2",
    dtypes: Annotated[
        str | None,
        typer.Option("--dtypes", help="Comma-separated: float32,float64 (--quick: float32)."),
    ] = None,
    ops: Annotated[
        str,
        typer.Option(
            "--ops",
            help="Comma-separated: softmax, log_softmax, cross_entropy (the loss), "
            "cross_entropy_grad (the loss and its gradient).",
        ),
    ] = ",".join(_OPS),
    shapes: Annotated[
        str | None,
        typer.Option("--shapes", help="Comma-separated ROWSxCOLUMNS, e.g. 1x10,256x10."),
    ] = None,
    repeat: Annotated[
        int | None, typer.Option("--repeat", min=1, help="Timing samples per implementation.")
    ] = None,
    backend: Annotated[
        Backend,
        typer.Option(
            "--backend", help="softmaxlab backend: auto, compiled (alias numba) or numpy."
        ),
    ] = Backend.auto,
    scipy_on_huge: Annotated[
        bool,
        typer.Option("--scipy-on-huge", help="Also time scipy on 10**7 elements (slow)."),
    ] = False,
    fast: Annotated[
        bool,
        typer.Option("--fast", help="Also time precision='fast' (float32; row sl-fast)."),
    ] = False,
    out: Annotated[
        bool,
        typer.Option("--out", help="Also time out= into a preallocated array (row sl-out)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Thin layer: read the options, run the benchmark, print the table or JSON."""
    options = parse_options(
        quick=quick,
        threads=threads,
        dtypes=dtypes,
        ops=ops,
        shapes=shapes,
        repeat=repeat,
        backend=backend,
    )
    from .. import kernels

    if backend in (Backend.compiled, Backend.numba) and not kernels.available():
        raise option_error(
            "--backend",
            "'auto' or 'numpy' while the compiled core is not loaded (softmaxlab.show_config() "
            "says why)",
            str(backend),
            command="bench",
        )
    from ..bench import run

    report = run(
        **options,
        scipy_on_huge=scipy_on_huge,
        emit=None if as_json else typer.echo,
        variants=[name for name, asked in (("fast", fast), ("out", out)) if asked],
    )
    if as_json:
        data = report.to_json()
        data["load_before"] = [_finite_or_none(v) for v in data["load_before"]]
        data["load_after"] = [_finite_or_none(v) for v in data["load_after"]]
        typer.echo(json.dumps(data, allow_nan=False))
