"""Checkers for the coding exercises of Chapter 6 (weight initialization, 权重初始化).

Each checker calls the student's function and the reference on layers of
several shapes, with ``fan_in`` different from ``fan_out`` (where Xavier's
compromise and He's fan-in formula differ from the look-alikes), and prints
a verdict through :func:`dlnotes.book.exercises.check_function`. Answers match
to the shared relative tolerance of :math:`10^{-6}`, so a right formula
computed in float32 (about 7 significant digits) passes; every look-alike is
off by at least a few per cent.
"""

from __future__ import annotations

import math

from ...init import calculate_gain
from . import Verdict, check_function


def xavier_uniform_bound(fan_in, fan_out, gain=1.0) -> float:
    """The bound of Xavier's uniform draws :math:`\\mathcal U(-\\text{bound}, \\text{bound})` (Chapter 6, exercise 1).

    .. math:: \\text{bound} = \\text{gain} \\sqrt{\\frac{6}{n_\\text{in} + n_\\text{out}}}

    :math:`\\mathcal U(-\\text{bound}, \\text{bound})` has variance :math:`\\text{bound}^2/3`, which makes it
    :math:`\\text{gain}^2 \\cdot 2/(n_\\text{in} + n_\\text{out})`, Glorot and
    Bengio's compromise (the bound of ``dlnotes.init.xavier_uniform``).
    """
    return gain * math.sqrt(6.0 / (fan_in + fan_out))


#: (fan_in, fan_out) and (fan_in, fan_out, gain): square and very unequal layers, the default gain and
#: the gains of tanh and ReLU.
XAVIER_CASES = [
    (256, 256),
    (100, 50),
    (784, 10),
    ((3, 7, 1.0), {}),
    ((64, 32), {"gain": calculate_gain("tanh")}),
    ((1000, 10), {"gain": calculate_gain("relu")}),
]


def check_xavier_uniform_bound(fn) -> Verdict:
    """Check ``fn(fan_in, fan_out, gain=1.0)`` = :math:`\\text{gain}\\sqrt{6/(n_\\text{in} + n_\\text{out})}` (Chapter 6, exercise 1).

    Look-alikes it rejects: :math:`\\sqrt{2/(n_\\text{in} + n_\\text{out})}`
    (the standard deviation of Xavier's *normal* draws, not a bound),
    :math:`\\sqrt{6/n_\\text{in}}` (a fan-in bound), and a forgotten or squared gain.
    """
    return check_function(fn, xavier_uniform_bound, XAVIER_CASES, name="xavier_uniform_bound")


def he_normal_std(fan_in, fan_out, mode="fan_in") -> float:
    """The standard deviation of He's normal draws for a ReLU layer (Chapter 6, exercise 2).

    .. math:: \\text{std} = \\frac{\\text{gain}}{\\sqrt{n_\\text{in}}} = \\sqrt{\\frac{2}{n_\\text{in}}} \\text{ (mode "fan_in")}, \\qquad
              \\sqrt{\\frac{2}{n_\\text{out}}} \\text{ (mode "fan_out")},

    with ReLU's gain :math:`\\sqrt 2` (``dlnotes.init.calculate_gain("relu")``),
    as ``dlnotes.init.kaiming_normal(shape, mode=mode)`` draws.
    """
    fan = {"fan_in": fan_in, "fan_out": fan_out}[mode]
    return calculate_gain("relu") / math.sqrt(fan)


#: (fan_in, fan_out) with the default mode, and both modes on unequal layers.
HE_CASES = [
    (256, 256),
    (100, 50),
    ((784, 10), {"mode": "fan_in"}),
    ((784, 10), {"mode": "fan_out"}),
    ((2, 64), {"mode": "fan_out"}),
]


def check_he_normal_std(fn) -> Verdict:
    """Check ``fn(fan_in, fan_out, mode="fan_in")`` = :math:`\\sqrt{2 / n_\\text{in}}` (:math:`\\sqrt{2 / n_\\text{out}}` for ``mode="fan_out"``; Chapter 6, exercise 2).

    Look-alikes it rejects: :math:`\\sqrt{1/n_\\text{in}}` (no factor 2 for
    the half of the units ReLU silences), :math:`2/n_\\text{in}` (the variance,
    not the standard deviation), Xavier's :math:`\\sqrt{2/(n_\\text{in} + n_\\text{out})}`
    and a ``mode`` that is ignored.
    """
    return check_function(fn, he_normal_std, HE_CASES, name="he_normal_std")
