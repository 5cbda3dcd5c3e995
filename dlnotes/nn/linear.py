"""The fully connected layer ``y = x W + b`` (chapters 1 and 6)."""

from __future__ import annotations

import math

import numpy as np

from .. import init as initializers
from .._validation import _show, as_float_array, as_generator, check_flag, check_float_dtype, check_number
from .module import Module, Parameter


class Linear(Module):
    """Fully connected layer (Chapter 6).

    .. math::

        y = x W + b, \\qquad
        \\frac{\\partial L}{\\partial W} = x^\\top G, \\quad
        \\frac{\\partial L}{\\partial b} = \\sum_n G_{n\\cdot}, \\quad
        \\frac{\\partial L}{\\partial x} = G W^\\top

    for a batch ``x`` of shape ``(N, in_features)`` and the upstream gradient
    ``G = ∂L/∂y`` of shape ``(N, out_features)``. ``W`` has shape
    ``(in_features, out_features)`` (PyTorch stores its transpose as
    ``weight``) and ``b`` shape ``(out_features,)``.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of each input and output row (positive).
    bias : bool
        Whether to add ``b``. Without it the layer has the parameter ``W`` only.
    init : None, str or callable
        ``None`` (the default) is PyTorch's default:
        ``W = kaiming_uniform(a=sqrt(5))`` and ``b`` uniform with the same
        bound, that is both :math:`\\mathcal{U}(-1/\\sqrt{\\text{in\\_features}},
        1/\\sqrt{\\text{in\\_features}})`. Otherwise the name of a
        ``dlnotes.init`` function (see ``dlnotes.init.INITIALIZERS``, e.g.
        ``"xavier_uniform"``, ``"kaiming_normal"``, ``"zeros"``) or a callable
        ``(shape, rng) -> array`` draws ``W``, and ``b`` starts at zero, so that
        ``init="zeros"`` really is the all-zero network of Chapter 6.
    rng : numpy.random.Generator, int or None
        Source of the initial draws.
    dtype : numpy.float32 or numpy.float64
        dtype of the parameters (and of their gradients).

    The output has the input's dtype: float32 in, float32 out.

    ``backward`` needs the input ``x`` (for :math:`x^\top G`). The layer keeps
    a *copy* of an array you pass in yourself (or that a container passes on
    unchanged from you), so changing ``x`` in place between forward and
    backward does not change the gradient; the arrays that layers hand to
    each other inside a network are kept as they are, at no cost.
    """

    def __init__(self, in_features, out_features, bias=True, init=None, rng=None, dtype=np.float64):
        super().__init__()
        self.in_features = check_number(in_features, "in_features", low=1, integer=True)
        self.out_features = check_number(out_features, "out_features", low=1, integer=True)
        bias = check_flag(bias, "bias")
        dtype = check_float_dtype(dtype)
        rng = as_generator(rng)
        shape = (self.in_features, self.out_features)
        if init is None:
            W = initializers.kaiming_uniform(shape, a=math.sqrt(5), rng=rng, dtype=dtype)
            bound = 1.0 / math.sqrt(self.in_features)
            b = initializers.uniform((self.out_features,), -bound, bound, rng=rng, dtype=dtype)
        else:
            draw = initializers.get_initializer(init)
            try:
                W = draw(shape, rng)
            except TypeError as exc:  # most often a callable with another signature
                raise TypeError(f"init must be callable as init(shape, rng); calling {_show(init)} raised: {exc}") from exc
            W = as_float_array(W, "init(shape, rng)")
            if W.shape != shape:
                raise ValueError(f"init must return an array of shape {shape}, got {_show(W)} of shape {W.shape}")
            b = np.zeros(self.out_features, dtype=dtype)
        self.W = Parameter(W.astype(dtype))
        self.b = Parameter(b) if bias else None

    def forward(self, x):
        x = self._check(x, ndim=2, features=self.in_features)
        y = x @ self.W.data
        if self.b is not None:
            y += self.b.data
        y = y.astype(x.dtype, copy=False)
        self._save(y.shape, self._own(x))
        return y

    def backward(self, grad_out, input_grad=True):
        """Add ``∂L/∂W = xᵀG`` and ``∂L/∂b`` to the gradients; return ``∂L/∂x = G Wᵀ``.

        With ``input_grad=False`` the product ``G Wᵀ`` is skipped and ``None``
        is returned: a training step that does not need the gradient with
        respect to the network's input saves one matrix product as large as
        the forward's (``train.fit`` does this for the first layer).
        """
        input_grad = check_flag(input_grad, "input_grad")
        grad_out, (x,) = self._saved_for(grad_out)
        self.W._add_matmul(x.T, grad_out)
        if self.b is not None:
            self.b._add(np.add.reduce(grad_out, axis=0))
        if not input_grad:
            return None
        return (grad_out @ self.W.data.T).astype(x.dtype, copy=False)

    backward._input_grad_optional = True  # see nn.module._backward

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.b is not None}"
