"""The measurements behind Chapter 2 (loss functions, 损失函数).

- :func:`regression_loss_curves`: each regression loss and its gradient as
  functions of the residual :math:`r = y - f(x)`;
- :func:`classification_loss_curves`: each classification loss as a function
  of the margin :math:`yz`, the label :math:`y \\in \\{-1, +1\\}` times the score :math:`z = f(x)`;
- :func:`fit_line` and :func:`outlier_fits`: a line fitted by gradient
  descent under MSE, L1 and smooth L1 to data with outliers of growing size;
- :func:`softmax_sweep`: softmax probabilities and the cross-entropy loss
  as one logit moves;
- :func:`naive_log_sigmoid`, :func:`naive_log_sum_exp`, :func:`naive_softmax`:
  the textbook formulas that overflow, next to the stable forms
  :func:`stable_log_sigmoid`, :func:`stable_log_sum_exp` and those of
  ``dlnotes.losses`` and ``dlnotes.activations``.

NumPy and ``dlnotes`` only; the figures live in ``dlnotes.book.plot.ch02_losses`` and
``dlnotes.book.widgets.ch02_losses``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ... import losses
from ..._validation import as_float_array, as_generator, check_choice, check_number
from ...activations import log_softmax, softmax
from ...data import make_regression_outliers
from ...nn import Parameter
from ...optim import Adam

#: The regression losses of Chapter 2 by style name (``dlnotes.book.plot.style``).
REGRESSION_LOSSES = {
    "mse": losses.MSELoss,
    "l1": losses.L1Loss,
    "smooth_l1": losses.SmoothL1Loss,
    "huber": losses.HuberLoss,
}


def regression_loss(name: str, *, beta: float = 1.0, delta: float = 1.0, reduction: str = "mean"):
    """The loss object called ``name`` in :data:`REGRESSION_LOSSES`, given its ``beta`` (smooth L1) or ``delta`` (Huber) (Chapter 2)."""
    check_choice(name, "name", REGRESSION_LOSSES)
    shape = {"smooth_l1": {"beta": beta}, "huber": {"delta": delta}}.get(name, {})
    return REGRESSION_LOSSES[name](reduction=reduction, **shape)


def regression_loss_curves(residual, *, beta: float = 1.0, delta: float = 1.0) -> dict:
    """Each regression loss and its derivative as functions of the residual (Chapter 2).

    With the residual :math:`r = y - f(x)` (target minus prediction):

    .. math::

        \\text{MSE: } r^2, \\qquad \\text{L1: } |r|, \\qquad
        \\text{smooth L1: } \\begin{cases} r^2 / (2\\beta) & |r| < \\beta \\\\
                                        |r| - \\beta/2 & \\text{otherwise} \\end{cases}, \\qquad
        \\text{Huber: } \\begin{cases} r^2 / 2 & |r| < \\delta \\\\
                                     \\delta (|r| - \\delta/2) & \\text{otherwise,} \\end{cases}

    computed by the loss classes of ``dlnotes.losses`` (prediction 0, target
    :math:`r`). The derivative is :math:`\\partial L / \\partial r = -\\partial L / \\partial f`,
    from the classes' ``backward``. Returns ``{name: (loss, dloss_dr)}`` for
    ``"mse"``, ``"l1"``, ``"smooth_l1"`` and ``"huber"``.
    """
    residual = as_float_array(residual, "residual")
    curves = {}
    for name in REGRESSION_LOSSES:
        loss = regression_loss(name, beta=beta, delta=delta, reduction="none")
        value = loss(np.zeros_like(residual), residual)
        curves[name] = (value, -loss.backward())
    return curves


def classification_loss_curves(margin) -> dict:
    """Each classification loss as a function of the margin :math:`yz` (Chapter 2).

    For a label :math:`y \\in \\{-1, +1\\}` and a score :math:`z = f(x)`, with
    :math:`[\\cdot]` the indicator:

    .. math::

        \\text{0-1: } [yz \\le 0], \\quad
        \\text{absolute: } |y - z| = |1 - yz|, \\quad
        \\text{hinge: } \\max(0, 1 - yz), \\quad
        \\text{logistic: } \\log(1 + e^{-yz}), \\quad
        \\text{exponential: } e^{-yz},

    and the cross-entropy with the label coded :math:`\\tilde y = (1 + y) / 2 \\in \\{0, 1\\}`
    and :math:`p = \\sigma(z)`: :math:`-\\tilde y \\log p - (1 - \\tilde y)\\log(1 - p)`, which
    equals the logistic loss. Each comes from ``dlnotes.losses`` (label
    :math:`y = +1`, score :math:`z` = ``margin``; the 0-1 loss compares the predicted
    label :math:`\\operatorname{sign}(z)` with :math:`y`, so a margin of
    exactly 0 counts as an error). Returns ``{name: loss}`` for
    ``"zero_one"``, ``"absolute"``, ``"hinge"``, ``"logistic"``,
    ``"exponential"`` and ``"cross_entropy"``.
    """
    score = as_float_array(margin, "margin")
    y = np.ones_like(score)
    return {
        "zero_one": losses.zero_one_loss(np.sign(score), y, reduction="none"),
        "absolute": losses.absolute_loss(score, y, reduction="none"),
        "hinge": losses.hinge_loss(score, y, reduction="none"),
        "logistic": losses.soft_margin_loss(score, y, reduction="none"),
        "exponential": losses.exponential_loss(score, y, reduction="none"),
        "cross_entropy": losses.binary_cross_entropy_with_logits(score, (1 + y) / 2, reduction="none"),
    }


def fit_line(x, y, loss: str = "mse", *, steps: int = 200, lr: float = 0.2) -> np.ndarray:
    """Fit :math:`f(x) = w x + b` by full-batch gradient descent (Adam) on a loss of ``dlnotes.losses`` (Chapter 2).

    Minimises :math:`J = \\frac1n \\sum_i L(y^{(i)}, f^{(i)})`, :math:`f^{(i)} = w x^{(i)} + b`, from :math:`w = b = 0`,
    with the chain rule

    .. math::

        \\frac{\\partial J}{\\partial w} = \\sum_i \\frac{\\partial J}{\\partial f^{(i)}} x^{(i)}, \\qquad
        \\frac{\\partial J}{\\partial b} = \\sum_i \\frac{\\partial J}{\\partial f^{(i)}},

    where :math:`\\partial J / \\partial f^{(i)}` comes from the loss object's
    ``backward``. ``loss`` names one of :data:`REGRESSION_LOSSES` (``beta``
    and ``delta`` 1). ``x`` has shape ``(n,)`` or ``(n, 1)``. Returns
    ``[w, b]``.
    """
    check_choice(loss, "loss", REGRESSION_LOSSES)
    check_number(steps, "steps", low=1, integer=True)
    check_number(lr, "lr", low=0, low_open=True)
    x = as_float_array(x, "x").reshape(-1)
    y = as_float_array(y, "y")
    if y.shape != x.shape:
        raise ValueError(f"y must have one value per x {x.shape}, got shape {y.shape}")
    line = Parameter(np.zeros(2))
    optimizer = Adam([line], lr=lr)
    loss_fn = regression_loss(loss)
    for _ in range(steps):
        loss_fn(line.data[0] * x + line.data[1], y)
        grad_pred = loss_fn.backward()
        line.grad = np.array([grad_pred @ x, grad_pred.sum()])
        optimizer.step()
    return line.data.copy()


class OutlierFits(NamedTuple):
    """What :func:`outlier_fits` returns (Chapter 2): ``sizes`` (K,), the data ``x`` (N,)
    and ``y`` (K, N) for each size, ``n_outliers``, and ``lines``, a dict
    loss name -> (K, 2) array of fitted ``[slope, intercept]``."""

    sizes: np.ndarray
    x: np.ndarray
    y: np.ndarray
    n_outliers: int
    lines: dict


def outlier_fits(sizes, *, loss_names=("mse", "l1", "smooth_l1"), n_samples: int = 40, n_outliers: int = 4,
                 steps: int = 200, lr: float = 0.2, rng=0) -> OutlierFits:
    """Lines fitted under MSE, L1 and smooth L1 to data whose outliers grow (Chapter 2).

    For each outlier size :math:`s` in ``sizes``, the data come from
    ``dlnotes.data.make_regression_outliers`` (slope 2, intercept 1; the same
    seed, drawn once from ``rng``, gives the same points, so only the
    outliers move) and each loss of ``loss_names`` fits a line with
    :func:`fit_line`. The squared loss's gradient grows
    with the residual, :math:`\\partial r^2/\\partial r = 2r`, so the outliers
    drag its line; L1 and smooth L1 cap each point's pull at 1.
    """
    sizes = as_float_array(sizes, "sizes", ndim=1)
    for name in loss_names:
        check_choice(name, "loss_names", REGRESSION_LOSSES)
    seed = int(as_generator(rng).integers(2**32))
    ys, lines = [], {name: [] for name in loss_names}
    for size in sizes:
        x, y = make_regression_outliers(n_samples, n_outliers, float(size), rng=seed)
        ys.append(y)
        for name in loss_names:
            lines[name].append(fit_line(x, y, name, steps=steps, lr=lr))
    return OutlierFits(sizes, x[:, 0], np.stack(ys), n_outliers, {k: np.stack(v) for k, v in lines.items()})


class SoftmaxSweep(NamedTuple):
    """What :func:`softmax_sweep` returns (Chapter 2): the ``values`` taken by the moving
    logit (V,), the ``probabilities`` (V, C) and the cross-entropy ``loss`` (V,)."""

    values: np.ndarray
    probabilities: np.ndarray
    loss: np.ndarray


def softmax_sweep(logits, moving: int, values, *, target: int = 0) -> SoftmaxSweep:
    """Softmax probabilities and the cross-entropy as logit ``moving`` takes each of ``values`` (Chapter 2).

    .. math::

        p_k = \\frac{e^{z_k}}{\\sum_j e^{z_j}}, \\qquad
        L = -\\log p_y = \\log \\sum_j e^{z_j} - z_y,

    with the true class :math:`y` = ``target``, from ``dlnotes.activations.softmax`` and
    ``dlnotes.losses.cross_entropy``.
    """
    logits = as_float_array(logits, "logits", ndim=1)
    n_classes = logits.size
    check_number(moving, "moving", low=0, high=n_classes - 1, integer=True)
    check_number(target, "target", low=0, high=n_classes - 1, integer=True)
    values = as_float_array(values, "values", ndim=1)
    z = np.repeat(logits[None, :], values.size, axis=0)
    z[:, moving] = values
    labels = np.full(values.size, target)
    return SoftmaxSweep(values, softmax(z), losses.cross_entropy(z, labels, reduction="none"))


def naive_log_sigmoid(z) -> np.ndarray:
    """:math:`\\log \\sigma(z)` by the textbook formula :math:`\\log\\big(1 / (1 + e^{-z})\\big)` (Chapter 2).

    For :math:`z` below about -88 (float32) or -709 (float64), :math:`e^{-z}`
    overflows to ``inf``, :math:`\\sigma(z)` becomes 0 and the log ``-inf``.
    NumPy's overflow and divide warnings are silenced here on purpose: the
    returned ``-inf`` is the point. The stable form is :func:`stable_log_sigmoid`.
    """
    z = as_float_array(z, "z")
    with np.errstate(over="ignore", divide="ignore"):
        return np.log(1 / (1 + np.exp(-z)))


def stable_log_sigmoid(z) -> np.ndarray:
    """:math:`\\log \\sigma(z)` in the form that never exponentiates a positive number (Chapter 2).

    .. math::

        \\log \\sigma(z) = -\\log(1 + e^{-z}) = -\\big(\\max(-z, 0) + \\log(1 + e^{-|z|})\\big),

    finite for every finite :math:`z` (about :math:`z` for very negative
    :math:`z`, about :math:`-e^{-z}` for large positive :math:`z`). It is
    minus the binary cross-entropy (BCE) of the logit :math:`z` with label 1,
    computed by ``dlnotes.losses.binary_cross_entropy_with_logits``; the
    dtype of ``z`` is kept. Compare :func:`naive_log_sigmoid`.
    """
    z = as_float_array(z, "z")
    return -losses.binary_cross_entropy_with_logits(z, np.ones_like(z), reduction="none")


def naive_log_sum_exp(logits, axis: int = -1) -> np.ndarray:
    """:math:`\\log \\sum_j e^{z_j}` by the textbook formula (Chapter 2).

    :math:`e^{z}` overflows for :math:`z` above about 88 (float32) or 709
    (float64), giving ``inf`` (warnings silenced on purpose). The stable form
    subtracts the largest logit :math:`c = \\max_j z_j` first:

    .. math:: \\log \\sum_j e^{z_j} = c + \\log \\sum_j e^{z_j - c},

    which is :math:`z_k - \\log\\operatorname{softmax}(z)_k` for any :math:`k`
    (see :func:`stable_log_sum_exp`).
    """
    logits = as_float_array(logits, "logits")
    with np.errstate(over="ignore"):
        return np.log(np.sum(np.exp(logits), axis=axis))


def stable_log_sum_exp(logits, axis: int = -1) -> np.ndarray:
    """:math:`\\log \\sum_j e^{z_j} = z_0 - \\log\\operatorname{softmax}(z)_0`, finite for any finite logits (Chapter 2).

    Uses ``dlnotes.activations.log_softmax``, which subtracts the largest
    logit before exponentiating (see :func:`naive_log_sum_exp`).
    """
    logits = as_float_array(logits, "logits")
    first = np.take(logits, [0], axis=axis)
    return np.squeeze(first - np.take(log_softmax(logits, axis=axis), [0], axis=axis), axis=axis)


def naive_softmax(logits, axis: int = -1) -> np.ndarray:
    """Softmax by the textbook formula :math:`e^{z_k} / \\sum_j e^{z_j}` (Chapter 2).

    At large logits both exponentials overflow and ``inf / inf`` gives
    ``nan`` (warnings silenced on purpose); ``dlnotes.activations.softmax``
    subtracts the largest logit first and stays exact.
    """
    logits = as_float_array(logits, "logits")
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(logits)
        return e / np.sum(e, axis=axis, keepdims=True)
