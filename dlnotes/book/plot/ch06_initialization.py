"""Static figures of Chapter 6 (weight initialization, 权重初始化).

Each function returns a matplotlib Figure made with :func:`dlnotes.book.plot.new_figure`;
the numbers come from ``dlnotes.book.experiments.ch06_initialization``.
"""

from __future__ import annotations

import math

import numpy as np

from . import OKABE_ITO, epoch_ticks, new_figure, readable_log_axis, style
from .ch01_activations import TITLES

#: The look of the three starting points of the symmetry experiment, in the order they are passed.
#: They name no activation or optimizer, so they use colours no other curve of this chapter uses.
SYMMETRY_STYLES = (
    {"color": OKABE_ITO["black"], "linestyle": "-"},
    {"color": OKABE_ITO["purple"], "linestyle": "--"},
    {"color": OKABE_ITO["blue"], "linestyle": "-."},
)

#: Display names of the initializers compared in the chapter.
INIT_TITLES = {"xavier_normal": "Xavier", "kaiming_normal": "He"}

#: Line style and marker of each initializer in the comparison (the colour is the activation's).
INIT_LOOKS = {"xavier_normal": {"linestyle": "-", "marker": "o"}, "kaiming_normal": {"linestyle": "--", "marker": "s"}}


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(exponent: float) -> str:
    """:math:`10^k` as plain text with superscript digits, ``"10⁻⁶"`` for ``-6`` (Chapter 6).

    Plain text, which a widget lays out faster than mathtext.
    """
    return "10" + f"{exponent:g}".translate(_SUPERSCRIPT)


def decade_ticks(low: float, high: float, max_ticks: int = 8) -> np.ndarray:
    """Whole powers of ten between ``low`` and ``high`` (:math:`\\log_{10}` values), every 1, 2, 3, ... decades (Chapter 6).

    The step is the smallest whole number of decades that leaves at most
    ``max_ticks`` ticks; the ticks are its multiples.
    """
    if not high > low:
        raise ValueError(f"high must be larger than low, got low={low!r}, high={high!r}")
    step = max(1, math.ceil((high - low) / max_ticks))
    return np.arange(math.ceil(low / step) * step, math.floor(high / step) * step + step / 2, step, dtype=float)


def percent(share: float) -> str:
    """A share as a percentage with two significant digits: ``"3.7%"``, ``"0.32%"``, ``"45%"``, ``"0%"``, ``"100%"`` (Chapter 6)."""
    value = 100 * float(share)
    return f"{value:.2g}%" if abs(value) < 99.5 else f"{value:.0f}%"


def plot_symmetry(runs: dict):
    """Hidden units trained from equal and from random weights: do they stay identical? (Chapter 6).

    ``runs`` maps a panel title to a
    ``dlnotes.book.experiments.ch06_initialization.SymmetryRun`` (three at most,
    drawn in the order given). One panel per run shows, against the epoch, the
    weights :math:`W^{(1)}_{1j}` from input 1 to the hidden units :math:`j` of
    layer 1: the shaded band spans the smallest to the largest, so units that
    stay identical draw a single line. The title gives the spread
    :math:`\\Delta_\\text{units}` of both hidden layers after the last epoch. The last panel
    shows the training loss of every run.
    """
    if not 1 <= len(runs) <= len(SYMMETRY_STYLES):
        raise ValueError(f"runs must hold 1 to {len(SYMMETRY_STYLES)} runs, got {len(runs)}")
    fig, axes = new_figure(1, len(runs) + 1, figsize=(3.2 * (len(runs) + 1), 3.6))
    loss_ax = axes[-1]
    for ax, look, (title, run) in zip(axes, SYMMETRY_STYLES, runs.items()):
        epochs = np.arange(run.first_weights.shape[0])
        low, high = run.first_weights.min(axis=1), run.first_weights.max(axis=1)
        ax.fill_between(epochs, low, high, color=look["color"], alpha=0.25, linewidth=0)
        ax.plot(epochs, low, linewidth=1.6, **look)
        ax.plot(epochs, high, linewidth=1.6, **look)
        spread = max(run.spread[-1])
        ax.set_title(f"{title}\nspread $\\Delta_\\mathrm{{units}}$ = {spread:.3g} after {epochs[-1]} epochs", fontsize=10)
        ax.set_xlabel("epoch")
        epoch_ticks(ax.xaxis)
        loss_ax.plot(np.arange(1, run.train_loss.size + 1), run.train_loss, linewidth=2, label=title, **look)
    axes[0].set_ylabel("weights $W^{(1)}_{1j}$ into the hidden units")
    loss_ax.set_title("training loss", fontsize=10)
    loss_ax.set_xlabel("epoch")
    loss_ax.set_ylabel("cross-entropy")
    loss_ax.set_ylim(bottom=0)
    epoch_ticks(loss_ax.xaxis)
    loss_ax.legend(fontsize=9)
    return fig


def plot_init_comparison(profiles: dict):
    """Xavier against He on tanh and on ReLU, layer by layer (Chapter 6).

    ``profiles`` maps ``(init, activation)`` to a
    ``dlnotes.book.experiments.ch06_initialization.LayerProfile`` (from
    ``init_comparison``). Left: the standard deviation of the pre-activations
    :math:`z^{(l)}` of each layer; right: the Frobenius norm of the weight gradient,
    :math:`\\lVert \\partial L / \\partial W^{(l)} \\rVert_F = (\\sum_{ij} (\\partial L / \\partial W^{(l)}_{ij})^2)^{1/2}`;
    both on log scales.
    The colour is the activation's (as in every chapter), the line style and
    marker the initializer's.
    """
    fig, (left, right) = new_figure(1, 2, figsize=(10.4, 4.2))
    for (init, activation), profile in profiles.items():
        layers = np.arange(1, profile.z_std.size + 1)
        look = {"color": style(activation)["color"], **INIT_LOOKS.get(init, {"linestyle": ":", "marker": "^"})}
        label = f"{INIT_TITLES.get(init, init)} + {TITLES.get(activation, activation)}"
        left.semilogy(layers, profile.z_std, linewidth=2, label=label, **look)
        right.semilogy(layers, profile.grad_norms, linewidth=2, label=label, **look)
    left.set_title("forward: size of the pre-activations")
    left.set_ylabel("std of $z^{(l)}$")
    right.set_title("backward: size of the weight gradients")
    right.set_ylabel(r"$\|\partial L / \partial W^{(l)}\|_F$")
    for ax in (left, right):
        ax.set_xlabel("layer $l$")
        ax.set_xticks(layers)
        readable_log_axis(ax.yaxis)
    fig.legend(handles=left.get_legend_handles_labels()[0], loc="outside lower center", ncols=len(profiles))
    return fig
