"""Tests of dlnotes.book.plot.ch04_optimizers (Chapter 4): contours, paths, step sizes and loss curves."""

import numpy as np
import pytest

import matplotlib.colors as mcolors

from dlnotes.book.experiments.ch04_optimizers import OPTIMIZERS, AdamFirstSteps
from dlnotes.book.plot import style
from dlnotes.book.plot.ch04_optimizers import (
    LOG_FLOOR,
    MINIMUM,
    TITLE_PAD,
    contour_levels,
    WINDOWS,
    draw_surface,
    end_marker,
    excess,
    family_groups,
    look,
    path_in_window,
    path_look,
    plot_adam_first_steps,
    plot_effective_rates,
    plot_final_gaps,
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


def test_plot_paths_one_row_per_surface_one_column_per_family():
    surfaces = [Quadratic(), Saddle()]
    line = np.array([[0.0, 0.0], [1.0, 1.0]])
    paths = {s.name: {"SGD": line, "Momentum": line, "Adam": line} for s in surfaces}
    fig = plot_paths(surfaces, paths)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 4 and [ax.get_title() for ax in visible] == ["quadratic", "quadratic", "saddle", "saddle"]
    # the minima, the paths with an end dot each, and the start; the saddle panels also mark the saddle point
    assert [len(ax.lines) for ax in visible] == [6, 4, 7, 5]
    assert legend_texts(visible[0].get_legend()) == ["SGD", "Momentum"]
    assert visible[0].get_legend().get_title().get_text() == "SGD and momentum"
    assert legend_texts(visible[1].get_legend()) == ["Adam"]
    assert visible[1].get_legend().get_title().get_text() == "adaptive learning rates"
    assert legend_texts(fig.legends[0]) == ["minimum", "start", "saddle point"]
    paths_drawn = [l for l in visible[1].lines if l.get_label() == "Adam"]
    assert paths_drawn[0].get_color() == style("adam")["color"]
    ends = [l for l in visible[0].lines if l.get_marker() == "o" and l.get_label().startswith("_")]
    assert all(list(l.get_xdata()) == [1.0] for l in ends) and len(ends) == 2
    assert all(l.get_markersize() >= 7 for l in ends)


def test_plot_paths_takes_its_own_groups():
    paths = {"quadratic": {"SGD": np.zeros((2, 2)), "Adam": np.zeros((2, 2))}}
    fig = plot_paths([Quadratic()], paths, groups={"both": ["SGD", "Adam"]})
    assert len(fig.axes) == 1 and legend_texts(fig.axes[0].get_legend()) == ["SGD", "Adam"]


def test_family_groups_keep_the_order_and_gather_strangers():
    assert family_groups(["Adam", "SGD", "mine", "Nesterov"]) == {
        "SGD and momentum": ["SGD", "Nesterov"], "adaptive learning rates": ["Adam"], "others": ["mine"]}


def test_every_panel_of_the_race_figures_holds_at_most_five_lines():
    assert all(len(members) <= 5 for members in family_groups(OPTIMIZERS).values())


def test_plot_final_gaps_ranks_each_surface():
    gaps = {"quadratic": {"SGD": 2e-3, "Momentum": 4e-7, "Adam": 0.24}, "saddle": {"SGD": 0.0, "Adam": np.inf}}
    fig = plot_final_gaps(gaps)
    first, second = fig.axes[:2]
    assert [t.get_text() for t in first.get_yticklabels()] == ["Adam", "SGD", "Momentum"]  # closest on top
    assert [line.get_xdata()[0] for line in first.lines] == [0.24, 2e-3, 4e-7]
    assert [line.get_color() for line in first.lines] == [style(n)["color"] for n in ("Adam", "SGD", "Momentum")]
    assert [t.get_text() for t in second.get_yticklabels()] == ["Adam (diverged)", "SGD"]
    assert [line.get_xdata()[0] for line in second.lines] == [LOG_FLOOR]  # an exact minimum sits on the floor
    assert first.get_xscale() == "log"


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
    fig = plot_paths([surface], {"quadratic": {"SGD": path}})
    crosses = [l for l in fig.axes[0].lines if l.get_marker() == "X"]
    assert len(crosses) == 1 and list(crosses[0].get_xdata()) == [5.0] and list(crosses[0].get_ydata()) == [2.5]
    (drawn,) = [l for l in fig.axes[0].lines if l.get_label() == "SGD"]
    assert list(drawn.get_xdata()) == [-4.0, -4.0, 5.0]


def test_sgd_path_is_thin_and_beneath():
    sgd, adam = path_look("SGD"), path_look("Adam")
    assert sgd["linewidth"] < adam["linewidth"] and sgd["zorder"] < 2
    assert path_look("RMSProp+Momentum")["marker"] == "^"


def test_rmsprop_with_momentum_carries_markers():
    assert "marker" not in look("RMSProp") and look("RMSProp+Momentum")["marker"] == "^"


def _lab(name):
    """CIELAB coordinates of the optimizer's colour (sRGB, D65), where distance follows perceived difference."""
    rgb = np.array(mcolors.to_rgb(look(name)["color"]))
    linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    f = np.cbrt(xyz / np.array([0.95047, 1.0, 1.08883]))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _near(a, b):
    """Colours within 42 CIELAB units: of Okabe-Ito's, sky blue-blue (26), orange-vermillion (33), sky blue-grey, purple-grey."""
    return np.linalg.norm(_lab(a) - _lab(b)) < 42


def test_every_optimizer_has_its_own_colour_and_near_colours_differ_in_line_or_marker():
    names = list(OPTIMIZERS)
    assert len({look(n)["color"] for n in names}) == len(names)
    for family in family_groups(names).values():  # drawn in one panel: line styles differ too
        assert len({str(look(n)["linestyle"]) for n in family}) == len(family)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if _near(a, b):
                assert (str(look(a)["linestyle"]), look(a).get("marker")) != (str(look(b)["linestyle"]), look(b).get("marker"))
    # the pairs the book compares most often are far apart
    assert not _near("Momentum", "Nesterov") and not _near("AdaGrad", "Adam") and not _near("RMSProp", "RMSProp+Momentum")
    assert not _near("Momentum", "Adam") and not _near("SGD", "Momentum")


def test_minimum_star_is_drawn_above_the_end_dots_and_titles_clear_the_crosses():
    assert MINIMUM["zorder"] > 6  # mark_end draws at zorder 6
    assert TITLE_PAD > end_marker("black", True)["markersize"] / 2


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
    left, right = fig.axes
    assert legend_texts(left.get_legend()) == ["SGD", "Momentum"] and legend_texts(right.get_legend()) == ["Adam"]
    assert [line.get_linestyle() for line in [*left.lines, *right.lines]] == ["-", "--", "-"]
    assert left.get_shared_y_axes().joined(left, right)
    assert all(t.get_fontsize() >= 9 for ax in (left, right) for t in ax.get_legend().get_texts())
