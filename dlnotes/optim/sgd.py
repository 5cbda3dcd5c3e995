"""Stochastic gradient descent, with momentum and Nesterov momentum (Chapter 4)."""

from __future__ import annotations

import numpy as np

from .._validation import check_flag, check_number
from .optimizer import Optimizer


class SGD(Optimizer):
    r"""Stochastic gradient descent (随机梯度下降), optionally with momentum (Chapter 4).

    Plain SGD steps against the minibatch gradient. Momentum (动量) keeps a
    buffer ``ṽ``, a running sum of past gradients (without dampening the
    book's velocity is ``v = -γ ṽ``), like a ball rolling down
    a valley: it builds up speed along a consistent direction and carries the
    point across flat regions and saddle points. With lr ``γ``, momentum
    ``μ``, dampening ``τ`` and weight decay ``λ``, step ``t`` is (as
    ``torch.optim.SGD``):

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        \tilde v_t &\leftarrow \begin{cases} g_t & t = 1 \\ \mu \tilde v_{t-1} + (1 - \tau) g_t & t > 1 \end{cases} \\
        g_t &\leftarrow \begin{cases} g_t + \mu \tilde v_t & \text{nesterov} \\ \tilde v_t & \text{otherwise} \end{cases} \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma g_t

    The momentum lines apply only when ``μ > 0``; the first buffer is the
    gradient itself, not damped. The Nesterov form evaluates the step as if
    the velocity had already been applied ("look ahead"). ``maximize``
    starts with ``g_t ← -g_t``, before the weight decay, as in PyTorch.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float, default 0.001
        Learning rate ``γ ≥ 0``.
    momentum : float, default 0
        Momentum factor ``μ ≥ 0``; 0 is plain SGD.
    dampening : float, default 0
        Dampening ``τ`` in ``[0, 1]`` of the gradient added to the velocity.
    weight_decay : float, default 0
        L2 penalty ``λ ≥ 0``.
    nesterov : bool, default False
        Nesterov momentum; needs ``momentum > 0`` and ``dampening = 0``.
    maximize : bool, default False (keyword only)
        Climb the objective instead of descending it (gradient ascent).

    Notes
    -----
    State per parameter: ``"momentum_buffer"`` (the buffer ``ṽ``, created
    at the first step with ``μ > 0``) and ``"step"``.
    """

    state_names = ("momentum_buffer",)

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False):
        super().__init__(
            params,
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )

    def check_hyperparameters(self) -> None:
        super().check_hyperparameters()
        self.momentum = check_number(self.momentum, "momentum", low=0.0)
        self.dampening = check_number(self.dampening, "dampening", low=0.0, high=1.0)
        self.nesterov = check_flag(self.nesterov, "nesterov")
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                "nesterov=True needs momentum > 0 and dampening = 0, "
                f"got momentum={self.momentum!r} and dampening={self.dampening!r}"
            )

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict) -> None:
        step = self.scratch(theta, "step")
        if self.momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = g.copy()
            else:
                buf *= self.momentum
                buf += g if self.dampening == 0 else np.multiply(g, 1 - self.dampening, out=step)
            if self.nesterov:  # g + μ ṽ
                g = np.add(g, np.multiply(buf, self.momentum, out=step), out=step)
            else:
                g = buf
        theta -= np.multiply(g, self.lr, out=step)
