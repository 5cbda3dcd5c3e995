"""Tests of the activation layers in dlnotes.nn: forward, backward, dtypes, extremes, bad input."""

import inspect
import math

import numpy as np
import pytest

from dlnotes import activations as A
from dlnotes import nn
from dlnotes.gradcheck import check_module_gradients

# (layer, name of its function in dlnotes.activations, the keyword arguments it was built with)
LAYERS = [
    (nn.Sigmoid, "sigmoid", {}),
    (nn.Tanh, "tanh", {}),
    (nn.ReLU, "relu", {}),
    (nn.LeakyReLU, "leaky_relu", {}),
    (nn.LeakyReLU, "leaky_relu", {"negative_slope": 0.2}),
    (nn.ELU, "elu", {}),
    (nn.ELU, "elu", {"alpha": 0.5}),
    (nn.Softplus, "softplus", {}),
    (nn.Softplus, "softplus", {"beta": 2.0, "threshold": 5.0}),
    (nn.GELU, "gelu", {}),
    (nn.SiLU, "silu", {}),
]
IDS = [cls.__name__ + "".join(f"-{k}={v}" for k, v in kw.items()) for cls, _, kw in LAYERS]

# a (batch, features) input away from every kink (0, and beta x = threshold for softplus)
X = np.linspace(-4.05, 4.05, 20).reshape(4, 5)


def test_every_layer_is_exported():
    for name in ("Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softplus", "GELU", "SiLU"):
        assert name in nn.__all__
        assert issubclass(getattr(nn, name), nn.Module)


def test_closed_form_forward_and_backward():
    # sigma(log 3) = 3/4, sigma'(log 3) = 3/16; ReLU passes the gradient only where x > 0
    sig = nn.Sigmoid()
    np.testing.assert_allclose(sig(np.array([[0.0, math.log(3)]])), [[0.5, 0.75]], rtol=1e-12)
    np.testing.assert_allclose(sig.backward(np.array([[2.0, 16.0]])), [[0.5, 3.0]], rtol=1e-12)
    relu = nn.ReLU()
    np.testing.assert_array_equal(relu(np.array([[-1.0, 0.0, 2.0]])), [[0.0, 0.0, 2.0]])
    np.testing.assert_array_equal(relu.backward(np.array([[5.0, 5.0, 5.0]])), [[0.0, 0.0, 5.0]])
    leaky = nn.LeakyReLU(negative_slope=0.1)
    np.testing.assert_allclose(leaky(np.array([[-2.0, 3.0]])), [[-0.2, 3.0]], rtol=1e-12)
    np.testing.assert_allclose(leaky.backward(np.array([[10.0, 10.0]])), [[1.0, 10.0]], rtol=1e-12)
    gelu = nn.GELU()
    np.testing.assert_array_equal(gelu(np.zeros((1, 1))), [[0.0]])
    np.testing.assert_allclose(gelu.backward(np.array([[4.0]])), [[2.0]], rtol=1e-12)  # GELU'(0) = 1/2


@pytest.mark.parametrize(("cls", "name", "kwargs"), LAYERS, ids=IDS)
def test_forward_and_backward_use_the_functional_pair(cls, name, kwargs):
    layer = cls(**kwargs)
    function, derivative = A.ACTIVATIONS[name]
    np.testing.assert_array_equal(layer(X), function(X, **kwargs))
    grad_out = np.arange(X.size, dtype=float).reshape(X.shape) - 7
    np.testing.assert_array_equal(layer.backward(grad_out), grad_out * derivative(X, **kwargs))


@pytest.mark.parametrize(("cls", "name", "kwargs"), LAYERS, ids=IDS)
def test_backward_matches_centred_differences(cls, name, kwargs):
    errors = check_module_gradients(cls(**kwargs), X, rng=0)
    assert errors.keys() == {"input"}
    assert errors["input"] < 1e-6


def test_backward_through_a_stack():
    model = nn.Sequential(nn.Tanh(), nn.SiLU(), nn.Softplus(beta=2.0), nn.GELU(), nn.ELU(alpha=0.5))
    assert check_module_gradients(model, X, rng=1)["input"] < 1e-6


def test_backward_uses_the_last_forward():
    layer = nn.Tanh()
    with nn.no_grad():  # a forward that backward will not answer
        layer(np.zeros((1, 2)))
    layer(np.full((1, 2), math.log(2)))  # tanh'(log 2) = 1 - (3/5)^2 = 0.64
    np.testing.assert_allclose(layer.backward(np.ones((1, 2))), [[0.64, 0.64]], rtol=1e-12)


@pytest.mark.parametrize(("cls", "name", "kwargs"), LAYERS, ids=IDS)
def test_no_parameters(cls, name, kwargs):
    layer = cls(**kwargs)
    assert layer.parameters() == []
    assert layer.state_dict() == {}


@pytest.mark.parametrize(("cls", "name", "kwargs"), LAYERS, ids=IDS)
def test_repr_shows_the_hyperparameters(cls, name, kwargs):
    text = repr(cls(**kwargs))
    assert text.startswith(cls.__name__ + "(")
    for key, value in kwargs.items():
        assert f"{key}={value!r}" in text


def test_default_hyperparameters_are_pytorchs():
    assert "negative_slope=0.01" in repr(nn.LeakyReLU())
    assert "alpha=1.0" in repr(nn.ELU())
    assert "beta=1.0, threshold=20.0" in repr(nn.Softplus())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("cls", "name", "kwargs"), LAYERS, ids=IDS)
def test_dtype_is_kept(cls, name, kwargs, dtype):
    layer = cls(**kwargs)
    assert layer(X.astype(dtype)).dtype == dtype
    assert layer.backward(np.ones(X.shape, dtype=dtype)).dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("cls", "name", "kwargs"), LAYERS, ids=IDS)
def test_extreme_inputs_are_finite_and_quiet(cls, name, kwargs, dtype):
    layer = cls(**kwargs)
    x = np.array([[-1e4, -100.0, 0.0, 100.0, 1e4]], dtype=dtype)
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        y = layer(x)
        g = layer.backward(np.ones_like(x))
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(g))


# -- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(("cls", "name", "kwargs"), LAYERS, ids=IDS)
def test_backward_before_forward_is_an_error(cls, name, kwargs):
    with pytest.raises(RuntimeError, match="backward was called before forward"):
        cls(**kwargs).backward(np.ones((2, 3)))


@pytest.mark.parametrize(("cls", "name", "kwargs"), LAYERS, ids=IDS)
@pytest.mark.parametrize(
    ("grad_out", "error"),
    [
        (np.ones((5, 4)), ValueError),
        (np.ones(20), ValueError),
        (np.full(X.shape, np.nan), ValueError),
        (np.full(X.shape, "a"), TypeError),
    ],
    ids=["transposed", "flat", "nan", "text"],
)
def test_bad_grad_out_is_rejected(cls, name, kwargs, grad_out, error):
    layer = cls(**kwargs)
    layer(X)
    with pytest.raises(error, match="grad_out"):
        layer.backward(grad_out)


@pytest.mark.parametrize(("cls", "name", "kwargs"), LAYERS, ids=IDS)
def test_non_finite_input_is_rejected(cls, name, kwargs):
    with pytest.raises(ValueError, match="x must be finite"):
        cls(**kwargs)(np.array([[0.0, np.inf]]))


@pytest.mark.parametrize(
    ("cls", "kwargs", "error", "argument"),
    [
        (nn.LeakyReLU, {"negative_slope": math.nan}, ValueError, "negative_slope"),
        (nn.LeakyReLU, {"negative_slope": "0.1"}, TypeError, "negative_slope"),
        (nn.ELU, {"alpha": math.inf}, ValueError, "alpha"),
        (nn.ELU, {"alpha": None}, TypeError, "alpha"),
        (nn.Softplus, {"beta": 0.0}, ValueError, "beta"),
        (nn.Softplus, {"beta": -2.0}, ValueError, "beta"),
        (nn.Softplus, {"threshold": -1.0}, ValueError, "threshold"),
        (nn.Softplus, {"threshold": "20"}, TypeError, "threshold"),
    ],
)
def test_bad_hyperparameters_fail_at_construction(cls, kwargs, error, argument):
    with pytest.raises(error, match=argument):
        cls(**kwargs)


def test_backward_keeps_the_input_dtype_whatever_the_upstream_dtype():
    from dlnotes.nn import Dropout, ReLU, Sigmoid

    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    for layer in (ReLU(), Sigmoid(), Dropout(0.5, rng=0)):
        layer(x)
        assert layer.backward(np.ones((2, 3), dtype=np.float64)).dtype == np.float32


def test_a_second_forward_before_backward_is_an_error():
    layer = nn.Tanh()
    layer(np.zeros((1, 2)))
    layer(np.full((1, 2), math.log(2)))
    with pytest.raises(RuntimeError, match="cannot know which forward pass"):
        layer.backward(np.ones((1, 2)))


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [(nn.LeakyReLU, {"negative_slope": np.float64(0.2)}), (nn.ELU, {"alpha": np.float64(0.5)}),
     (nn.Softplus, {"beta": np.float64(2.0), "threshold": np.int64(5)})],
)
def test_numpy_scalar_hyperparameters_keep_float32(cls, kwargs):
    layer = cls(**kwargs)
    x = np.linspace(-3, 3, 6, dtype=np.float32).reshape(2, 3)
    assert layer(x).dtype == np.float32
    assert layer.backward(np.ones((2, 3), dtype=np.float32)).dtype == np.float32
    assert all(type(v) is float for v in layer.hyperparameters.values())


def test_ragged_input_names_x():
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        nn.ReLU()([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("cls", [nn.Sigmoid, nn.Tanh, nn.ReLU, nn.GELU, nn.SiLU])
def test_layers_without_hyperparameters_take_no_arguments(cls):
    assert str(inspect.signature(cls)) == "()"
    with pytest.raises(TypeError):
        cls(negative_slope=0.1)
