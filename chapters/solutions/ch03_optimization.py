"""Solutions to the exercises of Chapter 3 (optimization in deep models, 深度模型中的优化).

``tests/test_exercises_solutions.py`` runs each coding solution through its
checker in ``dlnotes.book.exercises.ch03_optimization``;
``tests/test_exercises_optimization.py`` checks the numbers the written
answers quote.
"""

import numpy as np


def minibatch_gradient(X, y, w, rows):
    """Exercise 1: the gradient of J_B(w) = (1/m) sum over i in B of (x^(i) w - y^(i))^2 with respect to w."""
    Xb, yb = X[rows], y[rows]
    return 2.0 / len(rows) * Xb.T @ (Xb @ w - yb)


def standard_error(per_example, m):
    """Exercise 2: sigma_g / sqrt(m), sigma_g^2 the mean squared distance of the rows from their mean."""
    centred = per_example - per_example.mean(axis=0)
    return np.sqrt(np.mean(np.sum(centred**2, axis=1)) / m)


#: Exercise 3 (written).
WITHOUT_REPLACEMENT_ANSWER = """\
gradient_spread(net, CrossEntropyLoss(), Xs, ys, batch_sizes=[16, 64, 256, 300],
replace=False, rng=0) measures, with sigma_g = 1.86 (the spread of the
per-example gradients):

  m     measured   sigma_g/sqrt(m)   corrected sigma_g/sqrt(m) sqrt((n-m)/(n-1))
  16    0.44       0.46              0.45
  64    0.20       0.23              0.21
  256   0.045      0.12              0.045
  300   0          0.11              0

The corrected value matches the measurement; sigma_g/sqrt(m) alone is right
only while m is much smaller than n = 300. sigma_g/sqrt(m) is the error of the
mean of m independent draws. Without replacement the draws are not independent:
once an example is in the minibatch it cannot come again, so a minibatch of 256 of the
300 examples leaves out only 44 of them, and its mean can differ from the full
mean only through those 44. The variance of the mean shrinks by (n-m)/(n-1),
here 44/299, so the spread by its square root, 0.38. At m = n the minibatch is
the whole training set: every draw holds every example once, its gradient is
the full gradient, and the spread is 0 (measured: 4e-16, the rounding of
summing in another order; the factor (n-m)/(n-1) is 0).
That is also why one pass over a shuffled epoch visits each example once: the
minibatches of an epoch together are the full gradient, and each one alone is
still an unbiased estimate of it.
"""

#: Exercise 4 (written).
BATCH_SIZE_ANSWER = """\
learning_rate_sweep on the moons network, 20 epochs, the same 11 rates, judged
over the last 10 epochs (their mean loss, and classify_learning_curves):

  batch_size 10 (20 steps per epoch): lowest at lr 0.562 (0.164); slow only at
      0.01; oscillating from 0.562 to 2.82; diverging from 6.31.
  batch_size 40 (5 steps per epoch, the chapter's): lowest at lr 1.26 (0.28);
      oscillating at 2.82; diverging from 6.31.
  batch_size 200 (the full batch, 1 step per epoch): lowest at lr 2.82 (0.295);
      slow up to 0.112; nothing oscillates; diverging from 6.31.

The best rate moves up one grid step (a factor 2.24) as the batch grows from 10
to 40 and again from 40 to 200. Two effects. Per epoch, a small batch takes
more steps, so small rates make more progress: at lr 0.01 the last 10 epochs
average 0.417 with batch_size 10 and 0.594 with 200. And a small batch's
gradient is noisier (section 3.2: its error is sigma_g/sqrt(m), sqrt(20) = 4.5
times larger at m = 10 than at m = 200), so at a given rate the noise shakes
the run more: with batch_size 10, rates that are good for 40 already
oscillate. A larger batch averages the noise away and tolerates a larger rate,
the usual rule of thumb of scaling the rate with the batch size. Divergence
starts at the same grid value, 6.31, for all three: it is set by the curvature
of the loss (the 2/lambda_max of section 3.4), which the batch size does not
change, not by the noise.
"""

#: Exercise 5 (written).
PATIENCE_ANSWER = """\
patience=5: the run stops after epoch 11 and returns epoch 6, with validation
loss 0.204 (the best of the run is 0.132, at epoch 61) and gradient norm 0.135
there. patience=100: it returns epoch 61, as patience=40 does, with gradient
norm 0.072, and runs on to epoch 161 before it stops, 60 epochs more than
patience=40 for the same weights.
The validation curve of this run is noisy: it falls to 0.204 at epoch 6, rises
to 0.302 by epoch 10, and beats epoch 6 again only at epoch 40. A patience of a
few epochs reads that bump as the start of overfitting and stops early,
returning weights far from the best (a validation loss 1.5 times larger). A
small validation set (40 examples here) makes such bumps common. Patience
trades time for safety: too small stops at the first bump, too large only
costs epochs, since early stopping returns the best epoch's weights anyway.
"""
