"""What the dlnotes site adds to Sphinx and myst-nb.

- MathJax (SVG output, one script and its TeX extensions) is copied from the
  ``sphinx-mathjax-offline`` wheel into ``_static/mathjax``: no page loads
  anything from another host.
- Every figure a chapter draws gets as alt text the one-sentence ``*Figure:*``
  caption that follows it, and so do the precomputed frames of an interactive
  figure.
- "Chapter N" in the API reference links to that chapter, and each chapter
  ends with links to the reference of every ``dlnotes`` name it imports.
- ``{chapterlist}`` lists the chapters on the landing page, each with the
  first sentence of its opening.

What these read from the chapters' text is in ``chapter_text.py``, which needs
no Sphinx (the normal test suite tests it).
"""

from __future__ import annotations

import re
import shutil
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.util.docutils import SphinxDirective

from chapter_text import chapter_summary, dlnotes_imports

CAPTION = re.compile(r"^\s*Figure:\s*")
CHAPTER = re.compile(r"\bChapters? (\d)(?:[-–](\d))?\b")


# -- MathJax -----------------------------------------------------------------------------
def copy_mathjax(app, exc):
    if exc is not None:
        return
    source = Path(app.config.MATHJAX_DIR)
    target = Path(app.outdir) / "_static" / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "tex-svg.js", target / "tex-svg.js")
    shutil.copytree(source / "input" / "tex" / "extensions", target / "input" / "tex" / "extensions", dirs_exist_ok=True)


# -- alt text from captions ----------------------------------------------------------------
def _is_figure_output(node) -> bool:
    if isinstance(node, nodes.image):
        return True
    return isinstance(node, nodes.raw) and "dlnotes-frames" in node.astext()


def add_alt_text(app, doctree, docname):
    """Give each output image the text of the next ``Figure:`` paragraph, before the next image."""
    pending = []
    for node in doctree.findall(lambda n: _is_figure_output(n) or isinstance(n, nodes.paragraph)):
        if _is_figure_output(node):
            pending.append(node)
            continue
        text = node.astext()
        if not CAPTION.match(text) or not pending:
            continue
        alt = CAPTION.sub("", text).strip()
        for figure in pending:
            if isinstance(figure, nodes.image):
                figure["alt"] = alt
            else:
                html = figure.astext().replace('alt=""', f'alt="{escape(alt, quote=True)}"')
                figure.children = [nodes.Text(html)]
        pending = []


# -- chapters and the reference ---------------------------------------------------------------
def chapter_docs(app) -> dict[int, str]:
    found = {}
    for docname in app.env.found_docs:
        match = re.match(r"chapters/(\d\d)_", docname)
        if match:
            found[int(match.group(1))] = docname
    return found


def link_chapters_in_reference(app, doctree, fromdocname):
    """In the API reference, "Chapter 3" becomes a link to Chapter 3."""
    if not fromdocname.startswith("api"):
        return
    chapters = chapter_docs(app)
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, (nodes.reference, nodes.literal, nodes.raw)):
            continue
        value = str(text)
        if not CHAPTER.search(value):
            continue
        pieces, last = [], 0
        for match in CHAPTER.finditer(value):
            pieces.append(nodes.Text(value[last : match.start()]))
            number = int(match.group(1))
            if number in chapters:
                uri = app.builder.get_relative_uri(fromdocname, chapters[number])
                ref = nodes.reference("", match.group(0), refuri=uri, internal=True)
                pieces.append(ref)
            else:
                pieces.append(nodes.Text(match.group(0)))
            last = match.end()
        pieces.append(nodes.Text(value[last:]))
        parent.replace(text, pieces)


def add_reference_links(app, doctree):
    """End each chapter with links to the reference of the ``dlnotes`` names it imports."""
    docname = app.env.docname
    if not re.match(r"chapters/\d\d_", docname):
        return
    names = []
    for block in doctree.findall(nodes.literal_block):
        for name in dlnotes_imports(block.astext()):
            if name not in names:
                names.append(name)
    if not names:
        return
    section = nodes.section(ids=["dlnotes-used-in-this-chapter"], names=["dlnotes used in this chapter"])
    section += nodes.title("", "dlnotes used in this chapter")
    items = nodes.bullet_list()
    for name in names:
        ref = pending_xref("", refdomain="py", reftype="obj", reftarget=name, refexplicit=False, refwarn=False)
        ref += nodes.literal("", name)
        items += nodes.list_item("", nodes.paragraph("", "", ref))
    section += items
    doctree.append(section)


class ChapterList(SphinxDirective):
    """``{chapterlist}``: every chapter in ``chapters/``, linked, with the first sentence of its opening."""

    def run(self):
        items = nodes.bullet_list()
        folder = Path(self.env.srcdir) / "chapters"
        for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
            title, sentence = chapter_summary(path)
            ref = pending_xref("", refdomain="std", reftype="doc", reftarget=f"/chapters/{path.stem}", refexplicit=True)
            ref += nodes.inline("", title)
            text, messages = self.parse_inline(sentence)  # Markdown: emphasis and math render
            items += nodes.list_item("", nodes.paragraph("", "", ref, nodes.Text(": "), *text), *messages)
            self.env.note_dependency(str(path))
        return [items]


def setup(app):
    app.add_directive("chapterlist", ChapterList)
    app.add_config_value("MATHJAX_DIR", "", "env")
    app.connect("build-finished", copy_mathjax)
    app.connect("doctree-read", add_reference_links)
    app.connect("doctree-resolved", add_alt_text)
    app.connect("doctree-resolved", link_chapters_in_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
