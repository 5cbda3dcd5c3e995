"""Interactive figures of Chapter 7, batch normalization (批标准化).

- :class:`ActivationHistogramFigure`: the weight scale of a deep tanh network ->
  the distribution of every hidden layer's activations, without and with
  BatchNorm (small multiples);
- :class:`BatchNormTrainingFigure`: the weight scale -> the learning curves of
  both networks, next to the final loss and the epochs to a target loss at
  every scale of the grid.

Both read precomputed measurements (``dlnotes.book.experiments.ch07_batchnorm``),
so a slider move only picks a row of the grid.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.ticker import NullFormatter

from ..experiments.ch07_batchnorm import NETWORKS
from ..plot import epoch_ticks, new_figure, style
from ..plot.ch07_batchnorm import LOOKS, NAMES
from . import InteractiveFigure

#: :math:`|h|` above which a tanh unit counts as saturated (its derivative :math:`1 - h^2` is below 0.02).
SATURATED = 0.99


class _ScaleGrid:
    """A weight-scale slider stepping through a precomputed grid of scales (Chapter 7)."""

    scales: np.ndarray

    def index(self) -> int:
        """Position in the grid of the scale closest to ``scale`` (on a log scale)."""
        return int(np.argmin(np.abs(np.log(self.scales) - np.log(self.values["scale"]))))

    def controls(self) -> dict:
        """A log-scale slider over the grid of weight scales."""
        logs = np.log10(self.scales)
        step = float(np.min(np.diff(logs))) if len(logs) > 1 else 0.1
        return {"scale": w.FloatLogSlider(base=10, min=float(logs[0]), max=float(logs[-1]), step=step,
                                          description="weight scale s", readout_format=".2g",
                                          style={"description_width": "initial"}, layout=w.Layout(width="420px"))}


class ActivationHistogramFigure(_ScaleGrid, InteractiveFigure):
    """Every hidden layer's activations at initialization, without (top row) and with BatchNorm (bottom row) (Chapter 7).

    One panel per layer :math:`l` and network: the share of the units' outputs
    :math:`h^{(l)} = \\tanh(\\cdot)` in each of the bins of :math:`[-1, 1]`, on a
    square-root axis so that a flat spread and a single spike both read; the
    panel's text gives the standard deviation of :math:`h^{(l)}` and the share of
    saturated units (:math:`|h| > 0.99`).

    Parameters
    ----------
    hist : ActivationHistograms
        From ``dlnotes.book.experiments.ch07_batchnorm.activation_histograms``.
    scale : float, optional
        The starting weight scale, a value of the grid (its smallest by default).
    """

    def __init__(self, hist, scale: float | None = None):
        self.hist = hist
        self.scales = np.asarray(hist.scales, dtype=float)
        self.depth = hist.share["plain"].shape[1]
        super().__init__(scale=float(self.scales[0] if scale is None else scale))

    def _build(self) -> None:
        depth, edges = self.depth, self.hist.edges
        self.fig, axes = new_figure(2, depth, figsize=(2.1 * depth + 0.8, 4.8), sharex=True, sharey=True)
        self.axes = np.asarray(axes).reshape(2, depth)
        self.bars, self.labels = {}, {}
        for row, name in enumerate(NETWORKS):
            self.bars[name], self.labels[name] = [], []
            for l, ax in enumerate(self.axes[row]):
                bars = ax.stairs(np.zeros(len(edges) - 1), edges, fill=True, color=LOOKS[name]["color"], alpha=0.85)
                label = ax.text(0.04, 0.96, "", transform=ax.transAxes, va="top", fontsize=9)
                self.bars[name].append(bars)
                self.labels[name].append(label)
                if row == 0:
                    ax.set_title(f"layer {l + 1}", fontsize=10)
                else:
                    ax.set_xlabel("activation $h$")
            self.axes[row, 0].set_ylabel(f"{NAMES[name]}\nshare of units")
        ax = self.axes[0, 0]  # a square-root axis, drawn as sqrt(share) on a linear one (fast to redraw)
        ax.set_ylim(0, 1.0)
        shares = [0, 0.05, 0.2, 0.5, 1]
        ax.set_yticks(np.sqrt(shares), [f"{v:g}" for v in shares])
        ax.set_xlim(-1, 1)
        ax.set_xticks([-1, 0, 1])
        self.title = self.fig.suptitle(" ", fontsize=10)
        self.animate(*self.bars["plain"], *self.bars["batchnorm"], *self.labels["plain"], *self.labels["batchnorm"],
                     self.title)

    def _draw(self) -> None:
        k = self.index()
        for name in NETWORKS:
            for l in range(self.depth):
                self.bars[name][l].set_data(np.sqrt(self.hist.share[name][k, l]))
                self.labels[name][l].set_text(
                    f"sd {self.hist.std[name][k, l]:.2g}\n{self.hist.saturated[name][k, l]:.0%} saturated")
        self.title.set_text(f"weight scale s = {self.scales[k]:.2g}: $W_{{ij}} \\sim \\mathcal{{N}}(0, s^2/n_{{in}})$, "
                            f"activations at initialization (saturated: |h| > {SATURATED:g})")


class BatchNormTrainingFigure(_ScaleGrid, InteractiveFigure):
    """Training without and with BatchNorm from the same weights, at the chosen weight scale and across the grid (Chapter 7).

    Left: the loss on the whole training set after every epoch for the chosen
    scale, both networks, with the target loss dashed. Middle: the loss after
    the last epoch against the scale. Right: the first epoch at which the loss
    is at or below the target, against the scale; a run that never gets there
    is drawn on the top edge, at "never", with an open marker. The chosen
    scale is ringed in both right panels.

    Parameters
    ----------
    sweep : TrainingSweep
        From ``dlnotes.book.experiments.ch07_batchnorm.training_sweep``.
    target : float
        The loss whose first epoch the right panel shows.
    scale : float, optional
        The starting weight scale, a value of the grid (its smallest by default).
    """

    def __init__(self, sweep, target: float = 0.5, scale: float | None = None):
        self.sweep = sweep
        self.target = float(target)
        self.scales = np.asarray(sweep.scales, dtype=float)
        self.epochs = sweep.loss["plain"].shape[1] - 1
        self.reach = {name: sweep.epochs_to(name, self.target) for name in NETWORKS}
        self.never = self.epochs + 3  # where a run that never reaches the target is drawn
        top = max(float(np.max(np.where(np.isfinite(sweep.loss[n]), sweep.loss[n], 0))) for n in NETWORKS)
        self.cap = 1.1 * top
        super().__init__(scale=float(self.scales[0] if scale is None else scale))

    def _shown(self, name) -> np.ndarray:
        """The loss curves of ``name``, a diverged (infinite) loss drawn at the top of the panel."""
        loss = self.sweep.loss[name]
        return np.where(np.isfinite(loss), loss, self.cap)

    def _build(self) -> None:
        self.fig, (self.ax, self.ax_final, self.ax_reach) = new_figure(
            1, 3, figsize=(13.0, 4.0), gridspec_kw={"width_ratios": [1.25, 1, 1]})
        epochs = np.arange(self.epochs + 1)
        self.curves, self.rings_final, self.rings_reach = {}, {}, {}
        for name in NETWORKS:
            look = LOOKS[name]
            (self.curves[name],) = self.ax.plot(epochs, self._shown(name)[0], linewidth=2.2, label=NAMES[name], **look)
            final = np.where(np.isfinite(self.sweep.final(name)), self.sweep.final(name), self.cap)
            self.ax_final.plot(self.scales, final, marker="o", linewidth=1.6, label=NAMES[name], **look)
            reach = self.reach[name]
            got = np.isfinite(reach)
            self.ax_reach.plot(self.scales, np.where(got, reach, self.never), linewidth=1.6, label=NAMES[name], **look)
            self.ax_reach.plot(self.scales[got], reach[got], "o", color=look["color"])
            self.ax_reach.plot(self.scales[~got], np.full((~got).sum(), self.never), "o", markerfacecolor="white",
                               markeredgewidth=1.8, color=look["color"])
            ring = {"marker": "o", "markersize": 13, "markerfacecolor": "none", "markeredgewidth": 1.8,
                    "linestyle": "none", "color": look["color"]}
            (self.rings_final[name],) = self.ax_final.plot([], [], **ring)
            (self.rings_reach[name],) = self.ax_reach.plot([], [], **ring)
        self.ax.axhline(self.target, **style("reference"), linewidth=1.2, label=f"target loss {self.target:g}")
        self.ax.set(xlabel="epoch", ylabel="loss on the whole training set", ylim=(0, self.cap * 1.02))
        epoch_ticks(self.ax.xaxis)
        self.ax.legend(loc="lower left", fontsize=9)
        for ax in (self.ax_final, self.ax_reach):
            ax.set_xscale("log")
            ax.set_xticks(self.scales, [f"{s:.2g}" for s in self.scales])
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_xlabel("weight scale $s$")
        self.ax_final.set(ylabel=f"loss after {self.epochs} epochs", ylim=(0, self.cap * 1.02))
        self.ax_final.legend(loc="upper center", fontsize=9)
        self.ax_reach.set(ylabel=f"first epoch with loss ≤ {self.target:g}", ylim=(-0.5, self.never + 1.5))
        ticks = [t for t in range(0, self.epochs + 1, 5)]
        self.ax_reach.set_yticks(ticks + [self.never], [str(t) for t in ticks] + ["never"])
        self.title = self.fig.suptitle(" ", fontsize=10)
        self.animate(*self.curves.values(), *self.rings_final.values(), *self.rings_reach.values(), self.title)

    def _draw(self) -> None:
        k = self.index()
        parts = []
        for name in NETWORKS:
            self.curves[name].set_ydata(self._shown(name)[k])
            final = self.sweep.final(name)[k]
            reach = self.reach[name][k]
            self.rings_final[name].set_data([self.scales[k]], [final if np.isfinite(final) else self.cap])
            self.rings_reach[name].set_data([self.scales[k]], [reach if np.isfinite(reach) else self.never])
            when = f"≤ {self.target:g} at epoch {int(reach)}" if np.isfinite(reach) else f"never ≤ {self.target:g}"
            parts.append(f"{NAMES[name]} {final:.3f} ({when})")
        self.title.set_text(f"s = {self.scales[k]:.2g}, loss after {self.epochs} epochs: " + "; ".join(parts))
