"""The Chapter 3 solutions pass their checkers; wrong answers fail with a message naming the input."""

import numpy as np

from dlnotes.book.exercises.ch03_optimization import check_minibatch_gradient, check_standard_error, minibatch_gradient
from dlnotes.book.experiments import mlp
from dlnotes.book.experiments.ch03_optimization import classify_learning_curves, gradient_spread, learning_rate_sweep
from dlnotes.data import make_moons, make_spirals, train_test_split
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import Adam
from dlnotes.train import fit

CHAPTER = "ch03_optimization"


def test_reference_minibatch_gradient_by_hand():
    # X = [[1], [2]], y = [0, 0], w = 1, rows = [0, 1]: 2/2 * (1*1 + 2*2) = 5
    np.testing.assert_allclose(minibatch_gradient(np.array([[1.0], [2.0]]), np.zeros(2), np.array([1.0]), np.array([0, 1])), [5.0])


def test_wrong_minibatch_gradient_fails_naming_the_input(capsys):
    def forgot_the_two(X, y, w, rows):
        Xb, yb = X[rows], y[rows]
        return Xb.T @ (Xb @ w - yb) / len(rows)

    verdict = check_minibatch_gradient(forgot_the_two)
    assert not verdict
    assert "minibatch_gradient(" in verdict.message and "expected" in verdict.message and "received" in verdict.message
    assert "Not yet" in capsys.readouterr().out


def test_stub_standard_error_fails():
    verdict = check_standard_error(lambda per_example, m: 0.0)
    assert not verdict and "standard_error(" in verdict.message


def test_unbiased_std_is_not_the_reference():
    verdict = check_standard_error(lambda g, m: np.sqrt(np.sum(np.var(g, axis=0, ddof=1)) / m))
    assert not verdict


def test_plausible_wrong_minibatch_gradients_fail():
    def over_n(X, y, w, rows):  # divides by the size of the data set, not of the minibatch
        Xb, yb = X[rows], y[rows]
        return 2.0 * Xb.T @ (Xb @ w - yb) / len(X)

    def whole_set(X, y, w, rows):  # ignores the minibatch
        return 2.0 * X.T @ (X @ w - y) / len(X)

    for wrong in (over_n, whole_set):
        verdict = check_minibatch_gradient(wrong)
        assert not verdict and "minibatch_gradient(" in verdict.message


def test_minibatch_gradient_as_a_loop_passes():
    def loop(X, y, w, rows):
        total = np.zeros_like(w)
        for i in rows:
            total += 2.0 * (X[i] @ w - y[i]) * X[i]
        return total / len(rows)

    assert check_minibatch_gradient(loop)


def test_plausible_wrong_standard_errors_fail():
    def not_centred(g, m):  # the root-mean-square gradient, not its spread
        return np.sqrt(np.mean(np.sum(g**2, axis=1)) / m)

    def over_m(g, m):  # sigma / m
        return np.sqrt(np.mean(np.sum((g - g.mean(axis=0)) ** 2, axis=1))) / m

    def mean_coordinate(g, m):  # the spread of one coordinate on average, not of the vector
        return np.mean(np.std(g, axis=0)) / np.sqrt(m)

    for wrong in (not_centred, over_m, mean_coordinate):
        verdict = check_standard_error(wrong)
        assert not verdict and "standard_error(" in verdict.message


def test_standard_error_from_the_coordinate_variances_passes():
    """sigma^2 is the sum of the per-coordinate variances (ddof = 0)."""
    assert check_standard_error(lambda g, m: np.sqrt(np.var(g, axis=0).sum() / m))


def _numbers(line):
    return [float(word) for word in line.replace(",", " ").split() if word.replace(".", "", 1).isdigit()]


def test_without_replacement_answer_quotes_the_measurement(solutions):
    Xs, ys = make_spirals(300, noise=0.2, rng=0)
    spread = gradient_spread(mlp([2, 32, 32, 3], rng=0), CrossEntropyLoss(), Xs, ys, batch_sizes=[16, 64, 256, 300],
                             replace=False, rng=0)
    answer = solutions.WITHOUT_REPLACEMENT_ANSWER
    assert f"sigma_g = {spread.sigma:.2f}" in answer
    rows = {int(line.split()[0]): _numbers(line)[1:] for line in answer.splitlines() if line[:5].strip().isdigit()}
    assert sorted(rows) == [16, 64, 256, 300]
    for m, measured, corrected in zip(spread.batch_sizes, spread.spread, spread.predicted):
        # each value as printed, to 2 significant digits (0 where it is 0)
        np.testing.assert_allclose(rows[m], [measured, spread.sigma / np.sqrt(m), corrected], rtol=0.06, atol=1e-9)
    assert spread.predicted[-1] == 0.0 and f"measured: {spread.spread[-1]:.0e}" in " ".join(answer.split())
    assert f"{np.sqrt(44 / 299):.2f}" in answer


def test_batch_size_answer_quotes_the_sweeps(solutions):
    Xm, ym = make_moons(200, noise=0.2, rng=0)
    lrs = np.logspace(-2, 1.5, 11)
    answer = " ".join(solutions.BATCH_SIZE_ANSWER.split())
    first_means = {}
    for batch_size, verdicts_expected in (
        (10, ["slow"] + ["good"] * 4 + ["oscillating"] * 3 + ["diverging"] * 3),
        (40, ["slow"] * 3 + ["good"] * 4 + ["oscillating"] + ["diverging"] * 3),
        (200, ["slow"] * 4 + ["good"] * 4 + ["diverging"] * 3),
    ):
        sweep = learning_rate_sweep(lambda: mlp([2, 16, 2], rng=0), CrossEntropyLoss(), Xm, ym, lrs=lrs, epochs=20,
                                    batch_size=batch_size)
        assert classify_learning_curves(sweep.loss) == verdicts_expected
        means = np.where(np.isfinite(sweep.loss[:, -10:]), sweep.loss[:, -10:], np.inf).mean(axis=1)
        assert f"batch_size {batch_size} " in answer and f"lowest at lr {lrs[np.argmin(means)]:.3g} ({means.min():.3g})" in answer
        first_means[batch_size] = means[0]
    assert f"average {first_means[10]:.3f} with batch_size 10 and {first_means[200]:.3f} with 200" in answer
    assert f"{lrs[1] / lrs[0]:.2f}" in answer and f"{lrs[8]:.3g}" == "6.31"


def test_patience_answer_quotes_the_runs(solutions):
    Xe, ye = make_moons(80, noise=0.3, rng=1)
    X_train, X_val, y_train, y_val = train_test_split(Xe, ye, test_size=0.5, rng=1)
    answer = " ".join(solutions.PATIENCE_ANSWER.split())
    for patience, best, stopped in ((5, 6, 11), (40, 61, 101), (100, 61, 161)):
        net = mlp([2, 64, 64, 2], rng=0)
        history = fit(net, CrossEntropyLoss(), Adam(net.parameters(), lr=0.01), X_train, y_train, epochs=400,
                      batch_size=40, validation_data=(X_val, y_val), patience=patience, grad_norm=True, rng=0)
        assert (history.best_epoch, history.stopped_epoch) == (best, stopped)
        assert f"{history['grad_norm'][best - 1]:.3f}" in answer or f"{history['grad_norm'][best - 1]:.2g}" in answer
    val = np.array(history["val_loss"])
    assert f"falls to {val[5]:.3f} at epoch 6, rises to {val[9]:.3f} by epoch 10" in answer and val[:10].argmax() == 0
    assert int(np.argmax(val[6:] < val[5])) + 7 == 40 and f"{val.min():.3f}, at epoch 61" in answer
    assert f"{val[5] / val.min():.1f} times larger" in answer


