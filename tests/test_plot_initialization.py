"""Chapter 6's static figures: the expected panels, curves, labels and legends."""

import numpy as np
import pytest

from dlnotes.book.experiments import ch06_initialization as ex
from dlnotes.book.plot import ch06_initialization as plot
from dlnotes.book.plot import new_figure, style


@pytest.fixture(scope="module")
def runs():
    return {"all zeros": ex.symmetry_run("zeros", epochs=3),
            "random": ex.symmetry_run(ex.normal_init(0.5), epochs=3)}


def test_plot_symmetry_draws_the_range_of_the_units_and_every_loss(runs):
    fig = plot.plot_symmetry(runs)
    *panels, loss = fig.axes
    assert len(panels) == 2
    for ax, (title, run) in zip(panels, runs.items()):
        low, high = ax.lines
        np.testing.assert_array_equal(low.get_ydata(), run.first_weights.min(axis=1))
        np.testing.assert_array_equal(high.get_ydata(), run.first_weights.max(axis=1))
        assert ax.get_title().startswith(title) and "spread" in ax.get_title()
        assert len(ax.collections) == 1  # the shaded band
    assert "= 0 after 3 epochs" in panels[0].get_title()
    assert [t.get_text() for t in loss.get_legend().get_texts()] == list(runs)
    assert len(loss.lines) == 2 and loss.get_ylabel() == "cross-entropy"
    looks = {(line.get_color(), line.get_linestyle()) for line in loss.lines}
    assert len(looks) == 2


@pytest.mark.parametrize("count", [0, 4])
def test_plot_symmetry_refuses_too_few_or_too_many_runs(runs, count):
    many = {f"run {i}": runs["random"] for i in range(count)}
    with pytest.raises(ValueError, match="runs"):
        plot.plot_symmetry(many)


def test_plot_init_comparison_colours_by_activation_and_styles_by_initializer():
    profiles = ex.init_comparison(n_layers=3, width=16, batch=8)
    fig = plot.plot_init_comparison(profiles)
    left, right = fig.axes
    for ax in (left, right):
        assert len(ax.lines) == 4 and ax.get_yscale() == "log"
        assert ax.get_xlabel() and ax.get_ylabel()
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["Xavier + tanh", "Xavier + ReLU", "He + tanh", "He + ReLU"]
    for line, (init, activation) in zip(left.lines, profiles):
        assert line.get_color() == style(activation)["color"]
        assert line.get_linestyle() == plot.INIT_LOOKS[init]["linestyle"]
    np.testing.assert_array_equal(right.lines[3].get_ydata(), profiles[("kaiming_normal", "relu")].grad_norms)


def test_power_of_ten_labels_and_decade_ticks():
    assert plot.power_of_ten(-6.0) == "10⁻⁶" and plot.power_of_ten(3) == "10³" and plot.power_of_ten(0.0) == "10⁰"
    np.testing.assert_array_equal(plot.decade_ticks(-3.2, 0.7), [-3, -2, -1, 0])
    ticks = plot.decade_ticks(-11.5, 1.3, max_ticks=6)  # 12.8 decades: every 3rd
    np.testing.assert_array_equal(ticks, [-9, -6, -3, 0])
    assert len(plot.decade_ticks(-14, 7, max_ticks=6)) <= 6
    with pytest.raises(ValueError, match="high must be larger than low"):
        plot.decade_ticks(1.0, 1.0)


def test_percent_keeps_two_significant_digits():
    assert [plot.percent(v) for v in (0.0369, 0.0032, 0.00032, 0.447, 0.0, 1.0)] == [
        "3.7%", "0.32%", "0.032%", "45%", "0%", "100%"]
