"""One figure style for the whole book.

Colours come from the Okabe-Ito palette, which colour-blind readers can tell
apart, and every named curve also gets its own line style as a second cue.
The same optimizer, activation or loss has the same colour in every chapter.
Figures have an opaque white background so they read in dark themes too.
Importing this module sets these matplotlib defaults (``RC``). This package
(with ``dlnotes.book.widgets``) is the only place that imports matplotlib;
``import dlnotes`` does not.

What several chapters' figures share lives here: the style, a new figure,
PNG rendering, and the axis helpers :func:`epoch_ticks` and
:func:`readable_log_axis`.
"""

from __future__ import annotations

import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ticker import LogLocator, MaxNLocator, NullFormatter, ScalarFormatter
from PIL import Image

from ..experiments.ch04_optimizers import OPTIMIZERS

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
_C = OKABE_ITO

#: Colour and line style of every named curve in the book, by lower-case name.
STYLES: dict[str, dict[str, str]] = {
    # optimizers (chapters 3-4, 9), from their records
    **{name.lower(): {"color": _C[r.color], "linestyle": r.linestyle} for name, r in OPTIMIZERS.items()},
    # activations (chapters 1, 6, 7)
    "sigmoid": {"color": _C["blue"], "linestyle": "-"},
    "tanh": {"color": _C["orange"], "linestyle": "--"},
    "relu": {"color": _C["green"], "linestyle": "-."},
    "leaky_relu": {"color": _C["vermillion"], "linestyle": ":"},
    "elu": {"color": _C["purple"], "linestyle": "-"},
    "softplus": {"color": _C["sky_blue"], "linestyle": "--"},
    "gelu": {"color": _C["black"], "linestyle": "-."},
    "silu": {"color": _C["grey"], "linestyle": ":"},
    # losses (chapter 2)
    "mse": {"color": _C["blue"], "linestyle": "-"},
    "l1": {"color": _C["orange"], "linestyle": "--"},
    "smooth_l1": {"color": _C["green"], "linestyle": "-."},
    "huber": {"color": _C["purple"], "linestyle": ":"},
    "zero_one": {"color": _C["black"], "linestyle": "-"},
    "absolute": {"color": _C["grey"], "linestyle": "--"},
    "hinge": {"color": _C["vermillion"], "linestyle": "-"},
    "logistic": {"color": _C["blue"], "linestyle": "--"},
    "exponential": {"color": _C["purple"], "linestyle": "-."},
    "cross_entropy": {"color": _C["green"], "linestyle": ":"},
    # curves
    "train": {"color": _C["blue"], "linestyle": "-"},
    "validation": {"color": _C["vermillion"], "linestyle": "--"},
    # neutral roles, in black and grey so they never read as a named curve
    "data": {"color": _C["grey"], "linestyle": "-"},
    "reference": {"color": _C["black"], "linestyle": ":"},
    "neutral": {"color": _C["black"], "linestyle": "-"},
    "neutral_alt": {"color": _C["grey"], "linestyle": "--"},
}

_FALLBACK = [
    {"color": c, "linestyle": ls}
    for c, ls in zip(
        [_C["blue"], _C["orange"], _C["green"], _C["vermillion"], _C["purple"], _C["sky_blue"], _C["black"], _C["grey"]],
        ["-", "--", "-.", ":", "-", "--", "-.", ":"],
    )
]

RC = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=[s["color"] for s in _FALLBACK]),
    "font.size": 10,
    "legend.frameon": False,
    "figure.dpi": 90,
    "savefig.dpi": 90,
}


plt.rcParams.update(RC)  # importing dlnotes.book.plot sets the book's style


def _key(name: str) -> str:
    """A curve's name as style lookups compare it: lower case, with ``_`` for a space, ``-`` or ``+``."""
    return name.lower().replace(" ", "_").replace("-", "_").replace("+", "_")


_BY_KEY = {_key(name): look for name, look in STYLES.items()}


def style(name: str, index: int = 0) -> dict[str, str]:
    """Keyword arguments ``color=..., linestyle=...`` for the curve called ``name``.

    Known names (see ``STYLES``) always get the same look, however they are
    spelled: case and the separators space, ``-``, ``_`` and ``+`` do not
    matter ("RMSProp+Momentum" is "rmsprop-momentum"). Any other name gets the
    ``index``-th entry of the fallback cycle.
    """
    return dict(_BY_KEY.get(_key(name), _FALLBACK[index % len(_FALLBACK)]))


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize=(6.4, 4.0), **subplot_kw):
    """A new figure in the book's style, and its axes, not tracked by pyplot.

    Returning the figure from a notebook cell shows it once; the figure is
    not shown again at the end of the cell, and is freed with the object.
    """
    fig = plt.figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    plt.close(fig)
    return fig, axes


def agg_canvas(fig) -> FigureCanvasAgg:
    """The Agg canvas of ``fig`` (the figure's own when it has one), for rendering to pixels."""
    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


#: Pillow's fast-octree quantizer, ``Image.Quantize.FASTOCTREE`` from Pillow 9.1 on; the int is what
#: Pillow 9.0 (the lowest version the package declares) takes too.
FAST_OCTREE = 2


def encode_png(canvas: FigureCanvasAgg, *, compact: bool = False) -> bytes:
    """The pixels last drawn on ``canvas`` as PNG bytes.

    Light compression (level 1): a slider move pays for the encoding every
    time, and level 1 is several times faster than the default for a file
    about 10% larger. An opaque figure is stored as RGB, without the alpha
    channel (a transparent one keeps it). ``compact`` trades time for size, for frames stored in
    a web page: 256 colours (line art loses nothing visible) and full
    compression, about a quarter of the bytes.
    """
    buffer = io.BytesIO()
    pixels = np.asarray(canvas.buffer_rgba())
    image = Image.fromarray(pixels)
    if compact:
        image.convert("RGB").quantize(256, method=FAST_OCTREE).save(buffer, format="png", optimize=True)
    else:
        if pixels[..., 3].min() == 255:  # opaque, as the book's figures are: the alpha channel carries nothing
            image = image.convert("RGB")  # a quarter fewer bytes to compress, 15-20% faster
        image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def to_png(fig) -> bytes:
    """Draw ``fig`` with Agg at its own dpi and return PNG bytes, for widgets and tests."""
    canvas = agg_canvas(fig)
    canvas.draw()
    return encode_png(canvas)


def epoch_ticks(axis) -> None:
    """Whole-number ticks for epochs or steps, at multiples of 1, 2, 5 or 10 (Chapters 3-4)."""
    axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def readable_log_axis(axis) -> None:
    """Label a log axis with plain numbers at :math:`k \\cdot 10^j`, denser on short ranges (Chapter 3).

    Call it after plotting. A range of less than about one decade gets labels at
    :math:`k = 1, 1.5, 2, 3, 5, 7`, up to three decades at :math:`k = 1, 2, 5`, longer ranges at powers of ten;
    short log ranges otherwise carry one labelled tick or none. Minor ticks stay unlabelled.
    """
    low, high = axis.get_view_interval()
    decades = np.log10(high / low) if low > 0 and high > low else 10.0
    subs = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0) if decades < 1.2 else (1.0, 2.0, 5.0) if decades < 3 else (1.0,)
    axis.set_major_locator(LogLocator(base=10, subs=subs))
    formatter = ScalarFormatter()
    formatter.set_scientific(False)
    axis.set_major_formatter(formatter)
    axis.set_minor_formatter(NullFormatter())


def show_figures_as_png() -> None:
    """In IPython, display every returned matplotlib figure as a PNG, whatever the backend.

    The inline backend does this itself; under ``MPLBACKEND=Agg`` (or any
    other non-interactive backend) a figure returned by a cell would show as
    the text ``<Figure size ...>``. Called once when this module is imported.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    shell.display_formatter.formatters["image/png"].for_type(matplotlib.figure.Figure, to_png)


show_figures_as_png()
