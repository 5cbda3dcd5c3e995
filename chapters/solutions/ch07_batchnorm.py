"""Solutions to the exercises of Chapter 7 (batch normalization): the coding ones as functions, the written ones as text."""

import numpy as np


def batchnorm_forward(z, gamma, beta, eps):
    """Training mode: normalize each column with the batch's mean and biased variance, eps inside the root."""
    mu = z.mean(axis=0)
    var = ((z - mu) ** 2).mean(axis=0)  # divide by m, not m - 1
    z_hat = (z - mu) / np.sqrt(var + eps)
    return gamma * z_hat + beta


def running_update(running_mean, running_var, z, momentum):
    """PyTorch's convention: momentum weighs the new batch; the running variance is unbiased (divide by m - 1)."""
    new_mean = (1 - momentum) * running_mean + momentum * z.mean(axis=0)
    new_var = (1 - momentum) * running_var + momentum * z.var(axis=0, ddof=1)
    return new_mean, new_var


def batchnorm_backward(grad_out, z, gamma, eps):
    """The compact form: (m g - sum g - z_hat sum(g z_hat)) / (m sqrt(var + eps)), with g = gamma grad_out."""
    m = z.shape[0]
    mu = z.mean(axis=0)
    inv_std = 1.0 / np.sqrt(z.var(axis=0) + eps)
    z_hat = (z - mu) * inv_std
    g = gamma * grad_out
    return inv_std / m * (m * g - g.sum(axis=0) - z_hat * (g * z_hat).sum(axis=0))


EXERCISE_3 = """\
Treating mu_B and sigma_B^2 as constants keeps only the first path of section 7.6 and returns
gamma * grad_out / sqrt(sigma_B^2 + eps). That is the evaluation-mode gradient, and it is wrong in training
mode: it leaves in the gradient its mean over the batch and its component along z_hat, the two directions
the normalization removes. A gradient step would then try to move every z_i of the batch together, or to
change their spread, which the next forward pass normalizes away, and the weights below would be pushed
where the loss cannot follow. Its sum over the batch is not zero either, so the bias in front of BatchNorm
would seem to get a gradient. The checker rejects this answer.
"""

EXERCISE_4 = """\
A batch of one in training mode. With m = 1 the batch mean is the example itself, mu_B = z_1, and the
batch variance is sigma_B^2 = 0. So z_hat_1 = (z_1 - z_1) / sqrt(0 + eps) = 0 whatever z_1 is, and the
output is gamma * 0 + beta = beta: the layer forgets its input, every example maps to the same value, and
the gradient with respect to z_1 is exactly zero (the compact form gives (1/sqrt(eps)) (g - g - 0) = 0).
The unbiased variance of the running estimate, m/(m - 1) sigma_B^2, would even divide 0 by 0. That is why
dlnotes' BatchNorm1d (like PyTorch's) raises ValueError for one row in training mode, and why fit refuses
a last minibatch of one (pass drop_last=True or a batch size that divides the data). In evaluation mode a
single example is fine: it is normalized with running_mean and running_var, statistics of the training
data that do not depend on the batch, so the chapter's batch_of_one printed a sensible value there
(1.0 for the example 5 against running statistics 3 and 4) while a batch of identical copies came out
as beta (0.0) in training mode. At inference, examples often arrive one at a time, and this is exactly
why the running statistics exist.
"""

EXERCISE_5 = """\
The bias in evaluation mode. In training mode a bias b added before BatchNorm is subtracted again with
the batch mean (z_i + b - (mu_B + b) = z_i - mu_B), so it changes nothing and receives a zero gradient
(the chapter measured |dL/db| below 1e-12 of |dL/dW| = 28.9). In evaluation mode the layer subtracts
running_mean instead, a fixed number, so changing b after training would shift the output by
gamma b / sqrt(running_var + eps). It does not matter in practice: b never changes (its gradient is
zero), and running_mean, an average of batch means that all contained b, has absorbed it. A bias that
could not learn anything is only wasted parameters, so the Linear layer before BatchNorm is built with
bias=False and beta plays its role.
"""

EXERCISE_6 = """\
A larger learning rate. training_sweep(X_spirals, y_spirals, SCALES, lr=0.4, momentum=0.9, epochs=20,
batch_size=60) trains both networks as section 7.4 did with seed 0, with a learning rate eight times its 0.05
and nothing else changed (it takes about a second). Measured losses after 20 epochs, for s = 0.1, 0.32, 1,
3.2, 10 (one seed, and the loss moves from epoch to epoch, so read the large differences only):
  without BatchNorm  1.099  1.162  2.417  1.027  12.972   (a loss of 0.5 reached only at s = 3.2, in epoch 3)
  with BatchNorm     0.088  0.159  0.117  0.090   0.137   (0.5 reached in epochs 7, 5, 7, 3 and 2)
Without BatchNorm the scales that trained at lr = 0.05 now fail: at s = 1 the loss ends at 2.4, above its
start, at s = 3.2 it gets below 0.5 in epoch 3 but ends at 1.03, and at s = 10 it climbs to 22 during
training. With BatchNorm every run still trains, and at
three of the five scales it reaches 0.5 sooner than at lr = 0.05 (5 instead of 11 epochs at s = 0.32, 3
instead of 4 at s = 3.2, 2 instead of 5 at s = 10; 7 against 7 at s = 0.1, and 7 against 6 at s = 1).
Two things protect it. The normalization keeps every layer's input to tanh at unit spread,
however large a step makes the weights, so a step cannot saturate the network or blow the signal up.
And by the scale invariance of section 7.3, a step that grows the weights shrinks their next gradients
(the gradient evaluated at cW is 1/c times the gradient at W), which acts like a learning rate
epsilon / s^2 (epsilon the learning rate) that falls as the weights grow. This is the "much higher
learning rates" of Ioffe and Szegedy (2015); their large speed-ups came with such rates.
"""
