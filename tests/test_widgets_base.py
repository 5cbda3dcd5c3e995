"""The InteractiveFigure base: update, reset, and the widget view bound to it."""

import base64

import ipywidgets as w
import numpy as np
import pytest

from dlnotes.book.plot import new_figure
from dlnotes.book.widgets import FigureView, InteractiveFigure


class Line(InteractiveFigure):
    """y = a x on a fixed figure; it logs the order in which the base calls it."""

    def __init__(self, a=1.0):
        self.x = np.linspace(-1.0, 1.0, 5)
        self.calls = []
        super().__init__(a=a)

    def _build(self):
        self.calls.append("build")
        self.fig, self.ax = new_figure()
        (self.line,) = self.ax.plot(self.x, self.x)
        self.animate(self.line)

    def _draw(self):
        self.calls.append("draw")
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
        def _build(self):
            self.fig, _ = new_figure()

    with pytest.raises(NotImplementedError, match="_draw"):
        Empty(a=1).update()


def test_subclass_without_build_says_so():
    class Bare(InteractiveFigure):
        def _draw(self):
            pass

    with pytest.raises(NotImplementedError, match="_build"):
        Bare(a=1)


def test_init_builds_draws_and_freezes_the_layout_in_that_order():
    fig = Line()
    assert fig.calls == ["build", "draw"] and fig.values == {"a": 1.0}
    positions = fig.ax.get_position().bounds
    fig.ax.set_ylabel("a much longer label than before, which a new layout would make room for")
    fig.update(a=0.5)
    fig.fig.canvas.draw()  # a plain draw keeps the frozen layout
    assert fig.ax.get_position().bounds == positions
    fig.invalidate()
    fig.png()  # a full draw of the widget lays the figure out again
    assert fig.ax.get_position().bounds != positions


class Labelled(InteractiveFigure):
    """The y label follows the value, so every new value needs a new layout (and invalidates)."""

    def __init__(self):
        super().__init__(label="short")

    def _build(self):
        self.fig, self.ax = new_figure()
        self.ax.plot([0, 1], [0, 1])

    def _draw(self):
        self.ax.set_ylabel(self.values["label"])
        self.invalidate()


def test_a_layout_is_computed_once_per_set_of_values_and_restored_exactly(monkeypatch):
    import dlnotes.book.widgets as widgets

    fig = Labelled()
    layouts = []
    real = widgets.freeze_layout
    monkeypatch.setattr(widgets, "freeze_layout", lambda *args: (layouts.append(1), real(*args)))
    long = "a label long enough\nto need two lines of room"
    first = {label: fig.update(label=label).png() for label in ("short", long)}
    assert len(layouts) == 2
    boxes = {}
    for label in ("short", long, "short", long):
        assert fig.update(label=label).png() == first[label]  # the same pixels as when it was laid out
        boxes.setdefault(label, fig.ax.get_position().bounds)
    assert len(layouts) == 2  # the returns reuse the two layouts
    assert boxes["short"] != boxes[long]  # and the long label did get its own room


def test_one_move_runs_one_update_and_renders_once():
    fig = Line()
    view = fig.widget()
    renders = []
    view.image.observe(renders.append, names="value")
    view.controls["a"].value = -1.5
    assert fig.calls[2:] == ["draw"] and len(renders) == 1
    view.reset.click()
    assert fig.calls[2:] == ["draw", "draw"] and len(renders) == 2


class Linked(InteractiveFigure):
    """Choosing a curve shows its own slope: one update changes two values; the slider's range follows the curve."""

    def __init__(self):
        super().__init__(curve="a", slope=1.0, slopes=(("a", 1.0), ("b", -2.0)))

    def _build(self):
        self.fig, self.ax = new_figure()
        (self.line,) = self.ax.plot([0, 1], [0, 1])

    def update(self, **values):
        slopes = dict(values.get("slopes", self.values["slopes"]))
        curve = values.get("curve", self.values["curve"])
        if "curve" in values and "slope" not in values:
            values["slope"] = slopes[curve]
        slopes[curve] = values.get("slope", self.values["slope"])
        return super().update(**{**values, "slopes": tuple(slopes.items())})

    def _adjust_controls(self, controls):
        controls["slope"].min = -3.0 if self.values["curve"] == "b" else 0.0

    def _draw(self):
        self.line.set_ydata([0, self.values["slope"]])

    def controls(self):
        return {"curve": w.Dropdown(options=["a", "b"]), "slope": w.FloatSlider(min=-3, max=3)}


def test_controls_follow_values_that_another_control_changed():
    fig = Linked()
    (controls, _) = fig.widget().children
    curve, slope, reset = controls.children
    curve.value = "b"
    assert slope.value == -2.0 and (fig.values["curve"], fig.values["slope"]) == ("b", -2.0)
    assert slope.min == -3.0
    slope.value = 0.5
    curve.value = "a"
    assert slope.value == 1.0
    assert slope.min == 0.0
    reset.click()
    assert (curve.value, slope.value) == ("a", 1.0)
