"""Interactive figures of Chapter 2 (loss functions, 损失函数).

- :class:`RegressionLossFigure`: each regression loss and its gradient
  against the residual, with sliders for smooth L1's ``beta`` and Huber's ``delta``;
- :class:`OutlierFitFigure`: lines fitted under MSE, L1 and smooth L1 as the
  outliers grow (precomputed for a grid of sizes);
- :class:`SoftmaxFigure`: softmax probabilities and the cross-entropy as one
  logit moves.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.transforms import offset_copy

from ..._validation import check_number
from ..experiments.ch02_losses import REGRESSION_LOSSES, outlier_fits, regression_loss_curves, softmax_sweep
from ..plot import new_figure, style
from . import InteractiveFigure

#: Legend labels of the regression losses.
REGRESSION_LABELS = {"mse": "MSE (L2)", "l1": "MAE (L1)", "smooth_l1": "smooth L1", "huber": "Huber"}


class RegressionLossFigure(InteractiveFigure):
    """Each regression loss (left) and its derivative (right) against the residual :math:`r = y - f(x)` (Chapter 2).

    The curves come from the loss classes of ``dlnotes.losses`` through
    ``dlnotes.book.experiments.ch02_losses.regression_loss_curves``; ``beta`` sets
    where smooth L1 turns from quadratic to linear and ``delta`` does the
    same for Huber (thin grey vertical lines at :math:`\\pm\\beta` and
    :math:`\\pm\\delta`, labelled beside the line, :math:`\\beta` on the top
    row and :math:`\\delta` on the row below, so the labels never overlap). The defaults
    (:math:`\\beta = 1.5`, :math:`\\delta = 2`) keep all four curves apart:
    inside :math:`\\pm\\beta` smooth L1 is :math:`r^2 / (2\\beta)`, which
    equals MSE's :math:`r^2` at :math:`\\beta = 0.5` and Huber's
    :math:`r^2 / 2` at :math:`\\beta = 1`; at :math:`\\beta = \\delta = 1`
    the two coincide everywhere. The
    residual axis reaches :math:`\\pm 5`, so the linear part shows even at the
    sliders' largest value, 3.
    """

    frame_controls = ("beta", "delta")

    R = np.linspace(-5, 5, 1001)

    def __init__(self, beta: float = 1.5, delta: float = 2.0):
        super().__init__(beta=beta, delta=delta)

    def _build(self) -> None:
        self.fig, (self.ax_loss, self.ax_grad) = new_figure(1, 2, figsize=(10, 3.9))
        self.lines = {}
        for name in REGRESSION_LOSSES:
            kw = dict(label=REGRESSION_LABELS[name], linewidth=2, **style(name))
            self.lines[name] = (self.ax_loss.plot(self.R, self.R, **kw)[0], self.ax_grad.plot(self.R, self.R, **kw)[0])
        self.marks, self.mark_labels = {}, {}
        # beta's labels on the top row, delta's on a row below, each outside its line (-x to the left, +x to the
        # right), so no two labels print over each other at any beta and delta, even beta = delta or 0.1
        for key, symbol, height in (("beta", "β", 0.985), ("delta", "δ", 0.90)):
            self.marks[key] = [ax.axvline(sign, linewidth=0.8, **style("neutral_alt"))
                               for ax in (self.ax_loss, self.ax_grad) for sign in (-1, 1)]
            self.mark_labels[key] = [ax.text(sign, height, f"−{symbol}" if sign < 0 else symbol,
                                             ha="right" if sign < 0 else "left", va="top",
                                             transform=offset_copy(ax.get_xaxis_transform(), self.fig, x=2 * sign,
                                                                   units="points"),
                                             color=style("neutral_alt")["color"], fontsize=10,
                                             backgroundcolor="white")
                                     for ax in (self.ax_loss, self.ax_grad) for sign in (-1, 1)]
        self.ax_loss.set_ylim(-0.1, 6)
        self.ax_grad.set_ylim(-4.2, 4.2)
        self.ax_loss.set_ylabel("loss $L(r)$")
        self.ax_grad.set_ylabel("gradient $\\partial L / \\partial r$")
        for ax in (self.ax_loss, self.ax_grad):
            ax.set_xlabel("residual $r = y - f(x)$")
            ax.set_xlim(self.R[0], self.R[-1])
        self.fig.legend(handles=self.ax_loss.get_legend_handles_labels()[0], loc="outside upper center", ncols=4)
        self.animate(*self.marks["beta"], *self.marks["delta"], *(line for pair in self.lines.values() for line in pair),
                     *self.mark_labels["beta"], *self.mark_labels["delta"], self.ax_loss.title)

    def _draw(self) -> None:
        beta, delta = float(self.values["beta"]), float(self.values["delta"])
        curves = regression_loss_curves(self.R, beta=beta, delta=delta)
        for name, (loss_line, grad_line) in self.lines.items():
            loss_line.set_ydata(curves[name][0])
            grad_line.set_ydata(curves[name][1])
        for key, value in (("beta", beta), ("delta", delta)):
            for line, label, sign in zip(self.marks[key], self.mark_labels[key], (-1, 1, -1, 1)):
                line.set_xdata([sign * value, sign * value])
                label.set_x(sign * value)
        self.ax_loss.set_title(f"β = {beta:g} (smooth L1), δ = {delta:g} (Huber)")

    def controls(self) -> dict:
        return {
            "beta": w.FloatSlider(min=0.1, max=3, step=0.1, description="β (smooth L1)", continuous_update=False),
            "delta": w.FloatSlider(min=0.1, max=3, step=0.1, description="δ (Huber)", continuous_update=False),
        }


class OutlierFitFigure(InteractiveFigure):
    """A line fitted under MSE, L1 and smooth L1 to data whose outliers have size ``outlier_size`` (Chapter 2).

    The fits are computed once, in ``__init__``, for every size in ``sizes``
    (``dlnotes.book.experiments.ch02_losses.outlier_fits``); the slider picks the
    nearest one. The outliers (the last points, hollow) pull the MSE line,
    whose gradient grows with the residual; the L1 and smooth L1 lines stay
    with the other points. Those two lines nearly coincide, so the L1 line is
    drawn wide and pale beneath the thin smooth L1 line, and each legend label
    gives its line's equation. The y-axis follows the data of the chosen size,
    so small outliers are not squashed by the axis that the largest need.
    """

    frame_controls = ("outlier_size",)

    LOSSES = ("mse", "l1", "smooth_l1")
    #: Line widths: the L1 fit wide beneath the smooth L1 fit, which it nearly hides otherwise.
    WIDTHS = {"mse": 2.0, "l1": 7.0, "smooth_l1": 2.0}

    def __init__(self, outlier_size: float = 20.0, *, sizes=np.arange(0.0, 31.0, 2.5), rng=0):
        self.fits = outlier_fits(np.asarray(sizes, dtype=float), loss_names=self.LOSSES, rng=rng)
        super().__init__(outlier_size=outlier_size)

    def _build(self) -> None:
        self.fig, self.ax = new_figure(figsize=(6.6, 5.0))
        x, k = self.fits.x, self.fits.n_outliers
        self.inliers = self.ax.scatter(x[:-k], self.fits.y[0, :-k], s=18, color=style("data")["color"], label="data",
                                       zorder=3)
        self.outliers = self.ax.scatter(x[-k:], self.fits.y[0, -k:], s=55, facecolors="none",
                                        edgecolors=style("neutral")["color"], linewidths=1.5, label="outliers",
                                        zorder=3)
        self.grid_x = np.array([0.0, 5.0])
        self.fit_lines = {name: self.ax.plot(self.grid_x, self.grid_x, linewidth=self.WIDTHS[name],
                                             alpha=0.45 if name == "l1" else 1.0, solid_capstyle="butt",
                                             label=REGRESSION_LABELS[name], **style(name))[0]
                          for name in self.LOSSES}
        self.ax.plot(self.grid_x, 2 * self.grid_x + 1, linewidth=1.5, label="true line $2x + 1$", **style("reference"))
        self.ax.set_xlim(0, 5)
        self.ax.set_xlabel("x")
        self.ax.set_ylabel("y")
        # below the panel, where it covers no point and no line at any outlier size
        self.legend = self.fig.legend(handles=self.ax.get_legend_handles_labels()[0], loc="outside lower center",
                                      ncols=2, fontsize=9)
        self.animate(self.outliers, *self.fit_lines.values(), self.ax.title, self.legend)
        self._shown_top = None

    def _draw(self) -> None:
        i = int(np.argmin(np.abs(self.fits.sizes - float(self.values["outlier_size"]))))
        x, y, k = self.fits.x, self.fits.y[i], self.fits.n_outliers
        self.outliers.set_offsets(np.column_stack([x[-k:], y[-k:]]))
        texts = {t.get_text().split(" fit")[0]: t for t in self.legend.get_texts()}
        for name, line in self.fit_lines.items():
            slope, intercept = self.fits.lines[name][i]
            line.set_ydata(slope * self.grid_x + intercept)
            texts[REGRESSION_LABELS[name]].set_text(_fit_label(name, slope, intercept))
        top = max(12.0, float(np.max(y)) + 1.5)
        if top != self._shown_top:  # the y-axis is static: redraw the background
            self._shown_top = top
            self.ax.set_ylim(-1, top)
            self.invalidate()
        self.ax.set_title(f"outlier size {self.fits.sizes[i]:g}")

    def controls(self) -> dict:
        sizes = self.fits.sizes
        step = float(sizes[1] - sizes[0]) if sizes.size > 1 else 1.0
        return {"outlier_size": w.FloatSlider(min=float(sizes[0]), max=float(sizes[-1]), step=step,
                                              description="outlier size", continuous_update=False)}


def _fit_label(name: str, slope: float, intercept: float) -> str:
    """Legend label of a fitted line, e.g. "MAE (L1) fit: 1.86x + 1.45"."""
    sign = "+" if intercept >= 0 else "−"
    return f"{REGRESSION_LABELS[name]} fit: {slope:.2f}x {sign} {abs(intercept):.2f}"


class SoftmaxFigure(InteractiveFigure):
    """Softmax probabilities (left) and the softmax loss (right) as the logit of class ``moving`` takes the value ``logit`` (Chapter 2).

    The values are every class's logit ``logits`` (starting at ``LOGITS``,
    with the moving class's set to ``logit``), the class ``moving`` and
    ``logit``, the slider: always the moving class's logit. Moving the slider
    edits that class's entry of ``logits``; choosing another class sets
    ``logit`` to that class's current logit (``update(moving=k)`` does it, and
    the widget moves its slider there), so no class's logit is overwritten by
    switching. Reset restores every logit.

    The true class is class 0. Raising its logit drives its probability to 1
    and the loss :math:`-\\log p_0` to 0; raising another class's logit takes
    probability from every class, and the loss grows about linearly.
    The numbers come from ``dlnotes.book.experiments.ch02_losses.softmax_sweep``.
    """

    frame_controls = ("moving", "logit")

    LOGITS = np.array([1.0, 2.0, 0.5, -1.0])
    VALUES = np.linspace(-6, 6, 241)

    def __init__(self, logit: float = 1.0, moving: int = 0):
        moving = self._class(moving)
        logits = tuple(float(z) for z in self.LOGITS)
        logits = logits[:moving] + (float(logit),) + logits[moving + 1:]
        super().__init__(logit=logit, moving=moving, logits=logits)

    @property
    def logits(self) -> np.ndarray:
        """Every class's logit, from ``values["logits"]``."""
        return np.array(self.values["logits"])

    def _class(self, moving) -> int:
        return check_number(moving, "moving", low=0, high=self.LOGITS.size - 1, integer=True)

    def _build(self) -> None:
        n = self.LOGITS.size
        self.fig, (self.ax_prob, self.ax_loss) = new_figure(1, 2, figsize=(10, 3.8))
        self.bars = self.ax_prob.bar(np.arange(n), np.zeros(n), color=style("data")["color"])
        self.bars[0].set_color(style("neutral")["color"])
        self.ax_prob.set_xticks(np.arange(n), ["class 0 (true)"] + [f"class {k}" for k in range(1, n)])
        self.ax_prob.set_ylim(0, 1.15)
        self.ax_prob.set_yticks(np.linspace(0, 1, 6))
        self.ax_prob.set_ylabel("softmax probability $p_k$")
        self.labels = [self.ax_prob.text(k, 0, "", ha="center", va="bottom") for k in range(n)]
        self.curve, = self.ax_loss.plot(self.VALUES, self.VALUES, linewidth=2,
                                        label="softmax loss (cross-entropy) $-\\log p_0$", **style("cross_entropy"))
        self.point, = self.ax_loss.plot([0], [0], "o", markersize=8, label="current logit", **style("neutral"))
        self.ax_loss.set_ylim(-0.2, 9)
        self.ax_loss.set_ylabel("loss")
        self.ax_loss.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
        self.animate(*self.bars, *self.labels, self.curve, self.point, self.ax_prob.title)
        self._shown_class = None

    def update(self, **values) -> "SoftmaxFigure":
        """Set ``logit`` and/or ``moving``; choosing a class alone sets ``logit`` to that class's current logit.

        ``logit`` is written into ``logits`` at the moving class, so the two always agree.
        """
        logits = list(values.get("logits", self.values["logits"]))
        moving = self._class(values.get("moving", self.values["moving"]))
        if "moving" in values and "logit" not in values:
            values["logit"] = logits[moving]
        logits[moving] = float(values.get("logit", self.values["logit"]))
        return super().update(**{**values, "moving": moving, "logits": tuple(logits)})

    def _draw(self) -> None:
        moving, logit, logits = self.values["moving"], float(self.values["logit"]), self.logits
        sweep = softmax_sweep(logits, moving, self.VALUES)
        here = softmax_sweep(logits, moving, [logit])
        for bar, label, p in zip(self.bars, self.labels, here.probabilities[0]):
            bar.set_height(p)
            label.set_position((label.get_position()[0], p))
            label.set_text(f"{p:.2f}")
        self.curve.set_ydata(sweep.loss)
        self.point.set_data([logit], here.loss)
        if moving != self._shown_class:  # the axis label is static: redraw the background
            self._shown_class = moving
            self.ax_loss.set_xlabel(f"logit $z_{moving}$ of class {moving}")
            self.invalidate()
        self.ax_prob.set_title("logits $z$ = (" + ", ".join(f"{z:g}" for z in logits) + ")")

    def controls(self) -> dict:
        """The class to move and its logit; choosing a class moves the slider to that class's logit."""
        return {
            "moving": w.Dropdown(options=[(f"class {k}", k) for k in range(self.LOGITS.size)],
                                 description="moving"),
            "logit": w.FloatSlider(min=-6, max=6, step=0.25, description="logit", continuous_update=False),
        }
