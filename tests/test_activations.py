"""Tests of dlnotes.activations: closed-form values, gradients, dtypes, extremes, invariants, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from dlnotes import activations as A
from dlnotes.gradcheck import numerical_gradient, rel_error

LOG2, LOG3 = math.log(2), math.log(3)
PHI1 = 0.5 * (1 + math.erf(1 / math.sqrt(2)))  # standard normal CDF at 1, from the standard library
DENSITY1 = math.exp(-0.5) / math.sqrt(2 * math.pi)  # standard normal density at 1

# name -> keyword-argument sets tried for that activation (the defaults first)
HYPERPARAMETERS = {
    "sigmoid": [{}],
    "tanh": [{}],
    "relu": [{}],
    "leaky_relu": [{}, {"negative_slope": 0.2}, {"negative_slope": -0.5}],
    "elu": [{}, {"alpha": 0.5}, {"alpha": 2.0}],
    "softplus": [{}, {"beta": 2.0, "threshold": 5.0}, {"beta": 0.5, "threshold": math.inf}],
    "gelu": [{}],
    "silu": [{}],
}
CASES = [(name, kw) for name, kws in HYPERPARAMETERS.items() for kw in kws]
CASE_IDS = [name + "".join(f"-{k}={v}" for k, v in kw.items()) for name, kw in CASES]
FLOATS = [np.float32, np.float64]


def no_fp_errors():
    """Turn overflow, divide-by-zero and invalid operations into exceptions (quiet underflow is fine)."""
    return np.errstate(over="raise", divide="raise", invalid="raise", under="ignore")


# -- closed-form values, worked out by hand ------------------------------------
# Notation: sigma(log 3) = 1 / (1 + 1/3) = 3/4 and sigma(-log 3) = 1/4;
# tanh(log 2) = (2 - 1/2) / (2 + 1/2) = 3/5.

VALUES = [
    # (function, x, keyword arguments, expected)
    (A.sigmoid, [0.0, LOG3, -LOG3], {}, [0.5, 0.75, 0.25]),
    (A.sigmoid_grad, [0.0, LOG3, -LOG3], {}, [0.25, 3 / 16, 3 / 16]),
    (A.tanh, [0.0, LOG2, -LOG2], {}, [0.0, 0.6, -0.6]),
    (A.tanh_grad, [0.0, LOG2, -LOG2], {}, [1.0, 0.64, 0.64]),
    (A.relu, [-2.0, 0.0, 3.0], {}, [0.0, 0.0, 3.0]),
    (A.relu_grad, [-2.0, 0.0, 3.0], {}, [0.0, 0.0, 1.0]),  # 0 at the kink, as PyTorch
    (A.leaky_relu, [-100.0, 0.0, 3.0], {}, [-1.0, 0.0, 3.0]),
    (A.leaky_relu, [-2.0, 0.0, 3.0], {"negative_slope": 0.1}, [-0.2, 0.0, 3.0]),
    (A.leaky_relu_grad, [-2.0, 0.0, 3.0], {"negative_slope": 0.1}, [0.1, 0.1, 1.0]),  # slope at the kink
    (A.leaky_relu_grad, [-2.0, 3.0], {}, [0.01, 1.0]),
    (A.elu, [-1.0, 0.0, 2.0], {}, [math.exp(-1) - 1, 0.0, 2.0]),
    (A.elu, [-LOG2, 2.0], {"alpha": 2.0}, [-1.0, 2.0]),  # 2 (1/2 - 1) = -1
    (A.elu_grad, [-1.0, 0.0, 2.0], {}, [math.exp(-1), 1.0, 1.0]),
    (A.elu_grad, [-LOG2, 0.0, 2.0], {"alpha": 2.0}, [1.0, 2.0, 1.0]),  # alpha at the kink, as PyTorch
    (A.softplus, [0.0, LOG3, -LOG3], {}, [LOG2, math.log(4), math.log(4 / 3)]),
    (A.softplus, [0.0, LOG3 / 2], {"beta": 2.0}, [LOG2 / 2, math.log(4) / 2]),
    (A.softplus, [30.0, 21.0], {}, [30.0, 21.0]),  # beta x > threshold = 20: linear
    (A.softplus, [11.0, 9.0], {"beta": 2.0}, [11.0, math.log1p(math.exp(18)) / 2]),
    (A.softplus, [LOG3], {"threshold": 1.0}, [LOG3]),  # log 3 > 1: linear
    (A.softplus_grad, [0.0, LOG3, -LOG3, 30.0], {}, [0.5, 0.75, 0.25, 1.0]),
    (A.softplus_grad, [LOG3 / 2, 11.0], {"beta": 2.0}, [0.75, 1.0]),
    (A.gelu, [0.0, 1.0, -1.0], {}, [0.0, PHI1, -(1 - PHI1)]),
    (A.gelu_grad, [0.0, 1.0, -1.0], {}, [0.5, PHI1 + DENSITY1, 1 - PHI1 - DENSITY1]),
    (A.silu, [0.0, LOG3, -LOG3], {}, [0.0, 0.75 * LOG3, -0.25 * LOG3]),
    (A.silu_grad, [0.0, LOG3], {}, [0.5, 0.75 * (1 + 0.25 * LOG3)]),
    (A.softmax, [0.0, LOG2], {}, [1 / 3, 2 / 3]),
    (A.softmax, [5.0, 5.0, 5.0, 5.0], {}, [0.25, 0.25, 0.25, 0.25]),
    (A.log_softmax, [0.0, LOG2], {}, [-LOG3, LOG2 - LOG3]),
    (A.log_softmax, [1e4, 0.0], {}, [0.0, -1e4]),  # e^-1e4 underflows, the log does not
]


@pytest.mark.parametrize(("function", "x", "kwargs", "expected"), VALUES)
def test_closed_form_values(function, x, kwargs, expected):
    np.testing.assert_allclose(function(np.array(x), **kwargs), expected, rtol=1e-12, atol=1e-15)


def test_softmax_along_an_axis():
    x = np.array([[0.0, 1.0], [LOG2, 1.0]])
    np.testing.assert_allclose(A.softmax(x, axis=0), [[1 / 3, 0.5], [2 / 3, 0.5]], rtol=1e-12)
    np.testing.assert_allclose(A.log_softmax(x, axis=-2), [[-LOG3, -LOG2], [LOG2 - LOG3, -LOG2]], rtol=1e-12)
    np.testing.assert_allclose(A.softmax(x, axis=1)[0], [1 / (1 + math.e), math.e / (1 + math.e)], rtol=1e-12)


def test_gelu_matches_the_normal_cdf_from_the_standard_library():
    """x Phi(x) with Phi from math.erfc: to 1e-12 relative where 1 + erf does not cancel (x >= -3),
    to 1e-15 absolute in the far left tail, where the (PyTorch) form 1 + erf rounds to a few ulps."""
    x = np.concatenate([np.linspace(-37, 37, 4001), [-1e-8, 1e-8]])
    expected = np.array([v * 0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
    expected_grad = np.array(
        [0.5 * math.erfc(-v / math.sqrt(2)) + v * math.exp(-v * v / 2) / math.sqrt(2 * math.pi) for v in x]
    )
    body = x >= -3
    np.testing.assert_allclose(A.gelu(x)[body], expected[body], rtol=1e-12)
    np.testing.assert_allclose(A.gelu_grad(x)[body], expected_grad[body], rtol=1e-12)
    np.testing.assert_allclose(A.gelu(x)[~body], expected[~body], rtol=0, atol=1e-15)
    np.testing.assert_allclose(A.gelu_grad(x)[~body], expected_grad[~body], rtol=0, atol=1e-15)


def test_kink_conventions_follow_pytorch():
    zero = np.zeros(1)
    assert A.relu_grad(zero)[0] == 0.0
    assert A.leaky_relu_grad(zero, negative_slope=0.3)[0] == 0.3
    assert A.elu_grad(zero, alpha=0.7)[0] == 0.7


def test_registry_pairs_each_function_with_its_derivative():
    assert list(A.ACTIVATIONS) == list(HYPERPARAMETERS)
    for name, (function, derivative) in A.ACTIVATIONS.items():
        assert function is getattr(A, name)
        assert derivative is getattr(A, name + "_grad")


def test_registry_names_have_a_plot_style():
    from dlnotes.book.plot import STYLES

    assert set(A.ACTIVATIONS) <= set(STYLES)


# -- derivatives against centred differences -------------------------------------

# float64 points away from every kink (0 for ReLU-like, beta x = threshold for softplus),
# covering both branches of erfc (|x| / sqrt 2 below and above 2)
GRID = np.concatenate([np.linspace(-6.05, 6.05, 22), [-0.3, 0.2, 9.5, -9.5]])


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=CASE_IDS)
def test_derivative_matches_centred_differences(name, kwargs):
    function, derivative = A.ACTIVATIONS[name]
    x = GRID.copy()
    numeric = numerical_gradient(lambda: float(np.sum(function(x, **kwargs))), x)
    assert rel_error(derivative(x, **kwargs), numeric) < 1e-6


def test_log_softmax_gradient_rows_are_identity_minus_softmax():
    # d/dx_j sum_i w_i log_softmax(x)_i = w_j - softmax(x)_j * sum_i w_i
    x = np.array([0.3, -1.2, 2.0, 0.7])
    w = np.array([0.5, -1.0, 2.0, 0.25])
    numeric = numerical_gradient(lambda: float(np.sum(w * A.log_softmax(x))), x)
    assert rel_error(w - A.softmax(x) * w.sum(), numeric) < 1e-6


# -- dtypes ----------------------------------------------------------------------

FUNCTIONS = [(f, kw) for name, kw in CASES for f in A.ACTIVATIONS[name]]
ALL_FUNCTIONS = [f for pair in A.ACTIVATIONS.values() for f in pair] + [A.softmax, A.log_softmax]
FUNCTION_IDS = [f"{f.__name__}-{i}" for i, (f, _) in enumerate(FUNCTIONS)]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(("function", "kwargs"), FUNCTIONS, ids=FUNCTION_IDS)
def test_dtype_is_kept(function, kwargs, dtype):
    x = np.linspace(-3, 3, 7).astype(dtype)
    assert function(x, **kwargs).dtype == dtype


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("function", [A.softmax, A.log_softmax])
def test_softmax_dtype_is_kept(function, dtype):
    assert function(np.ones((2, 3), dtype=dtype)).dtype == dtype


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=[f.__name__ for f in ALL_FUNCTIONS])
def test_integers_become_float64(function):
    assert function(np.array([-2, 0, 3])).dtype == np.float64


def test_numpy_float64_hyperparameters_keep_float32():
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    assert A.leaky_relu(x, negative_slope=np.float64(0.2)).dtype == np.float32
    assert A.elu(x, alpha=np.float64(2.0)).dtype == np.float32
    assert A.softplus(x, beta=np.float64(2.0), threshold=np.float64(5.0)).dtype == np.float32


def test_float32_gelu_agrees_with_float64():
    x = np.linspace(-8, 8, 161)
    np.testing.assert_allclose(A.gelu(x.astype(np.float32)), A.gelu(x), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(A.gelu_grad(x.astype(np.float32)), A.gelu_grad(x), rtol=1e-6, atol=1e-7)


# -- extreme inputs --------------------------------------------------------------

EXTREMES = [-1e4, -1e3, -100.0, -30.0, -1.0, 0.0, 1.0, 30.0, 100.0, 1e3, 1e4]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(("function", "kwargs"), FUNCTIONS, ids=FUNCTION_IDS)
def test_extreme_inputs_are_finite_and_quiet(function, kwargs, dtype):
    x = np.array(EXTREMES, dtype=dtype)
    with no_fp_errors():
        out = function(x, **kwargs)
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("dtype", FLOATS)
def test_extreme_values_are_right(dtype):
    x = np.array([-1e4, 1e4], dtype=dtype)
    with no_fp_errors():
        np.testing.assert_array_equal(A.sigmoid(x), [0, 1])
        np.testing.assert_array_equal(A.tanh(x), [-1, 1])
        np.testing.assert_array_equal(A.softplus(x), [0, 1e4])
        np.testing.assert_array_equal(A.softplus(x, threshold=math.inf), [0, 1e4])
        np.testing.assert_array_equal(A.elu(x), [-1, 1e4])
        np.testing.assert_array_equal(A.gelu(x), [0, 1e4])
        np.testing.assert_array_equal(A.silu(x), [0, 1e4])
        for derivative in (A.sigmoid_grad, A.tanh_grad):
            np.testing.assert_array_equal(derivative(x), [0, 0])
        for derivative in (A.softplus_grad, A.gelu_grad, A.silu_grad, A.relu_grad):
            np.testing.assert_array_equal(derivative(x), [0, 1])


@pytest.mark.parametrize("dtype", FLOATS)
def test_extreme_softmax_is_finite_and_quiet(dtype):
    x = np.array([[-1e4, 0.0, 1e4], [1e4, 1e4, -1e4], [-1e4, -1e4, -1e4]], dtype=dtype)
    with no_fp_errors():
        p = A.softmax(x)
        log_p = A.log_softmax(x)
        p0 = A.softmax(x, axis=0)
        log_p0 = A.log_softmax(x, axis=0)
    for out in (p, log_p, p0, log_p0):
        assert np.all(np.isfinite(out))
    np.testing.assert_allclose(p, [[0, 0, 1], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
    np.testing.assert_allclose(log_p, [[-2e4, -1e4, 0], [-LOG2, -LOG2, -2e4 - LOG2], [-LOG3, -LOG3, -LOG3]], rtol=1e-6)


def test_empty_softmax_is_empty():
    with no_fp_errors():
        assert A.softmax(np.zeros((3, 0))).shape == (3, 0)
        assert A.log_softmax(np.zeros((3, 0))).shape == (3, 0)


# -- invariants --------------------------------------------------------------------

REALS = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)
VECTORS = arrays(np.float64, array_shapes(min_dims=1, max_dims=1, max_side=20), elements=REALS)
MATRICES = arrays(np.float64, array_shapes(min_dims=2, max_dims=2, max_side=8), elements=REALS)


@settings(deadline=None, database=None)
@given(MATRICES, st.sampled_from([0, 1, -1]))
def test_softmax_is_a_distribution(x, axis):
    p = A.softmax(x, axis=axis)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-12)


@settings(deadline=None, database=None)
@given(MATRICES, st.sampled_from([0, 1, -1]))
def test_log_softmax_is_the_log_of_softmax(x, axis):
    log_p = A.log_softmax(x, axis=axis)
    p = A.softmax(x, axis=axis)
    assert np.all(log_p <= 0)
    kept = p > 1e-300  # where the softmax has not underflowed
    np.testing.assert_allclose(log_p[kept], np.log(p[kept]), rtol=1e-9, atol=1e-12)


@settings(deadline=None, database=None)
@given(VECTORS)
def test_softmax_ignores_a_shift(x):
    np.testing.assert_allclose(A.softmax(x + 3.5), A.softmax(x), rtol=1e-9, atol=1e-300)


@settings(deadline=None, database=None)
@given(VECTORS)
def test_sigmoid_is_point_symmetric(x):
    np.testing.assert_allclose(A.sigmoid(-x), 1 - A.sigmoid(x), rtol=0, atol=3e-16)  # a few roundings of 1


@settings(deadline=None, database=None)
@given(VECTORS)
def test_sigmoid_grad_is_at_most_a_quarter(x):
    g = A.sigmoid_grad(x)
    assert np.all((g >= 0) & (g <= 0.25))


MONOTONE = [
    (name, kw)
    for name, kw in CASES
    if name in {"sigmoid", "tanh", "relu", "softplus"}
    or (name == "leaky_relu" and kw.get("negative_slope", 0.01) >= 0)
    or (name == "elu" and kw.get("alpha", 1.0) >= 0)
]


@pytest.mark.parametrize(("name", "kwargs"), MONOTONE, ids=[f"{n}{kw}" for n, kw in MONOTONE])
@settings(deadline=None, database=None)
@given(x=VECTORS)
def test_monotone_functions_have_non_negative_derivatives(name, kwargs, x):
    derivative = A.ACTIVATIONS[name][1]
    assert np.all(derivative(x, **kwargs) >= 0)


@settings(deadline=None, database=None)
@given(VECTORS)
def test_gelu_symmetries(x):
    # Phi(x) + Phi(-x) = 1 gives gelu(x) - gelu(-x) = x and gelu'(x) + gelu'(-x) = 1
    np.testing.assert_allclose(A.gelu(x) - A.gelu(-x), x, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(A.gelu_grad(x) + A.gelu_grad(-x), 1.0, rtol=1e-12)


@settings(deadline=None, database=None)
@given(VECTORS)
def test_tanh_grad_is_one_minus_tanh_squared(x):
    np.testing.assert_allclose(A.tanh_grad(x), 1 - A.tanh(x) ** 2, rtol=0, atol=1e-15)


# -- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=[f.__name__ for f in ALL_FUNCTIONS])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_rejected(function, bad):
    with pytest.raises(ValueError, match="x must be finite"):
        function(np.array([0.0, bad]))


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=[f.__name__ for f in ALL_FUNCTIONS])
def test_non_numeric_input_is_rejected(function):
    with pytest.raises(TypeError, match="x must be"):
        function(np.array(["a", "b"]))


BAD_HYPERPARAMETERS = [
    ("leaky_relu", {"negative_slope": math.nan}, ValueError, "negative_slope"),
    ("leaky_relu", {"negative_slope": math.inf}, ValueError, "negative_slope"),
    ("leaky_relu", {"negative_slope": "0.1"}, TypeError, "negative_slope"),
    ("leaky_relu", {"negative_slope": True}, TypeError, "negative_slope"),
    ("elu", {"alpha": math.nan}, ValueError, "alpha"),
    ("elu", {"alpha": -math.inf}, ValueError, "alpha"),
    ("elu", {"alpha": None}, TypeError, "alpha"),
    ("softplus", {"beta": 0.0}, ValueError, "beta"),
    ("softplus", {"beta": -1.0}, ValueError, "beta"),
    ("softplus", {"beta": math.inf}, ValueError, "beta"),
    ("softplus", {"beta": math.nan}, ValueError, "beta"),
    ("softplus", {"beta": "1"}, TypeError, "beta"),
    ("softplus", {"threshold": 0.0}, ValueError, "threshold"),
    ("softplus", {"threshold": -20.0}, ValueError, "threshold"),
    ("softplus", {"threshold": math.nan}, ValueError, "threshold"),
    ("softplus", {"threshold": [20]}, TypeError, "threshold"),
]


@pytest.mark.parametrize(("name", "kwargs", "error", "argument"), BAD_HYPERPARAMETERS)
@pytest.mark.parametrize("which", [0, 1], ids=["function", "derivative"])
def test_bad_hyperparameters_are_rejected(name, kwargs, error, argument, which):
    with pytest.raises(error, match=argument):
        A.ACTIVATIONS[name][which](np.zeros(3), **kwargs)


@pytest.mark.parametrize("function", [A.softmax, A.log_softmax])
@pytest.mark.parametrize(
    ("axis", "error"), [(2, ValueError), (-3, ValueError), (1.0, TypeError), (True, TypeError), ("0", TypeError)]
)
def test_bad_axis_is_rejected(function, axis, error):
    with pytest.raises(error, match="axis"):
        function(np.zeros((2, 3)), axis=axis)


@pytest.mark.parametrize("function", [A.softmax, A.log_softmax])
def test_softmax_of_a_scalar_is_rejected(function):
    with pytest.raises(ValueError, match="x must have at least one dimension"):
        function(1.0)


def test_gelu_grad_is_quiet_far_beyond_1e4():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        np.testing.assert_array_equal(A.gelu_grad(np.array([-1e200, 1e200])), [0.0, 1.0])


def test_sigmoid_and_tanh_derivatives_round_to_0_where_the_module_docstring_says():
    # σ(1 - σ) and 1 - tanh², as PyTorch: 0 once the exact value is below about eps/2
    assert A.sigmoid_grad(40.0) == 0.0  # exactly e^{-40} / (1 + e^{-40})² = 4.25e-18
    assert A.sigmoid_grad(36.0) > 0 and A.sigmoid_grad(36.8) == 0
    assert A.tanh_grad(18.9) > 0 and A.tanh_grad(19.0) == 0
    # float32 arrays (NumPy 1.x computes a float32 scalar's exp by another path, a last bit apart)
    assert A.sigmoid_grad(np.float32([16.5]))[0] > 0 and A.sigmoid_grad(np.float32([16.7]))[0] == 0
    assert A.tanh_grad(np.float32(9.9)) > 0 and A.tanh_grad(np.float32(10.0)) == 0
