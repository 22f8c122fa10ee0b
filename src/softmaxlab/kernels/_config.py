"""``show_config``: which compiled core and SIMD level run, and why."""

from __future__ import annotations

from typing import Any

from .. import _simd
from . import _threads
from ._threads import ENV_THREADS, get_num_threads


def show_config(*, quiet: bool = False) -> dict[str, Any]:
    """Print (unless ``quiet``) and return how softmaxlab computes on this machine.

    Returns
    -------
    dict
        ``compiled_core`` (bool: the C SIMD core is loaded), ``load_error`` (why not, or
        None), ``simd_level`` (``'avx512'``, ``'avx2'``, ``'baseline'`` or None),
        ``simd_reason`` (why that level: the best the CPU supports, or forced by
        ``SOFTMAXLAB_SIMD``), ``compiled_levels`` and ``supported_levels`` (compiled and
        supported by this CPU), ``fast_float32`` (whether ``precision='fast'`` has its own
        float32 kernel at the running level: AVX-512 and AVX2 do, baseline runs the exact one),
        ``fast_log_softmax`` (whether that kernel computes log_softmax too: AVX2 only; AVX-512
        runs the exact one, faster there), ``threads`` (threads large inputs may use, from
        ``SOFTMAXLAB_NUM_THREADS`` or the CPUs available) and ``parallel_min_bytes`` (the
        input size from which a call is split across the core's own thread pool).

    Examples
    --------
    >>> import softmaxlab
    >>> info = softmaxlab.show_config(quiet=True)
    >>> sorted(info)[:3]
    ['compiled_core', 'compiled_levels', 'fast_float32']
    >>> info["threads"] >= 1
    True
    """
    info = _simd.config()
    info["threads"] = get_num_threads()
    info["parallel_min_bytes"] = _threads.PARALLEL_MIN_BYTES
    if not quiet:
        if info["compiled_core"]:
            print(f"compiled core:    loaded ({_simd.__name__}._core)")
            print(f"SIMD level:       {info['simd_level']} ({info['simd_reason']})")
            print(f"compiled levels:  {', '.join(info['compiled_levels'])}")
            print(f"CPU supports:     {', '.join(info['supported_levels'])}")
            fast = "float32-lane kernel" if info["fast_float32"] else "runs the exact kernel"
            if info["fast_float32"] and not info["fast_log_softmax"]:
                fast += " for softmax (log_softmax: the exact one, faster here)"
            print(f"precision=fast:   {fast} at this level")
        else:
            print(f"compiled core:    not loaded ({info['load_error']})")
            print(f"SIMD level:       none ({info['simd_reason']})")
        print(
            f"threads:          {info['threads']} (set_num_threads, {ENV_THREADS}), for "
            f"inputs of {info['parallel_min_bytes']:,} bytes or more"
        )
    return info
