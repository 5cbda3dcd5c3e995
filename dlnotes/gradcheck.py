"""Numerical gradient checking with centred differences (used in every chapter's tests).

For a scalar function ``f`` the centred difference

.. math:: \\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + h e_i) - f(x - h e_i)}{2h}

has error :math:`O(h^2)`. Work in float64: with ``h = 1e-6`` the estimate
agrees with a correct analytic gradient to about 1e-8 relative error.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import _show, as_float_array, as_generator, check_number
from .nn.module import no_grad


def rel_error(a, b) -> float:
    """Relative error ``max|a - b| / max(1e-8, max|a| + max|b|)`` of two arrays.

    Below 1e-6 means "the same gradient" for float64 checks (chapter 1).
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"b must have the shape of a {a.shape}, got shape {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(1e-8, float(np.max(np.abs(a)) + np.max(np.abs(b))))
    return float(np.max(np.abs(a - b)) / scale)


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Centred-difference gradient of the scalar ``f()`` with respect to the array ``x`` (Chapter 1).

    ``x`` is perturbed *in place* (and restored), so ``f`` may read it through
    a closure, for example a ``Parameter``'s ``data``:
    ``g_i = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {_show(f)}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(f"x must be a float64 numpy array (perturbed in place), got {_show(x)}")
    eps = check_number(eps, "eps", low=0, low_open=True)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):  # index x itself: reshape(-1) copies a non-contiguous view
        old = x[i]
        x[i] = old + eps
        plus = float(f())
        x[i] = old - eps
        minus = float(f())
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def check_module_gradients(module, x, *, rng=None, eps: float = 1e-6) -> dict[str, float]:
    """Compare a module's ``backward`` with centred differences (Chapter 1).

    Draws a random upstream gradient ``G`` and checks ``∂ sum(G * module(x))``
    with respect to the input and to every parameter. Returns the relative
    error (see :func:`rel_error`) by name: ``"input"`` and each parameter's
    dotted name. The module must be float64 and deterministic between calls
    (give Dropout a mask that does not change, for example).

    The module is left as it was found: its parameters' ``.grad`` and its
    buffers (BatchNorm's running statistics, which every forward in training
    mode moves) are restored afterwards.

    A parameter whose true gradient is exactly zero (the bias of a layer
    followed by BatchNorm, which subtracts the batch mean) shows the
    differences' rounding noise, about ``1e-10`` relative to the output,
    against the floor of :func:`rel_error`: check such entries with an
    absolute tolerance instead.
    """
    x = np.array(as_float_array(x, "x"), dtype=np.float64, copy=True)
    for name, p in module.named_parameters():
        if p.data.dtype != np.float64:
            raise TypeError(f"parameter {name} must be float64 for a gradient check, got {p.data.dtype}")
    saved_state = module.state_dict()
    saved_grads = [p.grad.copy() for p in module.parameters()]
    upstream = None

    def objective() -> float:
        with no_grad():  # the perturbed passes are never back-propagated
            return float(np.sum(module(x) * upstream))

    try:
        out = module(x)
        upstream = as_generator(rng).standard_normal(out.shape)
        module.zero_grad()
        grad_input = module.backward(upstream)
        analytic = {name: p.grad.copy() for name, p in module.named_parameters()}
        errors = {"input": rel_error(grad_input, numerical_gradient(objective, x, eps))}
        for name, p in module.named_parameters():
            errors[name] = rel_error(analytic[name], numerical_gradient(objective, p.data, eps))
    finally:
        module.load_state_dict(saved_state)
        for p, grad in zip(module.parameters(), saved_grads):
            p.grad = grad
    return errors


def check_loss_gradients(loss, pred, target, *, eps: float = 1e-6) -> float:
    """Relative error between ``loss.backward()`` and centred differences of ``loss(pred, target)`` (Chapter 2).

    For ``reduction="none"`` the checked scalar is the sum of the losses.
    """
    pred = np.array(as_float_array(pred, "pred"), dtype=np.float64, copy=True)

    def objective() -> float:
        return float(np.sum(loss(pred, target)))

    objective()
    analytic = loss.backward()
    return rel_error(analytic, numerical_gradient(objective, pred, eps))
