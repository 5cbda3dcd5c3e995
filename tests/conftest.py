"""Fixtures shared by the tests of the chapters' exercises."""

import importlib.util
from pathlib import Path

import pytest

SOLUTIONS = Path(__file__).resolve().parent.parent / "chapters" / "solutions"


@pytest.fixture(scope="module")
def solutions(request):
    """The solutions module ``chapters/solutions/<CHAPTER>.py`` of the test module's ``CHAPTER``."""
    name = request.module.CHAPTER
    spec = importlib.util.spec_from_file_location(f"solutions_{name}", SOLUTIONS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
