"""Cross-entropy losses (交叉熵损失函数): two classes with labels {0, 1}, and many classes (Chapter 2).

A model that says "class c with probability :math:`p_c`" pays
:math:`-\\log p_y` for the true class :math:`y`. The stable forms work from
logits, never from a probability that has already rounded to 0 or 1. Each
loss is a function (``cross_entropy``) and a class (``CrossEntropyLoss``)
that computes the same terms and adds ``backward``.
"""

from __future__ import annotations

import numpy as np

from .._validation import _show, as_float_array, check_number
from ..activations import _softmax_parts, log1p_exp, sigmoid
from ._base import BINARY, Loss, check_pair, evaluate, reduce, working_precision

# -- binary cross-entropy of probabilities -------------------------------------------


def _check_probabilities(prob, target, name: str):
    """``check_pair`` with labels 0 and 1, and probabilities in [0, 1]."""
    prob, target = check_pair(prob, target, name, BINARY)
    if prob.min() < 0 or prob.max() > 1:
        outside = (prob < 0) | (prob > 1)
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got {float(prob[outside].flat[0])!r} in {_show(prob)}"
        )
    return prob, target


def _bce(prob, target):
    with np.errstate(divide="ignore"):  # log(0) = -inf, clamped next
        log_p = np.maximum(np.log(prob), -100)
        log_not_p = np.maximum(np.log1p(-prob), -100)
    return -(target * log_p + (1 - target) * log_not_p)


def binary_cross_entropy(prob, target, *, reduction: str = "mean"):
    r"""Binary cross-entropy of probabilities, logs clamped at -100 as PyTorch (Chapter 2); see :class:`BCELoss`.

    .. math::

        l_i = -\bigl[y_i \max(\log p_i, -100) + (1 - y_i) \max(\log(1 - p_i), -100)\bigr]

    Parameters
    ----------
    prob : array_like
        Probabilities :math:`p_i \in [0, 1]`.
    target : array_like
        Labels :math:`y_i \in \{0, 1\}`, shaped like ``prob``.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return evaluate(_bce, *_check_probabilities(prob, target, "prob"), reduction)


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

    In float16 (computed in float32, see :class:`Loss`) a certain right
    answer has gradient 0 and a certain wrong one :math:`\pm 10^{12}`, which
    float16 holds as :math:`\pm\infty`; PyTorch 2.13 returns NaN for the
    right answer there, dividing by :math:`10^{-12}` rounded to 0.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    terms = staticmethod(_bce)

    def _check(self, pred, target, pred_name):
        return _check_probabilities(pred, target, pred_name)

    def _grad(self, pred, target):
        return (pred - target) / np.maximum(pred * (1 - pred), 1e-12)


# -- binary cross-entropy of logits --------------------------------------------------


def _bce_with_logits(logit, target):
    return (1 - target) * logit + log1p_exp(-logit)


def binary_cross_entropy_with_logits(logit, target, *, reduction: str = "mean"):
    r"""Binary cross-entropy of :math:`\sigma(z)`, computed stably from the logit (Chapter 2).

    .. math::

        l_i = \max(z_i, 0) - z_i y_i + \log\bigl(1 + e^{-|z_i|}\bigr)

    See :class:`BCEWithLogitsLoss`.

    Parameters
    ----------
    logit : array_like
        Logits :math:`z_i`, any finite real numbers.
    target : array_like
        Labels :math:`y_i \in \{0, 1\}`, shaped like ``logit``.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return evaluate(_bce_with_logits, *check_pair(logit, target, "logit", BINARY), reduction)


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
    :math:`-\log\sigma(z) = \log(1 + e^{-z})` (:func:`dlnotes.activations.log1p_exp`),
    so the numbers equal PyTorch's to the last digits. For label 1 that is
    :math:`\log(1 + e^{-z})` itself, to full relative accuracy. For label 0
    it is :math:`z + \log(1 + e^{-z})`: when :math:`z` is very negative (a
    confident right answer) the two terms nearly cancel, and the tiny loss
    :math:`\log(1 + e^{z}) \approx e^{z}` keeps only an absolute accuracy of
    about :math:`\epsilon |z|` (:math:`\epsilon` the machine epsilon): in
    float64 it is 1% off at :math:`z = -30` and exactly 0 from
    :math:`z \approx -33.3` on (in float32, 1% off at -10 and 0 from -14.6).
    :class:`SoftMarginLoss` keeps it for both labels.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    labels = BINARY
    terms = staticmethod(_bce_with_logits)

    def _grad(self, pred, target):
        return sigmoid(pred) - target


# -- cross-entropy of many classes -----------------------------------------------------


def _check_classes(logits, target, name: str):
    """Logits ``(N, C)`` with ``N, C >= 1``, and one class index in ``[0, C)`` per row, as an ``intp`` array."""
    logits = as_float_array(logits, name, ndim=2)
    n, c = logits.shape
    if n == 0 or c == 0:
        raise ValueError(f"{name} must have at least one row and one class, got shape {logits.shape}")
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
            f"target must have shape ({n},), one class index per row of {name}, got shape {target.shape}"
        )
    if target.min() < 0 or target.max() >= c:
        position = int(np.flatnonzero((target < 0) | (target >= c))[0])
        raise ValueError(
            f"target must hold class indices in [0, {c - 1}] for {c} classes, "
            f"got {int(target[position])} at position {position}"
        )
    return logits, target.astype(np.intp, copy=False)


def _smoothed_nll(z, log_total, target, label_smoothing: float):
    r""":math:`-(1 - \varepsilon) \log p_{n,y_n} - (\varepsilon / C) \sum_c \log p_{n,c}`, each part only where it counts.

    With :math:`\log p = z - \log\sum e^{z}` (``z`` the shifted logits,
    ``log_total`` the log of the sum, one per row). Without smoothing only
    :math:`\log p_{n,y_n}` is formed, not the whole :math:`\log p`. Picking
    it rather than summing :math:`q \log p` keeps a row finite when another
    class's :math:`\log p` is :math:`-\infty` (logits whose spread exceeds
    the dtype's range, such as ``[1e308, 0, -1e308]``), where
    :math:`0 \cdot (-\infty)` would be NaN.
    """
    n, c = z.shape
    rows = np.arange(n)
    if label_smoothing == 0:
        return log_total[:, 0] - z[rows, target]
    log_p = z - log_total
    smooth = (-label_smoothing / c) * np.sum(log_p, axis=1)
    if label_smoothing == 1:
        return smooth
    return smooth - (1 - label_smoothing) * log_p[rows, target]


def _cross_entropy(logits, target, label_smoothing: float):
    z, _, total = _softmax_parts(logits, 1)  # z = logits - max may overflow to -inf: quietly (see evaluate)
    return _smoothed_nll(z, np.log(total), target, label_smoothing)


def cross_entropy(logits, target, label_smoothing: float = 0.0, *, reduction: str = "mean"):
    r"""Softmax cross-entropy of logits ``(N, C)`` and class indices ``(N,)`` (Chapter 2).

    .. math::

        l_n = -(1 - \varepsilon) \log p_{n, y_n} - \frac{\varepsilon}{C} \sum_c \log p_{n,c},
        \qquad \log p_{n,c} = z_{n,c} - \log \sum_k e^{z_{n,k}}

    See :class:`CrossEntropyLoss`.

    Parameters
    ----------
    logits : array_like, shape (N, C)
        Unnormalized scores :math:`z`.
    target : array_like of int, shape (N,)
        Class indices in ``0 .. C-1``.
    label_smoothing : float, default 0.0
        :math:`\varepsilon \in [0, 1]`.
    reduction : {"mean", "sum", "none"}
        ``"mean"`` divides by :math:`N`; ``"none"`` returns shape ``(N,)``.

    Returns
    -------
    float or numpy.ndarray
    """
    label_smoothing = check_number(label_smoothing, "label_smoothing", low=0, high=1)
    logits, target = _check_classes(logits, target, "logits")
    return evaluate(_cross_entropy, logits, target, reduction, label_smoothing=label_smoothing)


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
    ``"none"`` returns shape ``(N,)``. Any finite logits give PyTorch's
    answer: for ``[[1e308, 0, -1e308]]`` the loss of class 0, 1 and 2 is 0,
    ``1e308`` and ``inf`` (the true value, beyond float64), without a
    warning, and the gradient stays finite.

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

    def forward(self, pred, target):
        r"""The reduced loss; keeps the softmax's :math:`e^{z - \max z}` and their sum, which is all ``backward`` needs."""
        self._saved = None
        logits, target = _check_classes(pred, target, "pred")
        with np.errstate(over="ignore"):
            z, e, total = _softmax_parts(working_precision(logits, target)[0], 1)
            terms = _smoothed_nll(z, np.log(total), target, self.label_smoothing)
        self._saved = (e, total, target, logits.dtype)
        return reduce(terms, self.reduction, logits.dtype)

    def backward(self) -> np.ndarray:
        r""":math:`p - q` for the logits of the last ``forward`` (divided by :math:`N` for ``"mean"``)."""
        e, total, target, dtype = self._forward_pass()
        n, c = e.shape
        grad = e / total
        grad[np.arange(n), target] -= 1 - self.label_smoothing
        if self.label_smoothing:
            grad -= self.label_smoothing / c
        if self.reduction == "mean":
            grad /= n
        return grad.astype(dtype, copy=False)

    def _hyperparameters(self):
        return {"label_smoothing": self.label_smoothing}
