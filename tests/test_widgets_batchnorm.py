"""Tests of dlnotes.book.widgets.ch07_batchnorm (Chapter 7): every slider position redraws the right row of the grid."""

import numpy as np
import pytest

from dlnotes.book.experiments.ch07_batchnorm import NETWORKS, ActivationHistograms, TrainingSweep, stack_seeds
from dlnotes.book.widgets._frames import render_frames
from dlnotes.book.widgets.ch07_batchnorm import ActivationHistogramFigure, BatchNormTrainingFigure, percent

PNG = b"\x89PNG\r\n\x1a\n"
SCALES = np.array([0.1, 1.0, 10.0])


def synthetic_histograms(depth=3, bins=4):
    """Scale k puts all of layer l's units in bin (k + l) % bins, for the plain network; BN spreads them evenly."""
    share = {name: np.zeros((3, depth, bins)) for name in NETWORKS}
    for k in range(3):
        for l in range(depth):
            share["plain"][k, l, (k + l) % bins] = 1.0
    share["batchnorm"][:] = 1.0 / bins
    std = {"plain": np.arange(9.0).reshape(3, 3) / 10, "batchnorm": np.full((3, depth), 0.65)}
    tails = {name: np.zeros((3, depth, 2)) for name in NETWORKS}
    tails["plain"][2] = [[0.2, 0.3], [0.3, 0.4], [0.4, 0.5]]  # scale 10: saturated in both tails
    tails["batchnorm"][:, :, 1] = 0.001
    saturated = {name: tails[name].sum(axis=2) for name in NETWORKS}
    return ActivationHistograms(SCALES, np.linspace(-1, 1, bins + 1), share, tails, std, saturated)


def synthetic_sweep():
    epochs = np.arange(5)
    loss = {"plain": np.array([np.full(5, 1.1), 1.1 * 0.7**epochs, [1.5, 1.0, np.inf, np.inf, np.inf]]),
            "batchnorm": np.array([1.8 * 0.6**epochs, 1.8 * 0.5**epochs, 1.8 * 0.55**epochs])}
    return TrainingSweep(SCALES, loss, {}, {})


def test_percent_has_two_significant_digits():
    assert [percent(v) for v in (0.0, 0.0001, 0.00135, 0.053125, 0.34375, 0.7879, 1.0)] == \
        ["0%", "0.01%", "0.14%", "5.3%", "34%", "79%", "100%"]


def test_histograms_default_is_the_smallest_scale():
    fig = ActivationHistogramFigure(synthetic_histograms())
    assert fig.values["scale"] == 0.1
    np.testing.assert_allclose(fig.bars["plain"][0].get_data().values, [1.0, 0, 0, 0])


@pytest.mark.parametrize("k", range(3))
def test_histograms_update_draws_the_row_of_the_scale(k):
    hist = synthetic_histograms()
    fig = ActivationHistogramFigure(hist, scale=10.0 if k == 0 else 0.1)
    before = [np.array(b.get_data().values) for b in fig.bars["plain"]]
    fig.update(scale=SCALES[k] * 1.3)  # off the grid: the nearest scale on a log axis
    for l in range(3):
        drawn = fig.bars["plain"][l].get_data().values
        np.testing.assert_allclose(drawn, np.sqrt(hist.share["plain"][k, l]))  # square-root axis
        assert not np.allclose(drawn, before[l])
        np.testing.assert_allclose(fig.bars["batchnorm"][l].get_data().values, np.sqrt(0.25))
        assert f"std {hist.std['plain'][k, l]:.2g}" in fig.labels["plain"][l].get_text()
        assert f"{percent(hist.saturated['plain'][k, l])} saturated" in fig.labels["plain"][l].get_text()
        tails = fig.tails["plain"][l].get_data().values  # the dark bars: the tails only, in the outer bins
        np.testing.assert_allclose(tails[[0, -1]], np.sqrt(hist.tails["plain"][k, l]))
        np.testing.assert_array_equal(tails[1:-1], 0.0)
        assert "0.1% saturated" in fig.labels["batchnorm"][l].get_text()
    assert f"s = {SCALES[k]:.2g}" in fig.title.get_text()


def test_histograms_axes_and_widget():
    fig = ActivationHistogramFigure(synthetic_histograms())
    assert fig.axes.shape == (2, 3)
    assert [ax.get_title() for ax in fig.axes[0]] == ["layer 1", "layer 2", "layer 3"]
    assert "without BatchNorm" in fig.axes[0, 0].get_ylabel() and "with BatchNorm" in fig.axes[1, 0].get_ylabel()
    assert "(examples × units)" in fig.axes[0, 0].get_ylabel()  # shares of values, not of units
    assert [t.get_text() for t in fig.axes[1, -1].get_legend().get_texts()] == ["|h| > 0.99 (saturated)"]
    fig.fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0, 0].get_yticklabels()]
    assert labels == ["0", "0.05", "0.2", "0.5", "1"]
    np.testing.assert_allclose(fig.axes[0, 0].get_yticks(), np.sqrt([0, 0.05, 0.2, 0.5, 1]))
    controls = fig.controls()
    assert set(controls) == {"scale"}
    assert controls["scale"].min == pytest.approx(-1) and controls["scale"].max == pytest.approx(1)
    assert controls["scale"].step == pytest.approx(1)
    view = fig.widget()
    assert bytes(view.image.value).startswith(PNG)


def test_histograms_png_reset_and_unknown_value():
    fig = ActivationHistogramFigure(synthetic_histograms())
    first = fig.png()
    fig.update(scale=10.0)
    assert fig.png() != first
    fig.reset()
    assert fig.values["scale"] == 0.1 and fig.png() == first
    with pytest.raises(ValueError, match="unknown"):
        fig.update(lr=0.1)


def test_training_default_and_every_scale():
    sweep = synthetic_sweep()
    fig = BatchNormTrainingFigure(sweep, target=0.5, last=2)
    assert fig.values["scale"] == 0.1
    for k, scale in enumerate(SCALES):
        fig.update(scale=scale)
        np.testing.assert_allclose(fig.curves["batchnorm"].get_ydata(), sweep.loss["batchnorm"][k])
        assert list(fig.rings_final["batchnorm"].get_xdata()) == [scale]
        assert fig.rings_final["batchnorm"].get_ydata()[0] == pytest.approx(sweep.loss["batchnorm"][k, -2:].mean())
        assert f"s = {scale:.2g}" in fig.title.get_text() and "mean loss over epochs 3-4" in fig.title.get_text()
    assert fig.ax_final.get_ylabel() == "mean loss over epochs 3-4"
    with pytest.raises(ValueError, match="last"):
        BatchNormTrainingFigure(sweep, last=5)  # more epochs than the sweep has


def test_training_never_and_diverged_runs():
    fig = BatchNormTrainingFigure(synthetic_sweep(), target=0.5, last=2)
    # plain at 0.1 stays at 1.1: never below 0.5, drawn at "never"
    assert "without BatchNorm 1.100 (never ≤ 0.5)" in fig.title.get_text()
    assert fig.rings_reach["plain"].get_ydata()[0] == fig.never
    # batchnorm at 0.1: 1.8 * 0.6^t <= 0.5 first at t = 3
    assert "with BatchNorm" in fig.title.get_text() and "≤ 0.5 at epoch 3" in fig.title.get_text()
    assert fig.rings_reach["batchnorm"].get_ydata()[0] == 3
    fig.update(scale=10.0)  # the plain run diverged: drawn at the cap, and it never reached the target
    curve = fig.curves["plain"].get_ydata()
    assert np.all(np.isfinite(curve)) and curve[-1] == fig.cap and fig.cap > 1.8
    assert fig.rings_final["plain"].get_ydata()[0] == fig.cap
    labels = [t.get_text() for t in fig.ax_reach.get_yticklabels()]
    assert labels[-1] == "never"


def test_training_legend_target_and_widget():
    fig = BatchNormTrainingFigure(synthetic_sweep(), target=0.5, last=1)
    texts = [t.get_text() for t in fig.ax.get_legend().get_texts()]
    assert texts == ["without BatchNorm", "with BatchNorm", "target loss 0.5"]
    assert [t.get_text() for t in fig.ax_final.get_legend().get_texts()] == ["without BatchNorm", "with BatchNorm"]
    assert fig.ax_final.get_ylabel() == "loss after 4 epochs"
    first = fig.png()
    assert first.startswith(PNG)
    fig.update(scale=1.0)
    assert fig.png() != first
    assert set(fig.controls()) == {"scale"}
    assert bytes(fig.widget().image.value).startswith(PNG)


def test_training_with_several_seeds_draws_the_first_and_dots_for_the_others():
    first = synthetic_sweep()
    other = TrainingSweep(SCALES, {name: loss * 0.5 for name, loss in first.loss.items()}, {}, {})
    fig = BatchNormTrainingFigure(stack_seeds([first, other]), target=0.5, last=2)
    fig.update(scale=1.0)
    np.testing.assert_allclose(fig.curves["plain"].get_ydata(), first.loss["plain"][1])  # the first seed's curve
    dots = [line for line in fig.ax_final.lines if line.get_marker() == "." and len(line.get_xdata())]
    assert len(dots) == 2  # one set per network
    for line, name in zip(dots, NETWORKS):
        np.testing.assert_allclose(line.get_ydata(), np.minimum(other.final_mean(name, 2), fig.cap))
        assert np.all(np.abs(np.log(line.get_xdata() / SCALES)) < 0.1)  # beside their scale
    reach = [line for line in fig.ax_reach.lines if line.get_marker() == "."]
    np.testing.assert_allclose(reach[1].get_ydata(), other.epochs_to("batchnorm", 0.5))
    assert "the other 1 seeds" in [t.get_text() for t in fig.ax_final.get_legend().get_texts()]


@pytest.mark.parametrize("build", [lambda: ActivationHistogramFigure(synthetic_histograms()),
                                   lambda: BatchNormTrainingFigure(synthetic_sweep(), last=2)],
                         ids=["histograms", "training"])
def test_the_site_frames_scrub_the_weight_scale_over_the_whole_grid(build):
    fig = build()
    result = render_frames(fig, fig.widget().controls, budget=10**9)
    assert [a.name for a in result.axes] == ["scale"] and result.fixed == []
    np.testing.assert_allclose(result.axes[0].values, SCALES)
    assert len(set(result.frames.values())) == len(SCALES)
