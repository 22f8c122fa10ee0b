"""Side-by-side benchmark of softmax, log_softmax and cross-entropy on CPU.

A thin script over :mod:`softmaxlab.bench` (the harness), with the options of ``softmaxlab bench``
(the same code): ``python benchmarks/bench_softmax.py`` runs every shape in float32 and
float64 with 1 and 2 threads; ``--quick`` a small subset; ``--help`` lists the options
(``--threads``, ``--dtypes``, ``--ops``, ``--shapes``, ``--repeat``, ``--backend``,
``--json``).
"""

from __future__ import annotations

import sys

from softmaxlab.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
