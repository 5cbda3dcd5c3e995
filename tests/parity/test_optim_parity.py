"""Every optimizer with every option against ``torch.optim``, =torch in float64.

Both sides get the same sequence of 20 gradients (drawn once, independent of
the parameters) for two parameters, a matrix and a vector. After every step
the parameters must agree to 1e-6 relative; after the last one the
per-parameter state too, under PyTorch's names.
"""

import itertools

import numpy as np
import pytest
import torch

from dlnotes import optim
from dlnotes.nn import Parameter

STEPS = 20
SHAPES = [(3, 4), (4,)]


def grid(**options):
    """Every combination of the given option values, as a list of dicts."""
    names = list(options)
    return [dict(zip(names, values)) for values in itertools.product(*options.values())]


SGD_CASES = [
    c
    for c in grid(
        lr=[0.1],
        momentum=[0.0, 0.9],
        dampening=[0.0, 0.5],
        weight_decay=[0.0, 0.05],
        nesterov=[False, True],
        maximize=[False, True],
    )
    if not (c["nesterov"] and (c["momentum"] == 0 or c["dampening"] != 0))  # Nesterov needs momentum, no dampening
]
CASES = (
    [("SGD", c) for c in SGD_CASES]
    + [
        ("Adagrad", c)
        for c in grid(
            lr=[0.1],
            weight_decay=[0.0, 0.05],
            initial_accumulator_value=[0.0, 0.5],
            eps=[1e-10, 1e-3],
            lr_decay=[0.0, 0.05],
            maximize=[False, True],
        )
    ]
    + [
        ("RMSprop", c)
        for c in grid(
            lr=[0.01],
            alpha=[0.99, 0.8],
            eps=[1e-8, 1e-3],
            weight_decay=[0.0, 0.05],
            momentum=[0.0, 0.9],
            centered=[False, True],
            maximize=[False, True],
        )
    ]
    + [
        ("Adam", c)
        for c in grid(
            lr=[0.01],
            betas=[(0.9, 0.999), (0.5, 0.9)],
            eps=[1e-8, 1e-3],
            weight_decay=[0.0, 0.05],
            amsgrad=[False, True],
            maximize=[False, True],
            decoupled_weight_decay=[False, True],
        )
    ]
    + [
        ("Adadelta", c)
        for c in grid(lr=[1.0, 0.5], rho=[0.9, 0.5], eps=[1e-6, 1e-3], weight_decay=[0.0, 0.05], maximize=[False, True])
    ]
)
#: Defaults only, as a check that the defaults are PyTorch's.
DEFAULT_CASES = [("SGD", {}), ("Adagrad", {}), ("RMSprop", {}), ("Adam", {}), ("Adadelta", {})]


def run_both(name, options, close):
    rng = np.random.default_rng(0)
    start = [rng.standard_normal(shape) for shape in SHAPES]
    grads = [[3.0 * rng.standard_normal(shape) for shape in SHAPES] for _ in range(STEPS)]

    params = [Parameter(x) for x in start]
    ours = getattr(optim, name)(params, **options)
    tensors = [torch.tensor(x, requires_grad=True) for x in start]
    theirs = getattr(torch.optim, name)(tensors, foreach=False, **options)
    for t, step_grads in enumerate(grads, start=1):
        for p, tensor, g in zip(params, tensors, step_grads):
            p.grad = g.copy()
            tensor.grad = torch.tensor(g)
        ours.step()
        theirs.step()
        for i, (p, tensor) in enumerate(zip(params, tensors)):
            close(p.data, tensor, f"{name}({options}) step {t}, param {i}")
    for i, (state, tensor) in enumerate(zip(ours.state, tensors)):
        torch_state = theirs.state[tensor]
        arrays = {key: value for key, value in torch_state.items() if key != "step" and value is not None}
        for key, value in arrays.items():
            assert key in state, f"{name}({options}): torch keeps state {key!r}, ours has {sorted(state)}"
            close(state[key], value, f"{name}({options}) state {key!r} of param {i}")
        if "step" in torch_state:
            assert state["step"] == int(torch_state["step"]) == STEPS


@pytest.mark.parametrize(("name", "options"), CASES + DEFAULT_CASES, ids=[f"{n}-{o}" for n, o in CASES + DEFAULT_CASES])
def test_optimizer_matches_torch(name, options, close):
    run_both(name, options, close)


@pytest.mark.parametrize(("name", "options"), DEFAULT_CASES, ids=[n for n, _ in DEFAULT_CASES])
def test_default_hyperparameters_are_torchs(name, options):
    ours = getattr(optim, name)([Parameter(np.zeros(2))], **options)
    theirs = getattr(torch.optim, name)([torch.zeros(2, dtype=torch.float64, requires_grad=True)], **options)
    for key, value in theirs.defaults.items():
        if hasattr(ours, key):
            assert getattr(ours, key) == (tuple(value) if isinstance(value, (tuple, list)) else value), key


def test_adagrad_positional_arguments_mean_what_they_mean_in_torch(close):
    """``Adagrad(params, 0.1, 0.05, 0.01)``: lr, lr_decay, weight_decay in both libraries."""
    rng = np.random.default_rng(1)
    start, grads = rng.standard_normal(4), [rng.standard_normal(4) for _ in range(STEPS)]
    p, tensor = Parameter(start.copy()), torch.tensor(start, requires_grad=True)
    ours, theirs = optim.Adagrad([p], 0.1, 0.05, 0.01), torch.optim.Adagrad([tensor], 0.1, 0.05, 0.01)
    for t, g in enumerate(grads, start=1):
        p.grad, tensor.grad = g.copy(), torch.tensor(g)
        ours.step()
        theirs.step()
        close(p.data, tensor, f"Adagrad positional step {t}")


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "Adadelta"])
def test_float32_trajectories_match_torch(name):
    """The in-place float32 updates follow PyTorch's float32 ones to float32 rounding."""
    rng = np.random.default_rng(2)
    start = rng.standard_normal((3, 4)).astype(np.float32)
    grads = [(3.0 * rng.standard_normal((3, 4))).astype(np.float32) for _ in range(STEPS)]
    options = {"lr": 0.01, "weight_decay": 0.05}
    p, tensor = Parameter(start.copy()), torch.tensor(start, requires_grad=True)
    ours = getattr(optim, name)([p], **options)
    theirs = getattr(torch.optim, name)([tensor], foreach=False, **options)
    for g in grads:
        p.grad, tensor.grad = g.copy(), torch.tensor(g)
        ours.step()
        theirs.step()
    assert p.data.dtype == np.float32
    np.testing.assert_allclose(p.data, tensor.detach().numpy(), rtol=1e-4, atol=1e-6)
