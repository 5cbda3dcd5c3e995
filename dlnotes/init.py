"""Weight initialization (权重初始化), Chapter 6.

Every initializer is ``name(shape, ..., rng=None, dtype=np.float64)`` and
returns a new array. For a weight matrix the first axis of ``shape`` is
``fan_in`` (the inputs of a unit) and the second ``fan_out`` (its outputs),
as in ``Linear``'s ``W`` of shape ``(in_features, out_features)``. Axes after
the second multiply both fans (a receptive field, as for convolutions).
Xavier and Kaiming need a fan, so they refuse a 1-D ``shape`` (as PyTorch
does); ``zeros``, ``constant``, ``normal`` and ``uniform`` take any shape.

The bounds and standard deviations are PyTorch's (``torch.nn.init``); the
random draws are our own, through ``rng`` (a ``numpy.random.Generator``, an
int seed or None), so the same seed gives the same array.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from ._validation import _show, as_generator, check_choice, check_float_dtype, check_number

__all__ = [
    "zeros",
    "constant",
    "normal",
    "uniform",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
    "calculate_gain",
    "INITIALIZERS",
    "get_initializer",
]


# -- argument checks shared by every initializer -------------------------------
def _check_shape(shape) -> tuple[int, ...]:
    """Return ``shape`` (an int or a non-empty tuple of positive ints) as a tuple."""
    dims = (shape,) if isinstance(shape, numbers.Integral) else shape
    if not isinstance(dims, (tuple, list)) or any(
        isinstance(d, (bool, np.bool_)) or not isinstance(d, numbers.Integral) for d in dims
    ):
        raise TypeError(f"shape must be an int or a tuple of ints, got {_show(shape)}")
    if len(dims) == 0 or any(d <= 0 for d in dims):
        raise ValueError(f"shape must have at least one axis and only positive sizes, got {_show(shape)}")
    return tuple(int(d) for d in dims)


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """``(fan_in, fan_out) = (shape[0] * r, shape[1] * r)`` with ``r = prod(shape[2:])``."""
    if len(shape) < 2:
        raise ValueError(f"shape must have at least 2 axes (fan_in, fan_out) for this initializer, got {shape}")
    receptive = math.prod(shape[2:])
    return shape[0] * receptive, shape[1] * receptive


# -- deterministic ----------------------------------------------------------
def zeros(shape, *, rng=None, dtype=np.float64) -> np.ndarray:
    """All zeros, :math:`W_{ij} = 0` (Chapter 6).

    Why not to train from it: with every weight equal, every hidden unit
    computes the same output and receives the same gradient, so symmetry is
    never broken. ``rng`` is accepted (and checked) so that every initializer
    is called the same way, ``init(shape, rng=rng)``; it draws nothing.
    """
    shape = _check_shape(shape)
    as_generator(rng)
    return np.zeros(shape, dtype=check_float_dtype(dtype))


def constant(shape, val, *, rng=None, dtype=np.float64) -> np.ndarray:
    """Every entry equal to ``val``, :math:`W_{ij} = \\mathrm{val}` (Chapter 6).

    ``val`` must be a finite real number; ``rng`` is accepted as in :func:`zeros`.
    """
    shape = _check_shape(shape)
    check_number(val, "val")
    as_generator(rng)
    return np.full(shape, val, dtype=check_float_dtype(dtype))


# -- random, with explicit parameters --------------------------------------------
def normal(shape, mean=0.0, std=1.0, *, rng=None, dtype=np.float64) -> np.ndarray:
    """Gaussian draws, :math:`W_{ij} \\sim \\mathcal{N}(\\mathrm{mean}, \\mathrm{std}^2)` (Chapter 6).

    Small random values break the symmetry of :func:`zeros`; too small a
    ``std`` shrinks the signal layer after layer, too large saturates.
    ``std`` must be >= 0.
    """
    shape = _check_shape(shape)
    check_number(mean, "mean")
    check_number(std, "std", low=0)
    dtype = check_float_dtype(dtype)
    return as_generator(rng).normal(mean, std, size=shape).astype(dtype)


def uniform(shape, a=0.0, b=1.0, *, rng=None, dtype=np.float64) -> np.ndarray:
    """Uniform draws, :math:`W_{ij} \\sim \\mathcal{U}(a, b)` (Chapter 6).

    Requires ``a < b``, both finite.
    """
    shape = _check_shape(shape)
    check_number(a, "a")
    check_number(b, "b")
    if a >= b:
        raise ValueError(f"a must be smaller than b, got a={a!r}, b={b!r}")
    dtype = check_float_dtype(dtype)
    return as_generator(rng).uniform(a, b, size=shape).astype(dtype)


# -- gains ------------------------------------------------------------------------
_GAIN_ONE = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)
_GAINS = (*_GAIN_ONE, "tanh", "relu", "leaky_relu", "selu")


def calculate_gain(nonlinearity, param=None) -> float:
    """The recommended gain for a nonlinearity, as in PyTorch (Chapter 6).

    .. math::

        \\text{gain} = \\begin{cases}
        1 & \\text{linear, conv*, sigmoid} \\\\
        5/3 & \\text{tanh} \\\\
        \\sqrt{2} & \\text{relu} \\\\
        \\sqrt{2 / (1 + a^2)} & \\text{leaky\\_relu with negative slope } a
            \\text{ (} a = 0.01 \\text{ when param is None)} \\\\
        3/4 & \\text{selu}
        \\end{cases}

    The factor by which Xavier and Kaiming multiply their standard deviation
    for a layer followed by this nonlinearity, PyTorch's recommended values.
    Only the ReLU family's is exact: ReLU halves the second moment of its
    input (Chapter 1), and the gain :math:`\\sqrt{2}` (with Kaiming's fan_in
    mode) doubles it back, so activations keep their size from layer to
    layer; :math:`\\sqrt{2/(1 + a^2)}` does the same for a leaky ReLU. The
    others are conventions: 5/3 for tanh was chosen empirically, and the gain
    1 of sigmoid does nothing against its slope of at most 1/4, so a sigmoid
    stack's gradients still vanish (see :func:`xavier_uniform`).
    ``param`` is used by ``leaky_relu`` only (ignored otherwise, as in PyTorch).
    """
    check_choice(nonlinearity, "nonlinearity", _GAINS)
    if nonlinearity in _GAIN_ONE:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "selu":
        return 0.75
    slope = 0.01 if param is None else check_number(param, "param")
    return math.sqrt(2.0 / (1.0 + slope**2))


# -- Xavier / Glorot ----------------------------------------------------------------
def _xavier_std(shape, gain) -> float:
    fan_in, fan_out = _fans(shape)
    return check_number(gain, "gain", low=0, low_open=True) * math.sqrt(2.0 / (fan_in + fan_out))


def xavier_uniform(shape, gain=1.0, *, rng=None, dtype=np.float64) -> np.ndarray:
    """Xavier (Glorot) uniform initialization (Chapter 6).

    .. math::

        W_{ij} \\sim \\mathcal{U}(-\\text{bound}, \\text{bound}), \\qquad
        \\text{bound} = \\text{gain} \\sqrt{\\frac{6}{\\text{fan\\_in} + \\text{fan\\_out}}}

    so that :math:`\\operatorname{Var} W = \\text{gain}^2 \\, 2 / (\\text{fan\\_in} + \\text{fan\\_out})`.
    Glorot & Bengio (2010) derive two conditions for layers whose activation
    has slope 1 at 0 (linear, or tanh near 0): :math:`\\text{fan\\_in} \\operatorname{Var} W = 1`
    keeps the variance of the activations through the forward pass, and
    :math:`\\text{fan\\_out} \\operatorname{Var} W = 1` that of the gradients
    through the backward pass. Both hold only when fan_in = fan_out; otherwise
    :math:`2 / (\\text{fan\\_in} + \\text{fan\\_out})`, the harmonic mean of
    :math:`1/\\text{fan\\_in}` and :math:`1/\\text{fan\\_out}`, is a compromise
    that meets neither exactly. It does not keep sigmoid's gradients level:
    Chapter 1's 10-layer sigmoid stack of width 50 is at the Xavier scale,
    and its first layer receives only a few millionths of the last layer's
    gradient (2.6e-6 in the chapter; 2.6e-6 to 4.8e-6 over ten seeds).
    """
    shape = _check_shape(shape)
    bound = math.sqrt(3.0) * _xavier_std(shape, gain)
    return uniform(shape, -bound, bound, rng=rng, dtype=dtype)


def xavier_normal(shape, gain=1.0, *, rng=None, dtype=np.float64) -> np.ndarray:
    """Xavier (Glorot) normal initialization (Chapter 6).

    .. math::

        W_{ij} \\sim \\mathcal{N}(0, \\text{std}^2), \\qquad
        \\text{std} = \\text{gain} \\sqrt{\\frac{2}{\\text{fan\\_in} + \\text{fan\\_out}}}
    """
    shape = _check_shape(shape)
    return normal(shape, 0.0, _xavier_std(shape, gain), rng=rng, dtype=dtype)


# -- Kaiming / He ---------------------------------------------------------------------
def _kaiming_std(shape, a, mode, nonlinearity) -> float:
    check_choice(mode, "mode", ("fan_in", "fan_out"))
    check_number(a, "a")
    fan_in, fan_out = _fans(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform(
    shape, a=0, mode="fan_in", nonlinearity="leaky_relu", *, rng=None, dtype=np.float64
) -> np.ndarray:
    """Kaiming (He) uniform initialization (Chapter 6).

    .. math::

        W_{ij} \\sim \\mathcal{U}(-\\text{bound}, \\text{bound}), \\qquad
        \\text{bound} = \\text{gain} \\sqrt{\\frac{3}{\\text{fan\\_mode}}}

    with ``gain = calculate_gain(nonlinearity, a)`` (``a`` is the negative
    slope of a leaky ReLU; with ``a=0`` the gain is :math:`\\sqrt 2`, the ReLU
    value) and ``fan_mode`` the fan_in (keeps the forward variance) or the
    fan_out (keeps the backward variance). He et al., 2015. Suits ReLU.
    """
    shape = _check_shape(shape)
    bound = math.sqrt(3.0) * _kaiming_std(shape, a, mode, nonlinearity)
    return uniform(shape, -bound, bound, rng=rng, dtype=dtype)


def kaiming_normal(
    shape, a=0, mode="fan_in", nonlinearity="leaky_relu", *, rng=None, dtype=np.float64
) -> np.ndarray:
    """Kaiming (He) normal initialization (Chapter 6).

    .. math::

        W_{ij} \\sim \\mathcal{N}(0, \\text{std}^2), \\qquad
        \\text{std} = \\frac{\\text{gain}}{\\sqrt{\\text{fan\\_mode}}}

    with the gain and fan of :func:`kaiming_uniform`.
    """
    shape = _check_shape(shape)
    return normal(shape, 0.0, _kaiming_std(shape, a, mode, nonlinearity), rng=rng, dtype=dtype)


# -- lookup by name (used by ``dlnotes.nn.Linear(init=...)``) --------------------------
INITIALIZERS: dict[str, Callable[..., np.ndarray]] = {
    "zeros": zeros,
    "normal": normal,
    "uniform": uniform,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "kaiming_uniform": kaiming_uniform,
    "kaiming_normal": kaiming_normal,
}
"""Initializers callable as ``f(shape, rng=rng)`` with their defaults, by name (Chapter 6)."""


def get_initializer(init) -> Callable[..., np.ndarray]:
    """Turn ``init`` (a name in :data:`INITIALIZERS` or a callable) into a callable ``(shape, rng) -> array``.

    A name, or one of those functions itself (``init.xavier_uniform``),
    gives the initializer with its default arguments, e.g.
    ``"kaiming_normal"`` is :math:`\\mathcal{N}(0, 2/\\text{fan\\_in})`. For
    other arguments pass a callable such as
    ``lambda shape, rng: init.normal(shape, std=0.01, rng=rng)`` (Chapter 6).
    ``constant`` needs its value, so it comes only that way.
    """
    if isinstance(init, str):
        init = INITIALIZERS[check_choice(init, "init", INITIALIZERS)]
    if init in INITIALIZERS.values():
        named = init
        return lambda shape, rng: named(shape, rng=rng)
    if callable(init):
        return init
    raise TypeError(f"init must be the name of a dlnotes.init function or a callable (shape, rng), got {_show(init)}")
