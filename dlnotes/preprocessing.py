"""Centring, standardization and min-max scaling of features (chapter 5).

Features on very different scales give a loss with elongated contours, so
gradient descent zig-zags; bringing every feature to one scale makes the
contours round when the features are uncorrelated. Scaling column by column
fixes the lengths of the contours' axes along the features, not their tilt:
for a linear model with the squared error the contours follow the features'
covariance, so correlated features still give tilted, elongated ellipses,
which only decorrelating them (whitening) would make round. Both scalers are
affine maps fitted column by column,

.. math:: x' = \\frac{x - c}{s}, \\qquad x = s\\, x' + c,

with the offset :math:`c` and scale :math:`s` computed by ``fit`` on the
training set only and reused unchanged on validation and test data.
Centring only (中心化) is ``StandardScaler(with_std=False)``.
"""

from __future__ import annotations

import numpy as np

from ._validation import _show, as_float_array, check_flag, check_number


class _AffineScaler:
    """Shared ``fit``/``transform``/``inverse_transform`` of ``x' = (x - c) / s``.

    Subclasses compute ``(c, s)`` from the training matrix in ``_offset_scale``.
    """

    def _offset_scale(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def fit(self, X):
        """Compute the per-feature statistics of ``X`` (shape (n_samples, n_features)); returns ``self``."""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[0] == 0:
            raise ValueError(f"X must hold at least one sample, got shape {X.shape}")
        self.n_features_in_ = X.shape[1]
        self._offset, self._scale = self._offset_scale(X)
        return self

    def _check_input(self, X) -> np.ndarray:
        if not hasattr(self, "n_features_in_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet: call fit(X_train) first")
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X must have {self.n_features_in_} features (columns) as in fit, got shape {X.shape}"
            )
        return X

    def transform(self, X) -> np.ndarray:
        """Scale ``X`` with the fitted statistics: :math:`x' = (x - c)/s` (dtype kept)."""
        X = self._check_input(X)
        return (X - self._offset.astype(X.dtype)) / self._scale.astype(X.dtype)

    def fit_transform(self, X) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X) -> np.ndarray:
        """Undo :meth:`transform`: :math:`x = s x' + c` (dtype kept)."""
        X = self._check_input(X)
        return X * self._scale.astype(X.dtype) + self._offset.astype(X.dtype)


def _is_constant(X: np.ndarray) -> np.ndarray:
    """Per column: are all entries equal? (Exact test; a computed std may be a tiny non-zero.)"""
    return np.max(X, axis=0) == np.min(X, axis=0)


class StandardScaler(_AffineScaler):
    """Centre each feature and divide by its standard deviation (chapter 5).

    .. math:: x'_j = \\frac{x_j - \\mu_j}{\\sigma_j}, \\qquad
              \\mu_j = \\frac1n \\sum_i x^{(i)}_j, \\qquad
              \\sigma_j = \\sqrt{\\frac1n \\sum_i (x^{(i)}_j - \\mu_j)^2}

    for each feature :math:`j` over the :math:`n` rows :math:`x^{(i)}` given to ``fit``
    (population standard deviation, ``ddof=0``). Centring (中心化) subtracts
    :math:`\\mu_j`; standardization (标准化) also divides by :math:`\\sigma_j`,
    leaving every non-constant feature with mean 0 and standard deviation 1.
    A constant feature has :math:`\\sigma_j = 0` and is scaled by 1 instead (it
    becomes exactly zero after centring).

    Parameters
    ----------
    with_mean : bool
        Subtract the mean (otherwise :math:`\\mu_j = 0`).
    with_std : bool
        Divide by the standard deviation (otherwise :math:`\\sigma_j = 1`).
        ``StandardScaler(with_std=False)`` centres only.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        :math:`\\mu_j` (zeros when ``with_mean=False``).
    scale_ : ndarray of shape (n_features,)
        The divisor: :math:`\\sigma_j`, with 1 for constant features (ones when
        ``with_std=False``).
    """

    def __init__(self, with_mean: bool = True, with_std: bool = True):
        self.with_mean = check_flag(with_mean, "with_mean")
        self.with_std = check_flag(with_std, "with_std")

    def _offset_scale(self, X):
        constant = _is_constant(X)
        # a constant column's computed mean may be off by one ulp; use the value itself
        mean = np.where(constant, X[0], X.mean(axis=0))
        centred = X - mean
        # the std of the column divided by its largest deviation: no under- or overflow
        peak = np.max(np.abs(centred), axis=0)
        peak = np.where(constant, 1, peak).astype(X.dtype)
        std = peak * np.sqrt(np.mean((centred / peak) ** 2, axis=0))
        ones = np.ones(X.shape[1], dtype=X.dtype)
        return (
            mean if self.with_mean else np.zeros_like(mean),
            np.where(constant, ones, std) if self.with_std else ones,
        )

    @property
    def mean_(self) -> np.ndarray:
        return self._offset

    @property
    def scale_(self) -> np.ndarray:
        return self._scale


class MinMaxScaler(_AffineScaler):
    """Map each feature's training range ``[min, max]`` onto ``feature_range`` (chapter 5).

    .. math:: x' = a + (b - a)\\,\\frac{x - \\min x}{\\max x - \\min x}

    with ``feature_range = (a, b)``, by default (-1, 1), centred on 0 (scikit-learn's default is (0, 1)). New
    data outside the training range land outside ``[a, b]``. A constant
    feature (max = min) is mapped to the middle :math:`(a + b)/2` of the range
    and otherwise only shifted, :math:`x' = (a + b)/2 + (x - \\min x)`, so it
    sits where a centred feature would. (scikit-learn maps it to :math:`a`.)

    Attributes
    ----------
    data_min_, data_max_ : ndarray of shape (n_features,)
        Per-feature minimum and maximum seen in ``fit``.
    """

    def __init__(self, feature_range=(-1, 1)):
        try:
            low, high = feature_range
        except (TypeError, ValueError) as exc:
            raise TypeError(f"feature_range must be a pair (low, high), got {_show(feature_range)}") from exc
        low = check_number(low, "feature_range low")
        high = check_number(high, "feature_range high")
        if not low < high:
            raise ValueError(f"feature_range must have low < high, got {_show(feature_range)}")
        self.feature_range = (low, high)

    def _offset_scale(self, X):
        low, high = self.feature_range
        self.data_min_ = X.min(axis=0)
        self.data_max_ = X.max(axis=0)
        constant = self.data_max_ == self.data_min_
        scale = np.where(constant, 1.0, (self.data_max_ - self.data_min_) / (high - low)).astype(X.dtype)
        target = np.where(constant, (low + high) / 2, low).astype(X.dtype)
        return self.data_min_ - target * scale, scale
