"""Regression losses (回归问题), written as functions of the residual :math:`r = y - x` (Chapter 2).

The residual is the target minus the prediction, as everywhere in the book. The
private term functions below take :math:`d = x - y = -r` instead, the
prediction minus the target, whose sign is that of the gradient with respect
to the prediction; every loss here depends on :math:`|d| = |r|` only.

MSE (L2) is smooth but lets an outlier's large residual dominate; MAE (L1)
has a constant-size gradient and is robust but has a kink at 0; smooth L1
is quadratic near 0 and linear beyond, and Huber is its scaled twin. Each
loss is a function (``mse_loss``) and a class (``MSELoss``) that computes
the same terms and adds ``backward``.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_number
from ._base import Loss, check_pair, evaluate

# -- MSE -------------------------------------------------------------------------


def _mse(pred, target):
    return (pred - target) ** 2


def mse_loss(pred, target, *, reduction: str = "mean"):
    r"""Mean squared error :math:`l_i = (x_i - y_i)^2` (Chapter 2); :class:`MSELoss` adds ``backward``.

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
    return evaluate(_mse, *check_pair(pred, target, "pred"), reduction)


class MSELoss(Loss):
    r"""Mean squared error (均方误差, L2 loss), as ``torch.nn.MSELoss`` (Chapter 2).

    .. math::

        l_i = (x_i - y_i)^2, \qquad \frac{\partial l_i}{\partial x_i} = 2 (x_i - y_i)

    for prediction :math:`x` and target :math:`y` of the same shape. The
    gradient grows with the residual, so outliers pull hard.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    terms = staticmethod(_mse)

    def _grad(self, pred, target):
        return 2 * (pred - target)


# -- L1 --------------------------------------------------------------------------


def _l1(pred, target):
    return np.abs(pred - target)


def l1_loss(pred, target, *, reduction: str = "mean"):
    r"""Mean absolute error :math:`l_i = |x_i - y_i|` (Chapter 2); :class:`L1Loss` adds ``backward``.

    ``absolute_loss`` is this function under the name of the absolute-value loss
    (绝对值损失函数, :math:`|y_i - x_i|`).

    Parameters
    ----------
    pred, target : array_like
        Prediction :math:`x` and target :math:`y`, of the same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    return evaluate(_l1, *check_pair(pred, target, "pred"), reduction)


class L1Loss(Loss):
    r"""Mean absolute error (平均绝对误差, L1 loss), as ``torch.nn.L1Loss`` (Chapter 2).

    .. math::

        l_i = |x_i - y_i|, \qquad \frac{\partial l_i}{\partial x_i} = \operatorname{sign}(x_i - y_i)

    with :math:`\operatorname{sign}(0) = 0` at the kink, as PyTorch. The
    gradient has the same size for every residual: robust to outliers.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    terms = staticmethod(_l1)

    def _grad(self, pred, target):
        return np.sign(pred - target)


# -- smooth L1 and Huber -----------------------------------------------------------


def _is_l1(pred, beta: float) -> bool:
    """``beta`` is 0 in ``pred``'s dtype: smooth L1 is then exactly L1, as in PyTorch."""
    return pred.dtype.type(beta) == 0


def _smooth_l1(pred, target, beta: float):
    """Smooth L1 terms: with :math:`m = \\min(|d|, \\beta)`, :math:`(|d| - m) + m^2 / (2\\beta)`.

    One expression for both pieces (no branch computes a value it then
    throws away), and :math:`m/\\beta \\le 1`, so nothing overflows.
    """
    if _is_l1(pred, beta):
        return _l1(pred, target)
    size = np.abs(pred - target)
    m = np.minimum(size, beta)
    return (size - m) + 0.5 * m * (m / beta)


def _smooth_l1_grad(pred, target, beta: float):
    """Derivative of :func:`_smooth_l1`: the residual clipped to ``[-beta, beta]``, divided by ``beta``."""
    if _is_l1(pred, beta):
        return np.sign(pred - target)
    return np.clip(pred - target, -beta, beta) / beta


def smooth_l1_loss(pred, target, beta: float = 1.0, *, reduction: str = "mean"):
    r"""Smooth L1 loss (Chapter 2); :class:`SmoothL1Loss` adds ``backward``.

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
    beta = check_number(beta, "beta", low=0)
    return evaluate(_smooth_l1, *check_pair(pred, target, "pred"), reduction, beta=beta)


class SmoothL1Loss(Loss):
    r"""Smooth L1 loss, as ``torch.nn.SmoothL1Loss`` (Chapter 2).

    L1 with the kink rounded off: quadratic for residuals below ``beta``,
    linear (slope 1) beyond, so outliers pull no harder than under L1.

    .. math::

        l_i = \begin{cases} 0.5\, d_i^2 / \beta, & |d_i| < \beta \\
                            |d_i| - 0.5\, \beta, & \text{otherwise} \end{cases}
        \qquad
        \frac{\partial l_i}{\partial x_i} = \operatorname{clip}(d_i / \beta, -1, 1),

    with :math:`d_i = x_i - y_i`. ``beta=0`` (or a ``beta`` that is 0 in the
    input's dtype) is exactly :class:`L1Loss`, value and gradient, as in
    PyTorch. :class:`HuberLoss` is smooth L1 times ``beta``.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    beta : float, default 1.0
        Where the quadratic part ends; ``beta >= 0``.
    """

    terms = staticmethod(_smooth_l1)

    def __init__(self, *, reduction: str = "mean", beta: float = 1.0):
        super().__init__(reduction=reduction)
        self.beta = check_number(beta, "beta", low=0)

    def _grad(self, pred, target):
        return _smooth_l1_grad(pred, target, self.beta)

    def _hyperparameters(self):
        return {"beta": self.beta}


def _huber(pred, target, delta: float):
    return delta * _smooth_l1(pred, target, delta)


def huber_loss(pred, target, delta: float = 1.0, *, reduction: str = "mean"):
    r"""Huber loss, ``delta`` times smooth L1 with ``beta=delta`` (Chapter 2); :class:`HuberLoss` adds ``backward``.

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
    delta = check_number(delta, "delta", low=0, low_open=True)
    return evaluate(_huber, *check_pair(pred, target, "pred"), reduction, delta=delta)


class HuberLoss(Loss):
    r"""Huber loss, as ``torch.nn.HuberLoss`` (Chapter 2): smooth L1 with ``beta=delta``, times ``delta``.

    .. math::

        l_i = \begin{cases} 0.5\, d_i^2, & |d_i| < \delta \\
                            \delta\,(|d_i| - 0.5\, \delta), & \text{otherwise} \end{cases}
        \qquad
        \frac{\partial l_i}{\partial x_i} = \operatorname{clip}(d_i, -\delta, \delta),

    with :math:`d_i = x_i - y_i`. Near 0 it is exactly half the squared
    error, whatever ``delta``; far out, each unit of residual costs ``delta``.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    delta : float, default 1.0
        Where the quadratic part ends; ``delta > 0``.
    """

    terms = staticmethod(_huber)

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        delta = check_number(delta, "delta", low=0, low_open=True)
        super().__init__(reduction=reduction)
        self.delta = delta

    def _grad(self, pred, target):
        return self.delta * _smooth_l1_grad(pred, target, self.delta)

    def _hyperparameters(self):
        return {"delta": self.delta}
