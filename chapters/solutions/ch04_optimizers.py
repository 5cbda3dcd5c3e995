"""Solutions to the coding exercises of Chapter 4 (the gradient-descent variants)."""

import numpy as np


def momentum_step(p, v, g, lr, momentum):
    """One step of SGD with momentum in PyTorch's form: v = momentum v + g, p = p - lr v."""
    v = momentum * v + g
    return p - lr * v, v


def adam_step(p, s, r, g, t, lr, beta1, beta2, eps):
    """Step number t of Adam with bias correction; s and r are the first and second moments."""
    s = beta1 * s + (1 - beta1) * g
    r = beta2 * r + (1 - beta2) * g * g
    s_hat = s / (1 - beta1**t)
    r_hat = r / (1 - beta2**t)
    return p - lr * s_hat / (np.sqrt(r_hat) + eps), s, r
