"""scikit-learn's common estimator checks on SoftmaxRegression (every solver)."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from softmaxlab.models import SoftmaxRegression


@parametrize_with_checks(
    [
        SoftmaxRegression(),
        # Weighted and repeated fits agree to rtol 1e-7 only near the optimum: at tol=1e-4
        # newton-cg stops a few 1e-6 away (in probabilities), where lbfgs happens not to.
        SoftmaxRegression(solver="newton-cg", tol=1e-8),
        SoftmaxRegression(solver="trust-ncg"),
        SoftmaxRegression(solver="adam", max_iter=50, random_state=0),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
