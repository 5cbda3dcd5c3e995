"""Figures of Chapter 7, batch normalization.

The numbers come from ``dlnotes.book.experiments.ch07_batchnorm``. The two
networks the chapter compares keep one look in every figure (:data:`LOOKS`):
without BatchNorm a vermillion dashed line, with BatchNorm a blue solid one.
"""

from __future__ import annotations

import numpy as np

from . import OKABE_ITO, epoch_ticks, new_figure, style

#: Colour and line style of the network without and with BatchNorm (Chapter 7).
LOOKS = {
    "plain": {"color": OKABE_ITO["vermillion"], "linestyle": "--"},
    "batchnorm": {"color": OKABE_ITO["blue"], "linestyle": "-"},
}

#: How the chapter names the two networks in legends and titles.
NAMES = {"plain": "without BatchNorm", "batchnorm": "with BatchNorm"}


#: Legend text of the shaded band: at each step, the middle 80% of the units' values.
BAND = "middle 80% of the units (10th-90th percentile)"


def _band(ax, steps, values, look, label):
    """The mean over the units (columns) as a line, and the middle 80% of the units at each step as a shaded band."""
    low, high = np.quantile(values, [0.1, 0.9], axis=1)
    ax.fill_between(steps, low, high, color=look["color"], alpha=0.28, linewidth=0, label=BAND)
    return ax.plot(steps, values.mean(axis=1), linewidth=2, label=label, **look)[0]


def plot_running_statistics(stats):
    """``running_mean`` and ``running_var`` of a ``BatchNorm1d`` converging to the data's mean and variance (Chapter 7).

    ``stats`` is the :class:`~dlnotes.book.experiments.ch07_batchnorm.RunningStatistics`
    of ``running_statistics``. Left: the running mean (mean over the features,
    and a shaded band holding the middle 80% of them at each step), its expectation
    :math:`(1 - (1 - \\text{momentum})^t)\\,\\mu` and the true mean. Right: the running
    variance, which averages the unbiased :math:`\\frac{m}{m-1}\\sigma_B^2` and tends
    to the true variance, against the same average of the biased :math:`\\sigma_B^2`,
    which tends to :math:`\\frac{m-1}{m}` of it.
    """
    fig, (ax_mean, ax_var) = new_figure(1, 2, figsize=(10.4, 3.8))
    steps, m = stats.steps, stats.batch_size
    blue, neutral = LOOKS["batchnorm"], style("neutral_alt")
    _band(ax_mean, steps, stats.running_mean, blue, "running_mean (mean over units)")
    ax_mean.plot(steps, stats.expected(0.0, stats.mean), **style("reference"), linewidth=1.5, zorder=3,
                 label="its expectation (on top)")
    ax_mean.axhline(stats.mean, **neutral, linewidth=1, label=f"true mean {stats.mean:g}")
    ax_mean.set(xlabel="training step $t$ (one batch each)", ylabel="running_mean",
                title=f"batches of m = {m}, momentum = {stats.momentum:g}")
    _band(ax_var, steps, stats.running_var, blue, "running_var, from the unbiased $m\\sigma_B^2/(m-1)$")
    biased = stats.biased_var.mean(axis=1)
    ax_var.plot(steps, biased, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=2,
                label="if it averaged the biased $\\sigma_B^2$")
    ax_var.axhline(stats.var, **neutral, linewidth=1, label=f"true variance {stats.var:g}")
    ax_var.axhline((m - 1) / m * stats.var, **style("reference"), linewidth=1,
                   label=f"(m - 1)/m × variance = {(m - 1) / m * stats.var:g}")
    ax_var.set(xlabel="training step $t$ (one batch each)", ylabel="running_var",
               title="the running variance is unbiased")
    for ax in (ax_mean, ax_var):
        epoch_ticks(ax.xaxis)
        ax.set_xlim(0, steps[-1])
        ax.legend(fontsize=9, loc="lower right")
    return fig
