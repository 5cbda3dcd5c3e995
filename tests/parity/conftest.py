"""PyTorch parity tests: every number ``dlnotes`` promises to share with PyTorch (the docstrings say which).

Run them with::

    pip install torch==2.13.0        # the CPU wheel is enough
    pytest --torch tests/parity

Without ``--torch`` the root ``conftest.py`` leaves this folder out. The test
modules import ``torch`` at their top, so a missing torch is a loud collection
error, never a skip. Everything runs in float64 and must agree to 1e-6
relative (the ``close`` fixture): activations and their derivatives against
autograd, softmax and log-softmax, every functional loss and reduction and the
loss classes' gradients, ``calculate_gain`` and the initializers' scales,
``Linear`` and ``BatchNorm1d`` forward, backward and running statistics, and
every optimizer with every option over 20 steps of one gradient sequence.
"""

import numpy as np
import pytest
import torch

#: The release these tests were written against (the reference of the parity tests).
TORCH_VERSION = "2.13.0"
RTOL = 1e-6
#: Absolute slack for entries that are 0 up to rounding in one library and not the other.
ATOL = 1e-15


def assert_close(ours, theirs, what=""):
    """Assert ``ours`` (NumPy) equals ``theirs`` (a tensor or array) to ``RTOL`` relative."""
    if isinstance(theirs, torch.Tensor):
        theirs = theirs.detach().numpy()
    ours = np.asarray(ours)
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} vs torch {theirs.shape}"
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL, err_msg=what)


@pytest.fixture
def torch_reference_version():
    """The PyTorch release the numbers are compared with."""
    return TORCH_VERSION


@pytest.fixture
def close():
    """The comparison every parity test uses: ``close(ours, torch_value, what)``."""
    return assert_close


def pytest_report_header(config):
    return f"torch {torch.__version__} (parity reference {TORCH_VERSION})"
