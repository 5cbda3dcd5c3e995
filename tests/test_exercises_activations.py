"""Chapter 1's exercise checkers: the solutions pass; wrong answers fail with the input named, quietly."""

import numpy as np
import pytest

from dlnotes.book.exercises import ch01_activations as checks

CHAPTER = "ch01_activations"


def test_written_answers_are_there(solutions):
    assert "0.25" in solutions.WEIGHT_SCALE_ANSWER
    assert "x_i * delta_j" in solutions.ZIGZAG_ANSWER


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
