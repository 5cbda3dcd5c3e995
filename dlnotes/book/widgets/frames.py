"""Precomputed frames: an interactive figure on a web page with no kernel behind it.

When the site is built (``DLNOTES_SITE_FRAMES=1``, set by ``docs/conf.py``),
every :class:`~dlnotes.book.widgets.InteractiveFigure` shown with ``widget()``
also renders its own ``update()`` over a grid of its main controls' values.
The page gets the frames as images and one range slider per control; moving
a slider swaps the image in the browser, at once. Controls outside the grid
keep their default and are named as live only in JupyterLab.
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import os
from html import escape

import numpy as np

#: Bytes of frames one figure may store in its page (a chapter page holds at most 5 MB).
FRAME_BUDGET = 1_200_000
#: At most this many values per control in the grid.
MAX_VALUES = 15


def site_frames_enabled() -> bool:
    """True while the site is being built: widgets then add their frames to what they display."""
    return os.environ.get("DLNOTES_SITE_FRAMES") == "1"


def control_values(control, default) -> list:
    """The values a control takes, in order: a selection's options, or a slider's range.

    A slider's range is subsampled to at most :data:`MAX_VALUES` values (log
    sliders evenly in the exponent), always including ``default``.
    """
    if hasattr(control, "options"):
        options = list(control.options)
        return [value for _, value in options] if options and isinstance(options[0], tuple) else options
    if type(control).__name__ in ("Checkbox", "ToggleButton"):
        return [False, True]
    low, high, step = control.min, control.max, control.step
    if type(control).__name__ == "FloatLogSlider":
        count = min(MAX_VALUES, int(round((high - low) / step)) + 1)
        values = list(control.base ** np.linspace(low, high, count))
    else:
        count = min(MAX_VALUES, int(round((high - low) / step)) + 1)
        values = list(np.linspace(low, high, count))
        if type(control).__name__ == "IntSlider":
            values = sorted({int(round(v)) for v in values})
    if default is not None and all(not _same(v, default) for v in values):
        values = sorted([*values, default])
    return [v.item() if isinstance(v, np.generic) else v for v in values]


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    return a == b


def _thin(values: list, count: int, default) -> list:
    """``count`` of ``values``, evenly spread, keeping the first, the last and ``default``."""
    if len(values) <= count:
        return values
    picks = {int(round(i)) for i in np.linspace(0, len(values) - 1, count)}
    picks |= {i for i, v in enumerate(values) if _same(v, default)}
    return [values[i] for i in sorted(picks)]


def _label(control, value) -> str:
    if hasattr(control, "options"):
        for option in control.options:
            if isinstance(option, tuple) and _same(option[1], value):
                return str(option[0])
        return str(value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def render_frames(figure, controls: dict, names=None, budget: int = FRAME_BUDGET) -> dict:
    """Render ``figure`` over the grid of the controls ``names`` (default: ``figure.frame_controls``).

    Returns ``{"controls": [...], "frames": {index: data URI}, "fixed": [...]}``;
    the figure is left at the values it had.
    """
    names = [n for n in (names or figure.frame_controls or list(controls)[:1]) if n in controls]
    saved = dict(figure.values)
    first = _encode(figure)
    per_frame = max(len(first), 1)
    grids = [control_values(controls[n], figure.defaults[n]) for n in names]
    count = max(2, int((budget / per_frame) ** (1 / max(len(names), 1))))
    while math.prod(len(_thin(g, count, figure.defaults[n])) for g, n in zip(grids, names)) * per_frame > budget and count > 2:
        count -= 1
    grids = [_thin(g, count, figure.defaults[n]) for g, n in zip(grids, names)]
    frames = {}
    try:
        for index in itertools.product(*(range(len(g)) for g in grids)):
            figure.update(**saved)
            figure.update(**{n: g[i] for n, g, i in zip(names, grids, index)})
            frames[",".join(map(str, index))] = _encode(figure)
    finally:
        figure.update(**saved)
    described = []
    for n, g in zip(names, grids):
        start = next((i for i, v in enumerate(g) if _same(v, saved[n])), 0)
        described.append({"name": n, "description": (controls[n].description or n).rstrip(":"),
                          "labels": [_label(controls[n], v) for v in g], "start": start})
    fixed = [(controls[n].description or n).rstrip(":") for n in controls if n not in names]
    return {"controls": described, "frames": frames, "fixed": fixed}


def _encode(figure) -> str:
    from ..plot import agg_canvas, encode_png

    figure.png()  # lay out and draw as the widget would
    canvas = agg_canvas(figure.fig)
    canvas.draw()
    return "data:image/png;base64," + base64.b64encode(encode_png(canvas, compact=True)).decode("ascii")


_SCRIPT = """<script>
(function () {
  document.querySelectorAll("div.dlnotes-frames:not([data-ready])").forEach(function (box) {
    box.setAttribute("data-ready", "1");
    var data = JSON.parse(box.querySelector("script[type='application/json']").textContent);
    var img = box.querySelector("img");
    var inputs = box.querySelectorAll("input[type=range]");
    function show() {
      var key = Array.prototype.map.call(inputs, function (i) { return i.value; }).join(",");
      img.src = data[key];
      inputs.forEach(function (input) {
        input.nextElementSibling.textContent = JSON.parse(input.getAttribute("data-labels"))[input.value];
      });
    }
    inputs.forEach(function (input) { input.addEventListener("input", show); });
  });
})();
</script>"""


def frames_html(figure, controls: dict) -> str:
    """The figure's frames as a self-contained HTML block: an image, one range slider per control, a note."""
    result = render_frames(figure, controls)
    start = ",".join(str(c["start"]) for c in result["controls"])
    rows = []
    for c in result["controls"]:
        labels = escape(json.dumps(c["labels"]), quote=True)
        rows.append(
            f'<label style="display:inline-block;margin-right:1.5em">{escape(c["description"])} '
            f'<input type="range" min="0" max="{len(c["labels"]) - 1}" step="1" value="{c["start"]}" '
            f'data-labels="{labels}" aria-label="{escape(c["description"], quote=True)}"> '
            f'<output>{escape(c["labels"][c["start"]])}</output></label>'
        )
    note = ""
    if result["fixed"]:
        note = ('<p style="font-size:90%;margin:0.2em 0">On this page, precomputed: move the slider'
                f'{"s" if len(rows) > 1 else ""} above. Fixed here, live only in JupyterLab: '
                f'{escape(", ".join(result["fixed"]))}.</p>')
    data = json.dumps(result["frames"]).replace("</", "<\\/")
    return (
        '<div class="dlnotes-frames">'
        f'<div>{"".join(rows)}</div>{note}'
        f'<img alt="" src="{result["frames"][start]}" style="max-width:100%">'
        f'<script type="application/json">{data}</script>'
        f"</div>{_SCRIPT}"
    )
