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


def test_plausible_wrong_minibatch_gradients_fail():
    def over_n(X, y, w, rows):  # divides by the size of the data set, not of the minibatch
        Xb, yb = X[rows], y[rows]
        return 2.0 * Xb.T @ (Xb @ w - yb) / len(X)

    def whole_set(X, y, w, rows):  # ignores the minibatch
        return 2.0 * X.T @ (X @ w - y) / len(X)

    for wrong in (over_n, whole_set):
        verdict = check_minibatch_gradient(wrong)
        assert not verdict and "minibatch_gradient(" in verdict.message


def test_minibatch_gradient_as_a_loop_passes():
    def loop(X, y, w, rows):
        total = np.zeros_like(w)
        for i in rows:
            total += 2.0 * (X[i] @ w - y[i]) * X[i]
        return total / len(rows)

    assert check_minibatch_gradient(loop)


def test_plausible_wrong_standard_errors_fail():
    def not_centred(g, m):  # the root-mean-square gradient, not its spread
        return np.sqrt(np.mean(np.sum(g**2, axis=1)) / m)

    def over_m(g, m):  # sigma / m
        return np.sqrt(np.mean(np.sum((g - g.mean(axis=0)) ** 2, axis=1))) / m

    def mean_coordinate(g, m):  # the spread of one coordinate on average, not of the vector
        return np.mean(np.std(g, axis=0)) / np.sqrt(m)

    for wrong in (not_centred, over_m, mean_coordinate):
        verdict = check_standard_error(wrong)
        assert not verdict and "standard_error(" in verdict.message


def test_standard_error_from_the_coordinate_variances_passes():
    """sigma^2 is the sum of the per-coordinate variances (ddof = 0)."""
    assert check_standard_error(lambda g, m: np.sqrt(np.var(g, axis=0).sum() / m))
