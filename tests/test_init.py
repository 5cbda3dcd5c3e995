"""Tests of dlnotes.init: gains and bounds in closed form, sample statistics, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes import init

RANDOM = ["normal", "uniform", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"]


# -- calculate_gain ----------------------------------------------------------------
@pytest.mark.parametrize(
    "nonlinearity",
    ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid"],
)
def test_gain_is_one_for_linear_conv_and_sigmoid(nonlinearity):
    assert init.calculate_gain(nonlinearity) == 1.0


def test_gain_closed_forms():
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3, rel=1e-15)
    assert init.calculate_gain("relu") == pytest.approx(1.4142135623730951, rel=1e-15)
    assert init.calculate_gain("selu") == 0.75
    # default negative slope 0.01: sqrt(2 / 1.0001)
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / 1.0001), rel=1e-15)
    # slope 0 is the ReLU gain
    assert init.calculate_gain("leaky_relu", 0) == pytest.approx(math.sqrt(2), rel=1e-15)


def test_leaky_relu_gain_operator_precedence_regression():
    """sqrt(2 / (1 + a^2)), not sqrt(2 / 1 + a^2): for a = 0.2, sqrt(2 / 1.04) ~ 1.3868, not sqrt(2.04) ~ 1.4283."""
    gain = init.calculate_gain("leaky_relu", 0.2)
    assert gain == pytest.approx(math.sqrt(2 / 1.04), rel=1e-15)
    assert gain == pytest.approx(1.386750490563073, rel=1e-12)
    assert abs(gain - math.sqrt(2 / 1 + 0.2**2)) > 0.04


def test_gain_ignores_param_except_for_leaky_relu():
    assert init.calculate_gain("tanh", 0.3) == pytest.approx(5 / 3)


@pytest.mark.parametrize("bad", ["swish", "ReLU", "", None, 3])
def test_gain_rejects_unknown_nonlinearity(bad):
    with pytest.raises(ValueError, match="nonlinearity"):
        init.calculate_gain(bad)


def test_gain_rejects_bad_param():
    with pytest.raises(TypeError, match="param"):
        init.calculate_gain("leaky_relu", "0.1")
    with pytest.raises(ValueError, match="param"):
        init.calculate_gain("leaky_relu", float("inf"))


# -- deterministic initializers ------------------------------------------------------
def test_zeros_and_constant():
    np.testing.assert_array_equal(init.zeros((2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(init.zeros(4), np.zeros(4))
    np.testing.assert_array_equal(init.constant((3, 2), 0.5), np.full((3, 2), 0.5))
    assert init.zeros((2, 3)).dtype == np.float64


def test_constant_rejects_bad_val():
    with pytest.raises(ValueError, match="val"):
        init.constant((2, 2), float("nan"))
    with pytest.raises(ValueError, match="val"):
        init.constant((2, 2), float("inf"))
    with pytest.raises(TypeError, match="val"):
        init.constant((2, 2), "1")


# -- sample statistics over large draws -------------------------------------------------
# A draw of n = 60,000 values: the relative standard error of a sample standard
# deviation is about 1/sqrt(2n) ~ 0.003 (normal) and ~0.002 (uniform), so the
# stated tolerance of 2 % is over 6 standard errors. The largest of n uniform
# draws falls below 99 % of the bound with probability 0.995^n ~ e^-300.
SHAPE = (200, 300)  # fan_in = 200, fan_out = 300
N = SHAPE[0] * SHAPE[1]


def assert_uniform_bound(w, bound):
    assert w.max() <= bound and w.min() >= -bound
    assert w.max() > 0.99 * bound and w.min() < -0.99 * bound
    assert w.std() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    assert abs(w.mean()) < 6 * bound / math.sqrt(3 * N)


def assert_normal_std(w, std):
    assert w.std() == pytest.approx(std, rel=0.02)
    assert abs(w.mean()) < 6 * std / math.sqrt(N)


def test_xavier_uniform_bound():
    bound = math.sqrt(6 / (200 + 300))
    assert_uniform_bound(init.xavier_uniform(SHAPE, rng=0), bound)
    assert_uniform_bound(init.xavier_uniform(SHAPE, gain=5 / 3, rng=1), 5 / 3 * bound)


def test_xavier_normal_std():
    assert_normal_std(init.xavier_normal(SHAPE, rng=0), math.sqrt(2 / 500))
    assert_normal_std(init.xavier_normal(SHAPE, gain=2.0, rng=1), 2 * math.sqrt(2 / 500))


def test_kaiming_uniform_bound():
    # default: leaky_relu with a = 0 -> gain sqrt(2), bound sqrt(6 / fan_in)
    assert_uniform_bound(init.kaiming_uniform(SHAPE, rng=0), math.sqrt(6 / 200))
    assert_uniform_bound(init.kaiming_uniform(SHAPE, mode="fan_out", rng=1), math.sqrt(6 / 300))
    # PyTorch's Linear default a = sqrt(5): gain sqrt(1/3), bound 1 / sqrt(fan_in)
    assert_uniform_bound(init.kaiming_uniform(SHAPE, a=math.sqrt(5), rng=2), 1 / math.sqrt(200))
    assert_uniform_bound(init.kaiming_uniform(SHAPE, nonlinearity="tanh", rng=3), 5 / 3 * math.sqrt(3 / 200))


def test_kaiming_normal_std():
    assert_normal_std(init.kaiming_normal(SHAPE, nonlinearity="relu", rng=0), math.sqrt(2 / 200))
    assert_normal_std(init.kaiming_normal(SHAPE, mode="fan_out", nonlinearity="relu", rng=1), math.sqrt(2 / 300))
    assert_normal_std(init.kaiming_normal(SHAPE, a=1.0, rng=2), 1 / math.sqrt(200))  # gain sqrt(2/2) = 1


def test_normal_and_uniform_parameters():
    w = init.normal(SHAPE, mean=3.0, std=2.0, rng=0)
    assert w.mean() == pytest.approx(3.0, abs=6 * 2 / math.sqrt(N))
    assert w.std() == pytest.approx(2.0, rel=0.02)
    u = init.uniform(SHAPE, a=-2.0, b=5.0, rng=0)
    assert u.min() >= -2.0 and u.max() < 5.0
    assert u.mean() == pytest.approx(1.5, abs=6 * 7 / math.sqrt(12 * N))
    assert np.all(init.normal((3, 3), std=0.0, rng=0) == 0.0)


def test_first_axis_is_fan_in():
    # 4 inputs, 10,000 outputs: Kaiming (fan_in) bound sqrt(6/4), not sqrt(6/10000)
    w = init.kaiming_uniform((4, 10_000), rng=0)
    assert w.max() > 0.99 * math.sqrt(6 / 4)
    w = init.kaiming_uniform((4, 10_000), mode="fan_out", rng=0)
    assert w.max() <= math.sqrt(6 / 10_000)


def test_extra_axes_are_a_receptive_field():
    # shape (3, 5, 2, 2): fan_in = 3 * 4 = 12, fan_out = 5 * 4 = 20
    w = init.xavier_uniform((3, 5, 2, 2), rng=0)
    assert np.abs(w).max() <= math.sqrt(6 / 32)
    w = init.kaiming_uniform((3, 5, 20, 20), rng=0)  # fan_in = 1200
    assert np.abs(w).max() <= math.sqrt(6 / 1200)
    assert np.abs(w).max() > 0.99 * math.sqrt(6 / 1200)


@pytest.mark.parametrize("name", ["xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"])
def test_fan_based_initializers_refuse_one_axis(name):
    with pytest.raises(ValueError, match="shape"):
        getattr(init, name)((5,))


# -- dtype and determinism -------------------------------------------------------------
@pytest.mark.parametrize("name", ["zeros", *RANDOM])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_kept(name, dtype):
    w = getattr(init, name)((4, 3), rng=0, dtype=dtype)
    assert w.dtype == dtype and w.shape == (4, 3)
    assert init.constant((4, 3), 1.5, dtype=dtype).dtype == dtype


@pytest.mark.parametrize("name", RANDOM)
def test_same_seed_same_numbers(name):
    f = getattr(init, name)
    np.testing.assert_array_equal(f((5, 4), rng=7), f((5, 4), rng=7))
    np.testing.assert_array_equal(f((5, 4), rng=np.random.default_rng(7)), f((5, 4), rng=7))
    assert not np.array_equal(f((5, 4), rng=7), f((5, 4), rng=8))


# -- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["zeros", *RANDOM])
@pytest.mark.parametrize("shape", [(0, 3), (3, -1), (), -2])
def test_bad_shape_value(name, shape):
    with pytest.raises(ValueError, match="shape"):
        getattr(init, name)(shape)


@pytest.mark.parametrize("name", ["zeros", *RANDOM])
@pytest.mark.parametrize("shape", [(2.0, 3), "3", (True, 2), None, 2.5])
def test_bad_shape_type(name, shape):
    with pytest.raises(TypeError, match="shape"):
        getattr(init, name)(shape)


@pytest.mark.parametrize("name", ["zeros", *RANDOM])
def test_bad_dtype_and_rng(name):
    with pytest.raises(TypeError, match="dtype"):
        getattr(init, name)((2, 2), dtype=np.int32)
    with pytest.raises(TypeError, match="dtype"):
        getattr(init, name)((2, 2), dtype="banana")
    with pytest.raises(TypeError, match="rng"):
        getattr(init, name)((2, 2), rng="seed")


def test_bad_hyperparameters():
    with pytest.raises(ValueError, match="std"):
        init.normal((2, 2), std=-1.0)
    with pytest.raises(ValueError, match="mean"):
        init.normal((2, 2), mean=float("nan"))
    with pytest.raises(ValueError, match="a must be smaller than b"):
        init.uniform((2, 2), a=1.0, b=1.0)
    with pytest.raises(ValueError, match="a must be smaller than b"):
        init.uniform((2, 2), a=2.0, b=1.0)
    with pytest.raises(ValueError, match="b"):
        init.uniform((2, 2), b=float("inf"))
    for gain in (0.0, -1.0, float("inf")):
        with pytest.raises(ValueError, match="gain"):
            init.xavier_uniform((2, 2), gain=gain)
        with pytest.raises(ValueError, match="gain"):
            init.xavier_normal((2, 2), gain=gain)
    with pytest.raises(ValueError, match="mode"):
        init.kaiming_uniform((2, 2), mode="fan_avg")
    with pytest.raises(ValueError, match="nonlinearity"):
        init.kaiming_normal((2, 2), nonlinearity="swish")
    with pytest.raises(TypeError, match="a"):
        init.kaiming_uniform((2, 2), a="0")
    with pytest.raises(ValueError, match="a"):
        init.kaiming_normal((2, 2), a=float("nan"))


# -- lookup by name --------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(init.INITIALIZERS))
def test_get_initializer_by_name(name):
    f = init.get_initializer(name)
    np.testing.assert_array_equal(f((4, 3), np.random.default_rng(5)), getattr(init, name)((4, 3), rng=5))


def test_get_initializer_passes_callables_and_refuses_the_rest():
    def mine(shape, rng):
        return np.ones(shape)

    assert init.get_initializer(mine) is mine
    with pytest.raises(ValueError, match="init"):
        init.get_initializer("he_normal")
    with pytest.raises(TypeError, match="init"):
        init.get_initializer(3)


# -- properties ----------------------------------------------------------------------------------
dims = st.integers(min_value=1, max_value=40)


@settings(max_examples=50, deadline=None)
@given(fan_in=dims, fan_out=dims, gain=st.floats(0.1, 5.0), seed=st.integers(0, 2**32 - 1))
def test_xavier_uniform_within_bound(fan_in, fan_out, gain, seed):
    w = init.xavier_uniform((fan_in, fan_out), gain=gain, rng=seed)
    assert np.abs(w).max() <= gain * math.sqrt(6 / (fan_in + fan_out))


@settings(max_examples=50, deadline=None)
@given(fan_in=dims, fan_out=dims, a=st.floats(-3.0, 3.0), seed=st.integers(0, 2**32 - 1))
def test_kaiming_uniform_within_bound(fan_in, fan_out, a, seed):
    w = init.kaiming_uniform((fan_in, fan_out), a=a, rng=seed)
    assert np.abs(w).max() <= math.sqrt(2 / (1 + a**2)) * math.sqrt(3 / fan_in)
