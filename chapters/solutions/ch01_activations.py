"""Solutions to the exercises of Chapter 1 (activation functions, 激活函数).

``tests/test_exercises_activations.py`` runs each coding solution through its
checker in ``dlnotes.book.exercises.ch01_activations``.
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
    """Exercise 2: tanh'(x) = 1 - tanh(x)^2 (np.tanh itself never overflows).

    Written part: tanh(z) = 2 sigma(2z) - 1, so by the chain rule
    tanh'(z) = 2 * 2 sigma'(2z) = 4 sigma'(2z). Its largest value is
    4 * sigma'(0) = 4 * 0.25 = 1, at z = 0: four times sigmoid's largest
    derivative, so a tanh layer near 0 passes the gradient on undiminished.
    """
    return 1 - np.tanh(x) ** 2


def dead_fraction(h):
    """Exercise 3: the share of units (columns) whose output is 0 for every example (row)."""
    return np.mean(np.all(h <= 0, axis=0))


#: Exercise 4 (written).
WEIGHT_SCALE_ANSWER = """\
Sigmoid: at no scale does layer 1 get as much as layer 10 with its units still
working. Each layer multiplies the gradient by about w * sigma'(z), and
sigma'(z) <= 0.25, so the weights must be large (|w| around 4 or more) to keep
it from shrinking. The ratio layer 1 / layer 10 rises from 5e-15 at scale 0.1
to 2.6e-6 at scale 1 and 0.07 at scale 6, and reaches 0.5 only at scale 10;
but by then the histograms sit in the grey bands and about half of the units
have sigma'(z) < 0.01: saturated, they pass almost nothing and barely learn.
Large weights trade vanishing gradients for saturation.
tanh: about scale 1 (ratio 1.2, no saturated units). Below it the ratio stays
near 1 but every gradient is tiny; above it the gradient grows toward layer 1,
it explodes (260 times layer 10's at scale 6, 1700 times at scale 10), while
60-75% of the units are saturated.
ReLU: the ratio is 0.75 at every scale, because ReLU(cz) = c ReLU(z); the
share of units passing no gradient stays at the half with z <= 0. But every
gradient's size (and the activations') grows like s^10: 1e-10 at scale 0.1,
1e8 at scale 10. Only near sqrt(2) = 1.41 do the pre-activations keep their
size from layer to layer (He initialization, Chapter 6).
"""

#: Exercise 5 (written).
ZIGZAG_ANSWER = """\
dL/dW_ij = x_i * delta_j. If every x_i > 0 (as after a sigmoid layer), column j
has the sign of delta_j: in one step all weights into unit j go up together or
down together. To reach w* = (1, -1) from (0, 0) one weight must grow while the
other shrinks, so the path alternates between the two allowed directions:
a zig-zag. Zero-centred inputs (tanh, or centred data) remove the constraint.
"""
