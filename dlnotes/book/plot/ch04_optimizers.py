"""Figures of Chapter 4, the gradient-descent variants: paths on surfaces, step sizes, loss curves.

Every optimizer is drawn in its own colour and line style from
:func:`dlnotes.book.plot.style`, the same in every chapter, plus the marker and
draw order of its record (``dlnotes.book.experiments.ch04_optimizers.OPTIMIZERS``).
The numbers come from ``dlnotes.book.experiments.ch04_optimizers``.
"""

from __future__ import annotations

import numpy as np

from ..experiments.ch04_optimizers import OPTIMIZERS
from . import epoch_ticks, new_figure, readable_log_axis, style

#: Relative floor for log-scaled values :math:`f - f^*` (exact zeros happen at a minimum).
LOG_FLOOR = 1e-12

#: How a path whose record says ``beneath`` is drawn: thinner, and beneath the other paths.
BENEATH = {"linewidth": 0.8, "zorder": 1.9}

#: How a path's start is drawn: a white circle, in no optimizer's colour.
START = {"marker": "o", "markersize": 7, "markerfacecolor": "white", "markeredgecolor": "black",
         "markeredgewidth": 1.2, "linestyle": "none", "zorder": 7}

#: Largest ratio of the window's sides for which contours are drawn with equal scales on both axes.
EQUAL_ASPECT_UP_TO = 3.0

#: The window each surface is drawn in, ((xmin, xmax), (ymin, ymax)), all 4 wide by 3 high so that panels
#: with equal scales on both axes come out the same size; each holds the surface's start, its minima and every
#: path of the book's race. Other surfaces are drawn over their own ``bounds``.
WINDOWS = {
    "quadratic": ((-5.0, 5.0), (-4.5, 3.0)),
    "rosenbrock": ((-2.4, 2.4), (-0.6, 3.0)),
    "beale": ((-0.5, 4.5), (-1.75, 2.0)),
    "saddle": ((-2.0, 2.0), (-1.5, 1.5)),
}


def window(surface) -> tuple[tuple[float, float], tuple[float, float]]:
    """The part of the plane a figure shows for ``surface``: :data:`WINDOWS`, else ``surface.bounds`` (Chapter 4)."""
    return WINDOWS.get(surface.name, surface.bounds)


def window_grid(surface, n: int = 100) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(X, Y, Z)`` on an ``n`` by ``n`` grid over :func:`window`, with :math:`Z = f(X, Y) - f^*` (Chapter 4)."""
    (xmin, xmax), (ymin, ymax) = window(surface)
    X, Y = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
    return X, Y, surface(np.stack([X, Y], axis=-1)) - surface.minimum_value


def look(name: str, index: int = 0) -> dict:
    """Line keywords for the optimizer ``name``: :func:`dlnotes.book.plot.style` plus its record's marker, if any (Chapter 4).

    RMSProp and RMSProp+Momentum are both green, so the latter also carries hollow triangles along its line.
    """
    record = OPTIMIZERS.get(name)
    return {**style(name, index), **(record.marker if record else {})}


def path_look(name: str, index: int = 0, linewidth: float = 1.4) -> dict:
    """Keywords for the path of optimizer ``name`` on a surface: :func:`look`, a line width, and :data:`BENEATH` if its record says so (Chapter 4)."""
    record = OPTIMIZERS.get(name)
    return {"linewidth": linewidth, **look(name, index), **(BENEATH if record and record.beneath else {})}


def _inside(points: np.ndarray, bounds) -> np.ndarray:
    """Which rows of ``points`` lie in the window ``bounds`` (edges included)."""
    (xmin, xmax), (ymin, ymax) = bounds
    x, y = points[:, 0], points[:, 1]
    return (xmin <= x) & (x <= xmax) & (ymin <= y) & (y <= ymax)


def _exit(inside: np.ndarray, outside: np.ndarray, bounds) -> np.ndarray:
    """Where the segment from ``inside`` (:math:`p`) to ``outside`` (:math:`q`) crosses the window's edge.

    .. math:: p + s^\\star (q - p), \\qquad s^\\star = \\max\\{s \\in [0, 1] : p + s (q - p) \\in \\text{window}\\}.
    """
    (xmin, xmax), (ymin, ymax) = bounds
    low, high = np.array([xmin, ymin]), np.array([xmax, ymax])
    d = outside - inside
    edge = np.where(d > 0, high, low) - inside
    s = np.divide(edge, d, out=np.full(2, np.inf), where=d != 0)
    return inside + min(1.0, float(s.min())) * d


def path_in_window(path: np.ndarray, bounds, escape=None) -> tuple[np.ndarray, np.ndarray, bool]:
    """The part of a path a figure draws, where it ends, and whether it diverged (Chapter 4).

    A path that stayed (no NaN row) is drawn whole and ends at its last point. A diverged path
    (NaN rows of a ``dlnotes.surfaces.descend`` path) is drawn up to its last point
    :math:`\\theta_i` inside the window ``bounds``, then along its next segment to where that
    segment leaves the window, which is its end (a cross there shows where it went). The next
    point is :math:`\\theta_{i+1}`, or ``escape`` (the point the diverging step jumped to,
    ``dlnotes.surfaces.Descent.escape``) when :math:`\\theta_i` is the last finite
    row; without it the end is :math:`\\theta_i` itself.

    Returns
    -------
    points : array of shape (m, 2)
    end : array of shape (2,)
    diverged : bool
    """
    path = np.asarray(path, dtype=float)
    finite = path[np.all(np.isfinite(path), axis=1)]
    if len(finite) == len(path):
        return path, path[-1], False
    inside = np.flatnonzero(_inside(finite, bounds))
    if not inside.size:  # started outside the window: mark its last point on the edge
        (xmin, xmax), (ymin, ymax) = bounds
        return finite, np.clip(finite[-1], [xmin, ymin], [xmax, ymax]), True
    i = int(inside[-1])
    following = finite[i + 1] if i + 1 < len(finite) else escape
    end = finite[i] if following is None else _exit(finite[i], np.asarray(following, dtype=float), bounds)
    return np.vstack([finite[: i + 1], end]), end, True


def end_marker(color, diverged: bool) -> dict:
    """Keywords of a path's end mark: a small dot with a white edge, or a cross with a black edge once diverged (Chapter 4).

    The cross sits on the window's edge, so it is not clipped there (artists carrying it should also be
    left out of the layout, ``in_layout=False``).
    """
    if diverged:
        return {"marker": "X", "markersize": 9, "color": color, "markeredgecolor": "black", "markeredgewidth": 0.8,
                "clip_on": False}
    return {"marker": "o", "markersize": 5, "color": color, "markeredgecolor": "white", "markeredgewidth": 0.8,
            "clip_on": True}


def mark_end(ax, path: np.ndarray, name: str, index: int = 0, escape=None):
    """Mark where ``path`` ends on ``ax``: a dot in the optimizer's colour, or a cross where it diverged (Chapter 4).

    The point and the verdict come from :func:`path_in_window` with the axes' window; the mark
    is :func:`end_marker`, drawn below the surface's stars. Returns the marker's line artist.
    """
    _, end, diverged = path_in_window(path, (ax.get_xlim(), ax.get_ylim()), escape)
    (marker,) = ax.plot([end[0]], [end[1]], linestyle="none", zorder=6, in_layout=False,
                        **end_marker(style(name, index)["color"], diverged))
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
    """Draw ``surface`` on ``ax`` over its :func:`window`: log-spaced contours of :math:`f - f^*`, its minima as stars (Chapter 4).

    The stars lie on top of the paths and their end marks, so a path ending at a minimum does not hide it. A surface with a ``saddle`` attribute (the saddle point, where :math:`\\nabla f = 0` but
    :math:`f` is no minimum) gets a cross there. Both axes have the same scale unless the
    window's sides differ by more than :data:`EQUAL_ASPECT_UP_TO`, so a round bowl looks round.
    Returns the list of artists drawn, so a widget can remove them when the surface changes.
    """
    X, Y, Z = window_grid(surface, n)
    contour = ax.contour(X, Y, Z, levels=contour_levels(Z), colors="0.65", linewidths=0.7)
    minima = np.array(surface.minima)
    (star,) = ax.plot(minima[:, 0], minima[:, 1], "*", color="black", markersize=13, markeredgecolor="white",
                      markeredgewidth=0.8, label="minimum", linestyle="none", zorder=8)
    artists = [contour, star]
    saddle = getattr(surface, "saddle", None)
    if saddle is not None:
        (cross,) = ax.plot([saddle[0]], [saddle[1]], "P", color="black", markerfacecolor="white", markersize=9,
                           label="saddle point", linestyle="none", zorder=5)
        artists.append(cross)
    (xmin, xmax), (ymin, ymax) = window(surface)
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

    Each path starts at a white circle and ends at a small dot in its colour (a cross where it
    diverged, on the window's edge), so a path too short to see still shows where it went.
    Every window is 4 by 3 (:data:`WINDOWS`), so the panels are the same size.

    Parameters
    ----------
    surfaces : list of dlnotes.surfaces.Surface
    paths_by_surface : dict
        ``surface.name`` -> {optimizer name -> path of shape (steps + 1, 2)}.
    """
    nrows = int(np.ceil(len(surfaces) / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(4.3 * ncols + 1.8, 3.4 * nrows))
    axes = np.array(axes).ravel()
    handles = {}
    for ax, surface in zip(axes, surfaces):
        for artist in draw_surface(ax, surface)[1:]:
            handles.setdefault(artist.get_label(), artist)
        starts = set()
        for i, (name, path) in enumerate(paths_by_surface[surface.name].items()):
            points, _, _ = path_in_window(path, window(surface))
            (line,) = ax.plot(points[:, 0], points[:, 1], label=name, **path_look(name, i))
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


def plot_adam_first_steps(steps, lr: float):
    """Adam's step lengths in the first steps, with and without bias correction (Chapter 4).

    ``steps`` is the ``AdamFirstSteps`` of ``dlnotes.book.experiments.ch04_optimizers.adam_first_steps``;
    a dotted line marks the learning rate.
    """
    fig, ax = new_figure(figsize=(6.0, 3.6))
    t = np.arange(1, len(steps.corrected) + 1)
    ax.plot(t, steps.corrected, marker="o", label="with bias correction", **style("adam"))
    ax.plot(t, steps.uncorrected, "s--", color=style("adam")["color"], alpha=0.6, label="without bias correction")
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
