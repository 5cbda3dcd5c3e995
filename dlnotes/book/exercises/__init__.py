"""Checkers for the chapters' coding exercises (one submodule per chapter, ``chNN_topic``).

A checker calls the student's function and the library's reference on
several inputs and says exactly what is wrong: which input, the expected
value and the value received. It prints its verdict and returns ``True`` or
``False`` rather than raising, so a chapter still runs top to bottom while
an exercise is unsolved. Solutions live in ``chapters/solutions/`` and
the test suite runs them through these checkers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import functools
import warnings

import numpy as np


class ExerciseError(AssertionError):
    """The student's answer differs from the reference on some input."""


class Verdict:
    """The outcome of a checker: truthy when the answer is right, with the message shown."""

    def __init__(self, passed: bool, message: str):
        self.passed = passed
        self.message = message

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message

    def _ipython_display_(self) -> None:
        """Show nothing: the checker has printed the message already, so a notebook shows it once."""


def quietly(student):
    """Wrap ``student`` so floating-point trouble inside it fails for that input, as a message, not a warning.

    The wrapper runs ``student`` with NumPy's overflow, invalid-value and
    divide-by-zero conditions raised as errors (``np.errstate(over="raise",
    invalid="raise", divide="raise")``; underflow toward 0 stays harmless)
    and Python's ``RuntimeWarning`` turned into an error. So an ``exp`` that
    overflows fails at the operation even when the result would have come
    out right (``1 / (1 + inf)`` is 0): a stability exercise tests that no
    step overflows, not only the final numbers. Nothing is silenced: the
    trouble becomes a ``FloatingPointError`` naming the operation, which the
    checker reports for that input, and other warnings pass through as usual.
    A result holding a NaN or an infinity raises ``FloatingPointError`` too.
    """

    @functools.wraps(student)
    def run(*args, **kwargs):
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"), warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            try:
                result = student(*args, **kwargs)
            except (FloatingPointError, RuntimeWarning) as exc:
                raise FloatingPointError(f"{exc}: {_diagnosis(str(exc))}") from exc
        for item in result if isinstance(result, tuple) else (result,):  # a tuple's items may differ in shape
            values = np.asarray(item) if item is not None else None
            if values is not None and values.dtype.kind == "f" and not np.all(np.isfinite(values)):
                raise FloatingPointError(
                    f"the result holds non-finite values {values!r}: an exp overflowed or an inf/inf or 0*inf "
                    "appeared; rewrite the formula so exp only sees arguments <= 0"
                )
        return result

    return run


def _diagnosis(message: str) -> str:
    """What a NumPy floating-point error in a student's code means, and how to avoid it."""
    if "overflow" in message:
        return ("a value grew past the largest float (non-finite), even if the result came out right; rewrite "
                "the formula so exp only sees arguments <= 0 (np.where computes both of its branches for every "
                "element, so the branch it does not pick must not overflow either)")
    if "invalid" in message:
        return "an invalid operation such as 0/0, inf/inf or inf - inf gave a non-finite value (NaN)"
    return "a division by zero or a log of 0 gave a non-finite value"


def _call(fn, args, kwargs):
    return fn(*args, **kwargs)


def _printing():
    """How arrays are shown in a checker's message: fixed point, at most six digits."""
    return np.printoptions(precision=6, suppress=True, floatmode="maxprec", threshold=20, edgeitems=3)


def _describe(args, kwargs) -> str:
    parts = [repr(np.asarray(a)) if isinstance(a, (list, np.ndarray)) else repr(a) for a in args]
    parts += [f"{k}={v!r}" for k, v in kwargs.items()]
    return ", ".join(parts)


def check_function(
    student: Callable,
    reference: Callable,
    cases: Sequence,
    *,
    name: str,
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> Verdict:
    """Compare ``student`` with ``reference`` on every case and report the first difference.

    Each case is a tuple of positional arguments, or a pair ``(args, kwargs)``
    where ``args`` is a tuple and ``kwargs`` a dict. Values match when
    ``|got - expected| <= atol + rtol |expected|`` everywhere, with the same
    shape. The student's code runs :func:`quietly`, so a formula that
    overflows anywhere is reported for its input, instead of printing a
    warning or passing because the overflow happened to give the right number.
    Prints and returns a :class:`Verdict`: on failure its message names
    the input, the expected value and the value received.
    """
    if not callable(student):
        raise TypeError(f"student must be a function, got {student!r}")
    try:
        _compare(student, reference, cases, name, rtol, atol)
    except ExerciseError as exc:
        verdict = Verdict(False, f"Not yet: {exc}")
    else:
        verdict = Verdict(True, f"Correct: {name} matches the reference on all {len(cases)} inputs.")
    print(verdict.message)
    return verdict


def _compare(student, reference, cases, name, rtol, atol) -> None:
    """Raise :class:`ExerciseError` at the first case where ``student`` and ``reference`` differ.

    A reference that returns a tuple (a new parameter and a new velocity, say)
    wants as many values back, as a tuple or a list; each item is compared on its own.
    """
    for case in cases:
        if len(case) == 2 and isinstance(case[0], tuple) and isinstance(case[1], dict):
            args, kwargs = case
        else:
            args, kwargs = tuple(case), {}
        copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
        expected = _call(reference, args, kwargs)
        with _printing():
            shown = f"{name}({_describe(args, kwargs)})"
        try:
            got = _call(quietly(student), copies, kwargs)
        except Exception as exc:
            raise ExerciseError(f"{shown} raised {type(exc).__name__}: {exc}") from exc
        if got is None:
            raise ExerciseError(f"{shown} returned None; did you forget `return`?")
        if not isinstance(expected, tuple):
            _compare_one(got, expected, shown, rtol, atol)
            continue
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            raise ExerciseError(f"{shown} must return a tuple of {len(expected)} values (or a list), received {got!r}")
        for k, (got_k, expected_k) in enumerate(zip(got, expected)):
            _compare_one(got_k, expected_k, f"{shown}, returned value {k + 1} of {len(expected)},", rtol, atol)


def _compare_one(got, expected, shown: str, rtol: float, atol: float) -> None:
    expected = np.asarray(expected)
    got_arr = np.asarray(got)
    with _printing():
        if got_arr.shape != expected.shape:
            raise ExerciseError(f"{shown} has the wrong shape: expected {expected.shape}, received {got_arr.shape}")
        if got_arr.dtype.kind not in "biuf" or not np.allclose(got_arr, expected, rtol=rtol, atol=atol):
            raise ExerciseError(f"{shown} is wrong:\n  expected {expected!r}\n  received {got_arr!r}")
