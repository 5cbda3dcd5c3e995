"""Figures of Chapter 4, the gradient-descent variants: paths on surfaces, step sizes, loss curves.

Every optimizer is drawn in its own colour and line style from
:func:`dlnotes.plot.style`, the same in every chapter. The numbers come from
``dlnotes.experiments.optimizers``.
"""

from __future__ import annotations

import numpy as np
from . import new_figure, style
from .optimization import epoch_ticks, readable_log_axis

#: Relative floor for log-scaled values :math:`f - f^*` (exact zeros happen at a minimum).
LOG_FLOOR = 1e-12

#: A second cue for optimizers that share a colour: RMSProp and RMSProp+Momentum are both green,
#: so the latter also carries hollow triangles along its line.
MARKERS = {"RMSProp+Momentum": {"marker": "^", "markevery": 0.08, "markersize": 5, "markerfacecolor": "white"}}

#: How a path's start is drawn: a white circle, in no optimizer's colour.
START = {"marker": "o", "markersize": 7, "markerfacecolor": "white", "markeredgecolor": "black",
         "markeredgewidth": 1.2, "linestyle": "none", "zorder": 7}

#: Largest ratio of the window's sides for which contours are drawn with equal scales on both axes.
EQUAL_ASPECT_UP_TO = 3.0


def look(name: str, index: int = 0) -> dict:
    """Line keywords for the optimizer ``name``: :func:`dlnotes.plot.style` plus its :data:`MARKERS`, if any (Chapter 4)."""
    return {**style(name, index), **MARKERS.get(name, {})}


def end_point(path: np.ndarray, bounds) -> tuple[np.ndarray, bool]:
    """Where a path ends, and whether it diverged (Chapter 4).

    A diverged path (NaN rows of ``dlnotes.surfaces.trajectory``) ends at its last finite
    point, moved onto the edge of the window ``bounds`` so that its mark stays in sight:
    :math:`\\text{end} = \\operatorname{clip}(\\theta_{t_\\text{last}}, \\text{bounds})`.
    """
    finite = path[np.all(np.isfinite(path), axis=1)]
    diverged = len(finite) < len(path)
    end = finite[-1]
    if diverged:
        (xmin, xmax), (ymin, ymax) = bounds
        end = np.clip(end, [xmin, ymin], [xmax, ymax])
    return end, diverged


def mark_end(ax, path: np.ndarray, name: str, index: int = 0):
    """Mark where ``path`` ends on ``ax``: a dot in the optimizer's colour, or a cross where it diverged (Chapter 4).

    The point comes from :func:`end_point` with the axes' window. Returns the marker's line artist.
    """
    end, diverged = end_point(path, (ax.get_xlim(), ax.get_ylim()))
    (marker,) = ax.plot([end[0]], [end[1]], "X" if diverged else "o", color=style(name, index)["color"],
                        markersize=9 if diverged else 6, markeredgecolor="black" if diverged else "none",
                        linestyle="none", zorder=6)
    return marker


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
    """Draw ``surface`` on ``ax``: log-spaced contours of :math:`f - f^*`, its minima as stars (Chapter 4).

    A surface with a ``saddle`` attribute (the saddle point, where :math:`\\nabla f = 0` but
    :math:`f` is no minimum) gets a cross there. Both axes have the same scale unless the
    window's sides differ by more than :data:`EQUAL_ASPECT_UP_TO`, so a round bowl looks round.
    Returns the list of artists drawn, so a widget can remove them when the surface changes.
    """
    X, Y, Z = surface.grid(n)
    contour = ax.contour(X, Y, Z - surface.minimum_value, levels=contour_levels(Z - surface.minimum_value),
                         colors="0.65", linewidths=0.7)
    minima = np.array(surface.minima)
    (star,) = ax.plot(minima[:, 0], minima[:, 1], "*", color="black", markersize=12, label="minimum",
                      linestyle="none", zorder=5)
    artists = [contour, star]
    saddle = getattr(surface, "saddle", None)
    if saddle is not None:
        (cross,) = ax.plot([saddle[0]], [saddle[1]], "P", color="black", markerfacecolor="white", markersize=9,
                           label="saddle point", linestyle="none", zorder=5)
        artists.append(cross)
    (xmin, xmax), (ymin, ymax) = surface.bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    sides = (xmax - xmin) / (ymax - ymin)
    ax.set_aspect("equal" if 1 / EQUAL_ASPECT_UP_TO <= sides <= EQUAL_ASPECT_UP_TO else "auto", adjustable="box")
    ax.set_xlabel("$\\theta_1$")
    ax.set_ylabel("$\\theta_2$")
    ax.set_title(surface.name)
    return artists


def excess(surface, path: np.ndarray) -> np.ndarray:
    """:math:`f(\\theta_t) - f^*` along a path, floored at ``LOG_FLOOR`` for log axes (NaN rows stay NaN)."""
    return np.maximum(surface(path) - surface.minimum_value, LOG_FLOOR)


def plot_paths(surfaces, paths_by_surface: dict, *, ncols: int = 2):
    """A grid of panels, one per surface, with every optimizer's path :math:`\\theta_0, \\theta_1, \\dots` (Chapter 4).

    Each path starts at a white circle and ends at a dot in its colour (a cross where it
    diverged), so a path too short to see still shows where it went.

    Parameters
    ----------
    surfaces : list of dlnotes.surfaces.Surface
    paths_by_surface : dict
        ``surface.name`` -> {optimizer name -> path of shape (steps + 1, 2)}.
    """
    nrows = int(np.ceil(len(surfaces) / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(4.2 * ncols, 3.4 * nrows))
    axes = np.array(axes).ravel()
    handles = {}
    for ax, surface in zip(axes, surfaces):
        for artist in draw_surface(ax, surface)[1:]:
            handles.setdefault(artist.get_label(), artist)
        starts = set()
        for i, (name, path) in enumerate(paths_by_surface[surface.name].items()):
            (line,) = ax.plot(path[:, 0], path[:, 1], label=name, linewidth=1.4, **look(name, i))
            handles.setdefault(name, line)
            mark_end(ax, path, name, i)
            starts.add(tuple(path[0]))
        for x, y in starts:
            handles.setdefault("start", ax.plot([x], [y], label="start", **START)[0])
    for ax in axes[len(surfaces):]:
        ax.set_visible(False)
    fig.legend(list(handles.values()), list(handles), loc="outside right center")
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
    readable_log_axis(ax.yaxis)
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
    epoch_ticks(ax.xaxis)
    ax.legend()
    return fig


def plot_loss_curves(curves: dict, *, xlabel: str = "epoch", ylabel: str = "training loss"):
    """One loss curve :math:`J(\\theta_e)` per optimizer against the epoch :math:`e`, log y-axis (Chapter 4)."""
    fig, ax = new_figure(figsize=(6.4, 4.0))
    for i, (name, values) in enumerate(curves.items()):
        ax.plot(np.arange(1, len(values) + 1), values, label=name, linewidth=1.6, **look(name, i))
    epoch_ticks(ax.xaxis)
    ax.set_yscale("log")
    readable_log_axis(ax.yaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(ncols=2)
    return fig
