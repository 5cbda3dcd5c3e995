"""Solutions to the coding exercises of Chapter 3 (optimization in deep models)."""

import numpy as np


def minibatch_gradient(X, y, w, rows):
    """Gradient of the minibatch mean squared error (1/m) sum (x_i . w - y_i)^2 with respect to w."""
    Xb, yb = X[rows], y[rows]
    return 2.0 / len(rows) * Xb.T @ (Xb @ w - yb)


def standard_error(per_example, m):
    """sigma / sqrt(m), sigma^2 the mean squared distance of the rows from their mean."""
    centred = per_example - per_example.mean(axis=0)
    return np.sqrt(np.mean(np.sum(centred**2, axis=1)) / m)
