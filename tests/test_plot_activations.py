"""Chapter 1's static figures: the expected curves, labels and legends."""

import numpy as np
import pytest

from dlnotes.activations import ACTIVATIONS
from dlnotes.experiments.activations import dead_relu, sigmoid_chain
from dlnotes.plot import activations as plot


def test_activation_grid_has_one_panel_per_activation_with_f_and_its_derivative():
    fig = plot.activation_grid()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == list(ACTIVATIONS)
    for ax in visible:
        assert len(ax.lines) == 4  # f, f' and the two axis lines x = 0, y = 0
    assert [t.get_text() for t in visible[0].get_legend().get_texts()] == ["$f(x)$", "$f'(x)$"]


def test_activation_grid_draws_the_library_functions():
    x = np.array([-1.0, 0.0, 2.0])
    fig = plot.activation_grid(["sigmoid", "relu"], x=x)
    sigmoid_ax, relu_ax = [ax for ax in fig.axes if ax.get_visible()]
    np.testing.assert_allclose(sigmoid_ax.lines[1].get_ydata()[1], 0.25)  # sigmoid'(0)
    np.testing.assert_allclose(relu_ax.lines[0].get_ydata(), [0.0, 0.0, 2.0])


def test_activation_grid_bad_name():
    with pytest.raises(ValueError, match="names"):
        plot.activation_grid(["swish2"])


def test_sigmoid_chain_plot():
    fig = plot.sigmoid_chain(sigmoid_chain(8, n_chains=20))
    (ax,) = fig.axes
    assert len(ax.lines) == 3 and ax.get_yscale() == "log"
    assert len(ax.get_legend().get_texts()) == 3
    assert ax.get_xlabel() and ax.get_ylabel()


def test_dead_relu_plot():
    fig = plot.dead_relu({lr: dead_relu(lr, epochs=2) for lr in (0.01, 10.0)})
    left, right = fig.axes
    assert len(left.lines) == 2 and len(right.lines) == 2
    assert len(left.get_legend().get_texts()) == 2
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["learning rate 0.01", "learning rate 10"]
