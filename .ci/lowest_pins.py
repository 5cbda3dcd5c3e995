"""The lowest versions that pyproject.toml allows, read from its ``>=`` bounds.

    python .ci/lowest_pins.py python        the oldest Python (requires-python), e.g. 3.10
    python .ci/lowest_pins.py constraints   one ``name==version`` line per direct dependency
                                            (core, every extra, build-system), for ``pip -c``

Every direct dependency must have exactly one ``>=`` bound, the same one wherever it
is listed; anything else stops with an error naming the requirement. Needs
``packaging`` and ``tomllib`` (``tomli`` before Python 3.11), both of which pytest
itself requires, so any environment that runs the test suite can run this.
"""

import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _lower_bound(what, specifier):
    """The version of the single ``>=`` clause of ``specifier`` (a SpecifierSet)."""
    lower = [s.version for s in specifier if s.operator == ">="]
    if len(lower) != 1:
        raise ValueError(f"{what} needs exactly one '>=' lower bound, got {str(specifier)!r}")
    return lower[0]


def load_pyproject():
    """pyproject.toml's content, as a dict."""
    with open(PYPROJECT, "rb") as f:
        return tomllib.load(f)


def requirements(pyproject=None):
    """Every direct requirement: ``project.dependencies``, each optional group, ``build-system.requires``."""
    pyproject = load_pyproject() if pyproject is None else pyproject
    specs = list(pyproject["project"].get("dependencies", []))
    for group in pyproject["project"].get("optional-dependencies", {}).values():
        specs += group
    specs += pyproject["build-system"]["requires"]
    return [Requirement(spec) for spec in specs]


def oldest_python(pyproject=None):
    """The lower bound of ``requires-python``, e.g. ``"3.10"``."""
    pyproject = load_pyproject() if pyproject is None else pyproject
    return _lower_bound("requires-python", SpecifierSet(pyproject["project"]["requires-python"]))


def lowest_versions(pyproject=None):
    """``{name: lowest version}`` over every direct requirement, names normalised (PEP 503)."""
    lowest = {}
    for req in requirements(pyproject):
        name = canonicalize_name(req.name)
        version = _lower_bound(str(req), req.specifier)
        if lowest.setdefault(name, version) != version:
            raise ValueError(f"{name} has two lower bounds: {lowest[name]} and {version}")
    return lowest


def constraints(pyproject=None):
    """The pip constraints file text: ``name==version``, one line each, sorted."""
    return "".join(f"{name}=={version}\n" for name, version in sorted(lowest_versions(pyproject).items()))


if __name__ == "__main__":
    if sys.argv[1:] == ["python"]:
        print(oldest_python())
    elif sys.argv[1:] == ["constraints"]:
        sys.stdout.write(constraints())
    else:
        sys.exit(__doc__)
