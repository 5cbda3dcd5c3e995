"""What the site reads from the chapters' text, with no Sphinx needed (so the normal test suite tests it).

- :func:`dlnotes_imports`: the ``dlnotes`` names a code cell imports, for the
  links from each chapter into the API reference;
- :func:`chapter_summary`: a chapter's title and the first sentence of its
  opening, for the list of chapters on the landing page.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

#: A Markdown link ``[text](target)``; the landing page keeps its text (the target is relative to the chapter).
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def dlnotes_imports(source: str) -> list[str]:
    """The dotted names a cell imports from ``dlnotes``, in order (``dlnotes.nn.Linear``, ...).

    ``from dlnotes.nn import Linear`` gives ``dlnotes.nn.Linear``,
    ``import dlnotes.optim`` gives ``dlnotes.optim``; other imports and
    code that does not parse (IPython magics) give nothing.
    """
    names = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.split(".")[0] == "dlnotes":
            names += [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names if alias.name.split(".")[0] == "dlnotes"]
    return names


def _first_sentence(text: str) -> str:
    """The text up to the first sentence end that is not inside ``$...$``."""
    dollars = 0
    for i, char in enumerate(text):
        if char == "$" and (i == 0 or text[i - 1] != "\\"):
            dollars += 1
        elif char in ".!?" and dollars % 2 == 0 and (i + 1 == len(text) or text[i + 1].isspace()):
            return text[: i + 1]
    return text


def chapter_summary(path: Path) -> tuple[str, str]:
    """A chapter's title (the first heading of its first cell) and the first sentence of the paragraph under it.

    The sentence stays Markdown, with its emphasis and math; a link keeps
    only its text, since its target is relative to the chapter, not to the
    landing page. Raises ``ValueError`` when the first cell has no heading
    with a paragraph under it.
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    source = "".join(cells[0]["source"]) if cells else ""
    lines = [line.strip() for line in source.splitlines()]
    heading = next((i for i, line in enumerate(lines) if line.startswith("#")), None)
    paragraph = []
    for line in lines[heading + 1:] if heading is not None else []:
        if line.startswith("#") or (not line and paragraph):
            break
        if line:
            paragraph.append(line)
    if not paragraph:
        raise ValueError(f"{path}: the first cell must open with a heading and a paragraph, got {source[:80]!r}")
    return lines[heading].lstrip("#").strip(), _first_sentence(LINK.sub(r"\1", " ".join(paragraph)))
