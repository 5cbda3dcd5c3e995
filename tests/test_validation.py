"""The argument checks behind every public entry point (dlnotes._validation)."""

import math

import numpy as np
import pytest

from dlnotes._validation import as_float_array, as_generator, check_flag, check_float_dtype, check_number


def test_check_number_returns_python_numbers():
    assert type(check_number(np.float64(0.5), "lr")) is float
    assert type(check_number(np.int64(3), "epochs", integer=True)) is int


@pytest.mark.parametrize("value", [math.inf, -math.inf])
def test_check_number_refuses_infinity_unless_allowed(value):
    with pytest.raises(ValueError, match=r"lr must be finite, got -?inf"):
        check_number(value, "lr")
    assert check_number(value, "threshold", finite=False) == value


@pytest.mark.parametrize(
    ("bounds", "value", "message"),
    [
        ({"low": 0, "low_open": True}, 0.0, r"lr must be in \(0, inf\), got 0.0"),
        ({"low": 0}, -1.0, r"lr must be in \[0, inf\), got -1.0"),
        ({"high": 1, "high_open": True}, 1.0, r"lr must be in \(-inf, 1\), got 1.0"),
        ({"low": 0, "high": 1}, 2.0, r"lr must be in \[0, 1\], got 2.0"),
    ],
)
def test_check_number_states_the_interval(bounds, value, message):
    with pytest.raises(ValueError, match=message):
        check_number(value, "lr", **bounds)


@pytest.mark.parametrize("value", [True, "0.1", None, [0.1]])
def test_check_number_refuses_non_numbers(value):
    with pytest.raises(TypeError, match="lr must be a real number"):
        check_number(value, "lr")


def test_check_number_refuses_nan():
    with pytest.raises(ValueError, match="lr must not be NaN"):
        check_number(math.nan, "lr")


def test_check_flag():
    assert check_flag(np.bool_(True), "shuffle") is True
    with pytest.raises(TypeError, match="shuffle must be True or False, got 1"):
        check_flag(1, "shuffle")


@pytest.mark.parametrize("dtype", [None, np.int32, "float16", "not a dtype"])
def test_check_float_dtype_refuses_everything_but_float32_and_float64(dtype):
    with pytest.raises(TypeError, match="dtype must be numpy.float32 or numpy.float64"):
        check_float_dtype(dtype)
    assert check_float_dtype("float32") == np.float32


def test_as_float_array_keeps_float32_and_promotes_integers():
    assert as_float_array(np.ones(2, np.float32), "x").dtype == np.float32
    assert as_float_array([1, 2], "x").dtype == np.float64
    with pytest.raises(ValueError, match="x must be finite"):
        as_float_array([1.0, np.nan], "x")
    with pytest.raises(ValueError, match=r"x must be 2-D, got shape \(2,\)"):
        as_float_array([1.0, 2.0], "x", ndim=2)
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        as_float_array(["a"], "x")


def test_as_generator():
    assert as_generator(3).random() == np.random.default_rng(3).random()
    with pytest.raises(ValueError, match="rng seed must be non-negative"):
        as_generator(-1)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        as_generator(np.random.RandomState(0))
