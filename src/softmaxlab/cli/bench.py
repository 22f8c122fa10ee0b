"""``softmaxlab bench``: softmaxlab against NumPy, SciPy, PyTorch and JAX, side by side.

``softmaxlab bench --quick`` times a few shapes in float32 with 1 and 2 threads and prints,
per implementation, the median time per call, Gelem/s, effective GB/s, the ratio to PyTorch
and the fraction of copy speed, with the machine and its load average before and after.
The work is done by :func:`softmaxlab._benchmark.run` (also behind
``python benchmarks/bench_softmax.py``); this command only checks the options. numpy is the
only library it needs: numba, scipy, torch and jax are imported when the command runs, and a
missing one is reported as "not installed".

Timings depend on the machine and its load: nothing here asserts a speed.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

import typer

from . import app, fail

__all__ = ["bench", "parse_options"]

_OPS = ("softmax", "log_softmax", "cross_entropy", "cross_entropy_grad")
_DTYPES = ("float32", "float64")
_BACKENDS = ("auto", "numba", "numpy")


def _split(option: str, text: str, allowed: tuple[str, ...]) -> list[str]:
    items = [s.strip() for s in text.split(",")]
    for item in items:
        if item not in allowed:
            raise ValueError(
                f"{option} must be a comma-separated list of {', '.join(allowed)}. "
                f"Got {item!r} instead."
            )
    return list(dict.fromkeys(items))


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
    """Check the command's options; return the keyword arguments of ``_benchmark.run``.

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
    >>> parse_options(quick=True, threads="0", dtypes=None, ops="softmax", shapes=None,
    ...               repeat=None, backend="auto")
    Traceback (most recent call last):
    ...
    ValueError: --threads must be a comma-separated list of integers >= 1, e.g. 1,2. Got '0' instead.
    """  # noqa: E501
    from .._benchmark import FULL_SHAPES, QUICK_SHAPES, parse_shapes

    n_threads = []
    for item in threads.split(","):
        try:
            n = int(item.strip())
        except ValueError:
            n = 0
        if n < 1:
            raise ValueError(
                "--threads must be a comma-separated list of integers >= 1, e.g. 1,2. "
                f"Got {item.strip()!r} instead."
            )
        n_threads.append(n)
    if repeat is not None and repeat < 1:
        raise ValueError(f"--repeat must be an integer >= 1. Got {repeat} instead.")
    if backend not in _BACKENDS:
        raise ValueError(f"--backend must be one of auto, numba, numpy. Got {backend!r} instead.")
    dtype_text = dtypes if dtypes is not None else ("float32" if quick else ",".join(_DTYPES))
    return {
        "shapes": parse_shapes(shapes)
        if shapes is not None
        else (QUICK_SHAPES if quick else FULL_SHAPES),
        "dtypes": _split("--dtypes", dtype_text, _DTYPES),
        "threads": list(dict.fromkeys(n_threads)),
        "ops": _split("--ops", ops, _OPS),
        "quick": quick,
        "repeat": repeat,
        "backend": backend,
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
        int | None, typer.Option("--repeat", help="Timing samples per implementation.")
    ] = None,
    backend: Annotated[
        str, typer.Option("--backend", help="softmaxlab backend: auto, numba or numpy.")
    ] = "auto",
    scipy_on_huge: Annotated[
        bool,
        typer.Option("--scipy-on-huge", help="Also time scipy on 10**7 elements (slow)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Thin layer: check the options, run the benchmark, print the table or JSON."""
    try:
        options = parse_options(
            quick=quick,
            threads=threads,
            dtypes=dtypes,
            ops=ops,
            shapes=shapes,
            repeat=repeat,
            backend=backend,
        )
    except ValueError as exc:
        fail(str(exc))
    from .. import kernels

    if backend == "numba" and not kernels.available():
        fail("--backend numba needs numba, which is not installed (pip install 'softmaxlab[fast]')")
    from .._benchmark import run

    report = run(
        **options,
        scipy_on_huge=scipy_on_huge,
        emit=None if as_json else typer.echo,
    )
    if as_json:
        data = report.to_json()
        data["load_before"] = [_finite_or_none(v) for v in data["load_before"]]
        data["load_after"] = [_finite_or_none(v) for v in data["load_after"]]
        typer.echo(json.dumps(data, allow_nan=False))
