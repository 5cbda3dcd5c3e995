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



def _copy_linear(ours, theirs):
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.W.data.T))
        theirs.bias.copy_(torch.tensor(ours.b.data))


@pytest.mark.parametrize("batch", [4, 7])
def test_a_linear_used_twice_shares_its_weights_as_in_torch(batch, close):
    """``Sequential(lin, Tanh(), lin)``: the gradients of both uses add up, as in PyTorch."""
    rng = np.random.default_rng(batch)
    lin = nn.Linear(3, 3, rng=5)
    ours = nn.Sequential(lin, nn.Tanh(), lin)
    t_lin = torch.nn.Linear(3, 3, dtype=torch.float64)
    _copy_linear(lin, t_lin)
    theirs = torch.nn.Sequential(t_lin, torch.nn.Tanh(), t_lin)
    x, upstream = rng.standard_normal((batch, 3)), rng.standard_normal((batch, 3))
    xt = torch.tensor(x, requires_grad=True)
    (theirs(xt) * torch.tensor(upstream)).sum().backward()

    close(ours(x), theirs(xt), "shared Linear: forward")
    close(ours.backward(upstream), xt.grad, "shared Linear: dL/dx")
    close(lin.W.grad, t_lin.weight.grad.T, "shared Linear: dL/dW, both uses")
    close(lin.b.grad, t_lin.bias.grad, "shared Linear: dL/db, both uses")


def test_one_relu_and_one_batchnorm_after_two_layers_as_in_torch(close):
    rng = np.random.default_rng(11)
    lin1, lin2, lin3 = nn.Linear(4, 5, rng=1), nn.Linear(5, 5, rng=2), nn.Linear(5, 2, rng=3)
    act, bn = nn.ReLU(), nn.BatchNorm1d(5)
    ours = nn.Sequential(lin1, bn, act, lin2, bn, act, lin3)
    t1, t2, t3 = (torch.nn.Linear(a, b, dtype=torch.float64) for a, b in [(4, 5), (5, 5), (5, 2)])
    for o, t in zip((lin1, lin2, lin3), (t1, t2, t3)):
        _copy_linear(o, t)
    t_act, t_bn = torch.nn.ReLU(), torch.nn.BatchNorm1d(5, dtype=torch.float64)
    theirs = torch.nn.Sequential(t1, t_bn, t_act, t2, t_bn, t_act, t3)
    x, upstream = rng.standard_normal((8, 4)), rng.standard_normal((8, 2))
    xt = torch.tensor(x, requires_grad=True)
    yt = theirs(xt)
    (yt * torch.tensor(upstream)).sum().backward()

    close(ours(x), yt, "shared ReLU and BatchNorm: forward")
    close(ours.backward(upstream), xt.grad, "shared ReLU and BatchNorm: dL/dx")
    for k, (o, t) in enumerate(zip((lin1, lin2, lin3), (t1, t2, t3))):
        close(o.W.grad, t.weight.grad.T, f"Linear {k}: dL/dW")
        close(o.b.grad, t.bias.grad, f"Linear {k}: dL/db")
    close(bn.gamma.grad, t_bn.weight.grad, "shared BatchNorm: dL/dgamma, both uses")
    close(bn.beta.grad, t_bn.bias.grad, "shared BatchNorm: dL/dbeta, both uses")
    close(bn.running_mean, t_bn.running_mean, "shared BatchNorm: running_mean after two updates")
    close(bn.running_var, t_bn.running_var, "shared BatchNorm: running_var after two updates")


def test_dropout_p_one_is_zero_forward_and_backward_as_in_torch(close):
    x = np.random.default_rng(0).standard_normal((4, 3))
    xt = torch.tensor(x, requires_grad=True)
    yt = torch.nn.Dropout(p=1.0)(xt)
    yt.sum().backward()
    ours = nn.Dropout(p=1.0, rng=0)
    close(ours(x), yt, "Dropout(p=1): forward")
    close(ours.backward(np.ones((4, 3))), xt.grad, "Dropout(p=1): dL/dx")
