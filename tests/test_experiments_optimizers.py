"""Tests of dlnotes.book.experiments.ch04_optimizers (Chapter 4): the name table, paths, step sizes, network runs."""

import numpy as np
import pytest

from dlnotes.book.experiments.ch04_optimizers import (
    OPTIMIZERS,
    Recording,
    SURFACE_PARAMETERS,
    adam_first_steps,
    book_surface,
    compare_on_network,
    configure,
    effective_learning_rate,
    effective_learning_rates,
    escape_steps,
    final_gaps,
    race,
    step_lengths,
    tune_network_lr,
)
from dlnotes.book.experiments.ch04_optimizers import NETWORK_LR_GRID
from dlnotes.nn import Parameter
from dlnotes.optim import SGD, Adadelta, Adagrad, Adam, RMSprop
from dlnotes.surfaces import SURFACES, Quadratic, Saddle


def test_table_covers_the_lecture():
    assert list(OPTIMIZERS) == ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "RMSProp+Momentum", "AdaDelta", "Adam"]
    for record in OPTIMIZERS.values():
        assert set(record.surface_lr) == set(SURFACES) and record.network_lr > 0


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_entry_builds_its_optimizer(name):
    cls, kwargs = OPTIMIZERS[name].cls, OPTIMIZERS[name].settings
    opt = cls([Parameter(np.zeros(2))], **kwargs)
    assert isinstance(opt, cls)


def test_configure_maps_the_knobs():
    assert configure("Momentum", lr=0.1, momentum=0.5) == (SGD, {"lr": 0.1, "momentum": 0.5})
    assert configure("Nesterov", momentum=0.8)[1] == {"lr": 0.01, "momentum": 0.8, "nesterov": True}
    assert configure("SGD", lr=0.2, momentum=0.9, rho=0.5) == (SGD, {"lr": 0.2})
    assert configure("RMSProp", rho=0.8) == (RMSprop, {"lr": 0.01, "alpha": 0.8})
    assert configure("RMSProp+Momentum", momentum=0.5, rho=0.7)[1] == {"lr": 0.01, "alpha": 0.7, "momentum": 0.5}
    assert configure("AdaDelta", rho=0.7, lr=2.0) == (Adadelta, {"lr": 2.0, "rho": 0.7})
    assert configure("Adam", beta2=0.99) == (Adam, {"lr": 0.01, "betas": (0.9, 0.99)})
    assert configure("AdaGrad", rho=0.3, beta1=0.5) == (Adagrad, {"lr": 0.1})


def test_configure_does_not_change_the_table():
    configure("Adam", lr=5.0, beta1=0.1)
    assert OPTIMIZERS["Adam"].settings == {"lr": 0.01, "betas": (0.9, 0.999)}


def test_configure_unknown_name():
    with pytest.raises(ValueError, match="name"):
        configure("Adamax")


def test_book_quadratic_is_ill_conditioned_and_rotated():
    # H = R diag(1, 100) R^T with R the rotation by 30 degrees (cos = sqrt(3)/2, sin = 1/2):
    # H11 = 3/4 + 100/4, H12 = (sqrt(3)/4)(1 - 100), H22 = 1/4 + 300/4
    H = book_surface("quadratic").hessian
    np.testing.assert_allclose(H, [[25.75, -99 * np.sqrt(3) / 4], [-99 * np.sqrt(3) / 4, 75.25]])
    assert SURFACE_PARAMETERS["quadratic"] == {"condition_number": 100.0, "angle": 30.0}
    assert repr(book_surface("rosenbrock")) == "Rosenbrock(a=1.0, b=100.0)"
    with pytest.raises(ValueError, match="name"):
        book_surface("himmelblau")


def test_sgd_rate_is_below_the_stability_bound():
    # gradient descent on a quadratic is stable for lr < 2 / lambda_max = 2 / 100
    assert OPTIMIZERS["SGD"].surface_lr["quadratic"] < 2 / 100


def test_race_sgd_on_the_quadratic_by_hand():
    # H = diag(1, 10): x_t = x_0 (1 - lr)^t, y_t = y_0 (1 - 10 lr)^t
    lr = OPTIMIZERS["SGD"].surface_lr["quadratic"] * 0.5
    path = race(Quadratic(condition_number=10.0), ["SGD"], steps=5, lr_scale=0.5)["SGD"].path
    t = np.arange(6)
    np.testing.assert_allclose(path[:, 0], -4.0 * (1 - lr) ** t)
    np.testing.assert_allclose(path[:, 1], 2.0 * (1 - 10 * lr) ** t)


def test_race_by_name_uses_the_book_surface():
    # first SGD step from (-4, 2): theta - lr H theta with the book's H
    lr = OPTIMIZERS["SGD"].surface_lr["quadratic"]
    H = book_surface("quadratic").hessian
    start = np.array([-4.0, 2.0])
    path = race("quadratic", ["SGD"], steps=1)["SGD"].path
    np.testing.assert_allclose(path[1], start - lr * H @ start)


def test_final_gaps_by_hand():
    surface = Quadratic(condition_number=10.0)
    paths = {"a": np.array([[3.0, 3.0], [1.0, 1.0]]), "b": np.array([[1.0, 1.0], [0.0, 0.0]]),
             "lost": np.array([[1.0, 1.0], [np.nan, np.nan]])}
    # f(1, 1) = (1 + 10) / 2
    assert final_gaps(surface, paths) == {"a": 5.5, "b": 0.0, "lost": np.inf}
    # the saddle's minima are at f* = -1/4: f(0, 0) - f* = 1/4
    assert final_gaps(Saddle(), {"c": np.array([[0.0, 0.0]])}) == {"c": 0.25}


def test_escape_steps_by_hand():
    paths = {"out": np.array([[0.0, 0.01], [0.0, 0.3], [0.0, -0.6], [0.0, 1.0]]),
             "stays": np.array([[0.0, 0.0], [0.0, 0.5]]),
             "lost": np.array([[0.0, 0.1], [np.nan, np.nan]])}
    assert escape_steps(paths) == {"out": 2, "stays": None, "lost": None}
    assert escape_steps(paths, threshold=0.2) == {"out": 1, "stays": 1, "lost": None}
    assert escape_steps({"x": np.array([[0.0, 0.0], [0.7, 0.0]])}, coordinate=0) == {"x": 1}
    with pytest.raises(ValueError, match="threshold"):
        escape_steps(paths, threshold=-1.0)
    with pytest.raises(ValueError, match="coordinate"):
        escape_steps(paths, coordinate=2)


def test_race_records_where_a_diverging_run_jumped():
    runs = race("quadratic", ["SGD", "Momentum"], steps=20, lr_scale=10.0)
    # SGD at 0.18, far above 2 / lambda_max = 0.02, leaves the box
    assert runs["SGD"].diverged_at is not None and runs["SGD"].escape is not None


def test_race_shapes_and_start():
    runs = race(Quadratic(), ["Momentum", "Adam"], start=(1.0, 1.0), steps=7)
    assert list(runs) == ["Momentum", "Adam"]
    for run in runs.values():
        assert run.path.shape == (8, 2)
        np.testing.assert_array_equal(run.path[0], [1.0, 1.0])


def test_race_bad_input():
    with pytest.raises(ValueError, match="names"):
        race("quadratic", ["Newton"])
    with pytest.raises(ValueError, match="lr_scale"):
        race("quadratic", ["SGD"], lr_scale=0)


def _one_step(cls, g, **kwargs):
    p = Parameter(np.zeros(2))
    p.grad = np.array(g)
    opt = cls([p], **kwargs)
    opt.step()
    return opt


def test_effective_learning_rate_by_hand():
    # AdaGrad after one step: r = g^2, rate lr / (|g| + eps)
    np.testing.assert_allclose(effective_learning_rate(_one_step(Adagrad, [3.0, 4.0], lr=1.2, eps=1e-12)), [0.4, 0.3])
    # RMSProp after one step: r = (1 - alpha) g^2 = 0.25 g^2, rate lr / (|g|/2 + eps)
    opt = _one_step(RMSprop, [3.0, 4.0], lr=1.2, alpha=0.75, eps=1e-12)
    np.testing.assert_allclose(effective_learning_rate(opt), [0.8, 0.6])


def test_effective_learning_rate_needs_adaptive_optimizer():
    with pytest.raises(TypeError, match="optimizer"):
        effective_learning_rate(_one_step(SGD, [1.0, 1.0], lr=0.1))


def test_recording_records_each_step_and_passes_zero_grad():
    p = Parameter(np.zeros(1))
    rec = Recording(SGD([p], lr=0.5), lambda opt: float(opt.params[0].data[0]))
    for _ in range(3):
        p.grad = np.array([1.0])
        rec.step()
    assert rec.records == [-0.5, -1.0, -1.5]
    rec.zero_grad()
    np.testing.assert_array_equal(p.grad, [0.0])


def test_effective_learning_rates_adagrad_shrinks_rmsprop_does_not():
    rates = effective_learning_rates(epochs=3, batch_size=30)
    ada, rms = rates["AdaGrad"], rates["RMSProp"]
    assert len(ada) == len(rms) == 3 * 10
    # AdaGrad's r only grows, so every weight's rate (and their median) never increases
    assert np.all(np.diff(ada) <= 1e-12)
    assert rms[-1] > 2 * ada[-1]


def test_adam_first_steps_by_hand():
    # at (-4, 2) both gradient coordinates are non-zero; the corrected first step moves lr per coordinate
    out = adam_first_steps("quadratic", steps=3, lr=0.1)
    assert out.corrected[0] == pytest.approx(0.1 * np.sqrt(2), rel=1e-6)
    ratio = 0.1 / np.sqrt(0.001)
    assert out.uncorrected[0] == pytest.approx(0.1 * np.sqrt(2) * ratio, rel=1e-6)
    np.testing.assert_allclose(out.constant_gradient, (1 - 0.9 ** np.arange(1, 4)) / np.sqrt(1 - 0.999 ** np.arange(1, 4)))


def test_compare_on_network_same_start_and_deterministic():
    a = compare_on_network(("SGD", "Adam"), epochs=2)
    b = compare_on_network(("Adam",), epochs=2)
    assert list(a) == ["SGD", "Adam"] and all(len(v) == 2 and np.all(np.isfinite(v)) for v in a.values())
    np.testing.assert_array_equal(a["Adam"], b["Adam"])


def test_compare_on_network_lr_override_changes_the_run():
    a = compare_on_network(("SGD",), epochs=2)["SGD"]
    b = compare_on_network(("SGD",), lrs={"SGD": 0.01}, epochs=2)["SGD"]
    assert not np.allclose(a, b)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_network_rate_is_the_best_of_the_grid(name):
    """Section 4.7's claim: each record's network_lr is the grid's lowest final training loss after 20 epochs."""
    losses = tune_network_lr(name)
    assert list(losses) == list(NETWORK_LR_GRID)
    assert min(losses, key=losses.get) == OPTIMIZERS[name].network_lr


def test_tune_network_lr_matches_compare_on_network_and_marks_divergence():
    losses = tune_network_lr("SGD", grid=(0.1, 1e6), epochs=3)
    assert losses[0.1] == pytest.approx(compare_on_network(("SGD",), lrs={"SGD": 0.1}, epochs=3)["SGD"][-1])
    assert losses[1e6] == np.inf  # fit stops a run whose loss passes 1e6 times its first, so its curve is shorter


def test_tune_network_lr_bad_input():
    with pytest.raises(ValueError, match="name"):
        tune_network_lr("Adamax")
    with pytest.raises(ValueError, match="grid"):
        tune_network_lr("SGD", grid=(0.1, -1.0), epochs=1)


def test_step_lengths_by_hand():
    np.testing.assert_allclose(step_lengths(np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]])), [5.0, 1.0])
    assert np.isnan(step_lengths(np.array([[0.0, 0.0], [np.nan, np.nan]]))[0])
    with pytest.raises(ValueError, match="path"):
        step_lengths(np.zeros(3))
