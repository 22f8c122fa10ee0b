"""``softmaxlab explore``: start the softmax explorer (a Gradio web app) and print its address.

``softmaxlab explore [--host 127.0.0.1] [--port 7860] [--lang en|zh-Hans|zh-Hant]`` serves the
page on loopback by default. It works offline: no share link, no telemetry, no fonts or
scripts from outside. Gradio is imported only when the command runs.
"""

from __future__ import annotations

import gc
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer

from ._util import app, fail


class Lang(StrEnum):
    """The page languages (Typer checks the choice)."""

    en = "en"
    zh_hans = "zh-Hans"
    zh_hant = "zh-Hant"


def check_port_free(host: str, port: int) -> bool:
    """True when ``port`` on ``host`` can be bound now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


@contextmanager
def starting() -> Iterator[None]:
    """No cyclic garbage collection while the explorer starts; its survivors frozen after.

    Importing Gradio (with FastAPI, pandas, PIL) and building the page create about a million
    long-lived objects, and the collector would walk them again at every threshold: about a
    sixth of the start-up's CPU time on the 2-core machines. After the start they are moved to
    the permanent generation (:func:`gc.freeze`), so later collections, between slider moves,
    skip them too; collection is then switched back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@app.command()
def explore(
    host: Annotated[
        str, typer.Option(help="Address to serve on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on (1-65535).")] = 7860,
    lang: Annotated[
        Lang | None,
        typer.Option(help="Page language: en, zh-Hans or zh-Hant (default: the browser's)."),
    ] = None,
) -> None:
    """Start the interactive softmax explorer and print its address."""
    if not check_port_free(host, port):
        fail(f"port {port} on {host} is in use or not available; choose another with --port")

    with starting():
        from ..explorer import build_app, launch

        demo = build_app(lang=None if lang is None else lang.value)
        launch(demo, host=host, port=port, prevent_thread_lock=True)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"softmaxlab explorer running at http://{shown}:{port}/  (press Ctrl+C to stop)")
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()
