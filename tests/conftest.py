"""Fixtures shared by the tests of the chapters' exercises and experiments."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SOLUTIONS = Path(__file__).resolve().parent.parent / "chapters" / "solutions"


def _load(chapter: str):
    spec = importlib.util.spec_from_file_location(f"solutions_{chapter}", SOLUTIONS / f"{chapter}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def solutions_of():
    """A function ``chapter -> the solutions module chapters/solutions/<chapter>.py``."""
    return _load


@pytest.fixture(scope="module")
def solutions(request):
    """The solutions module ``chapters/solutions/<CHAPTER>.py`` of the test module's ``CHAPTER``."""
    return _load(request.module.CHAPTER)


@pytest.fixture(scope="session")
def chain_loss():
    """A function ``(h, weights, phi, upstream) -> L = sum(upstream * h_D)``, the reference for deep-stack gradients.

    ``h_D`` is ``h`` passed through every layer ``h <- phi(h @ W)`` in turn;
    the tests differentiate this plain rebuild numerically and compare it
    with the gradients that the chapters' experiments report.
    """
    def loss(h, weights, phi, upstream):
        for W in weights:
            h = phi(h @ W)
        return np.sum(upstream * h)

    return loss
