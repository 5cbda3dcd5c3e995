"""Run every benchmark, print the table and write it with the machine description to BENCHMARKS.md.

    .venv/bin/python -m benchmarks [--quick] [--only mlp,batchnorm,sliders,book,import] [--clock cpu|wall]
                                   [--section latest] [--title TEXT] [--output BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from . import batchnorm, book, harness, imports, mlp, sliders

BENCHMARKS = {"mlp": mlp, "batchnorm": batchnorm, "sliders": sliders, "book": book, "import": imports}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="tiny repeats, to check that the harness runs; writes nothing unless --output is given")
    parser.add_argument("--only", default=",".join(BENCHMARKS),
                        help=f"comma-separated benchmarks to run (default: all of {','.join(BENCHMARKS)})")
    parser.add_argument("--section", default="latest",
                        help="name of the section of BENCHMARKS.md this run replaces (default: latest)")
    parser.add_argument("--title", default=None, help="heading of that section (default: 'Run of <date>')")
    parser.add_argument("--clock", default="cpu", choices=sorted(harness.CLOCKS),
                        help="cpu (the default: the process's CPU time) or wall")
    parser.add_argument("--output", default=None, help="file to write (default: BENCHMARKS.md, or none with --quick)")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        parser.error(f"--only names unknown benchmarks {unknown}; known are {list(BENCHMARKS)}")

    harness.use_clock(args.clock)
    rows, notes, failed = [], [], []
    for name in chosen:
        start = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            more_rows, more_notes = BENCHMARKS[name].run(quick=args.quick)
        except Exception:
            traceback.print_exc()
            failed.append(name)
            notes.append(f"{name}: the benchmark failed with {traceback.format_exc().strip().splitlines()[-1]}")
            continue
        rows += more_rows
        notes += more_notes
        print(f"  {name}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)

    items = harness.machine()
    print(harness.markdown_table(["machine", ""], [list(item) for item in items]))
    print()
    print(harness.results_table(rows))
    for note in notes:
        print(f"- {note}")

    output = args.output or (None if args.quick else harness.ROOT / "BENCHMARKS.md")
    if output is not None:
        date = dict(items)["date"]
        title = args.title or f"Run of {date}"
        if args.quick:
            title += " (quick: tiny repeats, not a measurement)"
        text = harness.section_text(args.section, title, rows, notes, items)
        harness.write_section(harness.Path(output), args.section, text)
        print(f"wrote section '{args.section}' of {output}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
