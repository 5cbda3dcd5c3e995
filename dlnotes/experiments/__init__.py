"""The measurements behind the chapters' figures (one submodule per chapter topic).

Each function runs an experiment with ``dlnotes`` (a deep stack, a training
run, a gradient-noise measurement) and returns plain NumPy arrays, so the
numbers are tested here once and the notebooks and widgets only draw them.
No matplotlib here.
"""
