"""The declared dependencies: each has one lower bound, pyproject.toml and environment.yml
agree, and CI's lowest-versions stage (.ci/lowest) pins exactly those bounds."""

import importlib.util
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"[A-Za-z0-9_.-]+")


def _load_pins():
    """``.ci/lowest_pins.py``, the reader of pyproject.toml that CI's lowest-versions stage uses."""
    spec = importlib.util.spec_from_file_location("lowest_pins", ROOT / ".ci" / "lowest_pins.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pins = _load_pins()


def _environment():
    """environment.yml's dependencies, from conda and from pip: ``{name: SpecifierSet}``, python included."""
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    dependencies = text.split("dependencies:", 1)[1]
    specs = [line.strip()[2:].replace(" ", "") for line in dependencies.splitlines() if re.match(r" +- [a-z]", line)]
    names = [NAME.match(s).group(0) for s in specs]
    return {name.lower(): SpecifierSet(s[len(name):]) for name, s in zip(names, specs) if s.rstrip(":") != "pip"}


def _pyproject(**project):
    """A pyproject.toml's content, as tomllib reads it."""
    project.setdefault("requires-python", ">=3.10")
    return {"project": project, "build-system": {"requires": ["setuptools>=64"]}}


def test_every_dependency_has_one_lower_bound_and_no_pin():
    requirements = pins.requirements()
    names = {canonicalize_name(r.name) for r in requirements}
    assert {"numpy", "matplotlib", "pytest", "setuptools"} <= names  # core, extras and build-system all read
    for requirement in requirements:
        operators = [s.operator for s in requirement.specifier]
        assert operators.count(">=") == 1, str(requirement)
        assert not {"==", "===", "~="} & set(operators), str(requirement)


def test_the_two_files_agree():
    """The same packages with the same ranges (setuptools, the build backend, apart), and the same Python."""
    environment = _environment()
    assert environment.pop("python") == SpecifierSet(pins.load_pyproject()["project"]["requires-python"])
    build = {canonicalize_name(Requirement(s).name) for s in pins.load_pyproject()["build-system"]["requires"]}
    declared = {}
    for requirement in pins.requirements():
        if canonicalize_name(requirement.name) not in build:
            declared.setdefault(canonicalize_name(requirement.name), []).append(requirement.specifier)
    for name, ranges in declared.items():
        assert all(r == ranges[0] for r in ranges), f"{name} is declared with different ranges: {ranges}"
    assert environment == {name: ranges[0] for name, ranges in declared.items()}


def test_the_pins_are_the_lower_bounds_and_satisfy_every_declared_range():
    lines = pins.constraints().splitlines()
    pinned = dict(line.split("==") for line in lines)
    names = [line.split("==")[0] for line in lines]
    assert len(pinned) == len(lines) and names == sorted(names)
    for requirement in pins.requirements():
        version = pinned[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), (str(requirement), version)
        assert f">={version}" in [str(s) for s in requirement.specifier], (str(requirement), version)


def test_constraints_by_hand():
    pyproject = _pyproject(
        dependencies=["numpy>=1.24"],
        **{"optional-dependencies": {"plot": ["Matplotlib >= 3.10.7, <4"], "test": ["matplotlib>=3.10.7", "pytest>=7.4"]}},
    )
    assert pins.constraints(pyproject) == "matplotlib==3.10.7\nnumpy==1.24\npytest==7.4\nsetuptools==64\n"
    assert pins.oldest_python(pyproject) == "3.10"


@pytest.mark.parametrize("spec", ["numpy", "numpy==1.24", "numpy<2", "numpy>=1.24,>=1.25"])
def test_a_dependency_without_exactly_one_lower_bound_is_refused(spec):
    with pytest.raises(ValueError, match=re.escape(spec)):
        pins.lowest_versions(_pyproject(dependencies=[spec]))


def test_two_lower_bounds_for_one_package_are_refused():
    pyproject = _pyproject(dependencies=["numpy>=1.24"], **{"optional-dependencies": {"test": ["numpy>=1.26"]}})
    with pytest.raises(ValueError, match="numpy has two lower bounds: 1.24 and 1.26"):
        pins.lowest_versions(pyproject)


def test_requires_python_without_a_lower_bound_is_refused():
    with pytest.raises(ValueError, match="requires-python.*'<4'"):
        pins.oldest_python(_pyproject(**{"requires-python": "<4"}))
