"""dlnotes benchmarks: every speed target of the package and the book, in one command (not tests).

Run from the repository root::

    .venv/bin/python -m benchmarks            # every benchmark; writes BENCHMARKS.md
    .venv/bin/python -m benchmarks --quick    # tiny repeats, prints only: checks that the harness runs

Importing this package pins BLAS (and PyTorch, when a benchmark imports it)
to one thread and selects matplotlib's headless Agg backend, so it must
happen before anything imports NumPy; ``python -m benchmarks`` does that.
"""

import os

#: Environment variables that pin every BLAS NumPy or PyTorch may load to one thread.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "BLIS_NUM_THREADS")

for _name in THREAD_VARIABLES:
    os.environ[_name] = "1"
os.environ["MPLBACKEND"] = "Agg"
