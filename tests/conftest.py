"""Fixtures shared by the tests of the chapters' exercises."""

import importlib.util
from pathlib import Path

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
