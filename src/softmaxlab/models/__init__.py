"""Softmax regression, temperature scaling, calibration metrics and safe model files.

One home per job, dependencies pointing down this list:

* ``_loss``: :class:`MultinomialLoss` (with :class:`BoundLoss`, its evaluation in row blocks
  that reads X once) and :func:`objective`, plumbing over core's
  :func:`softmaxlab.cross_entropy_and_grad`;
* ``_solvers``: stateless optimisers (sgd, adam as optax-like ``init``/``update``; L-BFGS,
  Newton-CG, trust-region Newton-CG) and the progress bar;
* ``_modelfile``: the model file format (arrays plus JSON metadata, never pickled), knowing
  no estimator class;
* ``_state``: the fitted state checked as one unit, and :class:`ModelState`, the persistence
  protocol (``_get_state``/``_from_state``, ``save``/``load``) over ``_modelfile``;
* ``_regression``: :class:`SoftmaxRegression` (a ``ModelState``), which validates, encodes
  and wires the loss to a solver;
* ``_dask``: data-parallel fitting on Dask arrays (the loss over the chunks, the cluster);
* ``_dask_data``: a Dask fit's inputs, labels and weights, and lazy prediction;
* ``_calibration``, ``_metrics``, ``_compare``: temperature scaling, calibration metrics, the
  one-vs-rest comparison;
* ``_io``: ``save_model`` / ``load_model``, over the estimator and its protocol;
* ``_workflow``: :func:`run_training` (split → fit → calibrate → score), shared by
  ``softmaxlab train`` and the explorer's train tab.

Needs scikit-learn and SciPy (imported when this subpackage is first used).
"""

from ._calibration import TemperatureScaling
from ._compare import ComparisonRow, compare_ovr_softmax
from ._io import FORMAT_VERSION, LoadedModel, ModelFileError, load_model, save_model
from ._loss import BoundLoss, MultinomialLoss
from ._metrics import (
    ReliabilityBins,
    brier_score,
    expected_calibration_error,
    log_loss,
    maximum_calibration_error,
    reliability_bins,
)
from ._regression import SoftmaxRegression, objective
from ._workflow import TrainResult, run_training

__all__ = [
    "FORMAT_VERSION",
    "BoundLoss",
    "ComparisonRow",
    "LoadedModel",
    "ModelFileError",
    "MultinomialLoss",
    "ReliabilityBins",
    "SoftmaxRegression",
    "TemperatureScaling",
    "TrainResult",
    "brier_score",
    "compare_ovr_softmax",
    "expected_calibration_error",
    "load_model",
    "log_loss",
    "maximum_calibration_error",
    "objective",
    "reliability_bins",
    "run_training",
    "save_model",
]
