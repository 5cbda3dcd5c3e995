"""dlnotes: the small NumPy package behind the runnable textbook on training neural networks.

Modules, in the order the layers import each other:

1. numerics: ``activations``, ``losses``, ``init``;
2. ``nn`` (modules) and ``optim`` (optimizers), which share only ``Parameter``;
3. ``data``, ``preprocessing``, ``surfaces``, then ``train`` and ``gradcheck``;
4. ``plot`` and ``widgets`` (matplotlib and ipywidgets; not imported here);
5. ``exercises``, the checkers the chapters call.

``import dlnotes`` needs only NumPy.
"""

from . import activations, data, gradcheck, init, losses, nn, optim, preprocessing, surfaces, train

__version__ = "0.1.0"

__all__ = [
    "activations",
    "data",
    "gradcheck",
    "init",
    "losses",
    "nn",
    "optim",
    "preprocessing",
    "surfaces",
    "train",
]
