"""The battery of :func:`softmaxlab.check`: each case's input, how it is called, what it checks.

A case is data (:class:`Case`); the runner (:mod:`._run`) calls the learner's function on a
fresh copy of the input and judges the answer against the exact reference,
:func:`softmaxlab.softmax` evaluated in float64 on the same input values.

Tolerance
---------
Unless a case says otherwise, every probability must satisfy

.. math::

    |y_i - p_i| \\le (k + 2\\,\\max_j |x_j / T|)\\,\\varepsilon\\,p_i + \\text{tiny}

where :math:`p` is the exact softmax, :math:`\\varepsilon` the machine epsilon of the input's
dtype (float64 unless the case says float32), :math:`k` a few ulps for the exp, the sum and the
division, and :math:`\\text{tiny}` the smallest normal number of that dtype (entries that
underflow may come back as 0 or as a subnormal). The :math:`2\\max|x|` term is the condition of
softmax under a relative rounding of its input: an implementation that works in log space
(``exp(x - logsumexp(x))``) rounds ``x - lse`` and is still correct, only less exact at large
logits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["CASES", "Case"]


@dataclass(frozen=True)
class Case:
    """One check of the battery.

    Attributes
    ----------
    name : str
        Stable identifier (also the key of its title in the message catalogue).
    make : callable
        Returns a fresh input (a NumPy array, or a list for ``list_input``).
    check : str
        What is judged after the common output checks: ``"values"`` (each entry against the
        reference), ``"rows"`` / ``"columns"`` (a 2-D batch), ``"dtype"`` (float32 kept),
        ``"unchanged"`` (the input not modified), ``"sum"`` (``|Σy − 1| ≤ n·ε``).
    axis : int
        The axis the reference normalises.
    needs : str or None
        ``"temperature"`` or ``"axis"``: the case runs only when the function has such a
        keyword, else it is *not applicable*.
    keyword_value : float or None
        The value passed to that keyword.
    ulps : int
        ``k`` of the tolerance (see the module docstring).
    stability : bool
        A case that an implementation without the max shift fails (overflow or underflow).
    """

    name: str
    make: Callable[[], Any]
    check: str = "values"
    axis: int = -1
    needs: str | None = None
    keyword_value: float | None = None
    ulps: int = 16
    stability: bool = False


def _f64(*values: float) -> Callable[[], NDArray[np.float64]]:
    return lambda: np.array(values, dtype=np.float64)


def _f32(*values: float) -> Callable[[], NDArray[np.float32]]:
    return lambda: np.array(values, dtype=np.float32)


def _batch() -> NDArray[np.float64]:
    # Four rows of three logits: not square, so normalising the wrong axis cannot pass.
    return np.array([[1.0, 2.0, 3.0], [3.0, 1.0, -3.0], [0.0, 0.0, 0.0], [-2.0, 5.0, 1.0]])


def _long_vector() -> NDArray[np.float64]:
    # A fixed seed: the same 1000 logits on every machine and every run.
    return np.random.default_rng(2026).normal(0.0, 4.0, size=1000)


CASES: tuple[Case, ...] = (
    Case("course_example", _f64(3.0, 1.0, -3.0)),
    Case("increasing", _f64(1.0, 2.0, 3.0)),
    Case("large_equal", _f64(1000.0, 1000.0), stability=True),
    Case("large_gap", _f64(1000.0, 1.0), stability=True),
    Case("very_negative", _f64(-1000.0, -1001.0, -1002.0), stability=True),
    Case("ties", _f64(2.0, 2.0, -1.0)),
    Case("all_equal", _f64(4.0, 4.0, 4.0, 4.0)),
    Case("single", _f64(7.0)),
    Case("batch_rows", _batch, check="rows", axis=-1),
    Case("batch_columns", _batch, check="columns", axis=0, needs="axis"),
    Case("temperature", _f64(1.0, 2.0, 3.0), needs="temperature", keyword_value=2.0),
    Case("float32_dtype", _f32(3.0, 1.0, -3.0), check="dtype"),
    Case("float32_accuracy", _f32(-5.5, -2.25, 0.1, 1.7, 3.3, 4.75, 6.0, -0.6), ulps=8),
    Case("float32_large", _f32(100.0, 0.0, -100.0), ulps=8, stability=True),
    Case("sum_to_one", _long_vector, check="sum"),
    Case("input_unchanged", _f64(3.0, 1.0, -3.0), check="unchanged"),
    Case("list_input", lambda: [3.0, 1.0, -3.0]),
)
"""The battery, in the order it runs and is reported."""

TEMPERATURE_NAMES = ("temperature", "t", "T", "tau")
"""Keyword names taken for a temperature (looked up with :func:`inspect.signature`)."""

AXIS_NAMES = ("axis", "dim")
"""Keyword names taken for the axis to normalise."""
