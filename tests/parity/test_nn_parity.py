"""``Linear`` and ``BatchNorm1d`` against ``torch.nn``, =torch in float64.

Our ``Linear.W`` is PyTorch's ``weight`` transposed; ``BatchNorm1d``'s
``gamma``/``beta`` are PyTorch's ``weight``/``bias``.
"""

import math

import numpy as np
import pytest
import torch

from dlnotes import nn


@pytest.mark.parametrize("bias", [True, False])
def test_linear_forward_backward(bias, close):
    rng = np.random.default_rng(0)
    ours = nn.Linear(5, 3, bias=bias, rng=1)
    theirs = torch.nn.Linear(5, 3, bias=bias, dtype=torch.float64)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.W.data.T))
        if bias:
            theirs.bias.copy_(torch.tensor(ours.b.data))
    x = rng.standard_normal((8, 5))
    upstream = rng.standard_normal((8, 3))
    xt = torch.tensor(x, requires_grad=True)
    yt = theirs(xt)
    (yt * torch.tensor(upstream)).sum().backward()

    close(ours(x), yt, "Linear forward")
    close(ours.backward(upstream), xt.grad, "Linear dL/dx")
    close(ours.W.grad, theirs.weight.grad.T, "Linear dL/dW = weight.grad transposed")
    if bias:
        close(ours.b.grad, theirs.bias.grad, "Linear dL/db")


def test_linear_default_init_has_torchs_bound():
    """PyTorch's default draws W and b from U(-1/sqrt(in), 1/sqrt(in)); compare the bounds."""
    n_in, n_out = 400, 400
    ours = nn.Linear(n_in, n_out, rng=0)
    torch.manual_seed(0)
    theirs = torch.nn.Linear(n_in, n_out, dtype=torch.float64)
    bound = 1 / math.sqrt(n_in)
    for name, a, b in (("W", ours.W.data, theirs.weight), ("b", ours.b.data, theirs.bias)):
        b = b.detach().numpy()
        assert np.max(np.abs(a)) <= bound and np.max(np.abs(b)) <= bound, name
    assert np.max(np.abs(ours.W.data)) == pytest.approx(np.max(np.abs(theirs.weight.detach().numpy())), rel=1e-3)


@pytest.mark.parametrize(("eps", "momentum"), [(1e-5, 0.1), (1e-3, 0.3), (1e-5, 1.0), (1e-5, 0.0)])
def test_batchnorm_train_and_eval(eps, momentum, close):
    rng = np.random.default_rng(2)
    n_features = 4
    ours = nn.BatchNorm1d(n_features, eps=eps, momentum=momentum)
    theirs = torch.nn.BatchNorm1d(n_features, eps=eps, momentum=momentum, dtype=torch.float64)
    gamma, beta = rng.standard_normal(n_features), rng.standard_normal(n_features)
    ours.gamma.data[...] = gamma
    ours.beta.data[...] = beta
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(gamma))
        theirs.bias.copy_(torch.tensor(beta))

    def step(x, what):
        upstream = rng.standard_normal(x.shape)
        ours.zero_grad()
        theirs.zero_grad()
        xt = torch.tensor(x, requires_grad=True)
        yt = theirs(xt)
        (yt * torch.tensor(upstream)).sum().backward()
        close(ours(x), yt, f"{what}: output")
        close(ours.backward(upstream), xt.grad, f"{what}: dL/dx")
        close(ours.gamma.grad, theirs.weight.grad, f"{what}: dL/dgamma")
        close(ours.beta.grad, theirs.bias.grad, f"{what}: dL/dbeta")
        close(ours.running_mean, theirs.running_mean, f"{what}: running_mean")
        close(ours.running_var, theirs.running_var, f"{what}: running_var")

    for k, batch in enumerate([8, 3, 16, 2, 5]):
        x = 3.0 * rng.standard_normal((batch, n_features)) + rng.standard_normal(n_features) * 5
        step(x, f"train batch {k} (N={batch})")
    ours.eval()
    theirs.eval()
    for k, batch in enumerate([6, 1]):
        step(rng.standard_normal((batch, n_features)) * 2.0, f"eval batch {k} (N={batch})")

