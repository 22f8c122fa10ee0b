"""Without a Client, fitting a Dask array starts an embedded LocalCluster on demand."""

from __future__ import annotations

import dask.array as da
import distributed
import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from softmaxlab.models import SoftmaxRegression, _dask


@pytest.mark.slow
def test_embedded_cluster_started_on_demand_and_shut_down():
    try:
        distributed.default_client()
    except ValueError:
        pass
    else:  # pragma: no cover - another test left a default client
        pytest.skip("a default Dask client exists in this process")
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    try:
        m = SoftmaxRegression(tol=1e-8, max_iter=1000).fit(da.from_array(X, chunks=50), y)
        assert _dask._embedded is not None
        assert len(_dask._embedded.scheduler_info()["workers"]) == 2
        ref = SoftmaxRegression(tol=1e-8, max_iter=1000).fit(X, y)
        np.testing.assert_allclose(m.predict_proba(X), ref.predict_proba(X), atol=1e-6)
    finally:
        _dask.shutdown_embedded_cluster()
    assert _dask._embedded is None
