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
    """The exercises name the buffer b and the momentum alpha (section 4.2), and eps is xi."""
    import inspect

    for fn in (momentum_step, solutions.momentum_step):
        assert list(inspect.signature(fn).parameters) == ["p", "b", "g", "lr", "alpha"]
    for fn in (adam_step, solutions.adam_step):
        assert list(inspect.signature(fn).parameters) == ["p", "s", "r", "g", "t", "lr", "beta1", "beta2", "eps"]


def _moments(m, v, g, b1, b2):
    return b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g


def _adam_eps_inside_the_root(p, m, v, g, t, lr, b1, b2, eps):
    m, v = _moments(m, v, g, b1, b2)
    return p - lr * (m / (1 - b1**t)) / np.sqrt(v / (1 - b2**t) + eps), m, v


def _adam_step_count_from_zero(p, m, v, g, t, lr, b1, b2, eps):
    m, v = _moments(m, v, g, b1, b2)
    t = t + 1  # a bias correction one step late
    return p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), m, v


def _adam_old_moments_in_the_step(p, m, v, g, t, lr, b1, b2, eps):
    step = lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    m, v = _moments(m, v, g, b1, b2)
    return p - step, m, v


@pytest.mark.parametrize("wrong", [_adam_eps_inside_the_root, _adam_step_count_from_zero, _adam_old_moments_in_the_step],
                         ids=["eps inside the square root", "t + 1 in the correction", "step from the old moments"])
def test_plausible_wrong_adam_steps_fail(wrong):
    verdict = check_adam_step(wrong)
    assert not verdict and "adam_step(" in verdict.message and "expected" in verdict.message


def test_adam_with_the_papers_efficient_form_passes():
    """Kingma and Ba's form: one step size lr sqrt(1 - b2^t)/(1 - b1^t), and eps rescaled to keep the same step."""

    def efficient(p, s, r, g, t, lr, beta1, beta2, eps):
        s, r = _moments(s, r, g, beta1, beta2)
        root = np.sqrt(1 - beta2**t)
        return p - lr * root / (1 - beta1**t) * s / (np.sqrt(r) + eps * root), s, r

    assert check_adam_step(efficient)


@pytest.mark.parametrize(
    "wrong",
    [
        lambda p, b, g, lr, alpha: (p - lr * b, alpha * b + g),  # steps with the old buffer
        lambda p, b, g, lr, alpha: (p - lr * (alpha * b + (1 - alpha) * g), alpha * b + (1 - alpha) * g),  # dampening
    ],
    ids=["old buffer in the step", "moving average instead of a sum"],
)
def test_plausible_wrong_momentum_steps_fail(wrong):
    verdict = check_momentum_step(wrong)
    assert not verdict and "momentum_step(" in verdict.message and "expected" in verdict.message


def test_momentum_through_the_velocity_passes():
    """The velocity form v = alpha v - lr g, p = p + v, converted from and back to PyTorch's buffer b = -v / lr."""

    def via_velocity(p, b, g, lr, alpha):
        v = alpha * (-lr * b) - lr * g
        return p + v, -v / lr

    assert check_momentum_step(via_velocity)


def _flat(text):
    return " ".join(text.split())


def test_momentum_stability_answer(solutions):
    from dlnotes.book.widgets.ch04_optimizers import OptimizerExplorer

    explorer = OptimizerExplorer()
    answer = _flat(solutions.MOMENTUM_STABILITY_ANSWER)
    assert explorer.update(lr=0.0378).title.get_text().endswith("J − J* = 8.3e-05 after 200 steps")
    assert "8.3e-05" in answer and "diverged at step 7" in explorer.update(lr=0.0379).title.get_text()
    alpha, lam = 0.9, 100.0
    assert f"{2 * (1 + alpha) / lam:.3f}" == "0.038" and f"sqrt(alpha) = {np.sqrt(alpha):.2f}" in answer
    # at lr lambda = 3.79 the roots of z^2 - (1 + alpha - lr lambda) z + alpha are complex, of modulus sqrt(alpha)
    roots = np.roots([1.0, -(1 + alpha - 0.0379 * lam), alpha])
    np.testing.assert_allclose(np.abs(roots), np.sqrt(alpha))
    assert np.all(np.abs(np.roots([1.0, -(1 + alpha - 0.0381 * lam), alpha])).max() > 1)


def test_saddle_answer(solutions):
    from dlnotes.book.experiments.ch04_optimizers import book_surface, escape_steps
    from dlnotes.optim import SGD, Adam
    from dlnotes.surfaces import descend

    saddle = book_surface("saddle")
    x0 = saddle.start[0]
    answer = _flat(solutions.SADDLE_ANSWER)
    runs = {"SGD": (SGD, {"lr": 0.05}), "Momentum": (SGD, {"lr": 0.02, "momentum": 0.9}), "Adam": (Adam, {"lr": 0.05})}
    for name, (cls, kwargs) in runs.items():
        stuck = descend(saddle, cls, start=(x0, 0.0), steps=200, **kwargs).path
        assert np.all(stuck[:, 1] == 0.0) and np.allclose(stuck[-1], [0.0, 0.0], atol=1e-4)
        left = descend(saddle, cls, start=(x0, 0.01), steps=200, **kwargs).path
        assert np.allclose(left[-1], [0.0, 1.0], atol=1e-3)
        assert f"{escape_steps({name: left})[name]} {'steps ' if name == 'SGD' else ''}for {name}" in answer
    assert f"J - J* = {float(saddle(stuck[-1]) - saddle.minimum_value):.2f}" in answer


def test_adagrad_answer(solutions):
    from dlnotes.book.experiments.ch04_optimizers import book_surface, effective_learning_rate, step_lengths
    from dlnotes.optim import Adagrad, RMSprop
    from dlnotes.surfaces import descend

    surface = book_surface("rosenbrock")
    answer = _flat(solutions.ADAGRAD_ANSWER)
    for name, run in (("AdaGrad", descend(surface, Adagrad, steps=2000, lr=1.5)),
                      ("RMSProp", descend(surface, RMSprop, steps=2000, lr=0.03, alpha=0.9))):
        f = surface(run.path) - surface.minimum_value
        line = answer[answer.index(f"{name} ("):][:260]
        assert f"J = {f[-1]:.2g}" in line and f"{f[200]:.2g} at step 200" in line and f"{f[1000]:.2g} at step 1000" in line
        last = step_lengths(run.path)[-200:]
        rates = effective_learning_rate(run.optimizer)
        assert f"effective rates {rates[0]:.2g} and {rates[1]:.2g}" in line
        if name == "AdaGrad":
            assert np.all(np.diff(f[-500:]) < 0) and f"about {last.mean():.0e} long" in line
        else:
            assert f"lowest {f.min():.2g}" in line and np.ptp(last) < 1e-4 and f"all {last.mean():.3f} long" in line
            assert last.mean() == pytest.approx(np.sqrt(2) * 0.03, rel=0.01)


def test_bias_correction_answer(solutions):
    t = np.arange(1, 5001)
    ratio = (1 - 0.9**t) / np.sqrt(1 - 0.999**t)
    answer = _flat(solutions.BIAS_CORRECTION_ANSWER)
    assert f"{ratio[0]:.2f} at t = 1" in answer and f"grows to {ratio.max():.2f} at t = {t[ratio.argmax()]}" in answer
    assert f"is {ratio[19]:.2f} at t = 20" in answer and ratio.min() > 1
    assert f"from t = {t[np.argmax(ratio <= 1.1)]} on" in answer and np.all(ratio[np.argmax(ratio <= 1.1):] <= 1.1)
    from dlnotes.book.experiments.ch04_optimizers import adam_first_steps

    np.testing.assert_allclose(adam_first_steps("quadratic", steps=20).constant_gradient, ratio[:20])
