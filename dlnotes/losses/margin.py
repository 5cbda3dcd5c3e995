"""Classification losses of the margin :math:`m = y s`, for labels :math:`y \\in \\{-1, +1\\}` (Chapter 2).

A score :math:`s` classifies correctly when its sign is the label's, that
is when the margin :math:`m = y s` is positive. The 0-1 loss counts
:math:`m \\le 0` as one error; the losses here are smooth or convex
stand-ins for it that also push correct answers towards larger margins.
Each loss is a function (``hinge_loss``) and a class (``HingeLoss``) that
computes the same terms and adds ``backward``.
"""

from __future__ import annotations

import numpy as np

from ..activations import log1p_exp, sigmoid
from ._base import SIGNS, Loss, check_pair, evaluate

# -- logistic (soft margin) --------------------------------------------------------


def _soft_margin(score, target):
    return log1p_exp(-target * score)


def soft_margin_loss(score, target, *, reduction: str = "mean"):
    r"""Logistic loss :math:`l_i = \log(1 + e^{-y_i s_i})` for labels in {-1, +1} (Chapter 2).

    Computed stably; see :class:`SoftMarginLoss`.

    Parameters
    ----------
    score : array_like
        Scores :math:`s_i`, any finite real numbers.
    target : array_like
        Labels :math:`y_i \in \{-1, +1\}`, shaped like ``score``.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return evaluate(_soft_margin, *check_pair(score, target, "score", SIGNS), reduction)


class SoftMarginLoss(Loss):
    r"""Logistic loss (Logistic loss) for labels in {-1, +1}, as ``torch.nn.SoftMarginLoss`` (Chapter 2).

    .. math::

        l_i = \log\bigl(1 + e^{-y_i s_i}\bigr), \qquad
        \frac{\partial l_i}{\partial s_i} = -y_i\, \sigma(-y_i s_i),

    computed as :math:`\max(-m, 0) + \log(1 + e^{-|m|})` with :math:`m = y s`
    (:func:`dlnotes.activations.log1p_exp`), finite for any finite score. It
    equals the binary cross-entropy of the logit :math:`s` with the label
    :math:`(y + 1)/2 \in \{0, 1\}`.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    labels = SIGNS
    terms = staticmethod(_soft_margin)

    def _grad(self, pred, target):
        return -target * sigmoid(-target * pred)


# -- hinge -------------------------------------------------------------------------


def _hinge(score, target):
    return np.maximum(0, 1 - target * score)


def hinge_loss(score, target, *, reduction: str = "mean"):
    r"""Hinge loss :math:`l_i = \max(0, 1 - y_i s_i)` for labels in {-1, +1} (Chapter 2); see :class:`HingeLoss`.

    Parameters
    ----------
    score : array_like
        Scores :math:`s_i`.
    target : array_like
        Labels :math:`y_i \in \{-1, +1\}`, shaped like ``score``.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return evaluate(_hinge, *check_pair(score, target, "score", SIGNS), reduction)


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

    labels = SIGNS
    terms = staticmethod(_hinge)

    def _grad(self, pred, target):
        return np.where(target * pred < 1, -target, 0)


# -- exponential -------------------------------------------------------------------


def _exponential(score, target):
    return np.exp(-target * score)


def exponential_loss(score, target, *, reduction: str = "mean"):
    r"""Exponential loss :math:`l_i = e^{-y_i s_i}` for labels in {-1, +1} (Chapter 2); see :class:`ExponentialLoss`.

    Past the dtype's range (a margin below about -709.8 in float64, -88.7 in
    float32) a term is ``inf``, without a warning.

    Parameters
    ----------
    score : array_like
        Scores :math:`s_i`.
    target : array_like
        Labels :math:`y_i \in \{-1, +1\}`, shaped like ``score``.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return evaluate(_exponential, *check_pair(score, target, "score", SIGNS), reduction)


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

    labels = SIGNS
    terms = staticmethod(_exponential)

    def _grad(self, pred, target):
        return -target * _exponential(pred, target)
