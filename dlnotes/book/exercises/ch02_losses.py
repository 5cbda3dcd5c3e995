"""Checkers for the coding exercises of Chapter 2 (loss functions, 损失函数).

Each checker compares the student's function with the library's reference
through :func:`dlnotes.book.exercises.check_function`, on inputs that include
large logits (``[1000, 1000]``) where the textbook formula overflows. The
student's code runs :func:`dlnotes.book.exercises.quietly`, with NumPy's
overflow turned into an error: a formula whose ``exp`` overflows fails with
a message naming the input, even where its result would have been right.
"""

from __future__ import annotations

import numpy as np

from ...activations import softmax
from ...losses import smooth_l1_loss, soft_margin_loss
from . import Verdict
from . import check_function


def _smooth_l1_reference(pred, target, beta=1.0):
    return smooth_l1_loss(pred, target, beta=beta, reduction="none")


#: (pred, target) pairs and betas for :func:`check_smooth_l1`: both pieces and both signs of the residual, and
#: two cases without ``beta``, where the function's own default must be 1 (PyTorch's).
SMOOTH_L1_CASES = [
    ((np.array([0.0]), np.array([0.25])), {"beta": 1.0}),
    ((np.array([0.0, 1.0, -2.0, 3.0]), np.array([0.5, -1.0, 1.0, 3.0])), {"beta": 1.0}),
    ((np.array([0.0, 0.0, 0.0]), np.array([0.1, 0.3, -2.0])), {"beta": 0.2}),
    ((np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.5, 0.0], [3.0, 9.0]])), {"beta": 2.0}),
    ((np.array([0.0, 0.0, 0.0, 0.0]), np.array([0.4, -0.8, 1.5, -3.0])), {}),
    ((np.array([2.0, -1.0]), np.array([1.25, 0.0])), {}),
]


def check_smooth_l1(fn) -> Verdict:
    """Check ``fn(pred, target, beta=1.0)``, the smooth L1 loss of each element (no reduction) (Chapter 2, exercise 1).

    .. math::

        L(r) = \\begin{cases} 0.5\\, r^2 / \\beta & |r| < \\beta \\\\
                                |r| - 0.5\\,\\beta & \\text{otherwise} \\end{cases},
        \\qquad r = \\text{target} - \\text{pred}.

    Some cases call ``fn(pred, target)`` without ``beta``, so a wrong
    default fails. Reference: ``dlnotes.losses.smooth_l1_loss(..., reduction="none")``.
    """
    return check_function(fn, _smooth_l1_reference, SMOOTH_L1_CASES, name="smooth_l1")


#: Logits for :func:`check_softmax`: one row, rows of a batch, logits so large that exp overflows, a batch
#: mixing large and small rows (subtracting the largest logit of the whole batch instead of each row's leaves
#: 0/0 in the small row), and large logits that differ by 1 (clipping them to +-700 would make them equal).
SOFTMAX_CASES = [
    (np.array([0.0, 0.0]),),
    (np.array([1.0, 2.0, 3.0]),),
    (np.array([[1.0, -1.0, 0.5], [0.0, 10.0, -10.0]]),),
    (np.array([1000.0, 1000.0]),),
    (np.array([-1000.0, 0.0, 1000.0]),),
    (np.array([[1000.0, 1001.0], [-5.0, -4.0]]),),
    (np.array([800.0, 801.0]),),
    (np.array([[-800.0, -801.0, -799.0]], dtype=np.float32),),
]


def check_softmax(fn) -> Verdict:
    """Check ``fn(z)`` = the softmax over the last axis, stable for large logits (Chapter 2, exercise 2).

    .. math:: \\operatorname{softmax}(z)_k = \\frac{e^{z_k - z_{\\max}}}{\\sum_j e^{z_j - z_{\\max}}}, \\qquad z_{\\max} = \\max_j z_j .

    The naive :math:`e^{z_k} / \\sum_j e^{z_j}` fails on ``[1000, 1000]``
    (its ``exp`` overflows). :math:`z_{\\max}` must be each row's own maximum: one
    maximum for the whole batch leaves :math:`0/0` in a row far below it,
    and clipping the logits (to :math:`\\pm 700`, say) changes the answer
    (``[800, 801]`` would give ``[0.5, 0.5]``). Reference: ``dlnotes.activations.softmax``.
    """
    return check_function(fn, softmax, SOFTMAX_CASES, name="softmax")


def _logistic_reference(margin):
    return soft_margin_loss(margin, np.ones_like(margin), reduction="none")


#: Margins for :func:`check_logistic_loss`, from very wrong (-1000) to very right (1000), in float64 and float32.
LOGISTIC_CASES = [
    (np.array([0.0]),),
    (np.array([-2.0, -0.5, 0.5, 2.0]),),
    (np.array([-1000.0, 1000.0]),),
    (np.array([-100.0, -30.0, 30.0, 100.0], dtype=np.float32),),
]


def check_logistic_loss(fn) -> Verdict:
    """Check ``fn(margin)`` = :math:`\\log(1 + e^{-yz})` of each margin :math:`yz`, stable for :math:`|yz|` up to 1000 (Chapter 2, exercise 3).

    The stable form is :math:`\\max(-yz, 0) + \\log(1 + e^{-|yz|})`; a form
    whose ``exp`` overflows anywhere fails, even in the branch of an
    ``np.where`` that is not picked. Reference:
    ``dlnotes.losses.soft_margin_loss(margin, 1, reduction="none")``.
    """
    return check_function(fn, _logistic_reference, LOGISTIC_CASES, name="logistic_loss")
