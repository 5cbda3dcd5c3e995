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

from ..experiments.ch07_batchnorm import NETWORKS, SATURATED, TrainingSweep
from ..plot import OKABE_ITO, epoch_ticks, new_figure, style
from ..plot.ch07_batchnorm import LOOKS, NAMES
from . import InteractiveFigure


def percent(share: float) -> str:
    """A share as a percentage, two significant digits below 10%: 0.34375 -> '34%', 0.00135 -> '0.14%', 0 -> '0%'."""
    value = 100 * share
    return f"{value:.0f}%" if value >= 10 else f"{value:.2g}%"


class _ScaleGrid:
    """A weight-scale slider stepping through a precomputed grid of scales (Chapter 7)."""

    scales: np.ndarray
    frame_controls = ("scale",)

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

    One panel per layer :math:`l` and network: the share of the values
    :math:`h^{(l)}_{ij} = \\tanh(\\cdot)`, one per (example, unit) pair, in each
    bin of :math:`[-1, 1]`, on a square-root axis so that a flat spread and a
    single spike both read. In the two outer bins a dark bar gives the share of
    saturated values, :math:`|h| > 0.99`, which is narrower than a bin; the
    panel's text gives the standard deviation of :math:`h^{(l)}` and the
    saturated share.

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
        self.fig, axes = new_figure(2, depth, figsize=(2.1 * depth + 0.9, 5.0), sharex=True, sharey=True)
        self.axes = np.asarray(axes).reshape(2, depth)
        self.bars, self.tails, self.labels = {}, {}, {}
        for row, name in enumerate(NETWORKS):
            self.bars[name], self.tails[name], self.labels[name] = [], [], []
            for l, ax in enumerate(self.axes[row]):
                bars = ax.stairs(np.zeros(len(edges) - 1), edges, fill=True, color=LOOKS[name]["color"], alpha=0.85)
                tails = ax.stairs(np.zeros(len(edges) - 1), edges, fill=True, color=OKABE_ITO["black"], alpha=0.75,
                                  label=f"|h| > {SATURATED:g} (saturated)")
                label = ax.text(0.04, 0.96, "", transform=ax.transAxes, va="top", fontsize=9)
                self.bars[name].append(bars)
                self.tails[name].append(tails)
                self.labels[name].append(label)
                if row == 0:
                    ax.set_title(f"layer {l + 1}", fontsize=10)
                else:
                    ax.set_xlabel("activation $h$")
            self.axes[row, 0].set_ylabel(f"{NAMES[name]}\nshare of the values $h$\n(examples × units)")
        ax = self.axes[0, 0]  # a square-root axis, drawn as sqrt(share) on a linear one (fast to redraw)
        ax.set_ylim(0, 1.0)
        shares = [0, 0.05, 0.2, 0.5, 1]
        ax.set_yticks(np.sqrt(shares), [f"{v:g}" for v in shares])
        ax.set_xlim(-1, 1)
        ax.set_xticks([-1, 0, 1])
        # in a BatchNorm panel, whose bars stay low at every scale
        self.axes[1, -1].legend(handles=[self.tails["plain"][-1]], loc="center", bbox_to_anchor=(0.5, 0.62), fontsize=9)
        # the static part of the title is drawn once; only the scale is redrawn on a move
        self.fig.suptitle(f"activations at initialization, $W_{{ij}} \\sim \\mathcal{{N}}(0, s^2/n_\\mathrm{{in}})$ "
                          f"(saturated: |h| > {SATURATED:g})", fontsize=10)
        self.title = self.fig.text(0.01, 0.995, " ", ha="left", va="top", fontsize=10, fontweight="bold")
        self.animate(*(artist for name in NETWORKS for artist in self.bars[name] + self.tails[name] + self.labels[name]),
                     self.title)

    def _draw(self) -> None:
        k = self.index()
        for name in NETWORKS:
            for l in range(self.depth):
                self.bars[name][l].set_data(np.sqrt(self.hist.share[name][k, l]))
                tails = np.zeros(len(self.hist.edges) - 1)
                tails[0], tails[-1] = self.hist.tails[name][k, l]
                self.tails[name][l].set_data(np.sqrt(tails))
                self.labels[name][l].set_text(
                    f"std {self.hist.std[name][k, l]:.2g}\n{percent(self.hist.saturated[name][k, l])} saturated")
        self.title.set_text(f"weight scale s = {self.scales[k]:.2g}")


class BatchNormTrainingFigure(_ScaleGrid, InteractiveFigure):
    """Training without and with BatchNorm from the same weights, at the chosen weight scale and across the grid (Chapter 7).

    Left: the loss on the whole training set after every epoch for the chosen
    scale, both networks, with the target loss dashed. Middle: the mean loss
    over the last ``last`` epochs against the scale. Right: the first epoch at
    which the loss is at or below the target, against the scale; a run that
    never gets there is drawn on the top edge, at "never", with an open marker.
    The chosen scale is ringed in both right panels. The curves and the lines
    are one seed's runs (the first); for a sweep of several seeds
    (``stack_seeds``) the other seeds' runs are small dots in the right panels,
    spread a little to the side of their scale so that equal values stay apart.

    Parameters
    ----------
    sweep : TrainingSweep
        From ``dlnotes.book.experiments.ch07_batchnorm.training_sweep``, or
        ``stack_seeds`` for several seeds.
    target : float
        The loss whose first epoch the right panel shows.
    scale : float, optional
        The starting weight scale, a value of the grid (its smallest by default).
    last : int
        How many of the last epochs the middle panel averages.
    """

    def __init__(self, sweep, target: float = 0.5, scale: float | None = None, last: int = 5):
        self.target = float(target)
        self.scales = np.asarray(sweep.scales, dtype=float)
        seeds = {name: np.reshape(sweep.loss[name], (-1,) + np.shape(sweep.loss[name])[-2:]) for name in NETWORKS}
        self.loss = {name: seeds[name][0] for name in NETWORKS}
        self.epochs = self.loss["plain"].shape[1] - 1
        self.last = int(last)
        runs = TrainingSweep(sweep.scales, seeds, {}, {})
        self.final_all = {name: runs.final_mean(name, self.last) for name in NETWORKS}  # (seeds, scales)
        self.reach_all = {name: runs.epochs_to(name, self.target) for name in NETWORKS}
        self.final = {name: self.final_all[name][0] for name in NETWORKS}
        self.reach = {name: self.reach_all[name][0] for name in NETWORKS}
        self.never = self.epochs + 3  # where a run that never reaches the target is drawn
        top = max(float(np.max(np.where(np.isfinite(seeds[n]), seeds[n], 0))) for n in NETWORKS)
        self.cap = 1.1 * top
        super().__init__(scale=float(self.scales[0] if scale is None else scale))

    def _capped(self, values) -> np.ndarray:
        """Losses with a diverged (infinite) or nan value drawn at the top of the panel."""
        return np.where(np.isfinite(values), values, self.cap)

    def _build(self) -> None:
        self.fig, (self.ax, self.ax_final, self.ax_reach) = new_figure(
            1, 3, figsize=(13.0, 4.0), gridspec_kw={"width_ratios": [1.25, 1, 1]})
        epochs = np.arange(self.epochs + 1)
        self.curves, self.rings_final, self.rings_reach = {}, {}, {}
        n_others = self.final_all["plain"].shape[0] - 1  # the other seeds' dots, spread a little sideways
        spread = 10.0 ** (0.03 * (np.arange(n_others) - (n_others - 1) / 2))
        others = spread[:, None] * self.scales[None, :]
        for name in NETWORKS:
            look = LOOKS[name]
            (self.curves[name],) = self.ax.plot(epochs, self._capped(self.loss[name][0]), linewidth=2.2,
                                                label=NAMES[name], **look)
            self.ax_final.plot(self.scales, self._capped(self.final[name]), marker="o", linewidth=1.6,
                               label=NAMES[name], **look)
            reach = self.reach[name]
            got = np.isfinite(reach)
            self.ax_reach.plot(self.scales, np.where(got, reach, self.never), linewidth=1.6, label=NAMES[name], **look)
            self.ax_reach.plot(self.scales[got], reach[got], "o", color=look["color"])
            self.ax_reach.plot(self.scales[~got], np.full((~got).sum(), self.never), "o", markerfacecolor="white",
                               markeredgewidth=1.8, color=look["color"])
            if others.size:
                dots = {"marker": ".", "markersize": 5, "linestyle": "none", "color": look["color"], "alpha": 0.6}
                self.ax_final.plot(others.ravel(), self._capped(self.final_all[name][1:]).ravel(), **dots)
                other_reach = self.reach_all[name][1:]
                self.ax_reach.plot(others.ravel(), np.where(np.isfinite(other_reach), other_reach, self.never).ravel(),
                                   **dots)
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
        first = self.epochs - self.last + 1
        self.ax_final.set(ylabel=f"mean loss over epochs {first}-{self.epochs}" if self.last > 1 else
                          f"loss after {self.epochs} epochs", ylim=(0, self.cap * 1.02))
        if others.size:  # one legend entry for the dots
            self.ax_final.plot([], [], marker=".", markersize=5, linestyle="none", color=style("neutral")["color"],
                               label=f"the other {n_others} seeds")
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
            self.curves[name].set_ydata(self._capped(self.loss[name][k]))
            final = self.final[name][k]
            reach = self.reach[name][k]
            self.rings_final[name].set_data([self.scales[k]], [self._capped(final)])
            self.rings_reach[name].set_data([self.scales[k]], [reach if np.isfinite(reach) else self.never])
            when = f"≤ {self.target:g} at epoch {int(reach)}" if np.isfinite(reach) else f"never ≤ {self.target:g}"
            parts.append(f"{NAMES[name]} {final:.3f} ({when})")
        first = self.epochs - self.last + 1
        over = f"mean loss over epochs {first}-{self.epochs}" if self.last > 1 else f"loss after {self.epochs} epochs"
        self.title.set_text(f"s = {self.scales[k]:.2g}, {over}: " + "; ".join(parts))
