"""Solutions to the exercises of Chapter 1 (activation functions, 激活函数).

``tests/test_exercises_activations.py`` runs each coding solution through its
checker in ``dlnotes.book.exercises.ch01_activations``.
"""

import numpy as np


def sigmoid_grad(z):
    """Exercise 1: sigma'(z) = sigma(z) (1 - sigma(z)), with a sigmoid that never overflows.

    exp only sees -|z| <= 0: for z >= 0, sigma(z) = 1 / (1 + e^{-z}); for
    z < 0, sigma(z) = e^{z} / (1 + e^{z}). Both are e / (1 + e) or 1 / (1 + e)
    with e = e^{-|z|}.
    """
    e = np.exp(-np.abs(z))
    sig = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return sig * (1 - sig)


def tanh_grad(z):
    """Exercise 2: tanh'(z) = 1 - tanh(z)^2 (np.tanh itself never overflows).

    Written part: tanh(z) = 2 sigma(2z) - 1, so by the chain rule
    tanh'(z) = 2 * 2 sigma'(2z) = 4 sigma'(2z). Its largest value is
    4 * sigma'(0) = 4 * 0.25 = 1, at z = 0: four times sigmoid's largest
    derivative, so a tanh layer near 0 passes the gradient on undiminished.
    """
    return 1 - np.tanh(z) ** 2


def dead_fraction(h):
    """Exercise 3: the share of units (columns) whose output is 0 for every example (row)."""
    return np.mean(np.all(h <= 0, axis=0))


#: Exercise 4 (written).
WEIGHT_SCALE_ANSWER = """\
Measured at weight scale 1, ratio = grad_norms[0] / grad_norms[-1]:

              D = 5     D = 10    D = 20
  sigmoid     0.004     2.6e-06   1.3e-12
  tanh        1.1       1.2       1.2
  ReLU        0.91      0.75      0.67

Sigmoid: q = ratio^(1 / (D - 1)) is about 0.24-0.25 at every depth, so the
ratio falls by a factor of about 4 per layer. Each layer multiplies the
gradient by sigma'(z) times the effect of its weights; at scale 1 the weights
keep the gradient's size, and sigma'(z) <= 0.25 (the bound of section 2),
just below 0.25 here because at scale 1 the z stay near 0. So the ratio is
about 0.24^(D - 1): 1e-12 is reached near D - 1 = 12 / 0.62, about 20 layers
(measured 1.3e-12 at D = 20).
tanh: q is about 1.01-1.03. tanh'(0) = 1, four times sigmoid's largest
slope, and at scale 1 the z stay near 0, so each layer passes the gradient on
almost unchanged: the ratio stays near 1 at any depth (but grows like
q^(D - 1) once the scale is above 1, section 2).
ReLU: q is about 0.97-0.98, a slow decay; its level scale is sqrt(2), not 1,
where activations and gradients keep their size from layer to layer. (At any
scale s, every ReLU gradient is (s / sqrt(2))^9 times its value at sqrt(2) in
the 10-layer stack, which passes through 9 other weight matrices.)
"""

#: Exercise 5 (written).
ZIGZAG_ANSWER = """\
dL/dW_ij = x_i * dL/dz_j. If every x_i > 0 (as after a sigmoid layer), column j
has the sign of dL/dz_j: in one step all weights into unit j go up together or
down together. To reach w* = (1, -1) from (0, 0) one weight must grow while the
other shrinks, so the path alternates between the two allowed directions:
a zig-zag. Zero-centred inputs (tanh, or centred data) remove the constraint.
"""
