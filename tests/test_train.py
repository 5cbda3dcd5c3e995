"""Tests of dlnotes.train: fit, History, evaluate, predict, the callbacks and input checks."""

import numpy as np
import pytest

from dlnotes import losses, nn, optim
from dlnotes.train import Callback, EarlyStopping, History, evaluate, fit, full_gradient_norm, predict


# -- small problems -------------------------------------------------------------------
def regression_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    y = (np.sin(3 * X[:, :1]) + X[:, 1:] ** 2) + 0.1 * rng.standard_normal((n, 1))
    return X, y


def mlp(n_in=2, n_hidden=16, n_out=1, seed=1, batchnorm=False):
    layers = [nn.Linear(n_in, n_hidden, rng=seed)]
    if batchnorm:
        layers.append(nn.BatchNorm1d(n_hidden))
    layers += [nn.Tanh(), nn.Linear(n_hidden, n_out, rng=seed + 1)]
    return nn.Sequential(*layers)


def overfitting_problem():
    """12 noisy samples of sin(3x) and a 64-64 tanh net: the validation loss (on clean sin(3x)) falls, then rises."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (12, 1))
    y = np.sin(3 * X) + 0.4 * rng.standard_normal((12, 1))
    X_val = np.linspace(-1, 1, 50)[:, None]
    y_val = np.sin(3 * X_val)
    return X, y, X_val, y_val


def overfitting_net():
    return nn.Sequential(
        nn.Linear(1, 64, rng=1), nn.Tanh(), nn.Linear(64, 64, rng=2), nn.Tanh(), nn.Linear(64, 1, rng=3)
    )


def assert_same_weights(a, b):
    state_a, state_b = a.state_dict(), b.state_dict()
    assert state_a.keys() == state_b.keys()
    for key in state_a:
        assert np.array_equal(state_a[key], state_b[key]), key


# -- determinism ----------------------------------------------------------------------
def run(seed, epochs=5):
    X, y = regression_data()
    model = mlp()
    history = fit(
        model, losses.MSELoss(), optim.Adam(model.parameters(), lr=0.01), X, y,
        epochs=epochs, batch_size=8, validation_data=regression_data(20, seed=1), rng=seed, grad_norm=True,
    )
    return model, history


def test_same_seed_gives_identical_history_and_weights():
    model_a, history_a = run(seed=3)
    model_b, history_b = run(seed=3)
    assert history_a == history_b
    assert_same_weights(model_a, model_b)


def test_another_seed_gives_another_run():
    # Only the shuffling differs: the same start, other minibatches.
    model_a, history_a = run(seed=3)
    model_b, history_b = run(seed=4)
    assert history_a.train_loss != history_b.train_loss
    assert not np.array_equal(model_a.state_dict()["0.W"], model_b.state_dict()["0.W"])


# -- the History ----------------------------------------------------------------------
def test_history_series_keys_and_epochs():
    _, history = run(seed=0, epochs=4)
    assert history.keys() == ["train_loss", "val_loss", "grad_norm"]
    assert history["train_loss"] is history.train_loss
    assert "val_loss" in history and "train_metric" not in history
    assert history.train_metric == [] and history.val_metric == []
    assert history.epochs == [1, 2, 3, 4]
    assert history.stopped_epoch == 4 and not history.diverged
    assert history.best_epoch == int(np.argmin(history.val_loss)) + 1
    with pytest.raises(KeyError, match="loss"):
        history["loss"]


def test_history_without_validation_has_no_best_epoch():
    X, y = regression_data()
    model = mlp()
    history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.1), X, y, epochs=2, rng=0)
    assert history.keys() == ["train_loss"]
    assert history.best_epoch is None and history.stopped_epoch == 2
    assert History() == History(train_loss=[], stopped_epoch=0)


def test_train_loss_is_the_batch_weighted_mean_of_minibatch_losses():
    """With lr = 0 the weights stay put, so sum_B |B| L_B / N equals the full-set mean loss.

    40 rows in batches of 16, 16 and 8: unequal batches, so an unweighted mean would differ.
    """
    X, y = regression_data(40)
    model = mlp()
    history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.0), X, y, epochs=2, batch_size=16, rng=0)
    full_loss, _ = evaluate(model, losses.MSELoss(), X, y)
    assert history.train_loss == pytest.approx([full_loss, full_loss], rel=1e-12)


def test_train_metric_is_weighted_the_same_way():
    X = np.array([[1.0], [-1.0], [2.0], [-2.0], [3.0]])
    y = np.array([1, 1, 1, 0, 0])
    model = nn.Sequential(nn.Linear(1, 1, init="zeros"))
    model[0].W.data[...] = 1.0  # logit = x: predictions 1, 0, 1, 0, 1 -> correct, wrong, correct, correct, wrong
    history = fit(
        model, losses.BCEWithLogitsLoss(), optim.SGD(model.parameters(), lr=0.0), X, y[:, None].astype(float),
        epochs=1, batch_size=2, metric="accuracy", shuffle=False,
    )
    # batches: rows 0-1 (1/2 correct), rows 2-3 (2/2), row 4 (0/1): (1 + 2 + 0) / 5
    assert history.train_metric == [pytest.approx(3 / 5)]


def test_float32_stays_float32():
    X, y = regression_data()
    model = nn.Sequential(nn.Linear(2, 8, rng=0, dtype=np.float32), nn.Tanh(), nn.Linear(8, 1, rng=1, dtype=np.float32))
    history = fit(model, losses.MSELoss(), optim.Adam(model.parameters(), lr=0.01), X.astype(np.float32),
                  y.astype(np.float32), epochs=2, rng=0, grad_norm=True)
    assert all(p.data.dtype == np.float32 and p.grad.dtype == np.float32 for p in model.parameters())
    assert predict(model, X.astype(np.float32)).dtype == np.float32
    assert all(isinstance(v, float) for v in history.train_loss + history.grad_norm)


# -- modes ----------------------------------------------------------------------------
class ModeProbe(nn.Module):
    """The identity, recording (training flag, batch size) at every forward."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def forward(self, x):
        self.calls.append((self.training, len(x)))
        return x

    def backward(self, grad_out):
        return grad_out


def test_training_mode_in_steps_and_evaluation_mode_when_measuring():
    X, y = regression_data(10)
    probe = ModeProbe()
    model = nn.Sequential(nn.Linear(2, 1, rng=0), probe)
    fit(
        model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.01), X, y,
        epochs=1, batch_size=4, validation_data=regression_data(7, seed=1), grad_norm=True, rng=0,
    )
    # the data checked once (10, 7), three training minibatches (4, 4, 2),
    # then the validation set (7) and the full gradient (10)
    assert probe.calls == [(False, 10), (False, 7), (True, 4), (True, 4), (True, 2), (False, 7), (False, 10)]


def test_evaluate_and_predict_restore_the_mode():
    model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Dropout(0.5, rng=0))
    X = np.ones((4, 2))
    out = predict(model, X)
    assert model.training and model[1].training
    assert np.array_equal(out, model[0](X))  # Dropout is the identity in evaluation mode
    model.eval()
    evaluate(model, losses.MSELoss(), X, np.zeros((4, 3)))
    assert not model.training


def test_predict_in_chunks_gives_the_same_outputs():
    model = mlp(n_out=3)
    X = np.random.default_rng(0).standard_normal((23, 2))
    np.testing.assert_allclose(predict(model, X, batch_size=5), predict(model, X), rtol=1e-12)
    assert predict(model, X, batch_size=5).shape == (23, 3)


# -- early stopping -------------------------------------------------------------------
def test_early_stopping_restores_the_weights_of_the_best_epoch():
    X, y, X_val, y_val = overfitting_problem()
    model = overfitting_net()
    patience = 10
    history = fit(
        model, losses.MSELoss(), optim.Adam(model.parameters(), lr=0.01), X, y,
        epochs=300, batch_size=4, validation_data=(X_val, y_val), patience=patience, rng=0,
    )
    best = history.best_epoch
    # The validation loss did rise: the run stopped `patience` epochs after its minimum.
    assert best == int(np.argmin(history.val_loss)) + 1
    assert history.stopped_epoch == best + patience < 300
    assert len(history.val_loss) == history.stopped_epoch
    assert min(history.val_loss[best:]) >= history.val_loss[best - 1]
    assert not history.diverged

    # A run of exactly `best` epochs from the same start and seed is the snapshot at the best epoch.
    snapshot = overfitting_net()
    short = fit(
        snapshot, losses.MSELoss(), optim.Adam(snapshot.parameters(), lr=0.01), X, y,
        epochs=best, batch_size=4, validation_data=(X_val, y_val), rng=0,
    )
    assert short.val_loss == history.val_loss[:best]
    assert_same_weights(model, snapshot)
    assert evaluate(model, losses.MSELoss(), X_val, y_val)[0] == history.val_loss[best - 1]


def test_grad_norm_is_still_large_where_early_stopping_stops():
    """Chapter 3: training ends at a stopping criterion, not at a minimum, where the gradient is 0."""
    X, y, X_val, y_val = overfitting_problem()
    model = overfitting_net()
    history = fit(
        model, losses.MSELoss(), optim.Adam(model.parameters(), lr=0.01), X, y,
        epochs=300, batch_size=4, validation_data=(X_val, y_val), patience=10, rng=0, grad_norm=True,
    )
    assert len(history.grad_norm) == history.stopped_epoch
    at_best = history.grad_norm[history.best_epoch - 1]
    assert at_best == pytest.approx(full_gradient_norm(model, losses.MSELoss(), X, y), rel=1e-12)
    assert at_best > 0.01


def test_full_gradient_norm_of_a_linear_model_in_closed_form():
    """For y = x W + b with J = mean (x W + b - t)^2 over N rows: dJ/dW = 2 X^T r / N, dJ/db = 2 sum(r) / N."""
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    t = np.array([[1.0], [0.0], [2.0]])
    layer = nn.Linear(2, 1, init="zeros")
    layer.W.data[...] = [[0.5], [-1.0]]
    layer.b.data[...] = 0.25
    r = X @ layer.W.data + 0.25 - t  # residuals -2.25, 1.25, -1.25
    expected = np.sqrt(np.sum((2 * X.T @ r / 3) ** 2) + (2 * np.sum(r) / 3) ** 2)
    assert full_gradient_norm(layer, losses.MSELoss(), X, t) == pytest.approx(expected, rel=1e-12)
    assert np.all(layer.W.grad == 0) and np.all(layer.b.grad == 0)


# -- saving and resuming --------------------------------------------------------------
@pytest.mark.parametrize(
    ("make_optimizer"),
    [
        lambda params: optim.Adam(params, lr=0.01, amsgrad=True),
        lambda params: optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True),
        lambda params: optim.RMSprop(params, lr=0.01, momentum=0.5, centered=True),
    ],
    ids=["Adam", "SGD-nesterov", "RMSprop-centered"],
)
def test_state_dicts_resume_training_bit_for_bit(make_optimizer):
    X, y = regression_data(50)
    total, first = 6, 2

    model = mlp(batchnorm=True)
    straight = fit(model, losses.MSELoss(), make_optimizer(model.parameters()), X, y,
                   epochs=total, batch_size=16, rng=np.random.default_rng(7))

    rng = np.random.default_rng(7)  # one Generator across both calls: the same permutations in order
    model_a = mlp(batchnorm=True)
    opt_a = make_optimizer(model_a.parameters())
    part_1 = fit(model_a, losses.MSELoss(), opt_a, X, y, epochs=first, batch_size=16, rng=rng)
    saved_model, saved_opt = model_a.state_dict(), opt_a.state_dict()

    model_b = mlp(seed=99, batchnorm=True)  # another start, overwritten by the saved state
    opt_b = make_optimizer(model_b.parameters())
    model_b.load_state_dict(saved_model)
    opt_b.load_state_dict(saved_opt)
    part_2 = fit(model_b, losses.MSELoss(), opt_b, X, y, epochs=total - first, batch_size=16, rng=rng)

    assert part_1.train_loss + part_2.train_loss == straight.train_loss
    assert_same_weights(model_b, model)  # parameters and BatchNorm's running statistics


# -- divergence -----------------------------------------------------------------------
@pytest.mark.parametrize("lr", [1e3, 1e200], ids=["loss-grows-past-the-limit", "loss-overflows-to-inf"])
def test_a_huge_learning_rate_diverges_quietly(lr):
    X, y = regression_data()
    model = mlp()
    # Floating-point errors raise here: only fit's own guarded step may overflow.
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=lr), X, y, epochs=20, rng=0)
    assert history.diverged
    assert history.stopped_epoch < 20
    assert len(history.train_loss) == history.stopped_epoch - 1  # the diverging epoch is not recorded
    assert all(np.isfinite(history.train_loss))


def test_after_divergence_the_model_takes_a_new_forward_and_backward():
    X, y = regression_data()
    model = mlp()
    with np.errstate(all="ignore"):
        history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=1e3), X, y, epochs=20, rng=0)
    assert history.diverged
    out = model(X[:4])
    grad_in = model.backward(np.ones_like(out))  # no pass of the diverging step left waiting
    assert grad_in.shape == X[:4].shape


def test_a_moderate_learning_rate_does_not_diverge():
    X, y = regression_data()
    model = mlp()
    history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.1), X, y, epochs=20, rng=0)
    assert not history.diverged and history.stopped_epoch == 20
    assert history.train_loss[-1] < history.train_loss[0]


def slowly_diverging_run(epochs, patience=None):
    """Full-batch gradient descent on a least-squares line with lr = 2.5 / lambda_max.

    Along the steepest direction each step multiplies the error by |1 - 2.5| = 1.5,
    so the loss grows by 2.25 per epoch and passes the divergence limit after a
    dozen or so epochs, while the first epochs are still finite.
    """
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 2)) * np.array([1.0, 3.0])
    y = X @ np.array([[1.0], [-2.0]])
    lam_max = np.linalg.eigvalsh(2 * X.T @ X / len(X)).max()
    model = nn.Linear(2, 1, bias=False, init="zeros")
    history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=2.5 / lam_max), X, y,
                  epochs=epochs, batch_size=20, shuffle=False, validation_data=(X, y), patience=patience)
    return model, history


def test_divergence_with_patience_restores_the_best_epoch():
    model, history = slowly_diverging_run(epochs=100, patience=100)
    assert history.diverged
    assert 3 <= history.stopped_epoch < 100
    assert len(history.val_loss) == history.stopped_epoch - 1
    assert history.best_epoch == int(np.argmin(history.val_loss)) + 1
    snapshot, _ = slowly_diverging_run(epochs=history.best_epoch)
    assert_same_weights(model, snapshot)


def test_verbose_prints_one_line_per_epoch(capsys):
    X, y = regression_data(10)
    model = mlp()
    fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.1), X, y, epochs=2, verbose=True,
        validation_data=(X, y), rng=0)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("epoch 1/2") and "val_loss" in lines[1]


def test_evaluate_with_accuracy_and_a_callable_metric():
    model = nn.Sequential(nn.Linear(1, 2, init="zeros"))
    model[0].W.data[...] = [[1.0, -1.0]]  # logits (x, -x): class 0 where x > 0
    X = np.array([[1.0], [-2.0], [3.0]])
    y = np.array([0, 0, 0])
    loss, acc = evaluate(model, losses.CrossEntropyLoss(), X, y, metric="accuracy")
    assert acc == pytest.approx(2 / 3)
    # cross-entropy of logits (x, -x) for class 0 is log(1 + exp(-2x))
    assert loss == pytest.approx(np.mean(np.log1p(np.exp([-2.0, 4.0, -6.0]))))
    _, mean_abs = evaluate(model, losses.CrossEntropyLoss(), X, y, metric=lambda out, t: float(np.abs(out).mean()))
    assert mean_abs == pytest.approx(2.0)
    assert evaluate(model, losses.CrossEntropyLoss(), X, y)[1] is None


# -- bad input ------------------------------------------------------------------------
def fit_args(**overrides):
    X, y = regression_data(10)
    model = mlp()
    args = dict(model=model, loss_fn=losses.MSELoss(), optimizer=optim.SGD(model.parameters(), lr=0.1),
                X=X, y=y, epochs=1)
    args.update(overrides)
    return args


@pytest.mark.parametrize(
    ("overrides", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": 1.5}, TypeError, "epochs"),
        ({"epochs": "3"}, TypeError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 2.0}, TypeError, "batch_size"),
        ({"X": np.ones(10)}, ValueError, "X must be 2-D"),
        ({"X": np.full((10, 2), np.nan)}, ValueError, "X must be finite"),
        ({"y": np.ones((9, 1))}, ValueError, r"y must have one row per row of X \(10\), got shape \(9, 1\)"),
        ({"y": np.array(["a"] * 10)}, TypeError, "y must be an array of numbers"),
        ({"patience": 0, "validation_data": regression_data(5)}, ValueError, "patience"),
        ({"patience": 2}, ValueError, "patience=2 needs validation_data"),
        ({"metric": "acc"}, ValueError, r"metric must be one of \['accuracy'\], got 'acc'"),
        ({"metric": 3}, TypeError, "metric"),
        ({"validation_data": np.ones((5, 2))}, TypeError, "validation_data must be a pair"),
        ({"validation_data": (np.ones((5, 3)), np.ones((5, 1)))}, ValueError, "validation_data\\[0\\] must have 2"),
        ({"validation_data": (np.ones((5, 2)), np.ones((4, 1)))}, ValueError, r"validation_data\[1\]"),
        ({"shuffle": "yes"}, TypeError, "shuffle"),
        ({"grad_norm": 1}, TypeError, "grad_norm"),
        ({"verbose": None}, TypeError, "verbose"),
        ({"rng": -1}, ValueError, "rng"),
        ({"rng": 0.5}, TypeError, "rng"),
        ({"loss_fn": losses.MSELoss(reduction="sum")}, ValueError, "loss_fn must use reduction='mean'"),
        ({"loss_fn": np.mean}, TypeError, "loss_fn"),
        ({"optimizer": "adam"}, TypeError, "optimizer"),
        ({"model": lambda x: x}, TypeError, "model"),
    ],
)
def test_fit_rejects_bad_input(overrides, error, match):
    with pytest.raises(error, match=match):
        fit(**fit_args(**overrides))


def test_evaluate_and_predict_reject_bad_input():
    model = mlp()
    with pytest.raises(ValueError, match="X must be 2-D"):
        predict(model, np.ones(3))
    with pytest.raises(ValueError, match="batch_size"):
        predict(model, np.ones((3, 2)), batch_size=0)
    with pytest.raises(TypeError, match="model"):
        predict("model", np.ones((3, 2)))
    with pytest.raises(ValueError, match="y must have one row per row of X"):
        evaluate(model, losses.MSELoss(), np.ones((3, 2)), np.ones((2, 1)))
    with pytest.raises(ValueError, match="metric"):
        evaluate(model, losses.MSELoss(), np.ones((3, 2)), np.ones((3, 1)), metric="f1")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("label", r"y does not suit the loss: .*target must hold class indices in \[0, 1\].*got 7 at position 19"),
        ("nan", r"y does not suit the loss: .*target must be finite"),
        ("features", r"X does not suit the model: .*x must have shape"),
    ],
)
def test_bad_data_fails_before_the_weights_move(bad, message):
    from dlnotes.losses import CrossEntropyLoss, MSELoss
    from dlnotes.nn import Linear
    from dlnotes.optim import SGD

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 2))
    if bad == "label":
        model, loss, y = Linear(2, 2, rng=0), CrossEntropyLoss(), np.r_[np.zeros(19, int), 7]
    elif bad == "nan":
        model, loss, y = Linear(2, 1, rng=0), MSELoss(), np.r_[np.zeros(19), np.nan].reshape(-1, 1)
    else:
        model, loss, y, X = Linear(2, 1, rng=0), MSELoss(), np.zeros((20, 1)), rng.standard_normal((20, 3))
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        fit(model, loss, SGD(model.parameters(), lr=0.1), X, y, epochs=1, batch_size=5, shuffle=False)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


# -- callbacks ------------------------------------------------------------------------
class Recorder(Callback):
    """Writes down every hook call, with copies of the series as they stood at that moment."""

    def __init__(self, stop_at=None):
        self.calls, self.stop_at = [], stop_at

    def on_train_begin(self, history):
        self.calls.append(("begin", len(history.train_loss)))

    def on_epoch_end(self, epoch, history):
        self.calls.append(("epoch", epoch, {key: list(history[key]) for key in history.keys()}))
        return epoch == self.stop_at

    def on_train_end(self, history):
        self.calls.append(("end", history.stopped_epoch, history.diverged))


def test_callback_hooks_see_each_epoch_as_it_is_recorded():
    X, y = regression_data()
    model = mlp()
    recorder = Recorder()
    history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.05), X, y, epochs=3,
                  validation_data=regression_data(10, seed=1), callbacks=[recorder], grad_norm=True, rng=0)
    assert recorder.model is model
    assert [call[0] for call in recorder.calls] == ["begin", "epoch", "epoch", "epoch", "end"]
    assert recorder.calls[0] == ("begin", 0) and recorder.calls[-1] == ("end", 3, False)
    for epoch, (_, number, series) in enumerate(recorder.calls[1:4], start=1):
        assert number == epoch
        assert series == {key: history[key][:epoch] for key in ("train_loss", "val_loss", "grad_norm")}


def test_a_callback_that_returns_true_stops_after_that_epoch_and_every_callback_sees_it():
    X, y = regression_data()
    model = mlp()
    stopper, watcher = Recorder(stop_at=2), Recorder()
    history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.05), X, y, epochs=10,
                  callbacks=[stopper, watcher], rng=0)
    assert history.stopped_epoch == 2 and len(history.train_loss) == 2
    assert [call[:2] for call in watcher.calls] == [("begin", 0), ("epoch", 1), ("epoch", 2), ("end", 2)]


def test_on_train_end_runs_after_divergence_and_the_diverging_epoch_gets_no_on_epoch_end():
    X, y = regression_data()
    model = mlp()
    recorder = Recorder()
    history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=1e3), X, y, epochs=20,
                  callbacks=[recorder], rng=0)
    assert history.diverged
    epochs_seen = [call[1] for call in recorder.calls if call[0] == "epoch"]
    assert epochs_seen == list(range(1, history.stopped_epoch))
    assert recorder.calls[-1] == ("end", history.stopped_epoch, True)


def test_patience_is_an_early_stopping_callback():
    X, y, X_val, y_val = overfitting_problem()
    runs = []
    for kwargs in ({"patience": 10}, {"callbacks": [EarlyStopping(10)]}):
        model = overfitting_net()
        history = fit(model, losses.MSELoss(), optim.Adam(model.parameters(), lr=0.01), X, y,
                      epochs=300, batch_size=4, validation_data=(X_val, y_val), rng=0, **kwargs)
        runs.append((model, history))
    (model_a, history_a), (model_b, history_b) = runs
    assert history_a == history_b and history_a.stopped_epoch < 300
    assert_same_weights(model_a, model_b)


def feed(stopper, val_losses):
    """Give ``stopper`` one epoch per validation loss, as fit would; return its answers and the history."""
    stopper.model = nn.Linear(1, 1, rng=0)
    history = History()
    stopper.on_train_begin(history)
    answers = []
    for epoch, loss in enumerate(val_losses, start=1):
        history.record({"train_loss": 0.0, "val_loss": loss})
        answers.append(stopper.on_epoch_end(epoch, history))
    return answers, history


def test_early_stopping_counts_only_improvements_larger_than_min_delta():
    """Validation losses 1.0, 0.95, 0.5, 0.45, 0.44: with min_delta 0.1 only epochs 1 and 3 improve."""
    losses_ = [1.0, 0.95, 0.5, 0.45, 0.44]
    stopper = EarlyStopping(patience=2, min_delta=0.1)
    answers, history = feed(stopper, losses_)
    assert answers == [False, False, False, False, True]
    assert stopper.best_epoch == 3 and stopper.best_loss == 0.5
    assert history.best_epoch == 5  # the lowest validation loss, whatever min_delta says
    plain = EarlyStopping(patience=2)
    assert feed(plain, losses_)[0] == [False] * 5 and plain.best_epoch == 5


def test_early_stopping_without_restoring_keeps_the_last_weights():
    X, y, X_val, y_val = overfitting_problem()
    model = overfitting_net()
    stopper = EarlyStopping(10, restore_best_weights=False)
    history = fit(model, losses.MSELoss(), optim.Adam(model.parameters(), lr=0.01), X, y,
                  epochs=300, batch_size=4, validation_data=(X_val, y_val), callbacks=[stopper], rng=0)
    assert history.stopped_epoch == stopper.best_epoch + 10 == history.best_epoch + 10
    assert evaluate(model, losses.MSELoss(), X_val, y_val)[0] == history.val_loss[-1]
    assert history.val_loss[-1] > history.val_loss[history.best_epoch - 1]


@pytest.mark.parametrize(
    ("overrides", "error", "match"),
    [
        ({"callbacks": Callback()}, TypeError, "callbacks must be a list"),
        ({"callbacks": [print]}, TypeError, r"callbacks\[0\] must be a dlnotes.train.Callback"),
        ({"callbacks": [EarlyStopping(3)]}, ValueError,
         r"callbacks\[0\] EarlyStopping\(patience=3.*needs validation_data"),
        ({"drop_last": "no"}, TypeError, "drop_last must be True or False"),
    ],
)
def test_fit_rejects_bad_callbacks_and_drop_last(overrides, error, match):
    with pytest.raises(error, match=match):
        fit(**fit_args(**overrides))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"patience": 0}, ValueError, r"patience must be in \[1, inf\), got 0"),
        ({"patience": 2.5}, TypeError, "patience must be an integer"),
        ({"patience": 2, "min_delta": -0.1}, ValueError, "min_delta"),
        ({"patience": 2, "restore_best_weights": 1}, TypeError, "restore_best_weights"),
    ],
)
def test_early_stopping_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        EarlyStopping(**kwargs)


def test_callback_and_early_stopping_are_documented_with_their_chapter():
    for obj in (Callback, EarlyStopping):
        assert "Chapter 3" in obj.__doc__ or "Chapters 3" in obj.__doc__


# -- drop_last and BatchNorm ----------------------------------------------------------
def test_drop_last_leaves_out_the_short_batch():
    """10 rows in batches of 4, in order, with lr = 0: the epoch sees rows 0-7, so its loss is their mean."""
    X, y = regression_data(10)
    model = mlp()
    history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.0), X, y, epochs=1,
                  batch_size=4, shuffle=False, drop_last=True)
    assert history.train_loss == [pytest.approx(evaluate(model, losses.MSELoss(), X[:8], y[:8])[0], rel=1e-12)]


@pytest.mark.parametrize(("n", "batch_size", "advice"), [(41, 8, "drop_last=True"), (40, 1, "batch_size >= 2")])
def test_batchnorm_with_a_batch_of_one_fails_before_the_first_step(n, batch_size, advice):
    X, y = regression_data(n)
    model = mlp(batchnorm=True)
    before = model.state_dict()  # parameters and running statistics
    with pytest.raises(ValueError, match=rf"batch_size={batch_size} with drop_last=False .*BatchNorm1d.*{advice}"):
        fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.1), X, y, epochs=1,
            batch_size=batch_size, rng=0)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])
    history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.1), X, y, epochs=1, batch_size=8,
                  drop_last=True, rng=0)
    assert len(history.train_loss) == 1


def test_drop_last_with_fewer_rows_than_a_batch_is_refused():
    with pytest.raises(ValueError, match="batch_size=32 with drop_last=True leaves no batch of the 10 rows of X"):
        fit(**fit_args(drop_last=True))


# -- accuracy for every classification loss ------------------------------------------
def fixed_logit_model(final=None):
    """logit = x (W = 1, b = 0), optionally followed by ``final`` (such as Sigmoid)."""
    layer = nn.Linear(1, 1, init="zeros")
    layer.W.data[...] = 1.0
    return nn.Sequential(layer, *([final] if final else []))


# logits -2, -0.5, 0.5, 1, 3 predict 0, 0, 1, 1, 1 against 0, 0, 0, 1, 1: four of five correct,
# while a threshold of 0 on probabilities predicts 1 everywhere and counts the share of ones, 2/5
ONE_COLUMN_X = np.array([[-2.0], [-0.5], [0.5], [1.0], [3.0]])
ONE_COLUMN_Y = np.array([[0.0], [0.0], [0.0], [1.0], [1.0]])


@pytest.mark.parametrize(
    ("make_model", "loss_fn", "y"),
    [
        (lambda: fixed_logit_model(nn.Sigmoid()), losses.BCELoss(), ONE_COLUMN_Y),
        (fixed_logit_model, losses.BCEWithLogitsLoss(), ONE_COLUMN_Y),
        (fixed_logit_model, losses.SoftMarginLoss(), 2 * ONE_COLUMN_Y - 1),
        (fixed_logit_model, losses.HingeLoss(), 2 * ONE_COLUMN_Y - 1),
        (fixed_logit_model, losses.ExponentialLoss(), 2 * ONE_COLUMN_Y - 1),
    ],
    ids=["sigmoid-BCELoss", "logits-BCEWithLogitsLoss", "margins-SoftMarginLoss", "margins-HingeLoss",
         "margins-ExponentialLoss"],
)
def test_accuracy_of_one_output_column_is_the_true_accuracy(make_model, loss_fn, y):
    model = make_model()
    _, acc = evaluate(model, loss_fn, ONE_COLUMN_X, y, metric="accuracy")
    assert acc == pytest.approx(4 / 5)
    history = fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.0), ONE_COLUMN_X, y, epochs=1, batch_size=5,
                  validation_data=(ONE_COLUMN_X, y), metric="accuracy")
    assert history.train_metric == [pytest.approx(4 / 5)] and history.val_metric == [pytest.approx(4 / 5)]


@pytest.mark.parametrize("loss_fn", [losses.MSELoss(), losses.L1Loss()], ids=["MSELoss", "L1Loss"])
def test_accuracy_with_a_regression_loss_is_refused(loss_fn):
    model = fixed_logit_model()
    message = r"metric='accuracy' needs a classification loss \(BCELoss, .*CrossEntropyLoss\).*got loss_fn="
    with pytest.raises(ValueError, match=message):
        evaluate(model, loss_fn, ONE_COLUMN_X, ONE_COLUMN_Y, metric="accuracy")
    with pytest.raises(ValueError, match=message):
        fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.1), ONE_COLUMN_X, ONE_COLUMN_Y, epochs=1,
            metric="accuracy")


# -- evaluation keeps nothing for backward ----------------------------------------------
def training_gradients(between=None):
    """Parameter gradients of one training forward and backward, with ``between(model, loss)`` run in the middle."""
    X, y = regression_data(8)
    model, loss = mlp(batchnorm=True), losses.MSELoss()
    out = model(X)
    loss.forward(out, y)
    if between is not None:
        between(model, loss)
    grad_input = model.backward(loss.backward())
    return [grad_input] + [p.grad for p in model.parameters()] + [model[1].running_mean]


@pytest.mark.parametrize(
    "between",
    [
        lambda model, loss: evaluate(model, loss, *regression_data(5, seed=2), metric=lambda out, t: 0.0),
        lambda model, loss: predict(model, regression_data(5, seed=2)[0]),
        lambda model, loss: predict(model, regression_data(8, seed=2)[0]),  # a batch of the training batch's shape
    ],
    ids=["evaluate", "predict", "predict-same-shape"],
)
def test_evaluation_between_forward_and_backward_leaves_the_gradients_alone(between):
    for reference, disturbed in zip(training_gradients(), training_gradients(between)):
        np.testing.assert_array_equal(disturbed, reference)


def test_fits_validation_pass_keeps_nothing_for_backward():
    """After the epoch's last step only the validation forward has run: under no_grad, backward finds nothing."""

    class TryBackward(Callback):
        def __init__(self):
            self.errors = []

        def on_epoch_end(self, epoch, history):
            try:
                self.model.backward(np.ones((7, 1)))
            except RuntimeError as exc:
                self.errors.append(str(exc))
            return False

    X, y = regression_data(10)
    model = mlp()
    probe = TryBackward()
    fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.1), X, y, epochs=2,
        validation_data=regression_data(7, seed=1), callbacks=[probe], rng=0)
    assert len(probe.errors) == 2 and all("no_grad" in error for error in probe.errors)


# -- clear errors: ragged lists and NumPy scalars ----------------------------------------
RAGGED = [[0.0], [1.0, 2.0], [0.0], [1.0], [0.0], [1.0], [0.0], [1.0], [0.0], [1.0]]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: fit(**fit_args(y=RAGGED)), r"^y must be an array of numbers with rows of equal length"),
        (lambda: fit(**fit_args(X=RAGGED)), r"^X must be an array of numbers with rows of equal length"),
        (lambda: fit(**fit_args(validation_data=(np.ones((2, 2)), [[1.0], [1.0, 2.0]]))),
         r"^validation_data\[1\] must be an array of numbers with rows of equal length"),
        (lambda: evaluate(mlp(), losses.MSELoss(), np.ones((10, 2)), RAGGED), r"^y must be an array of numbers"),
    ],
    ids=["fit-y", "fit-X", "fit-validation-y", "evaluate-y"],
)
def test_ragged_lists_are_named(call, match):
    with pytest.raises(TypeError, match=match) as info:
        call()
    assert "inhomogeneous" not in str(info.value)


def test_numpy_scalars_are_accepted_as_numbers():
    X, y = regression_data(30)
    X_val, y_val = regression_data(10, seed=1)
    runs = []
    for number in (int, np.int64):
        model = mlp()
        history = fit(model, losses.MSELoss(), optim.SGD(model.parameters(), lr=0.1), X, y, epochs=number(3),
                      batch_size=number(8), validation_data=(X_val, y_val), patience=number(1), rng=number(0))
        runs.append(history)
    assert runs[0] == runs[1]
    stopper = EarlyStopping(np.int64(2), min_delta=np.float32(0.25))
    assert (stopper.patience, stopper.min_delta) == (2, 0.25)
    np.testing.assert_array_equal(predict(mlp(), X, batch_size=np.int64(7)), predict(mlp(), X, batch_size=7))
