"""Gradient-descent variants (梯度下降法的变式), Chapter 4.

``SGD`` (with momentum and Nesterov momentum), ``Adagrad``, ``RMSprop``,
``Adam`` and ``Adadelta``, with PyTorch's names, defaults and update
equations. Each takes any iterable of :class:`dlnotes.nn.Parameter`, so the
same class trains a network or moves a 2-D point on a surface::

    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    opt.zero_grad()
    model.backward(loss.backward())
    opt.step()
"""

from .._lazy import lazy_names

#: The submodule that defines each name, imported when the name is first used.
_NAMES = {"Optimizer": "optimizer", "SGD": "sgd", "Adagrad": "adagrad", "RMSprop": "rmsprop", "Adam": "adam",
          "Adadelta": "adadelta"}

__all__ = list(_NAMES)

__getattr__, __dir__ = lazy_names(__name__, globals(), _NAMES)
del lazy_names
