"""Figures of Chapter 3, optimization in deep models.

The numbers come from ``dlnotes.book.experiments.ch03_optimization`` and from the
``History`` that ``dlnotes.train.fit`` returns; colours from :func:`dlnotes.book.plot.style`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullFormatter

from ..experiments.ch03_optimization import VERDICTS, classify_learning_curves
from . import epoch_ticks, new_figure, readable_log_axis, style

#: A typical stopping tolerance of pure optimization, :math:`\\lVert \\nabla_\\theta J \\rVert < 10^{-5}`
#: (e.g. the default of quasi-Newton methods), drawn for comparison with where early stopping ends.
PURE_OPTIMIZATION_TOLERANCE = 1e-5


def display_loss(loss, cap: float) -> np.ndarray:
    """Loss values for a plot: non-finite or above ``cap`` shown at ``cap`` (Chapter 3).

    .. math:: \\tilde J = \\min(J, \\text{cap}), \\qquad \\tilde J = \\text{cap} \\text{ where } J \\text{ is NaN or } \\infty.
    """
    loss = np.asarray(loss, dtype=float)
    return np.where(np.isfinite(loss), np.minimum(loss, cap), cap)


def draw_off_scale(ax, cap: float, cap_factor: float):
    """The cap of :func:`display_loss` as a labelled dashed line, "off scale: ≥ 2× start" (Chapter 3).

    Returns the line, so that a legend can show it.
    """
    return ax.axhline(cap, **style("neutral_alt"), linewidth=1.0, label=f"off scale: ≥ {cap_factor:g}× start")


def off_scale_points(loss, cap: float) -> tuple[np.ndarray, np.ndarray]:
    """Epochs and heights of the markers on the cap: where :math:`J_t > \\text{cap}` or is not finite (Chapter 3).

    .. math:: \\{(t, \\text{cap}) : J_t > \\text{cap} \\text{ or } J_t \\notin \\mathbb{R}\\}
    """
    loss = np.asarray(loss, dtype=float)
    with np.errstate(invalid="ignore"):
        epochs = np.flatnonzero(~(loss <= cap))
    return epochs, np.full(len(epochs), cap)


#: How an epoch whose loss is off scale is marked on the cap: a small triangle pointing up.
OFF_SCALE = {"marker": "^", "markersize": 5, "linestyle": "none"}


def plot_gradient_spread(spread):
    """Measured spread of the minibatch gradient against :math:`\\sigma_g/\\sqrt m` on log-log axes (Chapter 3).

    ``spread`` is the ``GradientSpread`` of ``dlnotes.book.experiments.ch03_optimization.gradient_spread``.
    """
    fig, ax = new_figure(figsize=(5.6, 3.8))
    m = spread.batch_sizes
    ax.plot(m, spread.predicted, **style("reference"), label="$\\sigma_g/\\sqrt{m}$ (standard error)")
    ax.plot(m, spread.spread, "o", color=style("neutral")["color"], label="measured over random minibatches")
    ax.set(xscale="log", yscale="log", xlabel="minibatch size $m$",
           ylabel="RMS distance $\\|\\hat g_B - \\nabla_\\theta J\\|$")
    ax.set_xticks(m, [str(int(v)) for v in m])
    ax.xaxis.set_minor_formatter(NullFormatter())
    readable_log_axis(ax.yaxis)
    ax.legend()
    return fig


def representative_rates(lrs, loss) -> list[int]:
    """One learning rate per verdict of ``classify_learning_curves``, as indices into ``lrs`` in increasing rate (Chapter 3).

    With the verdicts judged over the last half of the epochs (the default window): the smallest *slow*
    rate, the *good* rate with the lowest mean loss over that window, the smallest *oscillating* rate
    and the smallest *diverging* one (the edge of the cliff). A verdict no rate received is skipped.
    """
    lrs, loss = np.asarray(lrs, dtype=float), np.asarray(loss, dtype=float)
    verdicts = classify_learning_curves(loss)
    window = max(loss.shape[1] // 2, 1)
    means = np.where(np.isfinite(loss[:, -window:]), loss[:, -window:], np.inf).mean(axis=1)
    chosen = []
    for verdict in VERDICTS:
        members = sorted((k for k, v in enumerate(verdicts) if v == verdict),
                         key=lambda k: (means[k], lrs[k]) if verdict == "good" else (lrs[k],))
        chosen += members[:1]
    return sorted(chosen, key=lambda k: lrs[k])


def plot_learning_rate_grid(sweep, cap_factor: float = 2.0, highlight=None):
    """Learning curves for every learning rate of a sweep, a few highlighted over the faint rest (Chapter 3).

    ``sweep`` is the ``LearningRateSweep`` of ``learning_rate_sweep``. Every curve is drawn thin and
    grey; the rates at the indices ``highlight`` (by default one per verdict of
    ``classify_learning_curves``: the smallest slow rate, the best good one, the first oscillating and
    the first diverging, :func:`representative_rates`) are drawn in colour, with their rate and verdict in
    the legend. Losses above ``cap_factor`` times the initial loss (diverged runs) are drawn at that cap,
    a dashed line labelled "off scale", with a triangle on it at every epoch drawn there.
    """
    lrs, loss = np.asarray(sweep.lrs), np.asarray(sweep.loss, dtype=float)
    verdicts = classify_learning_curves(loss)
    highlight = representative_rates(lrs, loss) if highlight is None else list(highlight)
    cap = cap_factor * float(np.nanmax(loss[:, 0]))
    fig, ax = new_figure(figsize=(8.0, 4.0))
    draw_off_scale(ax, cap, cap_factor)
    colours = {k: style(f"rate {k}", n) for n, k in enumerate(highlight)}
    for k, curve in enumerate(loss):
        look = colours.get(k, {"color": "0.8"})
        shown = {"linewidth": 2.0, "zorder": 3, "label": f"ε = {lrs[k]:.3g} ({verdicts[k]})"} if k in colours else {
            "linewidth": 0.9, "zorder": 2}
        ax.plot(np.arange(len(curve)), display_loss(curve, cap), **look, **shown)
        ax.plot(*off_scale_points(curve, cap), color=look["color"], zorder=shown["zorder"], **OFF_SCALE)
    ax.plot([], [], color="0.8", linewidth=0.9, label="the other rates")
    ax.set(yscale="log", xlabel="epoch", ylabel="loss on the whole training set")
    ax.set_ylim(top=cap * 1.4)
    epoch_ticks(ax.xaxis)
    readable_log_axis(ax.yaxis)
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5))
    return fig


def plot_shuffling(curves):
    """Training loss per epoch with shuffled and with label-sorted minibatches (Chapter 3).

    ``curves`` is the ``ShufflingComparison`` of ``shuffling_comparison``: :math:`J(\\theta^{(t)})` on the
    whole training set after each epoch :math:`t`. Both runs are plain SGD: the shuffled one is drawn
    in SGD's style, the sorted one in a neutral grey dash.
    """
    fig, ax = new_figure(figsize=(5.6, 3.6))
    for name, curve, look in (("shuffled", curves.shuffled, style("sgd")), ("sorted", curves.sorted, style("neutral_alt"))):
        ax.plot(np.arange(len(curve)), curve, label=f"{name} minibatches", linewidth=1.8, **look)
    ax.set(yscale="log", xlabel="epoch", ylabel="loss on the whole training set")
    epoch_ticks(ax.xaxis)
    readable_log_axis(ax.yaxis)
    ax.legend()
    return fig


def plot_early_stopping(history, tolerance: float = PURE_OPTIMIZATION_TOLERANCE):
    """Training and validation loss with the stopping point, and the gradient norm there (Chapter 3).

    ``history`` is a ``dlnotes.train.History`` from ``fit(..., patience=..., grad_norm=True)``;
    the best epoch is :math:`t^\\star = \\arg\\min_t J_\\text{val}(\\theta^{(t)})` and the right panel marks
    :math:`\\lVert \\nabla_\\theta J(\\theta^{(t^\\star)}) \\rVert` (the weights early stopping returns)
    next to the first epoch's norm and a pure optimizer's stopping ``tolerance``.
    """
    fig, (ax, gax) = new_figure(1, 2, figsize=(9.6, 3.6))
    epochs = np.asarray(history.epochs)
    best = history.best_epoch
    ax.plot(epochs, history["train_loss"], label="training", **style("train"))
    ax.plot(epochs, history["val_loss"], label="validation", **style("validation"))
    for a in (ax, gax):
        a.axvline(best, color="0.3", linestyle=":", label=f"best epoch {best}")
        a.axvline(history.stopped_epoch, color="0.6", linestyle="-.", label=f"stopped at {history.stopped_epoch}")
    ax.set(xlabel="epoch", ylabel="cross-entropy loss")
    epoch_ticks(ax.xaxis)
    epoch_ticks(gax.xaxis)
    ax.legend()
    norms = np.asarray(history["grad_norm"])
    gax.plot(epochs, norms, **style("neutral"), label="$\\|\\nabla_\\theta J(\\theta)\\|$")
    gax.plot([best], [norms[best - 1]], "o", color=style("validation")["color"], markersize=8)
    gax.annotate(f"{norms[best - 1]:.2g} at the best epoch\n(weights returned)", (best, norms[best - 1]),
                 xytext=(8, 8), textcoords="offset points", fontsize=9)
    gax.axhline(tolerance, **style("neutral_alt"), label=f"pure optimization's tolerance ({tolerance:g})")
    gax.set(yscale="log", xlabel="epoch", ylabel="gradient norm on the training set")
    gax.legend(loc="center left")
    return fig


def plot_surrogate(history):
    """The surrogate loss keeps falling after the 0-1 training error reaches its floor (Chapter 3).

    Draws ``train_loss`` (the surrogate, the cross-entropy) and the training error, the share of
    misclassified training examples, ``1 - train_metric`` (accuracy) of one ``fit`` run.
    """
    fig, ax = new_figure(figsize=(5.6, 3.6))
    epochs = np.asarray(history.epochs)
    ax.plot(epochs, history["train_loss"], label="surrogate: cross-entropy", **style("cross_entropy"))
    error = 1.0 - np.asarray(history["train_metric"])
    ax.plot(epochs, error, label="0-1 loss: training error", **style("zero_one"))
    ax.set(ylim=(0, None), xlabel="epoch", ylabel="training loss")
    epoch_ticks(ax.xaxis)
    ax.legend()
    return fig


def plot_schedules(schedules: dict, curves: dict, *, total: int):
    """Learning-rate schedules :math:`\\epsilon_t` (left) and the training loss of a run with each (right) (Chapter 3).

    ``schedules`` maps a name to a function of the step :math:`t` (an array of steps in, the rates out,
    or one number for a constant), drawn for :math:`t = 0, \\dots,` ``total`` - 1; ``curves`` maps the same
    names to the loss at the start and after each epoch (``schedule_comparison``), on a log axis. One
    legend below both panels names each schedule, in the same colour and line style in both.
    """
    fig, (rate_ax, loss_ax) = new_figure(1, 2, figsize=(9.6, 4.0))
    steps = np.arange(total)
    for i, (name, schedule) in enumerate(schedules.items()):
        look = style(name, i)
        rate_ax.plot(steps, np.broadcast_to(schedule(steps), steps.shape), linewidth=1.8, label=name, **look)
        curve = np.asarray(curves[name], dtype=float)
        loss_ax.plot(np.arange(len(curve)), curve, linewidth=1.8, **look)
    rate_ax.set(xlabel="step $t$", ylabel="learning rate $\\epsilon_t$", ylim=(0, None))
    loss_ax.set(yscale="log", xlabel="epoch", ylabel="loss on the whole training set")
    epoch_ticks(rate_ax.xaxis)
    epoch_ticks(loss_ax.xaxis)
    readable_log_axis(loss_ax.yaxis)
    fig.legend(loc="outside lower center", ncols=2)
    return fig
