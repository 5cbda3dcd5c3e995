"""Static figures of Chapter 1 (activation functions, 激活函数).

Each function returns a matplotlib Figure made with :func:`dlnotes.plot.new_figure`;
the numbers come from ``dlnotes.activations`` and
``dlnotes.experiments.activations``.
"""

from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS
from ..experiments.activations import SigmoidChain
from . import new_figure, style


def activation_grid(names=None, x=None):
    """Every activation :math:`f` beside its derivative :math:`f'`, one panel each (Chapter 1).

    Both curves come from the library's own pair in
    ``dlnotes.activations.ACTIVATIONS`` (``f`` solid in the activation's
    colour, ``f'`` dashed black), evaluated on ``x`` (default
    :math:`[-4, 4]`). ``names`` picks and orders the activations (default:
    all of them).
    """
    names = list(ACTIVATIONS) if names is None else list(names)
    for name in names:
        if name not in ACTIVATIONS:
            raise ValueError(f"names must be keys of ACTIVATIONS {sorted(ACTIVATIONS)}, got {name!r}")
    x = np.linspace(-4, 4, 401) if x is None else np.asarray(x, dtype=float)
    ncols = min(4, len(names))
    nrows = -(-len(names) // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(2.6 * ncols, 2.3 * nrows + 0.4), sharex=True, sharey=True)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[len(names):]:
        ax.set_visible(False)
    for ax, name in zip(axes, names):
        f, f_grad = ACTIVATIONS[name]
        ax.plot(x, f(x), color=style(name)["color"], linestyle="-", label="$f(x)$")
        ax.plot(x, f_grad(x), color="black", linestyle="--", label="$f'(x)$")
        ax.axhline(0, color="grey", linewidth=0.5)
        ax.axvline(0, color="grey", linewidth=0.5)
        ax.set_title(name)
    axes[0].set_ylim(-1.3, 4.2)
    for ax in axes[(nrows - 1) * ncols:]:
        ax.set_xlabel("x")
    axes[0].legend(loc="upper left")
    return fig


def sigmoid_chain(chain: SigmoidChain):
    """The derivative through ``n`` sigmoid units against the bound :math:`0.25^n`, log scale (Chapter 1).

    ``chain`` comes from ``dlnotes.experiments.activations.sigmoid_chain``;
    the figure shows the bound, the largest and the median measured
    :math:`\\partial h_n / \\partial h_0` over the chains.
    """
    fig, ax = new_figure(figsize=(6.4, 3.8))
    ax.semilogy(chain.n, chain.bound, color="black", linestyle="-", label="bound $0.25^n$")
    ax.semilogy(chain.n, chain.derivatives.max(axis=0), "o", color=style("sigmoid")["color"],
                label="largest measured")
    ax.semilogy(chain.n, np.median(chain.derivatives, axis=0), "s", color=style("tanh")["color"],
                label="median measured")
    ax.set_xticks(chain.n[:: max(1, chain.n.size // 10)])
    ax.set_xlabel("number of sigmoid layers n")
    ax.set_ylabel(r"$\partial h_n / \partial h_0$")
    ax.legend()
    return fig


def dead_relu(results: dict):
    """Dead ReLU units after training, against the learning rate (Chapter 1).

    ``results`` maps learning rates to ``dlnotes.experiments.activations.dead_relu``
    results. Left: the fraction of hidden units that never fire, before and
    after training. Right: every unit's firing rate after training, sorted,
    for the smallest and the largest learning rate.
    """
    lrs = np.array(sorted(results))
    fig, (left, right) = new_figure(1, 2, figsize=(9.6, 3.6))
    left.semilogx(lrs, [results[lr].before for lr in lrs], color="grey", linestyle="--", marker="o",
                  label="before training")
    left.semilogx(lrs, [results[lr].after for lr in lrs], color=style("relu")["color"], linestyle="-",
                  marker="s", label="after training")
    left.set_xlabel("learning rate")
    left.set_ylabel("fraction of dead units")
    left.set_ylim(-0.02, 1.02)
    left.legend()
    for i, lr in enumerate((lrs[0], lrs[-1])):
        rate = np.sort(results[lr].firing_rate)[::-1]
        right.plot(np.arange(1, rate.size + 1), rate, drawstyle="steps-mid", label=f"learning rate {lr:g}",
                   **style(f"run {i}", index=i))
    right.set_xlabel("hidden unit (sorted)")
    right.set_ylabel("share of examples where it fires")
    right.set_ylim(-0.02, 1.02)
    right.legend()
    return fig
