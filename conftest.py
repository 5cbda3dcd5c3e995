"""Test-suite set-up shared by ``tests/`` and the notebooks run by nbval.

- Jupyter, IPython and matplotlib keep their state in a temporary folder,
  never in ``$HOME``.
- The PyTorch parity tests in ``tests/parity/`` run only with ``--torch``,
  and the browser tests in ``tests/browser/`` (JupyterLab and the built site) only with ``--browser``
  (see the README); the header of every run says whether they ran.
- A notebook cell that prints to stderr fails under nbval.
- NumPy's BLAS runs on one thread: the arrays here are small, and on a
  shared 2-core machine threads only add waiting.
"""

import os
import tempfile

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest

_STATE = tempfile.mkdtemp(prefix="dlnotes-test-")
for _var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
    os.environ[_var] = os.path.join(_STATE, _var.lower())
    os.makedirs(os.environ[_var], exist_ok=True)


#: Optional suites: folder under tests/, the option that includes it, and what it needs.
OPTIONAL = {
    "parity": ("--torch", "PyTorch parity tests", "torch==2.13.0"),
    "browser": ("--browser", "browser tests of JupyterLab and the built site", "chromium, playwright and the built site"),
}


def pytest_addoption(parser):
    for folder, (option, what, needs) in OPTIONAL.items():
        parser.addoption(option, action="store_true", help=f"also run the {what} in tests/{folder} (needs {needs})")


def pytest_ignore_collect(collection_path, config):
    for folder, (option, _, _) in OPTIONAL.items():
        if folder in collection_path.parts and not config.getoption(option):
            return True
    return None


def pytest_report_header(config):
    lines = []
    for folder, (option, what, _) in OPTIONAL.items():
        if config.getoption(option):
            lines.append(f"{what} (tests/{folder}): included")
        else:
            lines.append(f"{what} (tests/{folder}): not run; run them with `pytest {option} tests/{folder}`")
    return lines


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A notebook cell that writes to stderr (a warning, say) fails, as warnings do in the tests."""
    result = yield
    outputs = getattr(item, "test_outputs", None) or []
    stderr = [o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    if stderr:
        raise AssertionError("the cell wrote to stderr (a warning?):\n" + "".join(stderr))
    return result
