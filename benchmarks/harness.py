"""What every benchmark shares: interleaved timing, result rows, the machine description and BENCHMARKS.md.

Every comparison is a ratio of medians measured in the same run, with the
contenders alternated round by round (the order rotates each round), so that
a slow minute of the machine slows every contender alike.
"""

from __future__ import annotations

import ctypes
import datetime
import os
import platform
import re
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: subprocesses are timed on the wall clock
    resource = None

ROOT = Path(__file__).resolve().parent.parent


# -- timing -------------------------------------------------------------------------------------
#: The clocks a run may use. The process's CPU time is the default: this single-threaded work takes
#: as much CPU time as wall time on an idle machine, and on a shared one the CPU time leaves out
#: the time the other processes take.
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
CLOCK_TEXT = {"cpu": "CPU time of the process (time.process_time; user + system time for subprocesses)",
              "wall": "wall time (time.perf_counter)"}
_clock = {"name": "cpu"}


def use_clock(name: str) -> None:
    """Make :func:`now` (and every benchmark) use the clock ``name``, one of ``CLOCKS``."""
    if name not in CLOCKS:
        raise ValueError(f"clock must be one of {sorted(CLOCKS)}, got {name!r}")
    _clock["name"] = name


def clock_name() -> str:
    return _clock["name"]


def now() -> float:
    """The current reading, in seconds, of the clock in use."""
    return CLOCKS[_clock["name"]]()


def run_timed(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run ``command`` from the repository root: (seconds on the clock in use, wall seconds, result).

    On the CPU clock the seconds are the user + system time of the process
    and the descendants it waited for (wall time where the ``resource``
    module is missing, on Windows).
    """
    cpu = _clock["name"] == "cpu" and resource is not None
    before = _children_cpu() if cpu else 0.0
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    return (_children_cpu() - before if cpu else wall), wall, result


def _children_cpu() -> float:
    """User + system seconds of the finished children (and the descendants they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def calls_per_sample(fn: Callable[[], object], seconds: float) -> int:
    """How many calls of ``fn`` take about ``seconds`` (at least one)."""
    start = now()
    fn()
    once = now() - start
    return max(1, int(seconds / max(once, 1e-9)))


class Timings:
    """Per-call times of contenders measured in the same rounds: medians, and paired ratios."""

    def __init__(self, samples: dict[str, list[float]]):
        self.samples = samples

    def __getitem__(self, name: str) -> float:
        """The median seconds per call of ``name``."""
        return statistics.median(self.samples[name])

    def ratio(self, name: str, reference: str) -> float:
        """The median over rounds of ``name``'s time over ``reference``'s in the same round.

        Each round's two samples ran back to back, so a ratio of them is
        hardly touched by the machine's load changing between rounds.
        """
        return statistics.median(a / b for a, b in zip(self.samples[name], self.samples[reference]))


def interleaved(contenders: dict[str, Callable[[], object]], *, rounds: int, sample_seconds: float = 0.02,
                warmup: int = 2) -> Timings:
    """Time the contenders alternated in ``rounds`` rounds.

    Each contender is warmed up with ``warmup`` calls; then, in every round,
    each runs a sample of ``n`` calls (``n`` chosen once per contender so a
    sample lasts about ``sample_seconds``) and the sample's time per call is
    kept. The order of the contenders rotates from round to round.
    """
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    names = list(contenders)
    number = {name: calls_per_sample(contenders[name], sample_seconds) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            fn, n = contenders[name], number[name]
            start = now()
            for _ in range(n):
                fn()
            samples[name].append((now() - start) / n)
    return Timings(samples)


# -- results ------------------------------------------------------------------------------------
def milliseconds(seconds: float) -> str:
    """``seconds`` as a short text in ms (in s from one second)."""
    if seconds >= 1:
        return f"{seconds:.3g} s"
    ms = 1000 * seconds
    return f"{ms:.3g} ms" if ms < 100 else f"{ms:.0f} ms"


@dataclass
class Row:
    """One line of the results table.

    ``ratio`` is ``measured / reference``; ``met`` is ``None`` for a row
    without a target (shown for context).
    """

    benchmark: str
    what: str
    measured: str
    reference: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None

    @classmethod
    def timed(cls, benchmark: str, what: str, timings: Timings, name: str, reference: str, ref_name: str,
              bound: float | None = None) -> "Row":
        """Contender ``name`` against ``reference`` of the same :class:`Timings`, with their paired ratio."""
        return cls.compare(benchmark, what, timings[name], ref_name, timings[reference], bound,
                           timings.ratio(name, reference))

    @classmethod
    def compare(cls, benchmark: str, what: str, value: float, ref_name: str, ref_value: float,
                bound: float | None = None, ratio: float | None = None) -> "Row":
        """``value`` against ``ref_value`` (seconds); the target, if any, is ``ratio <= bound``.

        ``ratio`` is ``value / ref_value`` unless given (a paired ratio from :class:`Timings`).
        """
        ratio = value / ref_value if ratio is None else ratio
        return cls(benchmark, what, milliseconds(value), f"{ref_name} {milliseconds(ref_value)}", f"{ratio:.2f}",
                   "" if bound is None else f"≤ {bound:.2f} × {ref_name}", None if bound is None else ratio <= bound)

    @classmethod
    def limit(cls, benchmark: str, what: str, value: float, bound: float | None, ref_name: str = "",
              ref_value: float | None = None, bound_text: str = "") -> "Row":
        """``value`` (seconds) against an absolute ``bound``; a reference, if any, is shown with its ratio."""
        reference = "" if ref_value is None else f"{ref_name} {milliseconds(ref_value)}"
        ratio = "" if ref_value is None else f"{value / ref_value:.2f}"
        target = "" if bound is None else (bound_text or f"≤ {milliseconds(bound)}")
        return cls(benchmark, what, milliseconds(value), reference, ratio, target,
                   None if bound is None else value <= bound)

    def cells(self) -> list[str]:
        met = {True: "yes", False: "**no**", None: ""}[self.met]
        return [self.benchmark, self.what, self.measured, self.reference, self.ratio, self.target, met]


HEADER = ["benchmark", "what", "measured", "reference", "ratio", "target", "met?"]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub Markdown table (``|`` in cells escaped)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def results_table(rows: list[Row]) -> str:
    return markdown_table(HEADER, [row.cells() for row in rows])


# -- the machine --------------------------------------------------------------------------------
def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux, else ``platform.processor()``)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_threads() -> str:
    """The number of threads the loaded OpenBLAS reports, or why it could not be asked."""
    try:
        maps = Path("/proc/self/maps").read_text().splitlines()
    except OSError:
        return "not checked (no /proc/self/maps)"
    libraries = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line})
    for path in libraries:
        library = ctypes.CDLL(path)
        for symbol in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
                       "openblas_get_num_threads64_", "openblas_get_num_threads"):
            if hasattr(library, symbol):
                return str(getattr(library, symbol)())
    return "not checked (no OpenBLAS loaded)"


def load_average() -> str:
    """The system's load averages: other work on the machine slows every absolute time (ratios less so)."""
    try:
        return ", ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


def git_commit() -> str:
    """The checked-out commit, with "+ local changes" when the tree differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + (" + local changes" if dirty else "")


def machine() -> list[tuple[str, str]]:
    """(item, value) pairs describing the machine and the software that ran the benchmarks."""
    import numpy as np

    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    blas_text = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    if blas.get("openblas configuration"):
        blas_text += f" ({blas['openblas configuration']})"
    items = [
        ("date", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("commit", git_commit()),
        ("CPU", cpu_model()),
        ("logical cores", str(os.cpu_count())),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("NumPy", np.__version__),
        ("BLAS", blas_text),
        ("BLAS threads", f"{blas_threads()} (OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')})"),
        ("clock", CLOCK_TEXT[_clock["name"]]),
        ("load average at the end (1, 5, 15 min)", load_average()),
    ]
    for module in ("matplotlib", "ipywidgets"):
        try:
            items.append((module, __import__(module).__version__))
        except ImportError:
            items.append((module, "not installed"))
    torch = optional_torch()
    items.append(("PyTorch", f"{torch.__version__}, {torch.get_num_threads()} thread(s)" if torch else
                  "not installed (its comparisons are left out)"))
    return items


def optional_torch():
    """``torch`` pinned to one thread, or ``None`` when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


# -- BENCHMARKS.md ------------------------------------------------------------------------------
INTRO = """# Benchmarks

The speed targets of the package and the book (issue 8), measured by one command
from the repository root:

```bash
.venv/bin/python -m benchmarks
```

It prints the table below and rewrites this file's section of the run
(`--section NAME`, default `latest`; other sections are kept). BLAS and PyTorch
run on one thread; each time is a median; every ratio compares contenders measured
in the same run, alternated round by round, and is the median of the rounds'
ratios (a "share" is the time of the matrix products alone over the step's).
Times are the process's CPU time (`--clock cpu`, the default; user + system
time for subprocesses): for this single-threaded work it equals the wall time
on an idle machine, and on a shared machine it leaves out the time other
processes take, which wall time (`--clock wall`) counts. The PyTorch rows appear when
`torch` is installed (`.venv/bin/pip install torch==2.13.0`). `--quick` runs
everything with tiny repeats and writes nothing, to check the harness itself.
Timings are never asserted in tests.
"""


def section_text(name: str, title: str, rows: list[Row], notes: list[str], items: list[tuple[str, str]]) -> str:
    """The Markdown of one run, between the markers that let a later run replace it."""
    parts = [f"<!-- benchmarks:{name} -->", f"## {title}", "", markdown_table(["machine", ""], [list(i) for i in items]),
             "", results_table(rows)]
    if notes:
        parts += ["", "Notes:", ""] + [f"- {note}" for note in notes]
    parts.append(f"<!-- /benchmarks:{name} -->")
    return "\n".join(parts)


def write_section(path: Path, name: str, text: str) -> None:
    """Replace the section ``name`` of ``path`` with ``text`` (append it, or create the file, if missing)."""
    old = path.read_text() if path.exists() else INTRO
    pattern = re.compile(rf"<!-- benchmarks:{re.escape(name)} -->.*?<!-- /benchmarks:{re.escape(name)} -->", re.S)
    if pattern.search(old):
        new = pattern.sub(lambda _: text, old)
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new.rstrip("\n") + "\n")

