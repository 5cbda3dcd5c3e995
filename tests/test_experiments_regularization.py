"""Tests of dlnotes.book.experiments.ch08_regularization (Chapter 8): closed forms, the library as reference, bad input."""

import numpy as np
import pytest

from dlnotes import nn
from dlnotes.book.experiments import mlp
from dlnotes.book.experiments.ch08_regularization import (
    DistanceFromStart,
    L1Penalty,
    dropout_average,
    dropout_mlp,
    mesh,
    probability_map,
    regularization_grid,
    weight_matrices,
    weight_sparsity,
)
from dlnotes.data import make_moons
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD, Adam
from dlnotes.train import fit, predict


def small_data(n_train=12, n_val=20):
    X, y = make_moons(n_train, noise=0.3, rng=1)
    X_val, y_val = make_moons(n_val, noise=0.3, rng=2)
    return X, y, X_val, y_val


# -- dropout_mlp -----------------------------------------------------------------------
def test_dropout_mlp_layers_and_weights_of_mlp():
    net = dropout_mlp([2, 5, 4, 3], 0.3, rng=0)
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"]
    assert all(m.p == 0.3 for m in net if isinstance(m, nn.Dropout))
    plain = mlp([2, 5, 4, 3], "relu", rng=0)
    assert all(np.array_equal(a.data, b.data) for a, b in zip(net.parameters(), plain.parameters()))


def test_dropout_mlp_masks_come_from_the_same_generator():
    a, b = dropout_mlp([2, 6, 2], 0.5, rng=3), dropout_mlp([2, 6, 2], 0.5, rng=3)
    x = np.ones((4, 2))
    np.testing.assert_array_equal(a(x), b(x))
    assert not np.array_equal(a(x), a(x))  # a new mask at every training-mode forward


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_mlp_bad_p(p):
    with pytest.raises(ValueError, match="p"):
        dropout_mlp([2, 3, 2], p)


# -- L1Penalty ---------------------------------------------------------------------------
def test_l1_step_closed_form():
    # theta <- theta - lr (g + l1 sign(theta)), sign(0) = 0
    p = nn.Parameter(np.array([2.0, -1.0, 0.0, 0.5]))
    p.grad = np.array([0.1, 0.2, 0.0, -0.3])
    L1Penalty(SGD([p], lr=0.5), l1=0.4).step()
    np.testing.assert_allclose(p.data, [2.0 - 0.5 * 0.5, -1.0 - 0.5 * (0.2 - 0.4), 0.0, 0.5 - 0.5 * (-0.3 + 0.4)])


def test_l1_term_is_the_gradient_of_the_penalty_away_from_zero():
    """Centred differences of l1 * sum|theta| (float64) give the term L1Penalty adds."""
    rng = np.random.default_rng(0)
    theta = rng.normal(size=7)
    theta[np.abs(theta) < 0.1] += 0.5
    l1, h = 0.3, 1e-6
    numeric = [(l1 * np.abs(theta + h * e).sum() - l1 * np.abs(theta - h * e).sum()) / (2 * h) for e in np.eye(7)]
    p = nn.Parameter(theta.copy())
    p.grad = np.zeros(7)
    L1Penalty(SGD([p], lr=1.0), l1=l1).step()  # lr 1: theta moves by exactly the added term
    np.testing.assert_allclose(theta - p.data, numeric, rtol=1e-6)


def test_l1_zero_is_the_wrapped_optimizer_and_weight_decay_still_applies():
    a, b = nn.Parameter(np.array([1.0, -2.0])), nn.Parameter(np.array([1.0, -2.0]))
    for p in (a, b):
        p.grad = np.array([0.5, 0.5])
    L1Penalty(SGD([a], lr=0.1, weight_decay=0.2), l1=0.0).step()
    SGD([b], lr=0.1, weight_decay=0.2).step()
    np.testing.assert_array_equal(a.data, b.data)


def test_l1_zero_grad_and_fit():
    net = mlp([2, 4, 2], "relu", rng=0)
    opt = L1Penalty(Adam(net.parameters(), lr=0.01), l1=1e-3)
    X, y, _, _ = small_data()
    history = fit(net, CrossEntropyLoss(), opt, X, y, epochs=3, batch_size=6, rng=0)
    assert len(history.train_loss) == 3
    opt.zero_grad()
    assert all(np.all(p.grad == 0) for p in net.parameters())
    assert "l1=0.001" in repr(opt)


def test_l1_bad_input():
    with pytest.raises(TypeError, match="optimizer"):
        L1Penalty(object(), l1=0.1)
    with pytest.raises(ValueError, match="l1"):
        L1Penalty(SGD([nn.Parameter(np.ones(1))], lr=0.1), l1=-1.0)


def test_l1_subgradient_steps_hover_around_zero():
    """With no loss gradient, each step moves a weight by lr * l1 towards 0: it crosses 0 and then flips sign."""
    p = nn.Parameter(np.array([0.0537, -0.031]))
    opt = L1Penalty(SGD([p], lr=0.1), l1=0.02)  # a step of 0.002
    path = []
    for _ in range(100):
        p.grad = np.zeros(2)
        opt.step()
        path.append(p.data.copy())
    path = np.array(path)
    np.testing.assert_allclose(path[:5, 0], 0.0537 - 0.002 * np.arange(1, 6))
    late = path[50:]
    assert np.all(np.abs(late) < 0.002) and np.all(late != 0)
    assert np.all(np.sign(late[1:]) == -np.sign(late[:-1]))


# -- DistanceFromStart, weight_matrices, weight_sparsity ------------------------------------------
def test_distance_from_start_matches_the_parameters():
    X, y, _, _ = small_data()
    net = mlp([2, 4, 2], "relu", rng=0)
    start = np.concatenate([p.data.ravel().copy() for p in net.parameters()])
    moved = DistanceFromStart()
    fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.1), X, y, epochs=4, batch_size=12, callbacks=[moved])
    end = np.concatenate([p.data.ravel() for p in net.parameters()])
    assert len(moved.distances) == 4
    assert moved.distances[-1] == pytest.approx(np.linalg.norm(end - start))
    assert moved.distances[0] > 0


def test_weight_matrices_leave_out_the_biases():
    net = mlp([2, 5, 3], "relu", rng=0)
    w = weight_matrices(net)
    assert w.shape == (2 * 5 + 5 * 3,)
    np.testing.assert_array_equal(w[:10], net[0].W.data.ravel())


def test_weight_sparsity_by_hand():
    assert weight_sparsity([0.0, 1e-4, -5e-4, 0.1], threshold=1e-3) == 0.75
    assert weight_sparsity(np.array([[1.0, -2.0]]), threshold=1e-3) == 0.0


@pytest.mark.parametrize(("weights", "threshold", "match"), [([], 1e-3, "weights"), ([1.0], 0.0, "threshold"),
                                                              ([1.0], -1.0, "threshold")])
def test_weight_sparsity_bad_input(weights, threshold, match):
    with pytest.raises(ValueError, match=match):
        weight_sparsity(weights, threshold)


# -- dropout_average ---------------------------------------------------------------------------------
def test_dropout_average_keeps_the_expectation():
    h = np.array([0.0, 0.5, 1.0, 2.0, 4.0])
    avg = dropout_average(h, p=0.3, n_masks=40_000, rng=0)
    # each mean is off by about h_j sqrt(p / ((1 - p) N)) ~ 0.0033 h_j; 5 standard errors
    tol = 5 * h * np.sqrt(0.3 / (0.7 * 40_000))
    assert np.all(np.abs(avg.inverted - h) <= tol)
    assert np.all(np.abs(avg.unscaled - 0.7 * h) <= 0.7 * tol)
    assert avg.inverted[0] == 0.0 and avg.counts[-1] == 40_000


def test_dropout_average_error_follows_the_prediction():
    rng = np.random.default_rng(5)
    h = rng.exponential(size=64)
    avg = dropout_average(h, p=0.5, n_masks=20_000, rng=1)
    np.testing.assert_allclose(avg.predicted, np.sqrt(1.0 / avg.counts))  # p / (1 - p) = 1
    ratio = avg.error[avg.counts >= 100] / avg.predicted[avg.counts >= 100]
    assert np.all((ratio > 0.6) & (ratio < 1.5))
    assert np.all(np.diff(avg.counts) > 0)


def test_dropout_average_without_dropping_is_exact():
    h = np.array([1.0, 2.0, 3.0])
    avg = dropout_average(h, p=0.0, n_masks=50, rng=0)
    np.testing.assert_array_equal(avg.inverted, h)
    np.testing.assert_array_equal(avg.error, 0.0)


@pytest.mark.parametrize(("h", "p", "n", "match"), [
    (np.zeros(3), 0.5, 10, "h"), (np.ones((2, 2)), 0.5, 10, "h"), (np.ones(3), 1.0, 10, "p"),
    (np.ones(3), 0.5, 0, "n_masks"),
])
def test_dropout_average_bad_input(h, p, n, match):
    with pytest.raises(ValueError, match=match):
        dropout_average(h, p, n)


# -- mesh and probability_map ---------------------------------------------------------------------
def test_mesh_covers_the_data_with_a_margin():
    grid_x, grid_y, points = mesh(np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([[-1.0, 2.0]]), resolution=5,
                                  margin=0.5)
    np.testing.assert_allclose(grid_x, np.linspace(-1.5, 2.5, 5))
    np.testing.assert_allclose(grid_y, np.linspace(0.5, 3.5, 5))
    assert points.shape == (25, 2)
    np.testing.assert_array_equal(points[1 * 5 + 3], [grid_x[3], grid_y[1]])  # row i * G + j is (x_j, y_i)


@pytest.mark.parametrize(("args", "kwargs", "error"), [
    ((np.ones((3, 3)),), {}, ValueError), ((), {}, TypeError), ((np.ones((3, 2)),), {"resolution": 1}, ValueError),
    ((np.ones((3, 2)),), {"margin": -1.0}, ValueError),
])
def test_mesh_bad_input(args, kwargs, error):
    with pytest.raises(error):
        mesh(*args, **kwargs)


def test_probability_map_is_the_softmax_of_the_network():
    net = mlp([2, 4, 2], "relu", rng=0)
    grid_x, grid_y = np.linspace(-1, 1, 4), np.linspace(0, 2, 3)
    prob = probability_map(net, grid_x, grid_y)
    assert prob.shape == (3, 4)
    logits = predict(net, np.array([[grid_x[2], grid_y[1]]]))[0]
    assert prob[1, 2] == pytest.approx(np.exp(logits[1]) / np.exp(logits).sum())


def test_probability_map_needs_two_classes():
    with pytest.raises(ValueError, match="two logits"):
        probability_map(mlp([2, 3, 3], rng=0), np.zeros(2), np.zeros(2))


# -- regularization_grid ---------------------------------------------------------------------------
@pytest.mark.parametrize(("i", "j"), [(0, 0), (1, 1), (1, 2)])
def test_each_pair_of_the_grid_is_fit_with_dropout_mlp_and_sgd(i, j):
    """The stacked training reproduces fit, step for step, for dropout and weight decay alike."""
    X, y, X_val, y_val = small_data()
    dropouts, decays = [0.0, 0.4], [0.0, 1e-2, 0.1]
    grid = regularization_grid(X, y, X_val, y_val, dropouts, decays, sizes=(2, 6, 5, 2), lr=0.2, epochs=30,
                               record_every=1, rng=4, resolution=8)
    net = dropout_mlp([2, 6, 5, 2], dropouts[i], rng=4)
    history = fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.2, momentum=0.9, weight_decay=decays[j]),
                  X, y, epochs=30, batch_size=len(X), shuffle=False, validation_data=(X_val, y_val))
    np.testing.assert_allclose(grid.val_loss[i, j, 1:], history.val_loss, rtol=1e-9, atol=1e-12)
    net.eval()
    np.testing.assert_allclose(grid.train_loss[i, j, -1], CrossEntropyLoss()(net(X), y), rtol=1e-9)
    probability = probability_map(net, grid.grid_x, grid.grid_y)
    np.testing.assert_allclose(grid.probability[i, j], probability, rtol=1e-8, atol=1e-12)
    predicted = np.argmax(predict(net, X_val), axis=1)
    assert grid.val_accuracy[i, j] == pytest.approx(np.mean(predicted == y_val))


def test_grid_shapes_records_and_gap():
    X, y, X_val, y_val = small_data()
    grid = regularization_grid(X, y, X_val, y_val, [0.0, 0.2, 0.5], [0.0, 1e-3], sizes=(2, 4, 2), epochs=25,
                               record_every=10, resolution=7)
    np.testing.assert_array_equal(grid.epochs, [0, 10, 20, 25])
    assert grid.train_loss.shape == grid.val_loss.shape == (3, 2, 4)
    assert grid.probability.shape == (3, 2, 7, 7)
    assert np.all((grid.probability >= 0) & (grid.probability <= 1))
    np.testing.assert_allclose(grid.gap, grid.val_loss[..., -1] - grid.train_loss[..., -1])
    # every pair starts from the same weights
    np.testing.assert_allclose(grid.train_loss[..., 0], grid.train_loss[0, 0, 0])


def test_a_pair_does_not_depend_on_the_rest_of_the_grid():
    """All pairs share the mask draws, so a pair's result is the same in any grid that holds it."""
    X, y, X_val, y_val = small_data()
    common = dict(sizes=(2, 4, 2), epochs=15, resolution=5, rng=7)
    alone = regularization_grid(X, y, X_val, y_val, [0.3], [1e-2], **common)
    among = regularization_grid(X, y, X_val, y_val, [0.0, 0.3], [0.0, 1e-2], **common)
    np.testing.assert_allclose(among.val_loss[1, 1], alone.val_loss[0, 0], rtol=1e-10)


@pytest.mark.parametrize(("change", "match"), [
    ({"dropouts": [1.0]}, "dropouts"), ({"weight_decays": [-1.0]}, "weight_decays"), ({"dropouts": []}, "dropouts"),
    ({"lr": 0.0}, "lr"), ({"epochs": 0}, "epochs"), ({"record_every": 0}, "record_every"),
    ({"y": np.zeros(3)}, "y"), ({"y_val": np.full(20, 2)}, "y_val"), ({"y": np.full(12, 0.5)}, "y"),
    ({"X_val": np.zeros((20, 3))}, "X_val"), ({"sizes": (2, 0, 2)}, "sizes"),
])
def test_grid_bad_input(change, match):
    X, y, X_val, y_val = small_data()
    args = dict(X=X, y=y, X_val=X_val, y_val=y_val, dropouts=[0.0], weight_decays=[0.0], epochs=2)
    args.update(change)
    with pytest.raises(ValueError, match=match):
        regularization_grid(**args)
