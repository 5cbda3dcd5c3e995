"""Tests of dlnotes.book.experiments.ch05_preprocessing (Chapter 5) against closed forms, the library and invariants."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes.book.experiments.ch05_preprocessing import (
    TOLERANCE,
    batch_statistics,
    best_learning_rate,
    condition_number,
    correlation_runs,
    gradient_descent,
    hessian,
    least_squares,
    pca_whiten,
    scale_ratio_sweep,
    steps_to_converge,
    stretched_cloud,
)
from dlnotes.data import make_scaled_cloud
from dlnotes.losses import MSELoss
from dlnotes.nn import Linear
from dlnotes.optim import SGD
from dlnotes.preprocessing import StandardScaler


def regression(n=50, d=2, scale=(1.0, 5.0), seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.asarray(scale)[:d]
    return X, X @ rng.normal(size=d) + 0.1 * rng.normal(size=n)


def test_hessian_by_hand():
    # X = [[1, 0], [0, 2]]: (2/2) X^T X = diag(1, 4); with the bias column: [[1, 0, 1], [0, 4, 2], [1, 2, 2]]
    X = np.array([[1.0, 0.0], [0.0, 2.0]])
    np.testing.assert_allclose(hessian(X), np.diag([1.0, 4.0]))
    np.testing.assert_allclose(hessian(X, bias=True), [[1.0, 0.0, 1.0], [0.0, 4.0, 2.0], [1.0, 2.0, 2.0]])


def test_hessian_is_the_numerical_derivative_of_the_library_gradient():
    """Centred differences of the gradient that dlnotes.nn.Linear and MSELoss compute (float64)."""
    X, y = regression()

    def gradient(w):
        layer = Linear(2, 1, bias=False)
        layer.W.data[:, 0] = w
        loss = MSELoss()
        loss(layer(X), y[:, None])
        layer.backward(loss.backward())
        return layer.W.grad[:, 0].copy()

    w, h = np.array([0.3, -0.2]), 1e-5
    numerical = np.column_stack([(gradient(w + h * e) - gradient(w - h * e)) / (2 * h) for e in np.eye(2)])
    np.testing.assert_allclose(hessian(X), numerical, rtol=1e-6)


def test_condition_number_and_best_rate_by_hand():
    assert condition_number(np.diag([1.0, 9.0])) == pytest.approx(9.0)
    assert best_learning_rate(np.diag([1.0, 9.0])) == pytest.approx(0.2)
    assert condition_number(np.array([[1.0, 1.0], [1.0, 1.0]])) == math.inf


def test_steps_to_converge_by_hand():
    assert steps_to_converge(1.0) == 1
    # kappa = 3: factor 1/2 per step on w, 1/4 on the excess; 10^-6 needs ln(10^6)/ln(4) = 9.97 -> 10 steps
    assert steps_to_converge(3.0) == 10
    assert steps_to_converge(3.0, tol=0.25) == 1
    # the large-kappa approximation kappa/4 ln(1/tol), within the rounding up
    assert 0 <= steps_to_converge(1e4) - 1e4 / 4 * math.log(1e6) < 1
    assert 0 <= steps_to_converge(114.3) - 114.3 / 4 * math.log(1e6) < 1


@given(st.floats(1.0, 1e5), st.floats(1.0, 1e5))
def test_steps_to_converge_grows_with_kappa(a, b):
    low, high = sorted((a, b))
    assert steps_to_converge(low) <= steps_to_converge(high)


@pytest.mark.parametrize("bad", [0.5, -1.0, float("nan")])
def test_steps_to_converge_rejects_kappa_below_one(bad):
    with pytest.raises(ValueError, match="kappa"):
        steps_to_converge(bad)


def test_steps_to_converge_rejects_bad_tolerance():
    with pytest.raises(ValueError, match="tol"):
        steps_to_converge(10.0, tol=1.5)


def test_one_step_is_the_library_sgd_step():
    X, y = regression()
    run = gradient_descent(X, y, lr=0.05, start=[0.3, -0.2], max_steps=1, tol=1e-12)
    layer = Linear(2, 1, bias=False)
    layer.W.data[:, 0] = [0.3, -0.2]
    loss, opt = MSELoss(), SGD(layer.parameters(), lr=0.05)
    loss(layer(X), y[:, None])
    layer.backward(loss.backward())
    opt.step()
    np.testing.assert_allclose(run.path[1], layer.W.data[:, 0], rtol=1e-12)


def test_excess_is_the_loss_above_its_minimum():
    X, y = regression()
    run = gradient_descent(X, y)
    J = np.mean((run.path @ X.T - y) ** 2, axis=1)
    J_star = np.mean((X @ np.linalg.lstsq(X, y, rcond=None)[0] - y) ** 2)
    np.testing.assert_allclose(run.excess, J - J_star, atol=1e-10)
    np.testing.assert_allclose(run.w_star, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10)


def test_descent_stops_at_the_tolerance_and_starts_at_zero():
    X, y = regression()
    run = gradient_descent(X, y)
    assert np.all(run.path[0] == 0)
    assert run.excess[run.steps] <= TOLERANCE * run.excess[0] < run.excess[run.steps - 1]
    assert len(run.path) == run.steps + 1
    assert run.lr == pytest.approx(best_learning_rate(hessian(X)))


@settings(max_examples=30, deadline=None)
@given(st.floats(0.2, 20.0), st.floats(-0.9, 0.9), st.integers(0, 1000))
def test_measured_steps_equal_the_formula_in_two_dimensions(scale, correlation, seed):
    X, y = make_scaled_cloud(40, mean=(0.0, 0.0), std=(1.0, scale), correlation=correlation, rng=seed)
    run = gradient_descent(X, y)
    assert abs(run.steps - steps_to_converge(run.kappa)) <= 1


def test_steps_never_exceed_the_bound_in_more_dimensions():
    X, y = regression(n=80, d=4, scale=(1.0, 3.0, 0.5, 8.0), seed=2)
    run = gradient_descent(X, y)
    assert run.steps <= steps_to_converge(run.kappa)


def test_a_learning_rate_above_two_over_lambda_max_diverges():
    X, y = regression()
    lam_max = np.linalg.eigvalsh(hessian(X))[-1]
    run = gradient_descent(X, y, lr=2.1 / lam_max)
    assert run.steps is None and run.excess[-1] > 1e6 * run.excess[0]
    fine = gradient_descent(X, y, lr=1.9 / lam_max)
    assert fine.steps is not None


def test_gradient_descent_bad_input():
    X, y = regression()
    with pytest.raises(ValueError, match="y must have one value per row"):
        gradient_descent(X, y[:-1])
    with pytest.raises(ValueError, match="start must have 2 entries"):
        gradient_descent(X, y, start=[0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(X, y, lr=-0.1)
    with pytest.raises(ValueError, match="linearly independent"):
        gradient_descent(np.column_stack([X[:, 0], 2 * X[:, 0]]), y)
    with pytest.raises(ValueError, match="X must"):
        gradient_descent(X[:, 0], y)


def test_stretched_cloud_scales_feature_two_only():
    X1, y1 = stretched_cloud(1.0)
    X7, y7 = stretched_cloud(7.0)
    np.testing.assert_allclose(X7, X1 * [1.0, 7.0], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(y1, y7)
    np.testing.assert_allclose(X7.mean(axis=0), 0.0, atol=1e-12)


def test_scale_ratio_sweep_raw_grows_standardized_stays():
    sweep = scale_ratio_sweep([1.0, 3.0, 10.0])
    assert np.all(np.diff(sweep.kappa_raw) > 0) and np.all(np.diff(sweep.steps_raw) > 0)
    assert len(set(sweep.steps_standardized)) == 1
    np.testing.assert_allclose(sweep.kappa_standardized, sweep.kappa_standardized[0], rtol=1e-10)
    for run in sweep.raw + sweep.standardized:
        assert run.steps == steps_to_converge(run.kappa)
    # kappa of centred, nearly uncorrelated features is about the squared ratio of their spreads
    X, _ = stretched_cloud(10.0)
    s1, s2 = X.std(axis=0)
    assert sweep.kappa_raw[2] == pytest.approx((s2 / s1) ** 2, rel=0.05)


def test_pca_whitening_gives_identity_covariance_from_the_training_set():
    X, _ = make_scaled_cloud(300, correlation=0.9, rng=3)
    Z = pca_whiten(X)
    np.testing.assert_allclose(np.cov(Z, rowvar=False, ddof=0), np.eye(2), atol=1e-10)
    np.testing.assert_allclose(hessian(Z), 2 * np.eye(2), atol=1e-10)
    # other rows are transformed with the training statistics, not their own
    np.testing.assert_allclose(pca_whiten(X, X[:5]), Z[:5], atol=1e-12)
    np.testing.assert_allclose(pca_whiten(X, X[:5] + [1.0, 0.0]).mean(axis=0) - Z[:5].mean(axis=0),
                               pca_whiten(X, [[1.0, 0.0]])[0] - pca_whiten(X, [[0.0, 0.0]])[0], atol=1e-12)


def test_pca_whitening_bad_input():
    X, _ = make_scaled_cloud(50, rng=0)
    with pytest.raises(ValueError, match="X must have 2 columns"):
        pca_whiten(X, np.ones((3, 3)))
    with pytest.raises(ValueError, match="linearly independent"):
        pca_whiten(np.column_stack([X[:, 0], X[:, 0]]))


def test_correlation_runs_match_the_formula():
    runs = correlation_runs([0.0, 0.5, 0.9])
    np.testing.assert_allclose(runs.kappa, runs.kappa_formula, rtol=1e-8)
    assert np.all(np.diff(runs.steps) > 0)
    assert runs.whitened.kappa == pytest.approx(1.0) and runs.whitened.steps == 1
    with pytest.raises(ValueError, match="correlations"):
        correlation_runs([1.0])


def test_least_squares_recovers_an_exact_line():
    X = np.random.default_rng(0).normal(size=(20, 2))
    w, b = least_squares(X, X @ [2.0, -1.0] + 3.0)
    np.testing.assert_allclose(w, [2.0, -1.0], atol=1e-10)
    assert b == pytest.approx(3.0)


def split():
    X, y = make_scaled_cloud(120, rng=4)
    return X[:60], y[:60], X[60:], y[60:]


def test_pooled_statistics_change_nothing_for_least_squares():
    result = batch_statistics(*split(), [1, 60])
    assert result.pooled == pytest.approx(result.training, rel=1e-9)


def test_one_row_at_a_time_predicts_the_training_mean():
    X_train, y_train, X_test, y_test = split()
    result = batch_statistics(X_train, y_train, X_test, y_test, [1])
    assert result.batch[0] == pytest.approx(np.mean((y_train.mean() - y_test) ** 2))


def test_batch_statistics_cannot_see_a_shift():
    X_train, y_train, X_test, y_test = split()
    same = batch_statistics(X_train, y_train, X_test, y_test, [1, 6, 60])
    shifted = batch_statistics(X_train, y_train, X_test + [0.0, 50.0], y_test, [1, 6, 60])
    np.testing.assert_allclose(shifted.batch, same.batch, rtol=1e-9)
    assert shifted.training > 5 * same.training


def test_the_whole_test_set_is_its_own_statistics():
    X_train, y_train, X_test, y_test = split()
    result = batch_statistics(X_train, y_train, X_test, y_test, [60])
    w, b = least_squares(StandardScaler().fit_transform(X_train), y_train)
    expected = np.mean((StandardScaler().fit_transform(X_test) @ w + b - y_test) ** 2)
    assert result.batch[0] == pytest.approx(expected)


def test_batch_statistics_bad_input():
    X_train, y_train, X_test, y_test = split()
    with pytest.raises(ValueError, match="batch_sizes"):
        batch_statistics(X_train, y_train, X_test, y_test, [0])
    with pytest.raises(ValueError, match="batch_sizes"):
        batch_statistics(X_train, y_train, X_test, y_test, [61])
    with pytest.raises(ValueError, match="y must have one value per row"):
        batch_statistics(X_train, y_train, X_test, y_test[:-1], [1])


@pytest.mark.parametrize(("call", "message"), [
    (lambda: hessian(np.ones(3)), "X must be 2-D, got shape"),
    (lambda: condition_number(np.ones((2, 3))), r"H must be a square matrix, got shape \(2, 3\)"),
    (lambda: best_learning_rate(np.ones((3, 2))), "H must be a square matrix"),
    (lambda: best_learning_rate(np.array([[1.0, 1.0], [1.0, 1.0]])), "H must be positive definite"),
    (lambda: stretched_cloud(-1.0), "ratio must be in .*got -1"),
    (lambda: scale_ratio_sweep([1.0, 0.0]), "ratios must be in .*got 0"),
    (lambda: least_squares(np.ones((3, 2)), np.ones(2)), r"y must have one value per row of X \(3\), got 2"),
    (lambda: gradient_descent(np.eye(2), np.ones(2), max_steps=0), "max_steps must be in .*got 0"),
    (lambda: gradient_descent(np.eye(2), np.ones(2), tol=0.0), "tol must be in .*got 0"),
    (lambda: correlation_runs([0.5, 1.0]), "correlations must be in .*got 1.0"),
])
def test_bad_input_names_the_argument_and_the_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()
