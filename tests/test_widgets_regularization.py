"""Tests of dlnotes.book.widgets.ch08_regularization (Chapter 8): the dropout and weight-decay explorer."""

import ipywidgets as w
import numpy as np
import pytest

from dlnotes.book.experiments.ch08_regularization import regularization_grid
from dlnotes.book.plot.ch08_regularization import boundary_line
from dlnotes.book.widgets._frames import render_frames
from dlnotes.book.widgets.ch08_regularization import RegularizationExplorer
from dlnotes.data import make_moons

PNG = b"\x89PNG\r\n\x1a\n"
DROPOUTS, DECAYS = [0.0, 0.3, 0.6], [0.0, 1e-2, 1.0]


@pytest.fixture(scope="module")
def grid():
    X, y = make_moons(16, noise=0.3, rng=1)
    X_val, y_val = make_moons(20, noise=0.3, rng=2)
    return regularization_grid(X, y, X_val, y_val, DROPOUTS, DECAYS, sizes=(2, 8, 2), lr=0.3, epochs=40,
                               record_every=5, resolution=16, rng=0)


def drawn(fig):
    """Everything a move changes, as arrays."""
    return [np.asarray(fig.image.get_array()), fig.boundary.get_xdata(), fig.train_line.get_ydata(),
            fig.val_line.get_ydata(), fig.frame.get_xdata(), fig.frame.get_ydata()]


def test_default_is_no_regularization(grid):
    fig = RegularizationExplorer(grid)
    assert fig.values == {"dropout": 0.0, "weight_decay": 0.0} and fig.indices() == (0, 0)
    np.testing.assert_array_equal(fig.image.get_array(), grid.probability[0, 0])
    np.testing.assert_array_equal(fig.val_line.get_ydata(), grid.val_loss[0, 0])
    assert fig.title.get_text().startswith("p_drop = 0, λ = 0:")
    assert f"gap {grid.gap[0, 0]:.3f}" in fig.title.get_text()


def test_every_pair_of_the_grid_draws_its_own_data(grid):
    fig = RegularizationExplorer(grid)
    for i, p in enumerate(DROPOUTS):
        for j, decay in enumerate(DECAYS):
            before = drawn(fig)
            fig.update(dropout=p, weight_decay=decay)
            assert fig.indices() == (i, j)
            np.testing.assert_array_equal(fig.image.get_array(), grid.probability[i, j])
            line = boundary_line(grid.grid_x, grid.grid_y, grid.probability[i, j])
            np.testing.assert_array_equal(fig.boundary.get_xdata(), line[0])
            np.testing.assert_array_equal(fig.train_line.get_ydata(), grid.train_loss[i, j])
            np.testing.assert_array_equal(fig.val_line.get_ydata(), grid.val_loss[i, j])
            np.testing.assert_allclose(np.mean(fig.frame.get_xdata()[:4]), j)
            np.testing.assert_allclose(np.mean(fig.frame.get_ydata()[:4]), i)
            assert f"p_drop = {p:g}, λ = {decay:g}:" in fig.title.get_text()
            if (i, j) != (0, 0):  # each move changes what is drawn
                after = drawn(fig)
                assert any(a.shape != b.shape or not np.array_equal(a, b, equal_nan=True) for a, b in zip(before, after))
            assert fig.png().startswith(PNG)


def test_values_snap_to_the_grid(grid):
    fig = RegularizationExplorer(grid, dropout=0.32, weight_decay=0.02)
    assert fig.values == {"dropout": 0.3, "weight_decay": 0.01}
    fig.update(weight_decay=0.9)
    assert fig.values["weight_decay"] == 1.0 and fig.indices() == (1, 2)


def test_controls_hold_the_grid_values_and_drive_the_figure(grid):
    fig = RegularizationExplorer(grid)
    controls = fig.controls()
    assert set(controls) == {"dropout", "weight_decay"}
    assert all(isinstance(c, w.SelectionSlider) for c in controls.values())
    assert [v for _, v in controls["dropout"].options] == DROPOUTS
    view = fig.widget()
    first = view.image.value
    view.controls["dropout"].value = 0.6
    assert fig.indices() == (2, 0) and view.image.value != first
    view.reset.click()
    assert fig.indices() == (0, 0) and view.controls["dropout"].value == 0.0


def test_png_reset_and_unknown_values(grid):
    fig = RegularizationExplorer(grid, dropout=0.3)
    first = fig.png()
    assert first.startswith(PNG)
    fig.update(weight_decay=1.0)
    assert fig.png() != first
    fig.reset()
    assert fig.indices() == (1, 0)
    with pytest.raises(ValueError, match="unknown"):
        fig.update(momentum=0.9)


def test_the_site_frames_hold_every_pair_of_dropout_and_weight_decay(grid):
    fig = RegularizationExplorer(grid)
    result = render_frames(fig, fig.widget().controls, budget=10**9)
    assert [a.name for a in result.axes] == ["dropout", "weight_decay"] and result.fixed == []
    assert list(result.axes[0].values) == DROPOUTS and list(result.axes[1].values) == DECAYS
    assert len(set(result.frames.values())) == len(DROPOUTS) * len(DECAYS)
