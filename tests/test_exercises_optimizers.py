"""The Chapter 4 solutions pass their checkers; wrong answers fail with a message naming the input."""

import numpy as np
import pytest

from dlnotes.book.exercises.ch04_optimizers import adam_step, check_adam_step, check_momentum_step, momentum_step

CHAPTER = "ch04_optimizers"


def test_reference_momentum_step_by_hand():
    # b = 0.9 * 1 + 2 = 2.9, p = 1 - 0.1 * 2.9 = 0.71
    p, b = momentum_step(np.array([1.0]), np.array([1.0]), np.array([2.0]), 0.1, 0.9)
    np.testing.assert_allclose(p, [0.71])
    np.testing.assert_allclose(b, [2.9])


def test_reference_adam_first_step_by_hand():
    # t = 1 from zero moments: m_hat = g, v_hat = g^2, so p moves by lr * sign(g) (up to eps)
    p, m, v = adam_step(np.array([1.0, 1.0]), np.zeros(2), np.zeros(2), np.array([4.0, -0.5]), 1, 0.1, 0.9, 0.999, 1e-8)
    np.testing.assert_allclose(p, [0.9, 1.1], rtol=1e-7)
    np.testing.assert_allclose(m, [0.4, -0.05])
    np.testing.assert_allclose(v, [0.016, 0.00025])


def test_lecture_sign_convention_is_reported(capsys):
    def lecture_form(p, v, g, lr, alpha):  # v <- a v - lr g, p <- p + v: same path, but v = -lr b
        v = alpha * v - lr * g
        return p + v, v

    verdict = check_momentum_step(lecture_form)
    assert not verdict and "momentum_step(" in verdict.message and "received" in verdict.message


@pytest.mark.parametrize(
    "wrong",
    [
        lambda p, m, v, g, t, lr, b1, b2, eps: (p - lr * (b1 * m + (1 - b1) * g) / (np.sqrt(b2 * v + (1 - b2) * g * g) + eps),
                                                 b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g),
        lambda p, m, v, g, t, lr, b1, b2, eps: (p, m, v),
    ],
    ids=["no bias correction", "stub"],
)
def test_wrong_adam_fails_naming_the_input(wrong):
    verdict = check_adam_step(wrong)
    assert not verdict and "adam_step(" in verdict.message


def test_solution_and_reference_use_the_chapter_names(solutions):
    """The exercises name the buffer b and the momentum alpha (section 4.2), and eps is delta."""
    import inspect

    for fn in (momentum_step, solutions.momentum_step):
        assert list(inspect.signature(fn).parameters) == ["p", "b", "g", "lr", "alpha"]
    for fn in (adam_step, solutions.adam_step):
        assert list(inspect.signature(fn).parameters) == ["p", "s", "r", "g", "t", "lr", "beta1", "beta2", "eps"]
