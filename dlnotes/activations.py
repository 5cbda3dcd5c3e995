"""Activation functions and their derivatives, elementwise (Chapter 1).

Each activation ``f`` sits right beside its derivative ``f_grad`` (``d f / d x``,
elementwise, with the same keyword arguments), and ``ACTIVATIONS`` maps each
name to its ``(f, f_grad)`` pair so a chapter can draw all of them side by
side. The values follow the formulas on PyTorch's documentation pages,
including the derivative PyTorch uses at a kink (0 for ReLU at 0, the slope
of the left piece for Leaky ReLU and ELU).

Every function takes ``x``, an array_like of finite real numbers, and returns
an array of the same shape and dtype (float32 stays float32, integers become
float64). Each is written in a form that stays finite and warning-free for
inputs as large as ``±1e4``: exponentials only ever see a non-positive
argument, so they can underflow to 0 but never overflow.

The derivatives of sigmoid and tanh are computed from the function's value,
``σ(x)(1 - σ(x))`` and ``1 - tanh(x)^2``, as PyTorch's backward computes
them, so the numbers agree with PyTorch's. Where the function saturates these
forms lose relative accuracy: ``1 - σ(x)`` and ``1 - tanh(x)^2`` subtract
numbers close to 1, and the derivative rounds to 0 once its exact value falls
below about half the machine epsilon. ``sigmoid_grad(40)`` is 0, where the
exact value is 4.25e-18; in float64 ``sigmoid_grad`` is 0 from ``x ≈ 36.7``
on and ``tanh_grad`` from ``|x| ≈ 19``, in float32 from 16.6 and 10. A
saturated unit's gradient is that small anyway (Chapter 1 shows it vanish);
the rounding only turns "tiny" into "zero".

Hyperparameters are checked as PyTorch would accept them, but finite:
``negative_slope`` and ``alpha`` may be any finite real number, softplus's
``beta`` a finite number > 0 and its ``threshold`` a number > 0.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_float_array, check_number

__all__ = [
    "ACTIVATIONS",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "log1p_exp",
    "log_softmax",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "silu",
    "silu_grad",
    "softmax",
    "softplus",
    "softplus_grad",
    "tanh",
    "tanh_grad",
]


# -- sigmoid -------------------------------------------------------------------


def sigmoid(x):
    r"""Logistic sigmoid, squashing any real number into (0, 1) (Chapter 1).

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    Computed as :math:`1 / (1 + e^{-|x|})` for :math:`x \ge 0` and
    :math:`e^{-|x|} / (1 + e^{-|x|})` otherwise, so ``exp`` never overflows.

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    numpy.ndarray
        :math:`\sigma(x)`, shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(x):
    r"""Derivative of the sigmoid; at most 1/4, reached at 0 (Chapter 1).

    .. math:: \sigma'(x) = \sigma(x)\,(1 - \sigma(x))

    computed in this form, as PyTorch computes it, so the numbers agree with
    PyTorch's to the last digit; for :math:`x > 37`, :math:`1 - \sigma(x)`
    rounds to 0 in float64, and so does the derivative.

    Parameters
    ----------
    x : array_like
        Points at which to differentiate.

    Returns
    -------
    numpy.ndarray
        :math:`\sigma'(x)`, shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    s = sigmoid(x)
    return s * (1 - s)


# -- tanh ----------------------------------------------------------------------


def tanh(x):
    r"""Hyperbolic tangent, a zero-centred squashing into (-1, 1) (Chapter 1).

    .. math:: \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    numpy.ndarray
        :math:`\tanh(x)`, shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    return np.tanh(x)


def tanh_grad(x):
    r"""Derivative of tanh; at most 1, reached at 0 (Chapter 1).

    .. math:: \tanh'(x) = 1 - \tanh^2(x)

    computed in this form, as PyTorch computes it; for :math:`|x| > 19`,
    :math:`\tanh^2(x)` rounds to 1 in float64 and the derivative to 0.

    Parameters
    ----------
    x : array_like
        Points at which to differentiate.

    Returns
    -------
    numpy.ndarray
        :math:`\tanh'(x)`, shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    t = np.tanh(x)
    return 1 - t * t


# -- ReLU ----------------------------------------------------------------------


def relu(x):
    r"""Rectified linear unit (Chapter 1).

    .. math:: \operatorname{ReLU}(x) = \max(0, x)

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    numpy.ndarray
        :math:`\max(0, x)`, shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    return np.maximum(x, 0)


def relu_grad(x):
    r"""Derivative of ReLU, taken as 0 at the kink as in PyTorch (Chapter 1).

    .. math:: \operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like
        Points at which to differentiate.

    Returns
    -------
    numpy.ndarray
        1 where ``x > 0``, else 0, shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    return (x > 0).astype(x.dtype)


# -- Leaky ReLU ----------------------------------------------------------------


def leaky_relu(x, negative_slope=0.01):
    r"""Leaky ReLU: a small slope instead of 0 for negative inputs (Chapter 1).

    .. math:: \operatorname{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like
        Pre-activations.
    negative_slope : float
        The slope :math:`a` for :math:`x \le 0`: any finite real number, as in
        PyTorch (:math:`0 < a < 1` is the usual choice).

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    negative_slope = check_number(negative_slope, "negative_slope")
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x, negative_slope=0.01):
    r"""Derivative of Leaky ReLU, taken as ``negative_slope`` at the kink as in PyTorch (Chapter 1).

    .. math:: \operatorname{LeakyReLU}'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}

    Parameters
    ----------
    x, negative_slope
        As in :func:`leaky_relu`.

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    negative_slope = check_number(negative_slope, "negative_slope")
    return np.where(x > 0, 1, negative_slope).astype(x.dtype)


# -- ELU -----------------------------------------------------------------------


def elu(x, alpha=1.0):
    r"""Exponential linear unit (Chapter 1).

    .. math:: \operatorname{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}

    :math:`e^{x} - 1` is computed with ``expm1`` for accuracy near 0, on
    :math:`\min(x, 0)` so it never overflows.

    Parameters
    ----------
    x : array_like
        Pre-activations.
    alpha : float
        Any finite real number, as in PyTorch. The ELU paper takes
        :math:`\alpha > 0`, which makes ELU increasing and bounded below by
        :math:`-\alpha`.

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    alpha = check_number(alpha, "alpha")
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def elu_grad(x, alpha=1.0):
    r"""Derivative of ELU, taken as ``alpha`` at the kink as in PyTorch (Chapter 1).

    .. math:: \operatorname{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\, e^{x} & x \le 0 \end{cases}

    Parameters
    ----------
    x, alpha
        As in :func:`elu`.

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    alpha = check_number(alpha, "alpha")
    return np.where(x > 0, 1, alpha * np.exp(np.minimum(x, 0))).astype(x.dtype)


# -- softplus ------------------------------------------------------------------


def _check_softplus(beta, threshold) -> tuple[float, float]:
    """``beta`` finite and > 0, ``threshold`` > 0, both as Python floats."""
    beta = check_number(beta, "beta", low=0, high=math.inf, low_open=True, high_open=True)
    threshold = check_number(threshold, "threshold", low=0, low_open=True, finite=False)
    return float(beta), float(threshold)


def softplus(x, beta=1.0, threshold=20.0):
    r"""Softplus, a smooth ReLU (Chapter 1).

    .. math:: \operatorname{Softplus}(x) = \frac{1}{\beta} \log\left(1 + e^{\beta x}\right)

    and, as in PyTorch, simply :math:`x` where :math:`\beta x >` ``threshold``
    (there the two differ by less than :math:`e^{-\text{threshold}}/\beta`).
    The logarithm is :func:`log1p_exp` of :math:`\beta x`, which never overflows.

    Parameters
    ----------
    x : array_like
        Pre-activations.
    beta : float
        Sharpness, finite and > 0; large ``beta`` approaches ReLU.
    threshold : float
        > 0 (``inf`` allowed: never linear).

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    beta, threshold = _check_softplus(beta, threshold)
    z = beta * x
    return np.where(z > threshold, x, log1p_exp(z) / beta)


def softplus_grad(x, beta=1.0, threshold=20.0):
    r"""Derivative of softplus: the sigmoid of :math:`\beta x`, and 1 in the linear region (Chapter 1).

    .. math:: \operatorname{Softplus}'(x) = \sigma(\beta x) = \frac{1}{1 + e^{-\beta x}}

    Parameters
    ----------
    x, beta, threshold
        As in :func:`softplus`.

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    beta, threshold = _check_softplus(beta, threshold)
    z = beta * x
    return np.where(z > threshold, 1, sigmoid(z)).astype(x.dtype)


# -- log(1 + e^x), shared by softplus and the logistic losses --------------------


def log1p_exp(x: np.ndarray) -> np.ndarray:
    r"""The exact :math:`\log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})`, finite for any finite ``x`` (Chapter 2).

    ``exp`` only ever sees :math:`-|x| \le 0`, so it cannot overflow, and
    ``log1p`` keeps the tiny tail :math:`\log(1 + e^{-|x|})` to full relative
    accuracy: for :math:`x = -40` the result is :math:`e^{-40}`, not 0. That
    tail is the whole loss of a confident, correct prediction. It is
    softplus's logarithm (:func:`softplus` with ``beta=1`` and no threshold),
    the logistic loss :math:`\log(1 + e^{-m})` of the margin :math:`m`, and
    :math:`-\log\sigma(z) = \log(1 + e^{-z})`, which binary cross-entropy
    with logits needs.

    ``x`` must already be a floating array (the callers check it); the result
    has its dtype.
    """
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


# -- GELU ----------------------------------------------------------------------

#: The error function, elementwise: NumPy has none, and the C library's
#: ``erf`` (Python's ``math.erf``) is the one PyTorch calls, so GELU's numbers
#: agree with PyTorch's to the last digit.
_erf = np.vectorize(math.erf, otypes=[np.float64])


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    r"""The standard normal CDF :math:`\Phi(x) = \tfrac12 (1 + \operatorname{erf}(x/\sqrt2))`, in float64."""
    return 0.5 * (1 + _erf(np.asarray(x, dtype=np.float64) / math.sqrt(2)))


def gelu(x):
    r"""Gaussian error linear unit, exact (erf) form, PyTorch's ``approximate='none'`` (Chapter 1).

    .. math:: \operatorname{GELU}(x) = x\,\Phi(x)
              = \frac{x}{2}\left(1 + \operatorname{erf}\left(\frac{x}{\sqrt2}\right)\right)

    where :math:`\Phi` is the standard normal CDF, computed in float64 in
    this form with the C library's ``erf`` (as PyTorch does), then cast back
    to the input dtype.

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    return (x * _normal_cdf(x)).astype(x.dtype)


def gelu_grad(x):
    r"""Derivative of GELU (Chapter 1).

    .. math:: \operatorname{GELU}'(x) = \Phi(x) + x\,\varphi(x),
              \qquad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}

    with :math:`\varphi` the standard normal density.

    Parameters
    ----------
    x : array_like
        Points at which to differentiate.

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    x64 = x.astype(np.float64)
    a = np.minimum(np.abs(x64), 40.0)  # the density is 0 in float64 beyond |x| = 40; x*x could overflow
    density = np.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)
    return (_normal_cdf(x64) + x64 * density).astype(x.dtype)


# -- SiLU ----------------------------------------------------------------------


def silu(x):
    r"""Sigmoid linear unit, also called Swish (Chapter 1).

    .. math:: \operatorname{SiLU}(x) = x\,\sigma(x)

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    return x * sigmoid(x)


def silu_grad(x):
    r"""Derivative of SiLU (Chapter 1).

    .. math:: \operatorname{SiLU}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)
              = \sigma(x)\,\bigl(1 + x\,\sigma(-x)\bigr)

    Parameters
    ----------
    x : array_like
        Points at which to differentiate.

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = as_float_array(x, "x")
    return sigmoid(x) * (1 + x * sigmoid(-x))


# -- softmax -------------------------------------------------------------------


def _checked_scores(x, axis) -> np.ndarray:
    """Validate ``x`` (at least 1-D) and ``axis``; return ``x`` as a float array."""
    x = as_float_array(x, "x")
    if x.ndim == 0:
        raise ValueError(f"x must have at least one dimension, got a 0-D array {x.tolist()!r}")
    check_number(axis, "axis", integer=True)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis must be in [{-x.ndim}, {x.ndim - 1}] for x of shape {x.shape}, got {axis!r}")
    return x


def _softmax_parts(x: np.ndarray, axis: int):
    """For a checked, non-empty float array: ``z = x - max(x)``, ``e = exp(z)`` and ``sum(e)`` along ``axis`` (kept).

    Every entry of ``z`` is <= 0 and the sum is at least 1. The softmax is
    ``e / sum``, its logarithm ``z - log(sum)``; the cross-entropy loss keeps
    ``e`` and the sum from its forward pass for its backward pass.
    """
    z = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(z)
    return z, e, np.sum(e, axis=axis, keepdims=True)


def softmax(x, axis=-1):
    r"""Softmax along ``axis``: non-negative entries that sum to 1 (Chapter 1).

    .. math:: \operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}
              = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \qquad m = \max_j x_j

    Subtracting the maximum changes nothing mathematically but keeps every
    exponent :math:`\le 0`, so nothing overflows and the denominator is at least 1.

    Parameters
    ----------
    x : array_like
        Scores (logits), at least 1-D.
    axis : int
        The axis along which the entries sum to 1 (the classes).

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = _checked_scores(x, axis)
    if x.size == 0:
        return x.copy()
    _, e, total = _softmax_parts(x, axis)
    return e / total


def log_softmax(x, axis=-1):
    r"""Logarithm of the softmax along ``axis``, by the log-sum-exp trick (Chapter 1).

    .. math:: \log\operatorname{softmax}(x)_i = x_i - m - \log\sum_j e^{x_j - m},
              \qquad m = \max_j x_j

    Finite even where the softmax itself underflows to 0.

    Parameters
    ----------
    x, axis
        As in :func:`softmax`.

    Returns
    -------
    numpy.ndarray
        Shaped and typed like ``x``.
    """
    x = _checked_scores(x, axis)
    if x.size == 0:
        return x.copy()
    z, _, total = _softmax_parts(x, axis)
    return z - np.log(total)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "elu": (elu, elu_grad),
    "softplus": (softplus, softplus_grad),
    "gelu": (gelu, gelu_grad),
    "silu": (silu, silu_grad),
}
"""Each activation's name (as in ``dlnotes.plot.style``) -> its ``(function, derivative)`` pair (Chapter 1)."""
