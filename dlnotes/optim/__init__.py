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

from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adagrad", "RMSprop", "Adam", "Adadelta"]
