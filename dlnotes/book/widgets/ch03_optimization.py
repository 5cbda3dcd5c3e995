"""Interactive figures of Chapter 3, optimization in deep models.

:class:`LearningRateExplorer` is the learning-rate slider of Chapter 3.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..experiments.ch03_optimization import classify_learning_curves
from ..plot import epoch_ticks, new_figure, readable_log_axis, style
from ..plot.ch03_optimization import OFF_SCALE, display_loss, draw_off_scale, off_scale_points
from . import InteractiveFigure


class LearningRateExplorer(InteractiveFigure):
    """A log-scale learning-rate slider over a precomputed grid of learning curves (Chapter 3).

    Left: the learning curve of minibatch SGD for the chosen learning rate
    :math:`\\epsilon` over the faint curves of the whole grid (losses beyond
    twice the initial one are drawn at that cap, a dashed line labelled "off
    scale", the chosen curve with a triangle there at every such epoch); right: the loss over the
    last epochs against :math:`\\epsilon`, its mean as a dot and its range
    (min to max) as a bar, so an oscillating run shows its swing. The title
    gives the verdict of
    ``dlnotes.book.experiments.ch03_optimization.classify_learning_curves``: too small
    is *slow*, a *good* value falls fast, a larger one is *oscillating*, too
    large is *diverging* (on average above where it started).

    Parameters
    ----------
    sweep : LearningRateSweep
        ``lrs`` and ``loss`` (shape ``(len(lrs), epochs + 1)``) from
        ``dlnotes.book.experiments.ch03_optimization.learning_rate_sweep``.
    lr : float, optional
        The starting learning rate, a value of the grid (its middle value by default).
    """

    frame_controls = ("lr",)

    def __init__(self, sweep, lr: float | None = None):
        self.lrs = np.asarray(sweep.lrs, dtype=float)
        loss = np.asarray(sweep.loss, dtype=float)
        self.window = max(loss.shape[1] // 2, 1)
        self.verdicts = classify_learning_curves(loss, window=self.window)
        last = np.where(np.isfinite(loss[:, -self.window:]), loss[:, -self.window:], np.inf)
        self.low, self.high = last.min(axis=1), last.max(axis=1)
        with np.errstate(invalid="ignore"):
            self.mean = last.mean(axis=1)
        self.start = loss[:, 0]
        self.cap = 2.0 * float(np.nanmax(loss[:, 0]))
        self.loss = display_loss(loss, self.cap)
        self.off_scale = [off_scale_points(curve, self.cap) for curve in loss]
        super().__init__(lr=float(self.lrs[len(self.lrs) // 2] if lr is None else lr))

    def _build(self) -> None:
        self.fig, (self.ax, self.lr_ax) = new_figure(1, 2, figsize=(9.6, 3.6))
        epochs = np.arange(self.loss.shape[1])
        for curve in self.loss:
            self.ax.plot(epochs, curve, color="0.85", linewidth=0.8)
        draw_off_scale(self.ax, self.cap, 2.0)
        (self.curve,) = self.ax.plot(epochs, self.loss[0], linewidth=2.2, **style("sgd"))
        (self.clipped,) = self.ax.plot([], [], color=style("sgd")["color"], zorder=3, **OFF_SCALE)
        self.ax.set_yscale("log")
        self.ax.set_ylim(self.loss.min() / 1.5, self.cap * 1.4)
        self.ax.legend(loc="lower left")
        self.ax.set_xlabel("epoch")
        self.ax.set_ylabel("loss on the whole training set")
        epoch_ticks(self.ax.xaxis)
        readable_log_axis(self.ax.yaxis)
        finite = self.high[np.isfinite(self.high)]
        ceiling = 2.0 * float(finite.max()) if finite.size else self.cap  # where an overflowed run is drawn
        diverging = np.array([v == "diverging" for v in self.verdicts])
        self.shown_mean = display_loss(self.mean, ceiling)
        self.lr_ax.vlines(self.lrs, display_loss(self.low, ceiling), display_loss(self.high, ceiling), color="0.6",
                          linewidth=2, label=f"range over the last {self.window} epochs")
        self.lr_ax.plot(self.lrs[~diverging], self.mean[~diverging], "o-", color="0.4", markersize=4, label="mean")
        if diverging.any():
            self.lr_ax.plot(self.lrs[diverging], self.shown_mean[diverging], "x", color="black", markersize=8,
                            label="diverging")
        self.lr_ax.axhline(float(self.start[0]), **style("reference"), label="starting loss")
        (self.marker,) = self.lr_ax.plot([], [], "o", markersize=11, markerfacecolor="none", markeredgewidth=2,
                                         color=style("sgd")["color"])
        self.lr_ax.set(xscale="log", yscale="log", xlabel="learning rate $\\epsilon$",
                       ylabel=f"loss on the training set, last {self.window} epochs")
        self.lr_ax.legend(loc="upper left")
        self.title = self.fig.suptitle(" ", fontsize=10)
        self.animate(self.curve, self.clipped, self.marker, self.title)

    def index(self) -> int:
        """Position in the grid of the learning rate closest to ``lr`` (on a log scale)."""
        return int(np.argmin(np.abs(np.log(self.lrs) - np.log(self.values["lr"]))))

    def _draw(self) -> None:
        k = self.index()
        self.curve.set_ydata(self.loss[k])
        self.clipped.set_data(*self.off_scale[k])
        self.marker.set_data([self.lrs[k]], [self.shown_mean[k]])
        if np.isfinite(self.high[k]):
            swing = f"last {self.window} epochs between {self.low[k]:.3g} and {self.high[k]:.3g} (start {self.start[k]:.3g})"
        else:
            swing = "the loss became infinite"
        self.title.set_text(f"ε = {self.lrs[k]:.3g}: {self.verdicts[k]}; {swing}")

    def controls(self) -> dict:
        """A log-scale slider stepping through the grid of learning rates."""
        logs = np.log10(self.lrs)
        step = float(np.min(np.diff(logs))) if len(logs) > 1 else 0.1
        return {"lr": w.FloatLogSlider(base=10, min=float(logs[0]), max=float(logs[-1]), step=step,
                                       description="lr", readout_format=".3g", layout=w.Layout(width="420px"))}
