"""Tests of dlnotes.book.plot.ch07_batchnorm (Chapter 7): the running-statistics figure."""

import numpy as np
from matplotlib.figure import Figure

from dlnotes.book.experiments.ch07_batchnorm import RunningStatistics
from dlnotes.book.plot.ch07_batchnorm import BAND, LOOKS, NAMES, plot_running_statistics


def synthetic_stats():
    steps = np.arange(4)[:, None]
    running_mean = np.hstack([steps * 1.0, steps * 2.0])  # mean over the two features: 1.5 t
    running_var = np.ones((4, 2)) * np.array([3.0, 5.0])
    biased_var = np.full((4, 2), 3.0)
    return RunningStatistics(3.0, 4.0, 4, 0.5, running_mean, running_var, biased_var)


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_running_statistics_figure():
    fig = plot_running_statistics(synthetic_stats())
    assert isinstance(fig, Figure)
    ax_mean, ax_var = fig.axes
    mean_line = ax_mean.lines[0]
    np.testing.assert_allclose(mean_line.get_ydata(), [0.0, 1.5, 3.0, 4.5])
    assert mean_line.get_color() == LOOKS["batchnorm"]["color"]
    np.testing.assert_allclose(ax_mean.lines[1].get_ydata(), 3.0 * (1 - 0.5 ** np.arange(4)))  # the expectation
    assert "true mean 3" in legend_texts(ax_mean) and BAND in legend_texts(ax_mean)
    np.testing.assert_allclose(ax_var.lines[0].get_ydata(), 4.0)
    np.testing.assert_allclose(ax_var.lines[1].get_ydata(), 3.0)
    heights = sorted(line.get_ydata()[0] for line in ax_var.lines[2:])
    assert heights == [3.0, 4.0]  # (m - 1)/m of the variance, and the variance
    assert len(legend_texts(ax_var)) == 5 and any("(m - 1)/m" in t for t in legend_texts(ax_var))
    for ax in fig.axes:
        assert ax.get_xlabel().startswith("training step") and ax.get_ylabel()


def test_names_and_looks_cover_both_networks():
    assert set(LOOKS) == set(NAMES) == {"plain", "batchnorm"}
    assert LOOKS["plain"]["color"] != LOOKS["batchnorm"]["color"]
    assert LOOKS["plain"]["linestyle"] != LOOKS["batchnorm"]["linestyle"]
