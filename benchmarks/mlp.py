"""One training step of an MLP 784-256-128-10 (ReLU, softmax cross-entropy, float32): dlnotes, plain NumPy, PyTorch.

- **dlnotes**: the model, loss and optimizer built as the README teaches, and
  the step ``train.fit`` takes: ``opt.zero_grad(); out = model(x);
  loss_fn(out, y); model.backward(loss_fn.backward(), input_grad=False);
  opt.step()``. ``input_grad=False`` skips the gradient with respect to the
  network's input ``x``, which nobody uses, as PyTorch skips it for an input
  that does not require a gradient.
- **dlnotes returning ∂L/∂x**: the same step with ``model.backward(g)``, which
  returns ∂L/∂x as the API promises; compared with the floor followed by that
  one product (**plain NumPy + ∂L/∂x**), the same work.
- **plain NumPy**: the same step written out with no abstraction, in place
  where natural (the floor).
- **PyTorch** (when installed): ``torch.nn`` and ``torch.optim`` with their
  defaults, one thread.
- **matmuls alone**: the eight matrix products of the step (three forward,
  three weight gradients, two input gradients), the physical floor.

All contenders start from the same weights, and their first losses are
checked to agree before anything is timed.
"""

from __future__ import annotations

import math

import numpy as np

from dlnotes import losses, nn, optim

from .harness import Row, interleaved, optional_torch

SIZES = (784, 256, 128, 10)
BATCHES = (32, 128, 512)
OPTIMIZERS = ("SGD", "Adam")
#: The batch size the targets are set at, and the targets.
TARGET_BATCH = 128
TARGET_VS_NUMPY = 1.10
TARGET_VS_TORCH = 0.85
SGD_LR = 0.01
ADAM = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8}


def batch(size: int, seed: int = 0):
    """A fixed float32 batch ``x`` of shape (size, 784) and labels ``y`` in 0..9."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((size, SIZES[0]), dtype=np.float32), rng.integers(0, SIZES[-1], size)


def dlnotes_step(optimizer: str, input_grad: bool = False):
    """The README's model, loss and optimizer, and the training step ``step(x, y) -> loss`` of ``train.fit``.

    ``input_grad=True`` makes ``model.backward`` also return ∂L/∂x.
    """
    model = nn.Sequential(
        nn.Linear(784, 256, rng=1, dtype=np.float32), nn.ReLU(),
        nn.Linear(256, 128, rng=2, dtype=np.float32), nn.ReLU(),
        nn.Linear(128, 10, rng=3, dtype=np.float32),
    )
    loss_fn = losses.CrossEntropyLoss()
    opt = optim.SGD(model.parameters(), lr=SGD_LR) if optimizer == "SGD" else optim.Adam(model.parameters(), **ADAM)

    def step(x, y):
        opt.zero_grad()
        out = model(x)
        loss = loss_fn(out, y)
        model.backward(loss_fn.backward(), input_grad=input_grad)
        opt.step()
        return loss

    return model, step


class NumpyMLP:
    """The same network and step in plain NumPy: preallocated buffers, ``out=`` products, in-place updates."""

    def __init__(self, weights, biases, n: int, optimizer: str):
        f32 = np.float32
        self.W = [w.copy() for w in weights]
        self.b = [b.copy() for b in biases]
        self.gW = [np.empty_like(w) for w in self.W]
        self.gb = [np.empty_like(b) for b in self.b]
        self.h = [np.empty((n, k), f32) for k in SIZES[1:]]  # h1, h2, then the logits (softmax in place)
        self.gh = [np.empty((n, k), f32) for k in SIZES[1:-1]]  # dL/dh1, dL/dh2
        self.rows = np.arange(n)
        self.adam = optimizer == "Adam"
        if self.adam:
            self.m = [np.zeros_like(w) for w in self.W + self.b]
            self.v = [np.zeros_like(w) for w in self.W + self.b]
            self.tmp = [np.empty_like(w) for w in self.W + self.b]
            self.t = 0

    def step(self, x, y) -> float:
        (W1, W2, W3), (b1, b2, b3) = self.W, self.b
        (gW1, gW2, gW3), (gb1, gb2, gb3) = self.gW, self.gb
        (h1, h2, z), (g1, g2) = self.h, self.gh
        n = x.shape[0]
        # forward
        np.matmul(x, W1, out=h1)
        h1 += b1
        np.maximum(h1, 0, out=h1)
        np.matmul(h1, W2, out=h2)
        h2 += b2
        np.maximum(h2, 0, out=h2)
        np.matmul(h2, W3, out=z)
        z += b3
        # softmax cross-entropy, mean over the batch; z becomes dL/dz
        z -= z.max(axis=1, keepdims=True)
        picked = z[self.rows, y]
        np.exp(z, out=z)
        total = z.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(total[:, 0]) - picked))
        z /= total
        z[self.rows, y] -= 1
        z *= 1.0 / n
        # backward
        np.matmul(h2.T, z, out=gW3)
        np.sum(z, axis=0, out=gb3)
        np.matmul(z, W3.T, out=g2)
        np.multiply(g2, h2 > 0, out=g2)
        np.matmul(h1.T, g2, out=gW2)
        np.sum(g2, axis=0, out=gb2)
        np.matmul(g2, W2.T, out=g1)
        np.multiply(g1, h1 > 0, out=g1)
        np.matmul(x.T, g1, out=gW1)
        np.sum(g1, axis=0, out=gb1)
        # update
        params, grads = self.W + self.b, self.gW + self.gb
        if self.adam:
            self.adam_update(params, grads)
        else:
            for p, g in zip(params, grads):
                g *= SGD_LR
                p -= g
        return loss

    def adam_update(self, params, grads) -> None:
        """torch.optim.Adam's update, with no temporaries beyond one buffer per parameter."""
        self.t += 1
        beta1, beta2 = ADAM["betas"]
        step_size = ADAM["lr"] / (1 - beta1 ** self.t)
        root_correction = math.sqrt(1 - beta2 ** self.t)
        for p, g, m, v, tmp in zip(params, grads, self.m, self.v, self.tmp):
            m *= beta1
            np.multiply(g, 1 - beta1, out=tmp)
            m += tmp
            v *= beta2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - beta2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp *= 1 / root_correction
            tmp += ADAM["eps"]
            np.divide(m, tmp, out=tmp)
            tmp *= step_size
            p -= tmp

    def matmuls(self, x) -> None:
        """The step's eight matrix products alone, on this object's buffers (their values are meaningless)."""
        (W1, W2, W3), (gW1, gW2, gW3) = self.W, self.gW
        (h1, h2, z), (g1, g2) = self.h, self.gh
        np.matmul(x, W1, out=h1)
        np.matmul(h1, W2, out=h2)
        np.matmul(h2, W3, out=z)
        np.matmul(h2.T, z, out=gW3)
        np.matmul(z, W3.T, out=g2)
        np.matmul(h1.T, g2, out=gW2)
        np.matmul(g2, W2.T, out=g1)
        np.matmul(x.T, g1, out=gW1)


def torch_step(torch, weights, biases, optimizer: str):
    """The same network in ``torch.nn`` with the same weights, and its training step."""
    layers = []
    for k, (w, b) in enumerate(zip(weights, biases)):
        linear = torch.nn.Linear(*w.shape)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w.T.copy()))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear] + ([torch.nn.ReLU()] if k < len(weights) - 1 else [])
    model = torch.nn.Sequential(*layers)
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = (torch.optim.SGD(model.parameters(), lr=SGD_LR) if optimizer == "SGD"
           else torch.optim.Adam(model.parameters(), **ADAM))

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def run(quick: bool = False) -> tuple[list[Row], list[str]]:
    """Every batch size and optimizer; rows of ratios and of the matrix products' share."""
    torch = optional_torch()
    rows, notes = [], []
    if torch is None:
        notes.append("MLP step: PyTorch is not installed, so its comparisons are left out.")
    for optimizer in OPTIMIZERS:
        for n in BATCHES:
            x, y = batch(n)
            model, ours = dlnotes_step(optimizer)
            _, ours_dx = dlnotes_step(optimizer, input_grad=True)
            linears = [layer for layer in model if isinstance(layer, nn.Linear)]
            weights = [layer.W.data.copy() for layer in linears]
            biases = [layer.b.data.copy() for layer in linears]
            floor = NumpyMLP(weights, biases, n, optimizer)
            floor_dx = NumpyMLP(weights, biases, n, optimizer)
            products = NumpyMLP(weights, biases, n, optimizer)
            dx = np.empty_like(x)

            def numpy_dx():
                loss = floor_dx.step(x, y)
                np.matmul(floor_dx.gh[0], floor_dx.W[0].T, out=dx)
                return loss

            contenders = {
                "dlnotes": lambda: ours(x, y),
                "dlnotes+dx": lambda: ours_dx(x, y),
                "numpy": lambda: floor.step(x, y),
                "numpy+dx": numpy_dx,
                "matmuls": lambda: products.matmuls(x),
            }
            first = {name: contenders[name]() for name in ("dlnotes", "dlnotes+dx", "numpy", "numpy+dx")}
            if torch is not None:
                theirs = torch_step(torch, weights, biases, optimizer)
                xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
                contenders["torch"] = lambda: theirs(xt, yt)
                first["torch"] = float(theirs(xt, yt).detach())
            if not np.allclose(list(first.values()), first["dlnotes"], rtol=1e-4):
                raise RuntimeError(f"the first losses of the MLP step disagree: {first}")
            t = interleaved(contenders, rounds=3 if quick else 40, sample_seconds=0.005 if quick else 0.015)
            what = f"{optimizer}, batch {n}"
            target = n == TARGET_BATCH
            rows.append(Row.timed("MLP step", f"{what}: dlnotes / plain NumPy", t, "dlnotes", "numpy", "plain NumPy",
                                  TARGET_VS_NUMPY if target else None))
            if torch is not None:
                rows.append(Row.timed("MLP step", f"{what}: dlnotes / PyTorch", t, "dlnotes", "torch", "PyTorch",
                                      TARGET_VS_TORCH if target else None))
                rows.append(Row.timed("MLP step", f"{what}: plain NumPy / PyTorch", t, "numpy", "torch", "PyTorch"))
            rows.append(Row.timed("MLP step", f"{what}: dlnotes returning ∂L/∂x / (plain NumPy + ∂L/∂x), the same work",
                                  t, "dlnotes+dx", "numpy+dx", "plain NumPy + ∂L/∂x"))
            rows.append(Row.timed("MLP step", f"{what}: share of the matmuls in the NumPy step", t, "matmuls", "numpy",
                                  "plain NumPy"))
            rows.append(Row.timed("MLP step", f"{what}: share of the matmuls in the dlnotes step", t, "matmuls",
                                  "dlnotes", "dlnotes"))
    return rows, notes
