"""The measurements behind the chapters' figures (one submodule per chapter, ``chNN_topic``).

Each function runs an experiment with the library (a deep stack, a training
run, a gradient-noise measurement) and returns NumPy arrays, so the numbers
are tested here once and the notebooks and widgets only draw them: a result
with fixed fields as a ``NamedTuple``, a result with one entry per chosen
name (an optimizer, a loss) as a dict keyed by that name. No matplotlib here.

What several chapters share lives here: :func:`mlp`, the small network
Chapters 3 and 4 train.
"""

from __future__ import annotations

from ... import nn
from ..._validation import as_generator, check_choice, check_number

#: Hidden-layer nonlinearities :func:`mlp` can use, by lower-case name.
ACTIVATION_MODULES = {"tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid"}


def mlp(sizes, activation: str = "tanh", rng=None) -> nn.Sequential:
    """A multilayer perceptron ``Linear, act, Linear, act, ..., Linear`` (Chapter 3).

    .. math:: f(x) = W_L^\\top\\,\\phi(\\cdots \\phi(x W_1 + b_1) \\cdots) + b_L

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``[2, 32, 3]`` (at least two).
    activation : {"tanh", "relu", "sigmoid"}
        The hidden nonlinearity :math:`\\phi`.
    rng : numpy.random.Generator, int or None
        Source of the initial weights; the same seed gives the same network.
    """
    sizes = [check_number(s, f"sizes[{i}]", low=1, integer=True) for i, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {sizes!r}")
    check_choice(activation, "activation", ACTIVATION_MODULES)
    rng = as_generator(rng)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out, rng=rng))
        if i < len(sizes) - 2:
            layers.append(getattr(nn, ACTIVATION_MODULES[activation])())
    return nn.Sequential(*layers)
