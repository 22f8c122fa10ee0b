"""softmaxlab: the softmax family, exact and fast, with models, sampling and an explorer.

``import softmaxlab`` loads NumPy only. Subpackages with heavier dependencies
(``softmaxlab.models``, ``softmaxlab.sampling``, ``softmaxlab.explorer``, ``softmaxlab.cli``)
are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import core as _core
from ._validation import SoftmaxLabError
from .core import *  # noqa: F403 (the public maths, listed once in core.__all__)
from .kernels import show_config

__version__ = "0.1.0"

__all__ = ["SoftmaxLabError", "__version__", "show_config", *_core.__all__]

_LAZY_SUBMODULES = {
    "backends",
    "checker",
    "cli",
    "core",
    "explorer",
    "interop",
    "kernels",
    "models",
    "plots",
    "sampling",
}


def __getattr__(name: str) -> Any:
    if name == "check":
        # Grading a hand-written softmax is loaded on first use (`softmaxlab.check(fn)`).
        from .checker import check

        return check
    if name == "explore":
        # The explorer needs gradio: resolve it on first use only.
        from .explorer import explore

        return explore
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
