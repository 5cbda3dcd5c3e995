"""Synthetic data sets, each drawn from an explicit ``rng`` (chapters 2, 3, 5 and 8).

Every generator returns features as float64 and class labels as int64, with
rows grouped by class (class 0 first). That order is deliberate: chapter 3
shows what unshuffled minibatches do with sorted data; shuffle with
:class:`~dlnotes.data.DataLoader` or :func:`~dlnotes.data.train_test_split`.
"""

from __future__ import annotations

import numpy as np

from .._validation import _show, as_generator, check_number


def _class_sizes(n_samples: int, n_classes: int) -> np.ndarray:
    """Split ``n_samples`` into ``n_classes`` sizes that differ by at most one (earlier classes larger)."""
    sizes = np.full(n_classes, n_samples // n_classes)
    sizes[: n_samples % n_classes] += 1
    return sizes


def _labels(sizes: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def make_spirals(n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, rng=None):
    """Interleaved spiral arms, one per class: not linearly separable (chapters 1 and 8).

    ``n_samples`` is the total; class sizes differ by at most one. Point
    :math:`i` of class :math:`k` sits at radius :math:`r = t_i` and angle

    .. math:: \\theta = \\frac{2\\pi k}{K} + 4 t_i + \\sigma \\varepsilon_i, \\qquad
              x = r(\\cos\\theta, \\sin\\theta),

    with :math:`t_i` evenly spaced in [0, 1], :math:`K` = ``n_classes``,
    :math:`\\sigma` = ``noise`` (in radians) and :math:`\\varepsilon_i \\sim N(0, 1)`.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64, inside the unit disc
    y : ndarray of shape (n_samples,), int64 in 0..n_classes-1
    """
    n_classes = check_number(n_classes, "n_classes", low=2, integer=True)
    n_samples = check_number(n_samples, "n_samples", low=n_classes, integer=True)
    noise = check_number(noise, "noise", low=0)
    rng = as_generator(rng)
    sizes = _class_sizes(n_samples, n_classes)
    y = _labels(sizes)
    t = np.concatenate([np.linspace(0.0, 1.0, size) for size in sizes])
    theta = 2 * np.pi * y / n_classes + 4.0 * t + noise * rng.standard_normal(n_samples)
    X = t[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return X, y


def make_moons(n_samples: int = 200, noise: float = 0.1, rng=None):
    """Two interleaving half circles (chapter 8).

    ``n_samples`` is the total; class 0 gets the extra point when it is odd.
    With :math:`s` evenly spaced in :math:`[0, \\pi]` and
    :math:`\\varepsilon \\sim N(0, I_2)`:

    .. math:: x^{(0)} = (\\cos s, \\sin s) + \\sigma\\varepsilon, \\qquad
              x^{(1)} = (1 - \\cos s, \\tfrac12 - \\sin s) + \\sigma\\varepsilon,

    :math:`\\sigma` = ``noise``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    y : ndarray of shape (n_samples,), int64 in {0, 1}
    """
    n_samples = check_number(n_samples, "n_samples", low=2, integer=True)
    noise = check_number(noise, "noise", low=0)
    rng = as_generator(rng)
    n_upper, n_lower = _class_sizes(n_samples, 2)
    s_upper = np.linspace(0.0, np.pi, n_upper)
    s_lower = np.linspace(0.0, np.pi, n_lower)
    X = np.concatenate(
        [
            np.column_stack([np.cos(s_upper), np.sin(s_upper)]),
            np.column_stack([1.0 - np.cos(s_lower), 0.5 - np.sin(s_lower)]),
        ]
    )
    X += noise * rng.standard_normal(X.shape)
    return X, _labels(np.array([n_upper, n_lower]))


def make_regression_outliers(
    n_samples: int = 50,
    n_outliers: int = 5,
    outlier_size: float = 10.0,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 0.5,
    rng=None,
):
    """Points on a line with a few outliers, for robust regression losses (chapter 2).

    .. math:: y_i = a x_i + b + \\sigma\\varepsilon_i + s\\,[i \\text{ is an outlier}],

    with :math:`x_i \\sim U(0, 5)`, :math:`\\varepsilon_i \\sim N(0, 1)`,
    :math:`a` = ``slope``, :math:`b` = ``intercept``, :math:`\\sigma` = ``noise``
    and :math:`s` = ``outlier_size``. The outliers are the last ``n_outliers``
    rows (their :math:`x` is as random as the others'), so ``y[-n_outliers:]``
    picks them for a plot. The random draws do not depend on
    ``outlier_size``: with the same ``rng`` seed, changing it moves only the
    outliers, which is what the chapter's slider needs.

    Returns
    -------
    x : ndarray of shape (n_samples, 1), float64 (a one-feature design matrix)
    y : ndarray of shape (n_samples,), float64
    """
    n_samples = check_number(n_samples, "n_samples", low=1, integer=True)
    n_outliers = check_number(n_outliers, "n_outliers", low=0, high=n_samples, integer=True)
    outlier_size = check_number(outlier_size, "outlier_size")
    slope = check_number(slope, "slope")
    intercept = check_number(intercept, "intercept")
    noise = check_number(noise, "noise", low=0)
    rng = as_generator(rng)
    x = rng.uniform(0.0, 5.0, size=(n_samples, 1))
    y = slope * x[:, 0] + intercept + noise * rng.standard_normal(n_samples)
    y[n_samples - n_outliers :] += outlier_size
    return x, y


def make_scaled_cloud(
    n_samples: int = 200,
    mean=(5.0, 300.0),
    std=(1.0, 100.0),
    correlation: float = 0.8,
    noise: float = 0.1,
    rng=None,
):
    """Two correlated features on very different scales, with a linear target (chapter 5).

    With :math:`z_1, e \\sim N(0, 1)` and :math:`\\rho` = ``correlation``,

    .. math:: z_2 = \\rho z_1 + \\sqrt{1 - \\rho^2}\\, e, \\qquad
              X_{:, j} = \\mu_j + s_j z_j, \\qquad
              y = z_1 + \\tfrac12 z_2 + \\sigma\\varepsilon,

    :math:`\\mu` = ``mean``, :math:`s` = ``std``, :math:`\\sigma` = ``noise``.
    The raw cloud is far from the origin and stretched along feature 2, so the
    least-squares loss of a linear model on raw ``X`` has elongated contours.
    Centring (中心化) and standardization (标准化) remove the offset and the
    difference in scale, but not the correlation: after standardization that
    loss's Hessian is twice the correlation matrix, with condition number
    :math:`(1 + |r|)/(1 - |r|)` for the sample correlation :math:`r \\approx \\rho`, so at
    the default :math:`\\rho = 0.8` the contours stay elongated (:math:`r = 0.76` and
    :math:`\\kappa = 7.51` for 200 rows with ``rng=0``); whitening makes them round.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    y : ndarray of shape (n_samples,), float64
    """
    n_samples = check_number(n_samples, "n_samples", low=2, integer=True)
    mean = _pair(mean, "mean")
    std = _pair(std, "std")
    if np.any(std <= 0):
        raise ValueError(f"std must be positive, got {_show(std)}")
    correlation = check_number(correlation, "correlation", low=-1, high=1, low_open=True, high_open=True)
    noise = check_number(noise, "noise", low=0)
    rng = as_generator(rng)
    z1, e, eps = rng.standard_normal((3, n_samples))
    z = np.column_stack([z1, correlation * z1 + np.sqrt(1 - correlation**2) * e])
    return mean + std * z, z[:, 0] + 0.5 * z[:, 1] + noise * eps


def _pair(value, name: str) -> np.ndarray:
    """Two finite real numbers as a float64 array of shape (2,)."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be two real numbers, got {_show(value)}") from exc
    if arr.shape != (2,) or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be two finite numbers, got {_show(value)}")
    return arr
