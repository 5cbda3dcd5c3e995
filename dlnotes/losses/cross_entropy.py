"""Cross-entropy losses (交叉熵损失函数): two classes with labels {0, 1}, and many classes (Chapter 2).

A model that says "class c with probability :math:`p_c`" pays
:math:`-\\log p_y` for the true class :math:`y`. The stable forms work from
logits, never from a probability that has already rounded to 0 or 1.
"""

from __future__ import annotations

import numpy as np

from .._validation import _show, as_float_array, check_number
from ..activations import log_softmax, sigmoid, softmax
from ._base import Loss, check_pair


class BCELoss(Loss):
    r"""Binary cross-entropy of probabilities, as ``torch.nn.BCELoss`` (Chapter 2).

    .. math::

        l_i = -\bigl[y_i \max(\log p_i, -100) + (1 - y_i) \max(\log(1 - p_i), -100)\bigr],
        \qquad
        \frac{\partial l_i}{\partial p_i} = \frac{p_i - y_i}{\max\bigl(p_i (1 - p_i),\, 10^{-12}\bigr)},

    for probabilities :math:`p_i \in [0, 1]` and labels :math:`y_i \in \{0, 1\}`.
    As in PyTorch, each log is clamped at -100, so a confident wrong answer
    (:math:`p = 0` for :math:`y = 1`) costs 100, not infinity, and the
    gradient's denominator is kept away from 0. Prefer
    :class:`BCEWithLogitsLoss`: a probability that rounded to 0 or 1 has lost
    what the loss needs.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    labels = (0, 1)

    def _check(self, pred, target, pred_name):
        pred, target = check_pair(pred, target, pred_name, self.labels)
        outside = (pred < 0) | (pred > 1)
        if np.any(outside):
            raise ValueError(
                f"{pred_name} must hold probabilities in [0, 1], got {float(pred[outside].flat[0])!r} in {_show(pred)}"
            )
        return pred, target

    def _value(self, pred, target):
        with np.errstate(divide="ignore"):  # log(0) = -inf, clamped next
            log_p = np.maximum(np.log(pred), -100)
            log_not_p = np.maximum(np.log1p(-pred), -100)
        return -(target * log_p + (1 - target) * log_not_p)

    def _grad(self, pred, target):
        return (pred - target) / np.maximum(pred * (1 - pred), 1e-12)


class BCEWithLogitsLoss(Loss):
    r"""Binary cross-entropy of logits, as ``torch.nn.BCEWithLogitsLoss`` (Chapter 2).

    With :math:`p = \sigma(z)`, the binary cross-entropy
    :math:`-[y \log p + (1-y) \log(1-p)]` is, in a form that never overflows,

    .. math::

        l_i = \max(z_i, 0) - z_i y_i + \log\bigl(1 + e^{-|z_i|}\bigr),
        \qquad
        \frac{\partial l_i}{\partial z_i} = \sigma(z_i) - y_i,

    for logits :math:`z_i` and labels :math:`y_i \in \{0, 1\}`. Finite for
    any finite logit: :math:`z = 10^4, y = 0` costs :math:`10^4`, where the
    naive formula gives :math:`-\log(1 - 1) = \infty`.

    For labels in {0, 1} this is the logistic loss of the label
    :math:`2y - 1 \in \{-1, +1\}` (:class:`SoftMarginLoss`). It is computed
    as PyTorch computes it, :math:`(1 - y) z - \log\sigma(z)` with
    :math:`\log\sigma(z) = \min(z, 0) - \log(1 + e^{-|z|})`, so the numbers
    equal PyTorch's to the last digits. That form rounds away the tiny loss of a
    very confident right answer (below about 1e-9 for :math:`|z| > 20`);
    :class:`SoftMarginLoss` keeps it.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    labels = (0, 1)

    def _value(self, pred, target):
        log_sigmoid = np.minimum(pred, 0) - np.log1p(np.exp(-np.abs(pred)))
        return (1 - target) * pred - log_sigmoid

    def _grad(self, pred, target):
        return sigmoid(pred) - target


class CrossEntropyLoss(Loss):
    r"""Softmax cross-entropy (Softmax Loss) for many classes, as ``torch.nn.CrossEntropyLoss`` (Chapter 2).

    For logits :math:`z \in \mathbb{R}^{N \times C}` and class indices
    :math:`y_n \in \{0, \dots, C-1\}`, with
    :math:`\log p_{n,c} = z_{n,c} - \log \sum_k e^{z_{n,k}}` (log-sum-exp, via
    ``dlnotes.activations.log_softmax``) and the smoothed target
    :math:`q_{n,c} = (1 - \varepsilon)\,[c = y_n] + \varepsilon / C`:

    .. math::

        l_n = -\sum_{c} q_{n,c} \log p_{n,c}
            = -(1 - \varepsilon) \log p_{n, y_n} - \frac{\varepsilon}{C} \sum_c \log p_{n,c},
        \qquad
        \frac{\partial l_n}{\partial z_{n,c}} = p_{n,c} - q_{n,c}.

    :math:`\varepsilon` = ``label_smoothing`` = 0 gives :math:`-\log p_{n,y_n}`.
    The terms are one per row, so ``"mean"`` divides by :math:`N`, and
    ``"none"`` returns shape ``(N,)``.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    label_smoothing : float, default 0.0
        :math:`\varepsilon \in [0, 1]`, the weight moved from the true class
        to the uniform distribution over all :math:`C` classes.
    """

    def __init__(self, *, reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(reduction=reduction)
        self.label_smoothing = check_number(label_smoothing, "label_smoothing", low=0, high=1)

    def _check(self, pred, target, pred_name):
        logits = as_float_array(pred, pred_name, ndim=2)
        n, c = logits.shape
        if n == 0 or c == 0:
            raise ValueError(f"{pred_name} must have at least one row and one class, got shape {logits.shape}")
        try:
            target = np.asarray(target)
        except ValueError as exc:  # a ragged list
            raise TypeError(f"target must be an array of class indices, got {_show(target)}") from exc
        if target.dtype.kind not in "iu":
            raise TypeError(
                f"target must hold integer class indices (an int array), got dtype {target.dtype}: {_show(target)}"
            )
        if target.shape != (n,):
            raise ValueError(
                f"target must have shape ({n},), one class index per row of {pred_name}, got shape {target.shape}"
            )
        outside = (target < 0) | (target >= c)
        if np.any(outside):
            position = int(np.flatnonzero(outside)[0])
            raise ValueError(
                f"target must hold class indices in [0, {c - 1}] for {c} classes, "
                f"got {int(target[position])} at position {position}"
            )
        return logits, target.astype(np.intp)

    def _smoothed_target(self, logits, target):
        """The target distribution :math:`q`: :math:`1 - \\varepsilon + \\varepsilon/C` on the class, :math:`\\varepsilon/C` elsewhere."""
        n, c = logits.shape
        q = np.full_like(logits, self.label_smoothing / c)
        q[np.arange(n), target] += 1 - self.label_smoothing
        return q

    def _value(self, pred, target):
        return -np.sum(self._smoothed_target(pred, target) * log_softmax(pred, axis=1), axis=1)

    def _grad(self, pred, target):
        return softmax(pred, axis=1) - self._smoothed_target(pred, target)

    def _hyperparameters(self):
        return {"label_smoothing": self.label_smoothing}
