"""Fixtures shared across the test suite."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_extended(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the float64 path used where no 80-bit long double exists (double-double shift)."""
    monkeypatch.setattr("softmaxlab.core._rows.EXTENDED", False)
