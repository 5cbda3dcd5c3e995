"""Chapter 1's static figures: the expected curves, labels and legends."""

import numpy as np
import pytest

from dlnotes.activations import ACTIVATIONS
from dlnotes.book.experiments.ch01_activations import dead_relu, scale_sweep, sigmoid_chain
from dlnotes.book.plot import ch01_activations as plot


def test_activation_grid_has_one_panel_per_activation_with_f_and_its_derivative():
    fig = plot.plot_activation_grid()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == [
        "Sigmoid", "tanh", "ReLU", "Leaky ReLU ($a = 0.1$)", "ELU", "Softplus", "GELU", "SiLU (Swish)"]
    assert len(visible) == len(ACTIVATIONS)
    for ax in visible:
        assert len(ax.lines) == 4  # f, f' and the two axis lines z = 0, y = 0
        f, f_prime = ax.lines[:2]
        assert f.get_color() == f_prime.get_color()  # one colour per activation
        assert (f.get_linestyle(), f_prime.get_linestyle()) == ("-", "--")
        assert ax.get_ylabel() == "" or "f'(z)" in ax.get_ylabel()
    assert visible[0].get_ylabel() and visible[-1].get_xlabel() == "$z$"
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["$f(z)$", "$f'(z)$"]


def test_activation_grid_draws_leaky_relu_with_a_visible_slope():
    fig = plot.plot_activation_grid(["leaky_relu"], x=np.array([-2.0, 1.0]), leaky_slope=0.1)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [-0.2, 1.0])  # 0.1 * -2, then 1
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.1, 1.0])


def test_activation_grid_draws_the_library_functions():
    x = np.array([-1.0, 0.0, 2.0])
    fig = plot.plot_activation_grid(["sigmoid", "relu"], x=x)
    sigmoid_ax, relu_ax = [ax for ax in fig.axes if ax.get_visible()]
    np.testing.assert_allclose(sigmoid_ax.lines[1].get_ydata()[1], 0.25)  # sigmoid'(0)
    np.testing.assert_allclose(relu_ax.lines[0].get_ydata(), [0.0, 0.0, 2.0])


def test_activation_grid_bad_name():
    with pytest.raises(ValueError, match="names"):
        plot.plot_activation_grid(["swish2"])


def test_sigmoid_chain_plot():
    fig = plot.plot_sigmoid_chain(sigmoid_chain(8, n_chains=20))
    (ax,) = fig.axes
    assert len(ax.lines) == 3 and ax.get_yscale() == "log"
    assert len(ax.get_legend().get_texts()) == 3
    assert ax.get_xlabel() and ax.get_ylabel()


def test_scale_sweep_plot():
    fig = plot.plot_scale_sweep(scale_sweep([0.5, 2.0], n_layers=4))
    left, right = fig.axes
    assert len(left.lines) == 4 and len(right.lines) == 3  # 3 activations, and the reference ratio 1
    assert left.get_xscale() == "log" and left.get_yscale() == "log"
    # one legend below both panels (none inside, where it could cover a curve or a note), with display names
    assert left.get_legend() is None and right.get_legend() is None
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()][:3] == ["Sigmoid", "tanh", "ReLU"]
    assert len(legend.get_texts()) == 4
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in (left, right))


def test_dead_relu_plot():
    fig = plot.plot_dead_relu({lr: dead_relu(lr, epochs=2) for lr in (0.01, 10.0)})
    left, right = fig.axes
    assert len(left.lines) == 2 and len(right.lines) == 2
    assert len(left.get_legend().get_texts()) == 2
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["learning rate 0.01", "learning rate 10"]
