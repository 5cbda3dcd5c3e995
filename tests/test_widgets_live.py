"""Tests of dlnotes.book.widgets.live: learning curves drawn while fit trains, headless."""

import base64

import numpy as np
import pytest

from dlnotes.book.experiments import mlp
from dlnotes.book.plot import agg_canvas
from dlnotes.book.widgets.live import LearningCurvesFigure, LiveImage, LiveLearningCurves, _grown_limits
from dlnotes.data import make_moons
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import Callback, History, fit

PNG = b"\x89PNG\r\n\x1a\n"


def train(live, epochs=6, validation=True, metric="accuracy", lr=0.1, callbacks=()):
    X, y = make_moons(20, noise=0.2, rng=0)
    net = mlp([2, 6, 2], "relu", rng=0)
    return fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=lr), X, y, epochs=epochs, batch_size=10, rng=0,
               validation_data=(X, y) if validation else None, metric=metric, callbacks=[live, *callbacks])


def history_of(train_loss, val_loss=None):
    history = History()
    for t, loss in enumerate(train_loss):
        history.record({"train_loss": loss, **({"val_loss": val_loss[t]} if val_loss is not None else {})})
    return history


class Watch(Callback):
    """After every epoch, what the live figure shows (it runs after LiveLearningCurves)."""

    def __init__(self, live):
        self.live, self.shown = live, []

    def on_epoch_end(self, epoch, history):
        self.shown.append(len(self.live.figure.lines["train_loss"].get_xdata()))
        return False


def test_every_epoch_is_drawn_with_interval_zero():
    live = LiveLearningCurves(interval=0, metric_label="accuracy")
    watch = Watch(live)
    history = train(live, callbacks=[watch])
    assert watch.shown == [1, 2, 3, 4, 5, 6] and live.renders == 6
    figure = live.figure
    assert live.history is history and figure.history is history
    for key in ("train_loss", "val_loss", "train_metric", "val_metric"):
        np.testing.assert_array_equal(figure.lines[key].get_ydata(), history[key])
        np.testing.assert_array_equal(figure.lines[key].get_xdata(), history.epochs)
    assert [ax.get_ylabel() for ax in figure.axes] == ["loss", "accuracy"]
    assert bytes(live.image.value).startswith(PNG) and live._repr_png_() == bytes(live.image.value)
    assert f"epoch 6,  training loss {history.train_loss[-1]:.3g}" in figure.title.get_text()
    assert f"best validation epoch {history.best_epoch}" in figure.title.get_text()
    assert list(figure.best[0].get_xdata()) == [history.best_epoch] * 2


def test_a_long_interval_draws_the_first_and_the_last_epoch():
    live = LiveLearningCurves(interval=1e9)
    watch = Watch(live)
    train(live, epochs=5, callbacks=[watch])
    assert watch.shown == [1, 1, 1, 1, 1]  # not redrawn during the run
    assert live.renders == 2 and len(live.figure.lines["train_loss"].get_xdata()) == 5
    assert live.figure.defaults["epoch"] == 5  # Reset in the scrubbing widget shows the whole run


def test_without_validation_or_metric_one_panel_one_line():
    live = LiveLearningCurves(interval=0)
    train(live, epochs=3, validation=False, metric=None)
    figure = live.figure
    assert len(figure.axes) == 1 and set(figure.lines) == {"train_loss"} and figure.best == []
    assert "validation" not in figure.title.get_text()


def test_fixed_epoch_axis_and_log_loss():
    live = LiveLearningCurves(epochs=20, interval=0, log_loss=True)
    train(live, epochs=4)
    assert live.figure.axes[0].get_xlim() == (0.0, 21.0)
    assert live.figure.axes[0].get_yscale() == "log"
    assert live.figure.title.get_text().startswith("epoch 4/20")


def test_a_run_that_diverges_at_once_draws_nothing():
    live = LiveLearningCurves(interval=0)
    history = train(live, epochs=3, lr=1e12)
    assert history.diverged and not history.train_loss
    assert live.figure is None and live.renders == 0 and bytes(live.image.value) == b"" and live._repr_png_() is None


def test_the_figure_scrubs_through_a_run():
    history = history_of([1.0, 0.6, 0.4, 0.3, 0.25], [1.1, 0.7, 0.65, 0.8, 0.9])
    figure = LearningCurvesFigure(history)
    assert figure.values["epoch"] == 5
    figure.update(epoch=2)
    np.testing.assert_array_equal(figure.lines["val_loss"].get_ydata(), [1.1, 0.7])
    assert list(figure.best[0].get_xdata()) == [2, 2]  # the best epoch among the first two
    figure.update(epoch=50)  # clipped to the recorded epochs
    assert figure.shown_epoch() == 5 and list(figure.best[0].get_xdata()) == [3, 3]
    controls = figure.controls()
    assert controls["epoch"].min == 1 and controls["epoch"].max == 5
    view = figure.widget()
    first = view.image.value
    view.controls["epoch"].value = 1
    assert view.image.value != first and figure.shown_epoch() == 1


def test_the_axes_grow_with_the_curves():
    history = history_of([0.5])
    figure = LearningCurvesFigure(history)
    low, high = figure.axes[0].get_ylim()
    assert low == 0.0 and high >= 0.5
    history.record({"train_loss": 3.0})
    figure.update(epoch=2)
    assert figure.axes[0].get_ylim()[1] >= 3.0 and figure.axes[0].get_xlim()[1] >= 3


def test_grown_limits():
    assert _grown_limits(None, [0.2, 1.0], log=False) == (0.0, 1.4)
    assert _grown_limits((0.0, 2.0), [0.5, 1.5], log=False) == (0.0, 2.0)  # already inside: unchanged
    low, high = _grown_limits((0.0, 2.0), [-1.0, 1.0], log=False)
    assert low < -1.0 and high == 2.0 + 0.5 * 3.0
    assert _grown_limits(None, [0.01, 1.0], log=True) == (0.005, 2.0)
    assert _grown_limits((0.1, 1.0), [np.nan], log=False) == (0.1, 1.0)


def test_live_image_offers_its_png_to_static_pages():
    image = LiveImage(format="png")
    assert "image/png" not in image._repr_mimebundle_()
    image.value = PNG + b"rest"
    assert base64.b64decode(image._repr_mimebundle_()["image/png"]) == PNG + b"rest"


def test_redraw_needs_an_epoch():
    with pytest.raises(RuntimeError, match="recorded an epoch"):
        LiveLearningCurves().redraw()
    with pytest.raises(ValueError, match="history"):
        LearningCurvesFigure(History())


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"epochs": 0}, ValueError, "epochs"), ({"interval": -1.0}, ValueError, "interval"),
    ({"metric_label": 3}, TypeError, "metric_label"), ({"log_loss": "yes"}, TypeError, "log_loss"),
    ({"show": 1}, TypeError, "show"),
])
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        LiveLearningCurves(**kwargs)


def test_figure_bad_arguments():
    history = history_of([1.0])
    with pytest.raises(TypeError, match="metric_label"):
        LearningCurvesFigure(history, metric_label=None)
    with pytest.raises(ValueError, match="epochs"):
        LearningCurvesFigure(history, epochs=-2)


def test_the_metric_legend_leaves_accuracies_near_one_uncovered():
    history = History()
    for t in range(40):
        history.record({"train_loss": 1.0 / (t + 1), "val_loss": 0.5 + 0.01 * t,
                        "train_metric": min(1.0, 0.5 + 0.05 * t), "val_metric": min(0.9, 0.5 + 0.04 * t)})
    figure = LearningCurvesFigure(history, metric_label="accuracy")
    agg_canvas(figure.fig).draw()
    ax = figure.axes[1]
    box = ax.get_legend().get_window_extent()
    for key in ("train_metric", "val_metric"):
        points = ax.transData.transform(np.asarray(figure.lines[key].get_xydata()))
        inside = ((box.x0 <= points[:, 0]) & (points[:, 0] <= box.x1)
                  & (box.y0 <= points[:, 1]) & (points[:, 1] <= box.y1))
        assert not np.any(inside), key
