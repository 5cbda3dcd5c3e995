"""Tests of dlnotes.book.plot.ch03_optimization (Chapter 3): each figure's lines, labels and legend."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlnotes.book.experiments.ch03_optimization import GradientSpread, LearningRateSweep, ShufflingComparison
from dlnotes.book.plot import new_figure, readable_log_axis, style
from dlnotes.book.plot.ch03_optimization import (
    PURE_OPTIMIZATION_TOLERANCE,
    display_loss,
    off_scale_points,
    plot_early_stopping,
    plot_gradient_spread,
    plot_learning_rate_grid,
    plot_shuffling,
    plot_surrogate,
)
from dlnotes.train import History


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_display_loss_caps_non_finite_and_large_values():
    np.testing.assert_array_equal(display_loss([0.5, 3.0, np.inf, np.nan], 2.0), [0.5, 2.0, 2.0, 2.0])


def test_gradient_spread_figure():
    m = np.array([1, 4, 16])
    fig = plot_gradient_spread(GradientSpread(m, np.array([2.1, 0.9, 0.52]), 2 / np.sqrt(m), 2.0, np.zeros((3, 1))))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.lines) == 2 and len(legend_texts(ax)) == 2
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert ax.get_xlabel() and ax.get_ylabel()


def test_learning_rate_grid_one_line_per_rate_and_a_colorbar():
    sweep = LearningRateSweep(np.array([0.01, 0.1, 1.0]), np.array([[1.0, 0.9], [1.0, 0.5], [1.0, np.inf]]))
    fig = plot_learning_rate_grid(sweep)
    ax = fig.axes[0]
    cap, *drawn = ax.lines  # the cap, then each rate's curve and its off-scale markers
    assert list(cap.get_ydata()) == [2.0, 2.0] and cap.get_linestyle() == "--"
    curves, markers = drawn[0::2], drawn[1::2]
    assert len(curves) == 3
    assert curves[2].get_ydata()[-1] == 2.0  # the diverged run is drawn at twice the initial loss
    assert [len(m.get_xdata()) for m in markers] == [0, 0, 1] and list(markers[2].get_ydata()) == [2.0]
    assert legend_texts(ax) == ["off scale: ≥ 2× start"]
    assert len(fig.axes) == 2  # the colorbar


def test_off_scale_points_by_hand():
    epochs, heights = off_scale_points([1.0, 2.0, 2.5, np.inf, np.nan, 0.1], 2.0)
    assert list(epochs) == [2, 3, 4] and list(heights) == [2.0, 2.0, 2.0]


def test_shuffling_figure():
    fig = plot_shuffling(ShufflingComparison(shuffled=np.array([1.0, 0.5]), sorted=np.array([1.0, 1.2])))
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    assert legend_texts(ax) == ["shuffled minibatches", "sorted minibatches"]
    # both runs are SGD: SGD's look and a neutral one, not another optimizer's colour
    assert ax.lines[0].get_color() == style("sgd")["color"] and ax.lines[1].get_color() == style("neutral_alt")["color"]


@pytest.mark.parametrize("low, high, labelled", [(0.7, 1.8, [0.7, 1.0, 1.5]), (0.2, 1.5, [0.2, 0.3, 0.5, 0.7, 1.0, 1.5]),
                                                 (0.01, 2.0, [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0])])
def test_readable_log_axis_labels_short_ranges(low, high, labelled):
    fig, ax = new_figure()
    ax.plot([0, 1], [low, high])
    ax.set(yscale="log", ylim=(low, high))
    readable_log_axis(ax.yaxis)
    ticks = [t for t in ax.get_yticks() if low * (1 - 1e-9) <= t <= high * (1 + 1e-9)]  # a tick may be 1 ulp off
    np.testing.assert_allclose(ticks, labelled)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert len(labels) >= len(labelled)  # plain numbers, not 10^k
    assert not any("$" in label or "e" in label for label in labels)


def make_history():
    h = History()
    h.train_loss[:] = [1.0, 0.6, 0.4, 0.3, 0.2]
    h.val_loss[:] = [1.0, 0.7, 0.6, 0.65, 0.7]
    h.grad_norm[:] = [2.0, 1.0, 0.8, 0.7, 0.6]
    h.train_metric[:] = [0.5, 0.8, 1.0, 1.0, 1.0]
    h.best_epoch, h.stopped_epoch = 3, 5
    return h


def test_early_stopping_figure_marks_the_stop_and_the_gradient_norm():
    fig = plot_early_stopping(make_history())
    ax, gax = fig.axes
    assert legend_texts(ax) == ["training", "validation", "best epoch 3", "stopped at 5"]
    assert ax.lines[0].get_color() == style("train")["color"]
    (marker,) = [line for line in gax.lines if line.get_marker() == "o"]
    assert list(marker.get_xdata()) == [3] and list(marker.get_ydata()) == [0.8]
    assert any("0.8 at the best epoch" in t.get_text() and "weights returned" in t.get_text() for t in gax.texts)
    (tolerance,) = [line for line in gax.lines if list(line.get_ydata()) == [PURE_OPTIMIZATION_TOLERANCE] * 2]
    assert "tolerance" in tolerance.get_label()
    (best,) = [line for line in gax.lines if line.get_label() == "best epoch 3"]
    assert tolerance.get_linestyle() != best.get_linestyle()  # the two reference lines look different


def test_surrogate_figure():
    fig = plot_surrogate(make_history())
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.5, 0.2, 0.0, 0.0, 0.0])
    assert len(legend_texts(ax)) == 2


@pytest.mark.parametrize("fn", [plot_surrogate, plot_early_stopping])
def test_history_figures_have_labelled_axes(fn):
    for ax in fn(make_history()).axes:
        assert ax.get_xlabel() == "epoch" and ax.get_ylabel()
