"""Interactive figures of Chapter 5, data preprocessing.

:class:`ScaleRatioExplorer` is the slider for the features' scale ratio :math:`\\sigma_2/\\sigma_1`.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..._validation import check_number
from ..experiments.ch05_preprocessing import steps_to_converge
from ..plot import new_figure
from ..plot.ch05_preprocessing import LOOKS, DescentPanel, draw_steps_against_kappa, run_title, short, window
from . import InteractiveFigure


class ScaleRatioExplorer(InteractiveFigure):
    """Gradient descent on raw and on standardized features as one feature is stretched (Chapter 5).

    Left: contours of the mean squared error over the weights of the centred raw
    features and the path of gradient descent at its best learning rate; middle:
    the same after standardization (the same for every ratio); right: steps to
    converge against the condition number :math:`\\kappa` for the whole grid, the
    chosen ratio's runs filled. Both contour panels share one window with equal
    axes, so an elongated loss looks elongated.

    Parameters
    ----------
    sweep : ScaleRatioSweep
        From ``dlnotes.book.experiments.ch05_preprocessing.scale_ratio_sweep``.
    ratio : float, optional
        The starting ratio :math:`\\sigma_2/\\sigma_1`, snapped to the grid (10, or the grid's middle, by default).
    """

    frame_controls = ("ratio",)

    def __init__(self, sweep, ratio: float | None = None):
        self.sweep = sweep
        self.ratios = np.asarray(sweep.ratios, dtype=float)
        if ratio is None:
            ratio = 10.0 if self.ratios.min() <= 10.0 <= self.ratios.max() else float(np.median(self.ratios))
        super().__init__(ratio=float(ratio))

    def _build(self) -> None:
        self.fig, (raw_ax, std_ax, self.steps_ax) = new_figure(1, 3, figsize=(12.4, 4.3))
        standardized = self.sweep.standardized[0]
        bounds = window(standardized)
        self.raw = DescentPanel(raw_ax, "raw", bounds)
        self.standardized = DescentPanel(std_ax, "standardized", bounds, xlabel="$w'_1$", ylabel="$w'_2$")
        self.standardized.show(standardized)
        std_ax.set_title(run_title("standardized", standardized), fontsize=10)
        self.fig.legend(handles=[self.raw.path, *self.standardized.legend_handles()], loc="outside lower center",
                        ncols=4, fontsize=9)
        draw_steps_against_kappa(self.steps_ax, self.sweep, steps_to_converge)
        (self.raw_point,) = self.steps_ax.plot([], [], "o", markersize=9, color=LOOKS["raw"]["color"])
        (self.std_point,) = self.steps_ax.plot([], [], "s", markersize=8, color=LOOKS["standardized"]["color"])
        self.raw_title = raw_ax.set_title(" ", fontsize=10)
        self.animate(*self.raw.artists, self.raw_point, self.std_point, self.raw_title)

    def index(self) -> int:
        """Position in the grid of the ratio closest to ``ratio`` (on a log scale)."""
        ratio = check_number(self.values["ratio"], "ratio", low=0, low_open=True)
        return int(np.argmin(np.abs(np.log(self.ratios) - np.log(ratio))))

    def _draw(self) -> None:
        k = self.index()
        raw, standardized = self.sweep.raw[k], self.sweep.standardized[k]
        self.raw.show(raw)
        self.raw_title.set_text(f"{run_title(f'raw, σ₂/σ₁ = {short(self.ratios[k])}', raw)}")
        self.raw_point.set_data([raw.kappa], [raw.steps])
        self.std_point.set_data([standardized.kappa], [standardized.steps])

    def controls(self) -> dict:
        """A log-scale slider stepping through the grid of ratios."""
        logs = np.log10(self.ratios)
        step = float(np.min(np.diff(logs))) if len(logs) > 1 else 0.1
        return {"ratio": w.FloatLogSlider(base=10, min=float(logs[0]), max=float(logs[-1]), step=step,
                                          description="σ₂/σ₁", readout_format=".3g",
                                          layout=w.Layout(width="420px"))}
