"""The chapters' stored form: cleared outputs, the shape of a chapter (CONTRIBUTING.md), seeded randomness.

nbval (in the test command) executes every notebook; these tests check what
is stored in the repository, so diffs stay reviewable.
"""

import json
import re
from pathlib import Path

import pytest

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
NOTEBOOKS = sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))


def _cells(path, kind):
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == kind]


def _source(cell):
    return "".join(cell["source"])


def test_there_are_chapters():
    assert len(NOTEBOOKS) >= 1, f"no chapters found in {CHAPTERS}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_cleared_except_checked_text(path):
    """Only cells marked NBVAL_CHECK_OUTPUT keep an output, and only as text, so nbval can compare it."""
    for cell in _cells(path, "code"):
        checked = "# NBVAL_CHECK_OUTPUT" in _source(cell)
        if not checked:
            assert cell["outputs"] == [], f"{path.name}: stored output in cell\n{_source(cell)}"
            assert cell["execution_count"] is None, f"{path.name}: stored execution count in\n{_source(cell)}"
            continue
        assert cell["outputs"], f"{path.name}: NBVAL_CHECK_OUTPUT cell has no stored output to compare\n{_source(cell)}"
        assert cell["execution_count"] is not None, f"{path.name}: checked cell is unrun, nbval would not compare"
        for out in cell["outputs"]:
            assert out["output_type"] in ("stream", "execute_result"), f"{path.name}: {out['output_type']} output"
            if out["output_type"] == "execute_result":
                assert set(out["data"]) == {"text/plain"}, f"{path.name}: non-text output in a checked cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_saved_widget_state(path):
    """Saved widget state holds the rendered images, an output in all but name."""
    metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert "widgets" not in metadata, f"{path.name} stores widget state in its metadata"
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        assert "widgets" not in cell.get("metadata", {}), f"{path.name}: widget state in cell\n{_source(cell)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_shape(path):
    """Title and goals, a summary of 5-8 bullets, at least 3 exercises and one checked coding exercise."""
    markdown = [_source(c) for c in _cells(path, "markdown")]
    assert markdown and markdown[0].lstrip().startswith("# "), f"{path.name} must open with a title"
    text = "\n".join(markdown)
    summary = re.search(r"^## Summary\s*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert summary, f"{path.name} has no '## Summary' section"
    bullets = re.findall(r"^[-*] ", summary.group(1), re.M)
    assert 5 <= len(bullets) <= 8, f"{path.name}: the summary has {len(bullets)} bullets"
    exercises = re.search(r"^## Exercises\s*\n(.*)", text, re.S | re.M)
    assert exercises, f"{path.name} has no '## Exercises' section"
    numbered = re.findall(r"^(?:\d+\.|###) ", exercises.group(1), re.M)
    assert len(numbered) >= 3, f"{path.name}: {len(numbered)} exercises, want at least 3"
    code = "\n".join(_source(c) for c in _cells(path, "code"))
    assert "dlnotes.book.exercises" in code, f"{path.name} calls no exercise checker"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_randomness_is_seeded(path):
    """No global NumPy random state in a chapter: every draw goes through a seeded Generator."""
    code = "\n".join(_source(c) for c in _cells(path, "code"))
    assert not re.search(r"np\.random\.(?!default_rng\(\d)", code), f"{path.name} uses unseeded np.random"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_a_caption(path):
    """Each code cell that shows a figure is followed by a one-sentence '*Figure:*' caption (the site's alt text)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        last = _source(cell).strip().splitlines()[-1:] or [""]
        shows = re.search(r"(\.widget\(\)|\bfig\w*|\bplot_\w+\(.*\))\s*$", last[0])
        if shows and not last[0].lstrip().startswith("#"):
            after = _source(cells[i + 1]) if i + 1 < len(cells) else ""
            assert cells[i + 1 : i + 2] and cells[i + 1]["cell_type"] == "markdown" and "*Figure:*" in after, (
                f"{path.name}: the figure of cell {i} has no '*Figure:*' caption after it:\n{_source(cell)}"
            )
