"""Layers as modules with forward and backward (chapters 1, 6-9).

Layers take 2-D input ``(batch, features)``. See ``dlnotes.nn.module`` for
the ``Module`` contract: a module may be used several times (shared
weights), each backward answers the one forward pass waiting for it, and
``with nn.no_grad():`` runs forwards that keep nothing for backward.
"""

from .._lazy import lazy_names

#: The submodule that defines each name, imported when the name is first used.
_NAMES = {
    **dict.fromkeys(["ELU", "GELU", "LeakyReLU", "ReLU", "SiLU", "Sigmoid", "Softplus", "Tanh"], "activation"),
    "BatchNorm1d": "batchnorm",
    "Dropout": "dropout",
    "Linear": "linear",
    **dict.fromkeys(["Module", "Parameter", "Sequential", "no_grad"], "module"),
}

__all__ = list(_NAMES)

__getattr__, __dir__ = lazy_names(__name__, globals(), _NAMES)
del lazy_names
