"""Static figures of Chapter 1 (activation functions, 激活函数).

Each function returns a matplotlib Figure made with :func:`dlnotes.book.plot.new_figure`;
the numbers come from ``dlnotes.activations`` and
``dlnotes.book.experiments.ch01_activations``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ...activations import ACTIVATIONS
from ..experiments.ch01_activations import ScaleSweep, SigmoidChain
from . import new_figure, style


#: Panel titles of the activations, as the text names them.
TITLES = {
    "sigmoid": "Sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "elu": "ELU",
    "softplus": "Softplus",
    "gelu": "GELU",
    "silu": "SiLU (Swish)",
}


def plot_activation_grid(names=None, x=None, *, leaky_slope: float = 0.1):
    """Every activation :math:`f` with its derivative :math:`f'`, one panel each (Chapter 1).

    Both curves come from the library's own pair in
    ``dlnotes.activations.ACTIVATIONS``, in the activation's colour: ``f``
    solid, ``f'`` dashed, evaluated on ``x`` (default :math:`z \\in [-4, 4]`).
    Leaky ReLU :math:`\\max(az, z)` is drawn with slope :math:`a` =
    ``leaky_slope`` (0.1, ten times the library default 0.01, so the slope is
    visible). ``names`` picks and orders the activations (default: all of them).
    """
    names = list(ACTIVATIONS) if names is None else list(names)
    for name in names:
        if name not in ACTIVATIONS:
            raise ValueError(f"names must be keys of ACTIVATIONS {sorted(ACTIVATIONS)}, got {name!r}")
    x = np.linspace(-4, 4, 401) if x is None else np.asarray(x, dtype=float)
    ncols = min(4, len(names))
    nrows = -(-len(names) // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(2.7 * ncols, 2.3 * nrows + 0.7), sharex=True, sharey=True)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[len(names):]:
        ax.set_visible(False)
    for ax, name in zip(axes, names):
        f, f_grad = ACTIVATIONS[name]
        kw = {"negative_slope": leaky_slope} if name == "leaky_relu" else {}
        colour = style(name)["color"]
        ax.plot(x, f(x, **kw), color=colour, linestyle="-", linewidth=2)
        ax.plot(x, f_grad(x, **kw), color=colour, linestyle="--", linewidth=2)
        ax.axhline(0, color="black", linewidth=0.5)
        ax.axvline(0, color="black", linewidth=0.5)
        ax.grid(alpha=0.12)
        ax.set_title(f"{TITLES.get(name, name)} ($a = {leaky_slope:g}$)" if kw else TITLES.get(name, name))
    axes[0].set_ylim(-1.3, 4.2)
    for ax in axes[(nrows - 1) * ncols:]:
        ax.set_xlabel("$z$")
    for ax in axes[::ncols]:
        ax.set_ylabel("$f(z)$, $f'(z)$")
    handles = [Line2D([], [], color="black", linestyle=ls, linewidth=2) for ls in ("-", "--")]
    fig.legend(handles, ["$f(z)$", "$f'(z)$"], loc="outside upper center", ncols=2)
    return fig


def plot_sigmoid_chain(chain: SigmoidChain):
    """The derivative through ``n`` sigmoid units against the bound :math:`0.25^n`, log scale (Chapter 1).

    ``chain`` comes from ``dlnotes.book.experiments.ch01_activations.sigmoid_chain``;
    the figure shows the bound, the largest and the median measured
    :math:`|\\partial h_n / \\partial h_0|` over the chains.
    """
    fig, ax = new_figure(figsize=(6.4, 3.8))
    ax.semilogy(chain.n, chain.bound, label="bound $0.25^n$", **style("reference"))
    ax.semilogy(chain.n, chain.derivatives.max(axis=0), "o", color=style("sigmoid")["color"],
                label="largest measured")
    ax.semilogy(chain.n, np.median(chain.derivatives, axis=0), "s", color=style("neutral_alt")["color"],
                label="median measured")
    ax.set_xticks(chain.n[:: max(1, chain.n.size // 10)])
    ax.set_xlabel("number of sigmoid layers n")
    ax.set_ylabel(r"$|\partial h_n / \partial h_0|$")
    ax.legend()
    return fig


def plot_scale_sweep(sweep: ScaleSweep):
    """What a larger weight scale buys and costs in a deep stack, for each activation (Chapter 1).

    ``sweep`` comes from ``dlnotes.book.experiments.ch01_activations.scale_sweep``.
    Left: the ratio :math:`\\lVert \\partial L / \\partial W^{(1)} \\rVert / \\lVert \\partial L / \\partial W^{(L)} \\rVert`
    against the weight scale (log-log; 1 means the first layer gets as much as the last).
    Right: the share of units with :math:`f'(z) < 0.01`, averaged over layers.
    One legend below both panels names the activations (display names of ``TITLES``).
    """
    fig, (left, right) = new_figure(1, 2, figsize=(9.6, 4.0))
    for name in sweep.ratio:
        label = TITLES.get(name, name)
        left.loglog(sweep.scales, sweep.ratio[name], label=label, linewidth=2, **style(name))
        right.semilogx(sweep.scales, sweep.low_gradient[name], label=label, linewidth=2, **style(name))
    left.axhline(1, label="ratio 1: layer 1 gets as much as the last", **style("reference"))
    left.text(0.02, 0.97, "above 1: explodes toward layer 1", transform=left.transAxes, va="top", fontsize=9)
    left.text(0.98, 0.03, "below 1: vanishes toward layer 1", transform=left.transAxes, ha="right", va="bottom",
              fontsize=9)
    left.set_title("gradient reaching layer 1, relative to the last layer")
    left.set_ylabel("gradient norm, layer 1 / last layer")
    right.set_ylim(-0.02, 1.02)
    right.set_title("units passing almost no gradient")
    right.set_ylabel("share of units with $f'(z) < 0.01$")
    for ax in (left, right):
        ax.set_xlabel("weight scale $s$")
    # one legend for both panels, below them, so it covers no curve and no note
    fig.legend(handles=left.get_legend_handles_labels()[0], loc="outside lower center", ncols=len(sweep.ratio) + 1)
    return fig


def plot_dead_relu(results: dict):
    """Dead ReLU units after training, against the learning rate (Chapter 1).

    ``results`` maps learning rates to ``dlnotes.book.experiments.ch01_activations.dead_relu``
    results. Left: the fraction of hidden units that never fire, before and
    after training. Right: every unit's firing rate after training, sorted,
    for the smallest and the largest learning rate.
    """
    lrs = np.array(sorted(results))
    fig, (left, right) = new_figure(1, 2, figsize=(9.6, 3.6))
    left.semilogx(lrs, [results[lr].before for lr in lrs], marker="o", label="before training",
                  **style("neutral_alt"))
    left.semilogx(lrs, [results[lr].after for lr in lrs], color=style("relu")["color"], linestyle="-",
                  marker="s", label="after training")
    left.set_xlabel("learning rate")
    left.set_ylabel("fraction of dead units")
    left.set_ylim(-0.02, 1.02)
    left.legend()
    for role, lr in zip(("neutral", "neutral_alt"), (lrs[0], lrs[-1])):
        rate = np.sort(results[lr].firing_rate)[::-1]
        right.plot(np.arange(1, rate.size + 1), rate, drawstyle="steps-mid", label=f"learning rate {lr:g}",
                   linewidth=2, **style(role))
    right.set_xlabel("hidden unit (sorted)")
    right.set_ylabel("share of examples where it fires")
    right.set_ylim(-0.02, 1.02)
    right.legend()
    return fig
