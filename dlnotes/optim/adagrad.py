"""AdaGrad: a learning rate per coordinate that shrinks with the gradients seen (Chapter 4)."""

from __future__ import annotations

import numpy as np

from .._validation import check_number
from .optimizer import Optimizer, _state_array


class Adagrad(Optimizer):
    r"""AdaGrad (Chapter 4).

    In the book's notation: accumulate ``R ← R + g ⊙ g`` and step
    ``θ ← θ - lr / (ξ + √R) ⊙ g``. Coordinates with small gradients (flat
    directions) advance more, steep ones are damped, and since ``R`` only
    grows the effective rate ``lr / (ξ + √R)`` keeps shrinking. With
    PyTorch's names (``sum`` for ``R``, ``eps`` for ``ξ``), step ``t`` is (as
    ``torch.optim.Adagrad``):

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        \tilde\gamma &\leftarrow \gamma / (1 + (t - 1)\,\eta) \\
        \mathrm{sum}_t &\leftarrow \mathrm{sum}_{t-1} + g_t^2 \\
        \theta_t &\leftarrow \theta_{t-1} - \tilde\gamma\, \frac{g_t}{\sqrt{\mathrm{sum}_t} + \xi}

    Parameters
    ----------
    params : iterable of Parameter
    lr : float, default 0.01
        Learning rate ``γ ≥ 0``.
    lr_decay : float, default 0
        ``η ≥ 0``: step ``t`` uses the rate ``γ / (1 + (t - 1) η)``.
    weight_decay : float, default 0
        L2 penalty ``λ ≥ 0``.
    initial_accumulator_value : float, default 0
        Starting value ``≥ 0`` of ``sum`` (``R_0``).
    eps : float, default 1e-10
        ``ξ > 0`` added to the denominator.
    maximize : bool, default False (keyword only)
        Climb the objective instead (``g_t ← -g_t`` before the weight decay).

    Notes
    -----
    State per parameter: ``"sum"`` (``R``, set to ``initial_accumulator_value``
    when the optimizer is made) and ``"step"``. ``eps`` must be positive
    (PyTorch accepts 0, which turns a zero gradient into 0/0 = NaN).
    """

    state_names = ("sum",)

    def __init__(
        self, params, lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, *, maximize=False
    ):
        super().__init__(
            params,
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
            maximize=maximize,
        )
        for p, state in zip(self.params, self.state):
            _state_array(state, "sum", p.data, self.initial_accumulator_value)

    def check_hyperparameters(self) -> None:
        super().check_hyperparameters()
        self.initial_accumulator_value = check_number(
            self.initial_accumulator_value, "initial_accumulator_value", low=0.0
        )
        self.eps = check_number(self.eps, "eps", low=0.0, low_open=True)
        self.lr_decay = check_number(self.lr_decay, "lr_decay", low=0.0)

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict) -> None:
        clr = self.lr / (1 + (state["step"] - 1) * self.lr_decay)
        r = _state_array(state, "sum", theta, self.initial_accumulator_value)
        denom, step = self.scratch(theta, "denom"), self.scratch(theta, "step")
        r += np.multiply(g, g, out=denom)
        np.sqrt(r, out=denom)
        denom += self.eps
        np.multiply(g, clr, out=step)
        step /= denom
        theta -= step
