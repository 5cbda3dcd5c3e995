"""Batch normalization (批标准化), Chapter 7."""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_float_dtype, check_number, check_same_shape
from .module import Module, Parameter


class BatchNorm1d(Module):
    """Batch normalization over a batch of shape ``(N, num_features)`` (Chapter 7), as in PyTorch.

    In training mode each feature is normalized with the statistics of the
    batch (biased variance),

    .. math::

        \\mu = \\frac{1}{N} \\sum_n x_n, \\quad
        \\sigma^2 = \\frac{1}{N} \\sum_n (x_n - \\mu)^2, \\quad
        \\hat x_n = \\frac{x_n - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}, \\quad
        y_n = \\gamma \\hat x_n + \\beta,

    and the running statistics move towards the batch's, with the *unbiased*
    variance, as PyTorch does:

    .. math::

        \\text{running\\_mean} \\leftarrow (1 - m)\\,\\text{running\\_mean} + m\\,\\mu, \\qquad
        \\text{running\\_var} \\leftarrow (1 - m)\\,\\text{running\\_var} + m\\,\\frac{N}{N - 1}\\sigma^2 .

    In evaluation mode (``eval()``) ``running_mean`` and ``running_var``
    replace :math:`\\mu` and :math:`\\sigma^2`, so one example's output no
    longer depends on the rest of its batch. The backward pass, in training
    mode (Ioffe & Szegedy, 2015, in compact form), is

    .. math::

        \\frac{\\partial L}{\\partial x_n} = \\frac{1}{N\\sqrt{\\sigma^2 + \\epsilon}}
        \\Big(N g_n - \\sum_k g_k - \\hat x_n \\sum_k g_k \\hat x_k\\Big),
        \\qquad g = \\gamma \\, \\frac{\\partial L}{\\partial y},

    and in evaluation mode simply :math:`g / \\sqrt{\\text{running\\_var} + \\epsilon}`;
    :math:`\\partial L / \\partial \\gamma = \\sum_n G_n \\hat x_n` and
    :math:`\\partial L / \\partial \\beta = \\sum_n G_n` in both.

    Parameters
    ----------
    num_features : int
        Number of features (columns of ``x``).
    eps : float
        Added to the variance before the square root (> 0).
    momentum : float
        Weight ``m`` in [0, 1] of the newest batch in the running statistics
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
        self._x_hat = None
        self._inv_std = None
        self._batch_stats = False
        self._x_dtype = None

    def forward(self, x):
        x = as_float_array(x, "x", ndim=2)
        if x.shape[1] != self.num_features:
            raise ValueError(f"x must have shape (N, {self.num_features}), got shape {x.shape}")
        if self.training:
            n = x.shape[0]
            if n < 2:
                raise ValueError(f"x must hold at least 2 examples in training mode, got shape {x.shape}")
            mean = x.mean(axis=0)
            var = x.var(axis=0)
            m = self.momentum
            self.running_mean[...] = (1 - m) * self.running_mean + m * mean
            self.running_var[...] = (1 - m) * self.running_var + m * var * (n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self._inv_std = 1.0 / np.sqrt(var + self.eps)
        self._x_hat = (x - mean) * self._inv_std
        self._batch_stats = self.training
        self._x_dtype = x.dtype
        y = self.gamma.data * self._x_hat + self.beta.data
        return y.astype(x.dtype, copy=False)

    def backward(self, grad_out):
        if self._x_hat is None:
            raise RuntimeError("BatchNorm1d.backward called before forward")
        grad_out = as_float_array(grad_out, "grad_out", ndim=2)
        check_same_shape(self._x_hat, grad_out, "the output", "grad_out")
        x_hat = self._x_hat
        self.gamma.grad += np.sum(grad_out * x_hat, axis=0)
        self.beta.grad += np.sum(grad_out, axis=0)
        g = grad_out * self.gamma.data
        if self._batch_stats:
            n = g.shape[0]
            g = n * g - g.sum(axis=0) - x_hat * np.sum(g * x_hat, axis=0)
            g = g / n
        return (g * self._inv_std).astype(self._x_dtype, copy=False)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"
