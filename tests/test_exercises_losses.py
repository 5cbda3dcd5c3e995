"""Chapter 2's exercise checkers: the solutions pass; naive answers fail with the input named, quietly."""

import numpy as np
import pytest

from dlnotes.book.exercises import ch02_losses as checks

CHAPTER = "ch02_losses"


def test_written_answers_are_there(solutions):
    assert "median" in solutions.OUTLIER_ANSWER
    assert "log(1 + e^{-m})" in solutions.MARGIN_ANSWER


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
