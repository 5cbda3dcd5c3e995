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

from .._lazy import lazy_names

#: The submodule that defines each name, imported when the name is first used, so that
#: ``dlnotes.train`` (which needs only ``DataLoader``, inside ``fit``) imports no data set.
_NAMES = {
    "DataLoader": "loader",
    "load_digits": "digits",
    "make_moons": "synthetic",
    "make_regression_outliers": "synthetic",
    "make_scaled_cloud": "synthetic",
    "make_spirals": "synthetic",
    "train_test_split": "loader",
}

__all__ = list(_NAMES)

__getattr__, __dir__ = lazy_names(__name__, globals(), _NAMES)
del lazy_names
