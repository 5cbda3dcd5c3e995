"""Precomputed frames (dlnotes.book.widgets._frames): the grid, the budget, the frames themselves and the HTML block."""

import base64
import io
import json
import math
from html.parser import HTMLParser

import ipywidgets as w
import numpy as np
import pytest
from PIL import Image

from dlnotes.book.experiments.ch03_optimization import LearningRateSweep
from dlnotes.book.plot import agg_canvas, encode_png, new_figure
from dlnotes.book.widgets import InteractiveFigure
from dlnotes.book.widgets import _frames as frames
from dlnotes.book.widgets.ch01_activations import DeepStackFigure, ZigzagFigure
from dlnotes.book.widgets.ch02_losses import OutlierFitFigure, RegressionLossFigure, SoftmaxFigure
from dlnotes.book.widgets.ch03_optimization import LearningRateExplorer
from dlnotes.book.widgets.ch04_optimizers import OptimizerExplorer, OptimizerRace
from dlnotes.book.widgets._frames import (FIGURE_BUDGET, PAGE_BUDGET, PageBudget, frames_html, grid_axis, grid_names,
                                         render_frames)


def pixels(uri_or_png) -> np.ndarray:
    """The RGB pixels of a PNG, given as bytes or as a data URI."""
    if isinstance(uri_or_png, str):
        assert uri_or_png.startswith("data:image/png;base64,")
        uri_or_png = base64.b64decode(uri_or_png.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(uri_or_png)).convert("RGB"))


class Wave(InteractiveFigure):
    """y = a sin(k x) on a small figure, a kind of curve picked from a list, and a SelectMultiple that no grid holds."""

    frame_controls = ("a", "kind")

    def __init__(self, a=1.0, kind="sin", shown=("curve",)):
        self.x = np.linspace(0, 2 * np.pi, 50)
        super().__init__(a=a, kind=kind, shown=shown, k=1)

    def _build(self):
        self.fig, self.ax = new_figure(figsize=(2.0, 1.5))
        self.ax.set_ylim(-2.2, 2.2)
        (self.line,) = self.ax.plot(self.x, self.x)
        self.animate(self.line)

    def _draw(self):
        f = np.sin if self.values["kind"] == "sin" else np.cos
        self.line.set_ydata(self.values["a"] * f(self.values["k"] * self.x))

    def controls(self):
        return {
            "shown": w.SelectMultiple(options=["curve", "grid"], description="shown"),
            "a": w.FloatSlider(min=-2.0, max=2.0, step=0.1, description="amplitude"),
            "kind": w.Dropdown(options=[("sine", "sin"), ("cosine", "cos")], description="kind"),
            "k": w.IntSlider(min=1, max=4, description="k"),
        }


def same_wave(**values) -> np.ndarray:
    """What a fresh Wave built at ``values`` shows, encoded as frames are."""
    fig = Wave(**{k: v for k, v in values.items() if k != "k"})
    fig.update(**values)
    fig.png()
    return pixels(encode_png(agg_canvas(fig.fig), compact=True))


# -- one control's values -------------------------------------------------------------------
def test_a_slider_offers_its_positions_and_is_thinned_evenly_with_its_ends_and_current_value():
    slider = w.FloatSlider(min=0.0, max=2.0, step=0.1, readout_format=".1f")
    full = grid_axis("x", slider, 0.7, 10**6)
    np.testing.assert_allclose(full.values, np.arange(21) * 0.1, atol=1e-12)
    thin = grid_axis("x", slider, 0.7, 5)
    assert len(thin.values) == 5 and thin.values[0] == 0.0 and thin.values[-1] == 2.0
    assert any(math.isclose(v, 0.7) for v in thin.values)
    assert thin.kind == "range" and thin.labels == tuple(f"{v:.1f}" for v in thin.values)


def test_a_value_between_two_positions_is_kept_exactly():
    axis = grid_axis("x", w.FloatSlider(min=0.0, max=1.0, step=0.25), 0.3, 10**6)
    assert axis.values == (0.0, 0.25, 0.3, 0.5, 0.75, 1.0)


def test_a_slider_with_millions_of_positions_is_thinned_without_listing_them():
    axis = grid_axis("x", w.FloatSlider(min=0.0, max=1.0, step=1e-9), 0.25, 5)
    assert axis.values == (0.0, 0.25, 0.5, 0.75, 1.0)


def test_a_value_outside_the_range_is_kept_at_its_end():
    assert grid_axis("x", w.FloatSlider(min=0.0, max=1.0, step=0.5), -0.5, 10).values == (-0.5, 0.0, 0.5, 1.0)


def test_a_log_slider_wants_a_positive_value():
    with pytest.raises(ValueError, match="'lr'.*positive.*0"):
        grid_axis("lr", w.FloatLogSlider(), 0.0)


def test_an_int_slider_offers_ints():
    axis = grid_axis("n", w.IntSlider(min=10, max=500, step=10), 200, 6)
    assert all(type(v) is int for v in axis.values)
    assert axis.values[0] == 10 and axis.values[-1] == 500 and 200 in axis.values and len(axis.values) == 6


def test_a_log_slider_is_spread_evenly_in_the_exponent():
    slider = w.FloatLogSlider(base=10, min=-4, max=1, step=0.05, readout_format=".2g")
    axis = grid_axis("lr", slider, 10**-1.5, 6)
    exponents = np.log10(axis.values)  # every decade, but the current value takes the place of its nearest
    np.testing.assert_allclose(exponents, [-4, -3, -1.5, -1, 0, 1], atol=1e-9)
    assert axis.labels == ("0.0001", "0.001", "0.032", "0.1", "1", "10")


def test_a_dropdown_offers_its_values_with_their_labels():
    pairs = grid_axis("c", w.Dropdown(options=[("class 0", 0), ("class 1", 1), ("class 2", 2)]), 1)
    assert pairs.kind == "select" and pairs.values == (0, 1, 2) and pairs.labels == ("class 0", "class 1", "class 2")
    mapping = grid_axis("c", w.Dropdown(options={"small": 0.1, "large": 10.0}), 10.0)
    assert mapping.values == (0.1, 10.0) and mapping.labels == ("small", "large")
    plain = grid_axis("c", w.ToggleButtons(options=["quadratic", "saddle"]), "saddle")
    assert plain.values == plain.labels == ("quadratic", "saddle")


def test_a_thinned_dropdown_keeps_the_current_option():
    axis = grid_axis("o", w.Dropdown(options=list("abcdefg")), "c", 3)
    assert axis.values == ("a", "c", "g")


def test_a_checkbox_is_off_and_on():
    assert grid_axis("b", w.Checkbox(), True).values == (False, True)


@pytest.mark.parametrize("control", [w.SelectMultiple(options=["a", "b"]), w.SelectionRangeSlider(options=["a", "b"]),
                                     w.IntRangeSlider(), w.FloatRangeSlider()])
def test_sets_and_ranges_of_values_are_never_in_a_grid(control):
    with pytest.raises(TypeError, match="'chosen'.*frame_controls"):
        grid_axis("chosen", control, control.value)


def test_free_text_is_not_in_a_grid():
    with pytest.raises(TypeError, match="'name'.*Text"):
        grid_axis("name", w.Text(), "")


def test_a_dropdown_whose_value_is_no_option_is_refused():
    with pytest.raises(ValueError, match="'c'.*'z'"):
        grid_axis("c", w.Dropdown(options=["a", "b"]), "z")


# -- which controls ------------------------------------------------------------------------
def test_the_default_grid_is_the_first_control_a_grid_holds():
    class Default(Wave):
        frame_controls = None

    fig = Default()
    assert grid_names(fig, fig.controls()) == ["a"]  # "shown", a SelectMultiple, comes first


def test_frame_controls_must_name_controls():
    class Typo(Wave):
        frame_controls = ("amplitude",)

    fig = Typo()
    with pytest.raises(ValueError, match="Typo.*'amplitude'"):
        grid_names(fig, fig.controls())


def test_frame_controls_is_a_tuple_of_names():
    class Bare(Wave):
        frame_controls = "a"

    fig = Bare()
    with pytest.raises(TypeError, match="tuple.*'a'"):
        grid_names(fig, fig.controls())


def test_a_selectmultiple_named_in_frame_controls_is_refused():
    class Multiple(Wave):
        frame_controls = ("a", "shown")

    fig = Multiple()
    with pytest.raises(TypeError, match="'shown'"):
        grid_names(fig, fig.controls())


def small_sweep():
    lrs = np.logspace(-2, 1, 4)
    return LearningRateSweep(lrs, np.array([0.9 ** np.arange(6) * (1 + k) for k in range(4)]))


BOOK = {
    DeepStackFigure: DeepStackFigure,
    ZigzagFigure: ZigzagFigure,
    RegressionLossFigure: RegressionLossFigure,
    OutlierFitFigure: OutlierFitFigure,
    SoftmaxFigure: SoftmaxFigure,
    LearningRateExplorer: lambda: LearningRateExplorer(small_sweep()),
    OptimizerExplorer: OptimizerExplorer,
    OptimizerRace: lambda: OptimizerRace(steps=20),
}


@pytest.mark.parametrize("cls", list(BOOK), ids=lambda c: c.__name__)
def test_every_book_figure_names_one_or_two_controls_a_grid_holds(cls):
    fig = BOOK[cls]()
    controls = fig.widget().controls
    names = grid_names(fig, controls)
    assert names == list(cls.frame_controls) and 1 <= len(names) <= 2
    assert not any(isinstance(controls[n], w.SelectMultiple) for n in names)


# -- the frames ------------------------------------------------------------------------------
def test_each_frame_is_what_the_figure_shows_at_those_values():
    fig = Wave(a=0.5)
    result = render_frames(fig, fig.controls(), budget=10**9)
    a, kind = result.axes
    assert len(a.values) == frames.MAX_VALUES and a.values[0] == -2.0 and a.values[-1] == 2.0 and 0.5 in a.values
    assert kind.values == ("sin", "cos") and kind.labels == ("sine", "cosine")
    assert len(result.frames) == len(a.values) * 2
    for (i, j) in [(0, 0), (len(a.values) - 1, 1), (3, 1)]:
        expected = same_wave(a=a.values[i], kind=kind.values[j])
        np.testing.assert_array_equal(pixels(result.frames[f"{i},{j}"]), expected)


def test_the_start_frame_is_the_current_values_and_the_other_controls_stay():
    fig = Wave(a=0.5, kind="cos")
    fig.update(k=3)
    result = render_frames(fig, fig.controls(), budget=10**9)
    i, j = map(int, result.start.split(","))
    assert result.axes[0].values[i] == 0.5 and result.axes[1].values[j] == "cos"
    np.testing.assert_array_equal(pixels(result.frames[result.start]), same_wave(a=0.5, kind="cos", k=3))
    assert result.fixed == ["shown", "k"]


def test_frames_differ_when_a_control_moves():
    fig = Wave()
    result = render_frames(fig, fig.controls(), budget=10**9)
    n = len(result.axes[0].values)
    for j in range(2):
        column = [result.frames[f"{i},{j}"] for i in range(n)]
        assert all(x != y for x, y in zip(column, column[1:]))
    amplitudes = result.axes[0].values
    assert all(result.frames[f"{i},0"] != result.frames[f"{i},1"] for i in range(n) if amplitudes[i] != 0)


def test_the_figure_is_left_at_its_values():
    fig = Wave(a=0.5, kind="cos")
    before_values, before = dict(fig.values), pixels(fig.png())
    render_frames(fig, fig.controls(), budget=10**9)
    assert fig.values == before_values
    np.testing.assert_array_equal(pixels(fig.png()), before)


def test_the_frames_fit_the_budget_by_thinning_the_widest_control():
    fig = Wave()
    one = len(render_frames(fig, fig.controls(), names=[], budget=10**9).frames[""])
    budget = 12 * one
    result = render_frames(fig, fig.controls(), budget=budget)
    assert sum(map(len, result.frames.values())) <= budget
    a, kind = result.axes
    assert len(kind.values) == 2 and 2 <= len(a.values) <= 6
    assert a.values[0] == -2.0 and a.values[-1] == 2.0 and 1.0 in a.values


def test_a_selection_keeps_every_option_while_a_slider_has_more_than_two_values():
    from dlnotes.book.widgets._frames import _grid_sizes

    # seven optimizers and a learning rate: the rate is thinned first, the options only when it is down to two
    assert _grid_sizes([7, 101], 49, [False, True]) == [7, 7]
    assert _grid_sizes([7, 101], 20, [False, True]) == [7, 2]
    assert _grid_sizes([7, 101], 10, [False, True]) == [5, 2]
    assert _grid_sizes([41, 30], 100, [True, True]) == [10, 10]  # two sliders: the wider loses first
    assert _grid_sizes([7, 101], 3, [False, True]) is None


def test_a_budget_too_small_for_two_values_shows_the_control_fixed_and_warns():
    fig = Wave()
    one = len(render_frames(fig, fig.controls(), names=[], budget=10**9).frames[""])
    with pytest.warns(UserWarning, match="Wave.*'kind'.*fixed"):
        result = render_frames(fig, fig.controls(), budget=3 * one)
    assert [axis.name for axis in result.axes] == ["a"] and "kind" in result.fixed
    assert sum(map(len, result.frames.values())) <= 3 * one


def test_a_book_figure_with_dependent_values_gets_both_grid_values_at_once(monkeypatch):
    shown = {}

    def encode(figure):  # what the figure's values were when each frame was taken
        shown[len(shown)] = dict(figure.values)
        return f"data:image/png;base64,{len(shown) - 1}"

    monkeypatch.setattr(frames, "_encode", encode)
    fig = SoftmaxFigure()
    result = render_frames(fig, fig.widget().controls, budget=10**9)
    moving, logit = result.axes
    assert moving.labels == ("class 0", "class 1", "class 2", "class 3") and logit.values[0] == -6.0
    j = len(logit.values) - 1
    taken = shown[int(result.frames[f"2,{j}"].rsplit(",", 1)[1])]
    # class 2's logit is 6 and every other class keeps its logit, as one move in JupyterLab gives
    assert taken == {**SoftmaxFigure().update(moving=2, logit=6.0).values}
    assert taken["logits"] == (1.0, 2.0, 6.0, -1.0)
    assert fig.values == SoftmaxFigure().values


# -- the HTML block ----------------------------------------------------------------------------
class Block(HTMLParser):
    """The elements of a frames block, by tag."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.text, self._in = [], {}, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag

    def handle_data(self, data):
        if self._in:
            self.text.setdefault(self._in, []).append(data)

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def test_the_html_block_has_one_control_per_axis_an_image_the_frames_and_a_note():
    fig = Wave(a=0.5)
    page = PageBudget(10**9)
    html = frames_html(fig, fig.controls(), page=page)
    block = Block(html)
    result = render_frames(fig, fig.controls(), budget=min(FIGURE_BUDGET, 10**9))
    (box,) = block.find("div", **{"class": "dlnotes-frames"})
    assert box["data-start"] == result.start
    (slider,) = block.find("input", type="range")
    assert slider["data-axis"] == "a" and slider["aria-label"] == "amplitude"
    assert int(slider["max"]) == len(result.axes[0].values) - 1 and int(slider["value"]) == int(result.start.split(",")[0])
    (select,) = block.find("select")
    assert select["data-axis"] == "kind"
    options = block.find("option")
    assert [o["value"] for o in options] == ["0", "1"] and "selected" in options[0]
    (img,) = block.find("img")
    assert img["alt"] == "" and img["src"] == result.frames[result.start]
    data = json.loads(html.split('<script type="application/json">', 1)[1].split("</script>", 1)[0])
    assert data["labels"] == [list(a.labels) for a in result.axes]
    assert set(data["frames"]) == set(result.frames) - {result.start}
    assert "live only in JupyterLab: shown, k." in html
    assert "://" not in html  # nothing from another host
    assert 10**9 - page.left == sum(map(len, result.frames.values()))


def test_a_page_shares_its_budget_among_its_figures(monkeypatch):
    fig = Wave()
    one = len(render_frames(fig, fig.controls(), names=[], budget=10**9).frames[""])
    monkeypatch.setattr(frames, "FIGURE_BUDGET", 20 * one)
    page = PageBudget(30 * one)
    first = Block(frames_html(fig, fig.controls(), page=page))
    second = Block(frames_html(Wave(), Wave().controls(), page=page))
    assert 0 <= page.left
    assert int(second.find("input")[0]["max"]) < int(first.find("input")[0]["max"])


def test_the_budgets_hold_a_chapter_page_in_5_mb():
    assert PAGE_BUDGET <= 5_000_000 and FIGURE_BUDGET <= PAGE_BUDGET


def test_the_widget_shows_its_frames_only_while_the_site_is_built(monkeypatch):
    monkeypatch.setattr(frames, "PAGE", PageBudget(10**9))
    monkeypatch.delenv("DLNOTES_SITE_FRAMES", raising=False)
    view = Wave().widget()
    assert "text/html" not in view._repr_mimebundle_()
    monkeypatch.setenv("DLNOTES_SITE_FRAMES", "1")
    bundle = view._repr_mimebundle_()
    assert 'class="dlnotes-frames"' in bundle["text/html"] and "image/png" in bundle
