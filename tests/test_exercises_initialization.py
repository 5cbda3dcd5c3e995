"""Chapter 6's exercise checkers reject the look-alike formulas and accept right answers written differently;
the references agree with dlnotes.init's draws, and the written answers quote numbers the experiments give."""

import math

import numpy as np
import pytest

from dlnotes import init
from dlnotes.book.exercises import ch06_initialization as checks
from dlnotes.book.experiments import ch06_initialization as ex

CHAPTER = "ch06_initialization"


def test_xavier_reference_is_the_bound_of_the_librarys_draws():
    for shape, gain in (((300, 100), 1.0), ((50, 400), 5 / 3)):
        W = init.xavier_uniform(shape, gain=gain, rng=0)
        bound = checks.xavier_uniform_bound(*shape, gain)
        assert np.abs(W).max() <= bound and np.abs(W).max() > 0.999 * bound


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_he_reference_is_the_std_of_the_librarys_draws(mode):
    W = init.kaiming_normal((600, 200), mode=mode, rng=0)
    assert W.std() == pytest.approx(checks.he_normal_std(600, 200, mode), rel=0.01)


@pytest.mark.parametrize("wrong", [
    lambda fan_in, fan_out, gain=1.0: gain * math.sqrt(2 / (fan_in + fan_out)),  # the normal's std
    lambda fan_in, fan_out, gain=1.0: gain * math.sqrt(6 / fan_in),  # a fan-in bound
    lambda fan_in, fan_out, gain=1.0: gain * math.sqrt(3 / fan_in),  # right only when fan_in == fan_out
    lambda fan_in, fan_out, gain=1.0: math.sqrt(6 / (fan_in + fan_out)),  # the gain forgotten
    lambda fan_in, fan_out, gain=1.0: gain**2 * math.sqrt(6 / (fan_in + fan_out)),  # the gain squared
    lambda fan_in, fan_out, gain=0.0: gain * math.sqrt(6 / (fan_in + fan_out)),  # a wrong default gain
])
def test_xavier_checker_rejects_look_alikes(wrong, capsys):
    verdict = checks.check_xavier_uniform_bound(wrong)
    assert not verdict and "xavier_uniform_bound(" in verdict.message and "expected" in verdict.message
    assert capsys.readouterr().out.startswith("Not yet")


def test_xavier_checker_accepts_a_right_answer_written_differently():
    def via_the_std(fan_in, fan_out, gain=1.0):
        std = gain * np.sqrt(2.0 / (fan_in + fan_out))
        return np.sqrt(3.0) * std  # U(-a, a) has std a / sqrt(3)

    assert checks.check_xavier_uniform_bound(via_the_std)


@pytest.mark.parametrize("wrong", [
    lambda fan_in, fan_out, mode="fan_in": math.sqrt(1 / fan_in),  # no factor 2 for ReLU
    lambda fan_in, fan_out, mode="fan_in": 2 / fan_in,  # the variance
    lambda fan_in, fan_out, mode="fan_in": math.sqrt(2 / (fan_in + fan_out)),  # Xavier's std
    lambda fan_in, fan_out, mode="fan_in": math.sqrt(2 / fan_in),  # the mode ignored
])
def test_he_checker_rejects_look_alikes(wrong):
    verdict = checks.check_he_normal_std(wrong)
    assert not verdict and "he_normal_std(" in verdict.message


def test_he_checker_accepts_a_right_answer_written_differently():
    def by_gain(fan_in, fan_out, mode="fan_in"):
        fan = {"fan_in": fan_in, "fan_out": fan_out}[mode]
        return init.calculate_gain("relu") * fan**-0.5

    assert checks.check_he_normal_std(by_gain)


def test_right_answers_in_float32_pass():
    """float32 carries about 7 significant digits: the checkers' tolerance accepts them."""
    def xavier32(fan_in, fan_out, gain=1.0):
        return np.float32(gain) * np.sqrt(np.float32(6) / np.float32(fan_in + fan_out))

    def he32(fan_in, fan_out, mode="fan_in"):
        return np.sqrt(np.float32(2) / np.float32(fan_in if mode == "fan_in" else fan_out))

    assert float(xavier32(784, 10)) != checks.xavier_uniform_bound(784, 10)  # not the float64 digits
    assert checks.check_xavier_uniform_bound(xavier32) and checks.check_he_normal_std(he32)


def test_the_notebook_stubs_fail_with_the_input_named():
    verdict = checks.check_xavier_uniform_bound(lambda fan_in, fan_out, gain=1.0: 0.0)
    assert not verdict and "xavier_uniform_bound(256, 256)" in verdict.message


def test_written_answers_quote_what_the_experiments_give(solutions):
    assert "dL/db_j = sum_k dL/dz_kj" in solutions.BIASES_ANSWER
    run = ex.symmetry_run("zeros", activation="sigmoid")
    assert np.all(run.spread[-1] == 0.0)
    assert f"moved {run.moved[-1]:.2g}" in solutions.SIGMOID_ANSWER
    assert f"({run.train_loss[-1]:.3f}, accuracy {run.accuracy:.1f})" in solutions.SIGMOID_ANSWER
    (sigmoid,) = ex.init_comparison([(ex.scaled_normal(4.0), "sigmoid")]).values()
    answer = solutions.SIGMOID_BACKWARD_ANSWER
    assert f"is {sigmoid.grad_norms[0] / sigmoid.grad_norms[-1]:.2g}" in answer
    assert f"{sigmoid.low_gradient[0]:.0%} of the first layer's units" in answer
    assert all(5 <= round(100 * share) <= 8 for share in sigmoid.low_gradient[1:]) and "5-8% of the others" in answer
    assert f"{sigmoid.z_std[0]:.1f} at layer 1" in answer
    assert all(abs(std - 2.5) < 0.15 for std in sigmoid.z_std[1:])
