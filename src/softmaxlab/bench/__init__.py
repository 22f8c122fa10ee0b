"""Side-by-side benchmark of softmax, log_softmax and cross-entropy on CPU.

Run by ``softmaxlab bench`` and by ``python benchmarks/bench_softmax.py``. Implementations,
timed interleaved (one sample of each per repeat, so that load changes on a shared machine
hit them alike) and summarised by medians:

* ``softmaxlab``: the public functions (:func:`softmaxlab.softmax`, :func:`~softmaxlab.log_softmax`,
  :func:`~softmaxlab.cross_entropy`, and for the loss with its gradient
  :func:`~softmaxlab.cross_entropy_and_grad`, one fused pass on the compiled core), i.e.
  what users get, through the dispatch point; the ``backend`` column says which path ran
  (the ``compiled`` core or the ``numpy`` reference path);
* ``numpy``: the naive ``exp(x - max) / sum`` (and ``x - max - log(sum)``, and the loss and
  gradient written with them);
* ``scipy``: ``scipy.special.softmax`` / ``log_softmax``;
* ``torch``: PyTorch CPU (``torch.softmax``, ``log_softmax``, ``cross_entropy`` and its
  autograd backward);
* ``jax``: ``jax.nn`` under ``jax.jit`` (JAX keeps its own thread pool: not pinned);
* ``copy``: ``x.copy()`` (allocate a same-size array and copy into it), the memory reference.

scipy, torch and jax are optional: a missing one is reported as ``not installed``.

Each row gives the median time per call, Gelem/s, the effective GB/s (bytes read and written
once: the input and the output, without the O(rows) targets and losses), the ratio to
PyTorch (``torch/x`` > 1: faster than PyTorch) and the fraction of copy speed (effective
GB/s over the copy's). Thread counts are pinned with threadpoolctl (when installed),
``torch.set_num_threads`` and :func:`softmaxlab.kernels.set_num_threads`, and restored
afterwards; the load average is printed before and after the run.

The harness lives here, out of the package root: ``_run`` (shapes, timing loop, driver),
``_impls`` (the implementations compared), ``_machine`` (machine, load, thread pinning) and
``_results`` (rows, table and JSON).
"""

from __future__ import annotations

from . import _run
from ._impls import OPTIONAL, build_impls, load_libraries, softmaxlab_path
from ._machine import machine_info
from ._results import BenchReport, BenchResult, format_header, format_row
from ._run import *  # noqa: F403 (the driver: shapes, timing loop, run; listed in _run.__all__)

__all__ = [
    *_run.__all__,
    "OPTIONAL",
    "BenchReport",
    "BenchResult",
    "build_impls",
    "format_header",
    "format_row",
    "load_libraries",
    "machine_info",
    "softmaxlab_path",
]
