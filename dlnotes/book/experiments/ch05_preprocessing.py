"""Measurements for Chapter 5, data preprocessing (数据预处理).

- :func:`hessian` and :func:`condition_number`: the curvature of the mean squared
  error of a linear model, which depends only on the features;
- :func:`gradient_descent`: full-batch gradient descent on that loss, counted
  in steps until the excess loss has fallen by a factor ``tol``, and
  :func:`steps_to_converge`, the count that theory predicts;
- :func:`scale_ratio_sweep`: the same regression with one feature stretched by a
  factor :math:`\\sigma_2/\\sigma_1`, on raw (centred) and on standardized features;
- :func:`correlation_runs`: standardized features with growing correlation, and
  the same after PCA whitening (:func:`pca_whiten`);
- :func:`batch_statistics`: a model evaluated with the training set's statistics,
  with statistics that include the test set, and with each test batch's own.

The scaling itself is ``dlnotes.preprocessing``'s; no matplotlib here.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..._validation import as_float_array, check_number
from ...data import make_scaled_cloud
from ...preprocessing import StandardScaler

#: Gradient descent stops once :math:`J(w^{(t)}) - J^* \le` ``TOLERANCE`` :math:`\cdot (J(w^{(0)}) - J^*)`.
TOLERANCE = 1e-6


def _as_regression(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if len(y) != len(X):
        raise ValueError(f"y must have one value per row of X ({len(X)}), got {len(y)}")
    return X, y


def _as_square(H) -> np.ndarray:
    H = as_float_array(H, "H", ndim=2)
    if H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix, got shape {H.shape}")
    return H


def hessian(X, bias: bool = False) -> np.ndarray:
    """Hessian of the mean squared error of a linear model, :math:`H = \\frac2n X^\\top X` (Chapter 5).

    .. math:: J(w) = \\frac1n \\sum_{i=1}^{n} \\big(x^{(i)} w - y^{(i)}\\big)^2, \\qquad
              \\nabla J(w) = H w - \\frac2n X^\\top y, \\qquad H = \\frac2n X^\\top X .

    :math:`J` is a quadratic in :math:`w`, so :math:`H` is its exact, constant
    curvature and does not depend on the targets. With ``bias=True`` a column
    of ones is appended to ``X`` (the bias :math:`b` as a last weight).
    """
    X = as_float_array(X, "X", ndim=2)
    if bias:
        X = np.column_stack([X, np.ones(len(X), dtype=X.dtype)])
    return 2.0 / len(X) * (X.T @ X)


def condition_number(H) -> float:
    """:math:`\\kappa = \\lambda_\\text{max}/\\lambda_\\text{min}` of a symmetric positive-definite matrix (Chapter 5).

    ``inf`` when the smallest eigenvalue is not positive (a flat direction).
    """
    eigenvalues = np.linalg.eigvalsh(_as_square(H))
    return float(eigenvalues[-1] / eigenvalues[0]) if eigenvalues[0] > 0 else math.inf


def best_learning_rate(H) -> float:
    """The fastest constant learning rate of gradient descent on a quadratic, :math:`\\epsilon^* = 2/(\\lambda_\\text{min} + \\lambda_\\text{max})` (Chapter 5).

    With it every eigen-direction of the error shrinks at least by the factor
    :math:`(\\kappa - 1)/(\\kappa + 1)` per step, the smallest worst-case factor a constant rate can reach.
    """
    eigenvalues = np.linalg.eigvalsh(_as_square(H))
    if eigenvalues[0] <= 0:
        raise ValueError(f"H must be positive definite, got eigenvalues {eigenvalues}")
    return float(2.0 / (eigenvalues[0] + eigenvalues[-1]))


def steps_to_converge(kappa: float, tol: float = TOLERANCE) -> int:
    """Steps until :math:`J - J^*` falls below ``tol`` times its start, at the rate :math:`\\epsilon^*` (Chapter 5).

    Each step multiplies every component of :math:`w - w_\\text{opt}` along an eigenvector of
    :math:`H` by at most :math:`\\rho = (\\kappa - 1)/(\\kappa + 1)` in size, and the
    excess loss, a quadratic in :math:`w - w_\\text{opt}`, by at most :math:`\\rho^2`, so

    .. math:: t = \\left\\lceil \\frac{\\ln(1/\\text{tol})}{2 \\ln\\big((\\kappa + 1)/(\\kappa - 1)\\big)} \\right\\rceil
              \\approx \\frac{\\kappa}{4} \\ln\\frac{1}{\\text{tol}} \\quad \\text{for large } \\kappa,

    since :math:`\\ln\\big((\\kappa + 1)/(\\kappa - 1)\\big) = 2/\\kappa + O(\\kappa^{-3})`:
    :math:`3.45\\,\\kappa` steps for ``tol`` :math:`= 10^{-6}`; near :math:`\\kappa = 1` the approximation overshoots.

    In two dimensions both components shrink by exactly :math:`\\rho`, so the bound
    is the count itself. :math:`\\kappa = 1` takes one step.
    """
    kappa = check_number(kappa, "kappa", low=1)
    tol = check_number(tol, "tol", low=0, high=1, low_open=True, high_open=True)
    if kappa == 1:
        return 1
    return max(1, math.ceil(math.log(1 / tol) / (2 * math.log((kappa + 1) / (kappa - 1)))))


class Descent(NamedTuple):
    """One gradient-descent run on the mean squared error (Chapter 5)."""

    path: np.ndarray  #: the weights :math:`w^{(0)}, w^{(1)}, \dots`, shape (steps + 1, d)
    excess: np.ndarray  #: :math:`J(w^{(t)}) - J^*` along the path
    steps: int | None  #: first :math:`t` with excess below ``tol`` times the start; None if never
    lr: float  #: the learning rate :math:`\epsilon`
    kappa: float  #: the condition number of :math:`H`
    w_star: np.ndarray  #: the minimizer :math:`w_\text{opt} = (X^\top X)^{-1} X^\top y`
    H: np.ndarray  #: the Hessian :math:`\frac2n X^\top X`


def gradient_descent(X, y, *, lr: float | None = None, start=None, tol: float = TOLERANCE,
                     max_steps: int = 100_000) -> Descent:
    """Full-batch gradient descent on :math:`J(w) = \\frac1n \\lVert X w - y \\rVert^2`, no bias (Chapter 5).

    .. math:: w^{(t+1)} = w^{(t)} - \\epsilon \\nabla J(w^{(t)}) = w^{(t)} - \\epsilon \\tfrac2n X^\\top (X w^{(t)} - y),

    from ``start`` (zeros: the model that predicts 0) until
    :math:`J(w^{(t)}) - J^* \\le \\text{tol}\\,(J(w^{(0)}) - J^*)`, for at most ``max_steps``
    steps, or until the excess exceeds :math:`10^{6}` times its start (a diverging
    run, :math:`\\epsilon \\ge 2/\\lambda_\\text{max}`). The learning rate is
    :func:`best_learning_rate` unless given. The excess is
    :math:`\\tfrac12 (w - w_\\text{opt})^\\top H (w - w_\\text{opt})`, exact for a quadratic.
    """
    X, y = _as_regression(X, y)
    tol = check_number(tol, "tol", low=0, high=1, low_open=True, high_open=True)
    max_steps = check_number(max_steps, "max_steps", low=1, integer=True)
    H = hessian(X)
    kappa = condition_number(H)
    if not math.isfinite(kappa):
        raise ValueError(f"X must have linearly independent columns (X^T X invertible), got condition number {kappa}")
    lr = best_learning_rate(H) if lr is None else check_number(lr, "lr", low=0, low_open=True)
    linear = 2.0 / len(X) * (X.T @ y)
    w_star = np.linalg.solve(H, linear)
    w = np.zeros(X.shape[1]) if start is None else as_float_array(start, "start", ndim=1).astype(float)
    if w.shape != w_star.shape:
        raise ValueError(f"start must have {len(w_star)} entries (one per feature), got shape {w.shape}")

    def excess_at(point):
        e = point - w_star
        return 0.5 * float(e @ H @ e)

    path, excess = [w.copy()], [excess_at(w)]
    target, blow_up = tol * excess[0], 1e6 * max(excess[0], 1e-300)
    steps = 0 if excess[0] <= target else None
    for t in range(1, max_steps + 1):
        if steps is not None:
            break
        w = w - lr * (H @ w - linear)
        path.append(w)
        excess.append(excess_at(w))
        if excess[-1] <= target:
            steps = t
        elif not excess[-1] <= blow_up:
            break
    return Descent(np.array(path), np.array(excess), steps, float(lr), kappa, w_star, H)


def stretched_cloud(ratio: float, n_samples: int = 200, rng=0) -> tuple[np.ndarray, np.ndarray]:
    """Two centred, uncorrelated features, the second stretched by ``ratio`` = :math:`\\sigma_2/\\sigma_1` (Chapter 5).

    ``make_scaled_cloud(mean=(0, 0), std=(1, ratio), correlation=0)``: the same
    draws for every ratio when ``rng`` is the same seed, so only the scale
    changes; the columns are then centred exactly (``StandardScaler(with_std=False)``).
    The target :math:`y = z_1 + \\tfrac12 z_2 + 0.1\\varepsilon` does not change with ``ratio``.
    """
    ratio = check_number(ratio, "ratio", low=0, low_open=True)
    X, y = make_scaled_cloud(n_samples, mean=(0.0, 0.0), std=(1.0, ratio), correlation=0.0, rng=rng)
    return StandardScaler(with_std=False).fit_transform(X), y


class ScaleRatioSweep(NamedTuple):
    """Gradient descent on raw and on standardized features for a grid of scale ratios (Chapter 5)."""

    ratios: np.ndarray  #: the ratios :math:`\sigma_2/\sigma_1`
    raw: list  #: a :class:`Descent` on the centred raw features per ratio
    standardized: list  #: a :class:`Descent` on the standardized features per ratio
    kappa_raw: np.ndarray  #: condition numbers of the raw runs
    kappa_standardized: np.ndarray  #: condition numbers of the standardized runs
    steps_raw: np.ndarray  #: steps to converge of the raw runs
    steps_standardized: np.ndarray  #: steps to converge of the standardized runs


def scale_ratio_sweep(ratios, *, n_samples: int = 200, tol: float = TOLERANCE, rng=0) -> ScaleRatioSweep:
    """Gradient descent on raw and on standardized features for each scale ratio :math:`\\sigma_2/\\sigma_1` (Chapter 5).

    For each ratio the data of :func:`stretched_cloud` (same seed ``rng``) are
    fitted twice by :func:`gradient_descent` at its best learning rate, both
    from :math:`w^{(0)} = 0`: once on the centred raw features, once after
    ``StandardScaler``. Standardizing removes the ratio exactly, so the second
    run is the same for every ratio.

    Returns a :class:`ScaleRatioSweep`.
    """
    ratios = np.array([check_number(r, "ratios", low=0, low_open=True) for r in ratios], dtype=float)
    raw, standardized = [], []
    for ratio in ratios:
        X, y = stretched_cloud(ratio, n_samples, rng=rng)
        raw.append(gradient_descent(X, y, tol=tol))
        standardized.append(gradient_descent(StandardScaler().fit_transform(X), y, tol=tol))
    return ScaleRatioSweep(ratios, raw, standardized, np.array([r.kappa for r in raw]),
                           np.array([r.kappa for r in standardized]), np.array([r.steps for r in raw]),
                           np.array([r.steps for r in standardized]))


def pca_whiten(X_train, X=None) -> np.ndarray:
    """PCA whitening (白化) fitted on ``X_train``: centred, rotated onto the principal axes, each scaled to variance 1 (Chapter 5).

    .. math:: x'' = (x - \\mu) V \\Lambda^{-1/2}, \\qquad
              \\Sigma = \\frac1n \\sum_i (x^{(i)} - \\mu)(x^{(i)} - \\mu)^\\top = V \\Lambda V^\\top,

    so the whitened training features have covariance :math:`I` and the Hessian of
    the mean squared error is :math:`2I` (:math:`\\kappa = 1`). Transforms ``X``
    (by default ``X_train`` itself) with the training set's :math:`\\mu, V, \\Lambda`.
    """
    X_train = as_float_array(X_train, "X_train", ndim=2)
    X = X_train if X is None else as_float_array(X, "X", ndim=2)
    if X.shape[1] != X_train.shape[1]:
        raise ValueError(f"X must have {X_train.shape[1]} columns as X_train, got shape {X.shape}")
    mean = X_train.mean(axis=0)
    variances, axes = np.linalg.eigh(np.cov(X_train - mean, rowvar=False, ddof=0))
    if variances[0] <= 0:
        raise ValueError("X_train must have linearly independent columns to be whitened (a variance along one axis is 0)")
    return (X - mean) @ axes / np.sqrt(variances)


class CorrelationRuns(NamedTuple):
    """Gradient descent on standardized features of growing correlation, and on whitened ones (Chapter 5)."""

    correlations: np.ndarray  #: the correlations asked for
    sample_correlations: np.ndarray  #: the measured sample correlations :math:`\operatorname{corr}`
    standardized: list  #: a :class:`Descent` on the standardized features per correlation
    kappa: np.ndarray  #: their measured condition numbers
    kappa_formula: np.ndarray  #: :math:`(1 + |\operatorname{corr}|)/(1 - |\operatorname{corr}|)`
    steps: np.ndarray  #: their steps to converge
    whitened: Descent  #: the last cloud after :func:`pca_whiten`


def correlation_runs(correlations, *, n_samples: int = 200, tol: float = TOLERANCE, rng=0) -> CorrelationRuns:
    """Gradient descent on standardized features of growing correlation, and on whitened ones (Chapter 5).

    For each correlation the default cloud of ``make_scaled_cloud`` (feature
    scales 1 and 100) is drawn with that correlation (same seed ``rng``),
    standardized with ``StandardScaler`` and fitted by :func:`gradient_descent`.
    After standardization :math:`H = 2\\Sigma'` with :math:`\\Sigma'` the correlation matrix
    of the features, whose eigenvalues are :math:`1 \\pm \\operatorname{corr}` for the sample
    correlation :math:`\\operatorname{corr}`, so :math:`\\kappa = (1 + |\\operatorname{corr}|)/(1 - |\\operatorname{corr}|)` whatever
    the scales were. The last cloud is also whitened (:func:`pca_whiten`).

    Returns a :class:`CorrelationRuns`.
    """
    correlations = np.array([check_number(c, "correlations", low=-1, high=1, low_open=True, high_open=True)
                             for c in correlations], dtype=float)
    runs, sample = [], []
    for correlation in correlations:
        X, y = make_scaled_cloud(n_samples, correlation=correlation, rng=rng)
        runs.append(gradient_descent(StandardScaler().fit_transform(X), y, tol=tol))
        sample.append(float(np.corrcoef(X, rowvar=False)[0, 1]))
    sample = np.array(sample)
    return CorrelationRuns(correlations, sample, runs, np.array([r.kappa for r in runs]),
                           (1 + np.abs(sample)) / (1 - np.abs(sample)), np.array([r.steps for r in runs]),
                           gradient_descent(pca_whiten(X), y, tol=tol))


def least_squares(X, y) -> tuple[np.ndarray, float]:
    """The minimizer :math:`(w_\\text{opt}, b_\\text{opt})` of :math:`\\frac1n \\sum_i (x^{(i)} w + b - y^{(i)})^2` (Chapter 5).

    Solved directly (``numpy.linalg.lstsq`` on ``X`` with a column of ones), the
    point gradient descent converges to.
    """
    X, y = _as_regression(X, y)
    coefficients = np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), y, rcond=None)[0]
    return coefficients[:-1], float(coefficients[-1])


def _mse(w, b, X, y) -> float:
    return float(np.mean((X @ w + b - y) ** 2))


class BatchStatistics(NamedTuple):
    """Test mean squared errors of one model under three ways of taking the scaling statistics (Chapter 5)."""

    batch_sizes: np.ndarray  #: the numbers :math:`m` of test rows standardized together
    training: float  #: with the training set's statistics (right)
    pooled: float  #: with the statistics of training and test set together
    batch: np.ndarray  #: with each batch of :math:`m` test rows standardized by its own statistics


def batch_statistics(X_train, y_train, X_test, y_test, batch_sizes) -> BatchStatistics:
    """Test error of a least-squares model under three ways of taking the scaling statistics (Chapter 5).

    The model :math:`(w, b)` = :func:`least_squares` is fitted on the
    standardized training set. Its test mean squared error is measured

    - ``training``: with the training set's :math:`\\mu_j, \\sigma_j` on the test set (right);
    - ``pooled``: with :math:`\\mu_j, \\sigma_j` of training and test set together, on
      both (the model refitted on the training rows so transformed);
    - ``batch``: with each batch of ``m`` consecutive test rows standardized by
      its own :math:`\\mu_j, \\sigma_j` (``StandardScaler().fit_transform(batch)``),
      for each ``m`` in ``batch_sizes``; a batch of one becomes all zeros.

    Returns a :class:`BatchStatistics`.
    """
    X_train, y_train = _as_regression(X_train, y_train)
    X_test, y_test = _as_regression(X_test, y_test)
    n = len(X_test)
    sizes = np.array([check_number(m, "batch_sizes", low=1, high=n, integer=True) for m in batch_sizes])
    scaler = StandardScaler().fit(X_train)
    w, b = least_squares(scaler.transform(X_train), y_train)
    pooled = StandardScaler().fit(np.vstack([X_train, X_test]))
    w_pooled, b_pooled = least_squares(pooled.transform(X_train), y_train)
    batch = []
    for m in sizes:
        squared = [(StandardScaler().fit_transform(X_test[k : k + m]) @ w + b - y_test[k : k + m]) ** 2
                   for k in range(0, n, m)]
        batch.append(float(np.mean(np.concatenate(squared))))
    return BatchStatistics(sizes, _mse(w, b, scaler.transform(X_test), y_test),
                           _mse(w_pooled, b_pooled, pooled.transform(X_test), y_test), np.array(batch))
