"""The one home of the bundled data sets, against scikit-learn's own loaders."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn import datasets

from softmaxlab import SoftmaxLabError, _datasets


@pytest.mark.parametrize("name", ["digits", "iris", "wine"])
def test_load_is_scikit_learns_data(name: str) -> None:
    bunch = getattr(datasets, f"load_{name}")()
    data = _datasets.load(name)
    np.testing.assert_array_equal(data.X, bunch.data)
    assert data.X.dtype == np.float64
    np.testing.assert_array_equal(data.y, bunch.target)
    assert data.class_names == [str(n) for n in bunch.target_names]
    assert data.feature_names == [str(n) for n in bunch.feature_names]
    np.testing.assert_array_equal(data.labels, np.asarray(bunch.target_names)[bunch.target])
    assert data.labels.dtype == np.asarray(bunch.target_names).dtype  # ints stay ints (digits)
    assert name in data.description


def test_each_load_is_a_fresh_copy() -> None:
    first = _datasets.load("iris")
    first.X[0, 0] = -1.0
    assert _datasets.load("iris").X[0, 0] == datasets.load_iris().data[0, 0]


@pytest.mark.parametrize("bad", ["mnist", "Iris", "", None, 3, ["iris"]])
def test_an_unknown_name_is_refused_with_its_fields(bad: object) -> None:
    with pytest.raises(SoftmaxLabError) as info:
        _datasets.load(bad, func="softmaxlab train")
    err = info.value
    assert err.parameter == "dataset" and err.function == "softmaxlab train"
    assert err.allowed == "one of 'digits', 'iris', 'wine'"
    assert err.value == repr(bad)


def test_names_do_not_import_scikit_learn() -> None:
    code = (
        "import sys, softmaxlab._datasets as d; "
        "print(d.NAMES, any(m == 'sklearn' or m.startswith('sklearn.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "('digits', 'iris', 'wine') False"
