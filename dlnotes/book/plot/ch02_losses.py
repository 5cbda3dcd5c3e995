"""Static figures of Chapter 2 (loss functions, 损失函数).

Each function returns a matplotlib Figure made with :func:`dlnotes.book.plot.new_figure`;
the numbers come from ``dlnotes.losses`` through ``dlnotes.book.experiments.ch02_losses``.
"""

from __future__ import annotations

import numpy as np

from ..experiments.ch02_losses import classification_loss_curves, naive_log_sigmoid, stable_log_sigmoid
from . import new_figure, style

#: Legend labels of the classification losses.
CLASSIFICATION_LABELS = {
    "zero_one": "0-1",
    "absolute": "absolute $|1 - m|$ (= hinge for $m < 1$)",
    "hinge": "hinge $\\max(0, 1 - m)$",
    "logistic": "logistic $\\log(1 + e^{-m})$",
    "exponential": "exponential $e^{-m}$",
    "cross_entropy": "cross-entropy, labels {0, 1}",
}


def plot_classification_losses(margin=None):
    """Every classification loss of Chapter 2 against the margin :math:`m = y f(x)` on one plot.

    The curves come from ``dlnotes.book.experiments.ch02_losses.classification_loss_curves``
    on ``margin`` (default :math:`[-2, 3]`); the 0-1 loss is drawn as a step.
    Two pairs coincide, so the lower one of each is drawn wide beneath the
    other: the {0, 1} cross-entropy under the logistic loss everywhere, and
    the absolute loss under the hinge loss for :math:`m < 1` (both :math:`1 - m` there).
    """
    margin = np.linspace(-2, 3, 501) if margin is None else np.asarray(margin, dtype=float)
    fig, ax = new_figure(figsize=(6.8, 4.2))
    for name, loss in classification_loss_curves(margin).items():
        drawstyle = "steps-post" if name == "zero_one" else "default"
        beneath = name in ("cross_entropy", "absolute")  # under the logistic and the hinge loss
        ax.plot(margin, loss, label=CLASSIFICATION_LABELS[name], drawstyle=drawstyle, linewidth=5 if beneath else 2,
                zorder=1 if beneath else 2, **style(name))
    ax.axvline(0, color="grey", linewidth=0.5)
    ax.set_ylim(-0.1, 4)
    ax.set_xlabel("margin $m = y\\,f(x)$ ($m > 0$: correct)")
    ax.set_ylabel("loss")
    ax.legend()
    return fig


def plot_naive_vs_stable(z=None, dtype=np.float32):
    """:math:`\\log\\sigma(z)` by the naive formula and by the stable form of BCE with logits (Chapter 2).

    Computed in ``dtype`` (float32 by default, where :math:`e^{-z}` overflows
    for :math:`z` below about -88) on ``z`` (default :math:`[-120, 10]`).
    The naive curve stops where it becomes :math:`-\\infty`; the stable one,
    :math:`-\\big(\\max(-z, 0) + \\log(1 + e^{-|z|})\\big)`
    (``dlnotes.book.experiments.ch02_losses.stable_log_sigmoid``), continues along
    :math:`\\log\\sigma(z) \\approx z`.
    """
    z = np.linspace(-120, 10, 521, dtype=dtype) if z is None else np.asarray(z, dtype=dtype)
    stable = stable_log_sigmoid(z)
    naive = naive_log_sigmoid(z)
    fig, ax = new_figure(figsize=(6.4, 3.8))
    ax.plot(z, stable, label="stable: $-(\\max(-z, 0) + \\log(1 + e^{-|z|}))$", linewidth=5,
            color=style("cross_entropy")["color"], linestyle="-")  # solid and wide: the naive curve lies on it
    ax.plot(z, naive, label="naive: $\\log(1 / (1 + e^{-z}))$", color=style("neutral")["color"], linestyle="--")
    broken = z[~np.isfinite(naive)]
    if broken.size:
        ax.axvspan(z.min(), broken.max(), color="grey", alpha=0.2, label="naive gives $-\\infty$")
    ax.set_xlabel(f"logit z ({np.dtype(dtype).name})")
    ax.set_ylabel("$\\log \\sigma(z)$")
    ax.legend()
    return fig
