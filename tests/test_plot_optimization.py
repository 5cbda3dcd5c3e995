"""Tests of dlnotes.book.plot.ch03_optimization (Chapter 3): each figure's lines, labels and legend."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlnotes.book.experiments.ch03_optimization import (GradientSpread, LearningRateSweep, ShufflingComparison,
                                                        classify_learning_curves)
from dlnotes.book.plot import new_figure, readable_log_axis, style
from dlnotes.book.plot.ch03_optimization import (
    PURE_OPTIMIZATION_TOLERANCE,
    display_loss,
    off_scale_points,
    plot_early_stopping,
    plot_gradient_spread,
    plot_learning_rate_grid,
    plot_schedules,
    representative_rates,
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


def test_learning_rate_grid_one_line_per_rate_a_few_highlighted():
    sweep = LearningRateSweep(np.array([0.01, 0.1, 1.0]), np.array([[1.0, 0.9], [1.0, 0.5], [1.0, np.inf]]))
    fig = plot_learning_rate_grid(sweep)
    ax = fig.axes[0]
    cap, *drawn, other = ax.lines  # the cap, each rate's curve and its off-scale markers, the legend's "other rates"
    assert list(cap.get_ydata()) == [2.0, 2.0] and cap.get_linestyle() == "--"
    curves, markers = drawn[0::2], drawn[1::2]
    assert len(curves) == 3
    assert curves[2].get_ydata()[-1] == 2.0  # the diverged run is drawn at twice the initial loss
    assert [len(m.get_xdata()) for m in markers] == [0, 0, 1] and list(markers[2].get_ydata()) == [2.0]
    assert legend_texts(ax)[0] == "off scale: ≥ 2× start"
    # one rate per verdict in colour: 0.01 and 0.1 both end below the start (0.1 best, 0.01 slow), 1.0 diverged
    assert legend_texts(ax)[1:] == ["ε = 0.01 (slow)", "ε = 0.1 (good)", "ε = 1 (diverging)", "the other rates"]
    assert len({c.get_color() for c in curves}) == 3
    assert len(fig.axes) == 1  # no colour map: the highlighted rates are named in the legend
    assert all(t.get_fontsize() >= 9 for t in ax.get_legend().get_texts())


def test_learning_rate_grid_greys_the_rates_not_highlighted():
    sweep = LearningRateSweep(np.array([0.01, 0.1, 1.0]), np.array([[1.0, 0.9], [1.0, 0.5], [1.0, 0.4]]))
    fig = plot_learning_rate_grid(sweep, highlight=[1])
    curves = fig.axes[0].lines[1:-1:2]
    assert [c.get_color() for c in curves][0::2] == ["0.8", "0.8"] and curves[1].get_color() != "0.8"
    assert legend_texts(fig.axes[0])[1:] == ["ε = 0.1 (good)", "the other rates"]


def test_representative_rates_one_per_verdict():
    # slow (0.01, 0.03: both far above the best), good (0.1 ends lowest, 0.3 too), oscillating (1), diverging (3, 10)
    loss = np.array([
        [1.0, 0.99, 0.98, 0.97, 0.96],
        [1.0, 0.95, 0.93, 0.92, 0.91],
        [1.0, 0.5, 0.3, 0.2, 0.1],
        [1.0, 0.5, 0.3, 0.2, 0.15],
        [1.0, 0.3, 0.2, 0.5, 0.2],
        [1.0, 2.0, 3.0, 4.0, 5.0],
        [1.0, 20.0, np.inf, np.inf, np.inf],
    ])
    lrs = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
    assert classify_learning_curves(loss) == ["slow", "slow", "good", "good", "oscillating", "diverging", "diverging"]
    assert representative_rates(lrs, loss) == [0, 2, 4, 5]
    assert representative_rates(lrs[::-1], loss[::-1]) == [6, 4, 2, 1]  # in increasing rate, whatever the order


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


def test_plot_schedules_one_line_per_schedule_in_both_panels():
    schedules = {"constant": lambda t: 1.0, "halved": lambda t: np.where(t < 2, 1.0, 0.5)}
    curves = {"constant": np.array([1.0, 0.8, 0.7]), "halved": np.array([1.0, 0.8, 0.5])}
    fig = plot_schedules(schedules, curves, total=4)
    rate_ax, loss_ax = fig.axes
    assert [list(line.get_ydata()) for line in rate_ax.lines] == [[1.0] * 4, [1.0, 1.0, 0.5, 0.5]]
    assert [list(line.get_ydata()) for line in loss_ax.lines] == [[1.0, 0.8, 0.7], [1.0, 0.8, 0.5]]
    assert [a.get_color() for a in rate_ax.lines] == [b.get_color() for b in loss_ax.lines]
    assert rate_ax.lines[0].get_color() != rate_ax.lines[1].get_color()
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["constant", "halved"]
    assert loss_ax.get_yscale() == "log" and rate_ax.get_ylim()[0] == 0
