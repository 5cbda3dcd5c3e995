"""BatchNorm1d forward + backward in training mode on a (128, 256) float32 batch: dlnotes against PyTorch.

Plain NumPy (the formulas of ``dlnotes.nn.BatchNorm1d`` written out, running
statistics included) is shown for context: what the layer could cost.
"""

from __future__ import annotations

import numpy as np

from dlnotes import nn

from .harness import Row, interleaved, optional_torch

SHAPE = (128, 256)
EPS, MOMENTUM = 1e-5, 0.1
TARGET_VS_TORCH = 1.0


def numpy_batchnorm(x, grad_out, gamma, beta, running_mean, running_var):
    """Forward and backward of batch normalization in plain NumPy; returns (y, dL/dx, dL/dgamma, dL/dbeta)."""
    n = x.shape[0]
    mean = x.mean(axis=0)
    xc = x - mean
    var = np.einsum("ij,ij->j", xc, xc) / n
    running_mean *= 1 - MOMENTUM
    running_mean += MOMENTUM * mean
    running_var *= 1 - MOMENTUM
    running_var += (MOMENTUM * n / (n - 1)) * var
    inv_std = 1 / np.sqrt(var + EPS)
    x_hat = xc
    x_hat *= inv_std
    y = x_hat * gamma
    y += beta
    d_beta = grad_out.sum(axis=0)
    d_gamma = np.einsum("ij,ij->j", grad_out, x_hat)
    dx = grad_out * n
    dx -= d_beta
    x_hat *= d_gamma
    dx -= x_hat
    dx *= gamma * inv_std / n
    return y, dx, d_gamma, d_beta


def run(quick: bool = False) -> tuple[list[Row], list[str]]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE, dtype=np.float32)
    grad_out = rng.standard_normal(SHAPE, dtype=np.float32)
    ours = nn.BatchNorm1d(SHAPE[1], eps=EPS, momentum=MOMENTUM, dtype=np.float32)
    gamma, beta = np.ones(SHAPE[1], np.float32), np.zeros(SHAPE[1], np.float32)
    stats = np.zeros(SHAPE[1], np.float32), np.ones(SHAPE[1], np.float32)

    def dlnotes_step():
        ours(x)
        return ours.backward(grad_out)

    contenders = {"dlnotes": dlnotes_step, "numpy": lambda: numpy_batchnorm(x, grad_out, gamma, beta, *stats)}
    torch = optional_torch()
    if torch is not None:
        theirs = torch.nn.BatchNorm1d(SHAPE[1], eps=EPS, momentum=MOMENTUM)
        xt = torch.from_numpy(x.copy()).requires_grad_(True)
        gt = torch.from_numpy(grad_out)

        def torch_step():
            xt.grad = None
            theirs(xt).backward(gt)
            return xt.grad

        contenders["torch"] = torch_step
        if not np.allclose(dlnotes_step(), torch_step().numpy(), atol=1e-4):
            raise RuntimeError("BatchNorm1d: dlnotes and PyTorch disagree on dL/dx")
    if not np.allclose(dlnotes_step(), contenders["numpy"]()[1], atol=1e-4):
        raise RuntimeError("BatchNorm1d: dlnotes and plain NumPy disagree on dL/dx")
    t = interleaved(contenders, rounds=3 if quick else 40, sample_seconds=0.005 if quick else 0.02)
    what = f"forward + backward, {SHAPE} float32"
    rows, notes = [], []
    if torch is not None:
        rows.append(Row.timed("BatchNorm1d", f"{what}: dlnotes / PyTorch", t, "dlnotes", "torch", "PyTorch",
                              TARGET_VS_TORCH))
        rows.append(Row.timed("BatchNorm1d", f"{what}: plain NumPy / PyTorch", t, "numpy", "torch", "PyTorch"))
    else:
        notes.append("BatchNorm1d: PyTorch is not installed, so its comparison (the target) is left out.")
    rows.append(Row.timed("BatchNorm1d", f"{what}: dlnotes / plain NumPy", t, "dlnotes", "numpy", "plain NumPy"))
    return rows, notes
