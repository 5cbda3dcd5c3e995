"""Interactive figures of Chapter 8, preventing overfitting (防止过拟合).

:class:`RegularizationExplorer`: sliders for the dropout rate and the L2 weight decay over a
precomputed grid of trained networks -> the decision boundary, the learning curves and the
generalization gap. The live learning curves of ``fit`` are in :mod:`dlnotes.book.widgets.live`.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..plot import new_figure, style
from ..plot.ch08_regularization import boundary_line, draw_boundary
from . import InteractiveFigure


def _nearest(values: np.ndarray, value: float) -> int:
    return int(np.argmin(np.abs(values - value)))


class RegularizationExplorer(InteractiveFigure):
    """Dropout rate :math:`p_\\text{drop}` and weight decay :math:`\\lambda` -> boundary, learning curves and gap (Chapter 8).

    Every pair of the grid was trained when the grid was computed
    (``dlnotes.book.experiments.ch08_regularization.regularization_grid``),
    which keeps the probability maps and the learning curves, not the
    networks, so a move only picks stored arrays. Left: the probability of
    class 1 with the decision boundary and the training points (validation
    points hollow); middle: the training and validation loss against the
    epoch, both in evaluation mode; right: the gap
    :math:`J_\\text{val} - J_\\text{train}` after the last epoch for every
    pair, the chosen one framed.

    Parameters
    ----------
    grid : RegularizationGrid
    dropout, weight_decay : float, the starting pair (nearest grid values; both 0 by default)
    """

    frame_controls = ("dropout", "weight_decay")

    def __init__(self, grid, dropout: float = 0.0, weight_decay: float = 0.0):
        self.grid = grid
        self.dropouts = np.asarray(grid.dropouts, dtype=float)
        self.decays = np.asarray(grid.weight_decays, dtype=float)
        super().__init__(**self._snapped(dropout=dropout, weight_decay=weight_decay))

    def _snapped(self, **values) -> dict:
        """The values moved to the nearest values of the grid (the sliders hold only those)."""
        grids = {"dropout": self.dropouts, "weight_decay": self.decays}
        return {name: float(grids[name][_nearest(grids[name], value)]) if name in grids else value
                for name, value in values.items()}

    def update(self, **values) -> "RegularizationExplorer":
        """Set the dropout rate and/or the weight decay (each snapped to the nearest grid value) and redraw."""
        return super().update(**self._snapped(**values))

    def indices(self) -> tuple[int, int]:
        """Grid position ``(i, j)`` of the chosen pair: the nearest dropout rate and weight decay."""
        return _nearest(self.dropouts, self.values["dropout"]), _nearest(self.decays, self.values["weight_decay"])

    def _build(self) -> None:
        g = self.grid
        self.fig, (self.ax, self.curve_ax, self.gap_ax) = new_figure(
            1, 3, figsize=(11.0, 3.6), gridspec_kw={"width_ratios": [1.0, 1.05, 1.0]})
        self.image, self.boundary, points = draw_boundary(self.ax, g.grid_x, g.grid_y, g.probability[0, 0],
                                                          g.X_train, g.y_train, g.X_val, g.y_val)
        self.ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, fontsize=9, handletextpad=0.2,
                       columnspacing=0.8)
        epochs = np.asarray(g.epochs)
        (self.train_line,) = self.curve_ax.plot(epochs, g.train_loss[0, 0], label="training", **style("train"))
        (self.val_line,) = self.curve_ax.plot(epochs, g.val_loss[0, 0], label="validation", **style("validation"))
        top = float(np.max(g.val_loss[..., 1:]))
        self.curve_ax.set(xlim=(0, epochs[-1]), ylim=(0, 1.05 * top), xlabel="epoch",
                          ylabel="cross-entropy (evaluation mode)")
        self.curve_ax.legend(loc="upper left", fontsize=9)
        gap = g.gap
        self.gap_ax.imshow(gap, origin="lower", cmap="Greys", vmin=0, vmax=float(gap.max()) * 1.25,
                                  aspect="auto")
        for (i, j), value in np.ndenumerate(gap):
            self.gap_ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=9,
                             color="white" if value > 0.6 * gap.max() else "black")
        self.gap_ax.set_xticks(range(len(self.decays)), [f"{v:g}" for v in self.decays], rotation=35)
        self.gap_ax.set_yticks(range(len(self.dropouts)), [f"{v:g}" for v in self.dropouts])
        self.gap_ax.set(xlabel="weight decay $\\lambda$", ylabel="dropout rate $p_\\mathrm{drop}$")
        self.gap_ax.set_title("gap $J_\\mathrm{val} - J_\\mathrm{train}$ after the last epoch", fontsize=10)
        self.gap_ax.grid(False)
        (self.frame,) = self.gap_ax.plot([], [], color=style("validation")["color"], linewidth=2.5, clip_on=False)
        self.title = self.fig.suptitle(" ", fontsize=10)
        # the map changes on every move, so what lies on it is redrawn over it, in this order
        self.animate(self.image, self.boundary, *points, self.train_line, self.val_line, self.frame,
                     self.title)

    def _draw(self) -> None:
        g = self.grid
        i, j = self.indices()
        self.image.set_data(g.probability[i, j])
        self.boundary.set_data(*boundary_line(g.grid_x, g.grid_y, g.probability[i, j]))
        self.train_line.set_ydata(g.train_loss[i, j])
        self.val_line.set_ydata(g.val_loss[i, j])
        self.frame.set_data([j - 0.5, j + 0.5, j + 0.5, j - 0.5, j - 0.5], [i - 0.5, i - 0.5, i + 0.5, i + 0.5, i - 0.5])
        train, val = g.train_loss[i, j, -1], g.val_loss[i, j, -1]
        self.title.set_text(
            f"p_drop = {self.dropouts[i]:g}, λ = {self.decays[j]:g}:  loss {train:.3f} training, {val:.3f} validation, "
            f"gap {val - train:.3f};  accuracy {g.train_accuracy[i, j]:.0%} / {g.val_accuracy[i, j]:.0%}")

    def controls(self) -> dict:
        """A slider over the grid's dropout rates and one over its weight decays."""
        layout = w.Layout(width="360px")
        return {
            "dropout": w.SelectionSlider(options=[(f"{v:g}", float(v)) for v in self.dropouts],
                                         description="dropout p_drop", layout=layout),
            "weight_decay": w.SelectionSlider(options=[(f"{v:g}", float(v)) for v in self.decays],
                                              description="decay λ", layout=layout),
        }
