"""Interactive figures of the book (one submodule per chapter topic).

Every interactive figure is an :class:`InteractiveFigure`: it draws a sensible
default when created, ``update(**values)`` changes the data of its existing
artists (no new figure), and ``widget()`` binds ipywidgets controls to
``update`` and shows the figure as a PNG image that is re-rendered on every
move. The same object runs headless (Agg) in tests and benchmarks, and its
default drawing is what a static page shows.

This module and ``dlnotes.book.plot`` are the only places that import matplotlib
or ipywidgets.
"""

from __future__ import annotations

import base64

import ipywidgets as w

from ..plot import agg_canvas, encode_png


def freeze_layout(fig) -> None:
    """Lay ``fig`` out once (constrained layout), then keep that layout for every later redraw (every chapter).

    Constrained layout runs on every draw and costs about half of each PNG
    render; a widget's axes and labels do not move, so one layout serves all
    slider moves (every chapter).
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


class InteractiveFigure:
    """Base class of every chapter's interactive figures: named values, ``update`` and a widget view.

    Subclasses call ``super().__init__(**defaults)``, build their figure and
    artists (``self.fig``), then call ``self.update()``. They implement
    ``_draw()`` (set the data of existing artists from ``self.values``) and
    ``controls()`` (a dict of ipywidgets controls named like the values).

    Rendering is fast where a subclass says what moves: artists passed to
    :meth:`animate` are left out of a cached background (axes, ticks,
    contours), so a slider move costs one restore of that background, the
    moving artists and a PNG encode. A subclass calls :meth:`invalidate`
    when something static changes (limits, contours, a legend).
    """

    def __init__(self, **defaults):
        self.defaults = dict(defaults)
        self.values = dict(defaults)
        self._animated = []
        self._background = None

    def update(self, **values) -> "InteractiveFigure":
        """Set some of the named values and redraw what they change."""
        unknown = sorted(set(values) - set(self.defaults))
        if unknown:
            raise ValueError(f"update got unknown values {unknown}; known are {sorted(self.defaults)}")
        self.values.update(values)
        self._draw()
        return self

    def reset(self) -> "InteractiveFigure":
        """Go back to the default values."""
        return self.update(**self.defaults)

    def _draw(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not define _draw")

    def controls(self) -> dict:
        """ipywidgets controls by value name; subclasses define them."""
        raise NotImplementedError(f"{type(self).__name__} does not define controls")

    def animate(self, *artists) -> None:
        """Mark ``artists`` as redrawn on every frame (they are left out of the cached background)."""
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)

    def invalidate(self) -> None:
        """Forget the cached background; the next :meth:`png` draws the whole figure."""
        self._background = None

    def png(self) -> bytes:
        """The current figure as PNG bytes: the cached background plus the moving artists."""
        canvas = agg_canvas(self.fig)
        if self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox) if self._animated else None
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return encode_png(canvas)

    def _repr_png_(self) -> bytes:
        return self.png()

    def widget(self):
        """The figure as an image with its controls and a Reset button.

        Each control calls ``update`` with its new value and the image is
        re-rendered; the figure itself is never rebuilt. After every update
        the controls show ``self.values``, so an ``update`` that changes other
        values too (choosing another class moves its logit) moves their
        controls with it.
        """
        image = w.Image(value=self.png(), format="png")
        controls = self.controls()
        unknown = sorted(set(controls) - set(self.defaults))
        if unknown:
            raise ValueError(f"controls {unknown} do not name a value of {type(self).__name__}")
        quiet = {"on": False}

        def show_values():
            """Set every control to its value without calling ``update`` again."""
            quiet["on"] = True
            try:
                for name, control in controls.items():
                    if control.value != self.values[name]:
                        control.value = self.values[name]
            finally:
                quiet["on"] = False

        def bind(name):
            def on_change(change):
                if not quiet["on"]:
                    self.update(**{name: change["new"]})
                    show_values()
                    image.value = self.png()

            return on_change

        show_values()
        for name, control in controls.items():
            control.observe(bind(name), names="value")

        def on_reset(_):
            self.reset()
            show_values()
            image.value = self.png()

        reset = w.Button(description="Reset", tooltip="Back to the default values")
        reset.on_click(on_reset)
        box = w.HBox([*controls.values(), reset], layout=w.Layout(flex_flow="row wrap"))
        return FigureView([box, image], png=image)


class FigureView(w.VBox):
    """A VBox (controls, image) that also offers its current image as ``image/png`` (every chapter).

    JupyterLab shows the live widget; a static page without widget state
    falls back to the PNG, so the default figure is always visible.
    """

    def __init__(self, children, png: w.Image):
        super().__init__(children)
        self._png = png

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["image/png"] = base64.b64encode(self._png.value).decode("ascii")
        return bundle
