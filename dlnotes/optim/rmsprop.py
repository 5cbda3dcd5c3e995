"""RMSProp: AdaGrad with a moving average, optionally centred and with momentum (Chapter 4)."""

from __future__ import annotations

import numpy as np

from .._validation import check_flag, check_number
from .optimizer import Optimizer, _state_array


class RMSprop(Optimizer):
    r"""RMSProp (Chapter 4).

    In the book's notation: a decay rate ``ρ`` turns AdaGrad's sum into a moving
    average, ``R ← ρ R + (1 - ρ) g ⊙ g``, so the rate ``lr / (ξ + √R)`` no
    longer decays to zero. PyTorch calls ``ρ`` ``alpha``, ``R``
    ``square_avg`` and ``ξ`` ``eps``. ``centered`` divides by an estimate of the gradient's
    variance instead of its second moment; ``momentum`` adds a velocity
    ("RMSProp with momentum"). Step ``t`` is (as ``torch.optim.RMSprop``):

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        R_t &\leftarrow \rho R_{t-1} + (1 - \rho) g_t^2, \qquad \tilde R_t \leftarrow R_t \\
        g^{ave}_t &\leftarrow \rho g^{ave}_{t-1} + (1 - \rho) g_t, \qquad
            \tilde R_t \leftarrow R_t - (g^{ave}_t)^2 \quad (\text{centered}) \\
        \tilde v_t &\leftarrow \mu \tilde v_{t-1} + g_t / (\sqrt{\tilde R_t} + \xi), \qquad
            \theta_t \leftarrow \theta_{t-1} - \gamma \tilde v_t \quad (\mu > 0) \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma g_t / (\sqrt{\tilde R_t} + \xi) \quad (\mu = 0)

    with ``R_0 = ṽ_0 = g^{ave}_0 = 0`` (the momentum buffer ``ṽ`` starts at zero, unlike SGD's).

    Parameters
    ----------
    params : iterable of Parameter
    lr : float, default 0.01
        Learning rate ``γ ≥ 0``.
    alpha : float, default 0.99
        Decay rate ``ρ`` (the book's name) in ``[0, 1]``.
    eps : float, default 1e-8
        ``ξ > 0`` added to the denominator.
    weight_decay : float, default 0
        L2 penalty ``λ ≥ 0``.
    momentum : float, default 0
        Momentum factor ``μ ≥ 0``.
    centered : bool, default False
        Normalize by the variance estimate ``R - (g^{ave})^2``.
    maximize : bool, default False (keyword only)
        Climb the objective instead (``g_t ← -g_t`` before the weight decay).

    Notes
    -----
    State per parameter: ``"square_avg"`` (``R``), ``"grad_avg"``
    (``g^{ave}``, when centered), ``"momentum_buffer"`` (``ṽ``, when
    ``μ > 0``) and ``"step"``. In the centered form a variance estimate that
    rounding pushes below zero is taken as 0, and one whose ``R`` overflowed
    stays infinite, so its square root is never NaN (PyTorch would give NaN
    there). ``eps`` must be positive.
    """

    state_names = ("square_avg", "grad_avg", "momentum_buffer")

    def __init__(
        self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, *, maximize=False
    ):
        super().__init__(
            params,
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
        )

    def check_hyperparameters(self) -> None:
        super().check_hyperparameters()
        self.alpha = check_number(self.alpha, "alpha", low=0.0, high=1.0)
        self.eps = check_number(self.eps, "eps", low=0.0, low_open=True)
        self.momentum = check_number(self.momentum, "momentum", low=0.0)
        self.centered = check_flag(self.centered, "centered")

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict) -> None:
        denom, step = self.scratch(theta, "denom"), self.scratch(theta, "step")
        v = _state_array(state, "square_avg", theta)
        v *= self.alpha
        np.multiply(g, g, out=step)
        step *= 1 - self.alpha
        v += step
        if self.centered:
            g_ave = _state_array(state, "grad_avg", theta)
            g_ave *= self.alpha
            g_ave += np.multiply(g, 1 - self.alpha, out=step)
            with np.errstate(invalid="ignore"):  # inf - inf where v overflowed, replaced next
                variance = np.subtract(v, np.multiply(g_ave, g_ave, out=denom), out=denom)
            if not np.isfinite(v.max(initial=0)):  # v ≥ 0; an overflowed v stays infinite rather than NaN
                variance[np.isinf(v)] = np.inf
            np.maximum(variance, 0, out=denom)  # v ≥ g_ave² in exact arithmetic: clip rounding below 0
            np.sqrt(denom, out=denom)
        else:
            np.sqrt(v, out=denom)
        denom += self.eps
        if self.momentum > 0:
            buf = _state_array(state, "momentum_buffer", theta)
            buf *= self.momentum
            buf += np.divide(g, denom, out=step)
            theta -= np.multiply(buf, self.lr, out=step)
        else:
            np.multiply(g, self.lr, out=step)
            step /= denom
            theta -= step
