"""Tests of dlnotes.surfaces: values, analytic gradients, grids and trajectories (chapter 4)."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.optim import SGD, Adagrad, Adam
from dlnotes.surfaces import (
    ESCAPE_FACTOR,
    SURFACES,
    Beale,
    Quadratic,
    Rosenbrock,
    Saddle,
    Surface,
    descend,
    make_surface,
)

EVERY_SURFACE = [Quadratic(), Quadratic(condition_number=50.0, angle=30.0), Rosenbrock(), Rosenbrock(a=0.5, b=10.0), Beale(), Saddle()]


class PlainGD:
    """Hand-written gradient descent p <- p - lr * grad, independent of dlnotes.optim."""

    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self):
        for p in self.params:
            p.data = p.data - self.lr * p.grad


# -- values at hand-picked points ----------------------------------------------
@pytest.mark.parametrize(
    "surface, point, expected",
    [
        (Quadratic(), (0.0, 0.0), 0.0),
        (Quadratic(condition_number=10.0), (1.0, 1.0), 5.5),  # (1 + 10) / 2
        (Quadratic(condition_number=10.0, angle=90.0), (1.0, 0.0), 5.0),  # the steep axis now along x
        (Rosenbrock(), (1.0, 1.0), 0.0),
        (Rosenbrock(), (0.0, 0.0), 1.0),
        (Rosenbrock(), (-1.2, 1.0), 24.2),  # 2.2^2 + 100 * 0.44^2
        (Rosenbrock(a=0.5, b=10.0), (0.5, 0.25), 0.0),
        (Beale(), (3.0, 0.5), 0.0),
        (Beale(), (0.0, 0.0), 14.203125),  # 1.5^2 + 2.25^2 + 2.625^2
        (Saddle(), (0.0, 0.0), 0.0),
        (Saddle(), (0.0, 1.0), -0.25),
        (Saddle(), (1.0, 0.0), 1.0),
    ],
)
def test_values_at_known_points(surface, point, expected):
    assert surface(np.array(point)) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    "surface, point, expected",
    [
        (Quadratic(condition_number=4.0), (1.0, 1.0), (1.0, 4.0)),
        (Rosenbrock(), (0.0, 0.0), (-2.0, 0.0)),
        (Rosenbrock(), (1.0, 0.0), (400.0, -200.0)),  # -4 b x (y - x^2) = 400, 2 b (y - x^2) = -200
        (Beale(), (0.0, 1.0), (0.0, 0.0)),  # a critical point of Beale's function
        (Saddle(), (1.0, 2.0), (2.0, 6.0)),
    ],
)
def test_gradients_at_known_points(surface, point, expected):
    np.testing.assert_allclose(surface.grad(np.array(point)), expected, atol=1e-12)


@pytest.mark.parametrize("surface", EVERY_SURFACE, ids=repr)
def test_gradient_zero_at_every_minimum(surface):
    minima = np.array(surface.minima)
    np.testing.assert_allclose(surface.grad(minima), 0.0, atol=1e-12)
    np.testing.assert_allclose(surface(minima), surface.minimum_value, atol=1e-12)


def test_saddle_point_is_critical_but_not_a_minimum():
    s = Saddle()
    np.testing.assert_array_equal(s.grad(np.array(s.saddle)), [0.0, 0.0])
    assert s(np.array([0.0, 0.5])) < s(np.array(s.saddle)) < s(np.array([0.5, 0.0]))
    assert s.minimum is None and Rosenbrock().minimum == (1.0, 1.0)


# -- analytic gradients against centred differences ------------------------------
@pytest.mark.parametrize("surface", EVERY_SURFACE, ids=repr)
@given(u=st.floats(0.0, 1.0), v=st.floats(0.0, 1.0))
def test_grad_matches_numerical_gradient(surface, u, v):
    (xmin, xmax), (ymin, ymax) = surface.bounds
    point = np.array([xmin + u * (xmax - xmin), ymin + v * (ymax - ymin)])
    analytic = surface.grad(point)
    # relative error means nothing where the gradient vanishes (checked separately above)
    assume(np.linalg.norm(analytic) > 1e-2 * max(1.0, abs(float(surface(point)))))
    numerical = numerical_gradient(lambda: float(surface(point)), point)
    assert rel_error(analytic, numerical) < 1e-6


@pytest.mark.parametrize("surface", EVERY_SURFACE, ids=repr)
def test_batches_of_points_and_dtype(surface):
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, size=(4, 3, 2))
    values, grads = surface(points), surface.grad(points)
    assert values.shape == (4, 3) and grads.shape == (4, 3, 2)
    np.testing.assert_allclose(values[2, 1], surface(points[2, 1]))
    np.testing.assert_allclose(grads[2, 1], surface.grad(points[2, 1]))
    p32 = points.astype(np.float32)
    assert surface(p32).dtype == np.float32 and surface.grad(p32).dtype == np.float32


# -- attributes, registry, grid -------------------------------------------------
@pytest.mark.parametrize("surface", EVERY_SURFACE, ids=repr)
def test_window_holds_minima_and_start(surface):
    (xmin, xmax), (ymin, ymax) = surface.bounds
    for x, y in list(surface.minima) + [surface.start]:
        assert xmin <= x <= xmax and ymin <= y <= ymax


def test_registry():
    assert set(SURFACES) == {"quadratic", "rosenbrock", "beale", "saddle"}
    for name, cls in SURFACES.items():
        assert issubclass(cls, Surface) and cls.name == name
    assert isinstance(make_surface("quadratic", condition_number=3.0), Quadratic)
    assert make_surface("quadratic", condition_number=3.0).condition_number == 3.0


@pytest.mark.parametrize("surface", EVERY_SURFACE, ids=repr)
def test_grid(surface):
    X, Y, Z = surface.grid(n=30)
    (xmin, xmax), (ymin, ymax) = surface.bounds
    assert X.shape == Y.shape == Z.shape == (30, 30)
    assert (X.min(), X.max(), Y.min(), Y.max()) == (xmin, xmax, ymin, ymax)
    np.testing.assert_array_equal(Z, surface(np.stack([X, Y], axis=-1)))
    assert np.all(np.isfinite(Z))
    assert np.all(Z - surface.minimum_value >= -1e-12)  # the minima are global


# -- descents ---------------------------------------------------------------
def test_descend_matches_gradient_descent_in_closed_form():
    # On diag(1, kappa): x_t = (1 - lr)^t x_0, y_t = (1 - kappa lr)^t y_0.
    lr, kappa, steps = 0.15, 10.0, 40
    path = descend(Quadratic(condition_number=kappa), PlainGD, start=(-4.0, 2.0), steps=steps, lr=lr).path
    t = np.arange(steps + 1)
    assert path.shape == (steps + 1, 2)
    np.testing.assert_allclose(path[:, 0], -4.0 * (1 - lr) ** t, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], 2.0 * (1 - kappa * lr) ** t, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("optimizer, hyper", [(PlainGD, dict(lr=0.1)), (SGD, dict(lr=0.1)), (SGD, dict(lr=0.02, momentum=0.9)), (Adam, dict(lr=0.1))])
def test_descend_converges_on_the_quadratic(optimizer, hyper):
    surface = Quadratic(condition_number=10.0, angle=30.0)
    path = descend(surface, optimizer, steps=500, **hyper).path
    np.testing.assert_array_equal(path[0], surface.start)
    np.testing.assert_allclose(path[-1], surface.minimum, atol=1e-3)


def test_descend_with_sgd_equals_hand_gradient_descent():
    surface = Rosenbrock()
    np.testing.assert_allclose(
        descend(surface, SGD, steps=50, lr=1e-3).path, descend(surface, PlainGD, steps=50, lr=1e-3).path, rtol=1e-12
    )


def test_saddle_escape_depends_on_the_start():
    s = Saddle()
    stuck = descend(s, PlainGD, start=(-1.8, 0.0), steps=300, lr=0.1).path
    np.testing.assert_allclose(stuck[-1], [0.0, 0.0], atol=1e-12)  # y = 0 exactly: never leaves the ridge
    escaped = descend(s, PlainGD, steps=300, lr=0.1).path
    np.testing.assert_allclose(escaped[-1], [0.0, 1.0], atol=1e-6)


def test_descend_divergence_gives_nan_rows():
    # lr 0.5 on diag(1, 10): y_t = 2 (-4)^t -> 2, -8, 32; 32 leaves the box |y| <= 10 * 3
    path = descend(Quadratic(condition_number=10.0), PlainGD, start=(-4.0, 2.0), steps=6, lr=0.5).path
    np.testing.assert_allclose(path[:2], [[-4.0, 2.0], [-2.0, -8.0]])
    assert np.all(np.isnan(path[2:]))
    assert ESCAPE_FACTOR * 3.0 < 32.0


@pytest.mark.parametrize("surface", EVERY_SURFACE, ids=repr)
def test_huge_learning_rate_no_warnings(surface):
    # warnings are errors in this suite: overflow must not surface
    path = descend(surface, SGD, steps=20, lr=1e200).path
    assert path.shape == (21, 2) and np.all(np.isfinite(path[0]))
    finite_rows = np.all(np.isfinite(path), axis=1)
    assert not finite_rows[-1]
    # rows are finite up to the escape and NaN afterwards
    assert np.all(np.diff(finite_rows.astype(int)) <= 0)
    assert np.all(np.isnan(path[~finite_rows]))


def test_loss_along_a_diverged_path_is_nan_after_the_escape():
    surface = Quadratic(condition_number=10.0)
    path = descend(surface, PlainGD, start=(-4.0, 2.0), steps=4, lr=0.5).path
    values = surface(path)
    np.testing.assert_allclose(values[:2], [0.5 * (16 + 10 * 4), 0.5 * (4 + 10 * 64)])
    assert np.all(np.isnan(values[2:])) and np.all(np.isnan(surface.grad(path[2:])))


def test_non_finite_step_stops_the_path():
    class Explode(PlainGD):
        def step(self):
            self.params[0].data = np.array([np.inf, 0.0])

    run = descend(Beale(), Explode, steps=3, lr=1.0)
    assert np.all(np.isfinite(run.path[0])) and np.all(np.isnan(run.path[1:]))
    assert run.diverged_at == 1 and run.escape is None  # the point it jumped to is not finite


def test_descend_returns_the_path_and_the_stepped_optimizer():
    # AdaGrad on diag(1, 10) from (-4, 2): g_0 = (-4, 20), so its state "sum" is g_0^2 after one step
    # and the point moves lr per coordinate against the gradient's sign: (-4 + 0.5, 2 - 0.5)
    surface = Quadratic(condition_number=10.0)
    run = descend(surface, Adagrad, start=(-4.0, 2.0), steps=1, lr=0.5, eps=1e-12)
    path, opt = run.path, run.optimizer
    assert isinstance(opt, Adagrad)
    np.testing.assert_allclose(opt.state[0]["sum"], [16.0, 400.0])
    np.testing.assert_allclose(path, [[-4.0, 2.0], [-3.5, 1.5]])
    np.testing.assert_array_equal(opt.params[0].data, path[-1])
    assert run.diverged_at is None and run.escape is None


def test_descend_records_where_a_diverging_run_jumped():
    # H = I (condition number 1): one SGD step is p - lr p = (1 - lr) p; with lr = 30 from (-4, 2) it lands on
    # -29 (-4, 2) = (116, -58), outside the escape box (10 times the window (-5, 5) x (-3, 3), so |x| <= 50)
    run = descend(Quadratic(condition_number=1.0), SGD, steps=3, lr=30.0)
    assert run.diverged_at == 1
    assert np.isnan(run.path[1:]).all()  # the path itself stops at the escape
    np.testing.assert_allclose(run.escape, [116.0, -58.0])
    # two steps inside the box first: lr = 2.5 gives (1 - 2.5) = -1.5 per step, (-4, 2) -> (6, -3) -> (-9, 4.5)
    # -> (13.5, -6.75) -> ... -> (-4 (-1.5)^6, 2 (-1.5)^6) = (-45.6, 22.8) -> (68.3, -34.2) outside
    run = descend(Quadratic(condition_number=1.0), SGD, steps=10, lr=2.5)
    assert run.diverged_at == 7
    np.testing.assert_allclose(run.path[6], [-4.0 * 1.5**6, 2.0 * 1.5**6])
    np.testing.assert_allclose(run.escape, [4.0 * 1.5**7, -2.0 * 1.5**7])


def test_descend_keeps_float32():
    path = descend(Rosenbrock(), SGD, start=np.array([-1.0, 1.0], dtype=np.float32), steps=5, lr=1e-3).path
    assert path.dtype == np.float32


def test_zero_steps():
    np.testing.assert_array_equal(descend(Beale(), SGD, steps=0, lr=0.1).path, [Beale.start])


# -- bad input -------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: Rosenbrock()(np.zeros(3)), ValueError, "points"),
        (lambda: Beale().grad(np.zeros((4, 3))), ValueError, "points"),
        (lambda: Saddle()(np.float64(1.0)), ValueError, "points"),
        (lambda: Saddle()(np.array([np.inf, 0.0])), ValueError, "points"),
        (lambda: Rosenbrock().grad(np.array([1.0, -np.inf])), ValueError, "points"),
        (lambda: Quadratic()(["a", "b"]), TypeError, "points"),
        (lambda: Quadratic(condition_number=0.5), ValueError, "condition_number"),
        (lambda: Quadratic(angle="30"), TypeError, "angle"),
        (lambda: Rosenbrock(a=3.0), ValueError, "a"),
        (lambda: Rosenbrock(b=0.0), ValueError, "b"),
        (lambda: Beale().grid(n=1), ValueError, "n"),
        (lambda: make_surface("himmelblau"), ValueError, "name"),
        (lambda: descend("beale", SGD, lr=0.1), TypeError, "surface"),
        (lambda: descend(Beale(), "SGD", lr=0.1), TypeError, "optimizer"),
        (lambda: descend(Beale(), lambda params, lr: None, lr=0.1), TypeError, "optimizer"),
        (lambda: descend(Beale(), SGD, steps=-1, lr=0.1), ValueError, "steps"),
        (lambda: descend(Beale(), SGD, start=(1.0, 2.0, 3.0), lr=0.1), ValueError, "start"),
        (lambda: descend(Beale(), SGD, start=(np.inf, 2.0), lr=0.1), ValueError, "start"),
        (lambda: descend(Beale(), SGD, lr=-0.1), ValueError, "lr"),
        (lambda: descend(Beale(), SGD, steps=-2, lr=0.1), ValueError, "steps"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
