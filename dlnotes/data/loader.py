"""Minibatches and held-out sets (chapter 3).

A minibatch gradient estimates the full gradient, an expectation over the
training set, from ``m`` samples drawn at random; its standard error falls as
:math:`1/\\sqrt{m}`. Drawing without replacement from a fresh permutation each
epoch keeps the minibatches random and independent of how the data are sorted.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator

import numpy as np

from .._validation import _show, all_finite, as_array, as_generator, check_flag, check_number


def _as_pair(X, y) -> tuple[np.ndarray, np.ndarray]:
    """``X`` and ``y`` as finite arrays with one row per sample and the same number of rows."""
    X = as_array(X, "X")
    y = as_array(y, "y")
    for name, arr in (("X", X), ("y", y)):
        if arr.ndim == 0:
            raise ValueError(f"{name} must have one row per sample (at least 1-D), got shape {arr.shape}")
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be an array of numbers, got dtype {arr.dtype}: {_show(arr)}")
        if not all_finite(arr):
            raise ValueError(f"{name} must be finite, got a NaN or infinite entry in {_show(arr)}")
    if len(X) == 0:
        raise ValueError(f"X must hold at least one sample, got shape {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"y must have one entry per row of X ({len(X)}), got {len(y)} (shape {y.shape})")
    return X, y


class DataLoader:
    """Iterate over ``(X_batch, y_batch)`` minibatches of size ``batch_size`` (chapter 3).

    Each ``iter()`` (each epoch) draws a fresh permutation :math:`\\pi` of the
    ``n`` rows from ``rng`` when ``shuffle`` is true, and batch :math:`k` holds
    rows :math:`\\pi(kB), \\dots, \\pi(kB + B - 1)` with :math:`B` =
    ``batch_size``. Every sample appears exactly once per epoch; the last batch
    is smaller when ``B`` does not divide ``n``, unless ``drop_last`` drops it.
    The same seed gives the same batches, epoch after epoch.

    Parameters
    ----------
    X : array_like of shape (n, ...)
        Inputs, one row per sample (kept as given: dtype and trailing shape).
    y : array_like of shape (n, ...)
        Targets, one entry per row of ``X``.
    batch_size : int
        Samples per batch, at least 1.
    shuffle : bool
        Draw a new order each epoch (True) or keep the stored order (False;
        chapter 3 shows what goes wrong with sorted data).
    drop_last : bool
        Drop the last, smaller batch.
    rng : numpy.random.Generator, int or None
        Source of the permutations.

    Examples
    --------
    >>> loader = DataLoader(X, y, batch_size=32, rng=0)
    >>> for X_batch, y_batch in loader:   # one epoch
    ...     pass
    """

    def __init__(self, X, y, batch_size: int, shuffle: bool = True, drop_last: bool = False, rng=None):
        self.X, self.y = _as_pair(X, y)
        self.batch_size = check_number(batch_size, "batch_size", low=1, integer=True)
        self.shuffle = check_flag(shuffle, "shuffle")
        self.drop_last = check_flag(drop_last, "drop_last")
        self.rng = as_generator(rng)

    def __len__(self) -> int:
        """Number of batches per epoch: :math:`\\lfloor n/B \\rfloor` with ``drop_last``, else :math:`\\lceil n/B \\rceil`."""
        full, rest = divmod(len(self.X), self.batch_size)
        return full if self.drop_last or rest == 0 else full + 1

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        n = len(self.X)
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        for k in range(len(self)):
            rows = order[k * self.batch_size : (k + 1) * self.batch_size]
            yield self.X[rows], self.y[rows]

    def __repr__(self) -> str:
        return (
            f"DataLoader(n={len(self.X)}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last})"
        )


def train_test_split(X, y, test_size=0.25, stratify: bool = False, rng=None):
    """Hold out a random test (or validation) set (chapters 3 and 8).

    The rows are permuted with ``rng`` and :math:`n_\\text{test} = \\lceil
    \\text{test\\_size} \\cdot n \\rceil` of them (or ``test_size`` rows when
    it is an int) form the test set. With ``stratify=True`` each class ``c`` of
    ``y`` gives :math:`\\operatorname{round}(n_c \\, n_\\text{test} / n)` rows, so
    both sets keep the class proportions (the total may then differ from
    :math:`n_\\text{test}` by rounding). Fit preprocessing statistics on the
    training part only (chapter 5).

    Parameters
    ----------
    X, y : array_like with the same number of rows
    test_size : float in (0, 1) or int in [1, n - 1]
        Fraction or number of rows held out.
    stratify : bool
        Keep the class proportions of ``y`` in both parts.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        Rows of ``X`` and ``y`` (in random order), every row in exactly one part.
    """
    X, y = _as_pair(X, y)
    n = len(X)
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, (bool, np.bool_)):
        n_test = check_number(test_size, "test_size", low=1, integer=True)
    else:
        test_size = check_number(test_size, "test_size", low=0, high=1, low_open=True, high_open=True)
        n_test = int(np.ceil(test_size * n))
    if not 1 <= n_test <= n - 1:
        raise ValueError(f"test_size must leave at least one row in each part of {n} rows, got {test_size!r}")
    rng = as_generator(rng)
    if check_flag(stratify, "stratify"):
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D class labels to stratify, got shape {y.shape}")
        test_rows = []
        for label in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == label))
            test_rows.append(members[: int(np.round(len(members) * n_test / n))])
        in_test = np.zeros(n, dtype=bool)
        in_test[np.concatenate(test_rows)] = True
        test = rng.permutation(np.flatnonzero(in_test))
        train = rng.permutation(np.flatnonzero(~in_test))
        if len(test) == 0 or len(train) == 0:
            raise ValueError(f"test_size {test_size!r} leaves one part empty after stratifying {n} rows")
    else:
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
