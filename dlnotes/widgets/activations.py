"""Interactive figures of Chapter 1 (activation functions, 激活函数).

- :class:`DeepStackFigure`: weight scale of a 10-layer stack -> pre-activation
  histograms per layer and the gradient norm reaching each layer, for
  sigmoid, tanh and ReLU;
- :class:`ZigzagFigure`: the mean of the inputs -> the zig-zag path of two
  weights and the sign pattern of one example's weight gradient.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from .._validation import check_choice
from ..experiments.activations import deep_stack, gradient_signs, layer_histograms, zigzag_path
from ..plot import new_figure, style
from . import InteractiveFigure, freeze_layout

#: Activations compared in the deep-stack figure.
STACK_ACTIVATIONS = ("sigmoid", "tanh", "relu")


class DeepStackFigure(InteractiveFigure):
    """A deep stack at weight scale ``weight_scale``: what each layer sees, and what reaches layer 1 (Chapter 1).

    Left: for ``activation``, the histogram of the pre-activations
    :math:`z^{(l)}` of each layer :math:`l` (one row per layer, values beyond
    :math:`\\pm 6` counted at the ends; the grey bands mark where sigmoid and
    tanh saturate, :math:`|z| > 4`). Right: the gradient norm
    :math:`\\lVert \\partial L / \\partial W^{(l)} \\rVert` per layer for sigmoid,
    tanh and ReLU on the same weights (see
    ``dlnotes.experiments.activations.deep_stack``), log scale; the title
    gives the value at layer 1.
    """

    EDGES = np.linspace(-6, 6, 49)

    def __init__(self, activation: str = "sigmoid", weight_scale: float = 1.0, *, n_layers: int = 10, rng=0):
        super().__init__(activation=activation, weight_scale=weight_scale)
        self.n_layers, self.rng = n_layers, rng
        self.fig, (self.ax_hist, self.ax_grad) = new_figure(1, 2, figsize=(10, 4.2))
        centres = (self.EDGES[:-1] + self.EDGES[1:]) / 2
        self.ridges = [self.ax_hist.plot(centres, np.full(centres.size, float(layer)), color="black",
                                         drawstyle="steps-mid")[0] for layer in range(1, n_layers + 1)]
        for side in (-1, 1):
            self.ax_hist.axvspan(4 * side, 6 * side, color="grey", alpha=0.15)
        self.ax_hist.set_xlim(self.EDGES[0], self.EDGES[-1])
        self.ax_hist.set_ylim(0.5, n_layers + 1.5)
        self.ax_hist.set_xlabel("pre-activation $z$ (clipped to ±6)")
        self.ax_hist.set_ylabel("layer (histogram of $z$)")
        layers = np.arange(1, n_layers + 1)
        self.grad_lines = {
            name: self.ax_grad.semilogy(layers, np.ones(n_layers), marker="o", label=name, **style(name))[0]
            for name in STACK_ACTIVATIONS
        }
        self.ax_grad.set_ylim(1e-16, 1e10)
        self.ax_grad.set_xlabel("layer (1 = first)")
        self.ax_grad.set_ylabel(r"gradient norm $\|\partial L / \partial W^{(l)}\|$")
        self.ax_grad.legend(loc="lower right")
        self.update()
        freeze_layout(self.fig)

    def _draw(self) -> None:
        activation = check_choice(self.values["activation"], "activation", STACK_ACTIVATIONS)
        scale = float(self.values["weight_scale"])
        stacks = {name: deep_stack(name, scale, n_layers=self.n_layers, rng=self.rng) for name in STACK_ACTIVATIONS}
        for name, line in self.grad_lines.items():
            line.set_ydata(np.clip(stacks[name].grad_norms, 1e-300, None))
            line.set_linewidth(3 if name == activation else 1.2)
        shown = stacks[activation]
        fractions = layer_histograms(shown.preactivations, self.EDGES)
        colour = style(activation)["color"]
        for layer, (line, fraction) in enumerate(zip(self.ridges, fractions), start=1):
            line.set_ydata(layer + 0.9 * fraction / fractions.max())
            line.set_color(colour)
        self.ax_hist.set_title(f"{activation}, weight scale {scale:g}")
        self.ax_grad.set_title(f"gradient reaching layer 1 ({activation}): {shown.grad_norms[0]:.1e}")

    def controls(self) -> dict:
        return {
            "activation": w.Dropdown(options=list(STACK_ACTIVATIONS), description="activation"),
            "weight_scale": w.FloatLogSlider(base=10, min=-1, max=1, step=0.05, description="weight scale",
                                             continuous_update=False),
        }


class ZigzagFigure(InteractiveFigure):
    """Inputs that are not zero-centred make weight updates zig-zag (Chapter 1).

    Left: the path of two weights :math:`(w_1, w_2)` trained one example at a
    time toward :math:`w^* = (1, -1)` (``dlnotes.experiments.activations.zigzag_path``)
    for inputs with mean ``input_mean``. Right: the signs of one example's
    weight gradient :math:`x_i \\delta_j` for 8 inputs and 6 units
    (``gradient_signs``): with all-positive inputs each unit's column has one sign.
    """

    def __init__(self, input_mean: float = 1.5, *, rng=0):
        super().__init__(input_mean=input_mean)
        self.rng = rng
        self.fig, (self.ax_path, self.ax_sign) = new_figure(1, 2, figsize=(9.6, 4.2),
                                                             gridspec_kw={"width_ratios": [1.2, 1]})
        self.path_line, = self.ax_path.plot([], [], marker=".", color=style("sgd")["color"], label="SGD path")
        self.ax_path.plot([1], [-1], marker="*", markersize=14, color=style("sigmoid")["color"],
                          linestyle="none", label="target $w^*$")
        self.ax_path.plot([0, 1], [0, -1], color="grey", linestyle=":", label="straight line")
        self.ax_path.set_xlim(-0.6, 1.6)
        self.ax_path.set_ylim(-1.6, 0.6)
        self.ax_path.set_aspect("equal")
        self.ax_path.set_xlabel("$w_1$")
        self.ax_path.set_ylabel("$w_2$")
        self.ax_path.legend(loc="upper right")
        self.image = self.ax_sign.imshow(np.zeros((8, 6)), cmap="PuOr", vmin=-1, vmax=1)
        self.ax_sign.set_xlabel("unit $j$")
        self.ax_sign.set_ylabel("input $i$")
        self.ax_sign.grid(False)
        self.fig.colorbar(self.image, ax=self.ax_sign, ticks=[-1, 0, 1], label=r"sign of $\partial L/\partial W_{ij}$")
        self.update()
        freeze_layout(self.fig)

    def _draw(self) -> None:
        mean = float(self.values["input_mean"])
        path = zigzag_path(mean, rng=self.rng)
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.image.set_array(gradient_signs(mean, rng=self.rng))
        positive = "all inputs > 0" if mean >= 1 else "inputs of both signs"
        self.ax_path.set_title(f"input mean {mean:g} ({positive})")
        self.ax_sign.set_title("signs of $x_i \\delta_j$")

    def controls(self) -> dict:
        return {"input_mean": w.FloatSlider(min=0, max=2, step=0.1, description="input mean",
                                            continuous_update=False)}
