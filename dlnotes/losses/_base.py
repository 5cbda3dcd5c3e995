"""What every loss shares: the reduction, the argument checks and the ``Loss`` class (Chapter 2).

A loss compares a prediction with a target and gives one number per term,
:math:`l_i`. The reduction turns the terms into the loss that is trained:

.. math::

    L = \\frac{1}{n}\\sum_{i=1}^{n} l_i \\;(\\text{"mean"}), \\qquad
    L = \\sum_{i=1}^{n} l_i \\;(\\text{"sum"}), \\qquad
    L = (l_1, \\dots, l_n) \\;(\\text{"none"}),

as in PyTorch. Each loss is written once, as a function of the checked
prediction and target that returns the terms (``_mse`` for
:func:`mse_loss`, ...). The loss function checks its inputs and reduces
those terms; the loss class checks the same way, computes the same terms and
adds ``backward``, whose derivative is written right beside them.
"""

from __future__ import annotations

import numpy as np

from .._validation import _show, as_float_array, check_choice, check_same_shape

REDUCTIONS = ("mean", "sum", "none")
#: The labels of the binary cross-entropies and of the margin losses.
BINARY, SIGNS = (0, 1), (-1, 1)


def reduce(terms: np.ndarray, reduction: str, dtype=None):
    """Apply a reduction to the loss terms: a float for ``"mean"`` and ``"sum"``, the array for ``"none"``.

    The result is rounded to ``dtype`` (by default the terms'); a mean or sum
    beyond its range is ``inf``, without a warning, as in PyTorch.
    """
    reduction = check_choice(reduction, "reduction", REDUCTIONS)
    dtype = terms.dtype if dtype is None else dtype
    with np.errstate(over="ignore"):
        if reduction == "none":
            return terms.astype(dtype, copy=False)
        # np.sum, and np.mean's numerator, without their wrappers; float16 adds up in float32, as np.mean does
        total = np.add.reduce(terms, axis=None, dtype=np.promote_types(terms.dtype, np.float32))
        if reduction == "mean":
            total = total / terms.size
        return float(np.asarray(total).astype(dtype))


def working_precision(pred: np.ndarray, target: np.ndarray):
    """``pred`` and ``target`` in the precision a loss is computed in: float16 as float32, as PyTorch on the CPU.

    float16 has too little range and precision for the formulas' intermediate
    results (:math:`10^{-12}` is 0, :math:`300^2` overflows); the results are
    rounded back to float16 once, at the end.
    """
    if pred.dtype != np.float16:
        return pred, target
    return pred.astype(np.float32), (target.astype(np.float32) if target.dtype == np.float16 else target)


def evaluate(terms, pred: np.ndarray, target: np.ndarray, reduction: str, **hyperparameters):
    """The loss of the checked ``pred`` and ``target``: ``terms(pred, target, **hyperparameters)``, reduced.

    Computed in the working precision and rounded to ``pred``'s dtype. A
    term beyond what the dtype can hold (the square of a float16 residual of
    300, say) is ``inf``, without a warning, as in PyTorch.
    """
    with np.errstate(over="ignore"):
        values = terms(*working_precision(pred, target), **hyperparameters)
    return reduce(values, reduction, pred.dtype)


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

    A subclass names ``terms``, the function of its functional twin that
    computes the terms :math:`l_i` (called with the keyword arguments of
    ``_hyperparameters()``), and defines ``_grad(pred, target)``, the
    derivative of :math:`\\sum_i l_i` with respect to ``pred``; ``labels``
    restricts the target's values. The class is not a ``dlnotes.nn.Module``:
    a loss has no parameters and ends the backward pass.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        How the terms are combined.
    """

    labels: tuple[int, int] | None = None
    #: ``terms(pred, target, **hyperparameters) -> l``, shared with the loss function.
    terms = None

    def __init__(self, *, reduction: str = "mean"):
        self.reduction = check_choice(reduction, "reduction", REDUCTIONS)
        self._saved = None

    def __call__(self, pred, target):
        return self.forward(pred, target)

    def forward(self, pred, target):
        """The reduced loss of ``pred`` against ``target``; remembers both for ``backward``."""
        self._saved = None  # a forward that raises leaves nothing for backward
        pred, target = self._check(pred, target, "pred")
        value = evaluate(self.terms, pred, target, self.reduction, **self._hyperparameters())
        self._saved = (pred.copy(), target.copy())
        return value

    def backward(self) -> np.ndarray:
        """Gradient of the loss with respect to ``pred`` of the last ``forward``."""
        pred, target = self._forward_pass()
        with np.errstate(over="ignore"):
            grad = self._grad(*working_precision(pred, target))
            if self.reduction == "mean":
                grad = grad / self._count(pred)
            return grad.astype(pred.dtype, copy=False)

    def _forward_pass(self):
        """What the last ``forward`` kept for ``backward``; an error if there is none."""
        if self._saved is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() needs a forward pass first: "
                "call loss(pred, target), then loss.backward()"
            )
        return self._saved

    def _check(self, pred, target, pred_name: str):
        return check_pair(pred, target, pred_name, self.labels)

    def _count(self, pred: np.ndarray) -> int:
        """The number of terms, by which ``"mean"`` divides: one per entry of ``pred``."""
        return pred.size

    def _grad(self, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} does not define _grad")

    def __repr__(self) -> str:
        settings = {"reduction": self.reduction, **self._hyperparameters()}
        return f"{type(self).__name__}(" + ", ".join(f"{k}={v!r}" for k, v in settings.items()) + ")"

    def _hyperparameters(self) -> dict:
        """Keyword arguments of ``terms`` besides the arrays (shown by ``repr``); subclasses with some override it."""
        return {}
