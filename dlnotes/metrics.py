"""Metrics of a classifier: predicted classes, accuracy and the confusion matrix (Chapter 9).

A network's outputs become classes by the arg-max of their columns, or, for
one output column, by a threshold (0 on logits and margins, 1/2 on
probabilities). :func:`accuracy` counts the correct predictions and
:func:`confusion_matrix` tells which classes are mistaken for which.
"""

from __future__ import annotations

import numpy as np

from ._validation import _show, as_array, as_float_array, check_number


def _as_labels(y, name: str) -> np.ndarray:
    """Integer-valued class labels as an int64 array."""
    arr = as_array(y, name)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold class labels (integers), got {_show(y)}")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr) & (arr == np.round(arr))):
        raise ValueError(f"{name} must hold integer class labels, got {_show(arr)}")
    return arr.astype(np.int64)


def _check_outputs(outputs) -> np.ndarray:
    """Network outputs of shape (N,), (N, 1) or (N, C) with N >= 1."""
    outputs = as_float_array(outputs, "outputs", finite=False)
    if outputs.ndim not in (1, 2) or outputs.shape[0] == 0:
        raise ValueError(f"outputs must have shape (N,), (N, 1) or (N, C) with N >= 1, got shape {outputs.shape}")
    return outputs


def predicted_classes(outputs, *, threshold: float = 0.0, negative_label: int = 0) -> np.ndarray:
    """The class a network's outputs predict (Chapter 9).

    .. math::

        \\hat y_i = \\arg\\max_c \\, o_{ic} \\quad \\text{for outputs of shape } (N, C),\\ C \\ge 2;
        \\qquad
        \\hat y_i = \\begin{cases} 1 & o_i > \\text{threshold} \\\\
        \\text{negative\\_label} & \\text{otherwise} \\end{cases}
        \\quad \\text{for shape } (N,) \\text{ or } (N, 1).

    A single output is read as a logit or a score (``threshold=0``: the
    sigmoid of the logit is above 1/2, or the margin's sign is positive); pass
    ``threshold=0.5`` for probabilities. ``negative_label`` is 0 for labels in
    {0, 1} and -1 for labels in {-1, +1}. Returns int64 labels of shape (N,).
    """
    outputs = _check_outputs(outputs)
    threshold = check_number(threshold, "threshold")
    if isinstance(negative_label, bool) or negative_label not in (0, -1):
        raise ValueError(f"negative_label must be 0 or -1, got {_show(negative_label)}")
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        return np.argmax(outputs, axis=1)
    return np.where(outputs.reshape(-1) > threshold, 1, negative_label).astype(np.int64)


def accuracy(outputs, y, *, threshold: float = 0.0) -> float:
    """Fraction of correct predictions (Chapter 9): :math:`\\frac{1}{N}\\sum_i [\\hat y_i = y_i]`.

    For outputs of shape ``(N, C)`` the prediction is the arg-max class and
    ``y`` holds class indices in ``0..C-1``. For shape ``(N,)`` or ``(N, 1)``
    the output is a logit or score and the prediction is the positive class
    where it exceeds ``threshold`` (0 by default; 0.5 for probabilities);
    ``y`` holds labels in {0, 1} or in {-1, +1} (a label -1 anywhere means
    the second convention). ``y`` may have shape ``(N,)`` or ``(N, 1)``.
    This is one minus the mean 0-1 loss of Chapter 2.
    """
    outputs = _check_outputs(outputs)
    labels = _as_labels(y, "y")
    n = outputs.shape[0]
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.reshape(-1)
    if labels.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match outputs {outputs.shape}, got shape {labels.shape}")
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        n_classes = outputs.shape[1]
        if labels.min() < 0 or labels.max() >= n_classes:
            raise ValueError(f"y must hold class indices in [0, {n_classes - 1}], got {_show(labels)}")
        negative = 0
    else:
        values = set(np.unique(labels).tolist())
        if not (values <= {0, 1} or values <= {-1, 1}):
            raise ValueError(f"y must hold labels in {{0, 1}} or {{-1, 1}}, got {_show(labels)}")
        negative = -1 if -1 in values else 0
    predicted = predicted_classes(outputs, threshold=threshold, negative_label=negative)
    return float(np.mean(predicted == labels))


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Counts :math:`C_{ij} = \\#\\{k : y_k = i,\\ \\hat y_k = j\\}` of true class i predicted as j (Chapter 9).

    Rows are true classes, columns predicted ones; the diagonal holds the
    correct predictions, so ``trace(C) / N`` is the accuracy. Labels are
    class indices in ``0..n_classes-1`` (``n_classes`` defaults to the
    largest label plus one). Use :func:`predicted_classes` to turn outputs
    into ``y_pred``.
    """
    y_true = _as_labels(y_true, "y_true")
    y_pred = _as_labels(y_pred, "y_pred")
    if y_true.ndim != 1:
        raise ValueError(f"y_true must be 1-D, got shape {y_true.shape}")
    if y_pred.shape != y_true.shape:
        raise ValueError(f"y_pred must have the shape of y_true {y_true.shape}, got shape {y_pred.shape}")
    if n_classes is None:
        n_classes = int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1
    n_classes = check_number(n_classes, "n_classes", low=1, integer=True)
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"{name} must hold class indices in [0, {n_classes - 1}], got {_show(labels)}")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts
