"""A multinomial logistic-regression classifier trained with L-BFGS (scipy), no scikit-learn."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import optimize, sparse


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class SoftmaxClassifier:
    """Linear model over sparse features; `predict_proba(X)` gives class probabilities."""

    def __init__(self, l2: float = 1e-3, max_iter: int = 200) -> None:
        self.l2 = l2
        self.max_iter = max_iter
        self.classes: list[str] = []
        self.W = np.zeros((0, 0))
        self.b = np.zeros(0)

    def fit(self, X: sparse.csr_matrix, labels: Sequence[str], weights: Sequence[float] | None = None):
        """Minimise the weighted cross-entropy plus an L2 penalty."""
        self.classes = sorted(set(labels))
        index = {c: i for i, c in enumerate(self.classes)}
        y = np.array([index[label] for label in labels])
        n, d = X.get_shape()
        k = len(self.classes)
        Y = np.zeros((n, k))
        Y[np.arange(n), y] = 1.0
        w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
        w = w / w.sum()
        Xt = X.T.tocsr()

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            W = theta[: d * k].reshape(d, k)
            b = theta[d * k :]
            P = softmax(X @ W + b)
            value = -float(np.sum(w * np.log(P[np.arange(n), y] + 1e-12))) + self.l2 * float(np.sum(W * W))
            G = (P - Y) * w[:, None]
            grad_W = Xt @ G + 2 * self.l2 * W
            return value, np.concatenate([grad_W.ravel(), G.sum(axis=0)])

        result = optimize.minimize(
            loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": self.max_iter}
        )
        self.W = result.x[: d * k].reshape(d, k)
        self.b = result.x[d * k :]
        return self

    def predict_proba(self, X: sparse.csr_matrix) -> np.ndarray:
        """Class probabilities, columns in `self.classes` order."""
        return softmax(X @ self.W + self.b)
