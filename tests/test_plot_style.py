"""The book's one figure style (dlnotes.book.plot)."""

import matplotlib.colors as mcolors
import pytest

from dlnotes.book import plot


def test_known_names_keep_their_style_whatever_the_spelling():
    assert plot.style("Adam") == plot.style("adam") == plot.STYLES["adam"]
    assert plot.style("RMSProp+momentum") == plot.style("rmsprop-momentum") == plot.STYLES["rmsprop+momentum"]
    assert plot.style("leaky ReLU") == plot.STYLES["leaky_relu"]


def test_unknown_names_cycle_through_the_palette():
    first, second = plot.style("curve a", 0), plot.style("curve b", 1)
    assert first != second
    assert plot.style("curve a", 0) == plot.style("something else", 0)


@pytest.mark.parametrize("group", [
    ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop+momentum", "adadelta", "adam"],
    ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "gelu", "silu"],
    ["mse", "l1", "smooth_l1", "huber"],
    ["zero_one", "absolute", "hinge", "logistic", "exponential", "cross_entropy"],
])
def test_curves_drawn_together_differ_in_colour_or_line_style(group):
    looks = {(plot.STYLES[n]["color"], plot.STYLES[n]["linestyle"]) for n in group}
    assert len(looks) == len(group)


def test_every_colour_is_from_the_okabe_ito_palette():
    palette = set(plot.OKABE_ITO.values())
    assert {s["color"] for s in plot.STYLES.values()} <= palette


def test_new_figure_is_opaque_and_untracked_by_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig, (left, right) = plot.new_figure(1, 2)
    assert mcolors.to_rgba(fig.get_facecolor())[3] == 1.0
    assert mcolors.to_rgba(left.get_facecolor())[3] == 1.0
    assert plt.get_fignums() == before  # pyplot does not keep it, so a cell shows it once
    png = plot.to_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_png_of_an_opaque_figure_is_rgb_with_the_canvas_pixels_and_a_transparent_one_keeps_alpha():
    import io

    import numpy as np
    from PIL import Image

    fig, ax = plot.new_figure()
    ax.plot([0, 1], [0, 1])
    canvas = plot.agg_canvas(fig)
    canvas.draw()
    drawn = np.asarray(canvas.buffer_rgba())
    image = Image.open(io.BytesIO(plot.encode_png(canvas)))
    assert image.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(image), drawn[..., :3])

    fig.patch.set_alpha(0.0)
    ax.patch.set_alpha(0.0)
    canvas.draw()
    drawn = np.asarray(canvas.buffer_rgba())
    assert drawn[..., 3].min() < 255
    image = Image.open(io.BytesIO(plot.encode_png(canvas)))
    assert image.mode == "RGBA"
    np.testing.assert_array_equal(np.asarray(image), drawn)
