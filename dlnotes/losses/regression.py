"""Regression losses (回归问题), written as functions of the residual :math:`d = x - y` (chapter 2).

MSE (L2) is smooth but lets an outlier's large residual dominate; MAE (L1)
has a constant-size gradient and is robust but has a kink at 0; smooth L1
is quadratic near 0 and linear beyond, and Huber is its scaled twin.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_number
from ._base import Loss


class MSELoss(Loss):
    r"""Mean squared error (均方误差, L2 loss), as ``torch.nn.MSELoss`` (chapter 2).

    .. math::

        l_i = (x_i - y_i)^2, \qquad \frac{\partial l_i}{\partial x_i} = 2 (x_i - y_i)

    for prediction :math:`x` and target :math:`y` of the same shape. The
    gradient grows with the residual, so outliers pull hard.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    def _value(self, pred, target):
        return (pred - target) ** 2

    def _grad(self, pred, target):
        return 2 * (pred - target)


class L1Loss(Loss):
    r"""Mean absolute error (平均绝对误差, L1 loss), as ``torch.nn.L1Loss`` (chapter 2).

    .. math::

        l_i = |x_i - y_i|, \qquad \frac{\partial l_i}{\partial x_i} = \operatorname{sign}(x_i - y_i)

    with :math:`\operatorname{sign}(0) = 0` at the kink, as PyTorch. The
    gradient has the same size for every residual: robust to outliers.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    """

    def _value(self, pred, target):
        return np.abs(pred - target)

    def _grad(self, pred, target):
        return np.sign(pred - target)


def _huber(d: np.ndarray, delta: float) -> np.ndarray:
    """Huber's function of the residual: ``d**2 / 2`` for ``|d| < delta``, ``delta * (|d| - delta/2)`` beyond."""
    size = np.abs(d)
    return np.where(size < delta, 0.5 * d * d, delta * (size - 0.5 * delta))


def _huber_grad(d: np.ndarray, delta: float) -> np.ndarray:
    """Derivative of :func:`_huber`: the residual clipped to ``[-delta, delta]``."""
    return np.clip(d, -delta, delta)


class SmoothL1Loss(L1Loss):
    r"""Smooth L1 loss, as ``torch.nn.SmoothL1Loss`` (chapter 2).

    L1 with the kink rounded off: quadratic for residuals below ``beta``,
    linear (slope 1) beyond, so outliers pull no harder than under L1.

    .. math::

        l_i = \begin{cases} 0.5\, d_i^2 / \beta, & |d_i| < \beta \\
                            |d_i| - 0.5\, \beta, & \text{otherwise} \end{cases}
        \qquad
        \frac{\partial l_i}{\partial x_i} = \operatorname{clip}(d_i / \beta, -1, 1),

    with :math:`d_i = x_i - y_i`. ``beta=0`` is exactly :class:`L1Loss`
    (value and gradient), as in PyTorch. Smooth L1 is Huber divided by
    ``beta``: :math:`\text{smooth}_{L1}(d; \beta) = \text{huber}(d; \delta=\beta) / \beta`.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    beta : float, default 1.0
        Where the quadratic part ends; ``beta >= 0``.
    """

    def __init__(self, *, reduction: str = "mean", beta: float = 1.0):
        super().__init__(reduction=reduction)
        self.beta = float(check_number(beta, "beta", low=0, high=math.inf, high_open=True))

    def _value(self, pred, target):
        if self.beta == 0:
            return super()._value(pred, target)
        return _huber(pred - target, self.beta) / self.beta

    def _grad(self, pred, target):
        if self.beta == 0:
            return super()._grad(pred, target)
        return _huber_grad(pred - target, self.beta) / self.beta

    def _hyperparameters(self):
        return {"beta": self.beta}


class HuberLoss(Loss):
    r"""Huber loss, as ``torch.nn.HuberLoss`` (chapter 2): smooth L1 scaled by ``delta``.

    .. math::

        l_i = \begin{cases} 0.5\, d_i^2, & |d_i| < \delta \\
                            \delta\,(|d_i| - 0.5\, \delta), & \text{otherwise} \end{cases}
        \qquad
        \frac{\partial l_i}{\partial x_i} = \operatorname{clip}(d_i, -\delta, \delta),

    with :math:`d_i = x_i - y_i`; equal to ``delta`` times
    :class:`SmoothL1Loss` with ``beta=delta``. Near 0 it is exactly half the
    squared error, whatever ``delta``.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined (see :class:`Loss`).
    delta : float, default 1.0
        Where the quadratic part ends; ``delta > 0``.
    """

    def __init__(self, *, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction=reduction)
        self.delta = float(check_number(delta, "delta", low=0, low_open=True, high=math.inf, high_open=True))

    def _value(self, pred, target):
        return _huber(pred - target, self.delta)

    def _grad(self, pred, target):
        return _huber_grad(pred - target, self.delta)

    def _hyperparameters(self):
        return {"delta": self.delta}
