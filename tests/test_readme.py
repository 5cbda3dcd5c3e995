"""The README's promises: its coursework example runs, and CI calls its test command."""

import contextlib
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_ci_runs_the_readme_test_command():
    test_command = next(b.strip() for b in _blocks("bash") if "pytest" in b and "--torch" not in b)
    parity_command = next(b.strip() for b in _blocks("bash") if "--torch" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci
    assert parity_command in ci


def test_book_command_opens_jupyterlab_on_chapters():
    book = next(b.strip() for b in _blocks("bash") if "jupyter lab" in b)
    assert book.endswith("chapters/") and "jupyter lab" in book
    assert '".[book]"' in book


def test_coursework_example_trains_a_digit_classifier():
    """The example reaches a test accuracy of at least 0.9 on the held-out digits."""
    (example,) = _blocks("python")
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(example, "README.md", "exec"), namespace)
    assert namespace["test_accuracy"] >= 0.9, out.getvalue()
    assert "test accuracy" in out.getvalue()


def test_ci_builds_the_site_and_runs_the_browser_tests_with_the_readme_commands():
    site_command = next(b.strip() for b in _blocks("bash") if "sphinx" in b and "pytest" not in b)
    browser_commands = next(b.strip() for b in _blocks("bash") if "--browser" in b).splitlines()
    ci = (ROOT / ".ci" / "browser").read_text(encoding="utf-8").splitlines()
    assert site_command.split(" && ")[-1] in ci
    assert all(line in ci for line in browser_commands)
    assert "bash .ci/browser" in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
