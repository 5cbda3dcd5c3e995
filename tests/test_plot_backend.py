"""Figures display as PNG in IPython whatever matplotlib's backend (dlnotes.book.plot.show_figures_as_png)."""

import json
import os
import subprocess
import sys

import pytest

SHOW = """
import json
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()  # a kernel's shell exists before a chapter imports the book
import matplotlib
import matplotlib.pyplot as plt
fig = plt.figure()
before = sorted(shell.display_formatter.format(fig)[0])
from dlnotes.book.plot import new_figure
fig, ax = new_figure()
ax.plot([0, 1], [1, 0])
data = shell.display_formatter.format(fig)[0]
print(json.dumps({"backend": matplotlib.get_backend().lower(), "before": before, "after": sorted(data),
                  "png": data.get("image/png", b"")[:8] == b"\\x89PNG\\r\\n\\x1a\\n"}))
"""


@pytest.mark.parametrize("backend", ["Agg", "svg"])
def test_a_figure_displays_as_png_under_a_non_interactive_backend(backend):
    env = {**os.environ, "MPLBACKEND": backend}
    run = subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, check=True)
    shown = json.loads(run.stdout)
    assert shown["backend"] == backend.lower()
    assert shown["before"] == ["text/plain"]  # what a figure showed before: the text <Figure size ...>
    assert "image/png" in shown["after"] and shown["png"], shown
