"""Checkers for the exercises of Chapter 5, data preprocessing.

- :func:`check_standardize`: standardization with the training set's mean and
  population standard deviation, applied to the training and the test set;
- :func:`check_minmax_scale`: min-max scaling of both sets to :math:`[-1, 1]`
  with the training set's minimum and maximum.

The references are ``dlnotes.preprocessing.StandardScaler`` and ``MinMaxScaler``,
fitted on the training set only. The inputs are chosen so that the usual slips
give different numbers: a test set whose statistics differ from the training
set's, a training set small enough that ``ddof=1`` shows, a constant feature
(one of them ``[0.1, 0.1, 0.1]``, whose computed standard deviation is
:math:`1.4 \\cdot 10^{-17}` rather than 0), and test values outside the
training range. The two scaled sets may come back as a tuple or a list.
"""

from __future__ import annotations

import numpy as np

from ...preprocessing import MinMaxScaler, StandardScaler
from . import Verdict, check_function


def standardize(X_train, X_test) -> tuple[np.ndarray, np.ndarray]:
    """Reference: both sets standardized with the training set's statistics (Chapter 5).

    .. math:: x'_j = \\frac{x_j - \\mu_j}{\\sigma_j}, \\qquad
              \\mu_j = \\frac1n \\sum_{i=1}^{n} x^{(i)}_j, \\qquad
              \\sigma_j = \\sqrt{\\frac1n \\sum_{i=1}^{n} \\big(x^{(i)}_j - \\mu_j\\big)^2},

    sums over the :math:`n` training rows, with :math:`\\sigma_j` replaced by 1
    for a constant feature, which therefore maps to exactly 0 on the training
    rows. ``StandardScaler().fit(X_train)`` transforms both; it tests constancy
    exactly (:math:`\\max_j = \\min_j`), since a computed :math:`\\sigma_j` of a
    constant column can come out as a tiny non-zero (``np.std([0.1, 0.1, 0.1])``
    is :math:`1.4 \\cdot 10^{-17}`).
    """
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test)


def minmax_scale(X_train, X_test) -> tuple[np.ndarray, np.ndarray]:
    """Reference: both sets mapped with the training set's range onto :math:`[-1, 1]` (Chapter 5).

    .. math:: x'_j = -1 + 2\\, \\frac{x_j - \\min_j}{\\max_j - \\min_j},

    :math:`\\min_j, \\max_j` over the training rows; test values outside that
    range land outside :math:`[-1, 1]`. ``MinMaxScaler().fit(X_train)`` transforms both.
    """
    scaler = MinMaxScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test)


def _standardize_cases():
    """Training and test sets of equal size (the shared ``quietly`` turns a result into one array)."""
    rng = np.random.default_rng(5)
    small = (np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [6.0, 60.0]]),
             np.array([[0.0, 100.0], [4.0, 40.0], [1.0, 10.0], [10.0, -20.0]]))
    constant = (np.array([[2.0, 0.0], [2.0, 1.0], [2.0, 5.0], [2.0, -2.0]]),
                np.array([[3.0, 1.0], [2.0, 2.0], [2.0, 0.0], [0.0, 7.0]]))
    # a constant column whose computed std is 1.4e-17, not 0 (0.1 has no exact binary form)
    tenths = (np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 4.0]]), np.array([[0.1, 3.0], [0.3, 0.0], [0.0, 2.0]]))
    cloud = rng.normal(loc=[5.0, 300.0], scale=[1.0, 100.0], size=(20, 2))
    shifted = rng.normal(loc=[6.0, 250.0], scale=[2.0, 50.0], size=(20, 2))
    wide = (rng.normal(size=(8, 4)) * [1.0, 10.0, 0.1, 3.0], rng.normal(loc=1.0, size=(8, 4)))
    return [small, constant, tenths, (cloud, shifted), wide]


def check_standardize(fn) -> Verdict:
    """Check ``fn(X_train, X_test)``, which returns both sets standardized with the training statistics (Chapter 5).

    .. math:: x'_j = (x_j - \\mu_j) / \\sigma_j \\quad\\text{per feature}, \\qquad
              \\mu_j, \\sigma_j \\text{ from } X_\\text{train}, \\ \\sigma_j \\text{ with } \\tfrac1n \\ (\\texttt{ddof=0}),
              \\ \\sigma_j = 1 \\text{ for a constant feature}.

    A constant training column (all values equal, even when ``np.std`` gives
    :math:`10^{-17}` for it) maps to 0, as ``StandardScaler`` maps it. Prints and
    returns a verdict naming the first input where ``fn`` is wrong.
    """
    return check_function(fn, standardize, _standardize_cases(), name="standardize")


def _minmax_cases():
    """Training and test sets of equal size; some test values outside the training range."""
    rng = np.random.default_rng(6)
    small = (np.array([[0.0, 5.0], [10.0, 7.0], [5.0, 6.0]]), np.array([[20.0, 4.0], [-10.0, 8.0], [5.0, 6.0]]))
    train = rng.uniform(-3.0, 7.0, size=(12, 3)) * [1.0, 50.0, 0.2]
    test = rng.uniform(-5.0, 9.0, size=(12, 3)) * [1.0, 50.0, 0.2]
    cloud = rng.normal(loc=[5.0, 300.0], scale=[1.0, 100.0], size=(10, 2))
    return [small, (train, test), (cloud, 1.5 * cloud)]


def check_minmax_scale(fn) -> Verdict:
    """Check ``fn(X_train, X_test)``, which returns both sets scaled to :math:`[-1, 1]` by the training range (Chapter 5).

    .. math:: x' = -1 + 2\\,(x - \\min) / (\\max - \\min) \\quad\\text{per feature}, \\qquad
              \\min, \\max \\text{ from } X_\\text{train}.

    No feature is constant here; some test values lie outside the training
    range and must land outside :math:`[-1, 1]`. Prints and returns a verdict.
    """
    return check_function(fn, minmax_scale, _minmax_cases(), name="minmax_scale")
