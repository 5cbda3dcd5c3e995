"""Tests of what a module keeps between forward and backward: weight sharing, one backward per
forward pass, ``nn.no_grad``, inputs changed in place, bounded memory."""

import tracemalloc

import numpy as np
import pytest

from dlnotes import nn
from dlnotes.gradcheck import check_module_gradients, numerical_gradient, rel_error

RNG = np.random.default_rng(0)
X = RNG.standard_normal((5, 3))
X_OTHER = RNG.standard_normal((5, 3)) * 3.0
G = RNG.standard_normal((5, 3))


def shared_linear_net(seed=0):
    lin = nn.Linear(3, 3, rng=seed)
    return nn.Sequential(lin, nn.Tanh(), lin), lin


def fresh_gradients(model, x, upstream):
    """(∂L/∂x, {name: ∂L/∂θ}) of L = sum(upstream * model(x)) from one forward and backward."""
    model.zero_grad()
    model(x)
    grad_x = model.backward(upstream)
    return grad_x, {name: p.grad.copy() for name, p in model.named_parameters()}


# -- one module used twice: weight sharing ---------------------------------------------------------
def test_a_linear_used_twice_gets_the_gradients_of_both_uses():
    model, lin = shared_linear_net()
    assert [name for name, _ in model.named_parameters()] == ["0.W", "0.b"]  # listed once
    errors = check_module_gradients(model, X, rng=1)
    assert max(errors.values()) < 1e-6


def test_shared_weights_by_hand():
    """y = (x w) w for scalars: dy/dw = 2 x w, dy/dx = w^2."""
    lin = nn.Linear(1, 1, bias=False)
    lin.W.data[...] = 3.0
    model = nn.Sequential(lin, lin)
    assert model(np.array([[2.0]]))[0, 0] == 18.0
    assert model.backward(np.array([[1.0]]))[0, 0] == 9.0
    assert lin.W.grad[0, 0] == 12.0


def test_one_relu_after_two_layers():
    act = nn.ReLU()
    model = nn.Sequential(nn.Linear(3, 4, rng=0), act, nn.Linear(4, 4, rng=1), act, nn.Linear(4, 2, rng=2))
    errors = check_module_gradients(model, X, rng=3)
    assert max(errors.values()) < 1e-6


def test_one_batchnorm_and_one_dropout_used_twice():
    class FixedDropout(nn.Dropout):
        def forward(self, x):
            self.rng = np.random.default_rng(7)
            return super().forward(x)

    bn, drop = nn.BatchNorm1d(3), FixedDropout(0.3)
    model = nn.Sequential(bn, drop, nn.Linear(3, 3, rng=0), nn.Tanh(), bn, drop)
    errors = check_module_gradients(model, X, rng=4)
    assert max(errors.values()) < 1e-6


def test_a_shared_module_by_hand_pops_in_reverse_order():
    """Layers called one by one inside one pass of a container: backward answers the newest call first."""
    class TwoTanh(nn.Module):
        def __init__(self):
            super().__init__()
            self.act = nn.Tanh()

        def forward(self, x):
            return self.act(self.act(x))

        def backward(self, grad_out):
            return self.act.backward(self.act.backward(grad_out))

    model = TwoTanh()
    model(X)
    grad_x = model.backward(G)
    x = X.copy()
    expected = numerical_gradient(lambda: float(np.sum(G * np.tanh(np.tanh(x)))), x)
    assert rel_error(grad_x, expected) < 1e-8


# -- a second forward pass before backward ----------------------------------------------------------
def test_a_forward_between_forward_and_backward_is_an_error():
    model = nn.Sequential(nn.Linear(3, 3, rng=0), nn.Tanh())
    model(X)
    model(X_OTHER)
    with pytest.raises(RuntimeError, match=r"cannot know which forward pass.*no_grad"):
        model.backward(G)


def test_after_the_error_the_next_step_works():
    model = nn.Sequential(nn.Linear(3, 3, rng=0), nn.Tanh())
    expected = fresh_gradients(model, X, G)
    model(X)
    model(X_OTHER)
    with pytest.raises(RuntimeError, match="cannot know"):
        model.backward(G)
    with pytest.raises(RuntimeError, match="before forward"):  # the waiting passes were forgotten
        model.backward(G)
    grad_x, grads = fresh_gradients(model, X, G)
    np.testing.assert_array_equal(grad_x, expected[0])
    for name in grads:
        np.testing.assert_array_equal(grads[name], expected[1][name])


def test_layers_called_one_by_one_are_each_a_pass():
    """Chapter-style code: each layer called by hand, then backward by hand in reverse order."""
    lin1, act, lin2 = nn.Linear(3, 4, rng=0), nn.Tanh(), nn.Linear(4, 2, rng=1)
    model = nn.Sequential(lin1, act, lin2)
    upstream = RNG.standard_normal((5, 2))
    grad_x, grads = fresh_gradients(model, X, upstream)
    model.zero_grad()
    out = lin2(act(lin1(X)))
    assert out.shape == (5, 2)
    grad_by_hand = lin1.backward(act.backward(lin2.backward(upstream)))
    np.testing.assert_array_equal(grad_by_hand, grad_x)
    for name, p in model.named_parameters():
        np.testing.assert_array_equal(p.grad, grads[name])


def test_a_pass_in_eval_mode_between_is_an_error_too():
    model = nn.Sequential(nn.Linear(3, 3, rng=0), nn.BatchNorm1d(3), nn.Tanh())
    model(X)
    model.eval()
    model(X_OTHER)
    model.train()
    with pytest.raises(RuntimeError, match="cannot know"):
        model.backward(G)


def test_backward_twice_for_one_forward_is_an_error():
    layer = nn.Linear(3, 3, rng=0)
    layer(X)
    layer.backward(G)
    with pytest.raises(RuntimeError, match="backward was called before forward"):
        layer.backward(G)


def test_grad_out_of_the_wrong_shape_names_grad_out_and_keeps_the_pass():
    model = nn.Sequential(nn.Linear(3, 4, rng=0), nn.ReLU())
    model(X)
    with pytest.raises(ValueError, match=r"grad_out must have the shape of ReLU's output \(5, 4\), got shape \(5, 3\)"):
        model.backward(G)
    assert model.backward(np.ones((5, 4))).shape == (5, 3)  # the pass still waits for a right grad_out


@pytest.mark.parametrize(
    "module",
    [nn.Linear(3, 3), nn.BatchNorm1d(3), nn.Dropout(0.5, rng=0), nn.ReLU(), nn.Sigmoid()],
    ids=lambda m: type(m).__name__,
)
def test_repeated_forwards_without_backward_keep_memory_bounded(module):
    x = np.ones((2000, 3))
    module(x)  # let every lazy allocation happen once
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(30):
            module(x)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 4 * x.nbytes  # one saved pass at most, not thirty (30 * 48 kB)


# -- no_grad -----------------------------------------------------------------------------------------------
def test_no_grad_leaves_the_waiting_pass_untouched():
    """Evaluation between forward and backward does not disturb backward."""
    model = nn.Sequential(nn.Linear(3, 3, rng=0), nn.BatchNorm1d(3), nn.Tanh())
    expected = fresh_gradients(model, X, G)
    model.zero_grad()
    model(X)
    with nn.no_grad():
        model.eval()
        model(X_OTHER)
        model.train()
        model(X_OTHER)
    grad_x = model.backward(G)
    np.testing.assert_array_equal(grad_x, expected[0])
    for name, p in model.named_parameters():
        np.testing.assert_array_equal(p.grad, expected[1][name])


def test_backward_after_a_forward_under_no_grad_is_an_error():
    model = nn.Sequential(nn.Linear(3, 3, rng=0), nn.Tanh())
    with nn.no_grad():
        out = model(X)
    assert out.shape == (5, 3)
    with pytest.raises(RuntimeError, match=r"backward was called before forward.*no_grad"):
        model.backward(G)


def test_no_grad_gives_the_same_outputs():
    model = nn.Sequential(nn.Linear(3, 3, rng=0), nn.ReLU(), nn.Linear(3, 2, rng=1))
    with nn.no_grad():
        quiet = model(X)
    np.testing.assert_array_equal(quiet, model(X))


def test_no_grad_nests_restores_and_decorates():
    layer = nn.Tanh()
    guard = nn.no_grad()
    with guard:
        with guard:
            layer(X)
        layer(X)
    layer(X)  # grad mode is back: this forward is kept
    assert layer.backward(G).shape == X.shape

    @nn.no_grad()
    def look(x):
        return layer(x)

    layer(X)
    look(X_OTHER)
    assert layer.backward(G).shape == X.shape  # still answers layer(X): look kept nothing


def test_no_grad_is_restored_after_an_error():
    layer = nn.Linear(3, 3, rng=0)
    with pytest.raises(ValueError, match="x"):
        with nn.no_grad():
            layer(np.ones((2, 5)))
    layer(X)
    assert layer.backward(G).shape == X.shape


# -- an input changed in place after forward ---------------------------------------------------------------
@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.Linear(3, 3, rng=0),
        lambda: nn.Tanh(),
        lambda: nn.ReLU(),
        lambda: nn.Sequential(nn.Linear(3, 3, rng=0), nn.Tanh()),
        lambda: nn.Sequential(nn.Dropout(0.5).eval(), nn.Linear(3, 3, rng=0)),
        lambda: nn.BatchNorm1d(3),
    ],
    ids=["Linear", "Tanh", "ReLU", "Sequential", "eval-Dropout-then-Linear", "BatchNorm1d"],
)
def test_changing_the_input_in_place_after_forward_does_not_change_backward(make):
    model_a, model_b = make(), make()
    x = X.copy()
    model_a(x)
    expected = model_a.backward(G)
    model_b(x)
    x[...] = 5.0
    np.testing.assert_array_equal(model_b.backward(G), expected)
    for p_a, p_b in zip(model_a.parameters(), model_b.parameters()):
        np.testing.assert_array_equal(p_b.grad, p_a.grad)


def test_changing_a_view_of_the_input_in_place_does_not_change_backward():
    class Halves(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 3, rng=0)

        def forward(self, x):
            return self.lin(x[:, :2])

        def backward(self, grad_out):
            return self.lin.backward(grad_out)

    a, b = Halves(), Halves()
    x = X.copy()
    a(x)
    a.backward(G)
    b(x)
    x[...] = 5.0
    b.backward(G)
    np.testing.assert_array_equal(b.lin.W.grad, a.lin.W.grad)


def test_changing_grad_out_in_place_after_backward_changes_nothing():
    model = nn.Sequential(nn.Linear(3, 3, rng=0), nn.Dropout(0.5).eval())
    model(X)
    upstream = G.copy()
    grad_x = model.backward(upstream)
    kept = grad_x.copy(), model[0].W.grad.copy()
    upstream[...] = 7.0
    np.testing.assert_array_equal(grad_x, kept[0])
    np.testing.assert_array_equal(model[0].W.grad, kept[1])


# -- Parameter.grad stays an array of zeros after zero_grad, and accumulates -------------------------------
def test_zero_grad_keeps_the_array_and_backward_accumulates_after_a_read():
    layer = nn.Linear(3, 3, rng=0)
    grad_array = layer.W.grad
    layer(X)
    layer.backward(G)
    once = layer.W.grad.copy()
    layer.zero_grad()
    assert layer.W.grad is grad_array  # the same array, zeroed in place
    np.testing.assert_array_equal(layer.W.grad, np.zeros((3, 3)))
    layer.W.grad += 1.0  # whoever read .grad may write into it: backward must add, not overwrite
    layer(X)
    layer.backward(G)
    np.testing.assert_allclose(layer.W.grad, once + 1.0, rtol=1e-15)


def test_a_gradient_set_by_hand_after_zero_grad_is_added_to():
    layer = nn.Linear(3, 3, rng=0)
    layer.zero_grad()
    layer.b.grad = np.full(3, 2.0)
    layer(X)
    layer.backward(G)
    np.testing.assert_allclose(layer.b.grad, 2.0 + G.sum(axis=0), rtol=1e-15)


def test_a_forward_that_fails_half_way_leaves_no_pass_waiting():
    """A shape error in the third layer must not make the next, correct step fail."""
    model = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh(), nn.Linear(5, 2, rng=1))
    with pytest.raises(ValueError, match=r"x must have shape \(N, 5\)"):
        model(X)
    with pytest.raises(RuntimeError, match="before forward"):
        model.backward(np.ones((5, 2)))
    model.layers[2] = nn.Linear(4, 2, rng=1)
    model(X)
    assert model.backward(np.ones((5, 2))).shape == (5, 3)
