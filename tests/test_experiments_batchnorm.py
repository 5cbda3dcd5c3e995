"""Tests of dlnotes.book.experiments.ch07_batchnorm (Chapter 7): closed forms, invariants and bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes import nn
from dlnotes.book.experiments.ch07_batchnorm import (
    NETWORKS,
    SATURATED,
    RunningStatistics,
    TrainingSweep,
    activation_histograms,
    batch_dependence,
    batch_of_one,
    batch_statistics,
    bias_redundancy,
    deep_tanh_net,
    eval_mode_output,
    gradient_checks,
    label_alignment,
    layer_activations,
    normalization_gradients,
    parameter_change,
    running_statistics,
    shifted_batch,
    stack_seeds,
    train_mode_output,
    training_sweep,
    whole_set_loss,
)
from dlnotes.data import make_spirals
from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.losses import CrossEntropyLoss
from dlnotes.train import evaluate


@pytest.fixture(scope="module")
def spirals():
    return make_spirals(60, noise=0.2, rng=0)


def linears(net):
    return [layer for layer in net if isinstance(layer, nn.Linear)]


# -- the networks ------------------------------------------------------------------
def test_deep_tanh_net_puts_batchnorm_after_each_hidden_linear_and_before_tanh():
    net = deep_tanh_net(1.0, True, depth=3, width=4)
    kinds = [type(layer).__name__ for layer in net]
    assert kinds == ["Linear", "BatchNorm1d", "Tanh"] * 3 + ["Linear"]
    assert all(layer.b is None for layer in linears(net)[:-1])  # beta replaces the bias
    plain = deep_tanh_net(1.0, False, depth=3, width=4)
    assert [type(layer).__name__ for layer in plain] == ["Linear", "Tanh"] * 3 + ["Linear"]
    assert all(np.all(layer.b.data == 0) for layer in linears(plain))


def test_both_networks_share_their_draws_up_to_the_scale():
    small, plain, bn = (deep_tanh_net(s, b, depth=3, width=5, rng=3) for s, b in ((0.2, False), (1.0, False), (1.0, True)))
    for a, b, c in zip(linears(small)[:-1], linears(plain)[:-1], linears(bn)[:-1]):
        np.testing.assert_allclose(a.W.data, 0.2 * b.W.data, rtol=1e-12)
        np.testing.assert_array_equal(b.W.data, c.W.data)
    np.testing.assert_array_equal(linears(small)[-1].W.data, linears(plain)[-1].W.data)  # the output layer keeps scale 1


@pytest.mark.parametrize("kwargs, error, name", [({"scale": 0.0}, ValueError, "scale"),
                                                 ({"scale": "1"}, TypeError, "scale"),
                                                 ({"batchnorm": "yes"}, TypeError, "batchnorm"),
                                                 ({"depth": 0}, ValueError, "depth"),
                                                 ({"width": 2.5}, TypeError, "width")])
def test_deep_tanh_net_bad_input(kwargs, error, name):
    args = {"scale": 1.0, "batchnorm": True, **kwargs}
    with pytest.raises(error, match=name):
        deep_tanh_net(args.pop("scale"), args.pop("batchnorm"), **args)


def test_batch_statistics_restores_the_running_statistics_and_the_mode():
    net = deep_tanh_net(1.0, True, depth=2, width=3)
    net.eval()
    before = net.state_dict()
    with batch_statistics(net):
        assert net.training
        net(np.random.default_rng(0).standard_normal((10, 2)))
        assert not np.all(net[1].running_mean == 0.0)  # the pass did move them
    assert not net.training
    bn = net[1]
    np.testing.assert_array_equal(bn.running_mean, 0.0)
    np.testing.assert_array_equal(bn.running_var, 1.0)
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_batchnorm_makes_the_activations_independent_of_the_weight_scale(spirals):
    """BN(a z) = BN(z) exactly when eps is negligible; with eps = 1e-5 the spread barely moves."""
    X, _ = spirals

    def activations(scale, eps):
        net = deep_tanh_net(scale, True, rng=0)
        for layer in net:
            if isinstance(layer, nn.BatchNorm1d):
                layer.eps = eps
        return layer_activations(net, X)

    for scale in (0.1, 10.0):
        for h, h_ref in zip(activations(scale, 1e-14), activations(1.0, 1e-14)):
            np.testing.assert_allclose(h, h_ref, atol=1e-7)
        for h, h_ref in zip(activations(scale, 1e-5), activations(1.0, 1e-5)):
            assert h.std() == pytest.approx(h_ref.std(), abs=0.02)


def test_layer_activations_are_the_tanh_outputs_by_hand(spirals):
    X, _ = spirals
    net = deep_tanh_net(0.5, False, depth=2, width=4)
    h1, h2 = layer_activations(net, X)
    first = np.tanh(X @ net[0].W.data)
    np.testing.assert_allclose(h1, first)
    np.testing.assert_allclose(h2, np.tanh(first @ net[2].W.data))


def test_activation_histograms(spirals):
    X, _ = spirals
    hist = activation_histograms(X, [0.1, 1.0, 10.0], depth=3, width=8, bins=10)
    assert hist.edges[0] == -1 and hist.edges[-1] == 1 and len(hist.edges) == 11
    for name in NETWORKS:
        assert hist.share[name].shape == (3, 3, 10) and hist.tails[name].shape == (3, 3, 2)
        np.testing.assert_allclose(hist.share[name].sum(axis=2), 1.0)
        np.testing.assert_allclose(hist.saturated[name], hist.tails[name].sum(axis=2))
        assert np.all((0 <= hist.saturated[name]) & (hist.saturated[name] <= 1))
        # a tail is part of its outer bin
        assert np.all(hist.tails[name][..., 0] <= hist.share[name][..., 0] + 1e-12)
        assert np.all(hist.tails[name][..., 1] <= hist.share[name][..., -1] + 1e-12)
    # without BN the spread shrinks layer by layer at scale 0.1 and saturates at scale 10
    assert np.all(np.diff(hist.std["plain"][0]) < 0) and hist.std["plain"][0, -1] < 1e-2
    assert hist.saturated["plain"][2, -1] > 0.5
    # with BN every layer keeps its spread at every scale, and almost nothing saturates
    np.testing.assert_allclose(hist.std["batchnorm"], np.broadcast_to(hist.std["batchnorm"][1], (3, 3)), atol=0.02)
    assert np.all(hist.saturated["batchnorm"] < 0.05)
    net = deep_tanh_net(10.0, False, depth=3, width=8, rng=0)
    h = layer_activations(net, X)[1]
    assert hist.std["plain"][2, 1] == pytest.approx(h.std())
    np.testing.assert_allclose(hist.tails["plain"][2, 1], [np.mean(h < -0.99), np.mean(h > 0.99)])
    assert SATURATED == 0.99


def test_activation_histograms_default_bins_centre_one_on_zero(spirals):
    X, _ = spirals
    hist = activation_histograms(X, [0.1], depth=2, width=4)
    centres = (hist.edges[:-1] + hist.edges[1:]) / 2
    assert len(centres) % 2 == 1 and centres[len(centres) // 2] == pytest.approx(0.0, abs=1e-15)
    # at a tiny scale the plain network's second layer is all in that bin
    assert hist.share["plain"][0, 1, len(centres) // 2] == 1.0


# -- training --------------------------------------------------------------------------
def test_whole_set_loss_uses_the_whole_sets_statistics_and_changes_nothing(spirals):
    X, y = spirals
    net = deep_tanh_net(1.0, True, depth=2, width=4)
    loss = whole_set_loss(net, CrossEntropyLoss(), X, y)
    np.testing.assert_array_equal(net[1].running_mean, 0.0)
    logits = train_mode_output(net, X)
    by_hand = np.mean(np.log(np.exp(logits).sum(axis=1)) - logits[np.arange(len(y)), y])
    assert loss == pytest.approx(by_hand)
    plain = deep_tanh_net(1.0, False, depth=2, width=4)  # without BN it is the ordinary loss
    assert whole_set_loss(plain, CrossEntropyLoss(), X, y) == pytest.approx(evaluate(plain, CrossEntropyLoss(), X, y)[0])


def test_training_sweep_shapes_and_start(spirals):
    X, y = spirals
    sweep = training_sweep(X, y, [0.1, 1.0], depth=2, width=8, epochs=3, batch_size=20)
    for name in NETWORKS:
        assert sweep.loss[name].shape == (2, 4) and np.all(np.isfinite(sweep.loss[name]))
        assert len(sweep.models[name]) == 2
    fresh = deep_tanh_net(0.1, False, depth=2, width=8, rng=0)
    assert sweep.loss["plain"][0, 0] == pytest.approx(whole_set_loss(fresh, CrossEntropyLoss(), X, y))
    assert sweep.loss["plain"][0, 0] == pytest.approx(math.log(3), abs=1e-3)  # tiny weights: uniform predictions
    # BN at init: the same network at both scales (up to eps), so the same starting loss
    assert sweep.loss["batchnorm"][0, 0] == pytest.approx(sweep.loss["batchnorm"][1, 0], rel=0.02)
    assert sweep.settings["batch_size"] == 20


def test_training_sweep_drops_a_last_batch_of_one(spirals):
    X, y = spirals  # 60 rows in batches of 59 leave one row: dropped, not refused
    sweep = training_sweep(X, y, [1.0], depth=1, width=4, epochs=1, batch_size=59)
    assert np.all(np.isfinite(sweep.loss["batchnorm"]))


def test_training_sweep_marks_a_diverged_run_with_inf(spirals):
    X, y = spirals
    sweep = training_sweep(X, y, [10.0], depth=2, width=8, lr=1e6, momentum=0.0, epochs=4, batch_size=20)
    for name in NETWORKS:  # the first epoch diverges: the start is recorded, the rest is inf
        assert np.isfinite(sweep.loss[name][0, 0]) and np.all(np.isinf(sweep.loss[name][0, 1:]))


def test_epochs_to_and_final_by_hand():
    loss = {"plain": np.array([[1.0, 0.9, 0.4, 0.3], [1.0, 1.0, 1.0, 1.0]]),
            "batchnorm": np.array([[0.4, 0.3, 0.2, 0.1], [1.0, 0.5, 0.6, np.inf]])}
    sweep = TrainingSweep(np.array([1.0, 2.0]), loss, {}, {})
    np.testing.assert_array_equal(sweep.epochs_to("plain", 0.5), [2.0, np.nan])
    np.testing.assert_array_equal(sweep.epochs_to("batchnorm", 0.5), [0.0, 1.0])
    np.testing.assert_array_equal(sweep.final("batchnorm"), [0.1, np.inf])
    np.testing.assert_allclose(sweep.final_mean("plain", 2), [0.35, 1.0])
    np.testing.assert_allclose(sweep.final_mean("plain", 1), sweep.final("plain"))
    np.testing.assert_allclose(sweep.final_mean("batchnorm", 3), [0.2, np.inf])  # a diverged run stays inf
    for last, error in ((0, ValueError), (4, ValueError), (1.5, TypeError)):
        with pytest.raises(error, match="last"):
            sweep.final_mean("plain", last)


def test_stack_seeds_adds_a_leading_seed_axis(spirals):
    X, y = spirals
    runs = [training_sweep(X, y, [0.5, 2.0], depth=2, width=4, epochs=2, batch_size=20, rng=seed) for seed in (3, 4)]
    stacked = stack_seeds(runs)
    assert stacked.settings["seed"] == [3, 4] and stacked.settings["epochs"] == 2
    for name in NETWORKS:
        assert stacked.loss[name].shape == (2, 2, 3)
        np.testing.assert_array_equal(stacked.loss[name][1], runs[1].loss[name])
        np.testing.assert_array_equal(stacked.epochs_to(name, 0.9), [run.epochs_to(name, 0.9) for run in runs])
        np.testing.assert_array_equal(stacked.final_mean(name, 2), [run.final_mean(name, 2) for run in runs])
        assert stacked.models[name][0] is runs[0].models[name]
    other = training_sweep(X, y, [0.5, 2.0], depth=2, width=4, epochs=1, batch_size=20, rng=5)
    with pytest.raises(ValueError, match="sweeps"):
        stack_seeds([runs[0], other])
    with pytest.raises(ValueError, match="sweeps"):
        stack_seeds([])


def test_parameter_change_by_hand(spirals):
    """Trained networks replaced by known edits of the starting ones: the changes are the edits."""
    X, y = spirals
    sweep = training_sweep(X, y, [0.5, 2.0], depth=2, width=4, epochs=1, batch_size=20, rng=7)
    settings = sweep.settings
    assert settings["seed"] == 7 and settings["n_in"] == 2 and settings["n_out"] == int(np.max(y)) + 1

    def edited(scale, factor, gamma, beta):
        net = deep_tanh_net(scale, True, depth=2, width=4, n_out=settings["n_out"], rng=7)
        for layer in net:
            if isinstance(layer, nn.Linear):
                layer.W.data *= factor
            if isinstance(layer, nn.BatchNorm1d):
                layer.gamma.data[:] = gamma
                layer.beta.data[:] = beta
        return net

    models = {"batchnorm": [edited(0.5, 1.5, 1.2, 0.3), edited(2.0, 1.0, 1.0, -0.4)],
              "plain": [deep_tanh_net(s, False, depth=2, width=4, n_out=settings["n_out"], rng=7) for s in (0.5, 2.0)]}
    change = parameter_change(sweep._replace(models=models), "batchnorm")
    np.testing.assert_allclose(change["hidden"], [[0.5, 0.5], [0.0, 0.0]], atol=1e-15)
    np.testing.assert_allclose(change["output"], [0.5, 0.0], atol=1e-15)
    np.testing.assert_allclose(change["gamma"], [[0.2, 0.2], [0.0, 0.0]], atol=1e-15)
    np.testing.assert_allclose(change["beta"], [[0.3, 0.3], [0.4, 0.4]])
    plain = parameter_change(sweep._replace(models=models), "plain")
    assert set(plain) == {"hidden", "output"}
    np.testing.assert_array_equal(plain["hidden"], 0.0)
    trained = parameter_change(sweep, "plain")  # a real epoch moves the weights
    assert np.all(trained["hidden"] > 0)
    with pytest.raises(ValueError, match="name"):
        parameter_change(sweep, "resnet")


def test_batchnorm_moves_large_hidden_weights_less():
    """By scale invariance a step moves weights of scale s by about 1/s^2 of what it does at scale 1."""
    X, y = make_spirals(60, noise=0.2, rng=0)
    sweep = training_sweep(X, y, [1.0, 10.0], depth=2, width=8, lr=0.01, momentum=0.0, epochs=1, batch_size=30)
    hidden = parameter_change(sweep, "batchnorm")["hidden"]
    np.testing.assert_allclose(hidden[1] / hidden[0], 0.01, rtol=0.2)  # small steps: close to 1/s^2


def test_label_alignment_by_hand():
    """A linear layer with the identity matrix as weights: the logits are the input."""
    logits = np.array([[2.0, 0.0, 0.0], [0.0, 1.0, -1.0], [0.5, 0.5, 0.0], [0.0, 0.0, 3.0]])
    y = np.array([1, 2, 0, 0])
    model = nn.Sequential(nn.Linear(3, 3, bias=False))
    model[0].W.data[:] = np.eye(3)
    lse = np.log(np.exp(logits).sum(axis=1))
    result = label_alignment(model, logits, y)
    assert result["loss"] == pytest.approx(np.mean(lse - logits[np.arange(4), y]))
    assert result["any_label"] == pytest.approx(np.mean(lse - logits.mean(axis=1)))
    assert result["logit_sd"] == pytest.approx(logits.std())
    assert result["loss"] > result["any_label"]  # these labels sit on the smaller logits: anti-aligned


def test_label_alignment_of_uniform_logits_is_log_c(spirals):
    X, y = spirals
    result = label_alignment(deep_tanh_net(1e-3, False, depth=2, width=4), X, y)
    assert result["loss"] == pytest.approx(math.log(3), abs=1e-6)
    assert result["any_label"] == pytest.approx(math.log(3), abs=1e-6)


# -- running statistics ------------------------------------------------------------------
def test_running_statistics_first_step_by_hand():
    stats = running_statistics(mean=2.0, var=9.0, batch_size=3, steps=2, features=4, rng=5)
    z = 2.0 + 3.0 * np.random.default_rng(5).standard_normal((3, 4))
    np.testing.assert_allclose(stats.running_mean[1], 0.1 * z.mean(axis=0))
    np.testing.assert_allclose(stats.running_var[1], 0.9 + 0.1 * z.var(axis=0, ddof=1))  # unbiased, PyTorch's
    np.testing.assert_allclose(stats.biased_var[1], 0.9 + 0.1 * z.var(axis=0))
    assert stats.running_mean.shape == (3, 4) and list(stats.steps) == [0, 1, 2]


def test_running_statistics_converge_to_their_expectations():
    stats = running_statistics(mean=3.0, var=4.0, batch_size=4, steps=80, features=2000, rng=0)
    np.testing.assert_allclose(stats.running_mean.mean(axis=1), stats.expected(0.0, 3.0), atol=0.02)
    np.testing.assert_allclose(stats.running_var.mean(axis=1), stats.expected(1.0, 4.0), rtol=0.02)
    # the biased average settles at (m - 1) / m of the variance, 3 instead of 4
    np.testing.assert_allclose(stats.biased_var.mean(axis=1), stats.expected(1.0, 3.0), rtol=0.02)


def test_expected_closed_form():
    stats = RunningStatistics(0.0, 1.0, 2, 0.5, np.zeros((4, 1)), np.zeros((4, 1)), np.zeros((4, 1)))
    np.testing.assert_allclose(stats.expected(8.0, 0.0), [8.0, 4.0, 2.0, 1.0])


@pytest.mark.parametrize("kwargs, error, name", [({"batch_size": 1}, ValueError, "batch_size"),
                                                 ({"var": 0.0}, ValueError, "var"),
                                                 ({"momentum": 1.5}, ValueError, "momentum"),
                                                 ({"steps": 0}, ValueError, "steps")])
def test_running_statistics_bad_input(kwargs, error, name):
    with pytest.raises(error, match=name):
        running_statistics(**kwargs)


# -- train mode against eval mode -----------------------------------------------------------
def layer_with_statistics():
    bn = nn.BatchNorm1d(1)
    bn.running_mean[:], bn.running_var[:] = 3.0, 4.0
    bn.gamma.data[:], bn.beta.data[:] = 2.0, 0.5
    return bn


def test_modes_by_hand():
    bn = layer_with_statistics()
    batch = np.array([[1.0], [3.0], [8.0]])
    z_hat = (batch - batch.mean()) / np.sqrt(batch.var() + bn.eps)
    np.testing.assert_allclose(train_mode_output(bn, batch), 2.0 * z_hat + 0.5)
    np.testing.assert_allclose(eval_mode_output(bn, batch), 2.0 * (batch - 3.0) / np.sqrt(4.0 + bn.eps) + 0.5)
    assert bn.running_mean[0] == 3.0 and bn.running_var[0] == 4.0 and bn.training


def test_shifted_batch_changes_the_train_output_only():
    bn = layer_with_statistics()
    out = shifted_batch(bn, [5.0], [[1.0], [3.0], [5.0]], 10.0)
    assert out["train"].shape == out["eval"].shape == (2, 1)
    assert abs(out["train"][0, 0] - out["train"][1, 0]) > 1.0
    assert out["eval"][0, 0] == out["eval"][1, 0]
    with pytest.raises(ValueError, match="others"):
        shifted_batch(bn, [5.0], [1.0, 3.0], 1.0)


def test_batch_of_one():
    bn = layer_with_statistics()
    result = batch_of_one(bn, [5.0], copies=3)
    assert "at least 2 examples" in result["train_error"]
    np.testing.assert_array_equal(result["copies"], [[0.5]] * 3)  # x_hat = 0, so the output is beta
    assert result["eval"][0] == pytest.approx(2.0 * (5.0 - 3.0) / math.sqrt(4.0 + bn.eps) + 0.5)
    with pytest.raises(ValueError, match="copies"):
        batch_of_one(bn, [5.0], copies=1)


def test_batch_dependence_on_a_layer_whose_eval_mode_is_the_identity():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 50)
    X = np.where(y[:, None] == np.array([0, 1]), 2.0, 0.0) + 0.3 * rng.standard_normal((100, 2))
    model = nn.Sequential(nn.BatchNorm1d(2))
    model[0].running_var[:] = 1.0 - model[0].eps  # eval mode: the output is the input
    result = batch_dependence(model, X, y)
    assert result["eval"] == 1.0 and result["train_mixed"] == 1.0
    assert result["train_by_class"] < 0.8  # one class per batch: both columns standardized, the cue is gone
    np.testing.assert_array_equal(model[0].running_mean, 0.0)


def test_bias_redundancy():
    result = bias_redundancy()
    assert result["grad_W"] > 1e-2
    assert result["grad_b"] < 1e-12 * result["grad_W"]
    assert result["output_change"] < 1e-12


# -- the gradient ------------------------------------------------------------------------------
def forward_by_hand(z, gamma, beta, eps):
    mu = z.mean(axis=0)
    return gamma * (z - mu) / np.sqrt(((z - mu) ** 2).mean(axis=0) + eps) + beta


@settings(max_examples=25, deadline=None)
@given(m=st.integers(2, 7), features=st.integers(1, 3), seed=st.integers(0, 10_000))
def test_normalization_gradients_against_centred_differences(m, features, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((m, features)) * rng.uniform(0.5, 3.0) + rng.standard_normal()
    gamma, beta, upstream = rng.uniform(0.5, 2, features), rng.standard_normal(features), rng.standard_normal((m, features))
    grads = normalization_gradients(z, gamma, upstream, 1e-5)
    numerical = numerical_gradient(lambda: np.sum(upstream * forward_by_hand(z, gamma, beta, 1e-5)), z)
    np.testing.assert_allclose(grads["z"], numerical, rtol=1e-5, atol=1e-8)  # m = 2 leaves almost no gradient
    np.testing.assert_allclose(grads["z_compact"], grads["z"], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(grads["z_hat"], gamma * upstream)
    g = numerical_gradient(lambda: np.sum(upstream * forward_by_hand(z, gamma, beta, 1e-5)), gamma)
    np.testing.assert_allclose(grads["gamma"], g, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(grads["beta"], upstream.sum(axis=0))


def test_normalization_gradients_of_the_mean_lose_their_second_term():
    """sum_i (z_i - mu) = 0, so dL/dmu is -sum_i dL/dz_hat_i / sqrt(var + eps) alone."""
    rng = np.random.default_rng(1)
    z, up = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    grads = normalization_gradients(z, np.ones(2), up, 1e-5)
    np.testing.assert_allclose(grads["mean"], -up.sum(axis=0) / np.sqrt(z.var(axis=0) + 1e-5))


@pytest.mark.parametrize("z, up, name", [(np.ones((1, 2)), np.ones((1, 2)), "z"),
                                         (np.ones((3, 2)), np.ones((3, 1)), "grad_out")])
def test_normalization_gradients_bad_input(z, up, name):
    with pytest.raises(ValueError, match=name):
        normalization_gradients(z, np.ones(2), up)


def test_gradient_checks_all_agree():
    errors = gradient_checks()
    assert set(errors) >= {"steps_vs_backward", "compact_vs_backward", "backward_vs_numerical", "eval_vs_numerical"}
    assert max(errors.values()) < 1e-7
