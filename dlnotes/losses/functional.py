"""The losses as functions: value only, with ``reduction="mean" | "sum" | "none"`` (Chapter 2).

Each function computes the same numbers as its class (the class adds
``backward``); the names and arguments are PyTorch's
(``torch.nn.functional``) where PyTorch has the loss. ``"mean"`` and
``"sum"`` return a float, ``"none"`` the array of terms in the input's dtype.
"""

from __future__ import annotations


import numpy as np

from .._validation import check_choice, check_number
from ._base import REDUCTIONS, check_pair, reduce
from .cross_entropy import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss
from .margin import ExponentialLoss, HingeLoss, SoftMarginLoss
from .regression import HuberLoss, L1Loss, MSELoss, SmoothL1Loss

__all__ = [
    "absolute_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "exponential_loss",
    "hinge_loss",
    "huber_loss",
    "l1_loss",
    "mse_loss",
    "smooth_l1_loss",
    "soft_margin_loss",
    "zero_one_loss",
]


def mse_loss(pred, target, *, reduction: str = "mean"):
    r"""Mean squared error :math:`l_i = (x_i - y_i)^2` (Chapter 2); see :class:`MSELoss`.

    Parameters
    ----------
    pred, target : array_like
        Prediction :math:`x` and target :math:`y`, of the same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
        The mean or sum of the terms, or the terms.
    """
    return MSELoss(reduction=reduction)._forward(pred, target, "pred")


def l1_loss(pred, target, *, reduction: str = "mean"):
    r"""Mean absolute error :math:`l_i = |x_i - y_i|` (Chapter 2); see :class:`L1Loss`.

    Parameters
    ----------
    pred, target : array_like
        Prediction :math:`x` and target :math:`y`, of the same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return L1Loss(reduction=reduction)._forward(pred, target, "pred")


def smooth_l1_loss(pred, target, beta: float = 1.0, *, reduction: str = "mean"):
    r"""Smooth L1 loss (Chapter 2); see :class:`SmoothL1Loss`.

    .. math::

        l_i = \begin{cases} 0.5\, d_i^2 / \beta, & |d_i| < \beta \\
                            |d_i| - 0.5\, \beta, & \text{otherwise} \end{cases}
        \qquad d_i = x_i - y_i

    Parameters
    ----------
    pred, target : array_like
        Prediction :math:`x` and target :math:`y`, of the same shape.
    beta : float, default 1.0
        Where the quadratic part ends, ``beta >= 0``; ``beta=0`` is :func:`l1_loss`.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return SmoothL1Loss(reduction=reduction, beta=beta)._forward(pred, target, "pred")


def huber_loss(pred, target, delta: float = 1.0, *, reduction: str = "mean"):
    r"""Huber loss, ``delta`` times smooth L1 with ``beta=delta`` (Chapter 2); see :class:`HuberLoss`.

    .. math::

        l_i = \begin{cases} 0.5\, d_i^2, & |d_i| < \delta \\
                            \delta\,(|d_i| - 0.5\, \delta), & \text{otherwise} \end{cases}
        \qquad d_i = x_i - y_i

    Parameters
    ----------
    pred, target : array_like
        Prediction :math:`x` and target :math:`y`, of the same shape.
    delta : float, default 1.0
        Where the quadratic part ends, ``delta > 0``.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return HuberLoss(reduction=reduction, delta=delta)._forward(pred, target, "pred")


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
    return BCELoss(reduction=reduction)._forward(prob, target, "prob")


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
    return BCEWithLogitsLoss(reduction=reduction)._forward(logit, target, "logit")


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
    return SoftMarginLoss(reduction=reduction)._forward(score, target, "score")


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
    return CrossEntropyLoss(reduction=reduction, label_smoothing=label_smoothing)._forward(logits, target, "logits")


def zero_one_loss(pred, target, threshold: float | None = None, *, reduction: str = "mean"):
    r"""0-1 loss (0-1损失函数): 1 for a wrong answer, 0 for a right one (Chapter 2).

    .. math::

        l_i = \begin{cases} 0, & x_i = y_i \\ 1, & x_i \ne y_i \end{cases}
        \qquad\text{or, with a threshold } T:\qquad
        l_i = \begin{cases} 0, & |y_i - x_i| < T \\ 1, & \text{otherwise} \end{cases}

    Its mean is the error rate. It ignores how wrong an answer is and has
    no useful gradient (zero almost everywhere), so it is used to judge
    models and other losses rather than to train them (the perceptron aside).

    Parameters
    ----------
    pred, target : array_like
        Predictions and targets of the same shape (labels or real numbers).
    threshold : float or None, default None
        ``T > 0``: count a prediction within ``T`` of the target as right.
        ``None`` demands equality.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    if threshold is not None:
        threshold = check_number(threshold, "threshold", low=0, low_open=True)
    reduction = check_choice(reduction, "reduction", REDUCTIONS)
    pred, target = check_pair(pred, target, "pred")
    wrong = pred != target if threshold is None else np.abs(target - pred) >= threshold
    return reduce(wrong.astype(pred.dtype), reduction)


def absolute_loss(pred, target, *, reduction: str = "mean"):
    r"""Absolute-value loss (绝对值损失函数) :math:`l_i = |y_i - x_i|` (Chapter 2).

    The lecture's name for the classification use of the L1 loss; the
    numbers are those of :func:`l1_loss` and :class:`L1Loss`.

    Parameters
    ----------
    pred, target : array_like
        Predictions and targets of the same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return L1Loss(reduction=reduction)._forward(pred, target, "pred")


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
    return HingeLoss(reduction=reduction)._forward(score, target, "score")


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
    return ExponentialLoss(reduction=reduction)._forward(score, target, "score")
