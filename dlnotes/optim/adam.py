"""Adam: RMSProp plus momentum, with bias correction (Chapter 4)."""

from __future__ import annotations

import numpy as np

from .._validation import _show, check_flag, check_number
from .optimizer import Optimizer, _state_array


def _check_betas(betas) -> tuple[float, float]:
    """Check Adam's ``betas``: a pair of numbers, each in ``[0, 1)``."""
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2), got {_show(betas)}")
    return tuple(check_number(b, f"betas[{k}]", low=0.0, high=1.0, high_open=True) for k, b in enumerate(betas))


class Adam(Optimizer):
    r"""Adam (Chapter 4): RMSProp + Momentum, with bias correction.

    ``M`` is a momentum-like moving average of the gradients (decay
    ``β1``), ``R`` an RMSProp-like moving average of their squares (decay
    ``β2``); PyTorch writes them ``m`` and ``v``, and ``ε`` for ``ξ``. Both start at zero, so early on they are biased towards zero;
    dividing by ``1 - β^t`` corrects that. Step ``t`` is (as
    ``torch.optim.Adam``):

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        M_t &\leftarrow \beta_1 M_{t-1} + (1 - \beta_1) g_t \\
        R_t &\leftarrow \beta_2 R_{t-1} + (1 - \beta_2) g_t^2 \\
        R^{max}_t &\leftarrow \max(R^{max}_{t-1}, R_t) \quad (\text{amsgrad; then use } R^{max}_t
            \text{ for } R_t \text{ below}) \\
        \hat M_t &\leftarrow M_t / (1 - \beta_1^t), \qquad \hat R_t \leftarrow R_t / (1 - \beta_2^t) \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma\, \hat M_t / (\sqrt{\hat R_t} + \xi)

    So the first step moves each coordinate by about ``lr`` (``M̂_1 = g_1``,
    ``R̂_1 = g_1²``), whatever the gradient's scale.

    With ``decoupled_weight_decay`` (AdamW, Loshchilov and Hutter 2019) the
    first line becomes :math:`\theta_{t-1} \leftarrow (1 - \gamma\lambda)\,\theta_{t-1}`:
    the weights shrink directly, instead of through a gradient term that the
    division by :math:`\sqrt{\hat R_t}` would rescale coordinate by coordinate.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float, default 0.001
        Learning rate ``γ ≥ 0``.
    betas : (float, float), default (0.9, 0.999)
        Decay rates ``β1, β2`` in ``[0, 1)``.
    eps : float, default 1e-8
        ``ξ > 0`` added to the denominator.
    weight_decay : float, default 0
        Weight decay ``λ ≥ 0``: an L2 penalty added to the gradient, or, with
        ``decoupled_weight_decay``, a shrinking of the weights.
    amsgrad : bool, default False
        Use the running maximum of ``R`` (AMSGrad).
    maximize : bool, default False (keyword only)
        Climb the objective instead (``g_t ← -g_t`` before the weight decay).
    decoupled_weight_decay : bool, default False (keyword only)
        Decoupled weight decay, ``θ ← (1 - γλ) θ`` before the step (AdamW).
    bias_correction : bool, default True
        **Not in PyTorch.** ``False`` skips the divisions by ``1 - β^t``
        (``M̂ = M``, ``R̂ = R``), to show why the correction matters: the
        first step is then ``lr (1-β1) / √(1-β2)`` per coordinate, about
        ``3.16 lr`` with the default betas, instead of ``lr``.

    Notes
    -----
    State per parameter: ``"exp_avg"`` (``M``), ``"exp_avg_sq"`` (``R``),
    ``"max_exp_avg_sq"`` (``R^{max}``, with amsgrad) and ``"step"`` (``t``).
    As in PyTorch's code, AMSGrad keeps the maximum of the uncorrected ``R``
    and applies the correction afterwards.
    """

    state_names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")

    def __init__(
        self,
        params,
        lr=0.001,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        amsgrad=False,
        *,
        maximize=False,
        decoupled_weight_decay=False,
        bias_correction=True,
    ):
        super().__init__(
            params,
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
            bias_correction=bias_correction,
        )

    def check_hyperparameters(self) -> None:
        super().check_hyperparameters()
        self.betas = _check_betas(self.betas)
        self.eps = check_number(self.eps, "eps", low=0.0, low_open=True)
        self.amsgrad = check_flag(self.amsgrad, "amsgrad")
        self.decoupled_weight_decay = check_flag(self.decoupled_weight_decay, "decoupled_weight_decay")
        self.bias_correction = check_flag(self.bias_correction, "bias_correction")

    def decay(self, theta: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Coupled weight decay as in the base class, or, decoupled, ``θ ← (1 - γλ) θ`` and the gradient alone."""
        if not self.decoupled_weight_decay or self.weight_decay == 0:
            return super().decay(theta, g)
        theta *= 1 - self.lr * self.weight_decay
        return np.negative(g, out=self.scratch(theta, "grad")) if self.maximize else g

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict) -> None:
        beta1, beta2 = self.betas
        t = state["step"]
        denom, step = self.scratch(theta, "denom"), self.scratch(theta, "step")
        m = _state_array(state, "exp_avg", theta)
        v = _state_array(state, "exp_avg_sq", theta)
        m *= beta1
        m += np.multiply(g, 1 - beta1, out=step)
        v *= beta2
        np.multiply(g, g, out=step)
        step *= 1 - beta2
        v += step
        if self.amsgrad:
            v_max = _state_array(state, "max_exp_avg_sq", theta)
            np.maximum(v_max, v, out=v_max)
            v = v_max
        if self.bias_correction:  # m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t)
            np.divide(v, 1 - beta2**t, out=denom)
            np.divide(m, 1 - beta1**t, out=step)
        else:
            denom[...] = v
            step[...] = m
        np.sqrt(denom, out=denom)
        denom += self.eps
        step *= self.lr
        step /= denom
        theta -= step
