"""Tests of dlnotes.book.widgets.ch05_preprocessing (Chapter 5): the scale-ratio slider."""

import numpy as np
import pytest

from dlnotes.book.experiments.ch05_preprocessing import scale_ratio_sweep
from dlnotes.book.widgets._frames import render_frames
from dlnotes.book.widgets.ch05_preprocessing import ScaleRatioExplorer

PNG = b"\x89PNG\r\n\x1a\n"
RATIOS = 10 ** (np.arange(4) / 2)  # 1, 3.16, 10, 31.6


@pytest.fixture(scope="module")
def sweep():
    return scale_ratio_sweep(RATIOS)


def test_default_is_ratio_ten(sweep):
    fig = ScaleRatioExplorer(sweep)
    assert fig.values["ratio"] == 10.0
    np.testing.assert_array_equal(fig.raw.path.get_xdata(), sweep.raw[2].path[:, 0])
    assert f"{sweep.raw[2].steps} steps" in fig.raw_title.get_text()


def test_default_falls_back_to_the_middle_of_a_grid_without_ten():
    small = scale_ratio_sweep([1.0, 2.0, 3.0])
    assert ScaleRatioExplorer(small).values["ratio"] == 2.0


def test_update_across_the_grid_moves_the_raw_panel(sweep):
    fig = ScaleRatioExplorer(sweep)
    for k in [0, 3, 1, 2, 0]:
        before = np.array(fig.raw.contours[-1].get_ydata())
        fig.update(ratio=RATIOS[k] * 1.1)  # off-grid values snap to the nearest ratio on a log scale
        raw = sweep.raw[k]
        np.testing.assert_array_equal(fig.raw.path.get_ydata(), raw.path[:, 1])
        assert list(fig.raw_point.get_xdata()) == [raw.kappa] and list(fig.raw_point.get_ydata()) == [raw.steps]
        assert f"{raw.steps} steps" in fig.raw_title.get_text()
        assert not np.allclose(before, fig.raw.contours[-1].get_ydata())
        assert fig.png().startswith(PNG)


def test_the_standardized_panel_does_not_move(sweep):
    fig = ScaleRatioExplorer(sweep, ratio=1.0)
    path = np.array(fig.standardized.path.get_xydata())
    fig.update(ratio=31.6)
    np.testing.assert_array_equal(fig.standardized.path.get_xydata(), path)
    assert list(fig.std_point.get_ydata()) == [sweep.standardized[-1].steps]


def test_reset_png_and_controls(sweep):
    fig = ScaleRatioExplorer(sweep)
    first = fig.png()
    fig.update(ratio=31.6)
    assert fig.png() != first
    fig.reset()
    assert fig.values["ratio"] == 10.0
    controls = fig.controls()
    assert set(controls) == {"ratio"}
    assert controls["ratio"].min == pytest.approx(0.0) and controls["ratio"].max == pytest.approx(1.5)
    view = fig.widget()
    assert len(view.children) == 2


def test_unknown_value(sweep):
    with pytest.raises(ValueError, match="unknown"):
        ScaleRatioExplorer(sweep).update(lr=0.1)


@pytest.mark.parametrize("bad", [0.0, -3.0])
def test_a_ratio_must_be_positive(sweep, bad):
    with pytest.raises(ValueError, match=f"ratio must be in .*got {bad}"):
        ScaleRatioExplorer(sweep).update(ratio=bad)


def test_the_site_frames_scrub_the_ratio_over_the_whole_grid(sweep):
    fig = ScaleRatioExplorer(sweep)
    result = render_frames(fig, fig.widget().controls, budget=10**9)
    assert [a.name for a in result.axes] == ["ratio"] and result.fixed == []
    np.testing.assert_allclose(result.axes[0].values, RATIOS)
    assert len(set(result.frames.values())) == len(RATIOS)
