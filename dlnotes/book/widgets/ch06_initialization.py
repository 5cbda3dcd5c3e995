"""Interactive figures of Chapter 6 (weight initialization, 权重初始化).

- :class:`InitScaleFigure`: the weight scale :math:`s` of a deep tanh network
  and a deep ReLU network -> per-layer histograms of the forward signal
  :math:`z^{(l)}` and the backward signal :math:`\\partial L / \\partial z^{(l)}`.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib import rcParams
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from ..experiments.ch06_initialization import init_scale_sweep
from ..plot import new_figure, style
from ..plot.ch01_activations import TITLES
from ..plot.ch06_initialization import decade_ticks, percent, power_of_ten
from . import InteractiveFigure

#: The weight scales the figure precomputes, :math:`2^{k/4}` from 1/4 to 4: they hold 1 (Xavier for
#: square layers), :math:`\sqrt 2` (He) and 1.68, next to tanh's gain 5/3.
SCALES = 2.0 ** (np.arange(-8, 9) / 4)

#: The two networks, one row each.
NETWORKS = ("tanh", "relu")

#: Where tanh's derivative drops below 0.01 (Chapter 1's saturation threshold): |z| > artanh(sqrt(0.99)).
TANH_SATURATED = float(np.arctanh(np.sqrt(0.99)))

#: One height scale for every histogram: a bin as tall as the spacing of two layers holds this share of its
#: layer's values (the tallest bins hold about 0.28).
ROW_SHARE = 1 / 3

#: The scale bar drawn at the left of every panel: a bin as tall as the bar holds this share of its layer's values.
SCALE_BAR = 0.25

#: A bin holding less than this share of its layer's values, in every layer, is beyond the data.
VISIBLE = 1e-3

#: Decades shown beyond the data, left (room for the scale bar) and right.
PAD = (1.0, 0.25)

#: No tick closer than this many decades to either end of an axis, so no label spills into the next panel.
TICK_MARGIN = 0.3

#: Tick labels (and grid lines) kept ready per panel; :func:`~dlnotes.book.plot.ch06_initialization.decade_ticks` uses fewer.
MAX_TICKS = 6


def shown_range(sweep, k: int, visible: float = VISIBLE, pad=PAD) -> tuple[float, float]:
    """The :math:`\\log_{10}` range both panels of a network's row show at the sweep's scale ``k`` (Chapter 6).

    From the first to the last histogram bin, of :math:`|z|` or :math:`|\\partial L / \\partial z|`,
    that holds at least ``visible`` of some layer's values, widened by ``pad``
    decades on the left and on the right. The same range for both panels, so a
    decade is as wide in the forward panel as in the backward one.
    """
    lows, highs = [], []
    for hist, edges in ((sweep.z_hist[k], sweep.z_edges), (sweep.delta_hist[k], sweep.delta_edges)):
        used = np.flatnonzero(np.max(hist, axis=0) >= visible)
        if used.size:
            lows.append(edges[used[0]])
            highs.append(edges[used[-1] + 1])
    if not lows:
        return -1.0 - pad[0], 1.0 + pad[1]
    return float(min(lows) - pad[0]), float(max(highs) + pad[1])


class InitScaleFigure(InteractiveFigure):
    """How the weight scale decides what reaches each layer, forward and backward (Chapter 6).

    Two 10-layer networks of width 256, tanh (top row) and ReLU (bottom row),
    with weights :math:`W^{(l)} \\sim \\mathcal N(0, s^2 / 256)` on one fixed batch
    (``dlnotes.book.experiments.ch06_initialization.init_scale_sweep``,
    precomputed at every scale of ``scales`` when the figure is built; a
    value between two of them shows the nearer). Left: for each layer
    :math:`l` (one row per layer, layer 1 at the bottom) the histogram of
    :math:`|z^{(l)}|` on a log axis; right: the same for the back-propagated
    gradient :math:`|\\partial L / \\partial z^{(l)}|`. Every
    histogram has the same height scale (:data:`ROW_SHARE`; the bar at the
    left of each panel holds :data:`SCALE_BAR` of a layer's values). Both
    panels of a row share one axis, cut to the decades where that row's values
    lie at the shown scale (:func:`shown_range`), so it moves with the slider. A black dot
    marks each layer's standard deviation; grey marks where tanh saturates
    (:math:`\\tanh'(z) < 0.01`, :math:`|z| > 3`). The panel titles give the
    standard deviations at both ends of the network, in the direction the
    signal travels, and the share of saturated values (of all (example, unit)
    pairs) in layer 1 and over all layers.

    The x axes run from 0 to 1 and every position is drawn as
    :math:`(\\log_{10} v - \\text{low}) / (\\text{high} - \\text{low})`, with the tick
    labels as moving artists, so a move that changes the range still only
    redraws what moves.
    """

    frame_controls = ("weight_scale",)

    def __init__(self, weight_scale: float = 1.0, *, scales=SCALES, n_layers: int = 10, width: int = 256,
                 batch: int = 64, rng=0):
        self.sweeps = {name: init_scale_sweep(name, scales, n_layers=n_layers, width=width, batch=batch, rng=rng)
                       for name in NETWORKS}
        self.scales = self.sweeps[NETWORKS[0]].scales
        self.ranges = {name: [shown_range(sweep, k) for k in range(len(self.scales))]
                       for name, sweep in self.sweeps.items()}
        self.n_layers, self.width = n_layers, width
        super().__init__(weight_scale=weight_scale)

    def _build(self) -> None:
        self.fig, axes = new_figure(2, 2, figsize=(12.6, 8.4))
        layers = np.arange(1, self.n_layers + 1)
        self.ridges, self.std_lines, self.titles, self.ticks = {}, {}, {}, {}
        self.band = None
        moving = []
        bar = dict(color="black", linewidth=2.5, solid_capstyle="butt")
        for row, name in zip(axes, NETWORKS):
            colour = style(name)["color"]
            for ax, signal in ((row[0], "z"), (row[1], "delta")):
                key = (name, signal)
                ax.set_xlim(0.0, 1.0)
                ax.set_ylim(0.6, self.n_layers + 1.2)
                ax.set_yticks(layers)
                ax.grid(False)
                # one invisible tick label keeps room for the moving ones below the axis
                ax.set_xticks([0.5], [power_of_ten(0)])
                ax.tick_params(axis="x", length=0, labelcolor="none")
                below = offset_copy(ax.transAxes, fig=self.fig, y=-rcParams["xtick.major.pad"], units="points")
                grid = [ax.plot([0.5, 0.5], [0.0, 1.0], transform=ax.transAxes, color="0.85", linewidth=0.8)[0]
                        for _ in range(MAX_TICKS)]
                labels = [ax.text(0.5, 0.0, "", transform=below, ha="center", va="top",
                                  fontsize=rcParams["xtick.labelsize"]) for _ in range(MAX_TICKS)]
                self.ticks[key] = list(zip(grid, labels))
                moving += grid + labels
                if key == ("tanh", "z"):
                    self.band = ax.axvspan(0.0, 1.0, color="grey", alpha=0.25, linewidth=0,
                                           label=r"tanh saturated: $\tanh'(z) < 0.01$")
                    moving.append(self.band)
                self.ridges[key] = [ax.plot([], [], drawstyle="steps-mid", color=colour, linewidth=1.5)[0]
                                    for _ in layers]
                self.std_lines[key], = ax.plot(np.zeros(self.n_layers), layers, marker="o", markersize=4,
                                               color="black", linestyle=":", linewidth=1,
                                               label="standard deviation of each layer")
                moving += [*self.ridges[key], self.std_lines[key]]
                self.titles[key] = ax.set_title(" ", fontsize=9.5)
                top = float(self.n_layers)
                ax.plot([0.02, 0.02], [top, top + SCALE_BAR / ROW_SHARE], transform=ax.get_yaxis_transform(), **bar)
                ax.text(0.03, top + SCALE_BAR / ROW_SHARE / 2, percent(SCALE_BAR), transform=ax.get_yaxis_transform(),
                        va="center", ha="left", fontsize=9)
            row[0].set_ylabel(f"{TITLES[name]} network: layer $l$")
        scale_handle = Line2D([], [], linestyle="none", marker="|", markersize=11, markeredgewidth=2.5, color="black",
                              label=f"a bin as tall as the bar holds {percent(SCALE_BAR)} of its layer's values")
        handles = [self.band, self.std_lines[("tanh", "z")], scale_handle]
        self.fig.legend(handles=handles, labels=[h.get_label() for h in handles], loc="outside lower center",
                        ncols=3, fontsize=9)
        axes[1, 0].set_xlabel("$|z^{(l)}|$, the pre-activations (log scale, quarter-decade bins)")
        axes[1, 1].set_xlabel(r"$|\partial L / \partial z^{(l)}|$, the back-propagated gradient "
                              "(log scale)")
        self.fig.suptitle(f"Every layer draws W ~ N(0, s² / {self.width}):  s = 1 is Xavier for these square "
                          "layers, s = √2 ≈ 1.41 is He.  Both panels of a row share one axis.", fontsize=11)
        self.scale_text = self.fig.text(0.01, 0.995, " ", fontsize=11, fontweight="bold", va="top")
        self.animate(*moving, *self.titles.values(), self.scale_text)

    def shown_scale(self) -> float:
        """The precomputed scale drawn for the current ``weight_scale``: the nearest on a log scale."""
        return float(self.scales[self._index()])

    def shown_range(self, name: str) -> tuple[float, float]:
        """The :math:`\\log_{10}` range (low, high) that network ``name``'s row shows now."""
        return self.ranges[name][self._index()]

    def _index(self) -> int:
        return self.sweeps[NETWORKS[0]].index(self.values["weight_scale"])

    def _draw(self) -> None:
        k = self._index()
        first, last = 1, self.n_layers
        for name in NETWORKS:
            sweep = self.sweeps[name]
            low, high = self.ranges[name][k]

            def position(log_values):
                return (np.asarray(log_values, dtype=float) - low) / (high - low)

            for signal, hist, std, edges in (("z", sweep.z_hist, sweep.z_std, sweep.z_edges),
                                             ("delta", sweep.delta_hist, sweep.delta_std, sweep.delta_edges)):
                x = position((edges[:-1] + edges[1:]) / 2)
                for layer, (line, fractions) in enumerate(zip(self.ridges[(name, signal)], hist[k]), start=1):
                    line.set_data(x, layer + fractions / ROW_SHARE)
                self.std_lines[(name, signal)].set_xdata(position(np.log10(std[k])))
                ticks = decade_ticks(low + TICK_MARGIN, high - TICK_MARGIN, MAX_TICKS)
                for i, (grid, label) in enumerate(self.ticks[(name, signal)]):
                    shown = i < len(ticks)
                    grid.set_visible(shown)
                    label.set_visible(shown)
                    if shown:
                        u = float(position(ticks[i]))
                        grid.set_xdata([u, u])
                        label.set_x(u)
                        label.set_text(power_of_ten(ticks[i]))
            if name == "tanh":
                start = min(1.0, max(0.0, float(position(np.log10(TANH_SATURATED)))))
                self.band.set_x(start)
                self.band.set_width(1.0 - start)
            z_std, delta_std = sweep.z_std[k], sweep.delta_std[k]
            saturated = sweep.low_gradient[k]
            saturated = (f"; saturated {percent(saturated[0])} (layer 1), {percent(np.mean(saturated))} (all)"
                         if name == "tanh" else "")
            zeros = np.mean(sweep.delta_zero[k])
            zeros = f"; {percent(zeros)} zeros not drawn" if zeros > 0.005 else ""
            # plain text, no mathtext: these titles are laid out again on every move
            self.titles[(name, "z")].set_text(
                f"{TITLES[name]} forward: std(z) {z_std[0]:.2g} (layer {first}) → {z_std[-1]:.2g} "
                f"(layer {last}){saturated}")
            self.titles[(name, "delta")].set_text(
                f"{TITLES[name]} backward: std(∂L/∂z) {delta_std[-1]:.2g} (layer {last}) → {delta_std[0]:.2g} "
                f"(layer {first}){zeros}")
        self.scale_text.set_text(f"s = {self.scales[k]:.3g}")

    def controls(self) -> dict:
        exponents = np.log2(self.scales)
        return {"weight_scale": w.FloatLogSlider(base=2, min=float(exponents[0]), max=float(exponents[-1]),
                                                 step=float(exponents[1] - exponents[0]),
                                                 description="weight scale s", readout_format=".3g",
                                                 continuous_update=False)}
