"""The checker behind every exercise says which input failed, what was expected and what came back."""

import warnings

import numpy as np
import pytest

from dlnotes.book.exercises import check_function, quietly


def square(x):
    return x * x


def test_right_answer_passes_and_says_so(capsys):
    verdict = check_function(lambda x: x**2, square, [(np.arange(3.0),), ((2.0,), {})], name="square")
    assert verdict.passed and bool(verdict)
    assert "Correct" in capsys.readouterr().out


def test_wrong_value_names_input_expected_and_received(capsys):
    verdict = check_function(lambda x: x + x, square, [(np.array([3.0]),)], name="square")
    assert not verdict
    assert "square(array([3.]))" in verdict.message
    assert "expected array([9.])" in verdict.message and "received array([6.])" in verdict.message
    assert verdict.message in capsys.readouterr().out


def test_wrong_shape_missing_return_and_exceptions_are_explained():
    x = (np.ones((2, 2)),)
    assert "wrong shape" in check_function(lambda x: x.ravel(), square, [x], name="square").message
    assert "forget `return`" in check_function(lambda x: None, square, [x], name="square").message
    assert "ZeroDivisionError" in check_function(lambda x: 1 / 0, square, [x], name="square").message


def test_student_cannot_change_the_reference_input():
    def sneaky(x):
        x[...] = 0.0
        return x

    x = np.array([2.0])
    assert not check_function(sneaky, square, [(x,)], name="square")
    assert x[0] == 2.0


def test_student_must_be_callable():
    with pytest.raises(TypeError, match="student"):
        check_function(3, square, [(1.0,)], name="square")


def test_quietly_passes_finite_results_through_and_reports_overflow():
    assert quietly(lambda x: x + 1)(np.array([1.0]))[0] == 2.0
    with pytest.raises(FloatingPointError, match="non-finite"):
        quietly(lambda x: np.exp(x))(np.array([1e4]))


def test_an_overflowing_answer_fails_for_its_input_without_a_warning():
    def sigmoid_reference(x):
        return 0.5 * (1.0 + np.tanh(0.5 * x))

    def naive_sigmoid(x):
        return np.exp(x) / (1.0 + np.exp(x))

    verdict = check_function(naive_sigmoid, sigmoid_reference, [(np.array([1e4]),)], name="sigmoid")
    assert not verdict and "sigmoid(array([10000.]))" in verdict.message and "non-finite" in verdict.message


def test_a_notebook_shows_the_verdict_once(capsys):
    verdict = check_function(lambda x: x**2, square, [(2.0,)], name="square")
    verdict._ipython_display_()
    assert capsys.readouterr().out.count("Correct") == 1


def momentum_step(p, v, g):
    v_new = 0.9 * v + g
    return p - 0.1 * v_new, v_new


def test_tuple_answers_are_compared_item_by_item_in_fixed_point():
    case = (np.array([1.0]), np.array([0.5]), np.array([0.5]))
    assert check_function(momentum_step, momentum_step, [case], name="momentum_step")
    verdict = check_function(lambda p, v, g: (p - 0.1 * g, g), momentum_step, [case], name="momentum_step")
    assert "returned value 1 of 2" in verdict.message
    assert "expected array([0.905])" in verdict.message and "received array([0.95])" in verdict.message
    single = check_function(lambda p, v, g: p, momentum_step, [case], name="momentum_step")
    assert "must return a tuple of 2 values" in single.message


def sigmoid_reference(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def test_an_overflow_fails_even_when_it_gives_the_right_number():
    """1 / (1 + e^{1000}) = 1 / inf = 0 is right, but the exp overflowed: a stability exercise must reject it."""
    verdict = check_function(lambda x: 1.0 / (1.0 + np.exp(-x)), sigmoid_reference, [(np.array([-1000.0]),)],
                             name="sigmoid")
    assert not verdict
    assert "sigmoid(array([-1000.]))" in verdict.message and "overflow encountered in exp" in verdict.message
    assert "np.where computes both of its branches" in verdict.message


def test_invalid_values_and_logs_of_zero_are_named():
    zero_over_zero = check_function(lambda x: np.exp(-x) / np.exp(-x), lambda x: np.ones_like(x),
                                    [(np.array([1000.0]),)], name="one")
    assert "invalid value" in zero_over_zero.message and "0/0" in zero_over_zero.message
    log_zero = check_function(lambda x: np.log(x), lambda x: np.zeros_like(x), [(np.array([0.0]),)], name="log")
    assert "divide by zero" in log_zero.message and "log of 0" in log_zero.message


def test_a_runtime_warning_of_the_student_fails_and_other_warnings_are_not_hidden():
    def warns_runtime(x):
        warnings.warn("Mean of empty slice", RuntimeWarning)
        return x

    verdict = check_function(warns_runtime, lambda x: x, [(np.array([1.0]),)], name="identity")
    assert not verdict and "Mean of empty slice" in verdict.message

    def warns_user(x):
        warnings.warn("a note for the student", UserWarning)
        return x

    with pytest.warns(UserWarning, match="a note for the student"):
        assert check_function(warns_user, lambda x: x, [(np.array([1.0]),)], name="identity")


def test_underflow_toward_zero_is_harmless():
    assert check_function(lambda x: np.exp(-x), lambda x: np.zeros_like(x), [(np.array([1000.0]),)], name="exp")


def test_quietly_checks_each_item_of_a_tuple_of_different_shapes():
    pair = quietly(lambda x: (x * 2, float(x.sum())))(np.array([1.0, 2.0]))
    assert pair[0].tolist() == [2.0, 4.0] and pair[1] == 3.0
    with pytest.raises(FloatingPointError, match="non-finite"):
        quietly(lambda x: (x, np.array([np.inf, 0.0, 1.0])))(np.array([1.0, 2.0]))
