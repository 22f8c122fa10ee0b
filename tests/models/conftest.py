"""Shared fixtures: small standardised datasets and one BLAS/OpenMP thread.

The CI machine is shared; OpenMP spin-waiting of several threads on two busy cores makes
scikit-learn's loss 100x slower, so every test here runs single-threaded.
"""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True)
def _one_thread():
    with threadpool_limits(1):
        yield
