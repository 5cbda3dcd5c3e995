"""Checkers for the exercises of Chapter 3, optimization in deep models.

- :func:`check_minibatch_gradient`: the minibatch gradient of the mean squared error of a linear model;
- :func:`check_standard_error`: the standard error :math:`\\sigma_g/\\sqrt m` of a minibatch gradient.

References are the library's own: ``dlnotes.nn.Linear`` with ``dlnotes.losses.MSELoss``
(forward and backward) and ``dlnotes.book.experiments.ch03_optimization.standard_error``.
"""

from __future__ import annotations

import numpy as np

from ..experiments.ch03_optimization import flat_gradient, standard_error
from ...losses import MSELoss
from ...nn import Linear
from . import Verdict, check_function


def minibatch_gradient(X, y, w, rows) -> np.ndarray:
    """Reference: the gradient of :math:`J_B(w) = \\frac1m \\sum_{i \\in B} (x^{(i)} w - y^{(i)})^2` (Chapter 3).

    .. math:: \\nabla_w J_B = \\frac{2}{m} \\sum_{i \\in B} (x^{(i)} w - y^{(i)})\\, x^{(i)},

    with :math:`x^{(i)}` the row ``X[i]``, :math:`y^{(i)}` = ``y[i]`` and :math:`B` the rows ``rows``,
    computed by ``dlnotes.nn.Linear`` (no bias, ``W = w``) and ``MSELoss`` forward and backward
    on the rows ``rows`` of ``X`` and ``y``.
    """
    layer = Linear(X.shape[1], 1, bias=False)
    layer.W.data[:, 0] = w
    return flat_gradient(layer, MSELoss(), X[rows], y[rows][:, None])


def _regression_cases():
    rng = np.random.default_rng(3)
    cases = []
    for n, d, m in ((6, 1, 1), (10, 2, 3), (50, 3, 10), (40, 4, 40)):
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=d) + 0.1 * rng.normal(size=n)
        cases.append((X, y, rng.normal(size=d), rng.choice(n, size=m, replace=False)))
    return cases


def check_minibatch_gradient(fn) -> Verdict:
    """Check ``fn(X, y, w, rows)``: the gradient of the minibatch mean squared error (Chapter 3).

    .. math:: \\nabla_w J_B(w) = \\nabla_w \\frac{1}{m} \\sum_{i \\in B} (x^{(i)} w - y^{(i)})^2
              = \\frac{2}{m} \\sum_{i \\in B} (x^{(i)} w - y^{(i)})\\, x^{(i)}, \\qquad m = \\text{len(rows)},

    with :math:`x^{(i)}` the row ``X[i]``, :math:`y^{(i)}` = ``y[i]`` and :math:`B` the rows ``rows``.

    Prints and returns a verdict naming the first input where ``fn`` is wrong.
    """
    return check_function(fn, minibatch_gradient, _regression_cases(), name="minibatch_gradient")


def check_standard_error(fn) -> Verdict:
    """Check ``fn(per_example, m)``: the standard error of the mean of ``m`` rows (Chapter 3).

    .. math:: \\frac{\\sigma_g}{\\sqrt m}, \\qquad
              \\sigma_g^2 = \\frac1n \\sum_{i=1}^n \\lVert g_i - \\bar g \\rVert^2

    for the rows :math:`g_i` of ``per_example`` (shape ``(n, n_params)``: one row per example, one
    column per parameter) and their mean :math:`\\bar g`.
    """
    rng = np.random.default_rng(4)
    cases = [
        (np.array([[1.0], [-1.0]]), 1),
        (np.array([[2.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), 4),
        (rng.normal(size=(20, 3)), 16),
        (rng.normal(loc=5.0, size=(100, 5)), 10),
    ]
    return check_function(fn, standard_error, cases, name="standard_error")
