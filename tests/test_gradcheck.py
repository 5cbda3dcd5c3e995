"""Tests of dlnotes.gradcheck and dlnotes._validation, with small modules and losses defined here."""

import numpy as np
import pytest

from dlnotes._validation import (
    as_float_array,
    as_generator,
    check_choice,
    check_flag,
    check_float_dtype,
    check_number,
    check_same_shape,
)
from dlnotes.gradcheck import check_loss_gradients, check_module_gradients, numerical_gradient, rel_error
from dlnotes.nn.module import Module, Parameter


# -- rel_error --------------------------------------------------------------------
def test_rel_error_at_hand_picked_arrays():
    # max|a - b| = 1, max|a| + max|b| = 2 + 3 = 5
    assert rel_error([1.0, 2.0], [1.0, 3.0]) == pytest.approx(1 / 5)
    assert rel_error([0.5, -2.0], [0.5, -2.0]) == 0.0
    # both zero: the denominator is floored at 1e-8, not 0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(np.zeros(0), np.zeros(0)) == 0.0


def test_rel_error_rejects_mismatched_shapes_and_nan():
    with pytest.raises(ValueError, match="b must have the shape of a"):
        rel_error(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="a must be finite"):
        rel_error([np.nan], [1.0])


# -- numerical_gradient ------------------------------------------------------------
def test_numerical_gradient_of_a_quadratic():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    # f = sum(x^3) has gradient 3 x^2
    g = numerical_gradient(lambda: float(np.sum(x**3)), x)
    assert rel_error(g, 3 * x**2) < 1e-8
    assert np.array_equal(x, [[1.0, -2.0], [0.5, 3.0]]), "x must be restored"


def test_numerical_gradient_perturbs_a_non_contiguous_view():
    # A transposed view: flattening it with reshape would perturb a copy and give zeros.
    x = np.arange(6.0).reshape(2, 3).T
    g = numerical_gradient(lambda: float(np.sum(x**2)), x)
    assert rel_error(g, 2 * x) < 1e-8


def test_numerical_gradient_bad_input():
    with pytest.raises(TypeError, match="x must be a float64"):
        numerical_gradient(lambda: 0.0, np.zeros(2, dtype=np.float32))
    with pytest.raises(TypeError, match="x must be a float64"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(TypeError, match="f must be callable"):
        numerical_gradient(3.0, np.zeros(2))
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(lambda: 0.0, np.zeros(2), eps=0.0)


# -- check_module_gradients / check_loss_gradients ----------------------------------
class Affine(Module):
    """y = x W + b, written here so the checker is tested apart from dlnotes.nn."""

    def __init__(self, W, b, wrong=False):
        super().__init__()
        self.W = Parameter(W)
        self.b = Parameter(b)
        self.wrong = wrong

    def forward(self, x):
        self.x = x
        return x @ self.W.data + self.b.data

    def backward(self, grad_out):
        self.W.grad += self.x.T @ grad_out * (2.0 if self.wrong else 1.0)
        self.b.grad += grad_out.sum(axis=0)
        return grad_out @ self.W.data.T


def test_check_module_gradients_passes_a_correct_backward():
    rng = np.random.default_rng(0)
    module = Affine(rng.standard_normal((3, 2)), rng.standard_normal(2))
    errors = check_module_gradients(module, rng.standard_normal((4, 3)), rng=1)
    assert set(errors) == {"input", "W", "b"}
    assert max(errors.values()) < 1e-6


def test_check_module_gradients_catches_a_wrong_backward():
    rng = np.random.default_rng(0)
    module = Affine(rng.standard_normal((3, 2)), rng.standard_normal(2), wrong=True)
    errors = check_module_gradients(module, rng.standard_normal((4, 3)), rng=1)
    assert errors["W"] > 0.1
    assert errors["b"] < 1e-6 and errors["input"] < 1e-6


def test_check_module_gradients_refuses_float32_parameters():
    module = Affine(np.ones((2, 2), dtype=np.float32), np.zeros(2, dtype=np.float32))
    with pytest.raises(TypeError, match="float64"):
        check_module_gradients(module, np.ones((1, 2)), rng=0)


class SquaredError:
    """Sum or mean of (pred - target)^2 with a backward, possibly wrong by a factor."""

    def __init__(self, reduction="mean", factor=1.0):
        self.reduction, self.factor = reduction, factor

    def __call__(self, pred, target):
        self.diff = pred - target
        losses = self.diff**2
        return losses if self.reduction == "none" else float(np.mean(losses))

    def backward(self):
        scale = 1.0 if self.reduction == "none" else 1.0 / self.diff.size
        return self.factor * 2.0 * self.diff * scale


@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_check_loss_gradients(reduction):
    pred, target = np.array([0.5, -1.0, 2.0]), np.array([0.0, 1.0, 1.5])
    assert check_loss_gradients(SquaredError(reduction), pred, target) < 1e-6
    assert check_loss_gradients(SquaredError(reduction, factor=1.5), pred, target) > 0.1


# -- _validation ----------------------------------------------------------------------
def test_as_float_array_keeps_float_dtypes_and_upcasts_ints():
    assert as_float_array(np.ones(2, dtype=np.float32), "x").dtype == np.float32
    assert as_float_array(np.ones(2), "x").dtype == np.float64
    assert as_float_array([1, 2], "x").dtype == np.float64
    assert as_float_array([True, False], "x").dtype == np.float64


def test_as_float_array_errors_name_the_argument():
    with pytest.raises(TypeError, match="weights must be an array of real numbers"):
        as_float_array(["a", "b"], "weights")
    with pytest.raises(TypeError, match="weights"):
        as_float_array([[1.0], [1.0, 2.0]], "weights")
    with pytest.raises(TypeError, match="weights"):
        as_float_array(np.array([1 + 2j]), "weights")
    with pytest.raises(ValueError, match=r"weights must be 2-D, got shape \(3,\)"):
        as_float_array(np.ones(3), "weights", ndim=2)
    with pytest.raises(ValueError, match="weights must be finite"):
        as_float_array([1.0, np.inf], "weights")
    assert np.isnan(as_float_array([np.nan], "weights", finite=False)[0])


def test_check_number_accepts_and_returns_valid_values():
    assert check_number(0.5, "lr", low=0, low_open=True) == 0.5
    assert check_number(1, "p", low=0, high=1) == 1
    assert check_number(np.int64(3), "epochs", low=1, integer=True) == 3


def test_check_number_errors_name_the_argument_and_value():
    with pytest.raises(ValueError, match=r"lr must be in \(0, inf\), got -0.1"):
        check_number(-0.1, "lr", low=0, low_open=True)
    with pytest.raises(ValueError, match=r"lr must be in \(0, inf\), got 0"):
        check_number(0, "lr", low=0, low_open=True)
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\), got 1"):
        check_number(1, "p", low=0, high=1, high_open=True)
    with pytest.raises(ValueError, match="momentum must not be NaN"):
        check_number(float("nan"), "momentum")
    with pytest.raises(TypeError, match="epochs must be an integer, got 2.5"):
        check_number(2.5, "epochs", integer=True)
    with pytest.raises(TypeError, match="epochs must be an integer, got True"):
        check_number(True, "epochs", integer=True)
    with pytest.raises(TypeError, match="lr must be a real number, got '0.1'"):
        check_number("0.1", "lr")


def test_check_choice_and_check_same_shape():
    assert check_choice("mean", "reduction", {"mean", "sum"}) == "mean"
    with pytest.raises(ValueError, match=r"reduction must be one of \['mean', 'sum'\], got 'avg'"):
        check_choice("avg", "reduction", {"mean", "sum"})
    with pytest.raises(ValueError, match="reduction"):
        check_choice(None, "reduction", {"mean", "sum"})
    check_same_shape(np.zeros(2), np.ones(2), "pred", "target")
    with pytest.raises(ValueError, match=r"target must have the shape of pred \(2,\), got shape \(3,\)"):
        check_same_shape(np.zeros(2), np.ones(3), "pred", "target")


def test_as_generator():
    gen = np.random.default_rng(0)
    assert as_generator(gen) is gen
    assert as_generator(5).random() == np.random.default_rng(5).random()
    assert isinstance(as_generator(None), np.random.Generator)
    with pytest.raises(ValueError, match="rng seed must be non-negative, got -1"):
        as_generator(-1)
    with pytest.raises(TypeError, match="rng must be"):
        as_generator(True)
    with pytest.raises(TypeError, match="seed must be"):
        as_generator(0.5, name="seed")


def test_check_flag():
    assert check_flag(True, "shuffle") is True
    assert check_flag(np.bool_(False), "shuffle") is False
    for bad in (1, 0, "yes", None):
        with pytest.raises(TypeError, match=f"shuffle must be True or False, got {bad!r}"):
            check_flag(bad, "shuffle")


def test_check_float_dtype():
    assert check_float_dtype(np.float32) == np.float32
    assert check_float_dtype("float64") == np.float64
    with pytest.raises(TypeError, match="dtype must be numpy.float32 or numpy.float64"):
        check_float_dtype(np.int64)
    with pytest.raises(TypeError, match="precision must be numpy.float32 or numpy.float64, got 'not a dtype'"):
        check_float_dtype("not a dtype", "precision")


def test_check_module_gradients_leaves_the_module_as_it_found_it():
    from dlnotes.nn import BatchNorm1d, Linear, Sequential

    model = Sequential(Linear(3, 4, rng=0), BatchNorm1d(4))
    model[0].W.grad[...] = 7.0
    before = model.state_dict()
    check_module_gradients(model, np.random.default_rng(1).standard_normal((5, 3)), rng=2)
    np.testing.assert_array_equal(model[0].W.grad, np.full((3, 4), 7.0))
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_numerical_gradient_accepts_a_numpy_step():
    x = np.array([1.0, -2.0])
    grad = numerical_gradient(lambda: float(np.sum(x**2)), x, eps=np.float32(1e-4))
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8)
