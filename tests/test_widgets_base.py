"""The InteractiveFigure base: update, reset, and the widget view bound to it."""

import base64

import ipywidgets as w
import numpy as np
import pytest

from dlnotes.plot import new_figure
from dlnotes.widgets import FigureView, InteractiveFigure


class Line(InteractiveFigure):
    """y = a x on a fixed figure."""

    def __init__(self, a=1.0):
        super().__init__(a=a)
        self.fig, self.ax = new_figure()
        self.x = np.linspace(-1.0, 1.0, 5)
        (self.line,) = self.ax.plot(self.x, self.x)
        self.update()

    def _draw(self):
        self.line.set_ydata(self.values["a"] * self.x)

    def controls(self):
        return {"a": w.FloatSlider(min=-2.0, max=2.0)}


def test_update_sets_the_data_of_the_same_artist():
    fig = Line()
    line = fig.line
    fig.update(a=2.0)
    assert fig.line is line and len(fig.ax.lines) == 1
    np.testing.assert_array_equal(fig.line.get_ydata(), 2.0 * fig.x)


def test_reset_restores_the_defaults():
    fig = Line(a=0.5)
    fig.update(a=-1.0)
    fig.reset()
    assert fig.values == {"a": 0.5}
    np.testing.assert_array_equal(fig.line.get_ydata(), 0.5 * fig.x)


def test_update_rejects_unknown_names():
    with pytest.raises(ValueError, match="b"):
        Line().update(b=1.0)


def test_widget_moves_redraw_the_image_and_reset_returns():
    fig = Line()
    view = fig.widget()
    assert isinstance(view, FigureView)
    (controls, image) = view.children
    slider, reset = controls.children
    before = image.value
    slider.value = 1.5
    moved = image.value
    assert fig.values["a"] == 1.5 and moved != before
    reset.click()
    assert slider.value == 1.0 and fig.values["a"] == 1.0 and image.value != moved
    np.testing.assert_array_equal(fig.line.get_ydata(), fig.x)


def test_widget_view_offers_a_png_for_static_pages():
    view = Line().widget()
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"


def test_subclass_without_draw_says_so():
    class Empty(InteractiveFigure):
        pass

    with pytest.raises(NotImplementedError, match="_draw"):
        Empty(a=1).update()
