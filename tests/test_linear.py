"""Tests of dlnotes.nn.Linear: hand-set values, gradients, initialization, dtype, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes import init
from dlnotes.gradcheck import check_module_gradients
from dlnotes.nn import Linear

X = np.array([[1.0, 2.0], [3.0, 4.0]])
W = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 2.0]])
B = np.array([0.5, -1.0, 0.0])


def hand_set_layer(dtype=np.float64):
    layer = Linear(2, 3, dtype=dtype)
    layer.W.data[...] = W
    layer.b.data[...] = B
    return layer


def test_forward_on_hand_set_weights():
    # row 1: [1*1 + 2*0, 1*0 + 2*1, 1*(-1) + 2*2] + b = [1, 2, 3] + [0.5, -1, 0]
    # row 2: [3, 4, -3 + 8] + b
    expected = np.array([[1.5, 1.0, 3.0], [3.5, 3.0, 5.0]])
    np.testing.assert_array_equal(hand_set_layer()(X), expected)


def test_backward_on_hand_set_weights():
    layer = hand_set_layer()
    layer(X)
    grad_x = layer.backward(np.ones((2, 3)))
    # dW = x^T G: column sums of x repeated, [1+3, 2+4]; db = N = 2; dx = G W^T: row sums of W, [0, 3]
    np.testing.assert_array_equal(layer.W.grad, [[4.0, 4.0, 4.0], [6.0, 6.0, 6.0]])
    np.testing.assert_array_equal(layer.b.grad, [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(grad_x, [[0.0, 3.0], [0.0, 3.0]])


def test_backward_accumulates_until_zero_grad():
    layer = hand_set_layer()
    for _ in range(2):  # each backward answers one forward
        layer(X)
        layer.backward(np.ones((2, 3)))
    np.testing.assert_array_equal(layer.b.grad, [4.0, 4.0, 4.0])
    layer.zero_grad()
    np.testing.assert_array_equal(layer.W.grad, np.zeros((2, 3)))


@pytest.mark.parametrize("bias", [True, False])
def test_gradients_numerically(bias):
    rng = np.random.default_rng(0)
    layer = Linear(4, 3, bias=bias, rng=1)
    errors = check_module_gradients(layer, rng.standard_normal((5, 4)), rng=2)
    assert set(errors) == ({"input", "W", "b"} if bias else {"input", "W"})
    assert max(errors.values()) < 1e-6


def test_without_bias_is_x_times_w():
    layer = Linear(2, 3, bias=False)
    layer.W.data[...] = W
    assert layer.b is None
    assert [name for name, _ in layer.named_parameters()] == ["W"]
    np.testing.assert_array_equal(layer(X), X @ W)


# -- initialization -------------------------------------------------------------------------
def test_default_init_is_uniform_one_over_sqrt_fan_in():
    # 4 inputs, 2000 outputs: W and b both U(-1/2, 1/2) (fan_in = 4, not 2000). With 2000 draws
    # the largest falls below 0.49 with probability 0.99^2000 ~ 2e-9.
    layer = Linear(4, 2000, rng=0)
    for p in (layer.W.data, layer.b.data):
        assert np.abs(p).max() <= 0.5
        assert p.max() > 0.49 and p.min() < -0.49
    assert layer.W.shape == (4, 2000) and layer.b.shape == (2000,)


def test_init_by_name_draws_w_and_zeroes_b():
    layer = Linear(3, 4, init="xavier_uniform", rng=5)
    np.testing.assert_array_equal(layer.W.data, init.xavier_uniform((3, 4), rng=5))
    np.testing.assert_array_equal(layer.b.data, np.zeros(4))


def test_zero_init_is_all_zero():
    layer = Linear(3, 4, init="zeros", rng=0)
    assert not layer.W.data.any() and not layer.b.data.any()


def test_init_by_callable():
    def small(shape, rng):
        return init.normal(shape, std=0.01, rng=rng)

    layer = Linear(3, 4, init=small, rng=5)
    np.testing.assert_array_equal(layer.W.data, init.normal((3, 4), std=0.01, rng=5))
    layer = Linear(2, 2, init=lambda shape, rng: np.full(shape, 0.25))
    np.testing.assert_array_equal(layer.W.data, np.full((2, 2), 0.25))


def test_init_callable_with_wrong_shape():
    with pytest.raises(ValueError, match="init"):
        Linear(3, 4, init=lambda shape, rng: np.ones((4, 3)))


def test_same_seed_same_layer():
    a, b, c = Linear(3, 4, rng=7), Linear(3, 4, rng=7), Linear(3, 4, rng=8)
    np.testing.assert_array_equal(a.W.data, b.W.data)
    np.testing.assert_array_equal(a.b.data, b.b.data)
    assert not np.array_equal(a.W.data, c.W.data)


# -- dtype -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("init_name", [None, "kaiming_normal", "zeros"])
def test_float32_layer_stays_float32(init_name):
    layer = Linear(2, 3, init=init_name, rng=0, dtype=np.float32)
    assert layer.W.dtype == np.float32 and layer.b.dtype == np.float32
    y = layer(X.astype(np.float32))
    grad_x = layer.backward(np.ones((2, 3), dtype=np.float32))
    assert y.dtype == np.float32 and grad_x.dtype == np.float32
    assert layer.W.grad.dtype == np.float32 and layer.b.grad.dtype == np.float32


def test_float32_input_gives_float32_output_from_a_float64_layer():
    layer = hand_set_layer()
    y = layer(X.astype(np.float32))
    assert y.dtype == np.float32
    assert layer.backward(np.ones((2, 3), dtype=np.float32)).dtype == np.float32
    np.testing.assert_array_equal(y, [[1.5, 1.0, 3.0], [3.5, 3.0, 5.0]])


def test_integer_input_becomes_float64():
    assert hand_set_layer()(np.array([[1, 2]])).dtype == np.float64


# -- bad input ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["in_features", "out_features"])
def test_bad_sizes(name):
    sizes = {"in_features": 2, "out_features": 3}
    for bad, error in ((0, ValueError), (-1, ValueError), (2.5, TypeError), ("3", TypeError)):
        with pytest.raises(error, match=name):
            Linear(**{**sizes, name: bad})


def test_bad_constructor_arguments():
    with pytest.raises(TypeError, match="bias"):
        Linear(2, 3, bias="yes")
    with pytest.raises(ValueError, match="init"):
        Linear(2, 3, init="glorot")
    with pytest.raises(TypeError, match="init"):
        Linear(2, 3, init=0.1)
    with pytest.raises(TypeError, match="dtype"):
        Linear(2, 3, dtype=np.int64)
    with pytest.raises(TypeError, match="rng"):
        Linear(2, 3, rng=1.5)


@pytest.mark.parametrize(
    "x, error",
    [
        (np.ones(2), ValueError),  # 1-D
        (np.ones((2, 3)), ValueError),  # wrong number of columns
        (np.ones((1, 2, 1)), ValueError),
        (np.array([[1.0, np.nan]]), ValueError),
        (np.array([["a", "b"]]), TypeError),
    ],
)
def test_bad_x(x, error):
    with pytest.raises(error, match="x"):
        hand_set_layer()(x)


def test_wrong_columns_message_shows_shape():
    with pytest.raises(ValueError, match=r"x must have shape \(N, 2\), got shape \(4, 3\)"):
        hand_set_layer()(np.ones((4, 3)))


def test_bad_grad_out():
    layer = hand_set_layer()
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((2, 3)))
    layer(X)
    with pytest.raises(ValueError, match="grad_out"):
        layer.backward(np.ones((2, 2)))
    with pytest.raises(ValueError, match="grad_out"):
        layer.backward(np.ones(3))


# -- properties ----------------------------------------------------------------------------------------
@settings(max_examples=50, deadline=None)
@given(
    x=hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.just(3)), elements=st.floats(-1e4, 1e4)),
    seed=st.integers(0, 2**32 - 1),
)
def test_rows_are_independent_and_finite(x, seed):
    """Each output row depends on its own input row only: a batch equals its rows one at a time."""
    layer = Linear(3, 2, rng=seed)
    y = layer(x)
    assert np.all(np.isfinite(y))
    rows = np.vstack([layer(x[i : i + 1]) for i in range(x.shape[0])])
    np.testing.assert_allclose(y, rows, rtol=1e-12, atol=1e-9)


def test_repr():
    assert repr(Linear(2, 3, bias=False)) == "Linear(in_features=2, out_features=3, bias=False)"


@pytest.mark.parametrize("name", ["zeros", "normal", "uniform", "xavier_uniform", "xavier_normal", "kaiming_uniform",
                                  "kaiming_normal"])
def test_init_by_name_or_by_the_function_itself_draws_the_same(name):
    from dlnotes import init

    by_name = Linear(3, 2, init=name, rng=5)
    by_function = Linear(3, 2, init=getattr(init, name), rng=5)
    np.testing.assert_array_equal(by_name.W.data, by_function.W.data)


def test_constant_init_needs_its_value():
    from dlnotes import init

    with pytest.raises(ValueError, match="init must be one of"):
        Linear(3, 2, init="constant")
    layer = Linear(3, 2, init=lambda shape, rng: init.constant(shape, 0.5))
    np.testing.assert_array_equal(layer.W.data, np.full((3, 2), 0.5))


# -- a wrong init callable, NumPy scalars, ragged input ------------------------------------------------------
def test_init_with_the_wrong_signature_names_init():
    with pytest.raises(TypeError, match=r"init must be callable as init\(shape, rng\).*takes 1 positional argument"):
        Linear(2, 3, init=lambda shape: np.zeros(shape))


@pytest.mark.parametrize(
    ("returned", "error", "shown"),
    [("abc", TypeError, "'abc'"), (None, TypeError, "None"), (0.5, ValueError, "got array"),
     (np.zeros((3, 2)), ValueError, "of shape \\(3, 2\\)"), (np.full((2, 3), np.nan), ValueError, "finite")],
    ids=["text", "None", "scalar", "transposed", "nan"],
)
def test_init_returning_the_wrong_thing_names_init_and_what_it_returned(returned, error, shown):
    with pytest.raises(error, match=f"init.*{shown}"):
        Linear(2, 3, init=lambda shape, rng: returned)


def test_numpy_integer_sizes_are_accepted():
    layer = Linear(np.int64(3), np.int32(2), bias=np.bool_(False))
    assert (layer.in_features, layer.out_features) == (3, 2) and type(layer.in_features) is int
    assert layer(np.ones((4, 3))).shape == (4, 2)


def test_ragged_x_and_grad_out_name_the_argument():
    layer = hand_set_layer()
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        layer([[1.0, 2.0], [3.0]])
    layer(X)
    with pytest.raises(TypeError, match="grad_out must be an array of numbers"):
        layer.backward([[1.0, 2.0, 3.0], [1.0]])


def test_the_layer_keeps_a_copy_of_the_input_it_was_given():
    layer = hand_set_layer()
    x = X.copy()
    layer(x)
    x[...] = 5.0  # changed in place after forward: the weight gradient is still that of X
    layer.backward(np.ones((2, 3)))
    np.testing.assert_array_equal(layer.W.grad, [[4.0, 4.0, 4.0], [6.0, 6.0, 6.0]])
