"""Solutions to the coding exercises of Chapter 4 (the gradient-descent variants)."""

import numpy as np


def momentum_step(p, b, g, lr, alpha):
    """One step of SGD with momentum in PyTorch's form: b = alpha b + g, p = p - lr b."""
    b = alpha * b + g
    return p - lr * b, b


def adam_step(p, s, r, g, t, lr, beta1, beta2, eps):
    """Step number t of Adam with bias correction; s and r are the first and second moments, eps is xi."""
    s = beta1 * s + (1 - beta1) * g
    r = beta2 * r + (1 - beta2) * g * g
    s_hat = s / (1 - beta1**t)
    r_hat = r / (1 - beta2**t)
    return p - lr * s_hat / (np.sqrt(r_hat) + eps), s, r
