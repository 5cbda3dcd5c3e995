"""AdaDelta: RMSProp whose step has the units of the parameter (Chapter 4)."""

from __future__ import annotations

import numpy as np

from .._validation import check_number
from .optimizer import Optimizer, _state_array


class Adadelta(Optimizer):
    r"""AdaDelta (Chapter 4).

    Like RMSProp it keeps a moving average (decay rate ``ρ``) of the squared
    gradients, and a second one of the squared steps; their ratio replaces
    the global learning rate, so the step has the units of the parameter.
    Step ``t`` is (as ``torch.optim.Adadelta``):

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        R_t &\leftarrow \rho R_{t-1} + (1 - \rho) g_t^2 \\
        \Delta\theta_t &\leftarrow -\frac{\sqrt{u_{t-1} + \xi}}{\sqrt{R_t + \xi}}\, g_t \\
        u_t &\leftarrow \rho u_{t-1} + (1 - \rho) \Delta\theta_t^2 \\
        \theta_t &\leftarrow \theta_{t-1} + \gamma \Delta\theta_t

    with ``R_0 = u_0 = 0`` (PyTorch writes ``v`` for ``R``, ``Δx = -Δθ``
    and ``ε`` for ``ξ``).

    Parameters
    ----------
    params : iterable of Parameter
    lr : float, default 1.0
        Scale ``γ ≥ 0`` of the step (1 in the original method).
    rho : float, default 0.9
        Decay rate ``ρ`` in ``[0, 1]``.
    eps : float, default 1e-6
        ``ξ > 0`` inside both square roots.
    weight_decay : float, default 0
        L2 penalty ``λ ≥ 0``.
    maximize : bool, default False (keyword only)
        Climb the objective instead (``g_t ← -g_t`` before the weight decay).

    Notes
    -----
    State per parameter: ``"square_avg"`` (``R``), ``"acc_delta"`` (``u``)
    and ``"step"``. ``eps`` must be positive (with 0 the first step is 0/0).
    """

    state_names = ("square_avg", "acc_delta")

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, *, maximize=False):
        super().__init__(params, lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)

    def check_hyperparameters(self) -> None:
        super().check_hyperparameters()
        self.rho = check_number(self.rho, "rho", low=0.0, high=1.0)
        self.eps = check_number(self.eps, "eps", low=0.0, low_open=True)

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict) -> None:
        delta, work = self.scratch(theta, "delta"), self.scratch(theta, "work")
        v = _state_array(state, "square_avg", theta)
        u = _state_array(state, "acc_delta", theta)
        v *= self.rho
        np.multiply(g, g, out=work)
        work *= 1 - self.rho
        v += work
        np.sqrt(np.add(u, self.eps, out=delta), out=delta)  # Δx = √(u + ε) / √(v + ε) · g
        delta /= np.sqrt(np.add(v, self.eps, out=work), out=work)
        delta *= g
        u *= self.rho
        np.multiply(delta, delta, out=work)
        work *= 1 - self.rho
        u += work
        delta *= self.lr
        theta -= delta
