"""Tests of dlnotes.book.widgets.ch03_optimization (Chapter 3): the learning-rate slider and the blitting renderer."""

import numpy as np
import pytest

from dlnotes.book.experiments.ch03_optimization import LearningRateSweep
from dlnotes.book.widgets.ch03_optimization import LearningRateExplorer

PNG = b"\x89PNG\r\n\x1a\n"


def synthetic_sweep():
    """Five learning rates: slow, good, oscillating, diverged (rising), diverged (inf)."""
    lrs = np.array([0.01, 0.1, 1.0, 10.0, 100.0])
    t = np.arange(6)
    loss = np.array([
        1.0 - 0.05 * t,
        0.7**t,
        0.5 + 0.3 * (-1.0) ** t * (t > 0),
        1.0 + t,
        [1.0, 5.0, np.inf, np.inf, np.inf, np.inf],
    ])
    return LearningRateSweep(lrs, loss)


def test_default_is_the_middle_of_the_grid():
    fig = LearningRateExplorer(synthetic_sweep())
    assert fig.values["lr"] == 1.0
    np.testing.assert_allclose(fig.curve.get_ydata(), fig.loss[2])


@pytest.mark.parametrize("k", range(5))
def test_update_picks_the_nearest_grid_curve(k):
    fig = LearningRateExplorer(synthetic_sweep(), lr=0.01)
    sweep = synthetic_sweep()
    before = np.array(fig.curve.get_ydata())
    fig.update(lr=sweep.lrs[k] * 1.2)  # off-grid values snap to the nearest rate on a log scale
    np.testing.assert_allclose(fig.curve.get_ydata(), fig.loss[k])
    assert fig.marker.get_xdata()[0] == sweep.lrs[k]
    if k:
        assert not np.allclose(before, fig.curve.get_ydata())


def test_divergence_is_capped_and_every_verdict_shown():
    fig = LearningRateExplorer(synthetic_sweep())
    assert fig.verdicts == ["slow", "good", "oscillating", "diverging", "diverging"]
    assert np.all(np.isfinite(fig.loss)) and fig.loss.max() == fig.cap == 2.0
    for lr, verdict in zip(synthetic_sweep().lrs, fig.verdicts):
        fig.update(lr=lr)
        assert f": {verdict};" in fig.title.get_text()
    fig.update(lr=1.0)  # the oscillating run: its last 3 epochs swing between 0.2 and 0.8
    assert "between 0.2 and 0.8" in fig.title.get_text()
    fig.update(lr=100.0)
    assert "infinite" in fig.title.get_text()


def test_right_panel_shows_the_range_of_the_last_epochs():
    fig = LearningRateExplorer(synthetic_sweep())
    # last 3 epochs of 1 + t are 4, 5, 6: mean 5, range 4 to 6
    assert fig.window == 3
    assert (fig.low[3], fig.mean[3], fig.high[3]) == (4.0, 5.0, 6.0)
    fig.update(lr=10.0)
    assert list(fig.marker.get_xdata()) == [10.0] and fig.marker.get_ydata()[0] == 5.0


def test_off_scale_epochs_are_marked_on_the_cap():
    fig = LearningRateExplorer(synthetic_sweep(), lr=0.01)
    assert len(fig.clipped.get_xdata()) == 0  # the slow run stays on scale
    fig.update(lr=10.0)  # 1 + t is above the cap 2 from t = 2 on
    assert list(fig.clipped.get_xdata()) == [2, 3, 4, 5] and set(fig.clipped.get_ydata()) == {fig.cap}
    fig.update(lr=100.0)  # 5 and then inf
    assert list(fig.clipped.get_xdata()) == [1, 2, 3, 4, 5]
    assert any("off scale" in t.get_text() for t in fig.ax.get_legend().get_texts())


def test_reset_and_png():
    fig = LearningRateExplorer(synthetic_sweep(), lr=0.1)
    first = fig.png()
    assert first.startswith(PNG)
    fig.update(lr=10.0)
    assert fig.png() != first
    fig.reset()
    assert fig.values["lr"] == 0.1
    np.testing.assert_allclose(fig.curve.get_ydata(), fig.loss[1])


def test_png_after_a_static_change_redraws_the_background():
    fig = LearningRateExplorer(synthetic_sweep())
    first = fig.png()
    fig.ax.set_xlabel("another label")
    assert fig.png() == first  # the cached background still shows the old label
    fig.invalidate()
    redrawn = fig.png()
    assert redrawn.startswith(PNG) and redrawn != first
    assert fig.png() == redrawn  # and the new background is cached in turn


def test_controls_and_widget():
    fig = LearningRateExplorer(synthetic_sweep())
    controls = fig.controls()
    assert set(controls) == {"lr"}
    assert controls["lr"].min == pytest.approx(-2) and controls["lr"].max == pytest.approx(2)
    view = fig.widget()
    assert len(view.children) == 2


def test_unknown_value():
    with pytest.raises(ValueError, match="unknown"):
        LearningRateExplorer(synthetic_sweep()).update(momentum=0.9)


def test_legends_and_title_are_at_least_9_points():
    explorer = LearningRateExplorer(synthetic_sweep())
    for ax in (explorer.ax, explorer.lr_ax):
        assert all(t.get_fontsize() >= 9 for t in ax.get_legend().get_texts())
    assert explorer.title.get_fontsize() >= 9
