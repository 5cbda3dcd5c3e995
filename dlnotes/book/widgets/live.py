"""Training you can watch: learning curves redrawn in place while ``fit`` runs (Chapter 8).

- :class:`LiveLearningCurves`, a :class:`dlnotes.train.Callback`: passed to
  ``fit(..., callbacks=[LiveLearningCurves()])`` in a notebook, it shows one
  image under the cell and redraws it as the epochs go by, at most about ten
  times a second, with the training and validation loss (and the metric,
  when ``fit`` measures one) so far. Outside a notebook (tests, scripts) it
  draws the same figure without showing anything.
- :class:`LearningCurvesFigure`, the figure it redraws: an
  :class:`~dlnotes.book.widgets.InteractiveFigure` whose one value is the last
  epoch drawn, so after training its ``widget()`` scrubs through the run.

The figure is built once and only its lines move: a redraw costs a PNG
encoding, plus a full draw when the curves leave the axes' range.
``dlnotes.train`` itself knows nothing of matplotlib: it only calls the
callback's hooks.
"""

from __future__ import annotations

import base64
import time

import ipywidgets as w
import numpy as np

from ..._validation import _show, check_flag, check_number
from ...train import Callback
from ..plot import epoch_ticks, new_figure, style
from . import InteractiveFigure

#: The series of a ``History`` each panel draws, with their labels: loss left, metric right.
PANELS = (
    (("train_loss", "training"), ("val_loss", "validation")),
    (("train_metric", "training"), ("val_metric", "validation")),
)


def _grown_limits(limits, values, log: bool):
    """Axis limits that hold ``values``: ``limits`` if they already do, else wider ones with room to spare.

    Growing by a good margin at once means the axes change (and the figure is
    drawn in full) a few times per run, not at every epoch. Non-negative
    values on a linear axis keep 0 as the lower limit.
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values) & ((values > 0) if log else True)]
    if not values.size:
        return limits
    low, high = float(values.min()), float(values.max())
    if limits is not None and limits[0] <= low and high <= limits[1]:
        return limits
    old_low, old_high = limits if limits is not None else (low, high)
    low, high = min(low, old_low), max(high, old_high)
    if log:
        return low / 2.0, high * 2.0
    span = max(high - low, 1e-3 * max(abs(high), 1.0))
    return (0.0 if low >= 0 else low - 0.5 * span), high + 0.5 * span


class LearningCurvesFigure(InteractiveFigure):
    """The learning curves of one ``fit`` run up to an epoch (Chapter 8).

    Left: ``train_loss`` and ``val_loss`` of the ``History`` against the
    epoch; right (only when the run measured a metric): ``train_metric`` and
    ``val_metric``. With validation data a dotted line marks the best epoch up
    to the one drawn, :math:`t^\\star = \\arg\\min_{t \\le e} J_\\text{val}(\\theta_t)`,
    and the title gives the values at that epoch. The one value, ``epoch``
    (:math:`e`), counts from 1; it is clipped to the epochs recorded, so the
    figure also follows a history that is still growing.

    Parameters
    ----------
    history : dlnotes.train.History with at least one recorded epoch
    epoch : int or None, the last epoch drawn (all recorded epochs by default)
    epochs : int or None, fix the epoch axis to ``[0, epochs + 1]`` (None grows it with the run)
    metric_label : str, the y-axis label of the metric panel
    log_loss : bool, a logarithmic loss axis
    """

    def __init__(self, history, *, epoch: int | None = None, epochs: int | None = None,
                 metric_label: str = "metric", log_loss: bool = False):
        if not callable(getattr(history, "keys", None)) or not getattr(history, "train_loss", None):
            raise ValueError(f"history must be a dlnotes.train.History with a recorded epoch, got {_show(history)}")
        self.history = history
        self.epochs = None if epochs is None else check_number(epochs, "epochs", low=1, integer=True)
        if not isinstance(metric_label, str):
            raise TypeError(f"metric_label must be a str, got {_show(metric_label)}")
        self.metric_label = metric_label
        self.log_loss = check_flag(log_loss, "log_loss")
        self.keys = history.keys()
        super().__init__(epoch=len(history.train_loss) if epoch is None else epoch)

    def _build(self) -> None:
        panels = [panel for panel in PANELS if panel[0][0] in self.keys]
        self.fig, axes = new_figure(1, len(panels), figsize=(4.8 * len(panels), 3.4))
        self.axes = [axes] if len(panels) == 1 else list(axes)
        self.panels, self.lines, self.limits = panels, {}, [None] * len(panels)
        for ax, panel, ylabel in zip(self.axes, panels, ("loss", self.metric_label)):
            for key, label in panel:
                if key in self.keys:
                    look = style("train" if key.startswith("train") else "validation")
                    (self.lines[key],) = ax.plot([], [], label=label, linewidth=1.8, **look)
            ax.set(xlabel="epoch", ylabel=ylabel)
            epoch_ticks(ax.xaxis)
        if self.log_loss:
            self.axes[0].set_yscale("log")
        self.best = []
        if "val_loss" in self.keys:
            self.best = [ax.axvline(1, **style("reference"), linewidth=1.2, label="best validation epoch")
                         for ax in self.axes]
        # the loss falls and an accuracy rises towards 1: the metric's legend goes low, under its curves
        for ax, loc in zip(self.axes, ("upper right", "lower right")):
            ax.legend(fontsize=9, loc=loc)
        self.title = self.fig.suptitle(" ", fontsize=10)
        self.animate(*self.lines.values(), *self.best, self.title)

    def invalidate(self) -> None:
        """Forget the cached background after new axis limits, keeping the layout.

        The layout was made for tick labels of the same kind (plain numbers of
        a few digits), so the next draw need not lay the figure out again: a
        change of limits costs one draw, not two.
        """
        self._background = None

    def shown_epoch(self) -> int:
        """The epoch drawn: ``values["epoch"]`` within the recorded epochs ``[1, len(history)]``."""
        return int(np.clip(self.values["epoch"], 1, len(self.history.train_loss)))

    def _draw(self) -> None:
        history, e = self.history, self.shown_epoch()
        x = np.arange(1, e + 1)
        for key, line in self.lines.items():
            line.set_data(x, history[key][:e])
        if self.epochs is not None:
            xlim = (0, self.epochs + 1)
        elif e + 1 > self.axes[0].get_xlim()[1] or self.axes[0].get_xlim()[0] != 0:
            xlim = (0, max(10, 2 * e))  # room for a run that is still growing
        else:
            xlim = self.axes[0].get_xlim()
        for k, (ax, panel) in enumerate(zip(self.axes, self.panels)):
            values = np.concatenate([history[key][:e] for key, _ in panel if key in self.lines])
            limits = _grown_limits(self.limits[k], values, log=self.log_loss and k == 0)
            if tuple(ax.get_xlim()) != tuple(xlim):
                ax.set_xlim(*xlim)
                self.invalidate()
            if limits is not None and limits != self.limits[k]:
                ax.set_ylim(*limits)
                self.limits[k] = limits
                self.invalidate()
        parts = [f"epoch {e}" + (f"/{self.epochs}" if self.epochs else "")]
        parts += [f"{label} loss {history[key][e - 1]:.3g}" for key, label in PANELS[0] if key in self.lines]
        if self.best:
            best = int(np.argmin(history["val_loss"][:e])) + 1
            for line in self.best:
                line.set_xdata([best, best])
            parts.append(f"best validation epoch {best}")
        self.title.set_text(",  ".join(parts))

    def controls(self) -> dict:
        """A slider over the recorded epochs, to scrub through the run after training."""
        return {"epoch": w.IntSlider(min=1, max=len(self.history.train_loss), description="epoch",
                                     layout=w.Layout(width="420px"))}


class LiveImage(w.Image):
    """An ipywidgets ``Image`` that also offers its PNG as ``image/png``, for pages without live widgets."""

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        if self.value:
            bundle["image/png"] = base64.b64encode(self.value).decode("ascii")
        return bundle


def _in_notebook() -> bool:
    """True inside a running IPython kernel (JupyterLab, nbval), where a display reaches a page."""
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class LiveLearningCurves(Callback):
    """Learning curves that ``fit`` redraws while it trains, for any training of more than a second (Chapter 8).

    At the first epoch it builds a :class:`LearningCurvesFigure` of the run
    (the loss, and the metric when ``fit`` measures one; the best validation
    epoch so far), then redraws it in place after later epochs, at most once
    per ``interval`` seconds, and always after the last epoch. What each
    series means (the training loss averages the minibatches of an epoch,
    in training mode) is in :class:`dlnotes.train.History`.

    Usage::

        live = LiveLearningCurves(epochs=300, metric_label="accuracy")
        history = fit(model, loss_fn, optimizer, X, y, epochs=300,
                      validation_data=(X_val, y_val), metric="accuracy", callbacks=[live])
        live.figure.widget()  # afterwards: a slider through the epochs

    Parameters
    ----------
    epochs : int or None
        Fix the epoch axis to the run's length (pass ``fit``'s ``epochs``),
        so the curves grow across a still frame; None widens it as they grow.
    interval : float, seconds
        Redraw at most once per ``interval``: 0.1 gives at most ten images a
        second; 0 redraws after every epoch.
    metric_label : str
        The metric panel's y-axis label, the name of ``fit``'s metric.
    log_loss : bool
        Draw the loss on a logarithmic axis.
    show : bool or None
        Display the image under the running cell; None (the default) displays
        it only inside a notebook kernel, so the same code runs headless in tests.

    Attributes
    ----------
    image : ipywidgets.Image
        The image shown; ``image.value`` holds the newest PNG (empty before the first epoch).
    figure : LearningCurvesFigure or None
        The figure, built at the first epoch (when the measured series are known).
    history : dlnotes.train.History or None
        The run being drawn (the object ``fit`` returns).
    renders : int
        How many images have been drawn.
    """

    def __init__(self, *, epochs: int | None = None, interval: float = 0.1, metric_label: str = "metric",
                 log_loss: bool = False, show: bool | None = None):
        self.epochs = None if epochs is None else check_number(epochs, "epochs", low=1, integer=True)
        self.interval = check_number(interval, "interval", low=0)
        if not isinstance(metric_label, str):
            raise TypeError(f"metric_label must be a str, got {_show(metric_label)}")
        self.metric_label = metric_label
        self.log_loss = check_flag(log_loss, "log_loss")
        self.show = None if show is None else check_flag(show, "show")
        self.image = LiveImage(format="png")
        self.figure, self.history, self.renders = None, None, 0
        self._handle = None

    def on_train_begin(self, history) -> None:
        self.history, self.figure, self._last = history, None, -np.inf
        if self.show or (self.show is None and _in_notebook()):
            from IPython.display import display

            self._handle = display(self.image, display_id=True)

    def on_epoch_end(self, epoch: int, history) -> bool:
        if time.perf_counter() - self._last >= self.interval:
            self.redraw()
            self._last = time.perf_counter()
        return False

    def on_train_end(self, history) -> None:
        if history.train_loss and (self.figure is None or self.figure.values["epoch"] != len(history.train_loss)):
            self.redraw()
        if self.figure is not None:
            self.figure.defaults["epoch"] = len(history.train_loss)  # Reset in the scrubbing widget: the whole run
        if self._handle is not None:
            self._handle.update(self.image)  # the final curves also become the cell's static image/png

    def redraw(self) -> bytes:
        """Draw the run as it is now into ``image``, and return the PNG."""
        history = self.history
        if history is None or not history.train_loss:
            raise RuntimeError("LiveLearningCurves.redraw needs a fit that has recorded an epoch")
        if self.figure is None:
            self.figure = LearningCurvesFigure(history, epochs=self.epochs, metric_label=self.metric_label,
                                               log_loss=self.log_loss)
        else:
            self.figure.update(epoch=len(history.train_loss))
        png = self.figure.png()
        self.image.value = png
        self.renders += 1
        return png

    def _repr_png_(self) -> bytes | None:
        return bytes(self.image.value) or None
