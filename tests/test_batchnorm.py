"""Tests of dlnotes.nn.BatchNorm1d: train and eval values, running statistics, gradients, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes.gradcheck import check_module_gradients
from dlnotes.nn import BatchNorm1d, no_grad

# Two features over three examples, worked out by hand:
# column 0: 1, 3, 5  -> mean 3,  biased variance 8/3,  unbiased variance 4
# column 1: 10, 20, 60 -> mean 30, deviations -20, -10, 30, biased variance 1400/3, unbiased 700
X = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])


def test_train_output_two_examples_by_hand():
    # x = 1, 3: mean 2, biased variance 1, so x_hat = -+1/sqrt(1 + eps)
    bn = BatchNorm1d(1, eps=1e-5)
    bn.gamma.data[...] = 2.0
    bn.beta.data[...] = 0.5
    y = bn(np.array([[1.0], [3.0]]))
    s = 1 / math.sqrt(1 + 1e-5)
    np.testing.assert_allclose(y, [[0.5 - 2 * s], [0.5 + 2 * s]], rtol=1e-14)


def test_train_output_has_batch_mean_zero_and_variance_one():
    y = BatchNorm1d(2)(X)
    np.testing.assert_allclose(y.mean(axis=0), [0.0, 0.0], atol=1e-14)
    # variance of x_hat is var / (var + eps) with the biased batch variance
    np.testing.assert_allclose(y.var(axis=0), [(8 / 3) / (8 / 3 + 1e-5), (1400 / 3) / (1400 / 3 + 1e-5)], rtol=1e-12)


def test_running_statistics_after_one_batch():
    """Regression: PyTorch's momentum convention and the unbiased running variance.

    From zeros and ones with momentum 0.1: running_mean = 0.1 * batch_mean (not
    0.9 * batch_mean), running_var = 0.9 * 1 + 0.1 * unbiased variance (not the
    biased 8/3 and 1400/3).
    """
    bn = BatchNorm1d(2, momentum=0.1)
    bn(X)
    np.testing.assert_allclose(bn.running_mean, [0.3, 3.0], rtol=1e-14)
    np.testing.assert_allclose(bn.running_var, [0.9 + 0.4, 0.9 + 70.0], rtol=1e-14)


def test_running_statistics_after_two_batches():
    bn = BatchNorm1d(1, momentum=0.5)
    bn(np.array([[1.0], [3.0]]))  # mean 2, unbiased variance 2
    bn(np.array([[6.0], [10.0]]))  # mean 8, unbiased variance 8
    assert bn.running_mean[0] == pytest.approx(0.5 * (0.5 * 2) + 0.5 * 8)  # 5
    assert bn.running_var[0] == pytest.approx(0.5 * (0.5 * 1 + 0.5 * 2) + 0.5 * 8)  # 4.75


def test_momentum_zero_and_one():
    frozen, follows = BatchNorm1d(2, momentum=0.0), BatchNorm1d(2, momentum=1.0)
    frozen(X)
    follows(X)
    np.testing.assert_array_equal(frozen.running_mean, [0.0, 0.0])
    np.testing.assert_array_equal(frozen.running_var, [1.0, 1.0])
    np.testing.assert_allclose(follows.running_mean, [3.0, 30.0])
    np.testing.assert_allclose(follows.running_var, [4.0, 700.0])


def test_eval_uses_running_statistics():
    # running mean 1, running variance 3, eps 1: (5 - 1) / sqrt(3 + 1) = 2
    bn = BatchNorm1d(1, eps=1.0)
    bn.running_mean[...] = 1.0
    bn.running_var[...] = 3.0
    bn.gamma.data[...] = 3.0
    bn.beta.data[...] = -1.0
    bn.eval()
    np.testing.assert_allclose(bn(np.array([[5.0]])), [[3.0 * 2.0 - 1.0]], rtol=1e-15)
    # a single example is fine in eval mode, and eval leaves the running statistics alone
    assert bn.running_mean[0] == 1.0 and bn.running_var[0] == 3.0


def test_eval_output_of_an_example_does_not_depend_on_its_batch():
    bn = BatchNorm1d(2)
    bn(X)
    bn.eval()
    alone = bn(X[:1])
    together = bn(X)[:1]
    np.testing.assert_array_equal(alone, together)
    bn.train()
    assert not np.allclose(bn(X[:2])[:1], bn(X)[:1])


def test_running_buffers_are_updated_in_place_and_in_state_dict():
    bn = BatchNorm1d(2)
    mean_buffer = bn.running_mean
    bn(X)
    assert bn.running_mean is mean_buffer
    state = bn.state_dict()
    assert set(state) == {"gamma", "beta", "running_mean", "running_var"}
    np.testing.assert_allclose(state["running_mean"], [0.3, 3.0])


# -- gradients --------------------------------------------------------------------------------
def trained_layer():
    """A layer with non-trivial gamma, beta and running statistics."""
    rng = np.random.default_rng(0)
    bn = BatchNorm1d(3)
    bn.gamma.data[...] = rng.uniform(0.5, 2.0, 3)
    bn.beta.data[...] = rng.standard_normal(3)
    with no_grad():  # forwards that only move the running statistics
        for _ in range(5):
            bn(rng.normal(2.0, 3.0, (8, 3)))
    return bn


def test_gradients_numerically_in_train_mode():
    x = np.random.default_rng(1).normal(1.0, 2.0, (6, 3))
    errors = check_module_gradients(trained_layer(), x, rng=2)
    assert set(errors) == {"input", "gamma", "beta"}
    assert max(errors.values()) < 1e-6


def test_gradients_numerically_in_eval_mode():
    bn = trained_layer().eval()
    x = np.random.default_rng(1).normal(1.0, 2.0, (6, 3))
    errors = check_module_gradients(bn, x, rng=2)
    assert max(errors.values()) < 1e-6


def test_backward_uses_the_mode_of_the_last_forward():
    """Switching to eval between forward and backward does not change the gradient."""
    rng = np.random.default_rng(3)
    x, G = rng.normal(1.0, 2.0, (5, 3)), rng.standard_normal((5, 3))
    stays, switches = trained_layer(), trained_layer()
    stays(x)
    switches(x)
    switches.eval()
    train_grad = stays.backward(G)
    np.testing.assert_array_equal(switches.backward(G), train_grad)
    # in train mode each feature's input gradient sums to zero over the batch (the mean is subtracted)
    np.testing.assert_allclose(train_grad.sum(axis=0), 0.0, atol=1e-12)


def test_gamma_and_beta_gradients_by_hand():
    # x = 1, 3 -> x_hat = -s, s with s = 1/sqrt(1 + eps); G = [2, 5]
    bn = BatchNorm1d(1)
    bn(np.array([[1.0], [3.0]]))
    bn.backward(np.array([[2.0], [5.0]]))
    s = 1 / math.sqrt(1 + 1e-5)
    assert bn.gamma.grad[0] == pytest.approx(-2 * s + 5 * s, rel=1e-14)
    assert bn.beta.grad[0] == 7.0


# -- dtype ---------------------------------------------------------------------------------------
def test_float32_layer_stays_float32():
    bn = BatchNorm1d(2, dtype=np.float32)
    y = bn(X.astype(np.float32))
    g = bn.backward(np.ones_like(y))
    for a in (y, g, bn.gamma.data, bn.beta.data, bn.gamma.grad, bn.beta.grad, bn.running_mean, bn.running_var):
        assert a.dtype == np.float32
    bn.eval()
    assert bn(X.astype(np.float32)).dtype == np.float32
    assert bn.backward(np.ones((3, 2), dtype=np.float32)).dtype == np.float32


def test_float32_input_gives_float32_output_from_a_float64_layer():
    bn = BatchNorm1d(2)
    y = bn(X.astype(np.float32))
    assert y.dtype == np.float32
    assert bn.backward(np.ones((3, 2), dtype=np.float32)).dtype == np.float32


def test_large_inputs_stay_finite():
    bn = BatchNorm1d(2, dtype=np.float32)
    x = np.array([[1e4, -1e4], [-1e4, 1e4], [1e4, 1e4]], dtype=np.float32)
    y = bn(x)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(bn.backward(np.ones_like(y))))


# -- bad input -------------------------------------------------------------------------------------
def test_batch_of_one_in_train_mode():
    with pytest.raises(ValueError, match="x must hold at least 2 examples"):
        BatchNorm1d(2)(np.ones((1, 2)))


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"num_features": 0}, ValueError, "num_features"),
        ({"num_features": 2.0}, TypeError, "num_features"),
        ({"eps": 0.0}, ValueError, "eps"),
        ({"eps": -1e-5}, ValueError, "eps"),
        ({"momentum": -0.1}, ValueError, "momentum"),
        ({"momentum": 1.5}, ValueError, "momentum"),
        ({"momentum": None}, TypeError, "momentum"),
        ({"dtype": np.int32}, TypeError, "dtype"),
    ],
)
def test_bad_constructor_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        BatchNorm1d(**{"num_features": 2, **kwargs})


@pytest.mark.parametrize("x", [np.ones(4), np.ones((4, 3)), np.ones((4, 2, 1)), np.array([[1.0, np.inf], [0, 0]])])
def test_bad_x(x):
    with pytest.raises(ValueError, match="x"):
        BatchNorm1d(2)(x)


def test_bad_grad_out():
    bn = BatchNorm1d(2)
    with pytest.raises(RuntimeError, match="before forward"):
        bn.backward(np.ones((3, 2)))
    bn(X)
    with pytest.raises(ValueError, match="grad_out"):
        bn.backward(np.ones((2, 2)))


# -- properties --------------------------------------------------------------------------------------
batches = hnp.arrays(np.float64, st.tuples(st.integers(2, 8), st.just(3)), elements=st.floats(-100, 100))


@settings(max_examples=60, deadline=None)
@given(x=batches, shift=hnp.arrays(np.float64, 3, elements=st.floats(-100, 100)))
def test_train_output_is_invariant_to_shifting_the_batch(x, shift):
    bn = trained_layer()
    # rounding of x + shift is at most ~1e-14; divided by sqrt(var + eps) >= sqrt(1e-5) it stays < 1e-11
    np.testing.assert_allclose(bn(x + shift), bn(x), rtol=0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(x=batches)
def test_train_output_has_zero_mean_per_feature(x):
    bn = BatchNorm1d(3)
    y = bn(x)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-9)
    assert np.all(y.var(axis=0) <= 1.0 + 1e-12)


def test_numpy_scalar_hyperparameters_are_accepted():
    bn = BatchNorm1d(np.int64(2), eps=np.float32(1e-3), momentum=np.float64(0.5), dtype=np.float32)
    assert bn.num_features == 2 and isinstance(bn.eps, float) and isinstance(bn.momentum, float)
    y = bn(X.astype(np.float32))
    assert y.dtype == np.float32 and bn.running_var.dtype == np.float32
    np.testing.assert_allclose(bn.running_mean, 0.5 * X.mean(axis=0), rtol=1e-6)


def test_ragged_x_names_x():
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        BatchNorm1d(2)([[1.0, 2.0], [3.0]])
