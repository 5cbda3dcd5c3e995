"""Chapter 6's interactive figure: built headless, the slider moves every drawn histogram, reset restores it."""

import ipywidgets as w
import numpy as np
import pytest

from dlnotes.book.plot.ch06_initialization import power_of_ten
from dlnotes.book.widgets._frames import render_frames
from dlnotes.book.widgets.ch06_initialization import (NETWORKS, ROW_SHARE, SCALES, TANH_SATURATED, VISIBLE,
                                                      InitScaleFigure, shown_range)

SMALL = {"scales": 2.0 ** np.arange(-2, 3), "n_layers": 4, "width": 32, "batch": 16}


def _drawn(fig):
    ridges = {key: np.stack([line.get_ydata() for line in lines]) for key, lines in fig.ridges.items()}
    dots = {key: line.get_xdata().copy() for key, line in fig.std_lines.items()}
    return ridges, dots


def test_default_figure_is_the_chapters_caption():
    """s = 1, 10 layers of width 256: the numbers the chapter's caption quotes."""
    fig = InitScaleFigure()
    assert fig.shown_scale() == 1.0 and fig.scale_text.get_text() == "s = 1"
    assert len(fig.fig.axes) == 4 and all(len(lines) == 10 for lines in fig.ridges.values())
    assert (fig.titles[("tanh", "z")].get_text()
            == "tanh forward: std(z) 1 (layer 1) → 0.24 (layer 10); saturated 0.32% (layer 1), 0.032% (all)")
    assert fig.titles[("relu", "z")].get_text() == "ReLU forward: std(z) 1 (layer 1) → 0.047 (layer 10)"
    assert fig.titles[("relu", "delta")].get_text().endswith("49% zeros not drawn")
    tanh = fig.sweeps["tanh"]
    assert tanh.delta_std[8, 0] / tanh.delta_std[8, -1] == pytest.approx(1 / 3.5, rel=0.02)
    np.testing.assert_allclose(SCALES[[8, 10]], [1.0, 2**0.5])


def test_every_slider_position_moves_every_panel():
    fig = InitScaleFigure(weight_scale=0.25, **SMALL)
    slider = fig.controls()["weight_scale"]
    positions = 2.0 ** np.arange(slider.min, slider.max + slider.step / 2, slider.step)
    np.testing.assert_allclose(positions, SMALL["scales"])
    artists = [line for lines in fig.ridges.values() for line in lines]
    before = _drawn(fig)
    for scale in positions[1:]:
        fig.update(weight_scale=float(scale))
        after = _drawn(fig)
        for key in fig.ridges:
            assert not np.array_equal(before[1][key], after[1][key])  # the standard deviations moved
            assert not np.array_equal(before[0][key], after[0][key])  # and the histograms
        assert [line for lines in fig.ridges.values() for line in lines] == artists  # the same artists
        assert fig.png()[:4] == b"\x89PNG"
        before = after


def test_a_value_between_two_scales_shows_the_nearer_and_says_so():
    fig = InitScaleFigure(**SMALL)
    fig.update(weight_scale=1.3)
    assert fig.shown_scale() == 1.0 and fig.scale_text.get_text() == "s = 1"
    fig.update(weight_scale=1.5)
    assert fig.shown_scale() == 2.0 and fig.scale_text.get_text() == "s = 2"


def test_large_scales_saturate_tanh_and_explode_relu():
    fig = InitScaleFigure(weight_scale=4.0, **SMALL)
    assert "saturated" in fig.titles[("tanh", "z")].get_text()
    assert fig.sweeps["tanh"].low_gradient[-1].mean() > 0.2
    relu = fig.sweeps["relu"]
    assert relu.z_std[-1, -1] > 10 * relu.z_std[-1, 0]  # about (4 / sqrt 2)^3 = 23 over these 4 layers
    low, high = fig.shown_range("relu")
    dots = fig.std_lines[("relu", "z")].get_xdata()
    np.testing.assert_allclose(dots, (np.log10(relu.z_std[-1]) - low) / (high - low))


def test_reset_and_controls():
    fig = InitScaleFigure(**SMALL)
    default = _drawn(fig)
    fig.update(weight_scale=0.25)
    fig.reset()
    for key in fig.ridges:
        np.testing.assert_array_equal(_drawn(fig)[0][key], default[0][key])
    view = fig.widget()
    slider = view.controls["weight_scale"]
    assert isinstance(slider, w.FloatLogSlider) and slider.base == 2 and slider.value == 1.0
    slider.value = 4.0
    assert fig.values["weight_scale"] == 4.0 and fig.shown_scale() == 4.0
    assert set(NETWORKS) == {"tanh", "relu"}


def test_each_row_shows_the_decades_its_data_fill_on_one_axis():
    """Both panels of a row share a range that holds every visible bin, with little more: no 15 decades for 4."""
    fig = InitScaleFigure(**SMALL)
    for name in NETWORKS:
        sweep = fig.sweeps[name]
        for k in range(len(sweep.scales)):
            low, high = shown_range(sweep, k)
            for hist, edges in ((sweep.z_hist[k], sweep.z_edges), (sweep.delta_hist[k], sweep.delta_edges)):
                used = np.flatnonzero(hist.max(axis=0) >= VISIBLE)
                assert low < edges[used[0]] and edges[used[-1] + 1] < high
    default = InitScaleFigure()
    low, high = default.shown_range("tanh")
    assert high - low < 9  # at s = 1 the data fill about 6 decades


def test_positions_ticks_and_heights_follow_the_shown_range():
    fig = InitScaleFigure(weight_scale=2.0, **SMALL)
    for name in NETWORKS:
        low, high = fig.shown_range(name)
        sweep, k = fig.sweeps[name], fig._index()
        for signal, hist, edges in (("z", sweep.z_hist, sweep.z_edges), ("delta", sweep.delta_hist, sweep.delta_edges)):
            ridge = fig.ridges[(name, signal)][0]
            np.testing.assert_allclose(ridge.get_xdata(), ((edges[:-1] + edges[1:]) / 2 - low) / (high - low))
            np.testing.assert_allclose(ridge.get_ydata(), 1 + hist[k, 0] / ROW_SHARE)  # one height scale for all
            shown = [(grid, label) for grid, label in fig.ticks[(name, signal)] if label.get_visible()]
            assert len(shown) >= 2
            for grid, label in shown:
                exponent = low + label.get_position()[0] * (high - low)
                assert exponent == pytest.approx(round(exponent)) and low < exponent < high
                assert label.get_text() == power_of_ten(round(exponent))
                assert grid.get_xdata()[0] == pytest.approx(label.get_position()[0])
    low, high = fig.shown_range("tanh")
    assert fig.band.get_x() == pytest.approx((np.log10(TANH_SATURATED) - low) / (high - low))
    assert fig.band.get_x() + fig.band.get_width() == pytest.approx(1.0)


def test_the_site_frames_scrub_the_weight_scale_over_the_whole_grid():
    fig = InitScaleFigure(**SMALL)
    result = render_frames(fig, fig.widget().controls, budget=10**9)
    assert [a.name for a in result.axes] == ["weight_scale"] and result.fixed == []
    np.testing.assert_allclose(result.axes[0].values, SMALL["scales"])
    assert len(set(result.frames.values())) == len(SMALL["scales"])
