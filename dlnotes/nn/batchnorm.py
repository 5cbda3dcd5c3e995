"""Batch normalization (批标准化), Chapter 7."""

from __future__ import annotations

import numpy as np

from .._validation import check_float_dtype, check_number
from .module import Module, Parameter


class BatchNorm1d(Module):
    """Batch normalization over a batch of shape ``(m, num_features)`` (Chapter 7), as in PyTorch.

    In training mode each feature is normalized with the statistics of the
    batch (biased variance),

    .. math::

        \\mu_B = \\frac{1}{m} \\sum_i z_i, \\quad
        \\sigma_B^2 = \\frac{1}{m} \\sum_i (z_i - \\mu_B)^2, \\quad
        \\hat z_i = \\frac{z_i - \\mu_B}{\\sqrt{\\sigma_B^2 + \\text{eps}}}, \\quad
        \\tilde z_i = \\gamma \\hat z_i + \\beta_\\text{BN},

    for the :math:`m` rows :math:`z_i` of a batch (one column, one unit, at a
    time), and the running statistics move towards the batch's, with the
    *unbiased* variance, as PyTorch does:

    .. math::

        \\text{running\\_mean} \\leftarrow (1 - \\text{momentum})\\,\\text{running\\_mean} + \\text{momentum}\\,\\mu_B,

        \\text{running\\_var} \\leftarrow (1 - \\text{momentum})\\,\\text{running\\_var}
            + \\text{momentum}\\,\\frac{m}{m - 1}\\sigma_B^2 .

    In evaluation mode (``eval()``) ``running_mean`` and ``running_var``
    replace :math:`\\mu_B` and :math:`\\sigma_B^2`, so one example's output no
    longer depends on the rest of its batch. The backward pass in training
    mode is the chain rule through :math:`\\hat z`, :math:`\\sigma_B^2` and
    :math:`\\mu_B`, which Ioffe & Szegedy (2015) give term by term; collecting
    the terms, with :math:`z_i - \\mu_B = \\hat z_i \\sqrt{\\sigma_B^2 + \\text{eps}}`, gives

    .. math::

        \\frac{\\partial L}{\\partial z_i} = \\frac{1}{m\\sqrt{\\sigma_B^2 + \\text{eps}}}
        \\Big(m g_i - \\sum_k g_k - \\hat z_i \\sum_k g_k \\hat z_k\\Big),
        \\qquad g_i = \\gamma \\, \\frac{\\partial L}{\\partial \\tilde z_i},

    and in evaluation mode, where the statistics are constants,
    :math:`\\partial L / \\partial z_i = g_i / \\sqrt{\\text{running\\_var} + \\text{eps}}`;
    :math:`\\partial L / \\partial \\gamma = \\sum_i \\frac{\\partial L}{\\partial \\tilde z_i} \\hat z_i` and
    :math:`\\partial L / \\partial \\beta_\\text{BN} = \\sum_i \\frac{\\partial L}{\\partial \\tilde z_i}` in both.

    Parameters
    ----------
    num_features : int
        Number of features (columns of the input).
    eps : float
        Added to the variance before the square root (> 0).
    momentum : float
        Weight in [0, 1] of the newest batch in the running statistics
        (PyTorch's convention; ``momentum=None``, a cumulative average, is not
        offered).
    dtype : numpy.float32 or numpy.float64
        dtype of ``gamma``, ``beta`` and the running statistics.

    A batch of one example in training mode has no variance and raises
    ``ValueError`` (PyTorch raises too). The output has the input's dtype.
    """

    _buffers = ("running_mean", "running_var")

    def __init__(self, num_features, eps=1e-5, momentum=0.1, dtype=np.float64):
        super().__init__()
        self.num_features = check_number(num_features, "num_features", low=1, integer=True)
        self.eps = check_number(eps, "eps", low=0, low_open=True)
        self.momentum = check_number(momentum, "momentum", low=0, high=1)
        dtype = check_float_dtype(dtype)
        self.gamma = Parameter(np.ones(self.num_features, dtype=dtype))
        self.beta = Parameter(np.zeros(self.num_features, dtype=dtype))
        self.running_mean = np.zeros(self.num_features, dtype=dtype)
        self.running_var = np.ones(self.num_features, dtype=dtype)

    def forward(self, x):
        x = self._check(x, ndim=2, features=self.num_features)
        n = x.shape[0]
        if self.training:
            if n < 2:
                raise ValueError(f"x must hold at least 2 examples in training mode, got shape {x.shape}")
            mean = np.add.reduce(x, axis=0) / n
            x_hat = x - mean
            var = np.einsum("ij,ij->j", x_hat, x_hat) / n
            m = self.momentum
            self.running_mean *= 1 - m
            self.running_mean += m * mean
            self.running_var *= 1 - m
            self.running_var += (m * n / (n - 1)) * var
        else:
            mean, var = self.running_mean, self.running_var
            x_hat = x - mean
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat *= inv_std
        y = x_hat * self.gamma.data
        y += self.beta.data
        self._save(x.shape, x_hat, inv_std, self.training, x.dtype)
        return y.astype(x.dtype, copy=False)

    def backward(self, grad_out):
        grad_out, (x_hat, inv_std, batch_stats, dtype) = self._saved_for(grad_out)
        sum_g = np.add.reduce(grad_out, axis=0)
        sum_g_x_hat = np.einsum("ij,ij->j", grad_out, x_hat)
        self.gamma._add(sum_g_x_hat)
        self.beta._add(sum_g)
        scale = self.gamma.data * inv_std
        if not batch_stats:
            return (grad_out * scale).astype(dtype, copy=False)
        n = grad_out.shape[0]
        grad_in = x_hat * (sum_g_x_hat / n)
        np.subtract(grad_out, grad_in, out=grad_in)
        grad_in -= sum_g / n
        grad_in *= scale
        return grad_in.astype(dtype, copy=False)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"
