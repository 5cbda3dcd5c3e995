"""Tests of dlnotes.book.plot.ch05_preprocessing (Chapter 5): each figure's artists, labels and legend."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlnotes.book.experiments.ch05_preprocessing import BatchStatistics, correlation_runs, gradient_descent, stretched_cloud
from dlnotes.book.plot import new_figure
from dlnotes.book.plot.ch05_preprocessing import (
    CONTOUR_FRACTIONS,
    DOTTED_STEPS,
    DescentPanel,
    ellipse,
    pair,
    plot_batch_statistics,
    plot_correlated,
    plot_digit_scaling,
    plot_views,
    run_title,
    short,
    window,
)
from dlnotes.preprocessing import StandardScaler


def test_short_numbers():
    assert short(296.41) == "296" and short(0.96117) == "0.961" and short(-3e-17) == "0" and short(2.0) == "2"
    assert pair([5.02, 1e-16]) == "(5.02, 0)"


def test_views_figure_one_equal_panel_per_view():
    X = np.random.default_rng(0).normal(size=(30, 2)) * [1.0, 100.0] + [5.0, 300.0]
    fig = plot_views({"raw": X, "standardized": StandardScaler().fit_transform(X)})
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    raw, std = fig.axes
    assert raw.get_aspect() == std.get_aspect() == 1.0
    assert "mean (" in raw.get_title() and "std (1, 1)" in std.get_title()
    assert raw.get_xlabel() and raw.get_ylabel()
    offsets = raw.collections[0].get_offsets()
    np.testing.assert_allclose(offsets, X)


def test_views_figure_outlines_the_min_max_square():
    fig = plot_views({"min-max": np.array([[-1.0, -1.0], [1.0, 1.0], [0.0, 0.5]])})
    square = fig.axes[0].lines[-1]
    assert list(square.get_xdata()) == [-1, 1, 1, -1, -1]


def test_digit_figure_one_image_per_scaling_with_its_range():
    raw = np.arange(64.0)[None, :]
    fig = plot_digit_scaling({"raw": raw, "tenth": raw / 10, "mean image": raw - 30, "shifted": raw - 5}, 0)
    assert len(fig.axes) == 4 and all(len(ax.images) == 1 for ax in fig.axes)
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), raw[0].reshape(8, 8))
    assert fig.axes[2].get_title().startswith("mean image\nfrom -30")
    assert "to 63" in fig.axes[0].get_title() and "from -5" in fig.axes[3].get_title()


def test_batch_figure_lines_and_legend():
    sizes = np.array([1, 10, 100])
    same = BatchStatistics(sizes, 0.01, 0.01, np.array([2.0, 0.3, 0.05]))
    shifted = BatchStatistics(sizes, 0.25, 0.25, same.batch)
    fig = plot_batch_statistics(same, shifted)
    ax = fig.axes[0]
    batch, shifted_line, same_line = ax.lines
    np.testing.assert_array_equal(batch.get_ydata(), same.batch)
    assert list(shifted_line.get_ydata()) == [0.25, 0.25] and list(same_line.get_ydata()) == [0.01, 0.01]
    assert len(ax.get_legend().get_texts()) == 3
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_ellipse_points_lie_on_the_contour():
    H = np.array([[3.0, 1.0], [1.0, 2.0]])
    centre = np.array([0.5, -1.0])
    points = ellipse(H, centre, 0.7)
    e = points - centre
    np.testing.assert_allclose(0.5 * np.einsum("ni,ij,nj->n", e, H, e), 0.7)
    np.testing.assert_allclose(points[0], points[-1])


def test_window_holds_the_contour_through_the_start():
    run = gradient_descent(*stretched_cloud(3.0))
    (xmin, xmax), (ymin, ymax) = window(run)
    points = ellipse(run.H, run.w_star, run.excess[0])
    assert xmin < points[:, 0].min() and points[:, 0].max() < xmax
    assert ymin < points[:, 1].min() and points[:, 1].max() < ymax


def test_descent_panel_draws_contours_path_start_and_minimum():
    run = gradient_descent(*stretched_cloud(10.0))
    fig, ax = new_figure()
    panel = DescentPanel(ax, "raw", window(run))
    panel.show(run)
    assert len(panel.contours) == len(CONTOUR_FRACTIONS)
    np.testing.assert_array_equal(panel.path.get_xdata(), run.path[:, 0])
    assert len(panel.dots.get_xdata()) == DOTTED_STEPS + 1
    assert list(panel.star.get_xdata()) == [run.w_star[0]] and list(panel.start.get_xdata()) == [0.0]
    assert ax.get_aspect() == 1.0
    assert panel.star.get_zorder() > panel.path.get_zorder()


def test_run_title_names_kappa_and_steps():
    run = gradient_descent(*stretched_cloud(10.0))
    assert run_title("raw", run) == f"raw: κ = {short(run.kappa)}, {run.steps} steps"
    diverged = gradient_descent(*stretched_cloud(10.0), lr=1.0)
    assert "did not converge" in run_title("raw", diverged)


def test_correlated_figure_one_panel_per_run_and_the_whitened_one():
    runs = correlation_runs([0.0, 0.9])
    fig = plot_correlated(runs)
    assert len(fig.axes) == 3
    assert "corr = 0.9" in fig.axes[1].get_title() or "corr = 0.8" in fig.axes[1].get_title()
    assert "whitened" in fig.axes[2].get_title() and "1 step" in fig.axes[2].get_title()
    assert len(fig.legends) == 1 and "gradient descent, whitened" in [t.get_text() for t in fig.legends[0].get_texts()]
    assert fig.axes[0].get_xlim() == pytest.approx(fig.axes[1].get_xlim())


def test_unknown_preparations_are_named():
    with pytest.raises(ValueError, match="views key must be one of .*got 'scaled'"):
        plot_views({"scaled": np.zeros((3, 2))})
    fig, ax = new_figure()
    with pytest.raises(ValueError, match="name must be one of .*got 'normalized'"):
        DescentPanel(ax, "normalized", ((0, 1), (0, 1)))
