"""The machine a benchmark runs on: CPU, load, versions, and pinned thread counts."""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

__all__ = ["jax_x64", "load_average", "machine_info", "pinned_threads"]


def load_average() -> tuple[float, float, float]:
    try:
        a, b, c = os.getloadavg()
    except OSError:  # pragma: no cover - not available on this platform
        return (math.nan, math.nan, math.nan)
    return (a, b, c)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(libs: dict[str, Any]) -> dict[str, Any]:
    import softmaxlab

    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    versions: dict[str, str | None] = {
        "numpy": np.__version__,
        "softmaxlab": softmaxlab.__version__,
    }
    from .. import _simd

    # The SIMD level of the compiled core that runs (None: not loaded, the NumPy path runs).
    versions["simd"] = _simd.core.get_level() if _simd.core is not None else None
    for name, mod in libs.items():
        if name == "scipy" and mod is not None:
            import scipy

            versions[name] = scipy.__version__
        else:
            versions[name] = getattr(mod, "__version__", None)
    return {
        "cpu": _cpu_model(),
        "cpus": cpus,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }


@contextmanager
def pinned_threads(n: int, torch: Any) -> Iterator[None]:
    """Run with ``n`` threads for the softmaxlab kernels, PyTorch and the BLAS pools."""
    from .. import kernels

    old_k = kernels.get_num_threads()
    old_t = torch.get_num_threads() if torch is not None else None
    kernels.set_num_threads(n)
    if torch is not None:
        torch.set_num_threads(n)
    try:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            yield
        else:
            with threadpool_limits(limits=n):
                yield
    finally:
        kernels.set_num_threads(old_k)
        if torch is not None:
            torch.set_num_threads(old_t)


@contextmanager
def jax_x64(jax: Any, enable: bool) -> Iterator[None]:
    """JAX in 64-bit mode for float64 inputs, restored afterwards (it is a global flag)."""
    if jax is None or not enable:
        yield
        return
    old = bool(jax.config.read("jax_enable_x64"))
    jax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        jax.config.update("jax_enable_x64", old)
