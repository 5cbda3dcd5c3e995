"""Argument checks shared by every public entry point.

Each check raises ``TypeError`` (wrong type) or ``ValueError`` (wrong value)
with a message that names the argument and shows the value received, so a
student never meets a NumPy broadcasting error or a silent NaN instead.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def _show(value) -> str:
    """A short text of ``value`` for an error message."""
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return f"array({value.tolist()!r}, dtype={value.dtype})"
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def as_array(x, name: str) -> np.ndarray:
    """``np.asarray(x)``, with a ``TypeError`` naming ``name`` where NumPy cannot make one array of ``x``.

    That is mostly a ragged list such as ``[[1, 2], [3]]``, whose rows differ
    in length; NumPy's own message speaks of an "inhomogeneous shape".
    """
    try:
        return np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name} must be an array of numbers with rows of equal length, got {_show(x)}") from exc


#: From this many entries on, :func:`all_finite` tests with a dot product (measured faster in float32 and float64).
_DOT_FROM = 4096


def all_finite(arr: np.ndarray) -> bool:
    """Whether every entry of a numeric array is finite, at the cost of one reduction.

    A large contiguous floating array is tested by its sum of squares
    :math:`\\sum_i x_i^2`, one BLAS dot product without a temporary: a NaN
    or an infinity makes it NaN or infinite, so a finite result proves every
    entry finite. Squares of large finite entries (above about 1e19 in
    float32) can overflow, so a non-finite result is followed by the
    entry-by-entry test ``np.isfinite``, which also serves small arrays (where
    it is faster than the dot product and its warning guard) and the others.
    """
    if arr.size >= _DOT_FROM and arr.dtype.kind == "f" and arr.dtype.itemsize >= 4 and arr.flags.c_contiguous:
        flat = arr.reshape(-1)
        with np.errstate(over="ignore", invalid="ignore"):
            if math.isfinite(np.dot(flat, flat)):
                return True
    return bool(np.logical_and.reduce(np.isfinite(arr), axis=None))


def as_float_array(x, name: str, *, ndim: int | None = None, finite: bool = True) -> np.ndarray:
    """Return ``x`` as a floating NumPy array, keeping float32 and float64.

    Integers and booleans become float64. Raises ``TypeError`` for anything
    that is not numeric (a ragged list included), and ``ValueError`` for the
    wrong number of dimensions or (when ``finite``) a NaN or infinite entry.
    """
    arr = as_array(x, name)
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}: {_show(x)}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if finite and not all_finite(arr):
        raise ValueError(f"{name} must be finite, got a NaN or infinite entry in {_show(arr)}")
    return arr


def check_number(
    value,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
    finite: bool = True,
):
    """Check a scalar hyperparameter and return it as a Python ``int`` or ``float``.

    ``low``/``high`` bound it (closed unless ``low_open``/``high_open``);
    ``integer`` demands an int; ``finite`` refuses ``±inf``. Raises
    ``TypeError`` for a non-number (bools included) and ``ValueError`` for NaN
    or a value out of range. A Python ``float`` keeps float32 arithmetic in
    float32, where a NumPy float64 scalar would upcast it.
    """
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kind):
        what = "an integer" if integer else "a real number"
        raise TypeError(f"{name} must be {what}, got {_show(value)}")
    if value != value:  # NaN
        raise ValueError(f"{name} must not be NaN, got {value!r}")
    if finite and value in (math.inf, -math.inf):
        raise ValueError(f"{name} must be finite, got {value!r}")
    too_low = low is not None and (value < low or (low_open and value == low))
    too_high = high is not None and (value > high or (high_open and value == high))
    if too_low or too_high:
        left = "(-inf" if low is None else ("(" if low_open else "[") + f"{low}"
        right = "inf)" if high is None else f"{high}" + (")" if high_open else "]")
        raise ValueError(f"{name} must be in {left}, {right}, got {value!r}")
    return int(value) if integer else float(value)


def check_flag(value, name: str) -> bool:
    """Check a switch such as ``nesterov`` or ``shuffle`` (``True`` or ``False``) and return it as a ``bool``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_show(value)}")
    return bool(value)


def check_float_dtype(dtype, name: str = "dtype") -> np.dtype:
    """Return ``dtype`` as ``np.float32`` or ``np.float64``; anything else is a ``TypeError``."""
    try:
        result = np.dtype(dtype) if dtype is not None else None
    except TypeError as exc:
        raise TypeError(f"{name} must be numpy.float32 or numpy.float64, got {_show(dtype)}") from exc
    if result not in (np.float32, np.float64):
        raise TypeError(f"{name} must be numpy.float32 or numpy.float64, got {_show(dtype)}")
    return result


def check_choice(value, name: str, choices):
    """Check that ``value`` is one of ``choices`` and return it."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {_show(value)}")
    return value


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"{name_b} must have the shape of {name_a} {a.shape}, got shape {b.shape}")


def as_generator(rng, name: str = "rng") -> np.random.Generator:
    """Turn ``rng`` (a ``numpy.random.Generator``, an int seed or None) into a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"{name} seed must be non-negative, got {rng!r}")
        return np.random.default_rng(rng)
    raise TypeError(f"{name} must be a numpy.random.Generator, an int seed or None, got {_show(rng)}")
