"""The base class of every loss: reduction, argument checks, and what ``backward`` needs (Chapter 2).

A loss compares a prediction with a target and gives one number per term,
:math:`l_i`. The reduction turns the terms into the loss that is trained:

.. math::

    L = \\frac{1}{n}\\sum_{i=1}^{n} l_i \\;(\\text{"mean"}), \\qquad
    L = \\sum_{i=1}^{n} l_i \\;(\\text{"sum"}), \\qquad
    L = (l_1, \\dots, l_n) \\;(\\text{"none"}),

as in PyTorch. A subclass writes only its terms ``_value`` and, right beside
them, their derivative ``_grad`` with respect to the prediction.
"""

from __future__ import annotations

import numpy as np

from .._validation import _show, as_float_array, check_choice, check_same_shape

REDUCTIONS = ("mean", "sum", "none")


def reduce(losses: np.ndarray, reduction: str):
    """Apply a reduction to the loss terms: a float for ``"mean"`` and ``"sum"``, the array for ``"none"``."""
    if reduction == "mean":
        return float(np.mean(losses))
    if reduction == "sum":
        return float(np.sum(losses))
    return losses


def log1p_exp(x: np.ndarray) -> np.ndarray:
    """The exact :math:`\\log(1 + e^{x}) = \\max(x, 0) + \\log(1 + e^{-|x|})`, finite for any finite ``x``.

    ``exp`` only ever sees :math:`-|x| \\le 0`, so it cannot overflow. Unlike
    ``dlnotes.activations.softplus`` (which, as PyTorch's, returns ``x``
    itself above a threshold), it keeps the tiny tail :math:`\\log(1+e^{-x})`,
    which is the whole loss of a confident, correct prediction (Chapter 2).
    """
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def check_pair(pred, target, pred_name: str, labels: tuple[int, int] | None = None):
    """Check a prediction and a target of the same shape; return both as arrays of ``pred``'s dtype.

    ``labels`` (such as ``(0, 1)`` or ``(-1, 1)``) are the only values the
    target may hold; ``None`` allows any real number.
    """
    pred = as_float_array(pred, pred_name)
    if pred.size == 0:
        raise ValueError(f"{pred_name} must hold at least one value, got shape {pred.shape}")
    target = as_float_array(target, "target")
    check_same_shape(pred, target, pred_name, "target")
    if labels is not None:
        wrong = ~np.isin(target, labels)
        if np.any(wrong):
            raise ValueError(
                f"target must hold only the labels {labels[0]} and {labels[1]}, "
                f"got {float(target[wrong].flat[0])!r} in {_show(target)}"
            )
    return pred, target.astype(pred.dtype, copy=False)


class Loss:
    """Base class of the loss classes: ``forward(pred, target)`` and ``backward()`` (Chapter 2).

    ``forward`` (also ``__call__``) returns the reduced loss :math:`L` (a
    float for ``"mean"`` and ``"sum"``, an array of terms for ``"none"``) and
    keeps a copy of its inputs; ``backward()`` returns
    :math:`\\partial L / \\partial \\text{pred}` (for ``"none"``, the gradient
    of the sum of the terms), shaped and typed like ``pred``.

    Subclasses define ``_value(pred, target)``, the terms :math:`l_i`, and
    ``_grad(pred, target)``, the derivative of :math:`\\sum_i l_i` with respect
    to ``pred``; ``labels`` restricts the target's values. The class is not a
    ``dlnotes.nn.Module``: a loss has no parameters and ends the backward pass.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined.
    """

    labels: tuple[int, int] | None = None

    def __init__(self, *, reduction: str = "mean"):
        self.reduction = check_choice(reduction, "reduction", REDUCTIONS)
        self._saved = None

    def __call__(self, pred, target):
        return self.forward(pred, target)

    def forward(self, pred, target):
        """The reduced loss of ``pred`` against ``target``; remembers both for ``backward``."""
        return self._forward(pred, target, "pred")

    def backward(self) -> np.ndarray:
        """Gradient of the loss with respect to ``pred`` of the last ``forward``."""
        if self._saved is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() needs a forward pass first: "
                "call loss(pred, target), then loss.backward()"
            )
        pred, target, count = self._saved
        grad = self._grad(pred, target)
        return grad / count if self.reduction == "mean" else grad

    def _forward(self, pred, target, pred_name: str):
        """``forward`` with the prediction's name used in error messages (the functions pass theirs)."""
        self._saved = None  # a forward that raises leaves nothing for backward
        pred, target = self._check(pred, target, pred_name)
        losses = self._value(pred, target)
        self._saved = (pred.copy(), target.copy(), losses.size)
        return reduce(losses, self.reduction)

    def _check(self, pred, target, pred_name: str):
        return check_pair(pred, target, pred_name, self.labels)

    def _value(self, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} does not define _value")

    def _grad(self, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} does not define _grad")

    def __repr__(self) -> str:
        settings = {"reduction": self.reduction, **self._hyperparameters()}
        return f"{type(self).__name__}(" + ", ".join(f"{k}={v!r}" for k, v in settings.items()) + ")"

    def _hyperparameters(self) -> dict:
        """Keyword arguments besides ``reduction``, for ``repr``; subclasses with some override it."""
        return {}
