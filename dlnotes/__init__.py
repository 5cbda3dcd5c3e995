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
used (``dlnotes.nn.Linear`` or ``from dlnotes.nn import Linear``), and the
packages ``nn``, ``optim``, ``losses`` and ``data`` import each name from its
own submodule when it is first used (``dlnotes._lazy``), so
``from dlnotes import nn, optim, losses, train`` stays fast.
"""

from ._lazy import lazy_names

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


__getattr__, __dir__ = lazy_names(__name__, globals(), {}, __all__)
del lazy_names
