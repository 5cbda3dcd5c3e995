"""Where the browser tests find the book: the repository, its chapters and the built site."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHAPTER_DIR = ROOT / "chapters"
#: The built site (README: "The book as a web site"); the variable DLNOTES_SITE names another folder.
SITE = Path(os.environ.get("DLNOTES_SITE", ROOT / "_build" / "html"))
#: Where the JupyterLab test saves a screenshot of each chapter's figures after a slider move.
SCREENSHOTS = ROOT / "_build" / "screenshots"
#: The command that builds the site (README), from the repository root.
BUILD = ".venv/bin/python -m sphinx -W --keep-going -b html -d _build/doctrees docs _build/html"
