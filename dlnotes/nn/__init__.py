"""Layers as modules with forward and backward (chapters 1, 6-9).

Layers take 2-D input ``(batch, features)``. See ``dlnotes.nn.module`` for
the ``Module`` contract.
"""

from .module import Module, Parameter, Sequential

__all__ = ["Module", "Parameter", "Sequential"]
