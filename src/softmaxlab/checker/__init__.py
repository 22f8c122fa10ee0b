"""Grade a softmax written by hand: :func:`check` runs a battery against the exact one.

The course's exercise asks a learner to write softmax themselves. ``softmaxlab.check(fn)``
(or ``softmaxlab check my_module.py:softmax`` on the command line) calls ``fn`` on the
course's examples and on the inputs where hand-written versions break — overflow at large
logits, 0/0 at very negative ones, a batch normalised over the wrong axis, float32, a
modified input — and reports each case as passed or failed, with the reason and a hint, in
English, Simplified or Traditional Chinese.

* :mod:`._cases` — the battery (inputs, what each case checks, the tolerance);
* :mod:`._judge` — pure verdicts on one answer;
* :mod:`._run` — calls the function (with a time limit) and builds :class:`CheckResult`;
* :mod:`._messages` — the three catalogues.

It runs the learner's own code in the learner's own process; nothing here is reachable
from the web explorer.
"""

from __future__ import annotations

from ._cases import CASES, Case
from ._messages import LANGUAGES, MESSAGES
from ._run import CaseResult, CheckResult, check

__all__ = ["CASES", "LANGUAGES", "MESSAGES", "Case", "CaseResult", "CheckResult", "check"]
