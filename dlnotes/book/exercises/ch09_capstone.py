"""Checkers for the coding exercises of Chapter 9 (putting it together, 综合实践).

- :func:`check_confusion`: the confusion matrix from true and predicted labels;
- :func:`check_recall_per_class`: the recall of each class from true and predicted labels.

The references are ``dlnotes.metrics.confusion_matrix`` and
``dlnotes.book.experiments.ch09_capstone.per_class_recall``. The inputs are
lopsided on purpose: the matrix is not symmetric (its transpose is wrong),
rows and columns have different sums (normalizing by the wrong axis gives
precision, not recall), in one case the highest class has examples but is
never predicted (its recall is 0, and a size taken from the predictions or
from the correct answers comes out one short), and in one case the highest
class appears in neither array (``n_classes`` must decide the size).
"""

from __future__ import annotations

import numpy as np

from ...metrics import confusion_matrix
from ..experiments.ch09_capstone import per_class_recall
from . import Verdict, check_function


def _label_cases():
    rng = np.random.default_rng(9)
    y_true = np.repeat(np.arange(4), [5, 3, 6, 2])
    y_pred = y_true.copy()
    y_pred[[0, 1, 5, 8, 9, 15]] = [2, 2, 0, 0, 1, 0]  # class 3: one of its two examples is predicted right
    never = y_pred.copy()
    never[14] = 2  # now class 3 has two examples and is never predicted
    many = rng.integers(0, 10, size=200)
    guessed = np.where(rng.random(200) < 0.8, many, rng.integers(0, 10, size=200))
    return [
        (np.array([0, 1, 1]), np.array([1, 1, 0]), 2),
        (y_true, y_pred, 4),
        (y_true, never, 4),
        (np.array([0, 0, 1, 2, 2, 2]), np.array([0, 2, 1, 2, 1, 2]), 4),  # class 3 in neither array
        (many, guessed, 10),
    ]


def check_confusion(fn) -> Verdict:
    """Check ``fn(y_true, y_pred, n_classes)``: the counts of true class i predicted as j (Chapter 9).

    .. math:: \\mathrm{CM}_{ij} = \\#\\{k : y^{(k)} = i,\\ \\hat y^{(k)} = j\\},

    of shape ``(n_classes, n_classes)``: rows true classes, columns predicted ones.
    """
    return check_function(fn, confusion_matrix, _label_cases(), name="confusion")


def _recall(y_true, y_pred, n_classes):
    return per_class_recall(confusion_matrix(y_true, y_pred, n_classes))


def check_recall_per_class(fn) -> Verdict:
    """Check ``fn(y_true, y_pred, n_classes)``: each class's fraction of examples predicted right (Chapter 9).

    .. math:: \\text{recall}_k = \\frac{\\mathrm{CM}_{kk}}{\\sum_j \\mathrm{CM}_{kj}}
              = \\frac{\\#\\{k : y_k = c,\\ \\hat y_k = c\\}}{\\#\\{k : y_k = c\\}}

    Every class of these inputs has examples, so no recall is undefined.
    """
    cases = [case for case in _label_cases() if set(np.unique(case[0])) == set(range(case[2]))]
    return check_function(fn, _recall, cases, name="recall_per_class")
