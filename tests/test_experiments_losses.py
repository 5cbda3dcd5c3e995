"""The measurements behind Chapter 2: loss curves, robust line fits, softmax sweeps, naive vs stable formulas."""

import math

import numpy as np
import pytest

from dlnotes.book.experiments.ch02_losses import (
    classification_loss_curves,
    fit_line,
    naive_log_sigmoid,
    naive_log_sum_exp,
    naive_softmax,
    outlier_fits,
    regression_loss,
    regression_loss_curves,
    softmax_sweep,
    stable_log_sigmoid,
    stable_log_sum_exp,
)
from dlnotes.gradcheck import numerical_gradient, rel_error

R = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])


def test_regression_curves_by_hand():
    curves = regression_loss_curves(R, beta=1.0, delta=2.0)
    expected = {
        # r^2 and 2r
        "mse": ([9.0, 0.25, 0.0, 0.25, 9.0], [-6.0, -1.0, 0.0, 1.0, 6.0]),
        # |r| and sign(r)
        "l1": ([3.0, 0.5, 0.0, 0.5, 3.0], [-1.0, -1.0, 0.0, 1.0, 1.0]),
        # beta = 1: 0.5 r^2 inside, |r| - 0.5 outside
        "smooth_l1": ([2.5, 0.125, 0.0, 0.125, 2.5], [-1.0, -0.5, 0.0, 0.5, 1.0]),
        # delta = 2: 0.5 r^2 inside, 2 (|r| - 1) outside
        "huber": ([4.0, 0.125, 0.0, 0.125, 4.0], [-2.0, -0.5, 0.0, 0.5, 2.0]),
    }
    assert set(curves) == set(expected)
    for name, (loss, grad) in expected.items():
        np.testing.assert_allclose(curves[name][0], loss, err_msg=name)
        np.testing.assert_allclose(curves[name][1], grad, err_msg=name)


@pytest.mark.parametrize("name", ["mse", "l1", "smooth_l1", "huber"])
def test_regression_curve_gradient_matches_centred_differences(name):
    r = np.array([-2.3, -0.7, -0.2, 0.4, 1.9])  # away from the kinks at 0, +-beta, +-delta

    def total():
        return float(np.sum(regression_loss_curves(r, beta=0.8, delta=1.3)[name][0]))

    grad = regression_loss_curves(r, beta=0.8, delta=1.3)[name][1]
    assert rel_error(grad, numerical_gradient(total, r)) < 1e-6


def test_regression_loss_bad_name():
    with pytest.raises(ValueError, match="name"):
        regression_loss("l3")


def test_classification_curves_by_hand():
    m = np.array([-1.0, 0.0, 0.5, 2.0])
    curves = classification_loss_curves(m)
    np.testing.assert_allclose(curves["zero_one"], [1, 1, 0, 0])  # m = 0 counts as an error
    np.testing.assert_allclose(curves["absolute"], [2.0, 1.0, 0.5, 1.0])
    np.testing.assert_allclose(curves["hinge"], [2.0, 1.0, 0.5, 0.0])
    np.testing.assert_allclose(curves["logistic"], [math.log(1 + math.e), math.log(2),
                                                    math.log(1 + math.exp(-0.5)), math.log(1 + math.exp(-2))])
    np.testing.assert_allclose(curves["exponential"], [math.e, 1.0, math.exp(-0.5), math.exp(-2)])
    np.testing.assert_allclose(curves["cross_entropy"], curves["logistic"])


def test_classification_curves_finite_at_large_margins():
    curves = classification_loss_curves(np.array([-1e4, 1e4]))
    assert np.isfinite(curves["logistic"]).all() and curves["logistic"][0] == pytest.approx(1e4)
    assert curves["exponential"][1] == 0.0


# -- fitting lines -------------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["mse", "l1", "smooth_l1", "huber"])
def test_fit_line_recovers_an_exact_line(loss):
    x = np.linspace(0.0, 5.0, 21)
    line = fit_line(x, 3.0 * x - 1.0, loss, steps=600, lr=0.1)
    np.testing.assert_allclose(line, [3.0, -1.0], atol=0.05)


def test_l1_ignores_one_far_outlier_and_mse_does_not():
    x = np.linspace(0.0, 5.0, 21)
    y = 2.0 * x + 1.0
    y[0] += 50.0  # one outlier at x = 0
    l1, mse = fit_line(x, y, "l1", steps=600, lr=0.1), fit_line(x, y, "mse", steps=600, lr=0.1)
    np.testing.assert_allclose(l1, [2.0, 1.0], atol=0.1)
    assert abs(mse[1] - 1.0) > 5.0


def test_fit_line_mse_matches_least_squares():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 5, 30)
    y = 0.5 * x + 2 + rng.standard_normal(30)
    exact = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    np.testing.assert_allclose(fit_line(x, y, "mse", steps=1000, lr=0.05), exact, atol=1e-3)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"loss": "l3"}, "loss"), ({"steps": 0}, "steps"), ({"lr": 0.0}, "lr"), ({"y": np.ones(3)}, "y")],
)
def test_fit_line_bad_input(kwargs, match):
    args = {"x": np.arange(4.0), "y": np.arange(4.0)} | kwargs
    with pytest.raises(ValueError, match=match):
        fit_line(**args)


def test_outlier_fits_move_only_the_outliers_and_drag_only_mse():
    fits = outlier_fits([0.0, 30.0], steps=300)
    k = fits.n_outliers
    assert fits.y.shape == (2, fits.x.size) and fits.x.shape == (40,)
    np.testing.assert_allclose(fits.y[1] - fits.y[0], np.r_[np.zeros(40 - k), np.full(k, 30.0)])
    x = np.linspace(0, 5, 11)

    def distance_to_truth(name, i):
        slope, intercept = fits.lines[name][i]
        return np.max(np.abs(slope * x + intercept - (2 * x + 1)))

    for name in ("mse", "l1", "smooth_l1"):
        assert distance_to_truth(name, 0) < 1.0, name
    assert distance_to_truth("mse", 1) > 3.0
    for name in ("l1", "smooth_l1"):
        assert distance_to_truth(name, 1) < 1.0, name


def test_outlier_fits_bad_loss_name():
    with pytest.raises(ValueError, match="loss_names"):
        outlier_fits([0.0], loss_names=("mse", "l4"))


# -- softmax -------------------------------------------------------------------------------


def test_softmax_sweep_by_hand():
    sweep = softmax_sweep([0.0, 0.0], moving=1, values=[0.0, math.log(3.0)])
    # z = (0, 0): p = (1/2, 1/2); z = (0, log 3): p = (1/4, 3/4); target class 0
    np.testing.assert_allclose(sweep.probabilities, [[0.5, 0.5], [0.25, 0.75]])
    np.testing.assert_allclose(sweep.loss, [math.log(2.0), math.log(4.0)])


def test_softmax_sweep_bad_index():
    with pytest.raises(ValueError, match="moving"):
        softmax_sweep([0.0, 1.0], moving=2, values=[0.0])
    with pytest.raises(ValueError, match="target"):
        softmax_sweep([0.0, 1.0], moving=0, values=[0.0], target=-1)


# -- naive vs stable -------------------------------------------------------------------------


def test_naive_formulas_break_quietly_where_stable_ones_do_not():
    # pytest turns warnings into errors here, so these calls also show that no warning escapes
    assert naive_log_sigmoid(np.array([-1000.0]))[0] == -np.inf
    assert naive_log_sigmoid(np.array([-100.0], dtype=np.float32))[0] == -np.inf
    assert naive_log_sum_exp(np.array([1000.0, 1000.0])) == np.inf
    assert np.isnan(naive_softmax(np.array([1000.0, 1000.0]))).all()
    np.testing.assert_allclose(stable_log_sum_exp(np.array([1000.0, 1000.0])), 1000.0 + math.log(2.0))


def test_naive_and_stable_agree_at_moderate_values():
    z = np.array([[-3.0, 0.0, 2.0], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(naive_log_sum_exp(z), stable_log_sum_exp(z))
    np.testing.assert_allclose(stable_log_sum_exp(z)[1], 1.0 + math.log(3.0))
    np.testing.assert_allclose(naive_softmax(z)[1], [1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(naive_log_sigmoid(np.array([0.0])), [-math.log(2.0)])


def test_stable_log_sigmoid_by_hand_and_at_extreme_logits():
    # log sigma(0) = log(1/2); log sigma(z) ~ z far left; ~ -e^{-z} ~ 0 far right
    np.testing.assert_allclose(stable_log_sigmoid(np.array([0.0])), [-math.log(2.0)])
    np.testing.assert_allclose(stable_log_sigmoid(np.array([-1000.0, -100.0])), [-1000.0, -100.0])
    np.testing.assert_allclose(stable_log_sigmoid(np.array([1000.0, 40.0])), [0.0, -math.exp(-40.0)], atol=1e-20)
    # log sigma(1) = -log(1 + e^{-1})
    np.testing.assert_allclose(stable_log_sigmoid(np.array([1.0])), [-math.log(1.0 + math.exp(-1.0))])
    low = stable_log_sigmoid(np.array([-100.0, 5.0], dtype=np.float32))
    assert low.dtype == np.float32 and np.all(np.isfinite(low))


def test_stable_log_sigmoid_bad_input():
    with pytest.raises(ValueError, match="z"):
        stable_log_sigmoid(np.array([np.nan]))
