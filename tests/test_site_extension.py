"""What the site reads from the chapters' text (docs/_ext/chapter_text.py, used by the Sphinx extension dlnotes_site)."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from chapter_text import chapter_summary, dlnotes_imports  # noqa: E402


def test_from_imports_give_the_module_and_the_name_in_order():
    source = "from dlnotes.nn import Linear, ReLU\nimport numpy as np\nfrom dlnotes import data\n"
    assert dlnotes_imports(source) == ["dlnotes.nn.Linear", "dlnotes.nn.ReLU", "dlnotes.data"]


def test_plain_imports_give_the_module():
    assert dlnotes_imports("import dlnotes.optim\nimport dlnotes.losses as L, os") == ["dlnotes.optim", "dlnotes.losses"]


def test_imports_inside_functions_count_and_other_packages_do_not():
    source = "def f():\n    from dlnotes.book.plot import style\n    import dlnotesx\n    from numpy import dlnotes\n"
    assert dlnotes_imports(source) == ["dlnotes.book.plot.style"]


def test_relative_and_star_imports_name_nothing():
    assert dlnotes_imports("from .dlnotes import x\nfrom dlnotes.nn import *") == []


def test_a_cell_that_is_not_python_gives_nothing():
    assert dlnotes_imports("%matplotlib inline\nfrom dlnotes import nn") == []
    assert dlnotes_imports("") == []


def notebook(tmp_path, *sources, as_list=True) -> Path:
    cells = [{"cell_type": "markdown", "metadata": {},
              "source": source.splitlines(keepends=True) if as_list else source} for source in sources]
    path = tmp_path / "01_demo.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def test_summary_is_the_title_and_the_first_sentence(tmp_path):
    path = notebook(tmp_path, "# Chapter 9. Demo (演示)\n\nThe first sentence.\nIt goes on. The second one.\n\nMore.")
    assert chapter_summary(path) == ("Chapter 9. Demo (演示)", "The first sentence.")


def test_summary_joins_the_lines_of_a_sentence_and_keeps_emphasis(tmp_path):
    path = notebook(tmp_path, "# Title\n\nA **loss function** measures\nhow far off we are! Then more.")
    assert chapter_summary(path)[1] == "A **loss function** measures how far off we are!"


def test_summary_does_not_end_a_sentence_inside_math(tmp_path):
    path = notebook(tmp_path, "# Title\n\nThe step $\\theta \\leftarrow \\theta - 0.5 g. $ is small. Next.")
    assert chapter_summary(path)[1] == "The step $\\theta \\leftarrow \\theta - 0.5 g. $ is small."


def test_summary_keeps_the_text_of_a_link_whose_target_is_relative_to_the_chapter(tmp_path):
    path = notebook(tmp_path, "# Title\n\n[Chapter 3](03_optimization.ipynb) trained networks. Then.")
    assert chapter_summary(path)[1] == "Chapter 3 trained networks."


def test_summary_reads_a_source_stored_as_one_string(tmp_path):
    path = notebook(tmp_path, "# Title\nOne sentence only", as_list=False)
    assert chapter_summary(path) == ("Title", "One sentence only")


def test_summary_wants_a_heading_and_a_paragraph(tmp_path):
    with pytest.raises(ValueError, match="01_demo.ipynb.*heading"):
        chapter_summary(notebook(tmp_path, "No heading here."))
    with pytest.raises(ValueError, match="heading and a paragraph"):
        chapter_summary(notebook(tmp_path, "# Only a heading\n"))


def test_every_chapter_has_a_summary_without_links():
    chapters = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    assert chapters
    for path in chapters:
        title, sentence = chapter_summary(path)
        assert title.startswith("Chapter ") and sentence.endswith((".", "!", "?")) and "](" not in sentence
