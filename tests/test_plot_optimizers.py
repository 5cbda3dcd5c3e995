"""Tests of dlnotes.book.plot.ch04_optimizers (Chapter 4): contours, paths, step sizes and loss curves."""

import numpy as np
import pytest

from dlnotes.book.experiments.ch04_optimizers import AdamFirstSteps
from dlnotes.book.plot import style
from dlnotes.book.plot.ch04_optimizers import (
    LOG_FLOOR,
    contour_levels,
    WINDOWS,
    draw_surface,
    excess,
    look,
    path_in_window,
    path_look,
    plot_adam_first_steps,
    plot_effective_rates,
    plot_loss_curves,
    plot_paths,
    window,
)
from dlnotes.book.plot import new_figure
from dlnotes.surfaces import SURFACES, Quadratic, Saddle, make_surface


def legend_texts(legend):
    return [t.get_text() for t in legend.get_texts()]


def test_contour_levels_are_geometric_over_positive_values():
    Z = np.array([[0.0, 1.0], [10.0, 100.0]])
    levels = contour_levels(Z, n=3)
    assert levels[-1] == pytest.approx(100.0)
    assert levels[1] ** 2 == pytest.approx(levels[0] * levels[2])
    assert levels[0] > 0


def test_excess_is_floored_and_shifted_by_the_minimum():
    saddle = Saddle()
    # f(0, 1) = 1/4 - 1/2 = -1/4 = f*, so the excess is the floor; f(0, 0) = 0 is 1/4 above it
    np.testing.assert_allclose(excess(saddle, np.array([[0.0, 1.0], [0.0, 0.0]])), [LOG_FLOOR, 0.25])
    assert np.isnan(excess(Quadratic(), np.array([[np.nan, np.nan]]))[0])


@pytest.mark.parametrize("name", list(SURFACES))
def test_draw_surface_sets_the_window_and_marks_minima(name):
    surface = make_surface(name)
    _, ax = new_figure()
    contour, star, *saddle = draw_surface(ax, surface)
    assert (ax.get_xlim(), ax.get_ylim()) == WINDOWS[name] == window(surface)
    assert star.get_zorder() > 6  # above the paths' end marks
    assert len(star.get_xdata()) == len(surface.minima)
    assert contour in ax.collections
    assert ax.get_aspect() == 1.0  # every window is close enough to square for equal scales
    if name == "saddle":  # the saddle point (0, 0) is marked
        assert list(saddle[0].get_xdata()) == [0.0] and list(saddle[0].get_ydata()) == [0.0]
    else:
        assert saddle == []


def test_plot_paths_one_panel_per_surface_one_line_per_optimizer():
    surfaces = [Quadratic(), Saddle()]
    line = np.array([[0.0, 0.0], [1.0, 1.0]])
    paths = {s.name: {"SGD": line, "Adam": line} for s in surfaces}
    fig = plot_paths(surfaces, paths)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 2
    # the minima, two paths with an end dot each, and the start; the saddle panel also marks the saddle point
    assert [len(ax.lines) for ax in visible] == [6, 7]
    assert legend_texts(fig.legends[0]) == ["minimum", "SGD", "Adam", "start", "saddle point"]
    paths_drawn = [l for l in visible[0].lines if l.get_label() in ("SGD", "Adam")]
    assert paths_drawn[1].get_color() == style("adam")["color"]
    ends = [l for l in visible[0].lines if l.get_marker() == "o" and l.get_label().startswith("_")]
    assert all(list(l.get_xdata()) == [1.0] for l in ends) and len(ends) == 2


def test_windows_are_four_by_three_and_hold_the_surfaces():
    for name, ((xmin, xmax), (ymin, ymax)) in WINDOWS.items():
        assert (xmax - xmin) * 3 == pytest.approx((ymax - ymin) * 4)
        surface = make_surface(name)
        for x, y in (surface.start, *surface.minima):
            assert xmin <= x <= xmax and ymin <= y <= ymax


def test_path_in_window_cuts_a_diverged_path_where_it_leaves():
    bounds = ((-5.0, 5.0), (-4.5, 3.0))
    # from (-4, 2) towards (40, 2): leaves through x = 5 at (5, 2)
    points, end, diverged = path_in_window(np.array([[-4.0, 2.0], [40.0, 2.0], [np.nan, np.nan]]), bounds)
    assert diverged
    np.testing.assert_allclose(end, [5.0, 2.0])
    np.testing.assert_allclose(points, [[-4.0, 2.0], [5.0, 2.0]])
    # the escaping point comes from elsewhere: (-4, 2) + s (18, -10) reaches x = 5 at s = 1/2, y = -4.5 at s = 0.65
    lost = np.array([[-4.0, 2.0], [np.nan, np.nan]])
    points, end, diverged = path_in_window(lost, bounds, escape=np.array([14.0, -8.0]))
    np.testing.assert_allclose(end, [5.0, -3.0])
    assert diverged and len(points) == 2
    # without it the path ends at its last point
    assert path_in_window(lost, bounds)[1].tolist() == [-4.0, 2.0]
    # a path that stayed is drawn whole, even where it is outside the window
    stayed = np.array([[-4.0, 2.0], [40.0, 2.0]])
    points, end, diverged = path_in_window(stayed, bounds)
    assert not diverged and end.tolist() == [40.0, 2.0] and points.shape == (2, 2)


def test_diverged_path_ends_in_a_cross_on_the_edge():
    surface = Quadratic()
    path = np.array([[-4.0, 2.0], [-4.0, 2.5], [40.0, 2.5], [np.nan, np.nan]])
    fig = plot_paths([surface], {"quadratic": {"SGD": path}}, ncols=1)
    crosses = [l for l in fig.axes[0].lines if l.get_marker() == "X"]
    assert len(crosses) == 1 and list(crosses[0].get_xdata()) == [5.0] and list(crosses[0].get_ydata()) == [2.5]
    (drawn,) = [l for l in fig.axes[0].lines if l.get_label() == "SGD"]
    assert list(drawn.get_xdata()) == [-4.0, -4.0, 5.0]


def test_sgd_path_is_thin_and_beneath():
    sgd, adam = path_look("SGD"), path_look("Adam")
    assert sgd["linewidth"] < adam["linewidth"] and sgd["zorder"] < 2
    assert path_look("RMSProp+Momentum")["marker"] == "^"


def test_rmsprop_with_momentum_carries_markers():
    assert look("RMSProp")["color"] == look("RMSProp+Momentum")["color"]
    assert "marker" not in look("RMSProp") and look("RMSProp+Momentum")["marker"] == "^"


def test_plot_effective_rates():
    fig = plot_effective_rates({"AdaGrad": np.array([1.0, 0.5]), "RMSProp": np.array([1.0, 1.0])})
    ax = fig.axes[0]
    assert len(ax.lines) == 2 and legend_texts(ax.get_legend()) == ["AdaGrad", "RMSProp"]
    assert ax.get_yscale() == "log"


def test_plot_adam_first_steps():
    steps = AdamFirstSteps(corrected=np.ones(3), uncorrected=np.array([3.0, 2.0, 1.5]), constant_gradient=np.ones(3))
    fig = plot_adam_first_steps(steps, lr=0.1)
    ax = fig.axes[0]
    assert len(ax.lines) == 3 and len(legend_texts(ax.get_legend())) == 3
    assert ax.lines[2].get_ydata()[0] == pytest.approx(0.1 * np.sqrt(2))


def test_plot_loss_curves():
    curves = {"SGD": np.array([1.0, 0.8]), "Momentum": np.array([1.0, 0.5]), "Adam": np.array([1.0, 0.2])}
    fig = plot_loss_curves(curves)
    ax = fig.axes[0]
    assert legend_texts(ax.get_legend()) == ["SGD", "Momentum", "Adam"]
    assert [line.get_linestyle() for line in ax.lines] == ["-", "--", "-"]
