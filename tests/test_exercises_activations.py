"""Chapter 1's exercise checkers: the solutions pass; wrong answers fail with the input named, quietly."""

import numpy as np
import pytest

from dlnotes.book.exercises import ch01_activations as checks

CHAPTER = "ch01_activations"


def test_written_answers_are_there(solutions):
    assert "0.25" in solutions.WEIGHT_SCALE_ANSWER
    assert "x_i * dL/dz_j" in solutions.ZIGZAG_ANSWER  # the book writes dL/dz_j, delta is Huber's


def test_depth_answer_quotes_what_deep_stack_measures(solutions):
    """Exercise 4's table of ratios is what experiments.deep_stack prints for each activation and depth."""
    from dlnotes.book.experiments.ch01_activations import deep_stack

    table = {line.split()[0]: line.split()[1:] for line in solutions.WEIGHT_SCALE_ANSWER.splitlines()[2:6]}
    for name, row in (("sigmoid", "sigmoid"), ("tanh", "tanh"), ("relu", "ReLU")):
        for depth, quoted in zip((5, 10, 20), table[row]):
            stack = deep_stack(name, 1.0, n_layers=depth)
            assert f"{stack.grad_norms[0] / stack.grad_norms[-1]:.2g}" == quoted, (name, depth)
    assert "s^10" not in solutions.WEIGHT_SCALE_ANSWER and "(s / sqrt(2))^9" in solutions.WEIGHT_SCALE_ANSWER


def test_the_notebook_stub_fails_with_the_input_named(capsys):
    verdict = checks.check_sigmoid_grad(lambda x: np.zeros_like(x))
    assert not verdict
    assert "sigmoid_grad(array([0.]))" in verdict.message and "expected array([0.25])" in verdict.message
    assert "Not yet" in capsys.readouterr().out


def test_overflowing_formula_fails_without_a_warning():
    """exp(-x) / (1 + exp(-x))^2 is inf/inf = nan at x = -1000; warnings are errors in this suite."""
    verdict = checks.check_sigmoid_grad(lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2)
    assert not verdict
    assert "array([-1000.,  1000.])" in verdict.message and "non-finite" in verdict.message


def test_wrong_tanh_grad_is_caught():
    verdict = checks.check_tanh_grad(lambda x: 1 - np.tanh(x))  # forgot the square
    assert not verdict and "tanh_grad(array([-2. , -0.5,  0.5,  2. ]))" in verdict.message


def test_counting_zeros_instead_of_dead_columns_fails():
    verdict = checks.check_dead_fraction(lambda h: np.mean(h <= 0))
    assert not verdict and "expected array(0.333333)" in verdict.message


def test_checker_refuses_a_non_function():
    with pytest.raises(TypeError, match="student"):
        checks.check_sigmoid_grad(0.25)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


@pytest.mark.parametrize("wrong", [
    lambda x: _sigmoid(x) * (1 - _sigmoid(x)),  # the textbook formula: exp(1000) overflows, though the result is 0
    lambda x: (lambda s: s * (1 - s))(np.where(x >= 0, _sigmoid(x), np.exp(x) / (1 + np.exp(x)))),  # both branches run
    lambda x: _sigmoid(x) * (1 + _sigmoid(x)),  # a sign slip
], ids=["naive", "where-both-branches", "sign-slip"])
def test_sigmoid_grad_rejects_plausible_wrong_answers(wrong):
    assert not checks.check_sigmoid_grad(wrong)


def test_sigmoid_grad_accepts_a_stable_answer_written_differently():
    """sigma(x) = (1 + tanh(x / 2)) / 2: np.tanh never overflows."""
    assert checks.check_sigmoid_grad(lambda x: (lambda s: s * (1 - s))(0.5 * (1 + np.tanh(0.5 * x))))


def test_float32_overflow_is_caught_at_100():
    """e^100 overflows float32 (above about 3.4e38); the float64 cases alone would let a float32 user down."""
    verdict = checks.check_sigmoid_grad(lambda x: np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))) ** 2
                                        if x.dtype == np.float64 else np.exp(-x) / (1 + np.exp(-x)) ** 2)
    assert not verdict and "dtype=float32" in verdict.message


@pytest.mark.parametrize("wrong", [
    lambda x: 1 - np.tanh(x),  # forgot the square
    lambda x: 4 * np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))) ** 2,  # 4 sigma'(x) instead of 4 sigma'(2x)
    lambda x: 1 / np.cosh(x) ** 2,  # sech^2: right, but cosh(1000) overflows
], ids=["no-square", "4-sigma-prime-of-x", "sech-overflows"])
def test_tanh_grad_rejects_plausible_wrong_answers(wrong):
    assert not checks.check_tanh_grad(wrong)


def test_tanh_grad_accepts_an_answer_written_differently():
    assert checks.check_tanh_grad(lambda x: (1 - np.tanh(x)) * (1 + np.tanh(x)))


@pytest.mark.parametrize("wrong", [
    lambda h: np.mean(h <= 0),  # the share of zero outputs, not of dead units
    lambda h: np.mean(np.any(h <= 0, axis=0)),  # silent on some example instead of every one
    lambda h: np.mean(np.all(h <= 0, axis=1)),  # rows (examples) instead of columns (units)
], ids=["zeros", "any", "rows"])
def test_dead_fraction_rejects_plausible_wrong_answers(wrong):
    assert not checks.check_dead_fraction(wrong)


def test_dead_fraction_accepts_an_answer_written_differently():
    assert checks.check_dead_fraction(lambda h: np.sum(h.max(axis=0) <= 0) / h.shape[1])
