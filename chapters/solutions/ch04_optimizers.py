"""Solutions to the coding exercises of Chapter 4 (the gradient-descent variants)."""

import numpy as np


def momentum_step(p, v, g, lr, momentum):
    """One step of SGD with momentum in PyTorch's form: v = momentum v + g, p = p - lr v."""
    v = momentum * v + g
    return p - lr * v, v


def adam_step(p, m, v, g, t, lr, beta1, beta2, eps):
    """Step number t of Adam with bias correction."""
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
