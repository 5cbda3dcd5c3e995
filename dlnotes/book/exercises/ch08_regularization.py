"""Checkers for the exercises of Chapter 8, preventing overfitting (防止过拟合).

- :func:`check_dropout_forward`: inverted dropout in training and in evaluation mode;
- :func:`check_ridge_gradient`: the gradient of the mean squared error plus an L2 penalty on the
  weights (not on the bias).

References are the library's own: ``dlnotes.nn.Dropout``, and ``dlnotes.nn.Linear`` with
``dlnotes.losses.MSELoss`` (forward and backward) plus the penalty's gradient.
"""

from __future__ import annotations

import numpy as np

from ...losses import MSELoss
from ...nn import Dropout, Linear, no_grad
from ..experiments.ch03_optimization import flat_gradient
from . import Verdict, check_function, quietly


def dropout_forward(x, p, rng, training) -> np.ndarray:
    """Reference: inverted dropout, as ``dlnotes.nn.Dropout(p, rng=rng)`` computes it (Chapter 8).

    .. math:: \\tilde h = \\frac{\\zeta \\odot h}{1 - p_\\text{drop}}, \\quad \\zeta_j = [v_j \\ge p_\\text{drop}], \\ v_j \\sim \\mathcal U(0, 1) \\text{ drawn as }
              \\texttt{rng.random(x.shape)} \\quad \\text{(training)}; \\qquad \\tilde h = h \\quad \\text{(evaluation)},

    with :math:`h` = ``x`` and :math:`p_\\text{drop}` = ``p``.
    """
    layer = Dropout(p, rng=rng)
    layer.train(training)
    with no_grad():
        return layer(x)


def _dropout_cases():
    rng = np.random.default_rng(8)
    cases = []
    for shape, p, training in (((4, 5), 0.2, True), ((3, 6), 0.7, True), ((50, 8), 0.9, True),
                               ((2, 3), 0.0, True), ((3, 4), 0.5, False), ((6, 6), 0.3, True)):
        cases.append((rng.normal(size=shape), p, int(rng.integers(1000)), training))
    return cases


def check_dropout_forward(fn) -> Verdict:
    """Check ``fn(x, p, rng, training)``: inverted dropout, with the mask drawn as ``rng.random(x.shape) >= p`` (Chapter 8).

    Each case gives a seed; ``fn`` and ``nn.Dropout`` each receive a fresh
    ``np.random.default_rng(seed)``, so a right answer draws the same mask.
    The cases have drop probabilities other than 1/2 (where :math:`1/(1-p)`
    and :math:`1/p` agree) and one in evaluation mode. The message shows the
    seed in the place of ``rng``. An answer whose kept entries are scaled
    right (:math:`x / (1 - p)`) but whose mask differs is told to draw the
    mask as prescribed.
    """
    cases = _dropout_cases()
    for x, p, seed, training in cases:
        if not training or p == 0:
            continue
        try:
            got = np.asarray(quietly(fn)(x, p, np.random.default_rng(seed), training), dtype=float)
        except Exception:  # noqa: BLE001 - check_function below reports the error for its input
            break
        expected = dropout_forward(x, p, np.random.default_rng(seed), training)
        kept = got != 0
        if got.shape == x.shape and not np.allclose(got, expected) and np.allclose(got[kept], x[kept] / (1 - p)):
            verdict = Verdict(False, (
                f"Not yet: dropout_forward(x of shape {x.shape}, p={p}, rng=default_rng({seed}), training=True) "
                "scales the kept entries right (x / (1 - p)) but keeps other entries than nn.Dropout: draw the mask "
                "as keep = rng.random(x.shape) >= p, one call on the generator you are given, with nothing drawn "
                "before it (not rng.random(...) < p, not rng.binomial, not a new generator)."))
            print(verdict.message)
            return verdict

    def with_rng(function):
        def run(x, p, seed, training):
            return function(x, p, np.random.default_rng(seed), training)

        return run

    return check_function(with_rng(fn), with_rng(dropout_forward), cases, name="dropout_forward")


def ridge_gradient(X, y, theta, lam) -> np.ndarray:
    """Reference: the gradient of the mean squared error plus an L2 penalty on the weights, not the bias (Chapter 8).

    ``theta`` holds the weights :math:`w_1, \\dots, w_d` and, last, the bias :math:`b`:

    .. math:: \\tilde J(w, b) = \\frac1n \\sum_{i=1}^{n} (x^{(i)} w + b - y^{(i)})^2 + \\frac{\\lambda}{2} \\lVert w \\rVert_2^2,
              \\qquad \\nabla_w \\tilde J = -\\frac2n X^\\top r + \\lambda w, \\qquad
              \\frac{\\partial \\tilde J}{\\partial b} = -\\frac2n \\sum_i r_i,

    with the residual :math:`r = y - (Xw + b)` (Chapter 2); the loss part comes from ``dlnotes.nn.Linear`` and ``MSELoss``
    forward and backward, in the same order (weights, then bias).
    """
    theta = np.asarray(theta, dtype=float)
    layer = Linear(X.shape[1], 1)
    layer.W.data[:, 0] = theta[:-1]
    layer.b.data[0] = theta[-1]
    penalty = np.append(lam * theta[:-1], 0.0)
    return flat_gradient(layer, MSELoss(), X, np.asarray(y, dtype=float)[:, None]) + penalty


def check_ridge_gradient(fn) -> Verdict:
    """Check ``fn(X, y, theta, lam)``: the gradient of the mean squared error plus :math:`\\frac{\\lambda}{2}\\lVert w\\rVert_2^2` (Chapter 8).

    ``theta`` is ``(w_1, ..., w_d, b)``; the bias ``b`` (the last entry) is
    not penalized. The cases include a bias far from 0 (so a penalized bias
    shows) and :math:`\\lambda = 0`.
    """
    rng = np.random.default_rng(9)
    cases = []
    for n, d, lam, b in ((5, 1, 0.1, 2.0), (10, 3, 0.5, -1.5), (40, 4, 0.0, 0.3), (30, 2, 2.0, 5.0)):
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=d) + 0.1 * rng.normal(size=n)
        cases.append((X, y, np.append(rng.normal(size=d), b), lam))
    return check_function(fn, ridge_gradient, cases, name="ridge_gradient")
