"""Activation layers: ``y = f(x)`` elementwise, ``∂L/∂x = ∂L/∂y · f'(x)`` (Chapter 1).

Each layer is a thin wrapper around a ``(function, derivative)`` pair from
``dlnotes.activations.ACTIVATIONS``: ``forward`` keeps its input, ``backward``
multiplies the upstream gradient by the derivative at that input. They have
no parameters.
"""

from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS
from .module import Module

__all__ = ["ELU", "GELU", "LeakyReLU", "ReLU", "SiLU", "Sigmoid", "Softplus", "Tanh"]


class _Activation(Module):
    r"""An elementwise activation ``f`` named ``name`` in ``ACTIVATIONS``, with hyperparameters.

    .. math:: y = f(x), \qquad \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} \odot f'(x)

    Subclasses set ``name``; those with hyperparameters pass them to
    ``_set``, which checks them at once (by evaluating ``f`` on an empty
    array) rather than at the first ``forward``, and keeps them as Python
    floats, so a NumPy scalar such as ``np.float64(0.1)`` does not turn
    float32 activations into float64.
    """

    name: str = ""

    def __init__(self):
        super().__init__()
        self.function, self.derivative = ACTIVATIONS[self.name]
        self.hyperparameters = {}

    def _set(self, **hyperparameters) -> None:
        self.function(np.zeros(0), **hyperparameters)  # raises for a bad hyperparameter
        self.hyperparameters = {key: float(value) for key, value in hyperparameters.items()}

    def forward(self, x):
        """Return ``f(x)`` and keep ``x`` for ``backward``."""
        x = self._check(x)
        self._save(x.shape, self._own(x))
        return self.function(x, **self.hyperparameters)

    def backward(self, grad_out):
        """Return ``grad_out * f'(x)`` for the ``x`` of the waiting ``forward``, in ``x``'s dtype."""
        grad_out, (x,) = self._saved_for(grad_out)
        slope = self.derivative(x, **self.hyperparameters)  # a new array in x's dtype
        if np.may_share_memory(slope, x):
            slope = slope.copy()
        return np.multiply(grad_out, slope, out=slope)  # no further temporary

    def extra_repr(self) -> str:
        return ", ".join(f"{key}={value!r}" for key, value in self.hyperparameters.items())


class Sigmoid(_Activation):
    r""":math:`\sigma(x) = 1 / (1 + e^{-x})` as a layer (Chapter 1); see ``dlnotes.activations.sigmoid``."""

    name = "sigmoid"


class Tanh(_Activation):
    r""":math:`\tanh(x)` as a layer (Chapter 1); see ``dlnotes.activations.tanh``."""

    name = "tanh"


class ReLU(_Activation):
    r""":math:`\max(0, x)` as a layer (Chapter 1); see ``dlnotes.activations.relu``.

    Backward is :math:`\partial L/\partial x = \partial L/\partial y \cdot [x > 0]`. The layer
    computes both directly, with no temporary beyond the mask: ``x`` was
    checked where it entered the network, so it is not scanned again.
    """

    name = "relu"

    def forward(self, x):
        x = self._check(x)
        self._save(x.shape, self._own(x))
        return np.maximum(x, 0)

    def backward(self, grad_out):
        grad_out, (x,) = self._saved_for(grad_out)
        return np.multiply(grad_out, x > 0, dtype=x.dtype)


class LeakyReLU(_Activation):
    """:math:`x` for :math:`x > 0`, else :math:`a x` with :math:`a` = ``negative_slope`` (Chapter 1).

    See ``dlnotes.activations.leaky_relu``.

    Parameters
    ----------
    negative_slope : float
        Any finite real number (default 0.01, as in PyTorch).
    """

    name = "leaky_relu"

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self._set(negative_slope=negative_slope)


class ELU(_Activation):
    r""":math:`x` for :math:`x > 0`, else :math:`\alpha (e^x - 1)` (Chapter 1).

    See ``dlnotes.activations.elu``.

    Parameters
    ----------
    alpha : float
        Any finite real number (default 1.0, as in PyTorch).
    """

    name = "elu"

    def __init__(self, alpha=1.0):
        super().__init__()
        self._set(alpha=alpha)


class Softplus(_Activation):
    r""":math:`\frac{1}{\beta}\log(1 + e^{\beta x})`, linear where :math:`\beta x >` ``threshold`` (Chapter 1).

    See ``dlnotes.activations.softplus``.

    Parameters
    ----------
    beta : float
        Finite and > 0 (default 1.0).
    threshold : float
        > 0 (default 20.0).
    """

    name = "softplus"

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self._set(beta=beta, threshold=threshold)


class GELU(_Activation):
    r""":math:`x\,\Phi(x)`, the exact (erf) form (Chapter 1); see ``dlnotes.activations.gelu``."""

    name = "gelu"


class SiLU(_Activation):
    r""":math:`x\,\sigma(x)`, also called Swish (Chapter 1); see ``dlnotes.activations.silu``."""

    name = "silu"
