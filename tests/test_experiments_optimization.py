"""Tests of dlnotes.book.experiments.ch03_optimization (Chapter 3): closed forms on hand-made linear models."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.book.experiments import mlp
from dlnotes.book.experiments.ch03_optimization import (
    VERDICTS,
    EpochEndLoss,
    Scheduled,
    classify_learning_curves,
    cosine_decay,
    linear_warmup,
    schedule_comparison,
    step_decay,
    warmup_cosine,
    flat_gradient,
    gradient_spread,
    learning_rate_sweep,
    shuffling_comparison,
    standard_error,
)
from dlnotes.losses import CrossEntropyLoss, MSELoss
from dlnotes.data import make_moons
from dlnotes.nn import Linear, Tanh
from dlnotes.optim import SGD
from dlnotes.train import evaluate, fit


def scalar_model(w=0.0):
    """f(x) = w x, one weight, no bias."""
    layer = Linear(1, 1, bias=False, init="zeros")
    layer.W.data[:] = w
    return layer


def test_mlp_layers_and_seed():
    net = mlp([2, 5, 4, 3], rng=0)
    assert [type(m).__name__ for m in net] == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert [p.shape for p in net.parameters()] == [(2, 5), (5,), (5, 4), (4,), (4, 3), (3,)]
    again = mlp([2, 5, 4, 3], rng=0)
    assert all(np.array_equal(a.data, b.data) for a, b in zip(net.parameters(), again.parameters()))
    assert isinstance(mlp([2, 3, 1], activation="tanh")[1], Tanh)


@pytest.mark.parametrize("sizes", [[2], [2, 0, 1], [2, 1.5]])
def test_mlp_bad_sizes(sizes):
    with pytest.raises((ValueError, TypeError), match="sizes"):
        mlp(sizes)


def test_mlp_bad_activation():
    with pytest.raises(ValueError, match="activation"):
        mlp([2, 3], activation="swish")


def test_flat_gradient_by_hand():
    # J(w) = mean((w x - y)^2) at w = 1, x = (1, 2), y = 0: dJ/dw = 2/2 * (1*1 + 2*2) = 5
    g = flat_gradient(scalar_model(1.0), MSELoss(), np.array([[1.0], [2.0]]), np.zeros((2, 1)))
    np.testing.assert_allclose(g, [5.0])


def test_standard_error_by_hand():
    # rows +-1: mean 0, sigma = 1, so SE(4) = 1/2
    assert standard_error(np.array([[1.0], [-1.0]]), 4) == pytest.approx(0.5)
    # rows (2,0), (0,2): mean (1,1), squared distances 2, sigma = sqrt(2), SE(2) = 1
    assert standard_error(np.array([[2.0, 0.0], [0.0, 2.0]]), 2) == pytest.approx(1.0)


def test_standard_error_bad_input():
    with pytest.raises(ValueError, match="m"):
        standard_error(np.ones((3, 2)), 0)
    with pytest.raises(ValueError, match="per_example"):
        standard_error(np.ones(3), 1)


def _plus_minus_data(n=40):
    # f = w x with w = 0, x = 1, y = +-1: per-example MSE gradients 2 x (w x - y) = -2y = -+2, mean 0, sigma 2
    X = np.ones((n, 1))
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)[:, None]
    return X, y


def test_gradient_spread_matches_sigma_over_sqrt_m():
    X, y = _plus_minus_data()
    out = gradient_spread(scalar_model(), MSELoss(), X, y, [1, 4, 16], draws=2000, rng=0)
    assert out.sigma == pytest.approx(2.0)
    np.testing.assert_allclose(out.predicted, 2.0 / np.sqrt([1, 4, 16]))
    np.testing.assert_allclose(out.spread, out.predicted, rtol=0.1)
    # per-example gradients of (w x - y)^2 at w = 0 are -2 x y, one row per example
    np.testing.assert_allclose(out.per_example, -2 * X * y)
    assert standard_error(out.per_example, 4) == pytest.approx(out.predicted[1])


def test_gradient_spread_without_replacement_full_batch_is_exact():
    X, y = _plus_minus_data(10)
    out = gradient_spread(scalar_model(), MSELoss(), X, y, [10], draws=5, replace=False, rng=0)
    np.testing.assert_allclose(out.predicted, [0.0], atol=1e-12)
    np.testing.assert_allclose(out.spread, [0.0], atol=1e-12)


def test_gradient_spread_bad_batch_size():
    X, y = _plus_minus_data(10)
    with pytest.raises(ValueError, match="batch_sizes"):
        gradient_spread(scalar_model(), MSELoss(), X, y, [11])


def test_learning_rate_sweep_closed_form():
    # J(w) = (w - 1)^2 from w = 0 with full-batch steps w <- w - lr * 2 (w - 1):
    # the error w - 1 is multiplied by (1 - 2 lr) per epoch, the loss by (1 - 2 lr)^2.
    X, y = np.ones((4, 1)), np.ones((4, 1))
    lrs = [0.25, 0.5, 1.5]
    sweep = learning_rate_sweep(scalar_model, MSELoss(), X, y, lrs, epochs=3, batch_size=4)
    np.testing.assert_allclose(sweep.lrs, lrs)
    expected = np.array([[(1 - 2 * lr) ** (2 * t) for t in range(4)] for lr in lrs])
    np.testing.assert_allclose(sweep.loss, expected, atol=1e-12)


def test_learning_rate_sweep_marks_divergence_with_inf():
    X, y = np.ones((4, 1)), np.ones((4, 1))
    sweep = learning_rate_sweep(scalar_model, MSELoss(), X, y, [100.0], epochs=10, batch_size=4)
    assert sweep.loss[0, 0] == pytest.approx(1.0)
    assert np.isinf(sweep.loss[0, -1])


def test_learning_rate_sweep_bad_lr():
    with pytest.raises(ValueError, match="lrs"):
        learning_rate_sweep(scalar_model, MSELoss(), np.ones((4, 1)), np.ones((4, 1)), [0.1, -1.0])


def test_shuffling_comparison_full_batch_order_does_not_matter():
    X = np.linspace(-1, 1, 24)[:, None] * np.array([[1.0, -2.0]])
    y = (np.arange(24) % 3).astype(np.int64)
    curves = shuffling_comparison(lambda: mlp([2, 4, 3], rng=0), CrossEntropyLoss(), X, y, lr=0.5, epochs=4, batch_size=24)
    assert curves.shuffled.shape == curves.sorted.shape == (5,)
    np.testing.assert_allclose(curves.shuffled, curves.sorted, rtol=1e-10)


def test_shuffling_comparison_sorted_minibatches_are_worse():
    from dlnotes.data import make_spirals

    X, y = make_spirals(150, noise=0.2, rng=0)
    curves = shuffling_comparison(lambda: mlp([2, 16, 3], rng=0), CrossEntropyLoss(), X, y, lr=0.3, epochs=8, batch_size=15)
    assert curves.sorted[-1] > curves.shuffled[-1]


def test_classify_learning_curves_by_hand():
    t = np.arange(7)
    loss = np.array([
        1.0 - 0.02 * t,  # still near the start: slow
        0.5**t + 0.1,  # settles at 0.1: good
        0.5 - 0.3 * (t % 2),  # 0.5, 0.2, 0.5, ...: each even epoch rises 2.5 times above the best so far
        np.where(t < 4, 1.0 - 0.1 * t, 3.0),  # the last epochs above the start: diverging
        [1.0, 0.5, np.inf, np.inf, np.inf, np.inf, np.inf],  # overflowed: diverging
    ])
    assert classify_learning_curves(loss) == ["slow", "good", "oscillating", "diverging", "diverging"]
    assert set(classify_learning_curves(loss)) <= set(VERDICTS)
    # a smaller jump factor would not call a gentle wobble of 10% good
    wobble = np.array([[1.0, 0.5, 0.3, 0.33, 0.3, 0.33, 0.3]])
    assert classify_learning_curves(wobble) == ["good"]
    assert classify_learning_curves(wobble, jump=1.05) == ["oscillating"]


def test_classify_learning_curves_bad_input():
    with pytest.raises(ValueError, match="loss"):
        classify_learning_curves(np.ones(5))
    with pytest.raises(ValueError, match="window"):
        classify_learning_curves(np.ones((2, 5)), window=5)
    with pytest.raises(ValueError, match="jump"):
        classify_learning_curves(np.ones((2, 5)), jump=0.5)


def test_epoch_end_loss_is_the_loss_at_the_weights_after_each_epoch():
    """With one minibatch per epoch, fit's train_loss of epoch t + 1 is measured at the weights after epoch t."""
    X, y = make_moons(40, noise=0.2, rng=0)
    net = mlp([2, 8, 2], rng=0)
    at_end = EpochEndLoss(CrossEntropyLoss(), X, y)
    history = fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.5), X, y, epochs=5, batch_size=40,
                  validation_data=(X, y), callbacks=[at_end], rng=0)
    assert len(at_end.values) == 5
    np.testing.assert_allclose(at_end.values[:-1], history["train_loss"][1:])
    np.testing.assert_allclose(at_end.values, history["val_loss"])  # validation on the training set: the same weights
    assert at_end.values[-1] == pytest.approx(evaluate(net, CrossEntropyLoss(), X, y)[0])


def test_epoch_end_loss_leaves_the_run_unchanged_and_restarts():
    X, y = make_moons(60, noise=0.2, rng=1)
    runs = []
    for callbacks in ([], [EpochEndLoss(CrossEntropyLoss(), X, y)]):
        net = mlp([2, 8, 2], rng=0)
        runs.append(fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.3), X, y, epochs=3, batch_size=16,
                        callbacks=callbacks, rng=0)["train_loss"])
    np.testing.assert_array_equal(runs[0], runs[1])
    at_end = EpochEndLoss(CrossEntropyLoss(), X, y)
    for _ in range(2):
        net = mlp([2, 8, 2], rng=0)
        fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.3), X, y, epochs=2, callbacks=[at_end], rng=0)
    assert len(at_end.values) == 2


def test_step_decay_by_hand():
    # epsilon_t = 2 * 0.5 ** floor(t / 3)
    np.testing.assert_allclose(step_decay(np.arange(7), 2.0, step_size=3, gamma=0.5), [2, 2, 2, 1, 1, 1, 0.5])
    assert step_decay(100, 1.0, step_size=50) == pytest.approx(0.01) and isinstance(step_decay(0, 1.0, step_size=1), float)


def test_cosine_decay_by_hand():
    # (lr + lr_min)/2 half-way, lr_min at the end and after it, and cos(pi/3) = 1/2 at a third
    t = np.array([0, 25, 50, 100, 150])
    np.testing.assert_allclose(cosine_decay(t, 3.0, total=100, lr_min=1.0), [3.0, 1 + (2 + np.sqrt(2)) / 2, 2.0, 1.0, 1.0])
    assert cosine_decay(1, 1.0, total=3) == pytest.approx(0.75)


def test_linear_warmup_by_hand():
    np.testing.assert_allclose(linear_warmup(np.array([0, 2, 4, 9]), 2.0, warmup=4, start_factor=0.5), [1.0, 1.5, 2.0, 2.0])
    assert linear_warmup(0, 1.0, warmup=10) == pytest.approx(0.1)  # PyTorch LinearLR's start, start_factor 0.1


def test_warmup_cosine_joins_its_two_parts():
    t = np.arange(0, 101)
    rates = warmup_cosine(t, 1.0, warmup=10, total=100)
    np.testing.assert_allclose(rates[:10], linear_warmup(t[:10], 1.0, warmup=10))
    np.testing.assert_allclose(rates[10:], cosine_decay(t[10:] - 10, 1.0, total=90))
    assert rates[10] == 1.0 == rates.max() and rates[-1] == pytest.approx(0.0)
    assert np.all(np.diff(rates[:11]) > 0) and np.all(np.diff(rates[10:]) < 0)


@given(t=st.integers(0, 10_000), lr=st.floats(1e-4, 1e4), total=st.integers(1, 5_000))
def test_schedules_stay_between_their_bounds(t, lr, total):
    assert 0 <= step_decay(t, lr, step_size=total) <= lr  # 0.1 ** 324 underflows to 0
    assert 0 <= cosine_decay(t, lr, total=total) <= lr * (1 + 1e-15)
    assert 0.1 * lr * (1 - 1e-15) <= linear_warmup(t, lr, warmup=total) <= lr * (1 + 1e-15)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: step_decay(1.5, 1.0, step_size=2), TypeError, "t"),
        (lambda: step_decay(-1, 1.0, step_size=2), ValueError, "t"),
        (lambda: step_decay(1, 0.0, step_size=2), ValueError, "lr"),
        (lambda: step_decay(1, 1.0, step_size=0), ValueError, "step_size"),
        (lambda: step_decay(1, 1.0, step_size=2, gamma=1.5), ValueError, "gamma"),
        (lambda: cosine_decay(1, 1.0, total=0), ValueError, "total"),
        (lambda: cosine_decay(1, 1.0, total=5, lr_min=2.0), ValueError, "lr_min"),
        (lambda: linear_warmup(1, 1.0, warmup=0), ValueError, "warmup"),
        (lambda: linear_warmup(1, 1.0, warmup=3, start_factor=0.0), ValueError, "start_factor"),
        (lambda: warmup_cosine(1, 1.0, warmup=10, total=10), ValueError, "warmup"),
        (lambda: Scheduled(None, 0.1), TypeError, "schedule"),
    ],
)
def test_schedules_bad_input(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_scheduled_sets_each_steps_rate():
    """Three steps of SGD on L = w (gradient 1) with rates 0.1, 0.2, 0.3 move w by -0.6."""
    from dlnotes.nn import Parameter

    w = Parameter(np.array([0.0]))
    opt = Scheduled(SGD([w], lr=0.1), lambda t: 0.1 * (t + 1))
    for _ in range(3):
        opt.zero_grad()
        w.grad = np.array([1.0])
        opt.step()
    np.testing.assert_allclose(w.data, [-0.6])
    assert opt.t == 3 and opt.optimizer.lr == pytest.approx(0.3)


def test_schedule_comparison_constant_matches_the_sweep_and_decay_changes_the_run():
    X, y = make_moons(60, noise=0.2, rng=0)
    model_fn = lambda: mlp([2, 8, 2], rng=0)  # noqa: E731
    runs = schedule_comparison(model_fn, CrossEntropyLoss(), X, y,
                               {"constant": lambda t: 0.5, "step": lambda t: step_decay(t, 0.5, step_size=4)},
                               epochs=3, batch_size=20)
    sweep = learning_rate_sweep(model_fn, CrossEntropyLoss(), X, y, [0.5], epochs=3, batch_size=20)
    np.testing.assert_allclose(runs["constant"], sweep.loss[0])
    assert len(runs["step"]) == 4 and runs["step"][0] == runs["constant"][0]
    assert not np.allclose(runs["step"][2:], runs["constant"][2:])  # the rate drops after step 4, in epoch 2
