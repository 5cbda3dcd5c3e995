"""Import time of ``from dlnotes import nn, optim, losses, train`` against ``import numpy``, each in a fresh process.

Each process times its own import statement (the interpreter's start is
left out); the two kinds of process alternate, each time is a median and the
ratio is the median of each round's pair.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from .harness import ROOT, Row, clock_name

STATEMENTS = {"dlnotes": "from dlnotes import nn, optim, losses, train", "numpy": "import numpy"}
TARGET = 1.3
#: Modules the core package must not import.
HEAVY = ("matplotlib", "ipywidgets", "torch")


def timed_import(statement: str) -> tuple[float, list[str], list[str]]:
    """Seconds ``statement`` takes in a fresh interpreter, which of ``HEAVY`` it imported, and the dlnotes modules."""
    clock = "time.process_time()" if clock_name() == "cpu" else "time.perf_counter()"
    code = (f"import sys, time\nstart = {clock}\n{statement}\nprint({clock} - start)\n"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == 'dlnotes')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    seconds, heavy, ours = (out.splitlines() + ["", ""])[:3]
    return float(seconds), heavy.split(), ours.split()


def run(quick: bool = False) -> tuple[list[Row], list[str]]:
    rounds = 3 if quick else 15
    for statement in STATEMENTS.values():  # compiled once, so no round pays for the .pyc files
        timed_import(statement)
    times = {name: [] for name in STATEMENTS}
    heavy, dlnotes_modules = set(), []
    for r in range(rounds):
        order = list(STATEMENTS) if r % 2 == 0 else list(reversed(STATEMENTS))
        for name in order:
            seconds, loaded, modules = timed_import(STATEMENTS[name])
            times[name].append(seconds)
            if name == "dlnotes":
                heavy.update(loaded)
                dlnotes_modules = modules
    ours, numpy = statistics.median(times["dlnotes"]), statistics.median(times["numpy"])
    paired = statistics.median(a / b for a, b in zip(times["dlnotes"], times["numpy"]))
    notes = [f"Import: medians of {rounds} fresh processes each, alternated; `{STATEMENTS['dlnotes']}` loads "
             f"{len(dlnotes_modules)} modules of dlnotes ({', '.join(dlnotes_modules)})."]
    if heavy:
        notes.append(f"Import: `{STATEMENTS['dlnotes']}` also imported {sorted(heavy)}.")
    return [Row.compare("import", f"`{STATEMENTS['dlnotes']}` / `import numpy`", ours, "import numpy", numpy,
                        TARGET, paired)], notes
