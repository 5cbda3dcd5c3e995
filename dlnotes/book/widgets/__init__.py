"""Interactive figures of the book (one submodule per chapter).

Every interactive figure is an :class:`InteractiveFigure`: it draws a sensible
default when created, ``update(**values)`` changes the data of its existing
artists (no new figure), and ``widget()`` binds ipywidgets controls to
``update`` and shows the figure as a PNG image that is re-rendered on every
move. The same object runs headless (Agg) in tests and benchmarks, and its
default drawing is what a static page shows.

This package and ``dlnotes.book.plot`` are the only places that import
matplotlib or ipywidgets.
"""

from __future__ import annotations

import base64
import contextlib
import math

import ipywidgets as w
from matplotlib.patches import Rectangle
from matplotlib.transforms import BboxBase, IdentityTransform

from ..plot import agg_canvas, encode_png
from ._frames import frames_html, site_frames_enabled


def freeze_layout(fig, draw=None, **settings) -> None:
    """Lay ``fig`` out once (constrained layout), then keep that layout for every later redraw.

    Constrained layout runs on every draw and costs about half of each PNG
    render; between two changes of what is static (limits, labels, a legend),
    a widget's axes do not move, so one layout serves all slider moves.
    ``draw`` is the draw that computes the layout (by default one that
    renders nothing; :meth:`InteractiveFigure.png` passes the canvas's own).
    ``settings`` go to the constrained layout engine (e.g. ``rect``, the part
    of the figure the axes may use: :attr:`InteractiveFigure.layout`).
    """
    fig.set_layout_engine("constrained", **settings)
    (draw or fig.draw_without_rendering)()
    fig.set_layout_engine("none")


#: How many layouts (one per set of values) an interactive figure keeps.
_LAYOUTS_KEPT = 32


class InteractiveFigure:
    """Base class of every chapter's interactive figures: named values, ``update`` and a widget view.

    The contract for a subclass (one per interactive figure of a chapter):

    1. ``__init__(self, <its own arguments>)`` stores what building and drawing
       need (precomputed data, ``rng``, sizes), then calls
       ``super().__init__(**defaults)`` last, with one keyword per value a
       control can change. The base ``__init__`` then always runs, in this
       order: :meth:`_build`, :meth:`update` (which calls :meth:`_draw`) and
       :func:`freeze_layout`.
    2. ``_build(self)`` creates ``self.fig`` (with ``dlnotes.book.plot.new_figure``)
       and every artist, once, and passes the artists that change on a move to
       :meth:`animate`.
    3. ``_draw(self)`` sets the data of those artists from ``self.values``,
       and calls :meth:`invalidate` when it changes something static (axis
       limits, labels, contours, a legend): with no arguments for the whole
       figure, or with the changed artists and the region that holds them,
       where the layout leaves them a fixed region.
    4. ``controls(self)`` returns a dict of new ipywidgets controls, named like
       the values; their ``value`` need not be set, the widget sets it.
    5. Optional: ``_adjust_controls(self, controls)``, run before the widget
       writes the current values into the controls (after every move and at
       the start), for what follows the values besides the values themselves:
       slider ranges that depend on another value, knobs disabled when they do
       not apply. It runs with the controls' callbacks muted.
    6. Optional: a figure whose values depend on each other (choosing a
       surface brings its learning rate) overrides ``update``, completes
       ``values`` and returns ``super().update(**values)``.
    7. ``frame_controls``, a class attribute: the names of the one or two
       controls whose values make the figure's point, for the web site. When
       the site is built, ``widget()``'s view also renders ``update`` over
       the grid of these controls' values as images (a slider's positions,
       thinned evenly to fit the size budget, a log slider's evenly in the
       exponent, a selection's options with their labels, a checkbox's off
       and on), and the page scrubs through them with no kernel; every other
       control keeps its current value there and is named as live only in
       JupyterLab. Each frame is the current values with only the grid's
       controls changed, so an ``update`` that completes dependent values
       sees both grid values at once. ``None`` (the default) takes the first
       control a grid can hold. A control holding a set or a range
       (``SelectMultiple``, range sliders) is never in a grid: naming it
       raises ``TypeError``. The frames are the product of the controls'
       values, so two controls get fewer values each: a figure stores at most
       :data:`~dlnotes.book.widgets._frames.FIGURE_BUDGET` bytes of frames
       and a page at most :data:`~dlnotes.book.widgets._frames.PAGE_BUDGET`
       (see :mod:`dlnotes.book.widgets._frames`).

    All state lives in ``self.values``: ``reset()`` restores ``defaults`` and
    nothing else. ``widget()`` owns the controls: one move runs ``update``
    once, writes the new values back into every control and renders one PNG.

    Rendering is fast where a subclass says what moves: artists passed to
    :meth:`animate` are left out of a cached background (axes, ticks,
    contours), so a slider move costs one restore of that background, the
    moving artists and a PNG encode. The first full draw after :meth:`invalidate`
    also lays the figure out again, for its new static content (once per set
    of values: see :meth:`invalidate`).
    """

    #: The controls whose grid of values the web site precomputes as frames (None: the first one a grid holds).
    frame_controls: tuple[str, ...] | None = None

    def __init__(self, **defaults):
        self.defaults = dict(defaults)
        self.values = dict(defaults)
        self._animated = []
        self._background = None
        self._stale_regions = []  # (region, artists) to redraw into the background (see invalidate)
        self._layouts = {}  # repr of the values -> the axes' positions laid out for them (see invalidate)
        #: Settings of the constrained layout (``freeze_layout``); ``_build`` may set some, e.g. a ``rect``
        #: that leaves room for a legend drawn outside the axes.
        self.layout = {}
        self._build()
        self.update()
        freeze_layout(self.fig, **self.layout)
        self._layout_stale = False

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

    def _build(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not define _build")

    def _draw(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not define _draw")

    def controls(self) -> dict:
        """ipywidgets controls by value name; subclasses define them."""
        raise NotImplementedError(f"{type(self).__name__} does not define controls")

    def _adjust_controls(self, controls: dict) -> None:
        """Adjust the controls to the current values beyond their ``value`` (ranges, disabled knobs); none by default."""

    def animate(self, *artists) -> None:
        """Mark ``artists`` as redrawn on every frame (they are left out of the cached background)."""
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)

    def invalidate(self, *artists, region=None) -> None:
        """Forget the cached background, all of it or only the part ``region`` holds.

        Without arguments, the next :meth:`png` lays out and draws the whole
        figure. The layout is computed once per set of values: when the
        figure comes back to values it was laid out for (a surface chosen
        again), the axes return to that layout without running constrained
        layout (about 60 ms), since the same values draw the same static content.

        With ``region`` (a ``matplotlib.transforms.Bbox`` in figure
        coordinates, or a function of no arguments returning one, called at
        the next :meth:`png`), only the static ``artists`` drawn inside it
        changed, and the layout stands: the next :meth:`png` paints the
        region in the figure's face colour, draws there those of ``artists``
        still in the figure (a removed legend is gone, its replacement is
        drawn), keeps the rest of the background and never lays the figure
        out. The region must hold all that ``artists`` draw, before and after
        the change, and no other static artist: a figure whose layout leaves
        each of its parts a fixed region (a column of the figure) can use it.
        """
        if region is None:
            if artists:
                raise TypeError(f"invalidate got artists {artists!r} without a region; give the region they are drawn in")
            self._background = None
            self._layout_stale = True
        elif not (callable(region) or isinstance(region, BboxBase)):
            raise TypeError(f"region must be a Bbox in figure coordinates or a function returning one, "
                            f"got {type(region).__name__} {region!r}")
        elif self._background is not None:
            self._stale_regions.append((region, artists))

    def _redraw_regions(self, canvas) -> None:
        """Paint each stale region (:meth:`invalidate`) with the face colour and draw its artists there."""
        renderer = canvas.get_renderer()
        for region, artists in self._stale_regions:
            box = (region() if callable(region) else region).transformed(self.fig.transFigure)
            x0, y0 = math.floor(box.x0), math.floor(box.y0)  # whole pixels, so no edge is left half painted
            blank = Rectangle((x0, y0), math.ceil(box.x1) - x0, math.ceil(box.y1) - y0, transform=IdentityTransform(),
                              facecolor=self.fig.get_facecolor(), edgecolor="none", linewidth=0, antialiased=False)
            blank.set_figure(self.fig)
            blank.draw(renderer)
            for artist in artists:
                if artist.figure is not None:
                    artist.draw(renderer)
        self._stale_regions = []

    def _relayout(self, canvas) -> None:
        """Lay the figure out for the current values (from the cache when it has them) and draw it."""
        key = repr(sorted(self.values.items()))
        cached = self._layouts.get(key)
        if cached is not None and len(cached) == len(self.fig.axes):
            for ax, box in zip(self.fig.axes, cached):
                ax._set_position(box)  # as constrained layout sets it (the public set_position leaves the layout)
            canvas.draw()
            return
        freeze_layout(self.fig, canvas.draw, **self.layout)
        if len(self._layouts) >= _LAYOUTS_KEPT:
            self._layouts.pop(next(iter(self._layouts)))
        self._layouts[key] = [ax.get_position(original=False).frozen() for ax in self.fig.axes]

    def png(self) -> bytes:
        """The current figure as PNG bytes: the cached background plus the moving artists."""
        canvas = agg_canvas(self.fig)
        if self._background is None:
            if self._layout_stale:
                self._relayout(canvas)
                self._layout_stale = False
            else:
                canvas.draw()
            self._stale_regions = []
            self._background = canvas.copy_from_bbox(self.fig.bbox) if self._animated else None
        else:
            canvas.restore_region(self._background)
            if self._stale_regions:
                self._redraw_regions(canvas)
                self._background = canvas.copy_from_bbox(self.fig.bbox)
        for artist in self._animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return encode_png(canvas)

    def _repr_png_(self) -> bytes:
        return self.png()

    def widget(self) -> "FigureView":
        """The figure as an image with its controls and a Reset button.

        Each move calls ``update`` once with the control's new value; then
        every control shows ``self.values`` (an ``update`` may change other
        values too: choosing another class moves its logit) and the image is
        rendered once. The figure itself is never rebuilt.
        """
        controls = self.controls()
        unknown = sorted(set(controls) - set(self.defaults))
        if unknown:
            raise ValueError(f"controls {unknown} do not name a value of {type(self).__name__}")
        view = FigureView(controls, w.Image(format="png"), figure=self)
        muted = {"on": False}

        @contextlib.contextmanager
        def mute():
            muted["on"] = True
            try:
                yield
            finally:
                muted["on"] = False

        def show():
            """Write the values into the controls without calling ``update`` again, then render once."""
            with mute():
                self._adjust_controls(controls)
                for name, control in controls.items():
                    if control.value != self.values[name]:
                        control.value = self.values[name]
            view.image.value = self.png()

        def bind(name):
            def on_change(change):
                if not muted["on"]:
                    self.update(**{name: change["new"]})
                    show()

            return on_change

        show()
        for name, control in controls.items():
            control.observe(bind(name), names="value")
        view.reset.on_click(lambda _: (self.reset(), show()))
        return view


class FigureView(w.VBox):
    """The controls with a Reset button above the figure's image, which a static page also sees.

    ``controls`` (by value name), ``reset`` and ``image`` are the widgets
    shown. JupyterLab shows the live widget; a static page without widget
    state falls back to the image's ``image/png``, so the default figure is
    always visible.
    """

    def __init__(self, controls: dict, image: w.Image, figure=None):
        self.controls = dict(controls)
        self.image = image
        self.figure = figure
        self.reset = w.Button(description="Reset", tooltip="Back to the default values")
        box = w.HBox([*self.controls.values(), self.reset], layout=w.Layout(flex_flow="row wrap"))
        super().__init__([box, image])

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        if self.figure is not None and site_frames_enabled():
            bundle["text/html"] = frames_html(self.figure, self.controls)
        return bundle
