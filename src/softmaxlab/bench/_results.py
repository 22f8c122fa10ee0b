"""Benchmark results: one row per implementation and problem, as a table or JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

__all__ = ["BenchReport", "BenchResult", "format_header", "format_row", "results_for"]


@dataclass
class BenchResult:
    """One implementation on one problem (``seconds`` is None when it was not run)."""

    op: str
    dtype: str
    threads: int
    shape: tuple[int, int]
    impl: str
    backend: str  # the softmaxlab path that ran ('compiled' or 'numpy'); '-' for others
    seconds: float | None
    gelem_s: float | None = None
    gb_s: float | None = None
    vs_torch: float | None = None  # torch's median / this median
    vs_copy: float | None = None  # this GB/s / copy's GB/s
    note: str = ""  # 'not installed', 'skipped'

    def to_json(self) -> dict[str, Any]:
        """Every field in order, the rates under their unit names and the shape as a list."""
        out = {_JSON_NAMES.get(f.name, f.name): getattr(self, f.name) for f in fields(self)}
        out["shape"] = list(self.shape)
        return out


_JSON_NAMES = {"gelem_s": "gelem_per_s", "gb_s": "gb_per_s"}
"""The JSON keys of the :class:`BenchResult` fields whose names are not their own."""


@dataclass
class BenchReport:
    machine: dict[str, Any]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] = (math.nan, math.nan, math.nan)
    results: list[BenchResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "load_before": list(self.load_before),
            "load_after": list(self.load_after),
            "results": [r.to_json() for r in self.results],
        }


def _fmt(v: float | None) -> str:
    # Three significant digits: a small positive value never prints as 0.00.
    return "n/a" if v is None else f"{v:.3g}"


def format_header() -> str:
    return (
        f"{'op':<18} {'dtype':<7} {'thr':>3} {'shape':<13} {'impl':<10} {'backend':<7} "
        f"{'median':>11} {'Gelem/s':>8} {'GB/s':>8} {'torch/x':>8} {'of copy':>8}"
    )


def format_row(r: BenchResult) -> str:
    shape = f"{r.shape[0]}x{r.shape[1]}"
    head = f"{r.op:<18} {r.dtype:<7} {r.threads:>3} {shape:<13} {r.impl:<10} {r.backend:<7} "
    if r.seconds is None:
        return head + f"{r.note:>11}"
    t = r.seconds
    med = f"{t * 1e6:9.2f}us" if t < 1e-3 else f"{t * 1e3:9.2f}ms"
    return head + (
        f"{med:>11} {_fmt(r.gelem_s):>8} {_fmt(r.gb_s):>8} {_fmt(r.vs_torch):>8} "
        f"{_fmt(r.vs_copy):>8}"
    )


def results_for(
    op: str,
    x: np.ndarray,
    nt: int,
    timings: dict[str, float],
    path: str,
    notes: dict[str, str],
) -> list[BenchResult]:
    # Bytes moved once: read x and write an output of its size (the forward loss writes
    # O(rows) only).
    moved = x.nbytes if op == "cross_entropy" else 2 * x.nbytes
    copy_gb_s = 2 * x.nbytes / timings["copy"] / 1e9
    torch_t = timings.get("torch")
    case = BenchResult(op, str(x.dtype), nt, (x.shape[0], x.shape[1]), "", "-", None)
    out = []
    for name, t in timings.items():
        gb_s = (2 * x.nbytes if name == "copy" else moved) / t / 1e9
        out.append(
            replace(
                case,
                impl=name,
                backend=path if name == "softmaxlab" or name.startswith("sl-") else "-",
                seconds=t,
                gelem_s=x.size / t / 1e9,
                gb_s=gb_s,
                vs_torch=None if torch_t is None else torch_t / t,
                vs_copy=gb_s / copy_gb_s,
            )
        )
    out += [replace(case, impl=name, note=note) for name, note in notes.items()]
    return out
