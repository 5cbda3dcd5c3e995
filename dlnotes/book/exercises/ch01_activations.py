"""Checkers for the coding exercises of Chapter 1 (activation functions, 激活函数).

Each checker runs the student's function and the library's reference on
several inputs, including large ones (:math:`\\pm 10^3`, and :math:`\\pm 100`
in float32, where :math:`e^{100}` already overflows) where a careless formula
overflows, and prints a verdict through
:func:`dlnotes.book.exercises.check_function`. The student's code runs with
NumPy's overflow turned into an error (:func:`dlnotes.book.exercises.quietly`):
a formula whose ``exp`` overflows fails with a message naming the input, even
where the overflow happens to give the right number, as
:math:`1 / (1 + e^{1000}) = 1/\\infty = 0` does.
"""

from __future__ import annotations


import numpy as np

from ...activations import sigmoid_grad, tanh_grad
from ..experiments.ch01_activations import dead_unit_fraction
from . import Verdict, check_function

#: Pre-activations for the elementwise derivative checkers: 0, both signs, and large values, in float64 and float32.
DERIVATIVE_CASES = [
    (np.array([0.0]),),
    (np.array([-2.0, -0.5, 0.5, 2.0]),),
    (np.array([[-30.0, 1.0], [3.0, 30.0]]),),
    (np.array([-1000.0, 1000.0]),),
    (np.array([-100.0, -2.0, 2.0, 100.0], dtype=np.float32),),
]


def check_sigmoid_grad(fn) -> Verdict:
    """Check ``fn(z)`` = :math:`\\sigma'(z) = \\sigma(z)\\,(1 - \\sigma(z))` elementwise, with no ``exp`` that overflows (Chapter 1, exercise 1).

    What the exercise teaches is a sigmoid that never overflows, so the
    checker fails a formula whose ``exp`` overflows at :math:`z = -1000` (or
    at :math:`-100` in float32), such as :math:`\\sigma(z)(1 - \\sigma(z))` with
    :math:`\\sigma(z)` computed as :math:`1 / (1 + e^{-z})`, although its result there, 0, is right.
    Reference: ``dlnotes.activations.sigmoid_grad``.
    """
    return check_function(fn, sigmoid_grad, DERIVATIVE_CASES, name="sigmoid_grad")


def check_tanh_grad(fn) -> Verdict:
    """Check ``fn(z)`` = :math:`\\tanh'(z) = 1 - \\tanh^2(z)` elementwise (Chapter 1, exercise 2).

    Reference: ``dlnotes.activations.tanh_grad``.
    """
    return check_function(fn, tanh_grad, DERIVATIVE_CASES, name="tanh_grad")


#: Hidden-layer outputs (examples x units) for :func:`check_dead_fraction`: more examples than units and fewer,
#: units dead everywhere, firing once, and a layer with no dead unit at all.
DEAD_CASES = [
    (np.array([[0.0, 1.0], [0.0, 2.0]]),),
    (np.array([[0.5, 0.0, 0.0], [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]]),),
    (np.zeros((4, 5)),),
    (np.array([[1.0, 2.0, 3.0]]),),
    (np.array([[0.0, 2.0, 0.0, 1.0], [0.0, 0.0, 0.0, 1.0]]),),
]


def check_dead_fraction(fn) -> Verdict:
    """Check ``fn(h)`` = the fraction of columns of ``h`` that are 0 in every row (Chapter 1, exercise 3).

    .. math:: \\frac{\\#\\{\\, j : h_{ij} \\le 0 \\text{ for every } i \\,\\}}{\\text{the number of units}}

    Reference: ``dlnotes.book.experiments.ch01_activations.dead_unit_fraction``.
    """
    return check_function(fn, dead_unit_fraction, DEAD_CASES, name="dead_fraction")
