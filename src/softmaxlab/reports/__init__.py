"""Pure builders of what both faces show: the command line and the explorer.

* :func:`softmax_steps` — exponentiate → sum → normalise, with the Σ exp of each slice, the
  library's probabilities and :func:`sum_check`, the one way ``|Σp − 1|`` is computed;
* :func:`decoding_report` and :func:`kept_after_each_filter` — a next-token distribution
  after temperature/top-k/top-p/min-p, and draws from it;
* :func:`parse_number`, :func:`parse_numbers`, :func:`parse_vocabulary` — what a learner
  types, read by one set of rules; errors are :class:`ParseProblem` with a ``code`` and
  ``fields`` so that the explorer can say them in the page's language.

Nothing here prints, imports a UI library, or checks an option the library checks.
"""

from __future__ import annotations

from ._decoding import DecodingReport, decoding_report, kept_after_each_filter
from ._parse import ParseProblem, parse_number, parse_numbers, parse_vocabulary
from ._steps import SoftmaxSteps, SumCheck, softmax_steps, sum_check

__all__ = [
    "DecodingReport",
    "ParseProblem",
    "SoftmaxSteps",
    "SumCheck",
    "decoding_report",
    "kept_after_each_filter",
    "parse_number",
    "parse_numbers",
    "parse_vocabulary",
    "softmax_steps",
    "sum_check",
]
