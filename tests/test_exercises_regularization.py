"""The Chapter 8 checkers: each rejects plausible wrong answers, naming the input, and accepts a right one written differently."""

import numpy as np
import pytest

from dlnotes.book.exercises.ch08_regularization import (
    check_dropout_forward,
    check_ridge_gradient,
    dropout_forward,
    ridge_gradient,
)

CHAPTER = "ch08_regularization"


def test_reference_dropout_by_hand():
    x = np.array([[1.0, 2.0, 3.0, 4.0]])
    # the same draws as the mask: keep where u >= p, kept entries divided by 1 - p
    u = np.random.default_rng(5).random(x.shape)
    expected = np.where(u >= 0.25, x / 0.75, 0.0)
    np.testing.assert_allclose(dropout_forward(x, 0.25, np.random.default_rng(5), True), expected)
    np.testing.assert_array_equal(dropout_forward(x, 0.25, np.random.default_rng(5), False), x)


def test_reference_ridge_gradient_by_hand():
    # X = [[1], [2]], y = [1, 1], w = 1, b = 0: r = (0, 1); grad_w = 2/2 (0 + 2) + lam w = 2 + 0.5; grad_b = 2/2 (0 + 1)
    grad = ridge_gradient(np.array([[1.0], [2.0]]), np.array([1.0, 1.0]), np.array([1.0, 0.0]), 0.5)
    np.testing.assert_allclose(grad, [2.5, 1.0])


def right_dropout(x, p, rng, training):
    """Written differently from the solution: multiply by a float mask, divide afterwards."""
    if not training:
        return x.copy()
    mask = (rng.random(size=x.shape) >= p).astype(float)
    return mask * x / (1.0 - p)


@pytest.mark.parametrize(
    "wrong",
    [
        lambda x, p, rng, training: x * (rng.random(x.shape) >= p) if training else x,
        lambda x, p, rng, training: x * (rng.random(x.shape) >= p) / p if training else x,
        lambda x, p, rng, training: x * (rng.random(x.shape) >= p) * p if training else x,
        lambda x, p, rng, training: x * (rng.random(x.shape) >= p) / (1 - p) if training else x * (1 - p),
    ],
    ids=["no scaling", "divided by p", "times p", "scaled in evaluation"],
)
def test_wrong_dropout_fails_naming_the_input(wrong, capsys):
    verdict = check_dropout_forward(wrong)
    assert not verdict
    assert "dropout_forward(" in verdict.message and "expected" in verdict.message and "received" in verdict.message
    assert capsys.readouterr().out.startswith("Not yet")


@pytest.mark.parametrize(
    "wrong",
    [
        lambda x, p, rng, training: x * (rng.random(x.shape) < p) / (1 - p) if training else x,
        lambda x, p, rng, training: x * (np.random.default_rng(0).random(x.shape) >= p) / (1 - p) if training else x,
        lambda x, p, rng, training: x * (rng.binomial(1, 1 - p, x.shape)) / (1 - p) if training else x,
    ],
    ids=["keeps with probability p", "its own generator", "another draw"],
)
def test_wrong_mask_with_right_scaling_is_told_the_prescribed_draw(wrong, capsys):
    verdict = check_dropout_forward(wrong)
    assert not verdict
    assert "dropout_forward(x of shape" in verdict.message and "default_rng(" in verdict.message
    assert "keep = rng.random(x.shape) >= p" in verdict.message
    assert capsys.readouterr().out.startswith("Not yet")


def test_right_dropout_written_differently_passes():
    assert check_dropout_forward(right_dropout)


def right_ridge(X, y, theta, lam):
    """Written differently: append a column of ones, and a penalty vector with 0 for the bias."""
    A = np.hstack([X, np.ones((len(X), 1))])
    penalty = lam * theta
    penalty[-1] = 0.0
    return 2 * A.T @ (A @ theta - y) / len(y) + penalty


@pytest.mark.parametrize(
    "wrong",
    [
        lambda X, y, t, lam: right_ridge(X, y, t, lam) - np.append(lam / 2 * t[:-1], 0.0),
        lambda X, y, t, lam: right_ridge(X, y, t, lam) + np.append(lam * t[:-1], 0.0),
        lambda X, y, t, lam: right_ridge(X, y, t, lam) + np.append(np.zeros(len(t) - 1), lam * t[-1]),
        lambda X, y, t, lam: right_ridge(X, y, t, lam) / 2 + np.append(lam * t[:-1], 0.0) / 2,
        lambda X, y, t, lam: right_ridge(X, y, t, 0.0),
    ],
    ids=["lambda/2 w", "2 lambda w", "penalized bias", "no 2 in the squared error", "no penalty"],
)
def test_wrong_ridge_gradient_fails_naming_the_input(wrong):
    verdict = check_ridge_gradient(wrong)
    assert not verdict and "ridge_gradient(" in verdict.message and "received" in verdict.message


def test_right_ridge_gradient_written_differently_passes():
    assert check_ridge_gradient(right_ridge)


def test_stubs_of_the_notebook_fail():
    assert not check_dropout_forward(lambda x, p, rng, training: x)
    assert not check_ridge_gradient(lambda X, y, theta, lam: np.zeros_like(theta))
