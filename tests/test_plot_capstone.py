"""Tests of dlnotes.book.plot.ch09_capstone (Chapter 9): each figure's images, lines, labels and legend."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlnotes.book.experiments.ch09_capstone import RecipeScores, Recipe
from dlnotes.book.plot import style, to_png
from dlnotes.book.plot.ch09_capstone import (GAP, TITLE_ROWS, mosaic, plot_comparison, plot_confusion_matrix, plot_digits,
                                             plot_learning_curves)
from dlnotes.train import History


def test_digits_one_mosaic_with_a_title_over_each_image():
    images = np.arange(13 * 64).reshape(13, 64) % 17
    fig = plot_digits(images, [f"d{k}" for k in range(13)])
    (ax,) = fig.axes
    assert isinstance(fig, Figure) and len(ax.images) == 1
    canvas = ax.images[0].get_array()
    tile = 8 + GAP
    # image 12 is row 1, column 2 of a grid of 10 columns
    top = (8 + TITLE_ROWS) + TITLE_ROWS
    np.testing.assert_array_equal(canvas[top:top + 8, 2 * tile:2 * tile + 8], images[12].reshape(8, 8))
    assert np.ma.is_masked(canvas[0, 0]) or np.isnan(canvas[0, 0])  # the title rows are blank
    assert [t.get_text() for t in ax.texts] == [f"d{k}" for k in range(13)]
    assert ax.images[0].get_clim() == (0, 16)
    with pytest.raises(ValueError, match="titles"):
        plot_digits(images, ["one"])
    assert to_png(plot_digits(images[:1], ["x"]))[:4] == b"\x89PNG"


def test_mosaic_shape_and_gaps():
    canvas = mosaic(np.ones((3, 64)), ncols=2)
    assert canvas.shape == (2 * (8 + TITLE_ROWS), 2 * (8 + GAP) - GAP)
    assert np.nansum(canvas) == 3 * 64 and np.isnan(canvas[-1, -1])


def history(n=6, best=4):
    h = History()
    for k in range(n):
        val = 0.5 - 0.1 * min(k, best - 1) + 0.05 * max(0, k - best + 1)
        h.record({"train_loss": 1.0 / (k + 1), "train_metric": 0.9 + 0.01 * k, "val_loss": val, "val_metric": 0.95})
    h.stopped_epoch = n
    return h


def test_learning_curves_two_panels_train_and_validation_and_the_kept_epoch():
    h = history()
    fig = plot_learning_curves(h)
    loss_ax, acc_ax = fig.axes
    for ax, train_key, val_key, scale in ((loss_ax, "train_loss", "val_loss", 1), (acc_ax, "train_metric", "val_metric", 100)):
        train, val, kept = ax.lines
        np.testing.assert_allclose(train.get_ydata(), scale * np.array(h[train_key]))
        np.testing.assert_allclose(val.get_ydata(), scale * np.array(h[val_key]))
        assert list(kept.get_xdata()) == [h.best_epoch] * 2 == [4, 4]
        assert train.get_color() == style("train")["color"] and val.get_color() == style("validation")["color"]
        texts = [t.get_text() for t in ax.get_legend().get_texts()]
        assert texts == ["training", "validation", "kept: epoch 4"]
        assert ax.get_xlabel() == "epoch" and ax.get_ylabel()
    assert loss_ax.get_yscale() == "log"


def rows():
    def row(losses, accuracies):
        losses, accuracies = np.array(losses), np.array(accuracies)
        return RecipeScores(Recipe(), [], accuracies, losses, accuracies.mean(), accuracies.std(ddof=1),
                            losses.mean(), losses.std(ddof=1), 10.0, "tie")
    return {"recipe": row([0.03, 0.035, 0.04], [0.99, 0.985, 0.98]), "other": row([0.05, 0.06, 0.04], [0.97, 0.98, 0.99])}


def test_comparison_one_row_per_recipe_with_every_seed():
    fig = plot_comparison(rows())
    loss_ax, acc_ax = fig.axes
    assert [t.get_text() for t in loss_ax.get_yticklabels()] == ["recipe", "other"]
    dots = [line for line in loss_ax.lines if line.get_marker() == "o"]
    assert len(dots) == 2
    np.testing.assert_allclose(sorted(dots[0].get_xdata()), [0.03, 0.035, 0.04])
    acc_dots = [line for line in acc_ax.lines if line.get_marker() == "o"]
    np.testing.assert_allclose(sorted(acc_dots[1].get_xdata()), [97.0, 98.0, 99.0])
    (band,) = loss_ax.patches  # the recipe's mean +- spread: 0.035 +- 0.005
    np.testing.assert_allclose([band.get_x(), band.get_x() + band.get_width()], [0.030, 0.040])
    assert "loss" in loss_ax.get_xlabel() and "accuracy" in acc_ax.get_xlabel()
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["one seed", "mean ± spread", "recipe: mean ± spread"]


def test_confusion_matrix_colours_the_mistakes_and_writes_every_nonzero_count():
    C = np.array([[30, 2, 0], [0, 28, 1], [4, 0, 25]])
    fig = plot_confusion_matrix(C)
    ax = fig.axes[0]
    shown = ax.images[0].get_array()
    assert np.ma.is_masked(shown[0, 0]) or np.isnan(shown[0, 0])  # the diagonal is not coloured
    assert shown[2, 0] == 4 and ax.images[0].get_clim() == (0.5, 4.5)  # one colour step per count, 0 under: white
    assert tuple(ax.images[0].get_cmap().get_under()[:3]) == (1.0, 1.0, 1.0)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["30", "28", "25", "2", "1", "4"])
    assert ax.get_xlabel() == "predicted digit" and ax.get_ylabel() == "true digit"
    assert len(fig.axes) == 2  # the colour bar
