"""Data for the chapters: minibatches, synthetic sets and one real set (chapters 2-9).

- :class:`DataLoader` draws shuffled minibatches, a fresh order each epoch
  (chapter 3); :func:`train_test_split` holds out a validation set.
- Synthetic sets, generated from an explicit ``rng``: :func:`make_spirals`,
  :func:`make_moons` (classification), :func:`make_regression_outliers`
  (chapter 2) and :func:`make_scaled_cloud` (chapter 5).
- :func:`load_digits`: the UCI handwritten digits, packaged with ``dlnotes``
  so it works offline.

Features are float64 and class labels int64 throughout.
"""

from .digits import load_digits
from .loader import DataLoader, train_test_split
from .synthetic import make_moons, make_regression_outliers, make_scaled_cloud, make_spirals

__all__ = [
    "DataLoader",
    "load_digits",
    "make_moons",
    "make_regression_outliers",
    "make_scaled_cloud",
    "make_spirals",
    "train_test_split",
]
