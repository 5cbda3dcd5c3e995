"""Interactive figures of Chapter 3, optimization in deep models.

:class:`LearningRateExplorer` is the learning-rate slider of Chapter 3.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..plot import new_figure, style
from ..plot.optimization import display_loss
from . import InteractiveFigure


class LearningRateExplorer(InteractiveFigure):
    """A log-scale learning-rate slider over a precomputed grid of learning curves (Chapter 3).

    Left: the learning curve for the chosen learning rate :math:`\\epsilon`
    over the faint curves of the whole grid; right: the final loss against
    :math:`\\epsilon` with the chosen one marked. Too small is slow, a good
    value falls fast, a larger one oscillates, too large diverges: it ends
    above where it started (losses beyond twice the initial one are drawn at that cap).

    Parameters
    ----------
    sweep : dict
        ``lrs`` and ``loss`` (shape ``(len(lrs), epochs + 1)``) from
        ``dlnotes.experiments.optimization.learning_rate_sweep``.
    lr : float, optional
        The starting learning rate (the grid's middle value by default).
    """

    def __init__(self, sweep: dict, lr: float | None = None):
        self.lrs = np.asarray(sweep["lrs"], dtype=float)
        loss = np.asarray(sweep["loss"], dtype=float)
        self.cap = 2.0 * float(np.nanmax(loss[:, 0]))
        self.loss = display_loss(loss, self.cap)
        self.diverged = ~np.isfinite(loss[:, -1]) | (loss[:, -1] > loss[:, 0])
        super().__init__(lr=float(self.lrs[len(self.lrs) // 2] if lr is None else lr))
        self.fig, (self.ax, self.lr_ax) = new_figure(1, 2, figsize=(9.6, 3.6))
        epochs = np.arange(self.loss.shape[1])
        for curve in self.loss:
            self.ax.plot(epochs, curve, color="0.85", linewidth=0.8)
        (self.curve,) = self.ax.plot(epochs, self.loss[0], linewidth=2.2, **style("train"))
        self.ax.set_yscale("log")
        self.ax.set_ylim(self.loss.min() / 1.5, self.cap * 1.5)
        self.ax.set_xlabel("epoch")
        self.ax.set_ylabel("training loss $J(\\theta)$")
        self.lr_ax.plot(self.lrs, self.loss[:, -1], "o-", color="0.5", markersize=4)
        self.lr_ax.plot(self.lrs[self.diverged], self.loss[self.diverged, -1], "x", color="black", markersize=8,
                        label="diverged")
        (self.marker,) = self.lr_ax.plot([], [], "o", markersize=11, color=style("train")["color"])
        self.lr_ax.set(xscale="log", yscale="log", xlabel="learning rate $\\epsilon$", ylabel="final training loss")
        if self.diverged.any():
            self.lr_ax.legend(loc="upper left")
        self.title = self.ax.set_title(" ")
        self.animate(self.curve, self.marker, self.title)
        self.invalidate()
        self.update()

    def index(self) -> int:
        """Position in the grid of the learning rate closest to ``lr`` (on a log scale)."""
        return int(np.argmin(np.abs(np.log(self.lrs) - np.log(self.values["lr"]))))

    def _draw(self) -> None:
        k = self.index()
        self.curve.set_ydata(self.loss[k])
        self.marker.set_data([self.lrs[k]], [self.loss[k, -1]])
        verdict = "diverged" if self.diverged[k] else f"final loss {self.loss[k, -1]:.3g}"
        self.title.set_text(f"learning rate ε = {self.lrs[k]:.3g}: {verdict}")

    def controls(self) -> dict:
        """A log-scale slider stepping through the grid of learning rates."""
        logs = np.log10(self.lrs)
        step = float(np.min(np.diff(logs))) if len(logs) > 1 else 0.1
        return {"lr": w.FloatLogSlider(base=10, min=float(logs[0]), max=float(logs[-1]), step=step,
                                       description="lr", readout_format=".3g", layout=w.Layout(width="420px"))}
