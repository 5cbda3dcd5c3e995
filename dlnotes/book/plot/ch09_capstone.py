"""Figures of Chapter 9, putting it together: digits, learning curves, the comparison of choices, the confusion matrix.

- :func:`plot_digits`: 8x8 digit images in a grid, each with its title;
- :func:`plot_learning_curves`: the loss and the accuracy of one run, on the
  training and the validation set, with the epoch early stopping kept;
- :func:`plot_comparison`: every seed's validation loss and accuracy for each
  recipe, with their mean and spread;
- :func:`plot_confusion_matrix`: the counts of true class against predicted class.
"""

from __future__ import annotations

import matplotlib
import numpy as np

from . import epoch_ticks, new_figure, style

#: Grey levels for the digits: 0 (paper) white, 16 (ink) black, as the pixels count ink.
DIGIT_CMAP = "gray_r"


#: Blank pixels between two digits of :func:`plot_digits`, and the rows left above each for its title.
GAP, TITLE_ROWS = 2, 5


def mosaic(images, ncols: int) -> np.ndarray:
    """8x8 images tiled ``ncols`` to a row into one array, NaN (drawn white) between and above them (Chapter 9)."""
    images = np.asarray(images, dtype=float).reshape(-1, 8, 8)
    nrows = -(-len(images) // ncols)
    tile_w, tile_h = 8 + GAP, 8 + TITLE_ROWS
    canvas = np.full((nrows * tile_h, ncols * tile_w - GAP), np.nan)
    for k, image in enumerate(images):
        r, c = divmod(k, ncols)
        canvas[r * tile_h + TITLE_ROWS:(r + 1) * tile_h, c * tile_w:c * tile_w + 8] = image
    return canvas


def plot_digits(images, titles, *, ncols: int = 10, size: float = 0.9):
    """8x8 images (rows of 64 pixel values, 0 to 16) in a grid of ``ncols`` columns, each under its title (Chapter 9).

    The grid is one image (see :func:`mosaic`), so a page of digits draws as
    fast as one picture; white is 0 (no ink) and black 16.
    """
    images = np.asarray(images, dtype=float).reshape(-1, 8, 8)
    titles = list(titles)
    if len(titles) != len(images):
        raise ValueError(f"titles must give one title per image ({len(images)}), got {len(titles)}")
    ncols = min(ncols, len(images))
    canvas = mosaic(images, ncols)
    nrows = canvas.shape[0] // (8 + TITLE_ROWS)
    fig, ax = new_figure(figsize=(size * ncols * (8 + GAP) / 8, size * nrows * (8 + TITLE_ROWS) / 8))
    cmap = matplotlib.colormaps[DIGIT_CMAP].with_extremes(bad="white")
    ax.imshow(canvas, cmap=cmap, vmin=0, vmax=16, interpolation="nearest")
    for k, title in enumerate(titles):
        r, c = divmod(k, ncols)
        ax.text(c * (8 + GAP) + 3.5, r * (8 + TITLE_ROWS) + TITLE_ROWS - 0.8, title, ha="center", va="bottom",
                fontsize=9)
    ax.set_axis_off()
    return fig


def plot_learning_curves(history):
    """Training and validation loss (left) and accuracy (right) per epoch, the kept epoch dotted (Chapter 9).

    The training values average the minibatches of each epoch in training
    mode (dropout on, BatchNorm on batch statistics); the validation values
    are measured after the epoch in evaluation mode. Early stopping keeps
    the weights of ``history.best_epoch``.
    """
    epochs = history.epochs
    fig, (loss_ax, acc_ax) = new_figure(1, 2, figsize=(9.0, 3.4))
    for ax, keys, ylabel in ((loss_ax, ("train_loss", "val_loss"), "cross-entropy loss"),
                             (acc_ax, ("train_metric", "val_metric"), "accuracy (%)")):
        scale = 100.0 if keys[0] == "train_metric" else 1.0
        for key, label, look in zip(keys, ("training", "validation"), ("train", "validation")):
            ax.plot(epochs, scale * np.asarray(history[key]), label=label, linewidth=1.8, **style(look))
        ax.axvline(history.best_epoch, **style("reference"), linewidth=1.2,
                   label=f"kept: epoch {history.best_epoch}")
        ax.set(xlabel="epoch", ylabel=ylabel)
        epoch_ticks(ax.xaxis)
    loss_ax.set_yscale("log")
    acc_ax.set_ylim(90, 100.5)
    loss_ax.legend(fontsize=9)
    acc_ax.legend(fontsize=9, loc="lower right")
    return fig


def plot_comparison(rows):
    """For each recipe of ``compare_recipes``, every seed's validation loss and accuracy, mean and spread (Chapter 9).

    Each seed is a dot; the bar spans mean ± spread (the sample standard
    deviation) and the tick marks the mean. The shaded band is the first
    recipe's mean ± the spread, the zone of differences the verdict calls a tie.
    """
    names = list(rows)
    fig, (loss_ax, acc_ax) = new_figure(1, 2, figsize=(9.0, 0.5 * len(names) + 1.8), sharey=True)
    y = np.arange(len(names))[::-1]
    reference = rows[names[0]]
    handles = {}
    for ax, values, mean, spread_, scale, xlabel in (
        (loss_ax, "losses", "loss_mean", "loss_spread", 1.0, "validation loss (lower is better)"),
        (acc_ax, "accuracies", "accuracy_mean", "accuracy_spread", 100.0, "validation accuracy (%)"),
    ):
        ref_mean, ref_spread = scale * getattr(reference, mean), scale * getattr(reference, spread_)
        handles["band"] = ax.axvspan(ref_mean - ref_spread, ref_mean + ref_spread, color=style("reference")["color"],
                                     alpha=0.08, linewidth=0, label=f"{names[0]}: mean ± spread")
        for yi, name in zip(y, names):
            row = rows[name]
            m, s = scale * getattr(row, mean), scale * getattr(row, spread_)
            handles["bar"] = ax.errorbar([m], [yi], xerr=[s], fmt="|", markersize=14, capsize=4,
                                         color=style("neutral")["color"], label="mean ± spread")
            points = scale * np.asarray(getattr(row, values))
            (handles["seed"],) = ax.plot(points, np.full(len(points), yi), "o", markersize=5, alpha=0.7,
                                         color=style("validation")["color"], linestyle="none", label="one seed")
        ax.set_xlabel(xlabel)
        ax.margins(x=0.12)  # room beyond the outermost dot and error-bar cap
        ax.grid(axis="y", visible=False)
    loss_ax.set_yticks(y, names)
    loss_ax.set_ylim(-0.6, len(names) - 0.4)
    fig.legend([handles[k] for k in ("seed", "bar", "band")], [handles[k].get_label() for k in ("seed", "bar", "band")],
               loc="outside lower center", ncols=3, fontsize=9)
    return fig


def plot_confusion_matrix(confusion):
    """The confusion matrix :math:`\\mathrm{CM}_{ij}` (true class i, predicted j) with every count written in its cell (Chapter 9).

    The colour shows the off-diagonal counts, the mistakes, so that a few
    errors are not washed out by the hundreds of correct predictions on the
    diagonal (drawn white, with their count in bold); cells without a
    mistake stay white.
    """
    confusion = np.asarray(confusion)
    n = confusion.shape[0]
    errors = np.where(np.eye(n, dtype=bool), np.nan, confusion.astype(float))
    fig, ax = new_figure(figsize=(4.9, 4.3))
    top = max(1, int(np.nanmax(errors)))
    cmap = matplotlib.colormaps["Oranges"].with_extremes(under="white", bad="white")
    image = ax.imshow(errors, cmap=cmap, vmin=0.5, vmax=top + 0.5)
    for i in range(n):
        for j in range(n):
            count = int(confusion[i, j])
            if i == j or count:
                dark = i != j and count > 0.6 * top
                ax.text(j, i, str(count), ha="center", va="center", fontsize=9,
                        fontweight="bold" if i == j else "normal", color="white" if dark else "black")
    ax.set(xlabel="predicted digit", ylabel="true digit", xticks=range(n), yticks=range(n))
    ax.grid(False)
    bar = fig.colorbar(image, ax=ax, shrink=0.8, label="test digits mistaken")
    bar.set_ticks(range(1, top + 1))
    return fig
