"""The Chapter 5 solutions pass their checkers; the usual wrong answers fail with a message naming the input."""

import numpy as np
import pytest

from dlnotes.book.exercises.ch05_preprocessing import check_minmax_scale, check_standardize, minmax_scale, standardize

CHAPTER = "ch05_preprocessing"


def test_reference_standardize_by_hand():
    # training column [1, 3]: mean 2, population std 1; test value 5 -> 3
    train, test = standardize(np.array([[1.0], [3.0]]), np.array([[5.0]]))
    np.testing.assert_allclose(train, [[-1.0], [1.0]])
    np.testing.assert_allclose(test, [[3.0]])


def test_reference_minmax_by_hand():
    # training column [0, 10] -> [-1, 1]; test values 5 and 20 -> 0 and 3 (no clipping)
    train, test = minmax_scale(np.array([[0.0], [10.0]]), np.array([[5.0], [20.0]]))
    np.testing.assert_allclose(train, [[-1.0], [1.0]])
    np.testing.assert_allclose(test, [[0.0], [3.0]])


def test_solutions_pass(solutions, capsys):
    assert check_standardize(solutions.standardize)
    assert check_minmax_scale(solutions.minmax_scale)
    assert capsys.readouterr().out.count("Correct") == 2


def test_every_written_exercise_has_an_answer(solutions):
    for number in (3, 4, 5):
        assert len(getattr(solutions, f"EXERCISE_{number}").split()) > 50


def _safe(std):
    return np.where(std == 0, 1.0, std)


def sample_std(X_train, X_test):
    """ddof=1, pandas' default: the exercise warns against it."""
    mean, std = X_train.mean(axis=0), _safe(X_train.std(axis=0, ddof=1))
    return (X_train - mean) / std, (X_test - mean) / std


def own_statistics(X_train, X_test):
    """Each set standardized with its own statistics: the test set leaks into its own scaling."""
    def one(X):
        return (X - X.mean(axis=0)) / _safe(X.std(axis=0))
    return one(X_train), one(X_test)


def pooled_statistics(X_train, X_test):
    """Statistics of training and test rows together."""
    both = np.vstack([X_train, X_test])
    mean, std = both.mean(axis=0), _safe(both.std(axis=0))
    return (X_train - mean) / std, (X_test - mean) / std


def no_guard(X_train, X_test):
    """Right except that a constant feature divides by 0."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


@pytest.mark.parametrize("wrong", [sample_std, own_statistics, pooled_statistics, no_guard])
def test_wrong_standardizations_fail_naming_the_input(wrong, capsys):
    verdict = check_standardize(wrong)
    assert not verdict
    assert "standardize(" in verdict.message and "Not yet" in capsys.readouterr().out
    assert "expected" in verdict.message or "non-finite" in verdict.message


def test_a_stub_that_returns_its_input_fails():
    assert not check_standardize(lambda X_train, X_test: (X_train, X_test))
    assert not check_minmax_scale(lambda X_train, X_test: (X_train, X_test))


def test_a_differently_written_standardize_passes():
    def by_hand(X_train, X_test):
        n = len(X_train)
        mean = np.sum(X_train, axis=0) / n
        std = np.sqrt(np.sum((X_train - mean) ** 2, axis=0) / n)
        std[std == 0] = 1.0
        return tuple((X - mean) * (1.0 / std) for X in (X_train, X_test))

    assert check_standardize(by_hand)


def zero_one(X_train, X_test):
    """The usual [0, 1] min-max formula."""
    low, high = X_train.min(axis=0), X_train.max(axis=0)
    return (X_train - low) / (high - low), (X_test - low) / (high - low)


def own_range(X_train, X_test):
    """Each set scaled by its own min and max."""
    def one(X):
        low, high = X.min(axis=0), X.max(axis=0)
        return -1 + 2 * (X - low) / (high - low)
    return one(X_train), one(X_test)


def clipped(X_train, X_test):
    """Right, then clipped to [-1, 1]: test values beyond the training range are lost."""
    low, high = X_train.min(axis=0), X_train.max(axis=0)
    return tuple(np.clip(-1 + 2 * (X - low) / (high - low), -1, 1) for X in (X_train, X_test))


def pooled_range(X_train, X_test):
    both = np.vstack([X_train, X_test])
    low, high = both.min(axis=0), both.max(axis=0)
    return -1 + 2 * (X_train - low) / (high - low), -1 + 2 * (X_test - low) / (high - low)


@pytest.mark.parametrize("wrong", [zero_one, own_range, clipped, pooled_range])
def test_wrong_minmax_fails_naming_the_input(wrong):
    verdict = check_minmax_scale(wrong)
    assert not verdict
    assert "minmax_scale(" in verdict.message and "expected" in verdict.message


def test_a_differently_written_minmax_passes():
    def via_the_middle(X_train, X_test):
        middle = (X_train.max(axis=0) + X_train.min(axis=0)) / 2
        half = (X_train.max(axis=0) - X_train.min(axis=0)) / 2
        return (X_train - middle) / half, (X_test - middle) / half

    assert check_minmax_scale(via_the_middle)


def test_returning_one_array_instead_of_a_pair_fails():
    verdict = check_standardize(lambda X_train, X_test: X_train)
    assert not verdict and "tuple of 2" in verdict.message
