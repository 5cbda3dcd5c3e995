"""Dropout (暂退法, also called 丢弃法 or 随机失活), a way to prevent overfitting (防止过拟合), Chapter 8."""

from __future__ import annotations

from .._validation import as_generator, check_number
from .module import Module


class Dropout(Module):
    """Inverted dropout (Chapter 8), as in PyTorch.

    ``p`` is the probability to *drop* a unit; the probability to keep it is
    :math:`P = 1 - p`. In training mode

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
        Drop probability in [0, 1]. ``p = 1`` drops every unit, as in
        PyTorch: the output and the input gradient are zero (and no
        division by :math:`1 - p = 0` is made).
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
        self.p = check_number(p, "p", low=0, high=1)
        self.rng = as_generator(rng)
        self.mask = None

    def forward(self, x):
        x = self._check(x)
        if not self.training:
            self.mask = None
            self._save(x.shape, None, 1.0)
            return x
        self.mask = (self.rng.random(x.shape) >= self.p).astype(x.dtype)
        keep = 1.0 - self.p
        self._save(x.shape, self.mask, keep)
        y = x * self.mask
        if keep:  # p = 1 drops every unit: y = 0, with no division by zero
            y /= keep
        return y

    def backward(self, grad_out):
        grad_out, (mask, keep) = self._saved_for(grad_out)
        if mask is None:
            return grad_out
        grad_in = (grad_out * mask).astype(mask.dtype, copy=False)
        if keep:
            grad_in /= keep
        return grad_in

    def extra_repr(self) -> str:
        return f"p={self.p}"
