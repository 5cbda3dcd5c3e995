"""Figures of Chapter 5, data preprocessing.

The numbers come from ``dlnotes.preprocessing`` and from
``dlnotes.book.experiments.ch05_preprocessing``. Each way of preparing the
features keeps one look (:data:`LOOKS`) in every figure of the chapter.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter

from ..._validation import check_choice
from . import OKABE_ITO, new_figure, readable_log_axis

#: Colour and line style of each way of preparing the features, in every figure of Chapter 5.
LOOKS = {
    "raw": {"color": OKABE_ITO["vermillion"], "linestyle": "-"},
    "centred": {"color": OKABE_ITO["orange"], "linestyle": "--"},
    "standardized": {"color": OKABE_ITO["blue"], "linestyle": "-"},
    "min-max": {"color": OKABE_ITO["green"], "linestyle": "-."},
    "whitened": {"color": OKABE_ITO["purple"], "linestyle": "-"},
}

#: Fractions of the starting excess loss :math:`J(w^{(0)}) - J^*` at which contours are drawn; the first passes through the start.
CONTOUR_FRACTIONS = (1.0, 0.3, 0.1, 0.03, 0.01)

#: How many of the first steps of a path get a dot, so a zig-zag shows.
DOTTED_STEPS = 10


def short(value: float) -> str:
    """A number in three significant digits (whole numbers from 1000 to a million), rounding noise around 0 as 0 (Chapter 5)."""
    value = float(value)
    if abs(value) < 5e-12:
        return "0"
    return f"{value:.0f}" if 1e3 <= abs(value) < 1e6 else f"{value:.3g}"


def pair(values) -> str:
    """Two per-feature numbers as ``(a, b)`` with :func:`short` (Chapter 5)."""
    return "(" + ", ".join(short(v) for v in values) + ")"


def plot_views(views: dict):
    """The same cloud of two features in each preparation, each panel with equal axes and the origin marked (Chapter 5).

    ``views`` maps a name of :data:`LOOKS` to an array of shape (n, 2). Each
    title gives the per-feature mean and standard deviation (``ddof=0``). Equal
    axes keep a stretched feature stretched on the page; the min-max panel
    also outlines the square :math:`[-1, 1]^2`.
    """
    fig, axes = new_figure(1, len(views), figsize=(3.1 * len(views), 3.6))
    for ax, (name, Z) in zip(np.atleast_1d(axes), views.items()):
        check_choice(name, "views key", LOOKS)
        Z = np.asarray(Z, dtype=float)
        ax.scatter(Z[:, 0], Z[:, 1], s=7, alpha=0.6, color=LOOKS[name]["color"], linewidths=0)
        ax.plot([0], [0], "+", color="black", markersize=10, markeredgewidth=1.5)
        if name == "min-max":
            ax.plot([-1, 1, 1, -1, -1], [-1, -1, 1, 1, -1], color="0.4", linestyle=":", linewidth=1)
        ax.update_datalim([[0.0, 0.0]])
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_title(f"{name}\nmean {pair(Z.mean(axis=0))}\nstd {pair(Z.std(axis=0))}", fontsize=9)
        ax.set_xlabel("feature 1, $x_1$")
    np.atleast_1d(axes)[0].set_ylabel("feature 2, $x_2$")
    return fig


def plot_digit_scaling(panels: dict, index: int):
    """One test digit under several scalings, one panel each (Chapter 5).

    ``panels`` maps a panel title to an array with one row per image (64
    pixels, 8x8); ``index`` picks the image. Each panel spans its own range of
    colours, from its smallest value (dark) to its largest (bright), both given
    in the title, so a scaling that blows one pixel up shows it as the one
    bright square it is.
    """
    fig, axes = new_figure(1, len(panels), figsize=(2.8 * len(panels), 3.3))
    for ax, (title, images) in zip(np.atleast_1d(axes), panels.items()):
        image = np.asarray(images)[index].reshape(8, 8)
        ax.imshow(image, cmap="cividis")
        ax.set_title(f"{title}\nfrom {short(image.min())} (dark) to {short(image.max())} (bright)", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig


def plot_batch_statistics(same, shifted):
    """Test MSE against the number of test rows scaled together, for the three ways of taking statistics (Chapter 5).

    ``same`` and ``shifted`` are ``BatchStatistics`` for a test set
    drawn like the training set and for the same test set with a shifted
    feature. The batch statistics give the same numbers for both, so they are
    drawn once; the training statistics are horizontal lines.
    """
    fig, ax = new_figure(figsize=(6.4, 4.0))
    m = np.asarray(same.batch_sizes)
    ax.plot(m, same.batch, marker="o", label="each batch's own statistics (both test sets)", **LOOKS["centred"])
    ax.axhline(shifted.training, label="training statistics, shifted test set", linewidth=1.8,
               color=LOOKS["raw"]["color"], linestyle="-.")
    ax.axhline(same.training, label="training statistics, test set like training", linewidth=1.8,
               **LOOKS["standardized"])
    ax.set(xscale="log", yscale="log", xlabel="test rows standardized together, $m$", ylabel="test mean squared error")
    ax.set_xticks(m, [str(int(v)) for v in m])
    ax.minorticks_off()
    readable_log_axis(ax.yaxis)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.legend(fontsize=9, loc="upper right")
    return fig


def ellipse(H, centre, level: float, points: int = 120) -> np.ndarray:
    """Points of the contour :math:`\\tfrac12 (w - w_\\text{opt})^\\top H (w - w_\\text{opt}) = c` of a quadratic loss (Chapter 5).

    .. math:: w(\\omega) = w_\\text{opt} + \\sum_k \\sqrt{2c/\\lambda_k}\\, v_k \\,(\\cos\\omega, \\sin\\omega)_k

    with :math:`H = \\sum_k \\lambda_k v_k v_k^\\top` (2-D). Returns shape (points, 2), closed.
    """
    eigenvalues, vectors = np.linalg.eigh(np.asarray(H, dtype=float))
    phi = np.linspace(0.0, 2 * np.pi, points)
    unit = np.stack([np.cos(phi), np.sin(phi)], axis=1)
    return np.asarray(centre, dtype=float) + (unit * np.sqrt(2 * level / eigenvalues)) @ vectors.T


def window(run, margin: float = 1.1) -> tuple[tuple[float, float], tuple[float, float]]:
    """Limits around the contour through a run's start, ``margin`` times its half-widths (Chapter 5)."""
    points = ellipse(run.H, run.w_star, run.excess[0])
    centre, half = run.w_star, margin * np.max(np.abs(points - run.w_star), axis=0)
    return (centre[0] - half[0], centre[0] + half[0]), (centre[1] - half[1], centre[1] + half[1])


class DescentPanel:
    """Contours of :math:`J` and one gradient-descent path on one axes; :meth:`show` moves them to another run (Chapter 5).

    Draws :data:`CONTOUR_FRACTIONS` contours of the excess loss (grey, on top),
    the path as a thin translucent line in the look of ``name`` (a key of
    :data:`LOOKS`; the first :data:`DOTTED_STEPS` steps dotted), so hundreds of
    zig-zags do not hide the contours, the start :math:`w^{(0)}`
    (white circle) and the minimum :math:`w_\\text{opt}` (black star, on top). The axes
    keep equal scales and the given window, so a stretched loss looks stretched.
    """

    def __init__(self, ax, name: str, bounds, *, xlabel="$w_1$", ylabel="$w_2$"):
        self.ax = ax
        look = LOOKS[check_choice(name, "name", LOOKS)]
        # the contours on top of a thin, translucent path: a path of hundreds of zig-zags fills a band
        self.contours = [ax.plot([], [], color="0.35", linewidth=0.8, zorder=4)[0] for _ in CONTOUR_FRACTIONS]
        (self.path,) = ax.plot([], [], linewidth=1.0, alpha=0.6, color=look["color"], zorder=2,
                               label=f"gradient descent, {name}")
        (self.dots,) = ax.plot([], [], "o", markersize=2.5, color=look["color"], zorder=3)
        (self.start,) = ax.plot([], [], "o", color="white", markeredgecolor="black", markersize=7,
                                label="start $w^{(0)} = 0$", zorder=6)
        (self.star,) = ax.plot([], [], "*", color="black", markeredgecolor="white", markersize=13,
                               markeredgewidth=0.8, label="minimum $w_\\mathrm{opt}$", zorder=8)
        (xmin, xmax), (ymin, ymax) = bounds
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)

    def legend_handles(self) -> list:
        """The path, the start and the minimum, for a legend shared by several panels."""
        return [self.path, self.start, self.star]

    @property
    def artists(self) -> list:
        """Every artist that :meth:`show` changes."""
        return [*self.contours, self.path, self.dots, self.start, self.star]

    def show(self, run) -> None:
        """Draw the contours and path of ``run`` (a ``Descent``)."""
        for line, fraction in zip(self.contours, CONTOUR_FRACTIONS):
            line.set_data(*ellipse(run.H, run.w_star, fraction * run.excess[0]).T)
        self.path.set_data(*run.path.T)
        self.dots.set_data(*run.path[: DOTTED_STEPS + 1].T)
        self.start.set_data([run.path[0, 0]], [run.path[0, 1]])
        self.star.set_data([run.w_star[0]], [run.w_star[1]])


def run_title(name: str, run) -> str:
    """``name: κ = ..., N steps`` for a ``Descent`` (Chapter 5)."""
    steps = "did not converge" if run.steps is None else f"{run.steps} steps"
    return f"{name}: κ = {short(run.kappa)}, {steps}"


def plot_correlated(runs):
    """Contours and paths on standardized features of growing correlation, and after whitening (Chapter 5).

    ``runs`` are the ``CorrelationRuns`` of ``correlation_runs``; every standardized panel shares the window
    of the first (least correlated) run, so the contours' shapes compare. One legend below the panels.
    """
    standardized = runs.standardized
    fig, axes = new_figure(1, len(standardized) + 1, figsize=(3.2 * (len(standardized) + 1), 4.0))
    bounds = window(standardized[0])
    for ax, run, c in zip(axes, standardized, runs.sample_correlations):
        panel = DescentPanel(ax, "standardized", bounds, xlabel="$w'_1$", ylabel="$w'_2$")
        panel.show(run)
        ax.set_title(f"standardized, corr = {c:.2f}\n{run_title('', run)[2:]}", fontsize=9)
    last = runs.whitened
    whitened = DescentPanel(axes[-1], "whitened", window(last), xlabel="$w''_1$", ylabel="$w''_2$")
    whitened.show(last)
    axes[-1].set_title(f"PCA-whitened, corr = {runs.sample_correlations[-1]:.2f}\n{run_title('', last)[2:]}",
                       fontsize=9)
    fig.legend(handles=[panel.path, whitened.path, panel.start, panel.star], loc="outside lower center", ncols=4,
               fontsize=9)
    return fig


def draw_steps_against_kappa(ax, sweep, theory) -> None:
    """Steps to converge against :math:`\\kappa` for every run of a sweep, and the theory curve (Chapter 5).

    ``sweep`` is the ``ScaleRatioSweep`` of ``scale_ratio_sweep``; ``theory(kappa)`` is
    ``steps_to_converge``, drawn exactly (with its rounding up). Log-log axes; raw
    runs as hollow circles, the standardized runs (one point: they are all the
    same, and the legend says so) as a hollow square.
    """
    kappas = np.geomspace(1.001, 2 * float(np.max(sweep.kappa_raw)), 200)
    ax.plot(kappas, [theory(k) for k in kappas], color="black", linestyle=":", linewidth=1.4,
            label="theory: ⌈ln 10⁶ / (2 ln((κ+1)/(κ−1)))⌉")
    ax.plot(sweep.kappa_raw, sweep.steps_raw, "o", markerfacecolor="none", markersize=6,
            color=LOOKS["raw"]["color"], label="raw features")
    ax.plot(sweep.kappa_standardized, sweep.steps_standardized, "s", markerfacecolor="none", markersize=8,
            color=LOOKS["standardized"]["color"], label="standardized (all ratios)")
    ax.set(xscale="log", yscale="log", xlabel="condition number κ of H", ylabel="steps to converge")
    readable_log_axis(ax.xaxis)
    readable_log_axis(ax.yaxis)
    ax.legend(fontsize=9, loc="upper left")
