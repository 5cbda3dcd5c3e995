"""The parity tests compare against one PyTorch release."""

import torch


def test_torch_is_the_reference_release(torch_reference_version):
    assert torch.__version__.split("+")[0] == torch_reference_version
