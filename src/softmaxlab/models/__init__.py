"""Softmax regression, temperature scaling, calibration metrics and safe model files.

Needs scikit-learn and SciPy (imported when this subpackage is first used).
"""

from ._calibration import TemperatureScaling
from ._compare import ComparisonRow, compare_ovr_softmax
from ._io import FORMAT_VERSION, LoadedModel, ModelFileError, load_model, save_model
from ._loss import MultinomialLoss
from ._metrics import (
    ReliabilityBins,
    brier_score,
    expected_calibration_error,
    log_loss,
    maximum_calibration_error,
    reliability_bins,
)
from ._regression import SoftmaxRegression, objective

__all__ = [
    "FORMAT_VERSION",
    "ComparisonRow",
    "LoadedModel",
    "ModelFileError",
    "MultinomialLoss",
    "ReliabilityBins",
    "SoftmaxRegression",
    "TemperatureScaling",
    "brier_score",
    "compare_ovr_softmax",
    "expected_calibration_error",
    "load_model",
    "log_loss",
    "maximum_calibration_error",
    "objective",
    "reliability_bins",
    "save_model",
]
