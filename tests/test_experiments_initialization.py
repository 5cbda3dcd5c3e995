"""The measurements behind Chapter 6: symmetry, the variance of a layer, deep signals across scales, Xavier and He."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes import init, nn
from dlnotes.activations import ACTIVATIONS
from dlnotes.book.experiments import ch06_initialization as ex
from dlnotes.book.experiments.ch01_activations import dead_relu
from dlnotes.gradcheck import numerical_gradient

# -- initializers by scale ------------------------------------------------------------


def test_constant_and_normal_initializers():
    assert np.all(ex.constant_init(0.3)((4, 5), None) == 0.3)
    W = ex.normal_init(0.5)((400, 300), 0)
    assert W.std() == pytest.approx(0.5, rel=0.01) and abs(W.mean()) < 0.01


def test_scaled_normal_divides_by_the_square_root_of_the_fan_in():
    W = ex.scaled_normal(2.0)((400, 300), 1)
    assert W.std() == pytest.approx(2.0 / 20.0, rel=0.01)
    # one stream of standard normals times the scale: two scales give proportional weights
    np.testing.assert_allclose(ex.scaled_normal(3.0)((40, 30), 5), 1.5 * ex.scaled_normal(2.0)((40, 30), 5))


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_scaled_normal_refuses_a_non_positive_scale(bad):
    with pytest.raises(ValueError, match="scale"):
        ex.scaled_normal(bad)
    with pytest.raises(ValueError, match="std"):
        ex.normal_init(bad)


def test_constant_init_refuses_a_non_number():
    with pytest.raises(TypeError, match="value"):
        ex.constant_init("0.3")


# -- 6.1 symmetry ------------------------------------------------------------------------


def test_hidden_unit_spread_by_hand():
    layer = nn.Linear(2, 3, init="zeros")
    layer.W.data[...] = [[1.0, 2.0, 1.5], [3.0, 3.0, 3.0]]
    layer.b.data[...] = [0.0, 0.5, 0.25]
    assert ex.hidden_unit_spread(layer) == 1.0  # row ranges 1, 0 and 0.5
    layer.W.data[...] = [[1.0, 1.0, 1.0], [-2.0, -2.0, -2.0]]
    layer.b.data[...] = 0.7
    assert ex.hidden_unit_spread(layer) == 0.0
    assert ex.hidden_unit_spread(nn.Linear(2, 3, bias=False, init="zeros")) == 0.0


def test_hidden_unit_spread_refuses_other_modules():
    with pytest.raises(TypeError, match="layer"):
        ex.hidden_unit_spread(nn.Tanh())


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_all_zero_weights_never_move_with_an_activation_zero_at_zero(activation):
    run = ex.symmetry_run("zeros", activation=activation, epochs=5)
    assert np.all(run.spread == 0.0) and np.all(run.moved == 0.0)  # exactly: the gradients are exactly 0
    assert np.all(run.first_weights == 0.0)
    assert run.train_loss[-1] == pytest.approx(math.log(2), abs=0.01)  # only the output bias learns
    assert run.accuracy == 0.5


def test_sigmoid_from_zeros_moves_but_stays_symmetric():
    """sigmoid(0) = 1/2: the output weights learn, then the hidden ones move, all alike (exercise 4)."""
    run = ex.symmetry_run("zeros", activation="sigmoid", epochs=5)
    assert np.all(run.spread == 0.0)
    assert run.moved[-1] > 1e-3


@settings(max_examples=8, deadline=None)
@given(value=st.floats(-1.0, 1.0).filter(lambda v: abs(v) > 1e-3), activation=st.sampled_from(["tanh", "relu"]))
def test_any_equal_start_keeps_the_units_identical(value, activation):
    run = ex.symmetry_run(ex.constant_init(value), activation=activation, epochs=2)
    assert np.all(run.spread == 0.0)
    assert np.all(run.first_weights == run.first_weights[:, :1])  # every unit carries the same weight


def test_equal_start_moves_and_random_start_learns():
    equal = ex.symmetry_run(ex.constant_init(0.3), epochs=10)
    assert np.all(equal.spread == 0.0) and equal.moved[-1] > 0.1
    random = ex.symmetry_run(ex.normal_init(0.5), epochs=10)
    assert np.all(random.spread > 1.0) and random.train_loss[-1] < equal.train_loss[-1]
    assert random.spread.shape == (11, 2) and random.first_weights.shape == (11, 16)
    assert random.train_loss.shape == (10,)


def test_symmetry_run_bad_input():
    with pytest.raises(ValueError, match="activation"):
        ex.symmetry_run("zeros", activation="swish")
    with pytest.raises(ValueError, match="hidden"):
        ex.symmetry_run("zeros", hidden=0)
    with pytest.raises(ValueError, match="lr"):
        ex.symmetry_run("zeros", lr=0.0)


# -- 6.2 one layer ---------------------------------------------------------------------------


@pytest.mark.parametrize("inputs, second_moment, variance", [
    ("normal", 1.0, 1.0),
    ("relu", 0.5, 0.5 - 1 / (2 * math.pi)),  # E[max(0,u)^2] = 1/2, E[max(0,u)] = 1/sqrt(2 pi)
])
def test_one_layer_variance_is_fan_in_times_var_w_times_second_moment(inputs, second_moment, variance):
    v = ex.one_layer_variance(inputs, 128, 0.02, n=4000)
    assert v.mean_square == pytest.approx(second_moment, rel=0.03)
    assert v.variance_x == pytest.approx(variance, rel=0.03)
    assert v.predicted == pytest.approx(128 * 0.02 * v.mean_square, rel=1e-12)
    assert v.measured == pytest.approx(v.predicted, rel=0.05)


def test_one_layer_variance_bad_input():
    with pytest.raises(ValueError, match="inputs"):
        ex.one_layer_variance("uniform", 16, 0.1)
    with pytest.raises(ValueError, match="weight_var"):
        ex.one_layer_variance("normal", 16, 0.0)


# -- deep signals -------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_deep_signals_match_centred_differences(activation, chain_loss):
    """Rebuild the network from the documented draws (inputs, upstream gradient, then the weights) and
    differentiate L = sum(G * h_L) numerically with respect to every weight and every pre-activation."""
    n_layers, width, batch = 3, 4, 2
    signals = ex.deep_signals(activation, "xavier_normal", n_layers=n_layers, width=width, batch=batch, rng=7)
    gen = np.random.default_rng(7)
    x = gen.standard_normal((batch, width))
    upstream = gen.standard_normal((batch, width)) / batch
    weights = [init.xavier_normal((width, width), rng=gen) for _ in range(n_layers)]
    f = ACTIVATIONS[activation][0]

    def loss():
        return chain_loss(x, weights, f, upstream)

    def loss_from(layer, z):
        """L as a function of the pre-activations z of one layer."""
        return chain_loss(f(z), weights[layer + 1:], f, upstream)

    zs, h = [], x
    for W in weights:
        zs.append(h @ W)
        h = f(zs[-1])
    np.testing.assert_allclose(signals.preactivations, np.stack(zs), rtol=1e-12)
    for layer in range(n_layers):
        numeric = numerical_gradient(loss, weights[layer])
        assert np.linalg.norm(numeric) == pytest.approx(signals.grad_norms[layer], rel=1e-6)
        z = zs[layer].copy()
        numeric_delta = numerical_gradient(lambda: loss_from(layer, z), z)
        np.testing.assert_allclose(signals.deltas[layer], numeric_delta, rtol=1e-5, atol=1e-9)


def test_deep_signals_bad_input():
    with pytest.raises(ValueError, match="activation"):
        ex.deep_signals("gelu2", "xavier_normal")
    with pytest.raises(ValueError, match="width"):
        ex.deep_signals("tanh", "xavier_normal", width=0)


def test_log_magnitude_maps_zero_to_minus_infinity_quietly():
    np.testing.assert_array_equal(ex.log_magnitude(np.array([-100.0, 0.0, 0.001])), [2.0, -np.inf, -3.0])


def test_nonzero_histograms_by_hand():
    log_values = np.array([[-np.inf, 0.5, 1.5, 9.0], [-np.inf, -np.inf, -np.inf, -np.inf]])
    fractions, zeros = ex.nonzero_histograms(log_values, np.array([0.0, 1.0, 2.0]))
    np.testing.assert_allclose(fractions, [[1 / 3, 2 / 3], [0.0, 0.0]])  # 9.0 lands in the end bin
    np.testing.assert_allclose(zeros, [0.25, 1.0])
    with pytest.raises(ValueError, match="log_values"):
        ex.nonzero_histograms(np.array([[np.nan, 1.0]]), np.array([0.0, 2.0]))


SMALL = {"n_layers": 4, "width": 16, "batch": 8}


def test_relu_sweep_from_one_pass_equals_a_pass_at_every_scale():
    scales = np.array([0.3, 1.0, 2.0**0.5, 3.0])
    sweep = ex.init_scale_sweep("relu", scales, **SMALL)
    for k, scale in enumerate(scales):
        direct = ex.deep_signals("relu", ex.scaled_normal(scale), **SMALL)
        z, delta = direct.preactivations, direct.deltas
        np.testing.assert_allclose(sweep.z_std[k], z.reshape(4, -1).std(axis=1), rtol=1e-12)
        np.testing.assert_allclose(sweep.delta_std[k], delta.reshape(4, -1).std(axis=1), rtol=1e-12)
        np.testing.assert_allclose(sweep.grad_norms[k], direct.grad_norms, rtol=1e-12)
        np.testing.assert_allclose(sweep.delta_zero[k], np.mean(delta.reshape(4, -1) == 0, axis=1))
        z_hist, _ = ex.nonzero_histograms(ex.log_magnitude(z), sweep.z_edges)
        np.testing.assert_allclose(sweep.z_hist[k], z_hist, atol=1.5 / z[0].size)  # a value on a bin edge may move


def test_tanh_sweep_runs_every_scale_and_follows_the_linear_regime():
    sweep = ex.init_scale_sweep("tanh", [0.25, 1.0], **SMALL)
    direct = ex.deep_signals("tanh", ex.scaled_normal(1.0), **SMALL)
    np.testing.assert_allclose(sweep.grad_norms[1], direct.grad_norms, rtol=1e-10)
    wide = ex.init_scale_sweep("tanh", [0.25], n_layers=4, width=256, batch=16)
    assert wide.z_std[0, -1] / wide.z_std[0, 0] == pytest.approx(0.25**3, rel=0.1)  # tanh z ~ z: s per layer
    np.testing.assert_allclose(sweep.z_hist.sum(axis=2), 1.0)
    np.testing.assert_allclose(sweep.delta_hist.sum(axis=2), 1.0)
    assert np.all(sweep.delta_zero == 0.0)


def test_relu_needs_the_factor_two_and_tanh_does_not():
    """The variance argument in 10 layers of width 256: (s/sqrt 2)^9 for ReLU, s^9 for small tanh."""
    relu = ex.init_scale_sweep("relu", [1.0, 2.0**0.5])
    ratio = relu.z_std[:, -1] / relu.z_std[:, 0]
    assert ratio[0] == pytest.approx(2 ** -4.5, rel=0.2)
    assert ratio[1] == pytest.approx(1.0, rel=0.2)
    assert np.mean(relu.delta_zero) == pytest.approx(0.5, abs=0.03)  # ReLU's silent half


def test_sweep_index_is_the_nearest_scale_on_a_log_scale():
    sweep = ex.init_scale_sweep("relu", [0.5, 1.0, 2.0], n_layers=2, width=4, batch=2)
    assert [sweep.index(s) for s in (0.1, 0.7, 0.72, 1.3, 1.5, 100.0)] == [0, 0, 1, 1, 2, 2]
    with pytest.raises(ValueError, match="scale"):
        sweep.index(0.0)


@pytest.mark.parametrize("scales", [[], [0.0, 1.0], [-1.0]])
def test_sweep_refuses_bad_scales(scales):
    with pytest.raises(ValueError, match="scales"):
        ex.init_scale_sweep("tanh", scales, **SMALL)


# -- 6.3 Xavier against He ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def profiles():
    return ex.init_comparison()


def test_he_is_xavier_times_sqrt_two_on_the_same_draws(profiles):
    """256 x 256 layers: Xavier's std is 1/16, He's sqrt(2)/16; ReLU is homogeneous, so He's z^(l) is
    sqrt(2)^l times Xavier's and every weight gradient sqrt(2)^9 times."""
    xavier, he = profiles[("xavier_normal", "relu")], profiles[("kaiming_normal", "relu")]
    layers = np.arange(1, 11)
    np.testing.assert_allclose(he.z_std / xavier.z_std, 2 ** (layers / 2), rtol=1e-9)
    np.testing.assert_allclose(he.grad_norms / xavier.grad_norms, 2**4.5, rtol=1e-9)


def test_each_initialization_keeps_its_own_activation_alive(profiles):
    he_relu, xavier_tanh = profiles[("kaiming_normal", "relu")], profiles[("xavier_normal", "tanh")]
    assert 0.7 < he_relu.z_std[-1] / he_relu.z_std[0] < 1.4
    assert 0.7 < xavier_tanh.grad_norms[0] / xavier_tanh.grad_norms[-1] < 1.4
    xavier_relu = profiles[("xavier_normal", "relu")]
    assert xavier_relu.z_std[-1] < 0.1 * xavier_relu.z_std[0]  # shrinks by 1/sqrt(2) per layer
    he_tanh = profiles[("kaiming_normal", "tanh")]
    assert he_tanh.low_gradient[0] > xavier_tanh.low_gradient[0]
    assert he_tanh.grad_norms[0] > 1.5 * he_tanh.grad_norms[-1]


def test_xavier_does_not_keep_sigmoid_gradients_level():
    (sigmoid,) = ex.init_comparison([("xavier_normal", "sigmoid")]).values()
    assert sigmoid.grad_norms[0] / sigmoid.grad_norms[-1] < 1e-4


# -- 6.4 dead units at the start ---------------------------------------------------------------------


def test_dead_at_start_reproduces_chapter_one_and_zero_biases_leave_none_dead():
    assert ex.dead_at_start(None) == dead_relu(0.01, epochs=1).before == pytest.approx(0.12)
    assert ex.dead_at_start("kaiming_normal") == 0.0
    assert ex.dead_at_start("xavier_uniform") == 0.0


def test_dead_at_start_bad_input():
    with pytest.raises(ValueError, match="hidden"):
        ex.dead_at_start(hidden=0)
