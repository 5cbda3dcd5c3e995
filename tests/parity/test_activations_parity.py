"""Activations, their derivatives (against autograd), softmax and log-softmax, =torch in float64."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlnotes import activations as A
from dlnotes import nn

#: A grid through the kinks and the switch points (0, softplus thresholds) plus large inputs.
X = np.concatenate([np.linspace(-30.0, 30.0, 241), [-1e4, -1e3, -50.0, -20.0001, 19.9999, 20.0001, 50.0, 1e3, 1e4]])

#: (our name, torch function, keyword arguments): the same keywords on both sides.
CASES = [
    ("sigmoid", torch.sigmoid, {}),
    ("tanh", torch.tanh, {}),
    ("relu", F.relu, {}),
    ("leaky_relu", F.leaky_relu, {}),
    ("leaky_relu", F.leaky_relu, {"negative_slope": 0.2}),
    ("elu", F.elu, {}),
    ("elu", F.elu, {"alpha": 0.5}),
    ("softplus", F.softplus, {}),
    ("softplus", F.softplus, {"beta": 2.0}),
    ("softplus", F.softplus, {"beta": 0.5, "threshold": 5.0}),
    ("gelu", F.gelu, {}),
    ("silu", F.silu, {}),
]
IDS = [f"{name}{kwargs or ''}" for name, _, kwargs in CASES]


def torch_value_and_grad(fn, x, kwargs):
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = fn(xt, **kwargs)
    y.sum().backward()
    return y.detach().numpy(), xt.grad.numpy()


@pytest.mark.parametrize(("name", "fn", "kwargs"), CASES, ids=IDS)
def test_activation_and_derivative(name, fn, kwargs, close):
    value, grad = torch_value_and_grad(fn, X, kwargs)
    close(getattr(A, name)(X, **kwargs), value, f"{name}(x)")
    close(getattr(A, f"{name}_grad")(X, **kwargs), grad, f"{name}_grad(x)")


LAYERS = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "softplus": nn.Softplus,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
}


@pytest.mark.parametrize(("name", "fn", "kwargs"), CASES, ids=IDS)
def test_activation_layer_forward_backward(name, fn, kwargs, close):
    rng = np.random.default_rng(0)
    x = 4.0 * rng.standard_normal((5, 7))
    upstream = rng.standard_normal((5, 7))
    xt = torch.tensor(x, requires_grad=True)
    yt = fn(xt, **kwargs)
    (yt * torch.tensor(upstream)).sum().backward()
    layer = LAYERS[name](**kwargs)
    close(layer(x), yt, f"{name} layer forward")
    close(layer.backward(upstream), xt.grad, f"{name} layer backward")


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_and_log_softmax(axis, close):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 6)) * np.array([[1.0], [10.0], [100.0], [1e4]])
    xt = torch.tensor(x)
    close(A.softmax(x, axis=axis), torch.softmax(xt, dim=axis), "softmax")
    close(A.log_softmax(x, axis=axis), torch.log_softmax(xt, dim=axis), "log_softmax")
