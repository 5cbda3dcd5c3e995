"""Tests of dlnotes.plot.optimizers (Chapter 4): contours, paths, step sizes and loss curves."""

import numpy as np
import pytest

from dlnotes.plot import style
from dlnotes.plot.optimizers import (
    LOG_FLOOR,
    contour_levels,
    draw_surface,
    excess,
    plot_adam_first_steps,
    plot_effective_rates,
    plot_loss_curves,
    plot_paths,
)
from dlnotes.plot import new_figure
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
    contour, star = draw_surface(ax, surface)
    assert ax.get_xlim() == surface.bounds[0] and ax.get_ylim() == surface.bounds[1]
    assert len(star.get_xdata()) == len(surface.minima)
    assert contour in ax.collections


def test_plot_paths_one_panel_per_surface_one_line_per_optimizer():
    surfaces = [Quadratic(), Saddle()]
    line = np.array([[0.0, 0.0], [1.0, 1.0]])
    paths = {s.name: {"SGD": line, "Adam": line} for s in surfaces}
    fig = plot_paths(surfaces, paths)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 2
    for ax in visible:
        assert len(ax.lines) == 3  # the minima and two paths
    assert legend_texts(fig.legends[0]) == ["minimum", "SGD", "Adam"]
    assert visible[0].lines[2].get_color() == style("adam")["color"]


def test_plot_effective_rates():
    fig = plot_effective_rates({"AdaGrad": np.array([1.0, 0.5]), "RMSProp": np.array([1.0, 1.0])})
    ax = fig.axes[0]
    assert len(ax.lines) == 2 and legend_texts(ax.get_legend()) == ["AdaGrad", "RMSProp"]
    assert ax.get_yscale() == "log"


def test_plot_adam_first_steps():
    steps = {"corrected": np.ones(3), "uncorrected": np.array([3.0, 2.0, 1.5]), "constant_gradient": np.ones(3)}
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
