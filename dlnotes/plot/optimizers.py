"""Figures of Chapter 4, the gradient-descent variants: paths on surfaces, step sizes, loss curves.

Every optimizer is drawn in its own colour and line style from
:func:`dlnotes.plot.style`, the same in every chapter. The numbers come from
``dlnotes.experiments.optimizers``.
"""

from __future__ import annotations

import numpy as np

from . import new_figure, style

#: Relative floor for log-scaled values :math:`f - f^*` (exact zeros happen at a minimum).
LOG_FLOOR = 1e-12


def contour_levels(Z: np.ndarray, n: int = 15) -> np.ndarray:
    """Log-spaced contour levels for ``Z`` (values above the minimum, :math:`f - f^*`) (Chapter 4).

    .. math:: \\ell_k = z_\\text{lo}\\,(z_\\text{hi}/z_\\text{lo})^{k/(n-1)},

    with :math:`z_\\text{lo}` the 1st percentile of the positive values and
    :math:`z_\\text{hi}` the largest, so steep walls and flat valleys both show.
    """
    positive = Z[Z > 0]
    low = max(float(np.percentile(positive, 1)), LOG_FLOOR)
    return np.geomspace(low, float(positive.max()), n)


def draw_surface(ax, surface, n: int = 100):
    """Draw ``surface`` on ``ax``: log-spaced contours of :math:`f - f^*` and its minima as stars (Chapter 4).

    Returns the list of artists drawn, so a widget can remove them when the surface changes.
    """
    X, Y, Z = surface.grid(n)
    contour = ax.contour(X, Y, Z - surface.minimum_value, levels=contour_levels(Z - surface.minimum_value),
                         colors="0.65", linewidths=0.7)
    minima = np.array(surface.minima)
    (star,) = ax.plot(minima[:, 0], minima[:, 1], "*", color="black", markersize=12, label="minimum", zorder=5)
    (xmin, xmax), (ymin, ymax) = surface.bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_xlabel("$\\theta_1$")
    ax.set_ylabel("$\\theta_2$")
    ax.set_title(surface.name)
    return [contour, star]


def excess(surface, path: np.ndarray) -> np.ndarray:
    """:math:`f(\\theta_t) - f^*` along a path, floored at ``LOG_FLOOR`` for log axes (NaN rows stay NaN)."""
    return np.maximum(surface(path) - surface.minimum_value, LOG_FLOOR)


def plot_paths(surfaces, paths_by_surface: dict, *, ncols: int = 2):
    """A grid of panels, one per surface, with every optimizer's path :math:`\\theta_0, \\theta_1, \\dots` (Chapter 4).

    Parameters
    ----------
    surfaces : list of dlnotes.surfaces.Surface
    paths_by_surface : dict
        ``surface.name`` -> {optimizer name -> path of shape (steps + 1, 2)}.
    """
    nrows = int(np.ceil(len(surfaces) / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(4.2 * ncols, 3.4 * nrows))
    axes = np.array(axes).ravel()
    for ax, surface in zip(axes, surfaces):
        draw_surface(ax, surface)
        for i, (name, path) in enumerate(paths_by_surface[surface.name].items()):
            ax.plot(path[:, 0], path[:, 1], label=name, linewidth=1.4, **style(name, i))
    for ax in axes[len(surfaces):]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right center")
    return fig


def plot_effective_rates(rates: dict):
    """Median effective learning rate :math:`\\epsilon/(\\delta + \\sqrt r)` against the step (Chapter 4).

    ``rates`` maps an optimizer name to its per-step values; log y-axis.
    """
    fig, ax = new_figure(figsize=(6.0, 3.6))
    for i, (name, values) in enumerate(rates.items()):
        ax.plot(np.arange(1, len(values) + 1), values, label=name, **style(name, i))
    ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel("effective learning rate $\\epsilon / (\\delta + \\sqrt{r})$\n(median over weights)")
    ax.legend()
    return fig


def plot_adam_first_steps(steps: dict, lr: float):
    """Adam's step lengths in the first steps, with and without bias correction (Chapter 4).

    ``steps`` is the dict of ``dlnotes.experiments.optimizers.adam_first_steps``;
    a dotted line marks the learning rate.
    """
    fig, ax = new_figure(figsize=(6.0, 3.6))
    t = np.arange(1, len(steps["corrected"]) + 1)
    ax.plot(t, steps["corrected"], marker="o", label="with bias correction", **style("adam"))
    ax.plot(t, steps["uncorrected"], "s--", color=style("adam")["color"], alpha=0.6, label="without bias correction")
    ax.axhline(lr * np.sqrt(2), color="0.4", linestyle=":", label="$\\sqrt{2}\\,\\epsilon$ (one step of $\\epsilon$ per coordinate)")
    ax.set_xlabel("step $t$")
    ax.set_ylabel("step length $\\|\\theta_t - \\theta_{t-1}\\|$")
    ax.legend()
    return fig


def plot_loss_curves(curves: dict, *, xlabel: str = "epoch", ylabel: str = "training loss"):
    """One loss curve :math:`J(\\theta_e)` per optimizer against the epoch :math:`e`, log y-axis (Chapter 4)."""
    fig, ax = new_figure(figsize=(6.4, 4.0))
    for i, (name, values) in enumerate(curves.items()):
        ax.plot(np.arange(1, len(values) + 1), values, label=name, linewidth=1.6, **style(name, i))
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(ncols=2)
    return fig
