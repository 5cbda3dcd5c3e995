"""Interactive figure of Chapter 9: the test digits the network gets wrong, one at a time.

- :class:`MistakeBrowser`: a slider through the misclassified test digits,
  each shown as its 8x8 image beside the network's ten class probabilities.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..._validation import _show
from ..plot import new_figure, style
from ..plot.ch09_capstone import DIGIT_CMAP
from . import InteractiveFigure


class MistakeBrowser(InteractiveFigure):
    """The test digits a network misclassifies: image, true and predicted label, and the softmax output (Chapter 9).

    Left, the 8x8 image of mistake number ``mistake`` (1 to the number of
    mistakes, in test-set order); right, its ten probabilities
    :math:`q_k = \\mathrm{softmax}(z)_k`, the predicted class in vermillion
    and the true class in blue, each labelled above its bar. A confident mistake (a tall wrong bar) says
    something other than a close call between two classes.

    Parameters
    ----------
    images : array of shape (N, 64), the raw test images (pixel values 0 to 16)
    result : a ``FinalTest`` from ``dlnotes.book.experiments.ch09_capstone.final_test`` on those images
    """

    frame_controls = ("mistake",)

    def __init__(self, images, result):
        images = np.asarray(images, dtype=float)
        if images.ndim != 2 or images.shape[1] != 64 or len(images) != len(result.true):
            raise ValueError(f"images must have shape ({len(result.true)}, 64) to match result, got {_show(images)}")
        self.wrong = np.flatnonzero(result.predicted != result.true)
        if not self.wrong.size:
            raise ValueError("result has no mistakes to browse: every test digit is classified correctly")
        self.images, self.result = images, result
        super().__init__(mistake=1)

    def _build(self) -> None:
        self.fig, (self.image_ax, self.bar_ax) = new_figure(1, 2, figsize=(7.2, 3.0), width_ratios=(1, 1.9))
        self.image = self.image_ax.imshow(np.zeros((8, 8)), cmap=DIGIT_CMAP, vmin=0, vmax=16, interpolation="nearest")
        self.image_ax.set_axis_off()
        n_classes = self.result.probabilities.shape[1]
        self.bars = self.bar_ax.bar(np.arange(n_classes), np.zeros(n_classes), color=style("data")["color"])
        self.bar_ax.set(xlabel="digit", ylabel="probability", xticks=range(n_classes), ylim=(0, 1.05))
        self.bar_ax.grid(axis="x", visible=False)
        self.title = self.image_ax.set_title(" ", fontsize=10)
        self.note = self.bar_ax.set_title(" ", fontsize=10)
        self.labels = {name: self.bar_ax.text(0, 0, name, ha="center", va="bottom", fontsize=9,
                                              color=style(look)["color"])
                       for name, look in (("predicted", "validation"), ("true", "train"))}
        self.animate(self.image, *self.bars, self.title, self.note, *self.labels.values())

    def _draw(self) -> None:
        k = int(np.clip(self.values["mistake"], 1, len(self.wrong))) - 1
        row = self.wrong[k]
        true, predicted = int(self.result.true[row]), int(self.result.predicted[row])
        probabilities = self.result.probabilities[row]
        self.image.set_data(self.images[row].reshape(8, 8))
        for c, bar in enumerate(self.bars):
            bar.set_height(probabilities[c])
            look = "validation" if c == predicted else "train" if c == true else "data"
            bar.set_color(style(look)["color"])
        for name, c in (("predicted", predicted), ("true", true)):
            self.labels[name].set_position((c, probabilities[c] + 0.02))
        self.title.set_text(f"true {true}, predicted {predicted}")
        self.note.set_text(f"mistake {k + 1} of {len(self.wrong)}:  q_{predicted} = {probabilities[predicted]:.2f},"
                           f"  q_{true} = {probabilities[true]:.2f}")

    def controls(self) -> dict:
        """A slider over the mistakes."""
        return {"mistake": w.IntSlider(min=1, max=len(self.wrong), description="mistake",
                                     layout=w.Layout(width="420px"))}
