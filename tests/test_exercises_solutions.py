"""Every chapter's solutions pass every checker of that chapter, which prints its verdict.

A checker ``check_<name>`` in ``dlnotes.book.exercises.<chapter>`` is run on
the function ``<name>`` of ``chapters/solutions/<chapter>.py``, so a new
chapter's checkers are tested as soon as its solutions exist.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import dlnotes.book.exercises as exercises

CHAPTERS = sorted(path.stem for path in (Path(__file__).parent.parent / "chapters" / "solutions").glob("ch*.py"))


def checkers(chapter: str) -> list[str]:
    """The names of the checkers a chapter's exercises module defines (not those it imports)."""
    module = importlib.import_module(f"dlnotes.book.exercises.{chapter}")
    return sorted(name for name, obj in inspect.getmembers(module, inspect.isfunction)
                  if name.startswith("check_") and obj.__module__ == module.__name__)


CASES = [(chapter, checker) for chapter in CHAPTERS for checker in checkers(chapter)]


def test_every_chapter_with_exercises_has_solutions_and_checkers():
    modules = sorted(info.name for info in pkgutil.iter_modules(exercises.__path__))
    assert modules == CHAPTERS and len(CHAPTERS) >= 4
    assert all(checkers(chapter) for chapter in CHAPTERS)


@pytest.mark.parametrize(("chapter", "checker"), CASES, ids=[f"{c}.{k}" for c, k in CASES])
def test_solution_passes_its_checker(chapter, checker, solutions_of, capsys):
    checks = importlib.import_module(f"dlnotes.book.exercises.{chapter}")
    solution = getattr(solutions_of(chapter), checker.removeprefix("check_"))
    verdict = getattr(checks, checker)(solution)
    assert verdict, verdict.message
    assert capsys.readouterr().out.startswith("Correct")
