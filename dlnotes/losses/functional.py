"""The losses as functions: value only, with ``reduction="mean" | "sum" | "none"`` (Chapter 2).

Each loss with a class is computed by its function in the class's module
(``mse_loss`` beside ``MSELoss`` in ``regression``, ...): the function checks
its inputs and reduces the terms, and the class computes the same terms and
adds ``backward``. The names and arguments are PyTorch's
(``torch.nn.functional``) where PyTorch has the loss. ``"mean"`` and
``"sum"`` return a float, ``"none"`` the array of terms in the input's dtype.
Here are the two losses of Chapter 2 without a class: ``zero_one_loss``, and
``absolute_loss``, the absolute-value loss, which is :func:`l1_loss`.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_number
from ._base import check_pair, reduce
from .cross_entropy import binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy
from .margin import exponential_loss, hinge_loss, soft_margin_loss
from .regression import huber_loss, l1_loss, mse_loss, smooth_l1_loss

__all__ = [
    "absolute_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "exponential_loss",
    "hinge_loss",
    "huber_loss",
    "l1_loss",
    "mse_loss",
    "smooth_l1_loss",
    "soft_margin_loss",
    "zero_one_loss",
]

#: The absolute-value loss (绝对值损失函数) :math:`l_i = |y_i - x_i|` is the L1 loss.
absolute_loss = l1_loss


def zero_one_loss(pred, target, threshold: float | None = None, *, reduction: str = "mean"):
    r"""0-1 loss (0-1损失函数): 1 for a wrong answer, 0 for a right one (Chapter 2).

    .. math::

        l_i = \begin{cases} 0, & x_i = y_i \\ 1, & x_i \ne y_i \end{cases}
        \qquad\text{or, with a threshold } T:\qquad
        l_i = \begin{cases} 0, & |y_i - x_i| < T \\ 1, & \text{otherwise} \end{cases}

    Its mean is the error rate. It ignores how wrong an answer is and has
    no useful gradient (zero almost everywhere), so it is used to judge
    models and other losses rather than to train them. Even the
    perceptron, which stops when it makes no 0-1 mistake, does not descend
    it: it descends the perceptron criterion :math:`\max(0, -y\, w^\top x)`,
    0 for a right answer and growing with how far a wrong one is on the
    wrong side.

    Parameters
    ----------
    pred, target : array_like
        Predictions and targets of the same shape (labels or real numbers).
    threshold : float or None, default None
        ``T > 0``: count a prediction within ``T`` of the target as right.
        ``None`` demands equality.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or numpy.ndarray
    """
    if threshold is not None:
        threshold = check_number(threshold, "threshold", low=0, low_open=True)
    pred, target = check_pair(pred, target, "pred")
    wrong = pred != target if threshold is None else np.abs(target - pred) >= threshold
    return reduce(wrong.astype(pred.dtype), reduction)
