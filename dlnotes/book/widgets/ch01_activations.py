"""Interactive figures of Chapter 1 (activation functions, 激活函数).

- :class:`DeepStackFigure`: weight scale of a 10-layer stack -> pre-activation
  histograms per layer, the gradient norm reaching each layer and the share
  of units passing almost no gradient, for sigmoid, tanh and ReLU;
- :class:`ZigzagFigure`: the mean of the inputs -> the zig-zag path of two
  weights and the sign pattern of one example's weight gradient.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.colors import ListedColormap

from ..._validation import check_choice
from ...activations import ACTIVATIONS
from ..experiments.ch01_activations import (
    LOW_GRADIENT,
    deep_stack,
    gradient_signs,
    layer_histograms,
    low_gradient_share,
    zigzag_path,
)
from ..plot import new_figure, style
from ..plot.ch01_activations import MARKERS, TITLES
from . import InteractiveFigure

#: Colours of a negative (light) and a positive (dark) gradient in the zig-zag sign matrix; they name no curve.
SIGN_COLOURS = {-1: "#F0D9A8", 1: "#4B2A7B"}

#: Activations compared in the deep-stack figure.
STACK_ACTIVATIONS = ("sigmoid", "tanh", "relu")

#: Marker of each activation in the deep-stack figure: a large hollow circle, a small filled square and a
#: triangle, so where two lines coincide (sigmoid and tanh both at 0 saturated units) both stay visible.
STACK_MARKERS = {
    "sigmoid": {"marker": MARKERS["sigmoid"], "markersize": 9, "markerfacecolor": "none", "markeredgewidth": 1.6},
    "tanh": {"marker": MARKERS["tanh"], "markersize": 5},
    "relu": {"marker": MARKERS["relu"], "markersize": 5.5},
}


class DeepStackFigure(InteractiveFigure):
    """A deep stack at weight scale ``weight_scale``: what each layer sees, what reaches it, and what saturation costs (Chapter 1).

    Left: for ``activation``, the histogram of the pre-activations
    :math:`z^{(l)}` of each layer :math:`l` (one row per layer; values beyond
    :math:`\\pm 6` are piled into the end bins, so a pile at the edge means
    :math:`|z| \\ge 6`, not exactly :math:`\\pm 6`); grey marks where this
    activation's derivative is below 0.01. Middle: the gradient norm
    :math:`\\lVert \\partial L / \\partial W^{(l)} \\rVert` per layer for sigmoid,
    tanh and ReLU on the same weights (see
    ``dlnotes.book.experiments.ch01_activations.deep_stack``), log scale; each legend
    label gives that activation's ratio layer 1 / layer 10. Right: per layer, the
    share of units with :math:`\\phi'(z) < 0.01`, which pass back almost nothing
    (``low_gradient_share``).
    """

    frame_controls = ("activation", "weight_scale")

    EDGES = np.linspace(-6, 6, 49)

    def __init__(self, activation: str = "sigmoid", weight_scale: float = 1.0, *, n_layers: int = 10, rng=0):
        check_choice(activation, "activation", STACK_ACTIVATIONS)
        self.n_layers, self.rng = n_layers, rng
        super().__init__(activation=activation, weight_scale=weight_scale)

    def _build(self) -> None:
        n_layers = self.n_layers
        self.fig, (self.ax_hist, self.ax_grad, self.ax_low) = new_figure(
            1, 3, figsize=(12.6, 4.2), gridspec_kw={"width_ratios": [1.15, 1, 1]})
        self.flat = {name: _low_gradient_zones(name, self.EDGES[0], self.EDGES[-1]) for name in STACK_ACTIVATIONS}
        self.zones = [self.ax_hist.axvspan(0, 0, color="grey", alpha=0.2, linewidth=0,
                                           label=f"$\\phi'(z) < {LOW_GRADIENT:g}$") for _ in range(2)]
        centres = (self.EDGES[:-1] + self.EDGES[1:]) / 2
        self.ridges = [self.ax_hist.plot(centres, np.full(centres.size, float(layer)), drawstyle="steps-mid")[0]
                       for layer in range(1, n_layers + 1)]
        self.ax_hist.set_xlim(self.EDGES[0], self.EDGES[-1])
        self.ax_hist.set_ylim(0.5, n_layers + 2.3)  # room above the last layer for the legend
        self.ax_hist.set_yticks(np.arange(1, n_layers + 1, max(1, n_layers // 10)))  # only the layers there are
        self.ax_hist.set_xlabel("pre-activation $z$ (beyond ±6: in the end bins)")
        self.ax_hist.set_ylabel("layer (histogram of $z$)")
        self.ax_hist.legend(handles=self.zones[:1], loc="upper left", framealpha=1, frameon=True)
        layers = np.arange(1, n_layers + 1)
        self.grad_lines, self.low_lines = {}, {}
        for name in STACK_ACTIVATIONS:
            self.grad_lines[name] = self.ax_grad.semilogy(layers, np.ones(n_layers), **STACK_MARKERS[name],
                                                          label=_ratio_label(name, 1.0, n_layers), **style(name))[0]
            self.low_lines[name] = self.ax_low.plot(layers, np.zeros(n_layers), **STACK_MARKERS[name],
                                                    label=TITLES[name], **style(name))[0]
        self.ax_grad.set_ylim(1e-16, 1e10)
        self.ax_grad.set_ylabel(r"gradient norm $\|\partial L / \partial W^{(l)}\|$")
        # above the panel, where no curve runs at any scale; the labels carry each ratio
        self.grad_legend = self.ax_grad.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=9)
        self.ax_low.set_ylim(-0.03, 1.03)
        self.ax_low.set_ylabel(f"share of units with $\\phi'(z) < {LOW_GRADIENT:g}$")
        self.ax_low.set_title("units passing almost no gradient")
        for ax in (self.ax_grad, self.ax_low):
            ax.set_xlabel("layer (1 = first)")
            ax.set_xticks(layers[::max(1, n_layers // 5)])
        self.animate(*self.zones, *self.ridges, *self.grad_lines.values(), *self.low_lines.values(),
                     self.ax_hist.title, self.grad_legend)

    def _draw(self) -> None:
        activation = check_choice(self.values["activation"], "activation", STACK_ACTIVATIONS)
        scale = float(self.values["weight_scale"])
        stacks = {name: deep_stack(name, scale, n_layers=self.n_layers, rng=self.rng) for name in STACK_ACTIVATIONS}
        for name in STACK_ACTIVATIONS:
            width = 3 if name == activation else 1.2
            self.grad_lines[name].set_ydata(np.clip(stacks[name].grad_norms, 1e-300, None))
            self.low_lines[name].set_ydata(low_gradient_share(name, stacks[name].preactivations))
            self.grad_lines[name].set_linewidth(width)
            self.low_lines[name].set_linewidth(width)
        for zone, (low, high) in zip(self.zones, self.flat[activation]):
            zone.set_x(low)
            zone.set_width(high - low)
        shown = stacks[activation]
        fractions = layer_histograms(shown.preactivations, self.EDGES)
        colour = style(activation)["color"]
        for layer, (line, fraction) in enumerate(zip(self.ridges, fractions), start=1):
            line.set_ydata(layer + 0.9 * fraction / fractions.max())
            line.set_color(colour)
        self.ax_hist.set_title(f"{TITLES[activation]}, weight scale {scale:g}")
        for text, name in zip(self.grad_legend.get_texts(), STACK_ACTIVATIONS):
            norms = stacks[name].grad_norms
            text.set_text(_ratio_label(name, norms[0] / norms[-1], self.n_layers))

    def controls(self) -> dict:
        return {
            "activation": w.Dropdown(options=[(TITLES[name], name) for name in STACK_ACTIVATIONS],
                                     description="activation"),
            "weight_scale": w.FloatLogSlider(base=10, min=-1, max=1, step=0.05, description="weight scale",
                                             continuous_update=False),
        }


def _ratio_label(activation: str, ratio: float, n_layers: int) -> str:
    """Legend label of ``activation`` with its gradient ratio, e.g. "tanh (layer 1 / layer 10 = 1.2)"."""
    return f"{TITLES[activation]} (layer 1 / layer {n_layers} = {ratio:.2g})"


def _low_gradient_zones(activation: str, low: float, high: float, n: int = 1201) -> list:
    """The intervals (left of 0, right of 0) of ``[low, high]`` where ``activation``'s derivative is below 0.01."""
    z = np.linspace(low, high, n)
    flat = ACTIVATIONS[activation][1](z) < LOW_GRADIENT
    left, right = z[flat & (z <= 0)], z[flat & (z > 0)]
    return [(low, left.max()) if left.size else (low, low), (right.min(), high) if right.size else (high, high)]


class ZigzagFigure(InteractiveFigure):
    """Inputs that are not zero-centred make weight updates zig-zag (Chapter 1).

    Left: the path of two weights :math:`(w_1, w_2)` trained one example at a
    time toward :math:`w^* = (1, -1)` (``dlnotes.book.experiments.ch01_activations.zigzag_path``)
    for inputs with mean ``input_mean``. Right: the signs of one example's
    weight gradient :math:`x_i\\, \\partial L / \\partial z_j` for 8 inputs and 6 units
    (``gradient_signs``): with all-positive inputs each unit's column has one sign.
    """

    frame_controls = ("input_mean",)

    def __init__(self, input_mean: float = 1.5, *, rng=0):
        self.rng = rng
        super().__init__(input_mean=input_mean)

    def _build(self) -> None:
        self.fig, (self.ax_path, self.ax_sign) = new_figure(1, 2, figsize=(8.4, 4.0),
                                                             gridspec_kw={"width_ratios": [1.25, 1]})
        self.path_line, = self.ax_path.plot([], [], marker=".", label="SGD path", **style("sgd"))
        self.ax_path.plot([1], [-1], marker="*", markersize=16, color=style("data")["color"],
                          markeredgecolor="black", linestyle="none", label="target $w^*$")
        self.ax_path.plot([0, 1], [0, -1], label="straight line", **style("reference"))
        self.ax_path.set_xlim(-0.6, 1.6)
        self.ax_path.set_ylim(-1.6, 0.6)
        self.ax_path.set_aspect("equal")
        self.ax_path.set_xlabel("$w_1$")
        self.ax_path.set_ylabel("$w_2$")
        self.ax_path.legend(loc="upper right")
        signs = ListedColormap([SIGN_COLOURS[-1], SIGN_COLOURS[1]])
        self.image = self.ax_sign.imshow(np.zeros((8, 6)), cmap=signs, vmin=-1, vmax=1, aspect="auto")
        self.ax_sign.set_xlabel("unit $j$")
        self.ax_sign.set_ylabel("input $i$")
        self.ax_sign.grid(False)
        bar = self.fig.colorbar(self.image, ax=self.ax_sign, ticks=[-0.5, 0.5], shrink=0.6,
                                label=r"sign of $\partial L/\partial W_{ij}$")
        bar.ax.set_yticklabels(["−", "+"])
        self.ax_sign.set_title("signs of $x_i\\,\\partial L / \\partial z_j$")
        self.animate(self.path_line, self.image, self.ax_path.title)

    def _draw(self) -> None:
        mean = float(self.values["input_mean"])
        path = zigzag_path(mean, rng=self.rng)
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.image.set_array(gradient_signs(mean, rng=self.rng))
        positive = "all inputs > 0" if mean >= 1 else "inputs of both signs"
        self.ax_path.set_title(f"input mean {mean:g} ({positive})")

    def controls(self) -> dict:
        return {"input_mean": w.FloatSlider(min=0, max=2, step=0.1, description="input mean",
                                            continuous_update=False)}
