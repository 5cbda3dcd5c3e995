"""The Chapter 3 solutions pass their checkers; wrong answers fail with a message naming the input."""

import numpy as np

from dlnotes.book.exercises.ch03_optimization import check_minibatch_gradient, check_standard_error, minibatch_gradient

CHAPTER = "ch03_optimization"


def test_reference_minibatch_gradient_by_hand():
    # X = [[1], [2]], y = [0, 0], w = 1, rows = [0, 1]: 2/2 * (1*1 + 2*2) = 5
    np.testing.assert_allclose(minibatch_gradient(np.array([[1.0], [2.0]]), np.zeros(2), np.array([1.0]), np.array([0, 1])), [5.0])


def test_wrong_minibatch_gradient_fails_naming_the_input(capsys):
    def forgot_the_two(X, y, w, rows):
        Xb, yb = X[rows], y[rows]
        return Xb.T @ (Xb @ w - yb) / len(rows)

    verdict = check_minibatch_gradient(forgot_the_two)
    assert not verdict
    assert "minibatch_gradient(" in verdict.message and "expected" in verdict.message and "received" in verdict.message
    assert "Not yet" in capsys.readouterr().out


def test_stub_standard_error_fails():
    verdict = check_standard_error(lambda per_example, m: 0.0)
    assert not verdict and "standard_error(" in verdict.message


def test_unbiased_std_is_not_the_reference():
    verdict = check_standard_error(lambda g, m: np.sqrt(np.sum(np.var(g, axis=0, ddof=1)) / m))
    assert not verdict
