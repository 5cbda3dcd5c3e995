"""Solutions to the coding exercises of Chapter 4 (the gradient-descent variants)."""

import numpy as np


def momentum_step(p, b, g, lr, alpha):
    """One step of SGD with momentum in PyTorch's form: buffer b (the book's v-tilde) = alpha b + g (g the minibatch gradient g-hat), p = p - lr b."""
    b = alpha * b + g
    return p - lr * b, b


def adam_step(p, s, r, g, t, lr, beta1, beta2, eps):
    """Step number t of Adam with bias correction; s and r hold the first and second moments M and R, eps is xi."""
    s = beta1 * s + (1 - beta1) * g
    r = beta2 * r + (1 - beta2) * g * g
    s_hat = s / (1 - beta1**t)
    r_hat = r / (1 - beta2**t)
    return p - lr * s_hat / (np.sqrt(r_hat) + eps), s, r


#: Exercise 3 (written).
MOMENTUM_STABILITY_ANSWER = """\
In the explorer (Momentum, alpha = 0.9, 200 steps) lr = 0.0378 still converges
(J - J* = 8.3e-05 after 200 steps) and lr = 0.0379 is marked diverged at step 7;
0.038 is the theory's bound 2 (1 + alpha) / lambda_max.
Why: along an eigenvector of H with curvature lambda, the heavy ball follows
theta^(t+1) = theta^(t) - lr lambda theta^(t) + alpha (theta^(t) - theta^(t-1)), a
linear recursion whose characteristic polynomial is
z^2 - (1 + alpha - lr lambda) z + alpha. Both roots lie inside the unit circle
exactly when |alpha| < 1 and |1 + alpha - lr lambda| < 1 + alpha, that is
0 < lr lambda < 2 (1 + alpha): lr < 2 (1.9) / 100 = 0.038, against SGD's
2 / 100 = 0.02 (alpha = 0). Just below the bound the roots are complex with
modulus sqrt(alpha) = 0.95, so the run converges, but slowly and after a large
swing: between 0.0379 and 0.038 that swing carries the point out of the
explorer's escape box (10 times the window), which counts it as diverged.
A heavy ball can take larger steps because its velocity remembers the last
step: where plain gradient descent overshoots and flips sign at every step,
the velocity still points the other way and cancels part of the overshoot, so
a step up to 1 + alpha times larger stays stable.
"""

#: Exercise 4 (written).
SADDLE_ANSWER = """\
From theta_2 = 0 exactly (the slider start θ₂ at 0), plain SGD (lr 0.05) ends at the saddle
point (0, 0) with J - J* = 0.25, and never leaves the ridge: the gradient's
theta_2-component is theta_2^3 - theta_2, which is exactly 0 at theta_2 = 0,
so theta_2 stays 0 at every step while theta_1 descends to 0. The saddle point
is a fixed point of gradient descent; it only repels points off the ridge,
where theta_2 grows by about 1 + lr per step.
Momentum (lr 0.02) and Adam (lr 0.05) from theta_2 = 0 stop there too:
Momentum's velocity in theta_2 is built from zero gradients, and Adam's step
in theta_2 is M/(sqrt(R) + xi) = 0/xi = 0. From theta_2 = 0.01 all three
escape: |theta_2| > 0.5 after 83 steps for SGD, 43 for Momentum and 11 for
Adam (as in section 4.6), and all end at the minimum (0, 1).
A minibatch gradient has noise in every direction, also in theta_2, so it
moves theta_2 off 0 at once; the instability of the saddle then grows that offset step by
step. Noise turns a saddle point from a trap into a place that is left, as
Ge et al. (2015) prove for noisy gradient descent.
"""

#: Exercise 5 (written).
ADAGRAD_ANSWER = """\
After 2000 steps on the Rosenbrock valley:

  AdaGrad (lr 1.5):  J = 0.0017, still falling (0.069 at step 200, 0.011 at
                     step 1000); its last 200 steps are about 9e-05 long;
                     effective rates 0.0018 and 0.0023.
  RMSProp (lr 0.03, alpha 0.9): J = 0.19, stuck (0.54 at step 200, 0.19 at
                     step 1000, lowest 0.18); its last 200 steps are all
                     0.042 long; effective rates 0.0021 and 0.0037.

The effective rates are alike, so they are not what separates the two. The
step is the rate times the gradient, and RMSProp's rate is
lr / sqrt(average of g_hat^2): on the valley's floor g_hat flips sign across the
valley at every step but keeps its size, so the average of g_hat^2 is about g_hat^2
and the step is about lr g_hat/|g_hat| = lr per coordinate, 0.03 in each, sqrt(2) 0.03
= 0.042 in all, whatever the gradient's size: RMSProp keeps jumping across the
valley and cannot settle. AdaGrad divides by the root of the sum of all past
g_hat^2, which only grows, so its steps keep shrinking and the bouncing dies
away: a shrinking rate is what a noisy or oscillating end of training needs,
the same reason schedules decay the rate (Chapter 3).
"""

#: Exercise 6 (written).
BIAS_CORRECTION_ANSWER = """\
For a constant gradient g_hat, after t steps M = (1 - beta1^t) g_hat and
R = (1 - beta2^t) g_hat^2 (sums of geometric series started at 0). The corrected step uses M/(1 - beta1^t)
= g_hat and R/(1 - beta2^t) = g_hat^2, so it is lr per coordinate; the uncorrected
one is lr (1 - beta1^t) |g_hat| / sqrt((1 - beta2^t) g_hat^2) = lr (1 - beta1^t)/sqrt(1 - beta2^t)
(ignoring xi). Their ratio, for beta1 = 0.9 and beta2 = 0.999, is 3.16 at
t = 1 (0.1/sqrt(0.001)), grows to 6.57 at t = 12 and is 6.24 at t = 20, as
first["constant_gradient"] shows. It never falls below 1: 1 - beta1^t reaches
1 much faster than sqrt(1 - beta2^t), which is below 1 for every t, and the
ratio decreases to 1 only as t grows without bound. It is within 10% of 1
(at most 1.1) from t = 1751 on. Without the correction the early steps are
several times too long, for about the first thousand steps.
"""
