"""Solutions to the exercises of Chapter 6 (weight initialization, 权重初始化).

``tests/test_exercises_solutions.py`` runs each coding solution through its
checker in ``dlnotes.book.exercises.ch06_initialization``;
``tests/test_exercises_initialization.py`` checks the numbers the written
answers quote.
"""

import math


def xavier_uniform_bound(fan_in, fan_out, gain=1.0):
    """Exercise 1: the bound of U(-bound, bound) in Xavier's uniform initialization.

    Xavier wants Var(W_ij) = gain^2 * 2 / (fan_in + fan_out), and U(-bound, bound)
    has variance bound^2 / 3, so bound^2 = 3 * gain^2 * 2 / (fan_in + fan_out):
    bound = gain * sqrt(6 / (fan_in + fan_out)). (sqrt(2 / (fan_in + fan_out)) is
    the standard deviation, the normal version's parameter; the uniform bound
    is sqrt(3) times larger.)
    """
    return gain * math.sqrt(6.0 / (fan_in + fan_out))


def he_normal_std(fan_in, fan_out, mode="fan_in"):
    """Exercise 2: the standard deviation of He's normal draws for ReLU.

    ReLU halves the second moment, so the forward condition is
    fan_in * Var(W_ij) = 2 (or fan_out * Var(W_ij) = 2 backward): std = sqrt(2 / fan).
    """
    fan = fan_in if mode == "fan_in" else fan_out
    return math.sqrt(2.0 / fan)


#: Exercise 3 (written).
BIASES_ANSWER = """\
What makes two units of a layer different is anything that differs between
them. The gradient of unit j's bias is dL/db_j = sum_k dL/dz_kj: it is
different for each unit as soon as the dL/dz_kj differ, and they differ
when the weights do (different incoming weights give different outputs,
different outgoing weights send back different gradients). So with random
weights, zero biases start equal but receive different gradients after the
first step and drift apart; the weights have broken the symmetry already.
Biases also sit on no path of the backward pass: the gradient sent to the
layer below, (dL/dz) W^T, does not involve b, so zero biases block nothing.
Zero weights are fatal: with W = 0 every unit of a layer has the same
incoming and outgoing weights, so every unit computes the same output and
gets the same gradient, and with tanh or ReLU (phi(0) = 0) h = 0 and
(dL/dz) W^T = 0, so the hidden weights get no gradient at all (section 6.1:
spread 0 and no weight moved).
Random biases with all-zero weights do make the units of a tanh layer differ,
h_j = tanh(b_j), but each of these outputs is a constant: z_j = b_j for every
example, so the layer tells the next layer nothing about the input. And at the
first step only the output layer's weights get a gradient: the gradient sent
back through W_out = 0 is 0. Breaking the symmetry is the weights' job, and
random weights do it; the biases can start at 0.
"""

#: Exercise 4 (written).
SIGMOID_ANSWER = """\
symmetry_run("zeros", activation="sigmoid") gives spread [0, 0] and moved 0.065:
the hidden weights move, but the units stay identical. With tanh (or ReLU)
phi(0) = 0, so every hidden output is 0, the output layer's weight gradient
h^T dL/dz_out is 0 and the gradient sent back, (dL/dz_out) W_out^T, is 0: no hidden
weight ever moves. With sigmoid, sigma(0) = 1/2: the hidden outputs are all 1/2,
so the output weights get the gradient (1/2) * sum_k dL/dz_out_k, the same for
every hidden unit (every row of W_out), and become non-zero after the first step.
From then on the gradient sent back into the hidden layers is non-zero, so their
weights move, but it is the same for every unit, so they move in lockstep and
the spread stays exactly 0. The network still computes what one unit per layer
computes; here it stays at the coin-toss loss (0.698, accuracy 0.5).
"""

#: Exercise 5 (written).
SIGMOID_BACKWARD_ANSWER = """\
Backward, each layer multiplies the variance of the gradient by
n_out * Var(W_ij) * E[sigma'(z)^2], about n_out * Var(W_ij) / 16 near z = 0. Keeping it
level asks for n_out * Var(W_ij) = 16, that is Var(W_ij) = 16 / n_out: weight scale
s = 4 in a square network, four times Xavier's.
Measured, init_comparison([(scaled_normal(4.0), "sigmoid")]): the ratio
|dL/dW| layer 1 / layer 10 is 0.019, far better than Xavier's 3.9e-6 but still
not level, and 25% of the first layer's units and 5-8% of the others are
saturated (sigma' < 0.01). At s = 4 the pre-activations are no longer near 0
(their standard deviation is 4.0 at layer 1 and about 2.5 above), where
sigma'(z) is well below 1/4, so the factor 1/16 assumed above is too optimistic.
A larger scale would saturate even more units, whose near-zero sigma' is what
makes the gradient vanish in the first place. No scale fixes sigmoid: its
derivative is at most 1/4 and its outputs are not centred (sigma(0) = 1/2);
tanh or ReLU with Xavier or He do what sigmoid cannot.
"""
