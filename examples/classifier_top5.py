"""An image classifier's top-5: softmax of the logits of a digits classifier, then top_k.

Uses scikit-learn's bundled 8x8 digits (no download). Run: python examples/classifier_top5.py
"""

from __future__ import annotations

from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from softmaxlab import softmax
from softmaxlab.sampling import entropy, top_k

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X / 16.0, y, test_size=0.3, random_state=0)
clf = LogisticRegression(C=0.05, max_iter=2000).fit(X_train, y_train)

logits = clf.decision_function(X_test)  # one row of 10 class scores per image
probs = softmax(logits)
values, indices = top_k(probs, 5)

for i in range(3):
    ranked = ", ".join(f"{c}: {p:.3f}" for c, p in zip(indices[i], values[i], strict=True))
    print(f"image {i} (true {y_test[i]}): top-5 {ranked}")

top1 = (indices[:, 0] == y_test).mean()
top5 = (indices == y_test[:, None]).any(axis=1).mean()
print(f"top-1 accuracy {top1:.3f}, top-5 accuracy {top5:.3f}")
h = entropy(logits)
right = indices[:, 0] == y_test
print(f"mean entropy: {h[right].mean():.3f} nats when right, {h[~right].mean():.3f} when wrong")
