"""Sphinx configuration of the dlnotes site: the chapters executed by myst-nb, an API reference, all offline.

Build from the repository root (README, "The book as a web site"):

    python -m sphinx -W --keep-going -b html -d _build/doctrees docs _build/html
"""

import os
import shutil
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

# The chapters come from chapters/: a fresh copy each build (relative links between
# notebooks resolve inside the source tree, which a symbolic link would leave).
shutil.rmtree(Path(__file__).parent / "chapters", ignore_errors=True)
shutil.copytree(ROOT / "chapters", Path(__file__).parent / "chapters",
                ignore=shutil.ignore_patterns("solutions", ".ipynb_checkpoints", "__pycache__"))

# The kernels that execute the chapters inherit this: every interactive figure then
# also renders its precomputed frames for the page (dlnotes.book.widgets).
os.environ["DLNOTES_SITE_FRAMES"] = "1"
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

project = "dlnotes"
author = "the dlnotes authors"
copyright = "the dlnotes authors, MIT licence"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "dlnotes_site",
]

exclude_patterns = ["_build", "**/.ipynb_checkpoints", "chapters/solutions"]

# -- the chapters ------------------------------------------------------------------
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 120
nb_execution_show_tb = True
nb_merge_streams = True
# A warning printed by a cell (stderr) is a build warning, which -W turns into an error.
nb_output_stderr = "warn"
# No widget JavaScript from a CDN: an interactive figure shows its own frames (text/html).
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
myst_enable_extensions = ["dollarmath", "amsmath"]

# -- math, served from the site itself -----------------------------------------------
mathjax_path = "mathjax/tex-svg.js"
MATHJAX_DIR = str(metadata.distribution("sphinx-mathjax-offline").locate_file("sphinx-mathjax-offline/static/mathjax"))

# -- the API reference ------------------------------------------------------------------
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_validation_checks = set()

# -- theme: no fonts or scripts from other hosts ------------------------------------------
html_theme = "alabaster"
html_title = "dlnotes"
html_static_path = []
html_theme_options = {"description": "A runnable textbook on training neural networks", "show_relbars": True, "show_powered_by": False}
html_sidebars = {"**": ["about.html", "navigation.html", "relations.html", "searchbox.html"]}
