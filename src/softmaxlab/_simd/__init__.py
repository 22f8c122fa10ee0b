"""Loader of the compiled SIMD core (``_core``, built from the C sources next to this file).

A leaf: it imports nothing of softmaxlab. The extension is loaded when this package is
imported; where it is missing (no compiler at install time) or fails to load, :data:`core` is
None, :data:`load_error` says why, and softmaxlab runs on its NumPy reference path.

The SIMD level is chosen once, at load: the best of ``avx512`` (AVX-512 F/BW/DQ/VL),
``avx2`` (AVX2 + FMA) and ``baseline`` (portable) that the CPU supports. The environment
variable ``SOFTMAXLAB_SIMD=avx512|avx2|baseline`` forces a level; asking for a level this CPU
(or this build) does not have, or for an unknown name, gives a :class:`RuntimeWarning` and the
best supported level runs instead (the import never fails because of it).
"""

from __future__ import annotations

import os
import warnings
from types import ModuleType
from typing import Any

__all__ = ["ENV_SIMD", "LEVELS", "config", "core", "load_error"]

ENV_SIMD = "SOFTMAXLAB_SIMD"
#: Every level the sources know, lowest first.
LEVELS = ("baseline", "avx2", "avx512")

core: ModuleType | None = None
load_error: str | None = None
_reason = ""


def _load() -> None:
    global core, load_error, _reason
    try:
        from . import _core as mod  # type: ignore[attr-defined, unused-ignore]
    except ImportError as exc:
        load_error = f"{type(exc).__name__}: {exc}"
        return
    import numpy as np

    mod.set_allocator(np.empty_like, np.ndarray)
    core = mod
    best = mod.get_level()
    _reason = f"the best level this CPU supports ({', '.join(mod.supported_levels())})"
    want = os.environ.get(ENV_SIMD, "").strip().lower()
    if not want:
        return
    try:
        mod.set_level(want)
    except ValueError as exc:
        warnings.warn(
            f"The environment variable {ENV_SIMD} must be one of the SIMD levels this machine "
            f"supports ({', '.join(mod.supported_levels())}). Got {want!r} instead ({exc}); "
            f"running {best!r}.",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    _reason = f"forced by {ENV_SIMD}={want}"


def _set_level(name: str) -> str:
    """Switch the running SIMD level in-process (for tests); returns the previous one.

    Raises ValueError (from the extension) if the level is unknown, not compiled, or not
    supported by this CPU, and RuntimeError if the core is not loaded.
    """
    global _reason
    if core is None:
        raise RuntimeError(f"the compiled core is not loaded ({load_error})")
    old: str = core.get_level()
    core.set_level(name)
    _reason = "set in-process by softmaxlab._simd._set_level"
    return old


def config() -> dict[str, Any]:
    """What the compiled core is doing: loaded or not (and why), the level and why, levels."""
    if core is None:
        return {
            "compiled_core": False,
            "load_error": load_error,
            "simd_level": None,
            "simd_reason": "the compiled core is not loaded: the NumPy reference path runs",
            "compiled_levels": [],
            "supported_levels": [],
            "fast_float32": False,
            "fast_log_softmax": False,
        }
    return {
        "compiled_core": True,
        "load_error": None,
        "simd_level": core.get_level(),
        "simd_reason": _reason,
        "compiled_levels": list(core.compiled_levels()),
        "supported_levels": list(core.supported_levels()),
        "fast_float32": bool(core.has_fast()),
        "fast_log_softmax": bool(core.has_fast_log()),
    }


_load()
