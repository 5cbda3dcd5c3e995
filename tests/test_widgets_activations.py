"""Chapter 1's interactive figures: built headless, every control moves the drawn data, reset restores it."""

import ipywidgets as w
import numpy as np
import pytest

from dlnotes.book.widgets.ch01_activations import STACK_ACTIVATIONS, DeepStackFigure, ZigzagFigure


@pytest.fixture
def stack():
    return DeepStackFigure()


def _grad_data(fig):
    return {name: line.get_ydata().copy() for name, line in fig.grad_lines.items()}


def test_deep_stack_default_draws_ten_layers(stack):
    assert len(stack.ridges) == 10
    assert set(stack.grad_lines) == set(STACK_ACTIVATIONS)
    assert stack.ax_hist.get_title() == "Sigmoid, weight scale 1"
    labels = [t.get_text() for t in stack.grad_legend.get_texts()]
    assert [label.split(" (")[0] for label in labels] == ["Sigmoid", "tanh", "ReLU"]  # display names


@pytest.mark.parametrize("scale", [0.1, 0.3, 1.0, 3.0, 10.0])
def test_weight_scale_changes_gradients_and_histograms(stack, scale):
    ridges = [line.get_ydata().copy() for line in stack.ridges]
    grads = _grad_data(stack)
    lines = list(stack.fig.axes[1].lines)
    stack.update(weight_scale=scale * 1.1)
    assert list(stack.fig.axes[1].lines) == lines  # the same artists, new data
    assert all(not np.array_equal(grads[n], stack.grad_lines[n].get_ydata()) for n in STACK_ACTIVATIONS)
    assert any(not np.array_equal(a, line.get_ydata()) for a, line in zip(ridges, stack.ridges))
    stack.png()  # the cached background and the moving artists render


def test_large_scales_show_saturation_and_tanh_exploding(stack):
    stack.update(activation="sigmoid", weight_scale=1.0)
    assert np.all(stack.low_lines["sigmoid"].get_ydata() == 0)  # scale 1: no sigmoid unit saturated
    stack.update(weight_scale=10.0)
    assert np.mean(stack.low_lines["sigmoid"].get_ydata()) > 0.3
    assert np.mean(stack.low_lines["tanh"].get_ydata()) > 0.5
    tanh = stack.grad_lines["tanh"].get_ydata()
    assert tanh[0] > 100 * tanh[-1]  # tanh's gradient grows toward layer 1
    # each legend label carries its activation's ratio layer 1 / layer 10, whichever activation is shown
    for text, name in zip(stack.grad_legend.get_texts(), STACK_ACTIVATIONS):
        assert text.get_text().startswith(f"{dict(sigmoid='Sigmoid', tanh='tanh', relu='ReLU')[name]} (layer 1 / layer 10 = ")
        ratio = float(text.get_text().rsplit("=", 1)[1].rstrip(")"))
        norms = stack.grad_lines[name].get_ydata()
        assert ratio == pytest.approx(norms[0] / norms[-1], rel=0.05)
    assert float(stack.grad_legend.get_texts()[1].get_text().rsplit("=", 1)[1].rstrip(")")) > 100


@pytest.mark.parametrize("activation, left, right", [
    ("sigmoid", (-6.0, -4.6), (4.6, 6.0)),  # sigmoid'(z) < 0.01 for |z| > 4.6
    ("tanh", (-6.0, -3.0), (3.0, 6.0)),  # tanh'(z) < 0.01 for |z| > 3.0
    ("relu", (-6.0, 0.0), (6.0, 6.0)),  # ReLU'(z) = 0 for z <= 0, nothing on the right
])
def test_grey_zones_mark_where_the_shown_derivative_is_below_one_percent(stack, activation, left, right):
    stack.update(activation=activation)
    for zone, (low, high) in zip(stack.zones, (left, right)):
        assert zone.get_x() == pytest.approx(low, abs=0.02)
        assert zone.get_x() + zone.get_width() == pytest.approx(high, abs=0.02)


@pytest.mark.parametrize("activation", STACK_ACTIVATIONS)
def test_activation_dropdown_changes_the_histograms(stack, activation):
    stack.update(activation="tanh" if activation != "tanh" else "relu", weight_scale=2.0)
    before = [line.get_ydata().copy() for line in stack.ridges]
    stack.update(activation=activation)
    assert any(not np.array_equal(a, line.get_ydata()) for a, line in zip(before, stack.ridges))
    assert stack.grad_lines[activation].get_linewidth() > max(
        line.get_linewidth() for name, line in stack.grad_lines.items() if name != activation)


def test_deep_stack_reset_and_controls(stack):
    default = _grad_data(stack.reset())
    stack.update(weight_scale=5.0, activation="relu")
    stack.reset()
    assert stack.values == {"activation": "sigmoid", "weight_scale": 1.0}
    for name, data in default.items():
        np.testing.assert_array_equal(stack.grad_lines[name].get_ydata(), data)
    controls = stack.controls()
    assert set(controls) == {"activation", "weight_scale"}
    assert isinstance(controls["weight_scale"], w.FloatLogSlider)
    assert controls["weight_scale"].min == -1 and controls["weight_scale"].max == 1
    assert isinstance(stack.widget(), w.VBox)


def test_zigzag_every_input_mean_moves_the_path_and_signs():
    fig = ZigzagFigure()
    control = fig.controls()["input_mean"]
    previous = fig.path_line.get_xydata().copy()
    for mean in np.arange(control.min, control.max + 1e-9, 0.5):
        fig.update(input_mean=float(mean) + 0.05)
        path = fig.path_line.get_xydata()
        assert path.shape == (51, 2) and np.all(np.isfinite(path))
        assert not np.array_equal(path, previous)
        previous = path.copy()
    fig.update(input_mean=1.5)
    signs = np.asarray(fig.image.get_array())
    assert np.all(signs == signs[0])  # positive inputs: one sign per unit
    fig.update(input_mean=0.0)
    assert not np.all(np.asarray(fig.image.get_array()) == np.asarray(fig.image.get_array())[0])


def test_zigzag_reset():
    fig = ZigzagFigure()
    default = fig.path_line.get_xydata().copy()
    fig.update(input_mean=0.2)
    fig.reset()
    np.testing.assert_array_equal(fig.path_line.get_xydata(), default)
    assert isinstance(fig.widget(), w.VBox)


def test_deep_stack_refuses_an_activation_it_does_not_compare():
    with pytest.raises(ValueError, match="activation"):
        DeepStackFigure(activation="gelu")
