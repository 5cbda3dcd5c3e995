"""Chapter 2's static figures: the expected curves, labels and legends."""

import numpy as np

from dlnotes.book.plot import ch02_losses as plot


def test_classification_losses_one_curve_per_loss():
    fig = plot.plot_classification_losses()
    (ax,) = fig.axes
    names = list(plot.CLASSIFICATION_LABELS.values())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == names
    assert len([line for line in ax.lines if line.get_label() in names]) == 6
    assert "margin" in ax.get_xlabel() and ax.get_ylabel() == "loss"
    widths = {line.get_label(): line.get_linewidth() for line in ax.lines}
    # curves that coincide with another are drawn wide beneath it
    assert widths[plot.CLASSIFICATION_LABELS["absolute"]] > widths[plot.CLASSIFICATION_LABELS["hinge"]]
    assert widths[plot.CLASSIFICATION_LABELS["cross_entropy"]] > widths[plot.CLASSIFICATION_LABELS["logistic"]]


def test_naive_vs_stable_shows_where_the_naive_formula_breaks():
    fig = plot.plot_naive_vs_stable()
    (ax,) = fig.axes
    assert len(ax.lines) == 2
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 3 and labels[2] == "naive gives $-\\infty$"
    assert "\\max(-z, 0)" in labels[0] and "e^{-|z|}" in labels[0]  # the form actually computed
    naive = ax.lines[1].get_ydata()
    assert np.isneginf(naive).any() and np.all(np.isfinite(ax.lines[0].get_ydata()))


def test_naive_vs_stable_without_overflow_has_no_band():
    fig = plot.plot_naive_vs_stable(np.linspace(-5, 5, 11))
    assert len(fig.axes[0].get_legend().get_texts()) == 2
