"""Chapter 5's exercise checkers: the usual wrong answers fail with the input named, other right answers pass; written answers exist.

(tests/test_exercises_solutions.py runs the solutions through the checkers.)
"""

import numpy as np
import pytest

from dlnotes.book.exercises.ch05_preprocessing import check_minmax_scale, check_standardize, minmax_scale, standardize
from dlnotes.book.experiments.ch05_preprocessing import (batch_statistics, condition_number, hessian, steps_to_converge,
                                                         stretched_cloud)
from dlnotes.data import make_scaled_cloud
from dlnotes.preprocessing import MinMaxScaler, StandardScaler

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


def test_every_written_exercise_has_an_answer(solutions):
    """Exercises 3-5 are written; their answers quote the numbers the chapter prints."""
    assert "114.3" in solutions.EXERCISE_3 and "688" in solutions.EXERCISE_3
    assert "[-1, -0.587]" in solutions.EXERCISE_4 and "154" in solutions.EXERCISE_4
    assert "0.0555" in solutions.EXERCISE_5 and "0.2579" in solutions.EXERCISE_5


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


def guard_on_the_computed_std(X_train, X_test):
    """Right except that constancy is tested on the computed std, which is 1.4e-17 for [0.1, 0.1, 0.1]."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X_train - mean) / std, (X_test - mean) / std


def test_the_computed_std_of_a_constant_column_is_not_zero():
    """Why the guard must test constancy itself: the case the checker holds, and what the library makes of it."""
    column = np.array([[0.1], [0.1], [0.1]])
    assert 0 < column.std() < 1e-16
    np.testing.assert_array_equal(StandardScaler().fit_transform(column), 0.0)
    np.testing.assert_allclose(guard_on_the_computed_std(column, column)[0], -1.0)


@pytest.mark.parametrize("wrong", [sample_std, own_statistics, pooled_statistics, no_guard, guard_on_the_computed_std])
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
        std[np.ptp(X_train, axis=0) == 0] = 1.0
        return tuple((X - mean) * (1.0 / std) for X in (X_train, X_test))

    assert check_standardize(by_hand)


def test_a_list_of_the_two_sets_passes_like_a_tuple():
    def as_list(X_train, X_test):
        scaler = StandardScaler().fit(X_train)
        return [scaler.transform(X_train), scaler.transform(X_test)]

    def minmax_as_list(X_train, X_test):
        scaler = MinMaxScaler().fit(X_train)
        return [scaler.transform(X) for X in (X_train, X_test)]

    assert check_standardize(as_list) and check_minmax_scale(minmax_as_list)


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


def test_the_written_answers_numbers_reproduce():
    X, _ = stretched_cloud(10)
    assert f"{condition_number(hessian(X)):.1f}" == "114.3" and steps_to_converge(199) == 688
    X5, _ = make_scaled_cloud(200, rng=0)
    with_outlier = np.vstack([X5, [[5.0, 3000.0]]])
    Z = MinMaxScaler().fit_transform(with_outlier)
    assert f"{Z[:-1, 1].max():.3f}" == "-0.587" and f"{condition_number(hessian(Z, bias=True)):.0f}" == "154"
    Z = StandardScaler().fit_transform(with_outlier)
    assert f"{Z[:-1, 1].min():.2f}, {Z[:-1, 1].max():.2f}" == "-1.51, 1.41"
    assert f"{condition_number(hessian(Z, bias=True)):.2f}" == "2.03"
    assert f"{np.corrcoef(X5.T)[0, 1]:.2f} {np.corrcoef(with_outlier.T)[0, 1]:.2f}" == "0.76 0.34"
    X_train, y_train = make_scaled_cloud(200, rng=0)
    X_test, y_test = make_scaled_cloud(20000, rng=1)
    result = batch_statistics(X_train, y_train, X_test, y_test, [20000])
    assert f"{result.batch[0]:.4f}, {result.training:.4f}" == "0.0121, 0.0101"
