"""dlnotes: the small NumPy package behind the runnable textbook on training neural networks.

Modules, in the order the layers import each other:

1. numerics: ``activations``, ``losses``, ``init``;
2. ``nn`` (modules) and ``optim`` (optimizers), which share only ``Parameter``;
3. ``data``, ``preprocessing``, ``surfaces``, ``metrics``, then ``train`` and
   ``gradcheck``;
4. ``book``, the book's machinery, which no library module imports:
   ``book.experiments`` (the chapters' numbers), ``book.plot`` and
   ``book.widgets`` (matplotlib and ipywidgets), ``book.exercises`` (the
   checkers the chapters call).

``import dlnotes`` needs only NumPy: each submodule is imported when first
used (``dlnotes.nn.Linear`` or ``from dlnotes.nn import Linear``).
"""

import importlib

__version__ = "0.1.0"

__all__ = [
    "activations",
    "book",
    "data",
    "gradcheck",
    "init",
    "losses",
    "metrics",
    "nn",
    "optim",
    "preprocessing",
    "surfaces",
    "train",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'dlnotes' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
