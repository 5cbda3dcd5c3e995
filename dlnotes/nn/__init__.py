"""Layers as modules with forward and backward (chapters 1, 6-9).

Layers take 2-D input ``(batch, features)``. See ``dlnotes.nn.module`` for
the ``Module`` contract: a module may be used several times (shared
weights), each backward answers the one forward pass waiting for it, and
``with nn.no_grad():`` runs forwards that keep nothing for backward.
"""

from .activation import ELU, GELU, LeakyReLU, ReLU, SiLU, Sigmoid, Softplus, Tanh
from .batchnorm import BatchNorm1d
from .dropout import Dropout
from .linear import Linear
from .module import Module, Parameter, Sequential, no_grad

__all__ = [
    "Module", "Parameter", "Sequential", "no_grad", "Linear", "BatchNorm1d", "Dropout",
    "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softplus", "GELU", "SiLU",
]
