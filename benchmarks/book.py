"""The whole book: each notebook executed under the test command (nbval), and the site build once it exists.

Each notebook runs in its own ``python -m pytest chapters/NN.ipynb`` (the
README's test command, one notebook at a time), timed from the outside:
pytest's start, the kernel's start and every cell (on the CPU clock, the
CPU time of pytest and of the kernel it started). The total is their sum.
The slowest cells (pytest's ``--durations``) are listed in the notes, as the
place to look first.
"""

from __future__ import annotations

import re
import sys
import tempfile

from .harness import ROOT, Row, run_timed

NOTEBOOK_LIMIT, TOTAL_LIMIT = 10.0, 60.0
SLOWEST_CELLS = 3


def slowest_cells(output: str) -> list[str]:
    """The ``--durations`` lines of pytest's output: "1.23s call chapters/....ipynb::Cell 4"."""
    return [line.strip() for line in output.splitlines() if re.match(r"^\s*\d+\.\d+s (call|setup|teardown)", line)]


def run(quick: bool = False) -> tuple[list[Row], list[str]]:
    notebooks = sorted((ROOT / "chapters").glob("*.ipynb"))
    rows, notes, walls, total = [], [], [], 0.0
    for notebook in notebooks[:1] if quick else notebooks:
        path = notebook.relative_to(ROOT).as_posix()
        seconds, wall, result = run_timed([sys.executable, "-m", "pytest", "-q", f"--durations={SLOWEST_CELLS}", path])
        walls.append(f"{path} {wall:.1f} s")
        total += seconds
        if result.returncode != 0:
            tail = "\n".join(result.stdout.splitlines()[-5:])
            notes.append(f"{path}: the test command failed (exit {result.returncode}): {tail}")
            rows.append(Row("book", f"{path} (tests FAILED)", f"{seconds:.1f} s", target=f"≤ {NOTEBOOK_LIMIT:g} s",
                            met=False))
            continue
        rows.append(Row.limit("book", path, seconds, NOTEBOOK_LIMIT, bound_text=f"≤ {NOTEBOOK_LIMIT:g} s"))
        cells = slowest_cells(result.stdout)
        if cells:
            notes.append(f"{path}: slowest cells: " + "; ".join(cells))
    notes.append("Book, wall time of each test command: " + ", ".join(walls) + ".")
    what = "every notebook, in total" if not quick else "first notebook only (quick)"
    rows.append(Row.limit("book", what, total, TOTAL_LIMIT, bound_text=f"≤ {TOTAL_LIMIT:g} s"))
    rows += site(notes)
    return rows, notes


def site(notes: list[str]) -> list[Row]:
    """The time to build the site with Sphinx from ``docs/``, or a note that there is none yet."""
    if not (ROOT / "docs" / "conf.py").exists():
        notes.append("Site build: skipped, there is no docs/conf.py yet.")
        return []
    with tempfile.TemporaryDirectory() as out:
        seconds, _, result = run_timed([sys.executable, "-m", "sphinx", "-b", "html", "-q", "docs", out])
    if result.returncode != 0:
        notes.append(f"Site build failed (exit {result.returncode}): {result.stderr.strip()[-300:]}")
        return [Row("book", "site build (FAILED)", f"{seconds:.1f} s", met=False)]
    return [Row.limit("book", "site build (sphinx-build -b html docs)", seconds, None)]
