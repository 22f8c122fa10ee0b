"""Plots render to PNG; the one-vs-rest comparison scores both models on the same split."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss as sk_log_loss
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler

from softmaxlab.models import compare_ovr_softmax
from softmaxlab.plots import (
    confusion_matrix_figure,
    probability_bars,
    reliability_diagram,
    save_figure,
)

PNG = b"\x89PNG\r\n\x1a\n"


def test_figures_save_as_png(tmp_path):
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(3), size=100)
    y = rng.integers(0, 3, size=100)
    q = np.full_like(p, 1 / 3)
    figs = {
        "rel": reliability_diagram(y, p, y_prob_calibrated=q),
        "cm": confusion_matrix_figure(np.array([[3, 1, 0], [0, 2, 0], [1, 0, 4]]), ["a", "b", "c"]),
        "bars": probability_bars(p[0], ["a", "b", "c"], true_label="b"),
    }
    for name, fig in figs.items():
        path = tmp_path / f"{name}.png"
        save_figure(fig, path)
        assert path.read_bytes()[:8] == PNG
    legend = [t.get_text() for t in figs["rel"].axes[0].get_legend().get_texts()]
    assert legend[0] == "perfect calibration"
    assert legend[2].startswith("temperature-scaled (ECE")
    heights = [bar.get_height() for bar in figs["bars"].axes[0].patches]
    np.testing.assert_allclose(heights, p[0])


def test_reliability_diagram_rejects_bad_probabilities():
    with pytest.raises(ValueError, match="y_prob"):
        reliability_diagram([0], [[1.5, -0.5]])


def test_compare_ovr_softmax_matches_direct_fits():
    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    Xtr, ytr, Xte, yte = X[::2], y[::2], X[1::2], y[1::2]
    rows = compare_ovr_softmax(Xtr, ytr, Xte, yte, C=0.5)
    assert [r.name for r in rows] == ["one-vs-rest", "softmax"]
    ovr = OneVsRestClassifier(LogisticRegression(C=0.5, max_iter=1000, tol=1e-6)).fit(Xtr, ytr)
    assert rows[0].log_loss == pytest.approx(sk_log_loss(yte, ovr.predict_proba(Xte)), rel=1e-9)
    assert rows[0].accuracy == pytest.approx(ovr.score(Xte, yte))
    softmax_ref = LogisticRegression(C=0.5, max_iter=1000, tol=1e-10).fit(Xtr, ytr)
    assert rows[1].log_loss == pytest.approx(
        sk_log_loss(yte, softmax_ref.predict_proba(Xte)), rel=1e-4
    )
    assert rows[0].n_parameters == rows[1].n_parameters == 3 * 14
    assert all(r.fit_seconds > 0 for r in rows)
