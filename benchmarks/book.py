"""The whole book: every notebook executed under the test command (nbval), and the build of the site.

- **Each notebook** runs in its own ``python -m pytest chapters/NN.ipynb`` (the
  README's test command, one notebook at a time), timed from the outside on
  the CPU clock: the CPU time of pytest and of the kernel it started. Its row
  is that time less pytest's own start (``--collect-only`` of the same
  notebook, measured right before it): the kernel's start and every cell.
- **The total** is one run of the test command over every notebook,
  ``python -m pytest chapters/``, so pytest starts once, as it does under the
  README's command.
- The slowest cells (pytest's ``--durations``) are listed in the notes, as
  the place to look first.
- The site is built with the README's command into a fresh folder; without
  Sphinx (the ``site`` extra) its row says "skipped" and why.
"""

from __future__ import annotations

import re
import sys
import tempfile
from importlib import metadata

from .harness import ROOT, Row, run_timed

NOTEBOOK_LIMIT, TOTAL_LIMIT = 10.0, 60.0
SLOWEST_CELLS = 3


def slowest_cells(output: str) -> list[str]:
    """The ``--durations`` lines of pytest's output: "1.23s call chapters/....ipynb::Cell 4"."""
    return [line.strip() for line in output.splitlines() if re.match(r"^\s*\d+\.\d+s (call|setup|teardown)", line)]


def run(quick: bool = False) -> tuple[list[Row], list[str]]:
    notebooks = sorted((ROOT / "chapters").glob("*.ipynb"))
    rows, notes, walls, starts = [], [], [], []
    for notebook in notebooks[:1] if quick else notebooks:
        path = notebook.relative_to(ROOT).as_posix()
        start, _, _ = run_timed([sys.executable, "-m", "pytest", "-q", "--collect-only", path])
        seconds, wall, result = run_timed([sys.executable, "-m", "pytest", "-q", f"--durations={SLOWEST_CELLS}", path])
        walls.append(f"{path} {wall:.1f} s")
        starts.append(start)
        if result.returncode != 0:
            tail = "\n".join(result.stdout.splitlines()[-5:])
            notes.append(f"{path}: the test command failed (exit {result.returncode}): {tail}")
            rows.append(Row("book", f"{path} (tests FAILED)", f"{seconds:.1f} s", target=f"≤ {NOTEBOOK_LIMIT:g} s",
                            met=False))
            continue
        rows.append(Row.limit("book", path, seconds - start, NOTEBOOK_LIMIT, bound_text=f"≤ {NOTEBOOK_LIMIT:g} s"))
        cells = slowest_cells(result.stdout)
        if cells:
            notes.append(f"{path}: slowest cells: " + "; ".join(cells))
    notes.append("Book, wall time of each notebook's test command: " + ", ".join(walls) + ".")
    notes.append(f"Book: pytest's own start (collecting one notebook, not counted in its row) took "
                 f"{min(starts):.1f}-{max(starts):.1f} s of CPU time.")
    if quick:
        total, what = seconds, "first notebook only (quick)"
    else:
        total, wall, result = run_timed([sys.executable, "-m", "pytest", "-q", "chapters"])
        what = "every notebook, in total (one test command, `python -m pytest chapters`)"
        if result.returncode != 0:
            notes.append(f"Book: `python -m pytest chapters` failed (exit {result.returncode}).")
            what += " (tests FAILED)"
        notes.append(f"Book: `python -m pytest chapters` took {wall:.1f} s of wall time.")
    rows.append(Row.limit("book", what, total, TOTAL_LIMIT, bound_text=f"≤ {TOTAL_LIMIT:g} s"))
    rows += site(notes, quick)
    return rows, notes


#: The README's command that builds the site, with ``_build/`` replaced by a fresh temporary folder
#: (``{out}``), so that every run builds from nothing: a second build in ``_build/`` would reuse its doctrees.
SITE_COMMAND = ("-m", "sphinx", "-W", "--keep-going", "-b", "html", "-d", "{out}/doctrees", "docs", "{out}/html")
#: The distributions the build needs beyond the test extra (the ``site`` extra of pyproject.toml).
SITE_NEEDS = ("sphinx", "myst-nb", "numpydoc", "sphinx-mathjax-offline")


def missing_site_packages() -> list[str]:
    """The distributions of ``SITE_NEEDS`` that are not installed."""
    missing = []
    for name in SITE_NEEDS:
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    return missing


def site(notes: list[str], quick: bool = False) -> list[Row]:
    """The time to build the site with the README's command, or a row that says why it was skipped.

    The build executes every chapter (myst-nb), so it takes minutes; on the
    CPU clock the time counts Sphinx and the kernels it starts.
    """
    shown = "python " + " ".join(SITE_COMMAND).replace("{out}", "_build")
    what = f"site build (`{shown}`)"
    reason, missing = None, missing_site_packages()
    if not (ROOT / "docs" / "conf.py").exists():
        reason = "there is no docs/conf.py"
    elif missing:
        reason = (("Sphinx is not installed" if "sphinx" in missing else "Sphinx's extensions are not installed")
                  + f" (missing {', '.join(missing)}; `.venv/bin/pip install -e \".[site]\"`)")
    elif quick:
        reason = "--quick (the build executes every chapter, minutes)"
    if reason is not None:
        notes.append(f"Site build: skipped, {reason}.")
        return [Row("book", f"{what}: skipped, {reason}", "skipped")]
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable] + [part.replace("{out}", out) for part in SITE_COMMAND]
        seconds, wall, result = run_timed(command)
    if result.returncode != 0:
        notes.append(f"Site build failed (exit {result.returncode}): {result.stderr.strip()[-300:]}")
        return [Row("book", f"{what} (FAILED)", f"{seconds:.1f} s", met=False)]
    notes.append(f"Site build: {wall:.0f} s of wall time.")
    return [Row.limit("book", what, seconds, None)]
