"""Checkers for the exercises of Chapter 7, batch normalization.

- :func:`check_batchnorm_forward`: the forward pass of batch normalization in training mode;
- :func:`check_running_update`: one update of the running statistics, in PyTorch's momentum convention;
- :func:`check_batchnorm_backward`: the gradient of the normalization with respect to its input.

The references are the library's own ``dlnotes.nn.BatchNorm1d``, run forward
(and backward) in training mode.
"""

from __future__ import annotations

import numpy as np

from ... import nn
from . import Verdict, check_function


def _layer(gamma, eps, momentum: float = 0.1) -> nn.BatchNorm1d:
    gamma = np.asarray(gamma, dtype=float)
    bn = nn.BatchNorm1d(gamma.shape[0], eps=eps, momentum=momentum)
    bn.gamma.data[:] = gamma
    return bn


def batchnorm_forward(z, gamma, beta, eps) -> np.ndarray:
    """Reference: batch normalization of ``z`` (shape ``(m, features)``) in training mode (Chapter 7).

    .. math::

        \\mu_B = \\frac1m \\sum_i z_i, \\quad \\sigma_B^2 = \\frac1m \\sum_i (z_i - \\mu_B)^2, \\quad
        \\tilde z_i = \\gamma \\frac{z_i - \\mu_B}{\\sqrt{\\sigma_B^2 + \\text{eps}}} + \\beta_\\text{BN},

    computed by ``dlnotes.nn.BatchNorm1d``.
    """
    bn = _layer(gamma, eps)
    bn.beta.data[:] = beta
    with nn.no_grad():
        return bn(z)


def running_update(running_mean, running_var, z, momentum):
    """Reference: the running statistics after one training-mode batch ``z`` (Chapter 7).

    .. math::

        \\text{running\\_mean} \\leftarrow (1 - \\text{momentum})\\,\\text{running\\_mean} + \\text{momentum}\\,\\mu_B,
        \\qquad
        \\text{running\\_var} \\leftarrow (1 - \\text{momentum})\\,\\text{running\\_var}
            + \\text{momentum}\\,\\frac{m}{m-1}\\,\\sigma_B^2,

    as ``dlnotes.nn.BatchNorm1d`` (and PyTorch) update them. Returns the pair.
    """
    bn = _layer(np.ones(len(running_mean)), 1e-5, momentum)
    bn.running_mean[:], bn.running_var[:] = running_mean, running_var
    with nn.no_grad():
        bn(z)
    return bn.running_mean.copy(), bn.running_var.copy()


def batchnorm_backward(grad_out, z, gamma, eps) -> np.ndarray:
    """Reference: :math:`\\partial L / \\partial z` of batch normalization in training mode (Chapter 7).

    .. math::

        \\frac{\\partial L}{\\partial z_i} = \\frac{1}{m \\sqrt{\\sigma_B^2 + \\text{eps}}}
        \\Big( m \\frac{\\partial L}{\\partial \\hat z_i} - \\sum_k \\frac{\\partial L}{\\partial \\hat z_k}
        - \\hat z_i \\sum_k \\frac{\\partial L}{\\partial \\hat z_k} \\hat z_k \\Big),
        \\qquad \\frac{\\partial L}{\\partial \\hat z_i} = \\gamma\\, \\text{grad\\_out}_i,

    from ``dlnotes.nn.BatchNorm1d.backward``.
    """
    bn = _layer(gamma, eps)
    bn(z)
    return bn.backward(grad_out)


def _forward_cases():
    rng = np.random.default_rng(7)
    tiny = np.array([[0.0, 5.0], [0.01, 5.0], [0.02, 5.0], [0.01, 5.0]])  # a small variance and none at all
    return [
        (tiny, np.array([1.0, 3.0]), np.array([0.0, 0.25]), 1e-3),
        (np.array([[1.0], [3.0]]), np.array([1.0]), np.array([0.0]), 1e-5),
        (np.array([[1.0, -2.0], [2.0, 0.0], [6.0, 1.0]]), np.array([2.0, 0.5]), np.array([1.0, -1.0]), 1e-5),
        (10.0 + 3.0 * rng.standard_normal((16, 4)), rng.uniform(0.5, 2.0, 4), rng.standard_normal(4), 0.1),
    ]


def check_batchnorm_forward(fn) -> Verdict:
    """Check ``fn(z, gamma, beta, eps)``: batch normalization in training mode (Chapter 7).

    .. math:: \\tilde z_i = \\gamma \\frac{z_i - \\mu_B}{\\sqrt{\\sigma_B^2 + \\text{eps}}} + \\beta_\\text{BN},
              \\qquad \\sigma_B^2 = \\frac1m \\sum_i (z_i - \\mu_B)^2 \\ \\text{(biased)},

    on batches of 2 to 16 rows, one with a feature of tiny variance and one
    with a constant feature. Prints and returns a verdict naming the first
    input where ``fn`` is wrong.
    """
    return check_function(fn, batchnorm_forward, _forward_cases(), name="batchnorm_forward")


def check_running_update(fn) -> Verdict:
    """Check ``fn(running_mean, running_var, z, momentum)``: the running statistics after the batch ``z`` (Chapter 7).

    ``fn`` returns the pair ``(new_running_mean, new_running_var)`` in PyTorch's
    convention (``momentum`` weighs the new batch; the variance is unbiased,
    :math:`\\frac{m}{m-1}\\sigma_B^2`).
    """
    rng = np.random.default_rng(8)
    cases = [
        (np.zeros(1), np.ones(1), np.array([[1.0], [3.0]]), 0.1),
        (np.array([1.0, -1.0]), np.array([2.0, 0.5]), np.array([[0.0, 1.0], [4.0, 1.0], [2.0, -2.0]]), 0.3),
        (rng.standard_normal(3), rng.uniform(0.5, 2.0, 3), 2.0 + rng.standard_normal((8, 3)), 0.01),
        (np.zeros(2), np.ones(2), 5.0 * rng.standard_normal((4, 2)), 0.9),
    ]
    return check_function(fn, running_update, cases, name="running_update")


def check_batchnorm_backward(fn) -> Verdict:
    """Check ``fn(grad_out, z, gamma, eps)``: :math:`\\partial L/\\partial z` for batch normalization in training mode (Chapter 7).

    ``grad_out`` is :math:`\\partial L / \\partial \\tilde z`, of the shape of ``z``.
    """
    rng = np.random.default_rng(9)
    cases = []
    for m, d in ((3, 1), (4, 2), (6, 3), (12, 2)):
        z = rng.uniform(0.5, 3.0) * rng.standard_normal((m, d)) + rng.standard_normal(d)
        cases.append((rng.standard_normal((m, d)), z, rng.uniform(0.5, 2.0, d), 1e-5))
    return check_function(fn, batchnorm_backward, cases, name="batchnorm_backward")
