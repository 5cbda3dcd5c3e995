"""Chapter 2's interactive figures: built headless, every control moves the drawn data, reset restores it."""

import itertools

import ipywidgets as w
import numpy as np
import pytest

from dlnotes.book.widgets.ch02_losses import OutlierFitFigure, RegressionLossFigure, SoftmaxFigure


def test_regression_losses_beta_and_delta_move_their_own_curves():
    fig = RegressionLossFigure()
    assert len(fig.ax_loss.lines) == len(fig.ax_grad.lines) == 4 + 4  # 4 losses, 4 marks each side
    controls = fig.controls()
    for key, name, other in (("beta", "smooth_l1", "huber"), ("delta", "huber", "smooth_l1")):
        for value in np.linspace(controls[key].min, controls[key].max, 5):
            fig.reset()
            before = {n: (a.get_ydata().copy(), b.get_ydata().copy()) for n, (a, b) in fig.lines.items()}
            fig.update(**{key: float(value) + 0.05})
            loss_line, grad_line = fig.lines[name]
            assert not np.array_equal(loss_line.get_ydata(), before[name][0])
            assert not np.array_equal(grad_line.get_ydata(), before[name][1])
            np.testing.assert_array_equal(fig.lines[other][0].get_ydata(), before[other][0])
            np.testing.assert_array_equal(fig.lines["mse"][0].get_ydata(), before["mse"][0])
            assert fig.marks[key][1].get_xdata()[0] == pytest.approx(float(value) + 0.05)
            assert fig.mark_labels[key][1].get_position()[0] == pytest.approx(float(value) + 0.05)


def test_regression_losses_default_keeps_all_four_apart_and_shows_their_linear_parts():
    fig = RegressionLossFigure()
    assert fig.values == {"beta": 1.5, "delta": 2.0}
    # no two losses (or gradients) coincide on any stretch of |r| < 1.5, only at single crossings
    # (at beta = 0.5 smooth L1 would be r^2 = MSE all over |r| < 0.5, 100 samples)
    inner = np.abs(fig.R) < 1.5
    for a, b in itertools.combinations(fig.lines, 2):
        for k in (0, 1):  # loss and gradient
            ya, yb = fig.lines[a][k].get_ydata()[inner], fig.lines[b][k].get_ydata()[inner]
            equal = np.abs(ya - yb) <= 1e-3 * np.maximum(np.abs(ya), np.abs(yb)) + 1e-12
            assert _longest_run(equal) <= 2, (a, b, k)
    # smooth L1 at r = 1 is 1 / (2 * 1.5) = 1/3; its gradient is 1 / 1.5 = 2/3
    i = int(np.argmin(np.abs(fig.R - 1.0)))
    assert fig.lines["smooth_l1"][0].get_ydata()[i] == pytest.approx(1 / 3)
    assert fig.lines["smooth_l1"][1].get_ydata()[i] == pytest.approx(2 / 3)
    # thin grey markers at +-beta and +-delta, labelled at the top
    assert [t.get_text() for t in fig.mark_labels["beta"][:2]] == ["−β", "β"]
    assert [t.get_text() for t in fig.mark_labels["delta"][:2]] == ["−δ", "δ"]
    assert fig.mark_labels["delta"][1].get_position()[0] == pytest.approx(2.0)
    for line in fig.marks["beta"] + fig.marks["delta"]:
        assert line.get_color() != fig.lines["huber"][0].get_color() and line.get_linewidth() < 1
    # at the sliders' largest value the residual axis still reaches past it: both curves turn linear
    controls = fig.controls()
    fig.update(beta=controls["beta"].max, delta=controls["delta"].max)
    grad = fig.lines["huber"][1].get_ydata()
    assert fig.R[-1] > controls["delta"].max and grad[-1] == pytest.approx(controls["delta"].max)
    (legend,) = fig.fig.legends
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["MSE (L2)", "MAE (L1)", "smooth L1", "Huber"]
    fig.update(beta=1.0, delta=1.0)  # at beta = delta = 1 the two coincide
    np.testing.assert_allclose(fig.lines["smooth_l1"][0].get_ydata(), fig.lines["huber"][0].get_ydata())


def _longest_run(flags) -> int:
    """Length of the longest run of True in ``flags``."""
    longest = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        longest = max(longest, current)
    return longest


def test_regression_losses_reset():
    fig = RegressionLossFigure()
    default = fig.lines["huber"][0].get_ydata().copy()
    fig.update(delta=2.5)
    fig.reset()
    np.testing.assert_array_equal(fig.lines["huber"][0].get_ydata(), default)
    assert isinstance(fig.widget(), w.VBox)


@pytest.fixture
def outliers():
    return OutlierFitFigure(sizes=np.arange(0.0, 31.0, 10.0))


def test_outlier_slider_moves_outliers_and_the_mse_line(outliers):
    control = outliers.controls()["outlier_size"]
    assert (control.min, control.max, control.step) == (0.0, 30.0, 10.0)
    outliers.update(outlier_size=0.0)
    previous = outliers.fit_lines["mse"].get_ydata().copy()
    offsets = outliers.outliers.get_offsets().copy()
    for size in (10.0, 20.0, 30.0):
        outliers.update(outlier_size=size)
        assert not np.array_equal(outliers.fit_lines["mse"].get_ydata(), previous)
        assert not np.array_equal(outliers.outliers.get_offsets(), offsets)
        previous = outliers.fit_lines["mse"].get_ydata().copy()
        offsets = outliers.outliers.get_offsets().copy()
    # the MSE line rises with the outliers; the L1 line stays within 1 of the true line 2x + 1
    np.testing.assert_allclose(outliers.fit_lines["l1"].get_ydata(), 2 * outliers.grid_x + 1, atol=1.0)
    assert np.max(outliers.fit_lines["mse"].get_ydata() - (2 * outliers.grid_x + 1)) > 3.0


def test_outlier_slider_picks_the_nearest_size_and_resets(outliers):
    outliers.update(outlier_size=11.0)
    assert outliers.ax.get_title() == "outlier size 10"
    outliers.reset()
    assert outliers.ax.get_title() == "outlier size 20"
    assert isinstance(outliers.widget(), w.VBox)


def test_softmax_logit_and_moving_class():
    fig = SoftmaxFigure()
    controls = fig.controls()
    previous = [bar.get_height() for bar in fig.bars]
    for value in np.arange(controls["logit"].min, controls["logit"].max + 1e-9, 3.0):
        fig.update(logit=float(value) + 0.5)
        heights = [bar.get_height() for bar in fig.bars]
        assert sum(heights) == pytest.approx(1.0)
        assert heights != previous
        previous = heights
    curve = fig.curve.get_ydata().copy()
    for moving in (1, 2, 3):
        fig.update(moving=moving)
        assert not np.array_equal(fig.curve.get_ydata(), curve)
        curve = fig.curve.get_ydata().copy()
    fig.update(moving=0, logit=6.0)
    assert fig.bars[0].get_height() > 0.9  # the true class wins: loss near 0
    assert fig.point.get_ydata()[0] < 0.1


def test_softmax_switching_class_keeps_every_logit():
    fig = SoftmaxFigure()
    fig.update(logit=3.0)  # class 0's logit: 1 -> 3
    fig.update(moving=2)
    assert fig.values["logit"] == SoftmaxFigure.LOGITS[2]  # the slider takes class 2's own logit
    np.testing.assert_array_equal(fig.logits, [3.0, 2.0, 0.5, -1.0])
    fig.update(logit=-2.0)
    fig.update(moving=0)
    assert fig.values["logit"] == 3.0
    np.testing.assert_array_equal(fig.logits, [3.0, 2.0, -2.0, -1.0])
    assert fig.ax_prob.get_title() == "logits $z$ = (3, 2, -2, -1)"
    with pytest.raises(ValueError, match="moving"):
        fig.update(moving=7)


def test_softmax_widget_moves_the_slider_to_the_chosen_class():
    fig = SoftmaxFigure()
    moving, logit, _reset = fig.widget().children[0].children
    controls = {"moving": moving, "logit": logit}
    controls["logit"].value = 4.0
    controls["moving"].value = 3
    assert controls["logit"].value == -1.0 and fig.logits[0] == 4.0
    controls["logit"].value = 0.0
    np.testing.assert_array_equal(fig.logits, [4.0, 2.0, 0.5, 0.0])


def test_softmax_labels_stay_below_the_title():
    fig = SoftmaxFigure(logit=6.0)
    assert fig.bars[0].get_height() > 0.95 and fig.ax_prob.get_ylim()[1] >= 1.1


def test_softmax_reset():
    fig = SoftmaxFigure()
    default = [bar.get_height() for bar in fig.bars]
    fig.update(logit=-4.0)
    fig.update(moving=2)
    fig.update(logit=5.0)
    fig.reset()
    assert [bar.get_height() for bar in fig.bars] == default
    np.testing.assert_array_equal(fig.logits, SoftmaxFigure.LOGITS)
    assert isinstance(fig.widget(), w.VBox)
