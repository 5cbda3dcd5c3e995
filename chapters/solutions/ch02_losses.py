"""Solutions to the exercises of Chapter 2 (loss functions, 损失函数).

``tests/test_exercises_losses.py`` runs each coding solution through its
checker in ``dlnotes.book.exercises.ch02_losses``.
"""

import numpy as np


def smooth_l1(pred, target, beta=1.0):
    """Exercise 1: smooth L1 of each element, r = target - pred.

    0.5 r^2 / beta where |r| < beta, |r| - 0.5 beta elsewhere: the two pieces
    meet at |r| = beta with the same value (beta / 2) and the same slope (1).
    """
    r = np.abs(target - pred)
    return np.where(r < beta, 0.5 * r**2 / beta, r - 0.5 * beta)


def softmax(z):
    """Exercise 2: softmax over the last axis; subtracting the largest logit keeps exp <= 1."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def logistic_loss(margin):
    """Exercise 3: log(1 + e^{-yz}) = max(-yz, 0) + log(1 + e^{-|yz|}), where exp only sees -|yz| <= 0."""
    return np.maximum(-margin, 0) + np.log1p(np.exp(-np.abs(margin)))


#: Exercise 4 (written).
OUTLIER_ANSWER = """\
The gradient of the squared loss is dL/dr = 2r (dL/df = -2r with respect to
the prediction f): an outlier with residual 20 pulls 20 times harder than a point with residual 1,
so the farther the outliers go, the more they tilt the MSE line. The L1
gradient is sign(r), +-1 whatever the size of r, and smooth L1's is also +-1
once |r| >= beta (beta = 1 here): from size 2.5 on every outlier is farther
than beta from the line, so it pulls exactly as hard at size 30 as at size
2.5, and the MAE and smooth L1 lines do not move at all. The MAE line leaves
half the points above it and half below (20 and 20 of the 40): at its
minimum the pulls sign(r_i) must cancel, so there are as many positive
residuals as negative ones, the median property. Smooth L1 is close (19
above, 21 below) because the points within beta of the line pull less than
1, r / beta, so the count need not balance exactly.
"""

#: Exercise 5 (written).
MARGIN_ANSWER = """\
Code the label as y~ = (1 + y) / 2 in {0, 1} and let p = sigma(z). For
y = +1 (y~ = 1) the cross-entropy is -log sigma(z); for y = -1 (y~ = 0) it is
-log(1 - sigma(z)) = -log sigma(-z), since 1 - sigma(z) = sigma(-z). Both are
-log sigma(y z) = log(1 + e^{-yz}): the logistic loss of the margin yz.
The 0-1 loss counts only the sign of yz; hinge, logistic and exponential
losses are convex upper bounds of it (logistic after dividing by log 2, so
that it is 1 at yz = 0), and they keep pushing while the margin is small or
negative. The absolute loss |1 - yz| is an upper bound too, but it also
punishes very confident right answers. The exponential loss grows fastest
for very wrong answers (e^{-yz}), so a mislabelled point dominates it: it is
the least robust to wrong labels; the hinge and logistic losses grow only
linearly there.
"""
