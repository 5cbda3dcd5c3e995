"""Interactive figures of Chapter 4: one optimizer explored, several optimizers raced.

Both draw on the surfaces of ``dlnotes.surfaces`` with the optimizers of
``dlnotes.optim`` (through ``dlnotes.book.experiments.ch04_optimizers``). The figure
and its artists are built once; a slider move recomputes a path (a few
milliseconds) and sets the data of existing lines. Changing the surface
swaps the contour artists inside the same figure.

No move changes the layout, so none runs constrained layout again: the loss
panels keep one range for every surface (:func:`_loss_top`), the surface
panels' tick labels have one width (one decimal), and the race's legend gets
the room of the widest it can be. A move that changes something static
redraws only its column of the figure (the surface panel, the loss panel or
the legend: ``InteractiveFigure.invalidate`` with a region).
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.ticker import MaxNLocator, StrMethodFormatter
from matplotlib.transforms import Bbox

from ...surfaces import SURFACES, Descent, descend
from ..experiments.ch04_optimizers import OPTIMIZERS, RACE_STEPS, book_surface, configure, race
from ..plot import agg_canvas, new_figure, style
from ..plot.ch04_optimizers import (LOG_FLOOR, MINIMUM, START, TITLE_PAD, draw_surface, end_marker, excess, look, path_in_window,
                                    path_look, window, window_grid)
from . import InteractiveFigure

#: The explorer's knobs beyond the learning rate; each optimizer's record says which it uses.
KNOBS = ("momentum", "rho", "beta1", "beta2")

#: Space between two columns of a figure (a panel and its neighbour), in points.
COLUMN_GAP = 2.0

#: Space between the two panels, as a fraction of the figure's width (constrained layout's ``wspace``): twice
#: the default, so that a surface whose last tick label sits on the panel's right edge still keeps it in
#: the panel's column.
PANEL_SPACE = 0.04

#: Largest number of races (one optimizer, surface and lr factor each) an :class:`OptimizerRace` keeps.
RUNS_KEPT = 256

#: Step of the explorer's log learning-rate slider, in decades: :math:`10^{0.002}`, 0.46% per step, fine
#: enough to bracket a stability limit such as Momentum's 0.038 on the book's quadratic (exercise 3).
LR_STEP = 0.002


class SurfacePanel:
    """An axes showing one surface's contours, swapped in place when the surface changes (Chapter 4).

    The contours are the log-spaced level sets :math:`\\{\\theta : J(\\theta) - J^* = \\ell_k\\}` of
    ``dlnotes.book.plot.ch04_optimizers.draw_surface``; the figure and the axes stay. The tick labels
    of both axes carry one decimal, so that every surface's labels take the same room and a new
    surface needs no new layout, and the horizontal axis has at most six of them, so they stay apart.

    The moving paths and their end marks are animated, drawn after the static background, so the
    static stars of the minima would lie beneath them. ``minima`` repeats those stars as an animated
    artist: a widget creates it with :meth:`top_minima` after its own moving artists, so it is drawn last.
    """

    def __init__(self, ax):
        self.ax = ax
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(StrMethodFormatter("{x:.1f}"))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))  # labels of one decimal, apart on the narrowest panel
        self.name = None
        self.surface = None
        self._artists = []
        self.minima = None

    def top_minima(self):
        """Create (once) and return the animated stars of the minima, drawn above the paths' end marks."""
        if self.minima is None:
            (self.minima,) = self.ax.plot([], [], in_layout=False, **MINIMUM)
        return self.minima

    def show(self, name: str) -> bool:
        """Draw surface ``name`` unless it is already shown; True when it changed."""
        if name == self.name:
            return False
        for artist in self._artists:
            artist.remove()
        self.surface = book_surface(name)
        self._artists = draw_surface(self.ax, self.surface)
        self.name = name
        if self.minima is not None:
            minima = np.array(self.surface.minima)
            self.minima.set_data(minima[:, 0], minima[:, 1])
        return True


def _loss_top() -> float:
    """The top of the loss panels: three times the largest :math:`J(\\theta) - J^*` in the window of any surface.

    One range serves every surface, so that choosing another surface leaves the loss panel as it is.
    """
    return 3 * max(float(np.max(window_grid(book_surface(name), 50)[2])) for name in SURFACES)


def _loss_axes(ax, steps: int) -> float:
    """Fixed log axes for :math:`J(\\theta^{(t)}) - J^*`, from below ``LOG_FLOOR`` to :func:`_loss_top`, over ``steps`` steps.

    Returns the top of the axes: values above it (a run diverging) are drawn just below it, see :func:`_loss_curve`.
    """
    top = _loss_top()
    ax.set_yscale("log")
    ax.set_ylim(LOG_FLOOR / 3, top)
    ax.set_xlim(0, steps)
    ax.set_xlabel("step $t$")
    ax.set_ylabel("$J(\\theta^{(t)}) - J^*$")
    return top


def _loss_curve(surface, run: Descent, top: float) -> np.ndarray:
    """:math:`\\min(J(\\theta^{(t)}) - J^*, \\text{top}/1.5)` along a run, NaN after it diverged.

    A diverged run's last value is the loss at the point it jumped to (``run.escape``), so its
    curve rises to just below the top edge of the panel instead of stopping before the rise.
    """
    path = run.path
    if run.escape is not None:
        path = path.copy()
        path[run.diverged_at] = run.escape
    with np.errstate(over="ignore"):
        gap = excess(surface, path)
    return np.minimum(gap, top / 1.5)


def _loss_end(run: Descent, loss: np.ndarray, step: int) -> tuple[list, list]:
    """Where a loss curve gets its cross: :math:`(k, \\text{loss}_k)` once the run diverged at :math:`k \\le` ``step``, else nowhere."""
    k = run.diverged_at
    return ([k], [loss[k]]) if k is not None and k <= step else ([], [])


def _columns(fig, right_ax) -> tuple[Bbox, Bbox]:
    """The two columns of ``fig`` (figure coordinates), split just left of the y label of ``right_ax``.

    That label is the leftmost of what ``right_ax`` draws, once the figure has been drawn (which places
    it); everything the panel on its left draws (ticks, labels, title) lies in the first column, and
    ``right_ax`` in the second, up to the figure's right edge. :meth:`InteractiveFigure.invalidate`
    redraws one of them alone.
    """
    label = right_ax.yaxis.label.get_window_extent(agg_canvas(fig).get_renderer())
    split = (label.x0 - COLUMN_GAP * fig.dpi / 72) / fig.bbox.width
    return Bbox.from_extents(0, 0, split, 1), Bbox.from_extents(split, 0, 1, 1)


class _Columns:
    """The columns of a figure with a surface panel ``panel.ax`` and a loss panel ``loss_ax`` on its right (Chapter 4).

    Found once (see :func:`_columns`), at the first redraw of a column, when the figure has been drawn in its layout.
    """

    _split = None

    def _column(self, k: int) -> Bbox:
        """Column ``k`` of the figure: 0 the surface panel's, 1 the loss panel's."""
        if self._split is None:
            self._split = _columns(self.fig, self.loss_ax)
        return self._split[k]


def _entry(name: str, diverged_at) -> str:
    """A race legend's entry: the optimizer's name, and on a second line the step it diverged at, if it did."""
    return name if diverged_at is None else f"{name}\n(diverged at step {diverged_at})"


def _outcome(surface, run: Descent) -> str:
    """The title's verdict on a run: where it diverged, or how far above the minimum it ended."""
    if run.diverged_at is not None:
        return f"diverged at step {run.diverged_at}"
    gap = float(excess(surface, run.path[-1:])[0])
    ended = "< 1e-12" if gap <= LOG_FLOOR else f"= {gap:.2g}"
    return f"J − J* {ended} after {len(run.path) - 1} steps"


class OptimizerExplorer(_Columns, InteractiveFigure):
    """One optimizer's path on one surface, with sliders for every hyperparameter (Chapter 4).

    Left: the path :math:`\\theta_0, \\theta_1, \\dots` over the contours of
    :math:`J`, ending in a dot, or, once it diverged, running off the panel to a cross
    on its edge; right: :math:`J(\\theta^{(t)}) - J^*` on a log scale. Values:
    ``surface`` and ``optimizer`` (names), ``lr`` (:math:`\\epsilon`),
    ``momentum``, ``rho`` (RMSProp's and AdaDelta's decay rate), ``beta1``,
    ``beta2`` (Adam), the start :math:`(\\theta_1, \\theta_2)` = ``(x0, y0)`` and ``steps``. Choosing another
    surface or optimizer moves the learning rate to its tuned value
    (its record's ``surface_lr``) and another surface moves the start to its default,
    unless the same ``update`` call sets them. Gradients are exact, so SGD
    here is plain gradient descent.
    """

    frame_controls = ("optimizer", "lr")

    def __init__(self, surface: str = "quadratic", optimizer: str = "Momentum", steps: int = RACE_STEPS):
        start = SURFACES[surface].start
        super().__init__(
            surface=surface, optimizer=optimizer, lr=OPTIMIZERS[optimizer].surface_lr[surface], momentum=0.9,
            rho=0.9, beta1=0.9, beta2=0.999, x0=start[0], y0=start[1], steps=steps,
        )

    def _build(self) -> None:
        self.fig, (ax, self.loss_ax) = new_figure(1, 2, figsize=(9.6, 3.8))
        self.panel = SurfacePanel(ax)
        (self.path_line,) = ax.plot([], [], linewidth=1.6, marker=".", markersize=3)
        (self.start_dot,) = ax.plot([], [], **START)
        (self.end_dot,) = ax.plot([], [], linestyle="none", zorder=6, in_layout=False)
        (self.loss_line,) = self.loss_ax.plot([], [], linewidth=1.6)
        (self.loss_end,) = self.loss_ax.plot([], [], linestyle="none", zorder=6, in_layout=False, **end_marker("black", True))
        self._top = _loss_axes(self.loss_ax, int(self.values["steps"]))
        self.layout = {"wspace": PANEL_SPACE}
        self.title = self.loss_ax.set_title(" ", fontsize=10, pad=TITLE_PAD)
        self.animate(self.path_line, self.start_dot, self.end_dot, self.loss_line, self.loss_end, self.title,
                     self.panel.top_minima())

    def update(self, **values) -> "OptimizerExplorer":
        """Set values and redraw; a new surface or optimizer brings its tuned ``lr`` (and start)."""
        surface = values.get("surface", self.values["surface"])
        optimizer = values.get("optimizer", self.values["optimizer"])
        if surface != self.values["surface"]:
            start = SURFACES[surface].start
            values.setdefault("x0", start[0])
            values.setdefault("y0", start[1])
        if surface != self.values["surface"] or optimizer != self.values["optimizer"]:
            values.setdefault("lr", OPTIMIZERS[optimizer].surface_lr[surface])
        return super().update(**values)

    def run(self) -> Descent:
        """The current run: its path, shape (steps + 1, 2), and where it diverged (``dlnotes.surfaces.descend``)."""
        v = self.values
        cls, kwargs = configure(v["optimizer"], lr=v["lr"], momentum=v["momentum"], rho=v["rho"],
                                beta1=v["beta1"], beta2=v["beta2"])
        return descend(self.panel.surface, cls, start=(v["x0"], v["y0"]), steps=int(v["steps"]), **kwargs)

    def _draw(self) -> None:
        v = self.values
        if self.panel.show(v["surface"]):
            self.invalidate(self.panel.ax, region=lambda: self._column(0))
        if self.loss_ax.get_xlim()[1] != v["steps"]:
            self.loss_ax.set_xlim(0, v["steps"])
            self.invalidate(self.loss_ax, region=lambda: self._column(1))
        surface, run = self.panel.surface, self.run()
        points, end, diverged = path_in_window(run.path, window(surface), run.escape)
        looks = style(v["optimizer"])
        self.path_line.set_data(points[:, 0], points[:, 1])
        self.path_line.set(**looks)
        self.end_dot.set_data([end[0]], [end[1]])
        self.end_dot.set(**end_marker(looks["color"], diverged))
        self.start_dot.set_data([v["x0"]], [v["y0"]])
        loss = _loss_curve(surface, run, self._top)
        self.loss_line.set_data(np.arange(len(loss)), loss)
        self.loss_line.set(**looks)
        self.loss_end.set_data(*_loss_end(run, loss, len(loss)))
        self.loss_end.set_color(looks["color"])
        self.title.set_text(f"{v['optimizer']}, ε = {v['lr']:.3g}: {_outcome(surface, run)}")

    def controls(self) -> dict:
        """Dropdowns for surface and optimizer; log slider for lr; sliders for the rest (ranges set by the widget)."""
        layout = w.Layout(width="300px")
        return {
            "surface": w.Dropdown(options=list(SURFACES), description="surface"),
            "optimizer": w.Dropdown(options=list(OPTIMIZERS), description="optimizer"),
            "lr": w.FloatLogSlider(base=10, min=-4, max=1, step=LR_STEP, description="lr", readout_format=".3g",
                                   layout=layout),
            "momentum": w.FloatSlider(min=0.0, max=0.99, step=0.01, description="momentum", layout=layout),
            "rho": w.FloatSlider(min=0.0, max=0.999, step=0.001, description="rho", readout_format=".3f", layout=layout),
            "beta1": w.FloatSlider(min=0.0, max=0.99, step=0.01, description="beta1", layout=layout),
            "beta2": w.FloatSlider(min=0.5, max=0.9999, step=0.0001, description="beta2", readout_format=".4f", layout=layout),
            "x0": w.FloatSlider(step=0.05, description="start θ₁", layout=layout),
            "y0": w.FloatSlider(step=0.01, description="start θ₂", layout=layout),
            "steps": w.IntSlider(min=10, max=500, step=10, description="steps", layout=layout),
        }

    def _adjust_controls(self, controls: dict) -> None:
        """The start sliders span the surface's window; the knobs the optimizer does not use are greyed out."""
        for name, (low, high) in zip(("x0", "y0"), window(SURFACES[self.values["surface"]])):
            slider = controls[name]
            with slider.hold_trait_notifications():  # widen, move, then narrow: min never passes max
                slider.min, slider.max = min(low, slider.min), max(high, slider.max)
                slider.value = self.values[name]
                slider.min, slider.max = low, high
        used = OPTIMIZERS[self.values["optimizer"]].knobs
        for knob in KNOBS:
            controls[knob].disabled = knob not in used


class OptimizerRace(_Columns, InteractiveFigure):
    """Several optimizers side by side on one surface, scrubbed step by step (Chapter 4).

    Optimizer :math:`k` follows :math:`\\theta^{(k)}_{t+1} = \\theta^{(k)}_t - \\text{step}_k(\\nabla J(\\theta^{(k)}_t))`
    from the same start with its tuned learning rate times ``lr_scale``; the figure shows
    :math:`\\theta^{(k)}_0, \\dots, \\theta^{(k)}_\\text{step}` and :math:`J(\\theta^{(k)}_t) - J^*`.

    Values: ``surface`` (a name), ``optimizers`` (a tuple of names from
    ``OPTIMIZERS``), ``lr_scale`` (every tuned learning rate times this
    factor) and ``step`` (how much of the race to show). Each optimizer's
    run is computed once per surface and ``lr_scale`` and kept (the figure's
    own optimizers on every surface at the tuned rates when it is built);
    moving ``step`` only shortens or lengthens the drawn lines. Each path ends in a
    dot, or, once it has diverged, runs off the panel to a cross on its edge
    while its loss rises to the top (its legend entry names the step); an
    empty selection shows a note instead of a blank figure.
    """

    frame_controls = ("surface", "step")

    def __init__(self, surface: str = "rosenbrock",
                 optimizers=("SGD", "Momentum", "AdaGrad", "RMSProp", "Adam"), steps: int = RACE_STEPS):
        self.steps = steps
        super().__init__(surface=surface, optimizers=tuple(optimizers), lr_scale=1.0, step=steps)

    def _build(self) -> None:
        self.fig, (ax, self.loss_ax) = new_figure(1, 2, figsize=(11.0, 4.0))
        self.panel = SurfacePanel(ax)
        self.lines, self.heads, self.loss_lines, self.loss_ends = {}, {}, {}, {}
        for i, name in enumerate(OPTIMIZERS):
            kwargs = look(name, i)
            (self.lines[name],) = ax.plot([], [], label=name, **path_look(name, i, linewidth=1.5))
            (self.heads[name],) = ax.plot([], [], linestyle="none", zorder=6, in_layout=False,
                                          **end_marker(kwargs["color"], False))
            (self.loss_lines[name],) = self.loss_ax.plot([], [], linewidth=1.5, label=name, **kwargs)
            (self.loss_ends[name],) = self.loss_ax.plot([], [], linestyle="none", zorder=6, in_layout=False,
                                                        **end_marker(kwargs["color"], True))
        (self.start_dot,) = ax.plot([], [], label="start", **START)
        self.note = ax.text(0.5, 0.5, "select at least one optimizer", transform=ax.transAxes, ha="center",
                            va="center", fontsize=12, bbox={"facecolor": "white", "edgecolor": "0.5"}, zorder=10)
        self.title = self.loss_ax.set_title(" ", pad=TITLE_PAD)
        self._top = _loss_axes(self.loss_ax, self.steps)
        self.legend = None
        self._legend_left = 1 - self._widest_legend() - COLUMN_GAP / 72 / self.fig.get_figwidth()
        self.layout = {"rect": (0, 0, self._legend_left, 1), "wspace": PANEL_SPACE}  # room for the widest legend
        self.animate(*self.lines.values(), *self.heads.values(), *self.loss_lines.values(), *self.loss_ends.values(),
                     self.title, self.panel.top_minima())
        self._key = None
        self._cache = {}  # (surface, optimizer, lr_scale) -> (its Descent, its loss curve)
        for name in SURFACES:
            self._race(name, self.values["optimizers"], self.values["lr_scale"])

    def _widest_legend(self) -> float:
        """The width, as a fraction of the figure's, of the widest legend: every optimizer diverged at the last step."""
        labels = [_entry(name, self.steps) for name in OPTIMIZERS]
        legend = self._new_legend([*self.loss_lines.values(), self.start_dot], [*labels, "start"], 0.0)
        width = legend.get_window_extent(agg_canvas(self.fig).get_renderer()).width / self.fig.bbox.width
        legend.remove()
        return width

    def _new_legend(self, handles, labels, left: float):
        """A legend of ``handles``, its left edge at ``left`` (figure coordinates), centred in height."""
        legend = self.fig.legend(handles, labels, loc="center left", bbox_to_anchor=(left, 0.5), fontsize=9,
                                 borderaxespad=0)
        legend.set_in_layout(False)
        for handle in legend.legend_handles:  # drawn with the static background, unlike the lines they copy
            handle.set(animated=False, visible=True)
        return legend

    def _race(self, surface: str, names, lr_scale: float) -> dict:
        """name -> (run, loss curve) on ``surface`` at ``lr_scale`` for each of ``names``; only runs not kept are computed."""
        missing = [name for name in names if (surface, name, lr_scale) not in self._cache]
        if missing:
            shape = self.panel.surface if self.panel.name == surface else book_surface(surface)
            for name, run in race(shape, missing, steps=self.steps, lr_scale=lr_scale).items():
                while len(self._cache) >= RUNS_KEPT:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[surface, name, lr_scale] = (run, _loss_curve(shape, run, self._top))
        return {name: self._cache[surface, name, lr_scale] for name in names}

    def _compute(self) -> None:
        v = self.values
        key = (v["surface"], tuple(v["optimizers"]), v["lr_scale"])
        if key == self._key:
            return
        if self.panel.show(v["surface"]):
            self.start_dot.set_data([self.panel.surface.start[0]], [self.panel.surface.start[1]])
            self.invalidate(self.panel.ax, region=lambda: self._column(0))
        kept = self._race(v["surface"], v["optimizers"], v["lr_scale"])
        self._runs = {name: run for name, (run, _) in kept.items()}
        self._losses = {name: loss for name, (_, loss) in kept.items()}
        if self.note.get_visible() == bool(self._runs):
            self.note.set_visible(not self._runs)
            self.invalidate(self.panel.ax, region=lambda: self._column(0))
        if self._legend():
            self.invalidate(self.legend, region=Bbox.from_extents(self._legend_left, 0, 1, 1))
        self._key = key

    def _legend(self) -> bool:
        """One legend entry per raced optimizer (marked when it diverged), right of the panels, in the room of the widest.

        Returns True when the entries changed (and the legend was replaced).
        """
        handles, labels = [], []
        for name in OPTIMIZERS:
            if name in self._runs:
                handles.append(self.loss_lines[name])
                labels.append(_entry(name, self._runs[name].diverged_at))
        handles.append(self.start_dot)
        labels.append("start")
        if self.legend is not None:
            if [t.get_text() for t in self.legend.get_texts()] == labels:
                return False
            self.legend.remove()
        self.legend = self._new_legend(handles, labels, self._legend_left)
        return True

    def _draw(self) -> None:
        self._compute()
        t = int(self.values["step"])
        bounds = window(self.panel.surface)
        for name in OPTIMIZERS:
            run = self._runs.get(name)
            shown = run is not None
            for artist in (self.lines[name], self.heads[name], self.loss_lines[name], self.loss_ends[name]):
                artist.set_visible(shown)
            if not shown:
                continue
            points, end, diverged = path_in_window(run.path[: t + 1], bounds, run.escape)
            self.lines[name].set_data(points[:, 0], points[:, 1])
            self.heads[name].set_data([end[0]], [end[1]])
            self.heads[name].set(**end_marker(self.lines[name].get_color(), diverged))
            self.loss_lines[name].set_data(np.arange(t + 1), self._losses[name][: t + 1])
            self.loss_ends[name].set_data(*_loss_end(run, self._losses[name], t))
        self.title.set_text(f"step {t} of {self.steps}")

    def controls(self) -> dict:
        """A surface dropdown, a multi-select of optimizers, a log slider for the lr factor and a step slider."""
        return {
            "surface": w.Dropdown(options=list(SURFACES), description="surface"),
            "optimizers": w.SelectMultiple(options=list(OPTIMIZERS), rows=len(OPTIMIZERS), description="optimizers"),
            "lr_scale": w.FloatLogSlider(base=10, min=-1, max=1, step=0.05, description="lr x", readout_format=".2g"),
            "step": w.IntSlider(min=0, max=self.steps, step=1, description="step"),
        }
