"""Tests of dlnotes.book.widgets.ch04_optimizers (Chapter 4): the explorer and the race, driven headless."""

import numpy as np
import pytest

from dlnotes.book.experiments.ch04_optimizers import OPTIMIZERS
from dlnotes.book.plot.ch04_optimizers import window
from dlnotes.book.widgets.ch04_optimizers import KNOBS, OptimizerExplorer, OptimizerRace
from dlnotes.surfaces import SURFACES


def path_of(line):
    return np.column_stack([line.get_xdata(), line.get_ydata()])


@pytest.fixture
def explorer():
    return OptimizerExplorer()


def test_explorer_default_draws_momentum_on_the_quadratic(explorer):
    assert explorer.panel.name == "quadratic"
    path = path_of(explorer.path_line)
    assert path.shape == (201, 2)
    np.testing.assert_allclose(path[0], SURFACES["quadratic"].start)


# every control with values across its range, and an optimizer that uses it
SWEEPS = {
    "lr": ("SGD", [1e-4, 1e-3, 0.005, 0.01, 0.019, 0.025, 0.05]),
    "momentum": ("Momentum", [0.0, 0.3, 0.6, 0.9, 0.99]),
    "rho": ("RMSProp", [0.0, 0.5, 0.9, 0.999]),
    "beta1": ("Adam", [0.0, 0.5, 0.9, 0.99]),
    "beta2": ("Adam", [0.5, 0.9, 0.99, 0.9999]),
    "x0": ("Momentum", [-5.0, -2.0, 1.0, 5.0]),
    "y0": ("Momentum", [-3.0, -0.5, 0.5, 3.0]),
    "steps": ("Momentum", [10, 100, 500]),
}


@pytest.mark.parametrize("name", list(SWEEPS))
def test_explorer_every_control_changes_the_path(explorer, name):
    optimizer, values = SWEEPS[name]
    explorer.update(optimizer=optimizer)
    seen = []
    for value in values:
        explorer.update(**{name: value})
        # two diverging runs leave the window at the same place; their loss curves still differ
        seen.append(np.concatenate([path_of(explorer.path_line).ravel(), explorer.loss_line.get_ydata()]))
        assert explorer.png()[:4] == b"\x89PNG"
    for a, b in zip(seen, seen[1:]):
        assert a.shape != b.shape or not np.allclose(a, b, equal_nan=True)


def on_edge(point, bounds):
    (xmin, xmax), (ymin, ymax) = bounds
    x, y = point
    inside = xmin <= x <= xmax and ymin <= y <= ymax
    return inside and np.isclose([x - xmin, xmax - x, y - ymin, ymax - y], 0).any()


def test_explorer_large_learning_rate_diverges(explorer):
    explorer.update(optimizer="SGD", lr=0.03)  # above 2 / lambda_max = 2 / 100 on the book's quadratic
    path = path_of(explorer.path_line)
    assert np.isfinite(path).all() and on_edge(path[-1], window(explorer.panel.surface))
    assert explorer.end_dot.get_marker() == "X" and list(explorer.end_dot.get_xdata()) == [path[-1, 0]]
    assert "diverged" in explorer.title.get_text()
    # the loss panel shows the rise up to the cap, just below the top of its axes, and a cross there
    shown = explorer.loss_line.get_ydata()
    finite = shown[np.isfinite(shown)]
    top = explorer.loss_ax.get_ylim()[1]
    assert len(finite) >= 2 and finite.max() == pytest.approx(top / 1.5) and finite[-1] > finite[0]
    assert list(explorer.loss_end.get_ydata()) == [finite[-1]]


@pytest.mark.parametrize("surface, optimizer, lr", [("quadratic", "Momentum", 0.1), ("quadratic", "Momentum", 1.0),
                                                    ("quadratic", "Momentum", 10.0), ("rosenbrock", "Adam", 10.0)])
def test_explorer_shows_a_divergence_in_the_first_steps(explorer, surface, optimizer, lr):
    explorer.update(surface=surface, optimizer=optimizer, lr=lr)
    path = path_of(explorer.path_line)
    # the path runs from the start to where it leaves the window, and the loss rises to the cap
    assert len(path) >= 2 and np.isfinite(path).all()
    np.testing.assert_allclose(path[0], SURFACES[surface].start)
    assert on_edge(path[-1], window(explorer.panel.surface)) and explorer.end_dot.get_marker() == "X"
    loss = explorer.loss_line.get_ydata()
    finite = loss[np.isfinite(loss)]
    assert len(finite) >= 2 and finite.max() == pytest.approx(explorer.loss_ax.get_ylim()[1] / 1.5)
    assert len(explorer.loss_end.get_xdata()) == 1


def test_explorer_end_dot_when_the_run_stays(explorer):
    path = path_of(explorer.path_line)
    assert explorer.end_dot.get_marker() == "o" and list(explorer.end_dot.get_xdata()) == [path[-1, 0]]
    assert len(explorer.loss_end.get_xdata()) == 0


def test_explorer_title_when_the_minimum_is_reached(explorer):
    explorer.update(surface="saddle", optimizer="AdaGrad")  # ends within 1e-12 of the minimum
    assert "J − J* < 1e-12 after 200 steps" in explorer.title.get_text()
    explorer.update(optimizer="SGD")
    assert "J − J* = " in explorer.title.get_text()


def test_explorer_start_dot_is_neutral_and_the_saddle_marked(explorer):
    assert explorer.start_dot.get_markerfacecolor() == "white"
    explorer.update(surface="saddle")
    labels = [line.get_label() for line in explorer.panel.ax.lines]
    assert "saddle point" in labels
    assert explorer.panel.ax.get_aspect() == 1.0


@pytest.mark.parametrize("surface", list(SURFACES))
def test_explorer_every_surface_and_optimizer(explorer, surface):
    for optimizer in OPTIMIZERS:
        explorer.update(surface=surface, optimizer=optimizer)
        assert explorer.panel.name == surface
        assert explorer.values["lr"] == OPTIMIZERS[optimizer].surface_lr[surface]
        np.testing.assert_allclose(path_of(explorer.path_line)[0], SURFACES[surface].start)
        assert explorer.path_line.get_color() is not None


def test_explorer_surface_change_keeps_the_figure_and_swaps_contours(explorer):
    fig, (contour,) = explorer.fig, explorer.panel.ax.collections
    explorer.update(surface="beale")
    assert explorer.fig is fig
    (swapped,) = explorer.panel.ax.collections  # one contour set, the new surface's
    assert swapped is not contour
    explorer.update(surface="beale", x0=0.5, y0=-1.0)  # an explicit start is kept
    np.testing.assert_allclose(path_of(explorer.path_line)[0], [0.5, -1.0])


def test_explorer_reset_restores_defaults(explorer):
    explorer.update(surface="saddle", optimizer="Adam", beta1=0.1, steps=50)
    explorer.reset()
    assert explorer.values == explorer.defaults
    assert explorer.panel.name == "quadratic"


def test_explorer_controls_follow_the_surface():
    fig = OptimizerExplorer()
    controls = fig.widget().controls
    assert set(controls) == set(fig.defaults)
    controls["surface"].value = "beale"
    assert fig.values["surface"] == "beale"
    assert (controls["x0"].min, controls["x0"].max) == window(SURFACES["beale"])[0]
    assert controls["x0"].value == SURFACES["beale"].start[0]
    controls["optimizer"].value = "Adam"
    assert controls["lr"].value == pytest.approx(OPTIMIZERS["Adam"].surface_lr["beale"])
    assert not controls["beta1"].disabled and controls["momentum"].disabled
    controls["momentum"].disabled = False
    for name, optimizer in (("momentum", "Momentum"), ("rho", "AdaDelta")):
        controls["optimizer"].value = optimizer
        assert not controls[name].disabled
        assert all(controls[k].disabled for k in ("beta1", "beta2"))


def test_knobs_name_values():
    assert set(KNOBS) == {"momentum", "rho", "beta1", "beta2"} and set(KNOBS) <= set(OptimizerExplorer().defaults)
    assert all(set(record.knobs) <= set(KNOBS) for record in OPTIMIZERS.values())


def test_one_surface_change_runs_one_update_and_renders_once():
    fig = OptimizerExplorer()
    view = fig.widget()
    updates, renders = [], []
    update = fig.update
    fig.update = lambda **values: updates.append(values) or update(**values)
    view.image.observe(renders.append, names="value")
    view.controls["surface"].value = "beale"  # also moves lr, x0 and y0, and their controls
    assert updates == [{"surface": "beale"}] and len(renders) == 1
    assert view.controls["x0"].value == SURFACES["beale"].start[0]
    view.reset.click()
    assert updates[1:] == [fig.defaults] and len(renders) == 2  # reset: one update, one render
    assert view.controls["surface"].value == "quadratic" and view.controls["x0"].value == SURFACES["quadratic"].start[0]


@pytest.fixture
def racer():
    return OptimizerRace()


def test_race_default(racer):
    shown = [name for name in OPTIMIZERS if racer.lines[name].get_visible()]
    assert shown == ["SGD", "Momentum", "AdaGrad", "RMSProp", "Adam"]
    legend = [t.get_text() for t in racer.legend.get_texts()]
    assert legend == [*shown, "start"]
    assert not racer.note.get_visible()


def test_race_marks_divergence_and_an_empty_selection(racer):
    racer.update(surface="quadratic", optimizers=("SGD", "Momentum"), lr_scale=2.0)  # SGD at 0.036 > 2/100
    legend = [t.get_text() for t in racer.legend.get_texts()]
    assert legend[0].startswith("SGD\n(diverged at step") and legend[1] == "Momentum"
    assert racer.heads["SGD"].get_marker() == "X" and racer.heads["Momentum"].get_marker() == "o"
    head = (racer.heads["SGD"].get_xdata()[0], racer.heads["SGD"].get_ydata()[0])
    assert on_edge(head, window(racer.panel.surface))  # the cross stays in sight, where the path leaves
    assert len(racer.loss_ends["SGD"].get_xdata()) == 1 and len(racer.loss_ends["Momentum"].get_xdata()) == 0
    racer.update(optimizers=())
    assert racer.note.get_visible() and not any(line.get_visible() for line in racer.lines.values())
    assert racer.png()[:4] == b"\x89PNG"


def test_race_divergence_at_the_first_step_is_drawn(racer):
    racer.update(surface="quadratic", optimizers=("SGD",), lr_scale=10.0)  # SGD at 0.18 leaves at step 1
    assert racer.legend.get_texts()[0].get_text() == "SGD\n(diverged at step 1)"
    racer.update(step=0)
    assert len(racer.lines["SGD"].get_xdata()) == 1 and racer.heads["SGD"].get_marker() == "o"
    racer.update(step=5)
    path = path_of(racer.lines["SGD"])
    assert len(path) == 2 and on_edge(path[-1], window(racer.panel.surface))
    assert racer.heads["SGD"].get_marker() == "X" and list(racer.loss_ends["SGD"].get_xdata()) == [1]


def test_race_tells_rmsprop_variants_apart(racer):
    assert racer.lines["RMSProp"].get_color() != racer.lines["RMSProp+Momentum"].get_color()
    assert racer.lines["RMSProp"].get_marker() != racer.lines["RMSProp+Momentum"].get_marker()
    # RMSProp+Momentum's colour is the nearest to Momentum's; both are dashed, and the triangles tell them apart
    assert racer.lines["Momentum"].get_marker() != racer.lines["RMSProp+Momentum"].get_marker()


def _pixel(figure, ax, point):
    """The RGB pixel of ``figure.png()`` at data point ``point`` of ``ax``."""
    from io import BytesIO

    from PIL import Image

    image = np.asarray(Image.open(BytesIO(figure.png())).convert("RGB"))
    x, y = ax.transData.transform(point)
    return image[image.shape[0] - int(round(y)), int(round(x))]


def test_explorer_minimum_star_is_drawn_over_the_end_dot(explorer):
    """Momentum ends at the minimum (0, 0); the star's black centre is what shows there, not the orange dot."""
    assert np.linalg.norm(path_of(explorer.path_line)[-1]) < 1e-3
    assert list(explorer.panel.minima.get_xdata()) == [0.0]
    assert _pixel(explorer, explorer.panel.ax, (0.0, 0.0)).max() < 60


def test_race_star_is_drawn_over_the_end_dots(racer):
    racer.update(surface="saddle", optimizers=("AdaGrad",))  # AdaGrad ends on the minimum (0, 1)
    assert np.linalg.norm(path_of(racer.lines["AdaGrad"])[-1] - [0.0, 1.0]) < 1e-3
    assert _pixel(racer, racer.panel.ax, (0.0, 1.0)).max() < 60


def test_race_crosses_of_diverged_paths_leave_the_titles_free(racer):
    """At lr x 10 three paths leave the Rosenbrock panel through its top edge, right under the title."""
    racer.update(lr_scale=10.0)
    racer.png()
    renderer = racer.fig.canvas.get_renderer()
    titles = [racer.panel.ax.title.get_window_extent(renderer), racer.title.get_window_extent(renderer)]
    crosses = [racer.heads[name] for name in racer.values["optimizers"] if racer.heads[name].get_marker() == "X"]
    crosses += [racer.loss_ends[name] for name in racer.values["optimizers"] if len(racer.loss_ends[name].get_xdata())]
    assert len(crosses) >= 4
    for cross in crosses:
        x, y = cross.axes.transData.transform((cross.get_xdata()[0], cross.get_ydata()[0]))
        half = cross.get_markersize() / 2 * racer.fig.dpi / 72 + cross.get_markeredgewidth()
        for title in titles:
            assert y + half < title.y0 or x + half < title.x0 or x - half > title.x1


def test_explorer_lr_slider_brackets_the_momentum_limit(explorer):
    """Exercise 3: Momentum (alpha = 0.9) converges at 0.037 and diverges at 0.038 = 2 (1 + alpha) / 100."""
    slider = explorer.controls()["lr"]
    grid = 10.0 ** (slider.min + slider.step * np.arange(round((slider.max - slider.min) / slider.step) + 1))
    between = grid[(grid > 0.037) & (grid < 0.038)]
    assert len(between) >= 3
    for lr in (0.037, *between[:-1]):
        assert "diverged" not in explorer.update(lr=float(lr)).title.get_text()
    assert "diverged" in explorer.update(lr=0.038).title.get_text()
    assert slider.readout_format == ".3g"  # the readout tells 0.0372 from 0.0378


def test_race_step_scrubs_the_paths(racer):
    for t in (0, 1, 50, 200):
        racer.update(step=t)
        for name in racer.values["optimizers"]:
            assert len(racer.lines[name].get_xdata()) == t + 1
        assert racer.png()[:4] == b"\x89PNG"


def test_race_selection_surface_and_scale(racer):
    racer.update(optimizers=("Adam", "AdaDelta"))
    assert [n for n in OPTIMIZERS if racer.lines[n].get_visible()] == ["AdaDelta", "Adam"]
    before = path_of(racer.lines["Adam"])
    racer.update(lr_scale=3.0)
    assert not np.allclose(before, path_of(racer.lines["Adam"]), equal_nan=True)
    for surface in SURFACES:
        racer.update(surface=surface)
        assert racer.panel.name == surface
        np.testing.assert_allclose(path_of(racer.lines["Adam"])[0], SURFACES[surface].start)
    racer.reset()
    assert racer.values == racer.defaults


def test_race_controls(racer):
    controls = racer.controls()
    assert set(controls) == set(racer.defaults)
    assert controls["step"].max == racer.steps
    assert racer.widget() is not None


def _pixels(png: bytes) -> np.ndarray:
    from io import BytesIO

    from PIL import Image

    return np.asarray(Image.open(BytesIO(png)).convert("RGB"))


#: Moves through every control of each figure that changes something static: a surface, a step count,
#: the race's selection and lr factor (which rename legend entries), and back.
STATIC_MOVES = {
    OptimizerExplorer: [{"surface": s} for s in ("beale", "saddle", "rosenbrock", "quadratic")]
    + [{"steps": n} for n in (10, 500, 200)] + [{"surface": "beale", "steps": 30}, {"optimizer": "Adam", "lr": 10.0}],
    OptimizerRace: [{"surface": s} for s in ("beale", "saddle", "quadratic", "rosenbrock")]
    + [{"optimizers": tuple(OPTIMIZERS)}, {"lr_scale": 10.0}, {"optimizers": ("SGD",)}, {"optimizers": ()},
       {"surface": "beale", "optimizers": ("Adam", "SGD"), "lr_scale": 0.1}, {"lr_scale": 3.0, "step": 7}],
}


@pytest.mark.parametrize("cls", list(STATIC_MOVES))
def test_no_move_lays_the_figure_out_again(cls, monkeypatch):
    """Limits, tick labels and the legend's room are fixed, so no move re-runs constrained layout or moves an axes."""
    import dlnotes.book.widgets as widgets

    fig = cls()
    fig.png()
    positions = [ax.get_position().bounds for ax in fig.fig.axes]

    def refuse(*args, **kwargs):
        raise AssertionError("a move ran constrained layout")

    monkeypatch.setattr(widgets, "freeze_layout", refuse)
    for move in STATIC_MOVES[cls]:
        fig.update(**move).png()
        assert [ax.get_position().bounds for ax in fig.fig.axes] == positions


@pytest.mark.parametrize("cls", list(STATIC_MOVES))
def test_a_column_redrawn_alone_gives_the_pixels_of_a_full_redraw(cls):
    """A move that changes one column (surface panel, loss panel, legend) repaints that column only; no trace of
    the previous surface, limits or legend is left, and nothing of the other columns is lost."""
    fig = cls()
    fig.png()
    for move in STATIC_MOVES[cls]:
        partial = _pixels(fig.update(**move).png())
        fig._background = None  # the next png draws the whole figure (in the same layout)
        full = _pixels(fig.png())
        np.testing.assert_array_equal(partial, full, err_msg=f"after {move}")


@pytest.mark.parametrize("surface", list(SURFACES))
def test_each_panel_stays_in_its_column_on_every_surface(surface):
    """What each panel draws lies in its own column, for every surface (so a column can be redrawn alone)."""
    racer, explorer = OptimizerRace(surface=surface, optimizers=tuple(OPTIMIZERS)), OptimizerExplorer()
    explorer.update(surface=surface, steps=500)
    racer.update(lr_scale=10.0)  # every legend entry it can show, the widest with two lines
    for fig, columns in ((explorer, [explorer._column(0), explorer._column(1)]),
                         (racer, [racer._column(0)])):
        fig.png()
        renderer = fig.fig.canvas.get_renderer()
        for ax, column in zip((fig.panel.ax, fig.loss_ax), columns):
            box = ax.get_tightbbox(renderer).transformed(fig.fig.transFigure.inverted())
            assert column.x0 <= box.x0 and box.x1 <= column.x1, (surface, ax.get_title())
    box = racer.legend.get_window_extent(renderer).transformed(racer.fig.transFigure.inverted())
    assert racer._legend_left <= box.x0 and box.x1 <= 1 and 0 <= box.y0 and box.y1 <= 1
    box = racer.loss_ax.get_tightbbox(renderer).transformed(racer.fig.transFigure.inverted())
    assert box.x1 <= racer._legend_left


def test_race_legend_font_is_readable(racer):
    assert all(text.get_fontsize() >= 9 for text in racer.legend.get_texts())


def test_invalidate_refuses_artists_without_a_region_and_a_region_of_the_wrong_kind(explorer):
    with pytest.raises(TypeError, match="without a region"):
        explorer.invalidate(explorer.loss_ax)
    with pytest.raises(TypeError, match="region must be a Bbox.*got tuple"):
        explorer.invalidate(explorer.loss_ax, region=(0.5, 0, 1, 1))



def test_race_legend_room_holds_the_tallest_and_widest_legend(racer):
    """Every optimizer diverged (two lines each): the legend still fits in its room, right of the loss panel."""
    from dlnotes.book.widgets.ch04_optimizers import _entry

    labels = [_entry(name, racer.steps) for name in OPTIMIZERS]
    legend = racer._new_legend([*racer.loss_lines.values(), racer.start_dot], [*labels, "start"], racer._legend_left)
    racer.png()
    box = legend.get_window_extent(racer.fig.canvas.get_renderer()).transformed(racer.fig.transFigure.inverted())
    assert racer._legend_left <= box.x0 and box.x1 <= 1 and 0 <= box.y0 and box.y1 <= 1
    loss = racer.loss_ax.get_tightbbox(racer.fig.canvas.get_renderer()).transformed(racer.fig.transFigure.inverted())
    assert loss.x1 <= box.x0
