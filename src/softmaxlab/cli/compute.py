"""``softmaxlab compute``: the softmax of numbers given on the command line (being written)."""

from __future__ import annotations

from . import app


@app.command()
def compute() -> None:
    """Placeholder: the compute command is being written."""
