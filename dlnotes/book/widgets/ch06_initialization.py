"""Interactive figures of Chapter 6 (weight initialization, 权重初始化).

- :class:`InitScaleFigure`: the weight scale :math:`s` of a deep tanh network
  and a deep ReLU network -> per-layer histograms of the forward signal
  :math:`z^{(l)}` and the backward signal :math:`\\delta^{(l)}`.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..experiments.ch06_initialization import init_scale_sweep
from ..plot import new_figure, style
from ..plot.ch01_activations import TITLES
from ..plot.ch06_initialization import power_of_ten_axis
from . import InteractiveFigure

#: The weight scales the figure precomputes, :math:`2^{k/4}` from 1/4 to 4: they hold 1 (Xavier for
#: square layers), :math:`\sqrt 2` (He) and 1.68, next to tanh's gain 5/3.
SCALES = 2.0 ** (np.arange(-8, 9) / 4)

#: The two networks, one row each.
NETWORKS = ("tanh", "relu")

#: Where tanh's derivative drops below 0.01 (Chapter 1's saturation threshold): |z| > artanh(sqrt(0.99)).
TANH_SATURATED = float(np.arctanh(np.sqrt(0.99)))


class InitScaleFigure(InteractiveFigure):
    """How the weight scale decides what reaches each layer, forward and backward (Chapter 6).

    Two 10-layer networks of width 256, tanh (top row) and ReLU (bottom row),
    with weights :math:`W^{(l)} \\sim \\mathcal N(0, s^2 / 256)` on one fixed batch
    (``dlnotes.book.experiments.ch06_initialization.init_scale_sweep``,
    precomputed at every scale of ``scales`` when the figure is built; a
    value between two of them shows the nearer). Left: for each layer
    :math:`l` (one row per layer, layer 1 at the bottom) the histogram of
    :math:`|z^{(l)}|` on a log axis; right: the same for the back-propagated
    gradient :math:`|\\delta^{(l)}| = |\\partial L / \\partial z^{(l)}|`. Values
    beyond the axis are counted in its end bins. A black dot marks each
    layer's standard deviation; grey marks where tanh saturates
    (:math:`\\tanh'(z) < 0.01`, :math:`|z| > 3`). The panel titles give the
    standard deviations at both ends of the network, in the direction the
    signal travels.
    """

    def __init__(self, weight_scale: float = 1.0, *, scales=SCALES, n_layers: int = 10, width: int = 256,
                 batch: int = 64, rng=0):
        self.sweeps = {name: init_scale_sweep(name, scales, n_layers=n_layers, width=width, batch=batch, rng=rng)
                       for name in NETWORKS}
        self.scales = self.sweeps[NETWORKS[0]].scales
        self.n_layers, self.width = n_layers, width
        super().__init__(weight_scale=weight_scale)

    def _build(self) -> None:
        self.fig, axes = new_figure(2, 2, figsize=(12.6, 8.2))
        layers = np.arange(1, self.n_layers + 1)
        self.ridges, self.std_lines, self.titles = {}, {}, {}
        for row, name in zip(axes, NETWORKS):
            colour = style(name)["color"]
            sweep = self.sweeps[name]
            for ax, signal, edges in ((row[0], "z", sweep.z_edges), (row[1], "delta", sweep.delta_edges)):
                key = (name, signal)
                centres = (edges[:-1] + edges[1:]) / 2
                if key == ("tanh", "z"):
                    ax.axvspan(np.log10(TANH_SATURATED), edges[-1], color="grey", alpha=0.25, linewidth=0,
                               label=r"tanh saturated: $\tanh'(z) < 0.01$")
                self.ridges[key] = [ax.plot(centres, np.full(centres.size, float(layer)), drawstyle="steps-mid",
                                            color=colour, linewidth=1.5)[0] for layer in layers]
                self.std_lines[key], = ax.plot(np.zeros(self.n_layers), layers, marker="o", markersize=4,
                                               color="black", linestyle=":", linewidth=1,
                                               label="standard deviation of each layer")
                self.titles[key] = ax.set_title(" ", fontsize=9.5)
                ax.set_xlim(edges[0], edges[-1])
                ax.set_ylim(0.6, self.n_layers + 1.2)
                ax.set_yticks(layers)
                power_of_ten_axis(ax.xaxis, 3.0)
                ax.grid(axis="y", alpha=0.0)
            row[0].set_ylabel(f"{TITLES[name]} network: layer $l$")
        handles = [axes[0, 0].patches[0], self.std_lines[("tanh", "z")]]
        self.fig.legend(handles=handles, labels=[h.get_label() for h in handles], loc="outside lower center",
                        ncols=2, fontsize=9)
        axes[1, 0].set_xlabel("$|z^{(l)}|$, the pre-activations (log scale; beyond the ends: in the end bins)")
        axes[1, 1].set_xlabel(r"$|\delta^{(l)}| = |\partial L / \partial z^{(l)}|$, the back-propagated gradient "
                              "(log scale)")
        self.fig.suptitle(f"Every layer draws W ~ N(0, s² / {self.width}):  s = 1 is Xavier for these square "
                          "layers, s = √2 ≈ 1.41 is He", fontsize=11)
        self.scale_text = self.fig.text(0.01, 0.995, " ", fontsize=11, fontweight="bold", va="top")
        self.animate(*(line for lines in self.ridges.values() for line in lines), *self.std_lines.values(),
                     *self.titles.values(), self.scale_text)

    def shown_scale(self) -> float:
        """The precomputed scale drawn for the current ``weight_scale``: the nearest on a log scale."""
        return float(self.scales[self._index()])

    def _index(self) -> int:
        return self.sweeps[NETWORKS[0]].index(self.values["weight_scale"])

    def _draw(self) -> None:
        k = self._index()
        first, last = 1, self.n_layers
        for name in NETWORKS:
            sweep = self.sweeps[name]
            for signal, hist, std in (("z", sweep.z_hist, sweep.z_std), ("delta", sweep.delta_hist, sweep.delta_std)):
                fractions = hist[k]
                heights = 0.85 * fractions / np.maximum(fractions.max(axis=1, keepdims=True), 1e-12)
                for layer, (line, height) in enumerate(zip(self.ridges[(name, signal)], heights), start=1):
                    line.set_ydata(layer + height)
                self.std_lines[(name, signal)].set_xdata(np.log10(std[k]))
            z_std, delta_std = sweep.z_std[k], sweep.delta_std[k]
            saturated = f"; {np.mean(sweep.low_gradient[k]):.0%} saturated" if name == "tanh" else ""
            zeros = np.mean(sweep.delta_zero[k])
            zeros = f"; {zeros:.0%} zeros not drawn" if zeros > 0.005 else ""
            # plain text, no mathtext: these titles are laid out again on every move
            self.titles[(name, "z")].set_text(
                f"{TITLES[name]} forward: std(z) {z_std[0]:.2g} (layer {first}) → {z_std[-1]:.2g} "
                f"(layer {last}){saturated}")
            self.titles[(name, "delta")].set_text(
                f"{TITLES[name]} backward: std(δ) {delta_std[-1]:.2g} (layer {last}) → {delta_std[0]:.2g} "
                f"(layer {first}){zeros}")
        self.scale_text.set_text(f"s = {self.scales[k]:.3g}")

    def controls(self) -> dict:
        exponents = np.log2(self.scales)
        return {"weight_scale": w.FloatLogSlider(base=2, min=float(exponents[0]), max=float(exponents[-1]),
                                                 step=float(exponents[1] - exponents[0]),
                                                 description="weight scale s", readout_format=".3g",
                                                 continuous_update=False)}
