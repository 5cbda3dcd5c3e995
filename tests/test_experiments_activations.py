"""The measurements behind Chapter 1: deep stacks, sigmoid chains, zig-zag updates, dead ReLUs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes.activations import ACTIVATIONS, sigmoid
from dlnotes.book.experiments.ch01_activations import (
    activation_race,
    dead_relu,
    dead_unit_fraction,
    deep_stack,
    gradient_signs,
    layer_histograms,
    low_gradient_share,
    scale_sweep,
    sigmoid_chain,
    zigzag_path,
)
from dlnotes.gradcheck import numerical_gradient, rel_error

# -- deep_stack ------------------------------------------------------------------


def test_deep_stack_shapes():
    stack = deep_stack("tanh", 1.0, n_layers=4, width=5, batch=3)
    assert stack.preactivations.shape == (4, 3, 5)
    assert stack.grad_norms.shape == (4,)
    assert np.all(stack.grad_norms > 0)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_deep_stack_gradients_match_centred_differences(activation, chain_loss):
    """Rebuild the stack from the documented draws (inputs, weights, upstream gradient) and
    differentiate L = sum(G * h_L) numerically with respect to every layer's weights."""
    n_layers, width, batch, scale = 3, 4, 2, 1.5
    stack = deep_stack(activation, scale, n_layers=n_layers, width=width, batch=batch, rng=7)
    gen = np.random.default_rng(7)
    x = gen.standard_normal((batch, width))
    weights = gen.standard_normal((n_layers, width, width)) * (scale / np.sqrt(width))
    upstream = gen.standard_normal((batch, width)) / batch
    f = ACTIVATIONS[activation][0]

    def loss():
        return chain_loss(x, weights, f, upstream)

    np.testing.assert_allclose(stack.preactivations[0], x @ weights[0])
    for layer in range(n_layers):
        numeric = numerical_gradient(loss, weights[layer])
        assert abs(np.linalg.norm(numeric) - stack.grad_norms[layer]) <= 1e-6 * stack.grad_norms[layer]


def test_relu_stack_is_positively_homogeneous_in_the_weight_scale():
    """ReLU(c z) = c ReLU(z) for c > 0: doubling every weight doubles z^(l) once per layer,
    and every weight gradient of an L-layer stack by 2^(L-1)."""
    small = deep_stack("relu", 0.5, n_layers=5, width=6, batch=4, rng=3)
    large = deep_stack("relu", 1.0, n_layers=5, width=6, batch=4, rng=3)
    for layer in range(5):
        np.testing.assert_allclose(large.preactivations[layer], 2.0 ** (layer + 1) * small.preactivations[layer])
    np.testing.assert_allclose(large.grad_norms, 2.0**4 * small.grad_norms)


def test_sigmoid_stack_gradient_vanishes_toward_the_first_layer():
    stack = deep_stack("sigmoid", 1.0)
    assert stack.grad_norms[0] < 1e-3 * stack.grad_norms[-1]


def test_deep_stack_same_seed_same_numbers():
    a, b = deep_stack("tanh", 2.0, rng=5), deep_stack("tanh", 2.0, rng=5)
    np.testing.assert_array_equal(a.grad_norms, b.grad_norms)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"activation": "step", "weight_scale": 1.0}, "activation"),
        ({"activation": "tanh", "weight_scale": 0.0}, "weight_scale"),
        ({"activation": "tanh", "weight_scale": 1.0, "n_layers": 0}, "n_layers"),
        ({"activation": "tanh", "weight_scale": 1.0, "width": 2.5}, "width"),
    ],
)
def test_deep_stack_bad_input(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        deep_stack(**kwargs)


# -- low_gradient_share and scale_sweep -------------------------------------------------


def test_low_gradient_share_by_hand():
    # sigmoid'(0) = 1/4 and sigmoid'(1) ~ 0.197 pass; sigmoid'(+-10) ~ 4.5e-5 < 0.01 do not
    z = np.array([[0.0, 10.0, -10.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    np.testing.assert_allclose(low_gradient_share("sigmoid", z), [0.5, 0.0])
    # tanh'(2) = 1 - tanh(2)^2 ~ 0.071 passes, tanh'(4) ~ 0.0013 does not
    np.testing.assert_allclose(low_gradient_share("tanh", np.array([[2.0, 4.0]])), [0.5])
    # ReLU'(z) = 0 for z <= 0, whatever the size of z
    np.testing.assert_allclose(low_gradient_share("relu", np.array([[-1.0, 0.0, 2.0, 300.0]])), [0.5])
    # a lower threshold: sigmoid'(5) ~ 0.0066 counts at 0.01, not at 0.001
    assert low_gradient_share("sigmoid", np.array([[5.0]]))[0] == 1.0
    assert low_gradient_share("sigmoid", np.array([[5.0]]), threshold=0.001)[0] == 0.0


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (("step", np.zeros((2, 3))), {}, "activation"),
        (("tanh", np.zeros((2, 3))), {"threshold": 0.0}, "threshold"),
        (("tanh", np.array(1.0)), {}, "preactivations"),
    ],
)
def test_low_gradient_share_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        low_gradient_share(*args, **kwargs)


def test_scale_sweep_matches_deep_stack_and_tells_the_chapter_story():
    sweep = scale_sweep([0.1, 1.0, 10.0], n_layers=6)
    for name in ("sigmoid", "tanh", "relu"):
        for k, scale in enumerate(sweep.scales):
            stack = deep_stack(name, scale, n_layers=6)
            assert sweep.ratio[name][k] == pytest.approx(stack.grad_norms[0] / stack.grad_norms[-1])
            assert sweep.low_gradient[name][k] == pytest.approx(
                np.mean(low_gradient_share(name, stack.preactivations)))
    # ReLU(cz) = c ReLU(z): the ratio and the share of z <= 0 do not depend on the scale
    np.testing.assert_allclose(sweep.ratio["relu"], sweep.ratio["relu"][0])
    np.testing.assert_allclose(sweep.low_gradient["relu"], sweep.low_gradient["relu"][0])
    # sigmoid: the gradient vanishes toward layer 1; a large scale helps only by saturating units
    assert np.all(np.diff(sweep.ratio["sigmoid"]) > 0) and sweep.ratio["sigmoid"][1] < 1e-2
    assert sweep.low_gradient["sigmoid"][1] == 0.0 and sweep.low_gradient["sigmoid"][2] > 0.3
    # tanh: level at scale 1, exploding and saturated at scale 10
    assert 0.5 < sweep.ratio["tanh"][1] < 2 and sweep.ratio["tanh"][2] > 10
    assert sweep.low_gradient["tanh"][2] > 0.5


def test_scale_sweep_bad_input():
    with pytest.raises(ValueError, match="activations"):
        scale_sweep([1.0], activations=("tanh", "step"))
    with pytest.raises(ValueError, match="scales"):
        scale_sweep([[1.0]])


# -- layer_histograms ----------------------------------------------------------------


def test_layer_histograms_by_hand():
    values = np.array([[-10.0, 0.1, 0.2, 10.0], [-0.5, -0.5, 0.5, 0.5]])
    # edges [-1, 0, 1]: -10 -> -1 (first bin); 10 -> 1, counted in the last bin
    np.testing.assert_allclose(layer_histograms(values, [-1.0, 0.0, 1.0]), [[0.25, 0.75], [0.5, 0.5]])


@pytest.mark.parametrize("edges", [[1.0], [0.0, 0.0, 1.0], [1.0, 0.0]])
def test_layer_histograms_bad_edges(edges):
    with pytest.raises(ValueError, match="edges"):
        layer_histograms(np.zeros((2, 3)), edges)


# -- sigmoid_chain ---------------------------------------------------------------------


def test_sigmoid_chain_bound_and_shape():
    chain = sigmoid_chain(6, n_chains=50)
    np.testing.assert_array_equal(chain.n, [1, 2, 3, 4, 5, 6])
    np.testing.assert_allclose(chain.bound, [0.25, 0.0625, 0.015625, 0.00390625, 0.0009765625, 0.000244140625])
    assert chain.derivatives.shape == (50, 6)
    assert np.all(chain.derivatives > 0) and np.all(chain.derivatives <= chain.bound)


def test_sigmoid_chain_derivative_matches_centred_differences():
    """h_n = sigma(... sigma(h_0 + b_1) ... + b_n): differentiate with respect to h_0 numerically."""
    n = 5
    chain = sigmoid_chain(n, n_chains=3, rng=11)
    gen = np.random.default_rng(11)
    h0 = gen.standard_normal(3)
    biases = gen.standard_normal((n, 3))
    for i in range(3):
        start = np.array([h0[i]])

        def h_n(depth):
            h = start[0]
            for b in biases[:depth, i]:
                h = sigmoid(np.array(h + b))
            return float(h)

        for depth in (1, n):
            numeric = numerical_gradient(lambda: h_n(depth), start)[0]
            assert rel_error(np.array([numeric]), chain.derivatives[i, depth - 1 : depth]) < 1e-6


def test_sigmoid_chain_bad_input():
    with pytest.raises(ValueError, match="max_layers"):
        sigmoid_chain(0)


# -- zig-zag -----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(mean=st.floats(1.0, 1.5), seed=st.integers(0, 1000))
def test_positive_inputs_move_both_weights_the_same_way(mean, seed):
    steps = np.diff(zigzag_path(mean, rng=seed), axis=0)
    assert np.all(steps[:, 0] * steps[:, 1] >= 0)


def test_centred_inputs_move_the_weights_apart_and_reach_the_target():
    path = zigzag_path(0.0, steps=400)
    steps = np.diff(path, axis=0)
    assert np.any(steps[:, 0] * steps[:, 1] < 0)
    np.testing.assert_allclose(path[-1], [1.0, -1.0], atol=1e-3)
    np.testing.assert_array_equal(path[0], [0.0, 0.0])


def test_first_zigzag_step_by_hand():
    """From w = 0: delta = -w*.x, so the step is -lr * delta * x = lr (x1 - x2) x for w* = (1, -1)."""
    x = 1.5 + np.random.default_rng(4).uniform(-1, 1, size=(1, 2))[0]
    path = zigzag_path(1.5, steps=1, lr=0.1, rng=4)
    np.testing.assert_allclose(path[1], 0.1 * (x[0] - x[1]) * x)


def test_zigzag_bad_input():
    with pytest.raises(ValueError, match="target"):
        zigzag_path(1.0, target=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="lr"):
        zigzag_path(1.0, lr=-0.1)


@settings(max_examples=25, deadline=None)
@given(mean=st.floats(1.0, 5.0), seed=st.integers(0, 1000))
def test_gradient_signs_share_one_sign_per_unit_for_positive_inputs(mean, seed):
    signs = gradient_signs(mean, n_inputs=7, n_units=4, rng=seed)
    assert signs.shape == (7, 4)
    assert np.all(np.abs(signs) == 1)
    assert np.all(signs == signs[0])  # every row equals the first: one sign per column


def test_gradient_signs_mixed_for_centred_inputs():
    signs = gradient_signs(0.0, n_inputs=20, n_units=3, rng=1)
    assert np.all(np.any(signs != signs[0], axis=0))


# -- dead units ---------------------------------------------------------------------------


def test_dead_unit_fraction_by_hand():
    h = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0]])
    assert dead_unit_fraction(h) == 0.5  # columns 0 and 3 never fire
    assert dead_unit_fraction(np.zeros((3, 2))) == 1.0
    assert dead_unit_fraction(np.ones((3, 2))) == 0.0


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((2, 0))])
def test_dead_unit_fraction_bad_input(bad):
    with pytest.raises(ValueError, match="activations"):
        dead_unit_fraction(bad)


def test_large_learning_rate_kills_more_relu_units():
    small, large = dead_relu(0.01), dead_relu(10.0)
    assert small.before == large.before  # same seed, same initial network
    assert small.after <= small.before + 0.05
    assert large.after >= small.after + 0.3
    for result in (small, large):
        assert result.firing_rate.shape == (50,)
        assert result.after == pytest.approx(np.mean(result.firing_rate == 0))


def test_a_diverged_run_is_still_measured():
    result = dead_relu(1e4, epochs=2)
    assert result.history.diverged
    assert 0.0 <= result.after <= 1.0 and np.all((result.firing_rate >= 0) & (result.firing_rate <= 1))


def test_dead_relu_bad_input():
    with pytest.raises(ValueError, match="lr"):
        dead_relu(0.0)


def test_a_diverged_run_has_no_gradient_measurement():
    result = dead_relu(1e4, epochs=2)
    assert np.isnan(result.no_gradient) and np.isnan(result.train_loss)


def test_dead_relu_units_are_exactly_the_units_without_gradient():
    """A dead ReLU unit outputs 0 on every example, so its weights and bias get exactly zero gradient."""
    for lr in (0.01, 3.0, 10.0):
        result = dead_relu(lr)
        assert result.no_gradient == pytest.approx(result.after)
        assert np.isfinite(result.train_loss) and result.train_loss > 0


def test_leaky_relu_units_never_stop_learning():
    """Pushed to z <= 0 on every example as often as ReLU's, Leaky ReLU units still get a gradient."""
    for lr in (0.01, 3.0, 10.0):
        relu, leaky = dead_relu(lr), dead_relu(lr, activation="leaky_relu")
        assert leaky.before == relu.before  # the same initial weights
        assert leaky.no_gradient == 0.0
        assert leaky.after <= relu.after
    relu, leaky = dead_relu(3.0), dead_relu(3.0, activation="leaky_relu")
    assert relu.after >= 0.4 and leaky.after >= 0.4  # the large step pushes both
    assert leaky.train_loss < relu.train_loss / 2  # but the leaky units keep learning


def test_dead_relu_refuses_another_activation():
    with pytest.raises(ValueError, match="activation"):
        dead_relu(0.1, activation="sigmoid")


# -- activation_race --------------------------------------------------------------


def test_activation_race_ranks_relu_then_tanh_then_sigmoid():
    """Three hidden layers, plain SGD: sigmoid barely learns, tanh does, ReLU fastest."""
    curves = activation_race(epochs=20)
    assert list(curves) == ["sigmoid", "tanh", "relu"]
    assert all(c.shape == (20,) and np.all(np.isfinite(c)) for c in curves.values())
    assert curves["relu"][-1] < curves["tanh"][-1] / 5 < curves["sigmoid"][-1] / 5
    assert curves["sigmoid"][-1] > 0.6  # still near log 2 = 0.69, the loss of guessing


def test_activation_race_same_start_for_the_same_seed():
    first, second = activation_race(("relu",), epochs=2, rng=5), activation_race(("relu",), epochs=2, rng=5)
    np.testing.assert_array_equal(first["relu"], second["relu"])


def test_activation_race_bad_input():
    with pytest.raises(ValueError, match="activations"):
        activation_race(("gelu",))
    with pytest.raises(ValueError, match="lr"):
        activation_race(lr=0.0)
