"""Solutions to the exercises of Chapter 1 (activation functions, 激活函数).

``tests/test_exercises_activations.py`` runs each coding solution through its
checker in ``dlnotes.exercises.activations``.
"""

import numpy as np


def sigmoid_grad(x):
    """Exercise 1: sigma'(x) = sigma(x) (1 - sigma(x)), with a sigmoid that never overflows.

    exp only sees -|x| <= 0: for x >= 0, sigma(x) = 1 / (1 + e^{-x}); for
    x < 0, sigma(x) = e^{x} / (1 + e^{x}). Both are e / (1 + e) or 1 / (1 + e)
    with e = e^{-|x|}.
    """
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return s * (1 - s)


def tanh_grad(x):
    """Exercise 2: tanh'(x) = 1 - tanh(x)^2 (np.tanh itself never overflows)."""
    return 1 - np.tanh(x) ** 2


def dead_fraction(h):
    """Exercise 3: the share of units (columns) whose output is 0 for every example (row)."""
    return np.mean(np.all(h <= 0, axis=0))


#: Exercise 4 (written).
WEIGHT_SCALE_ANSWER = """\
tanh: about scale 1; ReLU: about scale sqrt(2) = 1.41 (at any scale ReLU's
layers get gradients of the same size, but only near sqrt(2) do the
pre-activations keep their size from layer to layer). Sigmoid has none: each
layer multiplies the gradient by w * sigma'(z), and sigma'(z) <= 0.25. At
scale 1 the gradient at layer 1 is a few millionths of the one at layer 10; raising
the scale makes the weights larger but spreads z into the flat grey bands
(|z| > 4), where sigma'(z) is near 0, so even at scale 10 layer 1 still gets
less than layer 10, and most units are saturated.
"""

#: Exercise 5 (written).
ZIGZAG_ANSWER = """\
dL/dW_ij = x_i * delta_j. If every x_i > 0 (as after a sigmoid layer), column j
has the sign of delta_j: in one step all weights into unit j go up together or
down together. To reach w* = (1, -1) from (0, 0) one weight must grow while the
other shrinks, so the path alternates between the two allowed directions:
a zig-zag. Zero-centred inputs (tanh, or centred data) remove the constraint.
"""
