"""The Chapter 7 checkers reject the naive answers each exercise warns about, naming the input, and accept other right ones.

(tests/test_exercises_solutions.py runs the solutions through the checkers; here the written answers are checked to exist.)
"""

import numpy as np

from dlnotes.book.exercises.ch07_batchnorm import (
    batchnorm_backward,
    batchnorm_forward,
    check_batchnorm_backward,
    check_batchnorm_forward,
    check_running_update,
    running_update,
)

CHAPTER = "ch07_batchnorm"


def test_references_by_hand():
    # z = [1, 3]: mu = 2, var = 1, z_hat = [-1, 1] / sqrt(1 + eps)
    np.testing.assert_allclose(batchnorm_forward(np.array([[1.0], [3.0]]), np.array([2.0]), np.array([0.5]), 1e-5),
                               [[0.5 - 2 / np.sqrt(1 + 1e-5)], [0.5 + 2 / np.sqrt(1 + 1e-5)]])
    # z = [1, 3]: mean 2, unbiased var 2; momentum 0.1 from (0, 1)
    mean, var = running_update(np.zeros(1), np.ones(1), np.array([[1.0], [3.0]]), 0.1)
    np.testing.assert_allclose(mean, [0.2])
    np.testing.assert_allclose(var, [0.9 + 0.2])
    # a constant upstream gradient moves every output equally: the normalization cancels it
    np.testing.assert_allclose(batchnorm_backward(np.ones((3, 1)), np.array([[0.0], [1.0], [5.0]]), np.ones(1), 1e-5),
                               0.0, atol=1e-12)


def test_written_answers_exist(solutions):
    for name in ("EXERCISE_3", "EXERCISE_4", "EXERCISE_5", "EXERCISE_6"):
        assert len(getattr(solutions, name)) > 200


# -- exercise 1: the forward pass ------------------------------------------------------
def test_forward_accepts_another_right_answer():
    def with_std(z, gamma, beta, eps):
        centred = z - np.mean(z, axis=0, keepdims=True)
        return beta + gamma * centred / np.sqrt(np.std(z, axis=0) ** 2 + eps)

    assert check_batchnorm_forward(with_std)


def test_forward_rejects_the_unbiased_variance(capsys):
    def unbiased(z, gamma, beta, eps):
        return gamma * (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0, ddof=1) + eps) + beta

    verdict = check_batchnorm_forward(unbiased)
    assert not verdict
    assert "batchnorm_forward(" in verdict.message and "expected" in verdict.message and "received" in verdict.message
    assert "Not yet" in capsys.readouterr().out


def test_forward_rejects_eps_outside_the_square_root():
    def outside(z, gamma, beta, eps):
        return gamma * (z - z.mean(axis=0)) / (z.std(axis=0) + eps) + beta

    assert not check_batchnorm_forward(outside)


def test_forward_rejects_a_forgotten_eps_naming_the_constant_feature():
    def no_eps(z, gamma, beta, eps):
        return gamma * (z - z.mean(axis=0)) / z.std(axis=0) + beta

    verdict = check_batchnorm_forward(no_eps)
    assert not verdict and "non-finite" in verdict.message and "5." in verdict.message


def test_forward_rejects_forgetting_gamma_and_beta():
    assert not check_batchnorm_forward(lambda z, gamma, beta, eps: (z - z.mean(0)) / np.sqrt(z.var(0) + eps))


# -- exercise 2: the running statistics --------------------------------------------------
def test_running_update_accepts_another_right_answer():
    def as_a_step(running_mean, running_var, z, momentum):
        m = len(z)
        batch_var = np.sum((z - z.mean(axis=0)) ** 2, axis=0) / (m - 1)
        return running_mean + momentum * (z.mean(axis=0) - running_mean), running_var + momentum * (batch_var - running_var)

    assert check_running_update(as_a_step)


def test_running_update_rejects_the_reversed_momentum():
    def reversed_convention(running_mean, running_var, z, momentum):  # momentum weighing the old value (Keras' convention)
        return (momentum * running_mean + (1 - momentum) * z.mean(axis=0),
                momentum * running_var + (1 - momentum) * z.var(axis=0, ddof=1))

    verdict = check_running_update(reversed_convention)
    assert not verdict and "running_update(" in verdict.message


def test_running_update_rejects_the_biased_variance():
    def biased(running_mean, running_var, z, momentum):
        return ((1 - momentum) * running_mean + momentum * z.mean(axis=0),
                (1 - momentum) * running_var + momentum * z.var(axis=0))

    verdict = check_running_update(biased)
    assert not verdict and "returned value 2 of 2" in verdict.message


def test_running_update_rejects_a_single_array():
    verdict = check_running_update(lambda rm, rv, z, momentum: (1 - momentum) * rm + momentum * z.mean(axis=0))
    assert not verdict and "tuple of 2" in verdict.message


# -- exercise 3: the backward pass ----------------------------------------------------------
def test_backward_accepts_the_chain_rule_term_by_term():
    def term_by_term(grad_out, z, gamma, eps):
        m = z.shape[0]
        mu = z.mean(axis=0)
        var = z.var(axis=0)
        d_hat = gamma * grad_out
        d_var = np.sum(d_hat * (z - mu), axis=0) * -0.5 * (var + eps) ** -1.5
        d_mu = -np.sum(d_hat, axis=0) / np.sqrt(var + eps)
        return d_hat / np.sqrt(var + eps) + d_var * 2 * (z - mu) / m + d_mu / m

    assert check_batchnorm_backward(term_by_term)


def test_backward_rejects_constant_statistics():
    """The naive gradient treats mu_B and sigma_B^2 as constants: gamma g / sqrt(var + eps)."""
    verdict = check_batchnorm_backward(lambda g, z, gamma, eps: gamma * g / np.sqrt(z.var(axis=0) + eps))
    assert not verdict and "batchnorm_backward(" in verdict.message


def test_backward_rejects_a_missing_variance_term():
    def only_the_mean(g, z, gamma, eps):
        d_hat = gamma * g
        return (d_hat - d_hat.mean(axis=0)) / np.sqrt(z.var(axis=0) + eps)

    assert not check_batchnorm_backward(only_the_mean)
