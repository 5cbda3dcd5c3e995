"""Classification losses of the margin :math:`m = y s`, for labels :math:`y \\in \\{-1, +1\\}` (Chapter 2).

A score :math:`s` classifies correctly when its sign is the label's, that
is when the margin :math:`m = y s` is positive. The 0-1 loss counts
:math:`m \\le 0` as one error; the losses here are smooth or convex
stand-ins for it that also push correct answers towards larger margins.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ._base import Loss, log1p_exp


class SoftMarginLoss(Loss):
    r"""Logistic loss (Logistic loss) for labels in {-1, +1}, as ``torch.nn.SoftMarginLoss`` (Chapter 2).

    .. math::

        l_i = \log\bigl(1 + e^{-y_i s_i}\bigr), \qquad
        \frac{\partial l_i}{\partial s_i} = -y_i\, \sigma(-y_i s_i),

    computed as :math:`\max(-m, 0) + \log(1 + e^{-|m|})` with :math:`m = y s`,
    finite for any finite score. It equals the binary cross-entropy of the
    logit :math:`s` with the label :math:`(y + 1)/2 \in \{0, 1\}`.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    labels = (-1, 1)

    def _value(self, pred, target):
        return log1p_exp(-target * pred)

    def _grad(self, pred, target):
        return -target * sigmoid(-target * pred)


class HingeLoss(Loss):
    r"""Hinge loss for labels in {-1, +1} (the support vector machine's), no PyTorch twin (Chapter 2).

    .. math::

        l_i = \max(0,\, 1 - y_i s_i), \qquad
        \frac{\partial l_i}{\partial s_i} = \begin{cases} -y_i, & y_i s_i < 1 \\ 0, & y_i s_i \ge 1 \end{cases}

    A subgradient: at the kink :math:`y s = 1` it takes 0, as ReLU's
    derivative at 0. Correct answers with margin at least 1 cost nothing.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    labels = (-1, 1)

    def _value(self, pred, target):
        return np.maximum(0, 1 - target * pred)

    def _grad(self, pred, target):
        return np.where(target * pred < 1, -target, 0)


class ExponentialLoss(Loss):
    r"""Exponential loss for labels in {-1, +1} (AdaBoost's), no PyTorch twin (Chapter 2).

    .. math::

        l_i = e^{-y_i s_i}, \qquad \frac{\partial l_i}{\partial s_i} = -y_i\, e^{-y_i s_i}

    It grows so fast for wrong answers that one badly misclassified point
    dominates the total. Beyond what the dtype can hold (a margin below about
    -88.7 in float32, -709.8 in float64) the value and the gradient are
    ``inf`` and ``-y * inf``, quietly, without an overflow warning: that is
    the true size, rounded up, and the lesson.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    labels = (-1, 1)

    def _value(self, pred, target):
        with np.errstate(over="ignore"):
            return np.exp(-target * pred)

    def _grad(self, pred, target):
        return -target * self._value(pred, target)
