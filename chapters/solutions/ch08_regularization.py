"""Solutions to the exercises of Chapter 8 (preventing overfitting): the coding ones as functions, the written ones as text."""

import numpy as np


def dropout_forward(x, p, rng, training):
    """Inverted dropout: keep where a uniform draw is >= p, divide the kept entries by 1 - p; identity in evaluation mode."""
    if not training:
        return x
    keep = rng.random(x.shape) >= p
    return np.where(keep, x / (1 - p), 0.0)


def ridge_gradient(X, y, theta, lam):
    """Gradient of (1/n) sum_i (x^(i) w + b - y^(i))^2 + (lam / 2) ||w||_2^2 with theta = (w, b); the bias is not penalized."""
    w, b = theta[:-1], theta[-1]
    r = X @ w + b - y
    grad_w = 2.0 / len(y) * X.T @ r + lam * w  # d/dw of (lam/2)||w||^2 is lam * w
    grad_b = 2.0 * np.mean(r)  # no penalty term for the bias
    return np.append(grad_w, grad_b)


class L1Proximal:
    """Exercise 5: an SGD step on J, then soft-thresholding by lr * l1 (the proximal step of l1 * ||theta||_1)."""

    def __init__(self, optimizer, l1):
        self.optimizer, self.params, self.l1 = optimizer, optimizer.params, l1

    def step(self):
        self.optimizer.step()
        threshold = self.optimizer.lr * self.l1
        for p in self.params:
            p.data[...] = np.sign(p.data) * np.maximum(np.abs(p.data) - threshold, 0.0)

    def zero_grad(self):
        self.optimizer.zero_grad()


EXERCISE_3 = """\
The smallest gap of the grid, 0.038, comes at p_drop = 0.75 and lambda = 0.03, with a training loss of 0.345
and a validation loss of 0.384; its boundary is almost a straight line. The lowest validation loss,
0.307, comes at p_drop = 0.3 and lambda = 0.01, with a gap of 0.101 and a boundary that follows the two moons.
The first pair has a small gap because it fits the training set badly too: the gap compares the two
losses, it does not say whether either is low. A model that predicts the same probability everywhere has
a gap near 0 and is useless. So choose the regularization by the validation loss (or error), and read
the gap as a diagnosis: a large gap says "overfitting, regularize more", a small gap with both losses
high says "underfitting, regularize less or use a larger model".
The loss to expect on new data is estimated by the validation loss, not the training loss: the training
points were fitted, so their loss is biased low (0.026 against 0.875 in section 8.1). And since the
validation set was used to choose p_drop and lambda (and the epoch, with early stopping), even the best
validation loss is slightly optimistic; a third set, the test set, used once at the end, gives an honest
estimate.
"""

EXERCISE_4 = """\
With a loss gradient of 0, the gradient Adam sees is g_hat = lambda * theta = lambda. At the first step
M_hat = g_hat and R_hat = g_hat^2, so the step is lr * g_hat / (|g_hat| + xi) = lr * lambda / (lambda + 1e-8), which is
0.01 * (1 - 1e-4) for lambda = 1e-4 and 0.01 for lambda = 0.1: theta moves from 1 to about 0.99 in both
cases (measured: 0.009999 and 0.00999999). Adam divides every gradient by its own running size, so a
coupled decay on a parameter that nothing else pushes becomes a step of size lr whatever lambda is, while
on a parameter with large loss gradients the same decay is divided by a large sqrt(R_hat), so it is
regularized by a smaller relative amount than a parameter with small gradients.
AdamW's decoupled step theta <- theta - lr * lambda * theta moves theta by lr * lambda = 1e-6 and 1e-3,
proportional to lambda and the same for every parameter, as weight decay in plain SGD does.
"""

EXERCISE_5 = """\
With plain SGD (lr 0.1, no momentum) for 300 epochs and lambda = 0.003, the proximal version (the class
L1Proximal above, wrapping SGD) ends with 508 of the 1152 weights exactly 0, the subgradient version
(L1Penalty(SGD(...), l1=0.003)) with none, although both have about 45% of the weights below 0.001 and the
same losses (training 0.302, validation 0.358; slower than with momentum).
The subgradient step adds lr * lambda * sign(theta_i) whatever the size of theta_i: a weight of 1e-5 is pushed by
3e-4, past 0, and the next step pushes it back, so it keeps hovering at the size of one step and is 0
only by accident. Soft-thresholding solves the step exactly for the penalty: it minimizes
lr * lambda * |theta_i| + (theta_i - theta_sgd)^2 / 2 for the value theta_sgd after the loss step, whose minimizer is 0
for every |theta_sgd| <= lr * lambda, so every weight that the loss moves by less than the threshold lands on 0 and stays
there.
"""

EXERCISE_6 = """\
patience=5 stops after epoch 31 and returns epoch 26, a small early dip of the validation loss (0.347,
training loss 0.320, gap 0.026): five epochs were not enough to see past it, and the true minimum at
epoch 93 (0.299) is missed. patience=100 finds epoch 93, as patience=30 did, but trains until epoch 193,
100 epochs for nothing (with the best weights restored, the result is the same as with 30). A noisy
validation curve, such as the ragged curves with dropout in the explorer, goes up and down by chance from
epoch to epoch, so a short patience stops at the first random rise; a longer patience costs more epochs
but is not fooled by noise. min_delta (a minimum improvement) is the other guard against noise.
"""
