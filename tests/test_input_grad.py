"""``backward(grad_out, input_grad=False)``: the same parameter gradients without ∂L/∂x (Chapter 1)."""

import numpy as np
import pytest

from dlnotes import losses, nn, optim
from dlnotes.nn.module import _backward
from dlnotes.train import fit


def gradients(model):
    return [p.grad.copy() for p in model.parameters()]


def shared_weights():
    shared = nn.Linear(3, 3, rng=9)
    return nn.Sequential(shared, nn.Tanh(), shared)


def networks():
    return {
        "linear": lambda: nn.Linear(3, 2, rng=1),
        "mlp": lambda: nn.Sequential(nn.Linear(3, 4, rng=1), nn.Tanh(), nn.Linear(4, 2, rng=2)),
        "nested": lambda: nn.Sequential(nn.Sequential(nn.Linear(3, 4, rng=1), nn.ReLU()), nn.Linear(4, 2, rng=2)),
        "activation first": lambda: nn.Sequential(nn.Tanh(), nn.Linear(3, 2, rng=1)),
        "batchnorm first": lambda: nn.Sequential(nn.BatchNorm1d(3), nn.Linear(3, 2, rng=1)),
        "shared weights": shared_weights,
        "empty then linear": lambda: nn.Sequential(nn.Sequential(), nn.Linear(3, 2, rng=1)),
    }


@pytest.mark.parametrize("name", list(networks()))
def test_parameter_gradients_are_those_of_the_full_backward(name):
    make = networks()[name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 3))
    full, skipped = make(), make()
    out = full(x)
    g = rng.standard_normal(out.shape)
    grad_x = full.backward(g)
    expected = gradients(full)
    skipped(x)
    assert skipped.backward(g, input_grad=False) is None
    for got, want in zip(gradients(skipped), expected):
        np.testing.assert_array_equal(got, want)
    assert grad_x.shape == x.shape
    # the module is ready for the next pass: nothing of this one is left waiting
    skipped(x)
    np.testing.assert_array_equal(skipped.backward(g), grad_x)


def test_a_linear_layer_skips_only_the_input_gradient():
    layer = nn.Linear(2, 3, rng=0)
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    layer(x)
    assert layer.backward(np.ones((2, 3)), input_grad=False) is None
    # dW = xᵀG with G all ones: the column sums of x in each column; db = N
    np.testing.assert_array_equal(layer.W.grad, [[4.0, 4.0, 4.0], [6.0, 6.0, 6.0]])
    np.testing.assert_array_equal(layer.b.grad, [2.0, 2.0, 2.0])


def test_the_helper_drops_the_input_gradient_of_any_module():
    class Double(nn.Module):  # a user's module whose backward knows nothing of input_grad
        def forward(self, x):
            self._save(x.shape)
            return 2 * x

        def backward(self, grad_out):
            grad_out, _ = self._saved_for(grad_out)
            return 2 * grad_out

    module = Double()
    module(np.ones((2, 2)))
    assert _backward(module, np.ones((2, 2)), input_grad=False) is None
    module(np.ones((2, 2)))
    np.testing.assert_array_equal(_backward(module, np.ones((2, 2))), np.full((2, 2), 2.0))


def test_a_subclass_that_overrides_backward_is_not_asked_to_skip():
    class Logged(nn.Sequential):
        def backward(self, grad_out):  # no input_grad: must be called without it
            return super().backward(grad_out)

    model = Logged(nn.Linear(3, 2, rng=1))
    model(np.ones((4, 3)))
    assert _backward(model, np.ones((4, 2)), input_grad=False) is None


@pytest.mark.parametrize("bad", ["no", 0, None, np.array([True])])
@pytest.mark.parametrize("make", [lambda: nn.Linear(3, 2, rng=1), lambda: nn.Sequential(nn.Linear(3, 2, rng=1))])
def test_input_grad_must_be_a_bool(make, bad):
    model = make()
    model(np.ones((4, 3)))
    with pytest.raises(TypeError, match="input_grad"):
        model.backward(np.ones((4, 2)), input_grad=bad)
    # a refused call consumes nothing: the waiting pass still gets its backward
    assert model.backward(np.ones((4, 2))).shape == (4, 3)


def test_fit_trains_without_the_input_gradient(monkeypatch):
    calls = []
    backward = nn.Linear.backward

    def spy(self, grad_out, input_grad=True):
        calls.append(input_grad)
        return backward(self, grad_out, input_grad=input_grad)

    spy._input_grad_optional = True
    monkeypatch.setattr(nn.Linear, "backward", spy)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((16, 3)), rng.integers(0, 2, 16)
    model = nn.Sequential(nn.Linear(3, 4, rng=1), nn.ReLU(), nn.Linear(4, 2, rng=2))
    fit(model, losses.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), X, y, epochs=1, batch_size=8, rng=0)
    # two steps; per step the last layer returns ∂L/∂x (the ReLU needs it), the first does not
    assert calls == [True, False, True, False]
