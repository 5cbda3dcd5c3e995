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

import importlib

from .loader import DataLoader, train_test_split

#: The submodule of each name imported when first used, so that ``dlnotes.train`` (which needs
#: only ``DataLoader``) does not import the data sets.
_LAZY = {
    "load_digits": "digits",
    "make_moons": "synthetic",
    "make_regression_outliers": "synthetic",
    "make_scaled_cloud": "synthetic",
    "make_spirals": "synthetic",
}

__all__ = [
    "DataLoader",
    "load_digits",
    "make_moons",
    "make_regression_outliers",
    "make_scaled_cloud",
    "make_spirals",
    "train_test_split",
]


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
