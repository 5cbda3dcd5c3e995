"""Tests of dlnotes.book.plot.ch08_regularization (Chapter 8): each figure's lines, labels and legend."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlnotes.book.experiments.ch08_regularization import DropoutAverage
from dlnotes.book.plot import new_figure
from dlnotes.book.plot.ch08_regularization import (
    CLASS_LOOKS,
    PROBABILITY_LEVELS,
    boundary_line,
    draw_boundary,
    plot_boundary,
    plot_dropout_average,
    plot_early_stopping_gap,
    plot_regularization_states,
    plot_weight_histograms,
)
from dlnotes.book.experiments.ch08_regularization import regularization_grid
from dlnotes.data import make_moons
from dlnotes.train import History


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def logistic_field(offset=0.3):
    """P(y = 1 | x) = sigmoid(4 (x_1 - offset)): the boundary is the vertical line x_1 = offset."""
    grid_x, grid_y = np.linspace(-1, 1, 41), np.linspace(-1, 1, 21)
    return grid_x, grid_y, 1 / (1 + np.exp(-4 * (grid_x[None, :] - offset))) * np.ones((21, 1))


def test_boundary_line_of_a_straight_boundary():
    x, y = boundary_line(*logistic_field(0.3))
    assert len(x) == 21
    np.testing.assert_allclose(x, 0.3, atol=1e-9)
    np.testing.assert_allclose(np.sort(y), np.linspace(-1, 1, 21))


def test_boundary_line_joins_pieces_with_nan_and_is_empty_without_a_boundary():
    grid_x, grid_y = np.linspace(-1, 1, 41), np.linspace(-1, 1, 11)
    two = np.where(np.abs(grid_x[None, :]) > 0.5, 0.9, 0.1) * np.ones((11, 1))  # boundaries at |x_1| = 0.5
    x, y = boundary_line(grid_x, grid_y, two)
    assert np.sum(np.isnan(x)) == 1 and np.sum(np.isnan(y)) == 1
    finite = x[np.isfinite(x)]
    assert np.all(np.isclose(np.abs(finite), 0.5, atol=0.03))
    assert np.all(finite[:11] * finite[-1] < 0)  # one piece on each side
    empty = boundary_line(grid_x, grid_y, np.full((11, 41), 0.8))
    assert empty[0].size == empty[1].size == 0


def test_draw_boundary_draws_the_map_the_line_and_the_points():
    grid_x, grid_y, prob = logistic_field()
    X_train, y_train = np.array([[0.0, 0.0], [0.5, 0.5], [-0.5, 0.2]]), np.array([0, 1, 0])
    X_val, y_val = np.array([[0.1, 0.1]]), np.array([1])
    fig, ax = new_figure()
    image, line, points = draw_boundary(ax, grid_x, grid_y, prob, X_train, y_train, X_val, y_val)
    np.testing.assert_array_equal(image.get_array(), prob)
    assert list(image.norm.boundaries) == list(PROBABILITY_LEVELS)
    np.testing.assert_allclose(line.get_xdata(), 0.3, atol=1e-9)
    # per class: the validation points (hollow), then the training points
    assert [len(p.get_xdata()) for p in points] == [0, 2, 1, 1]
    assert points[1].get_marker() == CLASS_LOOKS[0]["marker"] and points[3].get_marker() == CLASS_LOOKS[1]["marker"]
    assert points[2].get_markerfacecolor() == "none"
    assert ax.get_xlim() == (-1.0, 1.0)


def test_plot_boundary_legend_and_title():
    grid_x, grid_y, prob = logistic_field()
    fig = plot_boundary(grid_x, grid_y, prob, np.zeros((2, 2)), np.array([0, 1]), title="after epoch 300")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert legend_texts(ax) == ["boundary", "class 0", "class 1"]
    assert ax.get_legend().get_title().get_text() == "after epoch 300"
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    bar = fig.axes[1]  # the colour bar gives the probability bands
    assert "probability of class 1" in bar.get_ylabel()
    np.testing.assert_allclose(bar.get_yticks(), PROBABILITY_LEVELS)


@pytest.fixture(scope="module")
def small_grid():
    X, y = make_moons(16, noise=0.3, rng=1)
    X_val, y_val = make_moons(20, noise=0.3, rng=2)
    return regularization_grid(X, y, X_val, y_val, [0.0, 0.5], [0.0, 0.1], sizes=(2, 8, 2), lr=0.3, epochs=20,
                               record_every=5, resolution=12, rng=0)


def test_regularization_states_draw_the_stored_pairs(small_grid):
    g = small_grid
    fig = plot_regularization_states(g, [(0.5, 0.0), (0.0, 0.1)])
    assert [ax.get_title() for ax in fig.axes[:2]] == ["$p_\\mathrm{drop}$ = 0.5, λ = 0", "$p_\\mathrm{drop}$ = 0, λ = 0.1"]
    for (i, j), ax, cax in zip([(1, 0), (0, 1)], fig.axes[:2], fig.axes[2:]):
        np.testing.assert_array_equal(ax.images[0].get_array(), g.probability[i, j])
        np.testing.assert_array_equal(cax.lines[0].get_ydata(), g.train_loss[i, j])
        np.testing.assert_array_equal(cax.lines[1].get_ydata(), g.val_loss[i, j])
        assert f"gap {g.gap[i, j]:.3f}" in cax.get_title()


def test_regularization_states_reject_a_pair_off_the_grid(small_grid):
    with pytest.raises(ValueError, match=r"states must hold pairs of the grid's values, got \(0.25, 0.0\)"):
        plot_regularization_states(small_grid, [(0.25, 0.0)])


def test_weight_histograms_give_the_share_below_the_threshold():
    weights = {"none": np.array([0.1, 0.2, 0.3, 0.5]), "L2": np.array([0.05, 0.1, 0.2, 0.3]),
               "L1": np.array([1e-5, -2e-4, 3e-4, 0.4])}
    fig = plot_weight_histograms(weights, threshold=1e-3)
    ax = fig.axes[0]
    assert legend_texts(ax) == ["none: 0% below τ", "L2: 0% below τ", "L1: 75% below τ", "τ = 0.001"]
    assert len(ax.patches) == 3  # one step histogram per regularizer
    assert ax.lines[0].get_xdata()[0] == pytest.approx(-3.0)
    counts = [np.sum(np.diff(p.get_xy()[:, 1]) != 0) for p in ax.patches]
    assert all(c > 0 for c in counts)


def test_early_stopping_gap_marks_both_epochs():
    history = History()
    for t in range(1, 21):
        history.record({"train_loss": 1.0 / t, "val_loss": 0.5 + 0.02 * (t - 8) ** 2 / 8})
    distances = list(np.sqrt(np.arange(1, 21)))
    fig = plot_early_stopping_gap(history, {8: (0.12, 0.5), 20: (0.05, 0.86)}, distances, distances[:10], "L2")
    ax, dax = fig.axes
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["gap 0.38\nat epoch 8", "gap 0.81\nat epoch 20"]
    bars = ax.collections
    assert len(bars) == 2
    np.testing.assert_allclose(bars[0].get_segments()[0], [[8, 0.12], [8, 0.5]])
    assert "best epoch $t^\\star$ = 8" in legend_texts(ax)
    assert legend_texts(dax) == ["no penalty", "L2", f"early stopping: {np.sqrt(8):.1f}"]
    np.testing.assert_allclose(dax.lines[0].get_ydata(), distances)


def test_dropout_average_figure():
    h = np.array([0.0, 1.0, 2.0])
    avg = DropoutAverage(0.25, h, h * 1.01, 0.75 * h, np.array([1, 10, 100]), np.array([0.6, 0.2, 0.06]),
                         np.sqrt(1 / 3 / np.array([1, 10, 100])))
    fig = plot_dropout_average(avg)
    ax, eax = fig.axes
    assert "$\\bar h_N = 0.75\\,h$" in legend_texts(ax)
    np.testing.assert_allclose(ax.lines[2].get_ydata(), avg.inverted)
    np.testing.assert_allclose(ax.lines[3].get_ydata(), avg.unscaled)
    assert ax.get_ylabel() == "mean $\\bar h_N$ over 100 masks"
    assert eax.get_xscale() == eax.get_yscale() == "log"
    np.testing.assert_allclose(eax.lines[1].get_ydata(), avg.error)
