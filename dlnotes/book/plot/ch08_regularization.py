"""Figures of Chapter 8, preventing overfitting (防止过拟合).

The numbers come from ``dlnotes.book.experiments.ch08_regularization`` and from the
``History`` that ``dlnotes.train.fit`` returns; colours from :func:`dlnotes.book.plot.style`.

- :func:`boundary_line` and :func:`draw_boundary`: a classifier's probability on a mesh with its
  decision boundary and the data (shared with the chapter's interactive figure);
- :func:`plot_boundary`: one network's decision boundary;
- :func:`plot_weight_histograms`: the weights after L2 and after L1, sparsity against shrinkage;
- :func:`plot_early_stopping_gap`: the gap at the early-stopping epoch and at the end, and how far
  the weights have moved;
- :func:`plot_dropout_average`: the mean over dropout masks against the evaluation-mode output;
- :func:`plot_regularization_states`: a few pairs of the dropout-and-weight-decay grid side by side.
"""

from __future__ import annotations

import contourpy
import numpy as np
from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap, ListedColormap

from . import OKABE_ITO, epoch_ticks, new_figure, style

#: The two classes of the moons, as markers and colours that name no curve of the book:
#: class 0 a blue circle, class 1 an orange triangle.
CLASS_LOOKS = (
    {"marker": "o", "color": OKABE_ITO["blue"]},
    {"marker": "^", "color": OKABE_ITO["orange"]},
)

#: The bands in which the probability of class 1 is shaded: the boundary 1/2 in the middle.
PROBABILITY_LEVELS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)

_SHADES = LinearSegmentedColormap.from_list("class_probability", ["#9CC9E8", "#FFFFFF", "#F5C97A"])

#: One shade per band, from light blue (class 0 sure) through white to light orange (class 1 sure);
#: few flat colours also keep a widget's PNG small and quick to encode.
PROBABILITY_CMAP = ListedColormap([_SHADES(v) for v in np.linspace(0.0, 1.0, len(PROBABILITY_LEVELS) - 1)])

#: The looks of the weight histograms of section 8.3, by regularizer.
PENALTY_LOOKS = {
    "none": style("neutral_alt"),
    "L2": {"color": OKABE_ITO["blue"], "linestyle": "-"},
    "L1": {"color": OKABE_ITO["vermillion"], "linestyle": "-."},
}


def boundary_line(grid_x, grid_y, probability, level: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """The decision boundary :math:`\\{x : P(y = 1 \\mid x) = 1/2\\}` as one polyline (Chapter 8).

    ``probability[i, j]`` is the probability at ``(grid_x[j], grid_y[i])``;
    the pieces of the ``level`` contour are joined with NaN between them, so
    one ``Line2D`` draws them all and ``set_data`` moves it.
    """
    lines = contourpy.contour_generator(grid_x, grid_y, np.asarray(probability, dtype=float)).lines(level)
    if not lines:
        return np.array([]), np.array([])
    joined = np.concatenate([np.vstack([piece, [np.nan, np.nan]]) for piece in lines])[:-1]
    return joined[:, 0], joined[:, 1]


def draw_boundary(ax, grid_x, grid_y, probability, X_train, y_train, X_val=None, y_val=None):
    """Draw a probability map, its decision boundary and the data on ``ax`` (Chapter 8).

    The probability of class 1 is shaded in the bands of :data:`PROBABILITY_LEVELS`.
    Training points are large filled markers, validation points (optional)
    smaller hollow ones, one marker and colour per class. Returns the image,
    the boundary line (whose data a widget may change) and the lines of
    points, drawn over both.
    """
    extent = (grid_x[0], grid_x[-1], grid_y[0], grid_y[-1])
    norm = BoundaryNorm(PROBABILITY_LEVELS, PROBABILITY_CMAP.N)
    image = ax.imshow(probability, origin="lower", extent=extent, cmap=PROBABILITY_CMAP, norm=norm,
                      aspect="auto", interpolation="bilinear")
    (line,) = ax.plot(*boundary_line(grid_x, grid_y, probability), color="black", linewidth=1.6,
                      label="boundary")
    points = []
    for c, look in enumerate(CLASS_LOOKS):
        if X_val is not None:
            rows = np.asarray(y_val) == c
            points += ax.plot(X_val[rows, 0], X_val[rows, 1], linestyle="none", marker=look["marker"], markersize=5.5,
                    markerfacecolor="none", markeredgecolor=look["color"], markeredgewidth=1.2)
        rows = np.asarray(y_train) == c
        points += ax.plot(X_train[rows, 0], X_train[rows, 1], linestyle="none", marker=look["marker"], markersize=7,
                color=look["color"], markeredgecolor="black", markeredgewidth=0.6, label=f"class {c}")
    ax.set(xlim=(grid_x[0], grid_x[-1]), ylim=(grid_y[0], grid_y[-1]), xlabel="$x_1$", ylabel="$x_2$")
    ax.grid(False)
    return image, line, points


def plot_boundary(grid_x, grid_y, probability, X_train, y_train, X_val=None, y_val=None, title: str = ""):
    """One classifier's probability of class 1 and its decision boundary, over the data (Chapter 8).

    ``probability`` comes from :func:`dlnotes.book.experiments.ch08_regularization.probability_map`;
    a colour bar gives the bands of :data:`PROBABILITY_LEVELS`.
    """
    fig, ax = new_figure(figsize=(5.6, 4.0))
    image, _, _ = draw_boundary(ax, grid_x, grid_y, probability, X_train, y_train, X_val, y_val)
    bar = fig.colorbar(image, ax=ax, ticks=PROBABILITY_LEVELS, fraction=0.06, pad=0.03)
    bar.set_label("probability of class 1, $p$", fontsize=9)
    bar.ax.tick_params(labelsize=9)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, fontsize=9, handletextpad=0.2,
              columnspacing=0.8, title=title or None, title_fontsize=10)
    return fig


def plot_weight_histograms(weights: dict, threshold: float):
    """Histograms of :math:`\\log_{10} |\\theta_i|` for each regularizer, with the sparsity threshold (Chapter 8).

    ``weights`` maps a name of :data:`PENALTY_LOOKS` ("none", "L2", "L1") to
    the weights of one trained network (``weight_matrices``); each legend
    entry gives the share below ``threshold`` :math:`\\tau`, drawn dashed.
    """
    fig, ax = new_figure(figsize=(6.4, 3.8))
    logs = {name: np.log10(np.maximum(np.abs(w), 1e-12)) for name, w in weights.items()}
    low = np.floor(min(v.min() for v in logs.values()))
    high = np.ceil(max(v.max() for v in logs.values()))
    bins = np.linspace(max(low, -8.0), high, 49)
    for name, values in logs.items():
        share = np.mean(values < np.log10(threshold))
        ax.hist(np.clip(values, bins[0], bins[-1]), bins=bins, histtype="step", linewidth=1.8,
                label=f"{name}: {share:.0%} below τ", **PENALTY_LOOKS[name])
    ax.axvline(np.log10(threshold), **style("reference"), linewidth=1.2, label=f"τ = {threshold:g}")
    ax.set(xlabel="$\\log_{10} |\\theta_i|$ (weights of the three layers)", ylabel="number of weights")
    ax.legend(fontsize=9, loc="upper left")
    return fig


def plot_early_stopping_gap(history, gaps, distances, other_distances=None, other_label: str = ""):
    """The gap at the best epoch and at the end, and the distance the weights travel (Chapter 8).

    Left: ``history``'s training and validation loss, and the gap
    :math:`J_\\text{val} - J_\\text{train}` as a bar at each epoch of ``gaps``, a dict
    ``{epoch: (J_train, J_val)}`` measured at that epoch's weights (with ``evaluate``: the
    training loss of a ``History`` is measured during the epoch). Right:
    :math:`\\lVert\\theta^{(t)} - \\theta^{(0)}\\rVert_2` from ``DistanceFromStart.distances``, the best
    epoch :math:`t^\\star` (``history.best_epoch``) marked, and optionally another run's distances.
    """
    fig, (ax, dax) = new_figure(1, 2, figsize=(10.0, 3.8))
    epochs = np.asarray(history.epochs)
    best = history.best_epoch
    ax.plot(epochs, history["train_loss"], label="training", **style("train"))
    ax.plot(epochs, history["val_loss"], label="validation", **style("validation"))
    for t, (train, val) in sorted(gaps.items()):
        ax.vlines(t, train, val, color="black", linewidth=2.5)
        ax.annotate(f"gap {val - train:.2f}\nat epoch {t}", (t, (train + val) / 2), xytext=(-8, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=9)
    ax.axvline(best, **style("reference"), linewidth=1.0, label=f"best epoch $t^\\star$ = {best}")
    ax.set(xlabel="epoch", ylabel="cross-entropy loss")
    epoch_ticks(ax.xaxis)
    ax.legend(fontsize=9, loc="upper left")
    dax.plot(np.arange(1, len(distances) + 1), distances, label="no penalty", **style("neutral"))
    if other_distances is not None:
        dax.plot(np.arange(1, len(other_distances) + 1), other_distances, label=other_label, **PENALTY_LOOKS["L2"])
    dax.axvline(best, **style("reference"), linewidth=1.0)
    dax.plot([best], [distances[best - 1]], "o", color=style("validation")["color"], markersize=7,
             label=f"early stopping: {distances[best - 1]:.1f}")
    dax.set(xlabel="epoch", ylabel="$\\|\\theta^{(t)} - \\theta^{(0)}\\|_2$")
    epoch_ticks(dax.xaxis)
    dax.legend(fontsize=9, loc="lower right")
    return fig


def plot_dropout_average(average):
    """Inverted dropout keeps the expected activation: the mean over masks against evaluation mode (Chapter 8).

    ``average`` is the ``DropoutAverage`` of ``dropout_average``. Left: each unit's mean output
    over the masks against its evaluation-mode output :math:`h_j`, with and without the division
    by :math:`1 - p`. Right: the relative distance of the running mean from :math:`h` against the
    number of masks, with :math:`\\sqrt{p/((1-p)N)}`.
    """
    fig, (ax, eax) = new_figure(1, 2, figsize=(10.0, 3.8))
    h, p = average.h, average.p
    top = 1.08 * float(h.max())
    ax.plot([0, top], [0, top], **style("reference"), linewidth=1.2, label="$\\bar h_N = h$ (evaluation mode)")
    ax.plot([0, top], [0, (1 - p) * top], **style("neutral_alt"), linewidth=1.0, label=f"$\\bar h_N = {1 - p:g}\\,h$")
    ax.plot(h, average.inverted, "o", color=OKABE_ITO["blue"], markersize=6,
            label="inverted: $\\zeta \\odot h / (1-p_\\mathrm{drop})$")
    ax.plot(h, average.unscaled, "s", color=OKABE_ITO["vermillion"], markersize=5, markerfacecolor="none",
            label="not scaled: $\\zeta \\odot h$")
    ax.set(xlim=(0, top), ylim=(0, top), xlabel="evaluation-mode output $h_j$",
           ylabel=f"mean $\\bar h_N$ over {int(average.counts[-1]):,} masks")
    ax.legend(fontsize=9, loc="upper left")
    eax.plot(average.counts, average.predicted, **style("reference"), label="$\\sqrt{p_\\mathrm{drop} / ((1-p_\\mathrm{drop}) N)}$")
    eax.plot(average.counts, average.error, "o", color=style("neutral")["color"], markersize=4,
             label="measured")
    eax.set(xscale="log", yscale="log", xlabel="number of masks $N$",
            ylabel="$\\|\\bar h_N - h\\| \\,/\\, \\|h\\|$")
    eax.legend(fontsize=9)
    return fig


def plot_regularization_states(grid, states):
    """A few pairs of a dropout rate and a weight decay side by side, from a precomputed grid (Chapter 8).

    ``grid`` is the ``RegularizationGrid`` of ``regularization_grid`` and ``states`` a sequence of
    pairs ``(p, lambda)``, each one of the grid's values. Top row: each pair's probability of class 1
    and decision boundary over the data (:func:`draw_boundary`); bottom row: its training and
    validation loss (evaluation mode) against the epoch, on one shared scale, with the final
    values and the gap :math:`J_\\text{val} - J_\\text{train}` in the title. Nothing is retrained.
    """
    dropouts, decays = np.asarray(grid.dropouts, dtype=float), np.asarray(grid.weight_decays, dtype=float)
    cells = []
    for p, lam in states:
        i, j = np.flatnonzero(np.isclose(dropouts, p)), np.flatnonzero(np.isclose(decays, lam))
        if not (i.size and j.size):
            raise ValueError(f"states must hold pairs of the grid's values, got ({p!r}, {lam!r})")
        cells.append((int(i[0]), int(j[0])))
    fig, axes = new_figure(2, len(cells), figsize=(3.6 * len(cells), 6.4),
                           gridspec_kw={"height_ratios": [1.15, 1.0]})
    axes = np.asarray(axes).reshape(2, len(cells))
    epochs = np.asarray(grid.epochs)
    top = 1.05 * float(max(grid.val_loss[i, j, 1:].max() for i, j in cells))
    for k, (i, j) in enumerate(cells):
        ax, cax = axes[0, k], axes[1, k]
        draw_boundary(ax, grid.grid_x, grid.grid_y, grid.probability[i, j], grid.X_train, grid.y_train,
                      grid.X_val, grid.y_val)
        train, val = grid.train_loss[i, j, -1], grid.val_loss[i, j, -1]
        ax.set_title(f"$p_\\mathrm{{drop}}$ = {dropouts[i]:g}, λ = {decays[j]:g}", fontsize=10)
        cax.plot(epochs, grid.train_loss[i, j], label="training", **style("train"))
        cax.plot(epochs, grid.val_loss[i, j], label="validation", **style("validation"))
        cax.set(xlim=(0, epochs[-1]), ylim=(0, top), xlabel="epoch")
        cax.set_title(f"{train:.3f} training, {val:.3f} validation,\ngap {val - train:.3f}", fontsize=9)
        epoch_ticks(cax.xaxis)
    axes[1, 0].set_ylabel("cross-entropy (evaluation mode)")
    axes[1, 0].legend(fontsize=9, loc="upper left")
    axes[0, 0].legend(*axes[0, 0].get_legend_handles_labels(), loc="lower left", fontsize=9, handletextpad=0.2)
    return fig
