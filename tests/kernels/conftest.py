"""The SIMD-level fixture: kernel tests run on every level this machine supports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from softmaxlab import _simd


def _skip_reason(level: str) -> str | None:
    core = _simd.core
    if core is None:
        return None  # not skipped: the core must load in the test environment (test below)
    if level not in core.compiled_levels():
        return f"the '{level}' SIMD level is not compiled for this architecture"
    if level not in core.supported_levels():
        return f"this CPU does not support the '{level}' SIMD level"
    return None


@pytest.fixture(params=list(_simd.LEVELS))
def simd_level(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the compiled core at each SIMD level (skipped only where the CPU lacks it)."""
    level = request.param
    if _simd.core is None:
        pytest.fail(f"the compiled core is not loaded: {_simd.load_error}")
    reason = _skip_reason(level)
    if reason:
        pytest.skip(reason)
    old = _simd._set_level(level)
    try:
        yield level
    finally:
        _simd._set_level(old)
