"""Tests of dlnotes.nn.module: Parameter, Module, Sequential, train/eval, state_dict; a whole MLP's gradients."""

import numpy as np
import pytest

from dlnotes.gradcheck import check_module_gradients, numerical_gradient
from dlnotes.nn import BatchNorm1d, Dropout, Linear, Module, Parameter, ReLU, Sequential, Tanh, no_grad


def mlp(seed=0, dtype=np.float64):
    return Sequential(
        Linear(3, 5, rng=seed, dtype=dtype),
        BatchNorm1d(5, dtype=dtype),
        Tanh(),
        Linear(5, 2, rng=seed + 1, dtype=dtype),
    )


X = np.random.default_rng(42).normal(0.5, 2.0, (6, 3))


# -- Parameter -------------------------------------------------------------------------------
def test_parameter_copies_data_and_starts_with_zero_grad():
    data = np.array([[1.0, 2.0], [3.0, 4.0]])
    p = Parameter(data)
    data[0, 0] = 99.0
    assert p.data[0, 0] == 1.0
    np.testing.assert_array_equal(p.grad, np.zeros((2, 2)))
    assert p.shape == (2, 2) and p.dtype == np.float64


def test_parameter_dtypes():
    assert Parameter(np.ones(3, dtype=np.float32)).grad.dtype == np.float32
    assert Parameter([1, 2, 3]).dtype == np.float64


def test_parameter_zero_grad_and_bad_data():
    p = Parameter(np.ones(2))
    p.grad += 5.0
    p.zero_grad()
    np.testing.assert_array_equal(p.grad, [0.0, 0.0])
    with pytest.raises(ValueError, match="data"):
        Parameter([1.0, np.nan])
    with pytest.raises(TypeError, match="data"):
        Parameter(["a"])


# -- Module ------------------------------------------------------------------------------------
class Scale(Module):
    """y = a x with one parameter a, for testing the base class."""

    def __init__(self, a):
        super().__init__()
        self.a = Parameter([a])

    def forward(self, x):
        self._x = np.asarray(x, dtype=float)
        return self.a.data * self._x

    def backward(self, grad_out):
        self.a.grad += np.sum(grad_out * self._x, keepdims=True).reshape(1)
        return grad_out * self.a.data


def test_base_module_needs_forward_and_backward():
    with pytest.raises(NotImplementedError, match="forward"):
        Module()(np.ones(2))
    with pytest.raises(NotImplementedError, match="backward"):
        Module().backward(np.ones(2))


def test_call_is_forward():
    np.testing.assert_array_equal(Scale(3.0)(np.array([1.0, 2.0])), [3.0, 6.0])


def test_named_parameters_follow_the_formulas_and_the_order():
    names = [name for name, _ in mlp().named_parameters()]
    assert names == ["0.W", "0.b", "1.gamma", "1.beta", "3.W", "3.b"]
    assert all(isinstance(p, Parameter) for p in mlp().parameters())
    assert len(mlp().parameters()) == 6


def test_nested_names():
    model = Sequential(Sequential(Scale(1.0), Scale(2.0)), Scale(3.0))
    assert [name for name, _ in model.named_parameters()] == ["0.0.a", "0.1.a", "1.a"]


def test_zero_grad_reaches_every_parameter():
    model = mlp()
    model(X)
    model.backward(np.ones((6, 2)))
    assert any(p.grad.any() for p in model.parameters())
    model.zero_grad()
    assert not any(p.grad.any() for p in model.parameters())


def test_train_and_eval_reach_every_sub_module():
    model = Sequential(Sequential(Dropout(0.5), BatchNorm1d(2)), Linear(2, 2))
    modules = [model, model[0], model[0][0], model[0][1], model[1]]
    assert model.eval() is model
    assert not any(m.training for m in modules)
    model.train()
    assert all(m.training for m in modules)
    model.train(False)
    assert not any(m.training for m in modules)
    with pytest.raises(TypeError, match="mode"):
        model.train("yes")


# -- Sequential --------------------------------------------------------------------------------
def test_sequential_forward_composes_and_backward_reverses():
    model = Sequential(Scale(2.0), Scale(-3.0))
    x = np.array([1.0, 2.0])
    np.testing.assert_array_equal(model(x), [-6.0, -12.0])
    # d/dx = 2 * (-3) = -6; d/da1 = a2 * x = -3 x; d/da2 = a1 * x = 2 x (with G = ones)
    np.testing.assert_array_equal(model.backward(np.ones(2)), [-6.0, -6.0])
    assert model[0].a.grad[0] == -3.0 * 3.0
    assert model[1].a.grad[0] == 2.0 * 3.0


def test_sequential_container_behaviour():
    layers = [Linear(2, 3), Tanh(), Linear(3, 1)]
    model = Sequential(*layers)
    assert len(model) == 3 and model[2] is layers[2] and list(model) == layers
    assert isinstance(model[1:], Sequential) and len(model[1:]) == 2
    assert repr(model).startswith("Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)")
    with pytest.raises(TypeError, match=r"modules\[1\]"):
        Sequential(Linear(2, 2), np.tanh)


# -- state_dict ----------------------------------------------------------------------------------
def trained_mlp(seed):
    model = mlp(seed)
    with no_grad():  # forwards that only move the running statistics away from zeros and ones
        model(X)
        model(X * 2 + 1)
    return model


def test_state_dict_holds_parameters_and_buffers_as_copies():
    model = trained_mlp(0)
    state = model.state_dict()
    assert set(state) == {"0.W", "0.b", "1.gamma", "1.beta", "1.running_mean", "1.running_var", "3.W", "3.b"}
    np.testing.assert_array_equal(state["1.running_mean"], model[1].running_mean)
    state["0.W"][...] = 0.0
    state["1.running_var"][...] = 0.0
    assert model[0].W.data.any() and model[1].running_var.all()


def test_state_dict_round_trip():
    source, target = trained_mlp(0), trained_mlp(10)
    source.eval()
    target.eval()
    assert not np.allclose(source(X), target(X))
    target.load_state_dict(source.state_dict())
    for key, value in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[key], value)
    np.testing.assert_array_equal(target(X), source(X))  # eval mode: running statistics included


def test_load_state_dict_works_in_place_and_keeps_dtype():
    model = mlp(0, dtype=np.float32)
    W, running_mean = model[0].W.data, model[1].running_mean
    model.load_state_dict(trained_mlp(3).state_dict())  # float64 arrays
    assert model[0].W.data is W and model[1].running_mean is running_mean
    assert W.dtype == np.float32 and running_mean.dtype == np.float32
    np.testing.assert_allclose(W, trained_mlp(3)[0].W.data, rtol=1e-6)


def test_load_state_dict_bad_keys():
    model = mlp()
    state = model.state_dict()
    with pytest.raises(ValueError, match="state_dict.*missing.*1.running_var"):
        model.load_state_dict({k: v for k, v in state.items() if k != "1.running_var"})
    with pytest.raises(ValueError, match="state_dict.*unexpected.*weight"):
        model.load_state_dict({**state, "0.weight": state["0.W"]})
    with pytest.raises(TypeError, match="state_dict"):
        model.load_state_dict([("0.W", state["0.W"])])


def test_load_state_dict_bad_shape_or_value():
    model = mlp()
    state = model.state_dict()
    with pytest.raises(ValueError, match=r"state_dict\['0.W'\] must have shape \(3, 5\), got shape \(5, 3\)"):
        model.load_state_dict({**state, "0.W": state["0.W"].T})
    with pytest.raises(ValueError, match=r"state_dict\['1.running_var'\]"):
        model.load_state_dict({**state, "1.running_var": np.full(5, np.nan)})


def test_a_failed_load_leaves_the_model_unchanged():
    """Every entry is checked before any is copied: no half-loaded model."""
    model = trained_mlp(0)
    before = model.state_dict()
    bad = {key: value + 1.0 for key, value in trained_mlp(5).state_dict().items()}
    bad["3.b"] = np.zeros(7)  # comes after the good entries of layers 0 and 1
    with pytest.raises(ValueError, match="3.b"):
        model.load_state_dict(bad)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


# -- a whole network -----------------------------------------------------------------------------
@pytest.mark.parametrize("activation", [Tanh, ReLU])
def test_mlp_gradients_numerically_in_train_mode(activation):
    model = Sequential(Linear(3, 5, rng=0), BatchNorm1d(5), activation(), Linear(5, 2, rng=1))
    errors = check_module_gradients(model, X, rng=2)
    assert set(errors) == {"input", "0.W", "0.b", "1.gamma", "1.beta", "3.W", "3.b"}
    # In train mode BatchNorm subtracts the batch mean, so the bias of the layer before it has
    # no effect: its true gradient is exactly 0, and a relative error of two numbers near 0
    # (the numerical one is rounding noise, ~1e-10) means nothing. Check it absolutely instead.
    del errors["0.b"]
    assert max(errors.values()) < 1e-6
    assert np.abs(model[0].b.grad).max() < 1e-12
    objective_grad = numerical_gradient(lambda: float(np.sum(model(X))), model[0].b.data)
    assert np.abs(objective_grad).max() < 1e-8


def test_mlp_gradients_numerically_in_eval_mode():
    model = trained_mlp(0).eval()
    errors = check_module_gradients(model, X, rng=2)
    assert max(errors.values()) < 1e-6


def test_mlp_keeps_float32():
    model = mlp(0, dtype=np.float32)
    y = model(X.astype(np.float32))
    grad_x = model.backward(np.ones_like(y))
    assert y.dtype == np.float32 and grad_x.dtype == np.float32
    assert all(p.grad.dtype == np.float32 for p in model.parameters())


def test_a_shared_layer_is_listed_and_updated_once():
    from dlnotes.nn import Linear
    from dlnotes.optim import SGD

    shared = Linear(2, 2, rng=0)
    model = Sequential(shared, shared)
    assert len(model.parameters()) == 2
    assert [name for name, _ in model.named_parameters()] == ["0.W", "0.b"]
    before = shared.W.data.copy()
    shared.W.grad[...] = 1.0
    SGD(model.parameters(), lr=0.5).step()
    np.testing.assert_array_equal(shared.W.data, before - 0.5)


# -- dtype conversion ---------------------------------------------------------------------------------
def every_array(model):
    arrays = {}
    for name, p in model.named_parameters():
        arrays[name], arrays[name + ".grad"] = p.data, p.grad
    arrays.update(dict(model.named_buffers()))
    return arrays


@pytest.mark.parametrize(("method", "dtype"), [("float", np.float32), ("double", np.float64)])
def test_float_and_double_convert_parameters_gradients_and_buffers(method, dtype):
    start = np.float64 if dtype == np.float32 else np.float32
    model = Sequential(Sequential(Linear(3, 5, rng=0, dtype=start), BatchNorm1d(5, dtype=start)), Tanh(), Linear(5, 2, dtype=start))
    model(X.astype(start))
    model.backward(np.ones((6, 2), dtype=start))
    before = {name: np.array(a, dtype=np.float64) for name, a in every_array(model).items()}
    params = model.parameters()
    assert getattr(model, method)() is model
    arrays = every_array(model)
    assert set(arrays) == set(before) and {a.dtype for a in arrays.values()} == {np.dtype(dtype)}
    for name, a in arrays.items():
        np.testing.assert_allclose(a, before[name], rtol=1e-6, err_msg=name)
    assert all(p is q for p, q in zip(model.parameters(), params))  # an optimizer keeps the same parameters


def test_a_float32_model_trains_in_float32_end_to_end():
    model = Sequential(Linear(3, 5, rng=0), BatchNorm1d(5), ReLU(), Dropout(0.2, rng=1), Linear(5, 2, rng=2)).to(np.float32)
    x = X.astype(np.float32)
    y = model(x)
    grad_x = model.backward(np.ones_like(y))
    arrays = {"output": y, "input grad": grad_x, **every_array(model)}
    assert {name: a.dtype for name, a in arrays.items()} == {name: np.dtype(np.float32) for name in arrays}
    assert np.any(model[0].W.grad != 0)


def test_to_rejects_a_non_float_dtype():
    with pytest.raises(TypeError, match="dtype"):
        mlp().to(np.int32)
    with pytest.raises(TypeError, match="dtype"):
        mlp().to("cuda")


def test_to_forgets_a_waiting_pass():
    model = mlp()
    model(X)
    model.float()
    with pytest.raises(RuntimeError, match="before forward"):
        model.backward(np.ones((6, 2), dtype=np.float32))


def test_modules_lists_each_module_once():
    lin = Linear(2, 2)
    model = Sequential(lin, Tanh(), Sequential(lin, ReLU()))
    assert [type(m).__name__ for m in model.modules()] == ["Sequential", "Linear", "Tanh", "Sequential", "ReLU"]


def test_no_grad_is_exported():
    import dlnotes.nn as nn

    assert "no_grad" in nn.__all__ and nn.no_grad is not None
