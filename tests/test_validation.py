"""The argument checks behind every public entry point (dlnotes._validation)."""

import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlnotes._validation import (
    all_finite,
    as_array,
    as_float_array,
    as_generator,
    check_flag,
    check_float_dtype,
    check_number,
)


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


def test_as_generator_accepts_numpy_integer_seeds():
    assert as_generator(np.int64(3)).random() == np.random.default_rng(3).random()
    assert as_generator(np.uint8(3)).random() == np.random.default_rng(3).random()


def test_check_number_accepts_numpy_scalars_of_every_width():
    assert check_number(np.float32(0.25), "test_size", low=0, high=1) == 0.25
    assert type(check_number(np.float32(0.25), "lr")) is float
    assert check_number(np.int32(32), "batch_size", low=1, integer=True) == 32
    with pytest.raises(TypeError, match="batch_size must be an integer"):
        check_number(np.float64(32.0), "batch_size", integer=True)


# -- ragged lists -------------------------------------------------------------------
@pytest.mark.parametrize("ragged", [[[1, 2], [3]], [[[1.0]], [[1.0, 2.0]]], [1.0, [2.0, 3.0]]])
def test_ragged_lists_name_the_argument(ragged):
    for convert in (as_array, as_float_array):
        with pytest.raises(TypeError, match=r"^y must be an array of numbers with rows of equal length, got") as info:
            convert(ragged, "y")
        assert "inhomogeneous" not in str(info.value)


def test_as_array_keeps_what_numpy_makes():
    assert as_array([1, 2], "y").dtype.kind == "i"
    x = np.ones(3, np.float32)
    assert as_array(x, "x") is x


# -- finiteness with one sum ------------------------------------------------------------
@given(arrays(st.sampled_from([np.float16, np.float32, np.float64]), st.integers(0, 30),
              elements=st.floats(allow_nan=True, allow_infinity=True, width=16)))
def test_all_finite_agrees_with_the_entry_by_entry_test(x):
    assert all_finite(x) == bool(np.all(np.isfinite(x)))


def test_all_finite_when_the_sum_of_finite_entries_overflows():
    """1e308 + 1e308 overflows to inf; every entry is finite all the same (and no warning escapes)."""
    assert all_finite(np.array([1e308, 1e308]))
    assert all_finite(np.full(3, 6e4, dtype=np.float16))
    assert not all_finite(np.array([1e308, 1e308, np.nan]))
    assert not all_finite(np.array([np.inf, -np.inf]))
    assert as_float_array([1e308, 1e308], "x").tolist() == [1e308, 1e308]


@given(st.sampled_from([np.float32, np.float64]), st.sampled_from([np.nan, np.inf, -np.inf, None]),
       st.integers(0, 5000 - 1), st.booleans())
def test_all_finite_on_arrays_large_enough_for_the_dot_product(dtype, bad, where, strided):
    """From 4096 entries on the test is a sum of squares: one NaN or infinity anywhere is found, in any layout."""
    x = np.linspace(-1e4, 1e4, 2 * 5000).astype(dtype)
    x = x[::2] if strided else x[:5000]
    if bad is not None:
        x[where] = bad
    assert all_finite(x) == bool(np.all(np.isfinite(x)))


def test_all_finite_when_the_sum_of_squares_overflows():
    """(1e20)^2 overflows float32; every entry is finite all the same, and no warning escapes."""
    x = np.full((64, 100), 1e20, dtype=np.float32)
    assert all_finite(x)
    x[3, 7] = np.nan
    assert not all_finite(x)


def test_the_finiteness_check_makes_no_boolean_copy_of_the_array():
    """A boolean mask of 2**20 entries takes 1 MiB; checking the array allocates far less."""
    x = np.random.default_rng(0).standard_normal(2**20)
    tracemalloc.start()
    try:
        as_float_array(x, "x")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2**20 // 8
