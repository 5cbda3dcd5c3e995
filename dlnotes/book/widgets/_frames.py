"""Precomputed frames: an interactive figure on a web page with no kernel behind it.

When the site is built (``DLNOTES_SITE_FRAMES=1``, set by ``docs/conf.py``),
every :class:`~dlnotes.book.widgets.InteractiveFigure` shown with ``widget()``
also renders its own ``update()`` over a grid of the values of its
``frame_controls`` (by default its first control that a grid can hold). The
page gets the frames as PNG images and one control per grid axis: a range
slider for a slider, a drop-down list for a selection. Moving one swaps the
image in the browser, at once. Every other control keeps its current value,
and the page names it as live only in JupyterLab.

What a grid axis can be (:func:`grid_axis`):

- a slider (``IntSlider``, ``FloatSlider``, and their bounded text boxes):
  its positions ``min + k * step``;
- a log slider (``FloatLogSlider``): ``base ** (min + k * step)``, evenly
  spaced in the exponent;
- a single selection (``Dropdown``, ``RadioButtons``, ``Select``,
  ``ToggleButtons``, ``SelectionSlider``): its options, shown with their
  labels;
- a ``Checkbox`` or ``ToggleButton``: off and on.

A control whose value is a set or a range (``SelectMultiple``,
``SelectionRangeSlider``, the range sliders) has too many combinations for a
grid, and so does free text: naming one in ``frame_controls`` raises
``TypeError``.

Size: a figure gets at most :data:`FIGURE_BUDGET` bytes of frames, and all
figures of one page (one kernel) together at most :data:`PAGE_BUDGET`. A
slider with more positions than fit is thinned evenly (its ends and its
current value always kept), and a selection loses options only once every
slider of the grid is down to two values; if even two values per axis do
not fit, the axes left over are shown fixed and a warning fails the site
build.
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import os
import warnings
from html import escape
from typing import NamedTuple

import ipywidgets as w
import numpy as np

#: Bytes of frames (as data URIs in the page) that one figure may store.
FIGURE_BUDGET = 2_000_000
#: Bytes of frames that all the figures of one page (one kernel) may store together.
PAGE_BUDGET = 5_000_000
#: At most this many values per grid axis.
MAX_VALUES = 25

#: Selections whose single value is one of their options.
SINGLE_SELECTIONS = (w.Dropdown, w.RadioButtons, w.Select, w.ToggleButtons, w.SelectionSlider)
#: Controls with a numeric range ``min, max, step``.
RANGES = (w.IntSlider, w.FloatSlider, w.BoundedIntText, w.BoundedFloatText)
#: Controls that no grid holds: their value is a set or an interval.
NOT_IN_A_GRID = (w.SelectMultiple, w.SelectionRangeSlider, w.IntRangeSlider, w.FloatRangeSlider)


def site_frames_enabled() -> bool:
    """True while the site is being built: widgets then add their frames to what they display."""
    return os.environ.get("DLNOTES_SITE_FRAMES") == "1"


class Axis(NamedTuple):
    """One control's values in a grid of frames, in the order the page offers them."""

    name: str
    description: str
    kind: str  # "range" (a slider on the page) or "select" (a drop-down list)
    values: tuple
    labels: tuple


def _description(name: str, control) -> str:
    return (getattr(control, "description", "") or name).rstrip(":")


def _same(a, b) -> bool:
    if isinstance(a, (float, np.floating)) or isinstance(b, (float, np.floating)):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    return bool(a == b)


def _evenly(n: int, count: int, keep: int | None) -> list[int]:
    """``min(n, count)`` indices of ``range(n)``, evenly spread from the first to the last, one of them ``keep``."""
    if n <= count:
        return list(range(n))
    picks = sorted({int(round(i)) for i in np.linspace(0, n - 1, max(count, 1))})
    if keep is not None and keep not in picks:
        nearest = min(picks[1:-1] or picks, key=lambda i: abs(i - keep))
        picks[picks.index(nearest)] = keep
    return sorted(picks)


def _format(control, value) -> str:
    spec = getattr(control, "readout_format", None)
    if isinstance(value, bool):
        return "on" if value else "off"
    try:
        return format(value, spec) if spec else (f"{value:.3g}" if isinstance(value, float) else str(value))
    except (TypeError, ValueError):
        return f"{value:.3g}" if isinstance(value, float) else str(value)


def grid_axis(name: str, control, current, count: int | None = None) -> Axis:
    """The values ``control`` offers in a grid, thinned to at most ``count`` (always with ``current``).

    A slider's positions are ``min + k * step`` (a log slider's ``base`` to
    that power); a selection's are its options, with their labels. The
    current value is kept exactly, even between two positions. Raises
    ``TypeError`` for a control no grid can hold (see the module's docstring).
    """
    count = MAX_VALUES if count is None else count
    if isinstance(control, NOT_IN_A_GRID):
        raise TypeError(f"control {name!r} ({type(control).__name__}) takes sets or ranges of values, too many "
                        "combinations for precomputed frames; leave it out of frame_controls")
    if isinstance(control, SINGLE_SELECTIONS):
        values, labels = list(control._options_values), list(control._options_labels)
        keep = next((i for i, v in enumerate(values) if _same(v, current)), None)
        if keep is None:
            raise ValueError(f"control {name!r}: the current value {current!r} is not one of its options {values}")
        picks = _evenly(len(values), count, keep)
        return Axis(name, _description(name, control), "select",
                    tuple(values[i] for i in picks), tuple(labels[i] for i in picks))
    if isinstance(control, (w.Checkbox, w.ToggleButton)):
        return Axis(name, _description(name, control), "select", (False, True), ("off", "on"))
    if isinstance(control, (w.FloatLogSlider, *RANGES)):
        low, high = float(control.min), float(control.max)
        step = float(control.step) if control.step else (high - low) / max(count - 1, 1)
        n = int(round((high - low) / step)) + 1 if high > low and step > 0 else 1
        log = isinstance(control, w.FloatLogSlider)
        whole = isinstance(control, (w.IntSlider, w.BoundedIntText))
        if log and not current > 0:
            raise ValueError(f"control {name!r}: a log slider's value must be positive, got {current!r}")

        def position(k: int):
            exponent = round(low + k * step, 12)
            return float(control.base) ** exponent if log else int(round(exponent)) if whole else exponent

        # where the current value sits among the n positions (never listed whole: a fine step has millions)
        at = ((math.log(current) / math.log(float(control.base)) if log else float(current)) - low) / step
        nearest = min(max(int(round(at)), 0), n - 1)
        if _same(position(nearest), current):
            size, keep = n, nearest

            def value(i):
                return current if i == keep else position(i)
        else:  # between two positions, or outside: one more value, in order
            size, keep = n + 1, min(max(math.floor(at) + 1, 0), n)

            def value(i):
                return current if i == keep else position(i if i < keep else i - 1)
        values = [value(i) for i in _evenly(size, count, keep)]
        return Axis(name, _description(name, control), "range", tuple(values),
                    tuple(_format(control, v) for v in values))
    raise TypeError(f"control {name!r} ({type(control).__name__}) is not a slider, a selection or a checkbox; "
                    "it cannot be in a grid of frames")


def grid_names(figure, controls: dict) -> list[str]:
    """The controls whose values become frames: ``figure.frame_controls``, or the first control a grid can hold.

    Raises ``ValueError`` for a name that is no control of the figure and
    ``TypeError`` for a control no grid can hold.
    """
    names = figure.frame_controls
    if names is None:
        for name, control in controls.items():
            try:
                grid_axis(name, control, figure.values[name], 2)
            except TypeError:
                continue
            return [name]
        return []
    if isinstance(names, str):
        raise TypeError(f"frame_controls of {type(figure).__name__} must be a tuple of control names, got {names!r}")
    names = list(names)
    unknown = [n for n in names if n not in controls]
    if unknown:
        raise ValueError(f"frame_controls of {type(figure).__name__} names {unknown}, which are not among its "
                         f"controls {list(controls)}")
    for name in names:
        grid_axis(name, controls[name], figure.values[name], 2)
    return names


def _grid_sizes(lengths: list[int], capacity: int, thin_first: list[bool]) -> list[int] | None:
    """Values per axis, each at most its length, whose product is at most ``capacity``; None when 2 each do not fit.

    The axis with the most values loses one at a time, the axes marked in
    ``thin_first`` (sliders) before the others (a selection keeps every
    option while a slider has more than two values).
    """
    sizes = [min(n, MAX_VALUES) for n in lengths]
    while sizes and math.prod(sizes) > capacity:
        wide = [k for k in range(len(sizes)) if sizes[k] > 2]
        if not wide:
            return None
        first = [k for k in wide if thin_first[k]] or wide
        widest = max(first, key=lambda k: sizes[k])
        sizes[widest] -= 1
    return sizes


class Frames(NamedTuple):
    """A figure's precomputed frames: the grid's axes, the frame of every index, where it starts, the fixed controls."""

    axes: list[Axis]
    frames: dict  # "i,j" (an index per axis) -> PNG data URI
    start: str  # the key of the frame of the figure's current values
    fixed: list[str]  # descriptions of the controls left at their current values


class PageBudget:
    """The frame bytes one page has left: a page is one kernel, so this module holds one."""

    def __init__(self, total: int = PAGE_BUDGET):
        self.left = total


PAGE = PageBudget()


def _encode(figure) -> str:
    """The figure as the widget shows it (``figure.png()``, moving artists included), as a compact PNG data URI."""
    from ..plot import agg_canvas, encode_png

    figure.png()  # draws the cached background and the moving artists onto the canvas
    png = encode_png(agg_canvas(figure.fig), compact=True)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_frames(figure, controls: dict, names=None, budget: int = FIGURE_BUDGET) -> Frames:
    """Render ``figure`` over the grid of the controls ``names`` (default :func:`grid_names`), within ``budget`` bytes.

    Each frame is the figure at its current values with only the grid's
    controls changed; the figure is left at the values it had. A grid that
    does not fit is thinned (:func:`grid_axis`); the axes that cannot get two
    values are dropped, last first, and shown fixed, with a warning.
    """
    names = grid_names(figure, controls) if names is None else list(names)
    saved = dict(figure.values)
    cache = {}

    def frame(point: tuple) -> str:
        if point not in cache:
            figure.update(**saved)
            figure.update(**dict(zip(names, point)))
            cache[point] = _encode(figure)
        return cache[point]

    try:
        per_frame = len(frame(tuple(saved[n] for n in names)))
        full = [grid_axis(n, controls[n], saved[n], MAX_VALUES) for n in names]
        lengths, sliders = [len(a.values) for a in full], [a.kind == "range" for a in full]
        capacity = int(max(budget, 0) / (per_frame * 1.1))
        while True:
            sizes = _grid_sizes(lengths, capacity, sliders)
            if sizes is None:
                warnings.warn(f"{type(figure).__name__}: {budget} bytes of frames do not hold two values of "
                              f"{names[-1]!r} beside the other controls; it is shown fixed (set fewer frame_controls)",
                              stacklevel=2)
                names, lengths, sliders = names[:-1], lengths[:-1], sliders[:-1]
                continue
            axes = [grid_axis(n, controls[n], saved[n], s) for n, s in zip(names, sizes)]
            indices = list(itertools.product(*(range(len(a.values)) for a in axes)))
            points = [tuple(a.values[i] for a, i in zip(axes, index)) for index in indices]
            total = sum(len(frame(p)) for p in points)
            if total <= budget or len(points) == 1:
                break
            # the estimate was low: thin again with the measured mean (capacity always shrinks, so this ends)
            capacity = min(capacity - 1, int(budget / (total / len(points))))
        frames = {",".join(map(str, index)): frame(point) for index, point in zip(indices, points)}
        start = ",".join(str(next(i for i, v in enumerate(a.values) if _same(v, saved[a.name]))) for a in axes)
    finally:
        figure.update(**saved)
    fixed = [_description(n, c) for n, c in controls.items() if n not in names]
    return Frames(axes, frames, start, fixed)


_SCRIPT = """<script>
(function () {
  document.querySelectorAll("div.dlnotes-frames:not([data-ready])").forEach(function (box) {
    box.setAttribute("data-ready", "1");
    var data = JSON.parse(box.querySelector("script[type='application/json']").textContent);
    var img = box.querySelector("img.dlnotes-frame");
    var inputs = box.querySelectorAll("[data-axis]");
    data.frames[box.getAttribute("data-start")] = img.getAttribute("src");
    function show() {
      img.src = data.frames[Array.prototype.map.call(inputs, function (i) { return i.value; }).join(",")];
      inputs.forEach(function (input, k) {
        var out = input.parentNode.querySelector("output");
        if (out) { out.textContent = data.labels[k][input.value]; }
      });
    }
    inputs.forEach(function (input) {
      input.addEventListener("input", show);
      input.addEventListener("change", show);
    });
  });
})();
</script>"""


def frames_html(figure, controls: dict, page: PageBudget | None = None) -> str:
    """The figure's frames as a self-contained HTML block: one slider or list per grid axis, a note, the image.

    The image starts at the frame of the figure's current values (its
    ``alt`` is left empty for the page to fill in from the caption); a small
    inline script swaps it when a control moves. The frames use at most
    ``min(FIGURE_BUDGET, page.left)`` bytes, which ``page`` (by default
    this kernel's :data:`PAGE`) is charged.
    """
    page = PAGE if page is None else page
    result = render_frames(figure, controls, budget=min(FIGURE_BUDGET, page.left))
    start = [int(i) for i in result.start.split(",")] if result.start else []
    rows = []
    for axis, at in zip(result.axes, start):
        label = escape(axis.description)
        if axis.kind == "select":
            options = "".join(f'<option value="{i}"{" selected" if i == at else ""}>{escape(text)}</option>'
                              for i, text in enumerate(axis.labels))
            field = f'<select data-axis="{escape(axis.name, quote=True)}" aria-label="{label}">{options}</select>'
        else:
            field = (f'<input type="range" data-axis="{escape(axis.name, quote=True)}" min="0" '
                     f'max="{len(axis.values) - 1}" step="1" value="{at}" aria-label="{label}"> '
                     f"<output>{escape(axis.labels[at])}</output>")
        rows.append(f'<label style="display:inline-block;margin-right:1.5em">{label} {field}</label>')
    note = ""
    if result.fixed:
        moved = "the controls above" if len(rows) > 1 else "the control above" if rows else "none"
        note = ('<p class="dlnotes-frames-note" style="font-size:90%;margin:0.2em 0">Precomputed on this page: '
                f'{moved}. Fixed here, live only in JupyterLab: {escape(", ".join(result.fixed))}.</p>')
    first = result.frames[result.start]
    others = {key: uri for key, uri in result.frames.items() if key != result.start}
    page.left -= sum(len(uri) for uri in result.frames.values())
    data = json.dumps({"labels": [list(a.labels) for a in result.axes], "frames": others}).replace("</", "<\\/")
    return (
        f'<div class="dlnotes-frames" data-start="{result.start}">'
        f'<div class="dlnotes-frames-controls">{"".join(rows)}</div>{note}'
        f'<img class="dlnotes-frame" alt="" src="{first}" style="max-width:100%">'
        f'<script type="application/json">{data}</script>'
        f"</div>{_SCRIPT}"
    )
