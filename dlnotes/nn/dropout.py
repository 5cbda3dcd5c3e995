"""Dropout (防止过拟合, item 2), Chapter 8."""

from __future__ import annotations

from .._validation import as_float_array, as_generator, check_number, check_same_shape
from .module import Module


class Dropout(Module):
    """Inverted dropout (Chapter 8), as in PyTorch.

    ``p`` is the probability to *drop* a unit; the lecture's keep probability
    is :math:`P = 1 - p`. In training mode

    .. math::

        m_{ij} \\sim \\text{Bernoulli}(1 - p), \\qquad
        y = \\frac{m \\odot x}{1 - p}, \\qquad
        \\frac{\\partial L}{\\partial x} = \\frac{m \\odot G}{1 - p},

    with the *same* mask ``m`` in backward as in forward. Dividing by
    :math:`1 - p` keeps the expected activation, :math:`E[y] = x`, so in
    evaluation mode (``eval()``) the layer is simply the identity, forward and
    backward.

    Parameters
    ----------
    p : float
        Drop probability in [0, 1).
    rng : numpy.random.Generator, int or None
        Source of the masks; the same seed gives the same sequence of masks.

    Attributes
    ----------
    mask : numpy.ndarray or None
        The 0/1 mask ``m`` of the last training-mode forward (input dtype), or
        None after an evaluation-mode forward.
    """

    def __init__(self, p=0.5, rng=None):
        super().__init__()
        self.p = check_number(p, "p", low=0, high=1, high_open=True)
        self.rng = as_generator(rng)
        self.mask = None
        self._forward_done = False

    def forward(self, x):
        x = as_float_array(x, "x")
        self._forward_done = True
        if not self.training:
            self.mask = None
            return x
        self.mask = (self.rng.random(x.shape) >= self.p).astype(x.dtype)
        return x * self.mask / (1 - self.p)

    def backward(self, grad_out):
        if not self._forward_done:
            raise RuntimeError("Dropout.backward called before forward")
        grad_out = as_float_array(grad_out, "grad_out")
        if self.mask is None:
            return grad_out
        check_same_shape(self.mask, grad_out, "the output", "grad_out")
        return (grad_out * self.mask / (1 - self.p)).astype(self.mask.dtype, copy=False)

    def extra_repr(self) -> str:
        return f"p={self.p}"
