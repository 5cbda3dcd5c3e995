"""Checkers for the exercises of Chapter 4, the gradient-descent variants.

- :func:`check_momentum_step`: one step of SGD with momentum, against ``dlnotes.optim.SGD``;
- :func:`check_adam_step`: one step of Adam with bias correction, against ``dlnotes.optim.Adam``.

The references load the given state into the library's optimizer and call its ``step()``.
"""

from __future__ import annotations

import numpy as np

from ...nn import Parameter
from ...optim import SGD, Adam
from . import Verdict, check_function


def _one_step(optimizer_cls, p, g, state: dict, **hyperparameters) -> tuple:
    """Load ``state`` into a fresh optimizer over ``Parameter(p)``, step once with gradient ``g``."""
    param = Parameter(p)
    param.grad = np.array(g, dtype=param.data.dtype)
    opt = optimizer_cls([param], **hyperparameters)
    opt.state[0].update({key: np.array(value, copy=True) for key, value in state.items() if key != "step"})
    opt.state[0]["step"] = state.get("step", 0)
    opt.step()
    return param.data, opt.state[0]


def momentum_step(p, b, g, lr, alpha):
    """Reference: one step of ``dlnotes.optim.SGD(lr=lr, momentum=alpha)`` from buffer ``b`` (Chapter 4).

    .. math:: \\tilde v \\leftarrow \\alpha \\tilde v + \\hat g, \\qquad \\theta \\leftarrow \\theta - \\epsilon \\tilde v,

    with ``p`` the parameter :math:`\\theta`, ``b`` the momentum buffer :math:`\\tilde v` and ``g`` the minibatch gradient :math:`\\hat g`.

    Returns ``(p_new, b_new)``.
    """
    new_p, state = _one_step(SGD, p, g, {"momentum_buffer": b}, lr=lr, momentum=alpha)
    return new_p, state["momentum_buffer"]


def adam_step(p, s, r, g, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Reference: step number ``t`` of ``dlnotes.optim.Adam`` from moments ``s, r`` (Chapter 4).

    .. math::

        M \\leftarrow \\beta_1 M + (1 - \\beta_1) \\hat g, \\quad
        R \\leftarrow \\beta_2 R + (1 - \\beta_2) \\hat g^2, \\quad
        \\theta \\leftarrow \\theta - \\epsilon \\frac{M / (1 - \\beta_1^t)}{\\sqrt{R / (1 - \\beta_2^t)} + \\xi}.

    ``s`` and ``r`` hold the first and second moments :math:`M` and :math:`R` (PyTorch's ``exp_avg`` and ``exp_avg_sq``),
    ``g`` is the minibatch gradient :math:`\\hat g`, ``lr`` is :math:`\\epsilon` and ``eps`` is :math:`\\xi` (PyTorch's names).
    Returns ``(p_new, s_new, r_new)``.
    """
    state = {"exp_avg": s, "exp_avg_sq": r, "step": t - 1}
    new_p, state = _one_step(Adam, p, g, state, lr=lr, betas=(beta1, beta2), eps=eps)
    return new_p, state["exp_avg"], state["exp_avg_sq"]


def check_momentum_step(fn) -> Verdict:
    """Check ``fn(p, b, g, lr, alpha) -> (p_new, b_new)``, one step of SGD with momentum (Chapter 4).

    .. math:: \\tilde v_\\text{new} = \\alpha \\tilde v + \\hat g, \\qquad \\theta_\\text{new} = \\theta - \\epsilon\\, \\tilde v_\\text{new}

    with ``p`` the parameter :math:`\\theta`, ``b`` the momentum buffer :math:`\\tilde v`, ``g`` the minibatch
    gradient :math:`\\hat g`, and ``p_new``, ``b_new`` their values :math:`\\theta_\\text{new}`, :math:`\\tilde v_\\text{new}`
    after the step (PyTorch's form; the
    velocity form of section 4.2, :math:`v \\leftarrow \\alpha v - \\epsilon \\hat g,\\ \\theta \\leftarrow \\theta + v`,
    is the same path with :math:`v = -\\epsilon \\tilde v`). Compared with ``dlnotes.optim.SGD``.
    """
    rng = np.random.default_rng(5)
    cases = [
        (np.array([1.0, -2.0]), np.zeros(2), np.array([0.5, 0.5]), 0.1, 0.9),
        (np.array([1.0, -2.0]), np.array([1.0, 0.0]), np.array([0.0, 1.0]), 0.1, 0.9),
        (rng.normal(size=5), rng.normal(size=5), rng.normal(size=5), 0.01, 0.5),
        (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 1.0, 0.99),
    ]
    return check_function(fn, momentum_step, cases, name="momentum_step")


def check_adam_step(fn) -> Verdict:
    """Check ``fn(p, s, r, g, t, lr, beta1, beta2, eps) -> (p_new, s_new, r_new)``, one Adam step (Chapter 4).

    .. math:: M_\\text{new} = \\beta_1 M + (1 - \\beta_1) \\hat g, \\quad R_\\text{new} = \\beta_2 R + (1 - \\beta_2) \\hat g^2, \\quad
              \\theta_\\text{new} = \\theta - \\epsilon \\frac{M_\\text{new}/(1 - \\beta_1^t)}{\\sqrt{R_\\text{new}/(1 - \\beta_2^t)} + \\xi}

    with ``p`` the parameter :math:`\\theta`, ``s``, ``r`` the first and second moments :math:`M`, :math:`R`, ``g`` the
    minibatch gradient :math:`\\hat g`, and ``p_new``, ``s_new``, ``r_new`` the values :math:`\\theta_\\text{new}`,
    :math:`M_\\text{new}`, :math:`R_\\text{new}` after the step.

    ``t`` is the number of this step (1 for the first), used in the bias corrections
    :math:`1 - \\beta_1^t` and :math:`1 - \\beta_2^t`; ``eps`` is :math:`\\xi`. Compared with ``dlnotes.optim.Adam``.
    """
    rng = np.random.default_rng(6)
    cases = [
        (np.array([1.0, -1.0]), np.zeros(2), np.zeros(2), np.array([0.1, -3.0]), 1, 0.1, 0.9, 0.999, 1e-8),
        (np.array([0.5]), np.array([0.2]), np.array([0.01]), np.array([0.3]), 2, 0.01, 0.9, 0.999, 1e-8),
        (rng.normal(size=4), 0.1 * rng.normal(size=4), rng.uniform(0, 0.1, size=4), rng.normal(size=4),
         10, 0.001, 0.8, 0.99, 1e-6),
        (rng.normal(size=(2, 2)), np.zeros((2, 2)), np.zeros((2, 2)), rng.normal(size=(2, 2)), 1, 0.5, 0.0, 0.5, 1e-8),
        # gradients of about 1e-6, as a rarely active weight gets: there the root of R is comparable to
        # xi (eps), so xi inside the square root (sqrt(R + xi)) gives a very different step
        (np.array([0.2, -0.4, 1.0]), np.zeros(3), np.zeros(3), np.array([1e-6, -3e-7, 2e-6]), 1, 0.01, 0.9, 0.999, 1e-6),
        (np.array([0.2, -0.4]), np.array([1e-7, -2e-7]), np.array([1e-14, 4e-14]), np.array([2e-7, -1e-7]), 5, 0.01, 0.9,
         0.999, 1e-7),
    ]
    return check_function(fn, adam_step, cases, name="adam_step")
