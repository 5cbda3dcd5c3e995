"""Chapter 2's exercise checkers: the solutions pass; naive answers fail with the input named, quietly."""

import numpy as np
import pytest

from dlnotes.book.exercises import ch02_losses as checks

CHAPTER = "ch02_losses"


def test_written_answers_are_there(solutions):
    assert "median" in solutions.OUTLIER_ANSWER
    assert "log(1 + e^{-yz})" in solutions.MARGIN_ANSWER  # the margin is yz: m is the minibatch size of Chapter 3


def test_naive_softmax_fails_on_large_logits_without_a_warning(capsys):
    """exp(1000) overflows: inf / inf = nan. Warnings are errors in this suite, so none escaped."""
    verdict = checks.check_softmax(lambda z: np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True))
    assert not verdict
    assert "softmax(array([1000., 1000.]))" in verdict.message
    assert "non-finite" in verdict.message
    assert "Not yet" in capsys.readouterr().out


def test_softmax_over_the_wrong_axis_fails():
    verdict = checks.check_softmax(lambda z: np.exp(z - z.max()) / np.sum(np.exp(z - z.max())))
    assert not verdict and "softmax(array([[" in verdict.message


def test_naive_logistic_loss_fails_at_margin_minus_1000():
    verdict = checks.check_logistic_loss(lambda m: np.log(1 + np.exp(-m)))
    assert not verdict and "logistic_loss(array([-1000.,  1000.]))" in verdict.message


def test_smooth_l1_without_beta_fails_at_the_case_with_beta():
    verdict = checks.check_smooth_l1(
        lambda pred, target, beta=1.0: np.where(np.abs(target - pred) < 1, 0.5 * (target - pred) ** 2,
                                                np.abs(target - pred) - 0.5))
    assert not verdict and "beta=0.2" in verdict.message and "expected array([0.025, 0.2  , 1.9  ])" in verdict.message


def test_stub_returning_zeros_fails():
    verdict = checks.check_smooth_l1(lambda pred, target, beta=1.0: np.zeros_like(pred))
    assert not verdict and "smooth_l1(array([0.]), array([0.25]), beta=1.0)" in verdict.message


def _smooth_l1(beta_default):
    def smooth_l1(pred, target, beta=beta_default):
        r = np.abs(target - pred)
        return np.where(r < beta, 0.5 * r**2 / beta, r - 0.5 * beta)

    return smooth_l1


@pytest.mark.parametrize("wrong", [
    _smooth_l1(0.5),  # right formula, wrong default: the cases without beta catch it
    lambda pred, target, beta=1.0: np.where(np.abs(target - pred) < beta, (target - pred) ** 2 / beta,
                                            np.abs(target - pred) - 0.5 * beta),  # lost the 1/2
    lambda pred, target, beta=1.0: np.where(np.abs(target - pred) < beta, 0.5 * (target - pred) ** 2,
                                            np.abs(target - pred) - 0.5 * beta),  # Huber's inner piece, no 1/beta
], ids=["default-0.5", "no-half", "no-beta"])
def test_smooth_l1_rejects_plausible_wrong_answers(wrong):
    assert not checks.check_smooth_l1(wrong)


def test_smooth_l1_default_is_tested_without_passing_beta():
    verdict = checks.check_smooth_l1(_smooth_l1(0.5))
    assert "smooth_l1(array([0., 0., 0., 0.]), array([ 0.4, -0.8,  1.5, -3. ]))" in verdict.message


def test_smooth_l1_accepts_a_branch_free_answer():
    def smooth_l1(pred, target, beta=1.0):
        r = np.abs(target - pred)
        q = np.minimum(r, beta)  # the quadratic part, capped at beta
        return q * (r - 0.5 * q) / beta

    assert checks.check_smooth_l1(smooth_l1)


def _normalise(e):
    return e / np.sum(e, axis=-1, keepdims=True)


def test_softmax_rejects_subtracting_the_largest_logit_of_the_whole_batch():
    """One maximum for the batch: the row [-5, -4] far below it becomes exp(-1005) / exp(-1005)-ish = 0/0."""
    verdict = checks.check_softmax(lambda z: _normalise(np.exp(z - np.max(z))))
    assert not verdict and "[  -5.,   -4.]" in verdict.message and "invalid value" in verdict.message


def test_softmax_rejects_clipping_the_logits():
    """Clipped to +-700, [1000, 1001] (and [800, 801]) become equal logits: [0.5, 0.5] instead of [0.27, 0.73]."""
    verdict = checks.check_softmax(lambda z: _normalise(np.exp(np.clip(z, -700, 700))))
    assert not verdict and "received array([[0.5     , 0.5     ]" in verdict.message


def test_softmax_accepts_the_log_sum_exp_form():
    def softmax(z):
        c = np.max(z, axis=-1, keepdims=True)
        return np.exp(z - c - np.log(np.sum(np.exp(z - c), axis=-1, keepdims=True)))

    assert checks.check_softmax(softmax)


@pytest.mark.parametrize("wrong", [
    lambda m: np.log1p(np.exp(-m)),  # log1p does not help: exp(1000) overflows first
    lambda m: np.where(m >= 0, np.log1p(np.exp(-m)), -m + np.log1p(np.exp(m))),  # np.where runs both branches
], ids=["log1p", "where-both-branches"])
def test_logistic_loss_rejects_forms_whose_exp_overflows(wrong):
    verdict = checks.check_logistic_loss(wrong)
    assert not verdict and "overflow encountered in exp" in verdict.message


def test_logistic_loss_accepts_logaddexp():
    """log(1 + e^{-m}) = logaddexp(0, -m), which NumPy computes without overflow."""
    assert checks.check_logistic_loss(lambda m: np.logaddexp(0, -m))
