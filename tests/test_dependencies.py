"""pyproject.toml and environment.yml name the same dependencies with the same lower bounds."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"[A-Za-z0-9_.-]+")


def _pyproject():
    """The core, book and test requirements (Python 3.10 has no tomllib: read the quoted lists)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    lists = re.findall(r"^(dependencies|book|test) = \[(.*?)\]", text, re.S | re.M)
    assert {name for name, _ in lists} == {"dependencies", "book", "test"}
    specs = [spec for _, body in lists for spec in re.findall(r'"([^"]+)"', body)]
    return {NAME.match(s).group(0).lower(): s.replace(" ", "") for s in specs}


def _environment():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    dependencies = text.split("dependencies:", 1)[1]
    specs = [line.strip()[2:] for line in dependencies.splitlines() if re.match(r"  - [a-z]", line)]
    return {NAME.match(s).group(0).lower(): s.replace(" ", "") for s in specs if not s.startswith(("python", "pip"))}


def test_the_two_files_agree():
    assert _pyproject() == _environment()


def test_lower_bounds_not_pins():
    for spec in _pyproject().values():
        assert "==" not in spec and ">=" in spec, spec
