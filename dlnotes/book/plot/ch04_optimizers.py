"""Figures of Chapter 4, the gradient-descent variants: paths on surfaces, step sizes, loss curves.

Every optimizer is drawn in its own colour and line style from
:func:`dlnotes.book.plot.style`, the same in every chapter, plus the marker and
draw order of its record (``dlnotes.book.experiments.ch04_optimizers.OPTIMIZERS``).
The numbers come from ``dlnotes.book.experiments.ch04_optimizers``.
"""

from __future__ import annotations

import numpy as np

from ..experiments.ch04_optimizers import FAMILIES, OPTIMIZERS
from . import epoch_ticks, new_figure, readable_log_axis, style

#: Relative floor for log-scaled values :math:`J - J^*` (exact zeros happen at a minimum).
LOG_FLOOR = 1e-12

#: How a path whose record says ``beneath`` is drawn: thinner, and beneath the other paths.
BENEATH = {"linewidth": 0.8, "zorder": 1.9}

#: How a path's start is drawn: a white circle, in no optimizer's colour.
START = {"marker": "o", "markersize": 7, "markerfacecolor": "white", "markeredgecolor": "black",
         "markeredgewidth": 1.2, "linestyle": "none", "zorder": 7}

#: How a surface's minima are drawn: black stars with a white edge, above every path and its end mark.
MINIMUM = {"marker": "*", "color": "black", "markersize": 13, "markeredgecolor": "white", "markeredgewidth": 0.8,
           "linestyle": "none", "zorder": 8}

#: Space between a surface panel and its title, in points: more than half a diverged path's cross
#: (:func:`end_marker`), which may sit on the panel's top edge.
TITLE_PAD = 10.0

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
    """``(X, Y, Z)`` on an ``n`` by ``n`` grid over :func:`window`, with :math:`Z = J(X, Y) - J^*` (Chapter 4)."""
    (xmin, xmax), (ymin, ymax) = window(surface)
    X, Y = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
    return X, Y, surface(np.stack([X, Y], axis=-1)) - surface.minimum_value


def look(name: str, index: int = 0) -> dict:
    """Line keywords for the optimizer ``name``: :func:`dlnotes.book.plot.style` plus its record's marker, if any (Chapter 4).

    RMSProp+Momentum's vermillion is close to Momentum's orange, so it also carries hollow triangles along its line.
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
    ``path[i]`` inside the window ``bounds``, then along its next segment to where that
    segment leaves the window, which is its end (a cross there shows where it went). The next
    point is ``path[i + 1]``, or ``escape`` (the point the diverging step jumped to,
    ``dlnotes.surfaces.Descent.escape``) when ``path[i]`` is the last finite
    row; without it the end is ``path[i]`` itself.

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
    """Keywords of a path's end mark: a dot with a white edge, or a cross with a black edge once diverged (Chapter 4).

    The cross sits on the window's edge, so it is not clipped there (artists carrying it should also be
    left out of the layout, ``in_layout=False``).
    """
    if diverged:
        return {"marker": "X", "markersize": 9, "color": color, "markeredgecolor": "black", "markeredgewidth": 0.8,
                "clip_on": False}
    return {"marker": "o", "markersize": 8, "color": color, "markeredgecolor": "white", "markeredgewidth": 1.0,
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
    """Log-spaced contour levels for ``Z`` (values above the minimum, :math:`J - J^*`) (Chapter 4).

    Level ``k`` (from 0 to ``n - 1``) is ``low * (high / low) ** (k / (n - 1))``,
    with ``low`` the 1st percentile of the positive values and
    ``high`` the largest, so steep walls and flat valleys both show.
    """
    positive = Z[Z > 0]
    low = max(float(np.percentile(positive, 1)), LOG_FLOOR)
    return np.geomspace(low, float(positive.max()), n)


def draw_surface(ax, surface, n: int = 100):
    """Draw ``surface`` on ``ax`` over its :func:`window`: log-spaced contours of :math:`J - J^*`, its minima as stars (Chapter 4).

    The stars lie on top of the paths and their end marks, so a path ending at a minimum does not hide it. A surface with a ``saddle`` attribute (the saddle point, where :math:`\\nabla J = 0` but
    :math:`J` is no minimum) gets a cross there. Both axes have the same scale unless the
    window's sides differ by more than :data:`EQUAL_ASPECT_UP_TO`, so a round bowl looks round.
    Returns the list of artists drawn, so a widget can remove them when the surface changes.
    """
    X, Y, Z = window_grid(surface, n)
    contour = ax.contour(X, Y, Z, levels=contour_levels(Z), colors="0.65", linewidths=0.7)
    minima = np.array(surface.minima)
    (star,) = ax.plot(minima[:, 0], minima[:, 1], label="minimum", **MINIMUM)
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
    ax.set_title(surface.name, pad=TITLE_PAD)
    return artists


def excess(surface, path: np.ndarray) -> np.ndarray:
    """:math:`J(\\theta^{(t)}) - J^*` along a path, floored at ``LOG_FLOOR`` for log axes (NaN rows stay NaN)."""
    return np.maximum(surface(path) - surface.minimum_value, LOG_FLOOR)


def family_groups(names) -> dict:
    """The optimizers ``names`` grouped by their record's family, headed as in :data:`FAMILIES` (Chapter 4).

    Returns an ordered dict heading -> list of names, families in the order of :data:`FAMILIES` and
    names in the order given; a name without a record joins a last group "others".
    """
    groups = {}
    for name in names:
        record = OPTIMIZERS.get(name)
        groups.setdefault(FAMILIES[record.family] if record else "others", []).append(name)
    order = [*FAMILIES.values(), "others"]
    return {heading: groups[heading] for heading in order if heading in groups}


def plot_paths(surfaces, paths_by_surface: dict, *, groups=None):
    """Small multiples of optimizer paths :math:`\\theta_0, \\theta_1, \\dots`: a row per surface, a column per group (Chapter 4).

    Each column holds one group of optimizers (by default :func:`family_groups`: plain SGD and the
    momentum methods, then the adaptive ones), so no panel carries more than five paths, and each
    column's legend, above it, is headed by the group's name. Each path starts at a white circle and
    ends at a dot in its colour (a cross where it diverged, on the window's edge), so a path too short to
    see still shows where it went; the minima (stars) are drawn above the dots. Every window is
    4 by 3 (:data:`WINDOWS`), so the panels are the same size.

    Parameters
    ----------
    surfaces : list of dlnotes.surfaces.Surface
    paths_by_surface : dict
        ``surface.name`` -> {optimizer name -> path of shape (steps + 1, 2)}.
    groups : dict, optional
        Heading -> list of optimizer names, one column each.
    """
    names = list(dict.fromkeys(name for s in surfaces for name in paths_by_surface[s.name]))
    groups = family_groups(names) if groups is None else dict(groups)
    fig, axes = new_figure(len(surfaces), len(groups), figsize=(4.6 * len(groups) + 0.4, 3.2 * len(surfaces) + 1.4))
    axes = np.array(axes).reshape(len(surfaces), len(groups))
    marks = {}
    for row, surface in zip(axes, surfaces):
        paths = paths_by_surface[surface.name]
        for column, (ax, members) in enumerate(zip(row, groups.values())):
            for artist in draw_surface(ax, surface)[1:]:
                marks.setdefault(artist.get_label(), artist)
            for name in members:
                if name not in paths:
                    continue
                i = names.index(name)
                points, _, _ = path_in_window(paths[name], window(surface))
                ax.plot(points[:, 0], points[:, 1], label=name, **path_look(name, i))
                mark_end(ax, paths[name], name, i)
            for x, y in {tuple(paths[name][0]) for name in members if name in paths}:
                marks.setdefault("start", ax.plot([x], [y], label="start", **START)[0])
            if column:
                ax.set_ylabel("")
    for ax, (heading, members) in zip(axes[0], groups.items()):
        handles = [line for line in ax.lines if line.get_label() in members]
        ax.legend(handles, [h.get_label() for h in handles], title=heading, loc="lower center",
                  bbox_to_anchor=(0.5, 1.12), ncols=3)
    fig.legend(list(marks.values()), list(marks), loc="outside lower center", ncols=len(marks))
    return fig


def plot_final_gaps(gaps: dict, *, xlabel: str = "$J(\\theta^{(t)}) - J^*$ at the race's last step $t$", ncols: int = 2):
    """Where each optimizer ended, :math:`J(\\theta^{(t)}) - J^*` at the last step :math:`t`, one panel per surface, closest on top (Chapter 4).

    ``gaps`` maps a surface name to {optimizer name -> gap} (``final_gaps`` of each surface). Each
    optimizer is a dot in its colour on a log axis spanning that panel's values, named on the left and
    sorted from closest (top) to farthest, so the ranking reads without a legend. A gap below
    ``LOG_FLOOR`` (an exact minimum) is drawn at it; a diverged run (``inf``) is named "(diverged)",
    without a dot.
    """
    nrows = int(np.ceil(len(gaps) / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(4.9 * ncols, 2.9 * nrows))
    axes = np.array(axes).ravel()
    for ax, (surface, by_name) in zip(axes, gaps.items()):
        ranked = sorted(by_name.items(), key=lambda item: item[1])[::-1]
        shown = np.array([max(gap, LOG_FLOOR) for _, gap in ranked if np.isfinite(gap)])
        for k, (name, gap) in enumerate(ranked):
            if np.isfinite(gap):
                ax.plot([max(gap, LOG_FLOOR)], [k], "o", markersize=8, color=style(name)["color"],
                        markeredgecolor="black", markeredgewidth=0.6)
        labels = [name if np.isfinite(gap) else f"{name} (diverged)" for name, gap in ranked]
        ax.set_yticks(range(len(ranked)), labels)
        ax.set_ylim(-0.6, len(ranked) - 0.4)
        ax.set_xscale("log")
        if shown.size:
            ax.set_xlim(shown.min() / 4, shown.max() * 4)
        ax.set_title(surface)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", alpha=0.15)
    for ax in axes[len(gaps):]:
        ax.set_visible(False)
    return fig


def plot_effective_rates(rates: dict):
    """Median effective learning rate :math:`\\epsilon/(\\xi + \\sqrt R)` against the step (Chapter 4).

    ``rates`` maps an optimizer name to its per-step values; log y-axis.
    """
    fig, ax = new_figure(figsize=(6.0, 3.6))
    for i, (name, values) in enumerate(rates.items()):
        ax.plot(np.arange(1, len(values) + 1), values, label=name, **style(name, i))
    ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel("effective learning rate $\\epsilon / (\\xi + \\sqrt{R})$\n(median over weights)")
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
    ax.set_ylabel("step length $\\|\\theta^{(t)} - \\theta^{(t-1)}\\|$")
    epoch_ticks(ax.xaxis)
    ax.legend()
    return fig


def plot_loss_curves(curves: dict, *, xlabel: str = "epoch", ylabel: str = "training loss", groups=None):
    """Loss curves against the epoch, one panel per group of optimizers, log y-axis (Chapter 4).

    ``curves`` maps an optimizer name to its values. The groups are :func:`family_groups` unless
    ``groups`` (heading -> names) says otherwise; the panels share their y-axis, so heights compare
    across them, and each has its own legend headed by the group's name.
    """
    groups = family_groups(curves) if groups is None else dict(groups)
    fig, axes = new_figure(1, len(groups), figsize=(4.6 * len(groups) + 0.6, 3.8), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (heading, members) in zip(axes, groups.items()):
        for name in members:
            i = list(curves).index(name)
            values = curves[name]
            ax.plot(np.arange(1, len(values) + 1), values, label=name, linewidth=1.6, **look(name, i))
        epoch_ticks(ax.xaxis)
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.legend(title=heading)
    readable_log_axis(axes[0].yaxis)
    axes[0].set_ylabel(ylabel)
    return fig
