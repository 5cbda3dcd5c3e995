"""Measurements for Chapter 8, preventing overfitting (防止过拟合).

- :func:`dropout_mlp`: the chapter's network, ReLU layers each followed by Dropout;
- :class:`L1Penalty`: any optimizer of ``dlnotes.optim`` with the subgradient of
  :math:`\\lambda \\lVert\\theta\\rVert_1` added to the gradient (the L1 counterpart of ``weight_decay``);
- :class:`DistanceFromStart`: a ``fit`` callback recording how far the weights have moved;
- :func:`weight_sparsity`: the share of weights near zero;
- :func:`dropout_average`: the mean of many dropout masks against the evaluation-mode output;
- :func:`regularization_grid`: the network trained for every pair of a dropout rate and a
  weight decay, with its learning curves and its decision boundary.

Everything trains with ``dlnotes.nn`` and ``dlnotes.optim`` except :func:`regularization_grid`,
which trains all the pairs of its grid at once (stacked along a first axis) and reproduces,
pair by pair, ``fit`` with :func:`dropout_mlp` and ``SGD`` (the tests check it). No matplotlib here.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ... import nn
from ..._validation import _show, as_float_array, as_generator, check_number
from ...activations import log_softmax, softmax
from ...train import Callback, predict
from . import mlp


def dropout_mlp(sizes, p: float, rng=None) -> nn.Sequential:
    """A ReLU network with Dropout after every hidden layer (Chapter 8).

    .. math:: h^{(l)} = \\operatorname{Dropout}_{p_\\text{drop}}\\big(\\operatorname{ReLU}(h^{(l-1)} W^{(l)} + b^{(l)})\\big), \\qquad
              f(x) = h^{(D-1)} W^{(D)} + b^{(D)}, \\qquad h^{(0)} = x

    The Linear layers draw their weights from ``rng`` exactly as
    ``mlp(sizes, "relu", rng)`` does, so both start from the same weights;
    the Dropout layers then draw their masks from the same Generator, in the
    order of the layers, at every training-mode forward.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, such as ``[2, 32, 32, 2]``.
    p : float in [0, 1]
        Drop probability of every Dropout layer (``p = 0`` keeps every unit).
    rng : numpy.random.Generator, int or None
        One source for the initial weights and, after them, the masks.
    """
    p = check_number(p, "p", low=0, high=1)
    rng = as_generator(rng)
    layers = []
    for layer in mlp(sizes, "relu", rng=rng):
        layers.append(layer)
        if isinstance(layer, nn.ReLU):
            layers.append(nn.Dropout(p, rng=rng))
    return nn.Sequential(*layers)


class L1Penalty:
    """An optimizer of ``dlnotes.optim`` that also minimizes :math:`\\lambda \\lVert\\theta\\rVert_1` (Chapter 8).

    Before every step of the wrapped optimizer it adds a subgradient of the
    L1 penalty to the gradient of every parameter the optimizer holds
    (biases included, as ``weight_decay`` treats them):

    .. math:: g \\leftarrow g + \\lambda \\operatorname{sign}(\\theta), \\qquad
              \\operatorname{sign}(0) = 0 .

    :math:`|\\theta|` has no derivative at 0, and this plain subgradient step
    pushes a weight by :math:`\\epsilon\\lambda` towards 0 whatever its size,
    so it overshoots: weights end *near* zero, flipping sign from step to
    step, and practically never *at* zero. A proximal step
    (soft-thresholding) would set them to exactly zero.

    Parameters
    ----------
    optimizer : a ``dlnotes.optim`` optimizer (its own ``weight_decay`` still applies)
    l1 : float
        The strength :math:`\\lambda \\ge 0`.
    """

    def __init__(self, optimizer, l1: float):
        for method in ("step", "zero_grad"):
            if not callable(getattr(optimizer, method, None)):
                raise TypeError(f"optimizer must be a dlnotes.optim optimizer (with {method}), got {_show(optimizer)}")
        self.optimizer = optimizer
        self.params = optimizer.params
        self.l1 = check_number(l1, "l1", low=0)

    def step(self) -> None:
        """Add :math:`\\lambda \\operatorname{sign}(\\theta)` to every gradient, then take the optimizer's step."""
        if self.l1:
            for p in self.params:
                p.grad = p.grad + self.l1 * np.sign(p.data)
        self.optimizer.step()

    def zero_grad(self) -> None:
        """Zero the gradients, as the wrapped optimizer does."""
        self.optimizer.zero_grad()

    def __repr__(self) -> str:
        return f"L1Penalty({self.optimizer!r}, l1={self.l1!r})"


def _flat(model) -> np.ndarray:
    return np.concatenate([p.data.ravel() for p in model.parameters()])


class DistanceFromStart(Callback):
    """A ``fit`` callback: how far the parameters are from where training started, after each epoch (Chapter 8).

    .. math:: \\lVert \\theta^{(t)} - \\theta^{(0)} \\rVert_2

    over every parameter of the model. ``distances[t - 1]`` is this distance
    after epoch ``t``, as in the lists of ``History``.
    """

    def on_train_begin(self, history) -> None:
        self.start = _flat(self.model)
        self.distances = []

    def on_epoch_end(self, epoch: int, history) -> bool:
        self.distances.append(float(np.linalg.norm(_flat(self.model) - self.start)))
        return False


def weight_matrices(model) -> np.ndarray:
    """Every entry of the weight matrices :math:`W^{(l)}` of the model's Linear layers, biases left out, in one vector."""
    return np.concatenate([layer.W.data.ravel() for layer in model.modules() if isinstance(layer, nn.Linear)])


def weight_sparsity(weights, threshold: float = 1e-3) -> float:
    """The share of weights whose size is below ``threshold`` (Chapter 8).

    .. math:: \\frac{1}{n_w} \\#\\{ i : |\\theta_i| < \\tau \\}

    over the :math:`n_w` weights :math:`\\theta_i`, with :math:`\\tau` = ``threshold``. Exact zeros are rare after gradient
    steps; L1's subgradient steps leave weights hovering around zero, so
    sparsity is measured below a small threshold.
    """
    weights = as_float_array(weights, "weights")
    if weights.size == 0:
        raise ValueError("weights must hold at least one weight, got an empty array")
    threshold = check_number(threshold, "threshold", low=0, low_open=True)
    return float(np.mean(np.abs(weights) < threshold))


def mesh(*point_sets, resolution: int = 60, margin: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A square mesh over 2-D data, for drawing a decision boundary (Chapter 8).

    Returns ``grid_x`` and ``grid_y`` (``resolution`` values each, from the
    smallest to the largest coordinate of all ``point_sets`` widened by
    ``margin``) and ``points``, the mesh as rows: row ``i * resolution + j``
    is ``(grid_x[j], grid_y[i])``.
    """
    resolution = check_number(resolution, "resolution", low=2, integer=True)
    margin = check_number(margin, "margin", low=0)
    if not point_sets:
        raise TypeError("mesh needs at least one set of points")
    data = np.vstack([as_float_array(points, f"point_sets[{k}]", ndim=2) for k, points in enumerate(point_sets)])
    if data.shape[1] != 2:
        raise ValueError(f"point_sets must hold 2-D points (2 columns), got shape {data.shape}")
    low, high = data.min(axis=0) - margin, data.max(axis=0) + margin
    grid_x, grid_y = (np.linspace(low[i], high[i], resolution) for i in range(2))
    return grid_x, grid_y, np.column_stack([a.ravel() for a in np.meshgrid(grid_x, grid_y)])


def probability_map(model, grid_x, grid_y) -> np.ndarray:
    """The probability of class 1 of a two-class network on the mesh of ``grid_x`` and ``grid_y`` (Chapter 8).

    .. math:: P(y = 1 \\mid x) = \\operatorname{softmax}(f(x; \\theta))_1

    in evaluation mode (Dropout off); entry ``[i, j]`` is at ``(grid_x[j], grid_y[i])``.
    """
    points = np.column_stack([a.ravel() for a in np.meshgrid(grid_x, grid_y)])
    logits = predict(model, points)
    if logits.ndim != 2 or logits.shape[1] != 2:
        raise ValueError(f"model must give two logits per point (two classes), got outputs of shape {logits.shape}")
    return softmax(logits)[:, 1].reshape(len(grid_y), len(grid_x))


class DropoutAverage(NamedTuple):
    """What :func:`dropout_average` measures (Chapter 8).

    ``h`` is the layer's input, also its evaluation-mode output; ``inverted`` the mean of the
    training-mode outputs over all masks (inverted dropout), ``unscaled`` the mean of
    :math:`\\zeta \\odot h` without the division by :math:`1 - p`; ``counts`` the numbers of masks
    :math:`N` at which the running means :math:`\\bar h_N` were compared with ``h``, ``error`` their relative
    distance :math:`\\lVert \\bar h_N - h \\rVert / \\lVert h \\rVert` and ``predicted``
    :math:`\\sqrt{p / ((1 - p) N)}`."""

    p: float
    h: np.ndarray
    inverted: np.ndarray
    unscaled: np.ndarray
    counts: np.ndarray
    error: np.ndarray
    predicted: np.ndarray


def dropout_average(h, p: float, n_masks: int = 10_000, rng=None) -> DropoutAverage:
    """Average ``nn.Dropout(p)`` in training mode over ``n_masks`` masks and compare with evaluation mode (Chapter 8).

    Each mask gives :math:`\\tilde h = \\zeta \\odot h / (1 - p)` with :math:`\\zeta_j \\sim \\text{Bernoulli}(1 - p)`,
    so :math:`\\mathbb E[\\tilde h] = h`, the evaluation-mode output, and :math:`\\operatorname{Var}(\\tilde h_j) = h_j^2 p / (1 - p)`.
    The mean :math:`\\bar h_N` of :math:`N` masks is therefore off by a relative RMS distance

    .. math:: \\frac{\\sqrt{\\mathbb E[\\lVert \\bar h_N - h \\rVert^2]}}{\\lVert h \\rVert} = \\sqrt{\\frac{p}{(1 - p) N}},

    while without the division the mean tends to :math:`(1 - p) h`.

    Parameters
    ----------
    h : 1-D array, the activations entering the layer (not all zero)
    p : float in [0, 1), the drop probability
    n_masks : int >= 1
    rng : numpy.random.Generator, int or None, passed to ``nn.Dropout``
    """
    h = as_float_array(h, "h", ndim=1)
    if not np.any(h):
        raise ValueError(f"h must have a non-zero entry, got {_show(h)}")
    p = check_number(p, "p", low=0, high=1, high_open=True)
    n_masks = check_number(n_masks, "n_masks", low=1, integer=True)
    layer = nn.Dropout(p, rng=rng)
    with nn.no_grad():
        y = layer(np.tile(h, (n_masks, 1)))  # one mask per row
    unscaled = layer.mask * h
    counts = np.unique(np.geomspace(1, n_masks, 25).astype(int))
    running = np.cumsum(y, axis=0)[counts - 1] / counts[:, None]
    error = np.linalg.norm(running - h, axis=1) / np.linalg.norm(h)
    return DropoutAverage(p, h, y.mean(axis=0), unscaled.mean(axis=0), counts, error, np.sqrt(p / ((1 - p) * counts)))


class RegularizationGrid(NamedTuple):
    """What :func:`regularization_grid` measures (Chapter 8), for dropout rates ``dropouts`` (length P) and
    weight decays ``weight_decays`` (length Q).

    ``train_loss`` and ``val_loss`` have shape ``(P, Q, len(epochs))``: the cross-entropy on the whole
    training and validation set in evaluation mode (no dropout) after each epoch of ``epochs``
    (0 is before training);
    ``train_accuracy`` and ``val_accuracy`` (shape ``(P, Q)``) are measured after the last epoch.
    ``probability`` (shape ``(P, Q, G, G)``) is the probability of class 1 on the ``G × G`` mesh of
    points ``(grid_x[j], grid_y[i])`` at index ``[i, j]``, whose 1/2 level is the decision boundary.
    ``X_train, y_train, X_val, y_val`` are the data."""

    dropouts: np.ndarray
    weight_decays: np.ndarray
    epochs: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_accuracy: np.ndarray
    val_accuracy: np.ndarray
    grid_x: np.ndarray
    grid_y: np.ndarray
    probability: np.ndarray
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        """The generalization gap after the last epoch, :math:`J_\\text{val} - J_\\text{train}`, shape ``(P, Q)``."""
        return self.val_loss[..., -1] - self.train_loss[..., -1]


def _forward(weights, biases, x, keep=None):
    """Logits of every stacked network for the rows ``x`` (shape ``(N, d)`` or ``(K, N, d)``), and the layers' outputs.

    ``keep`` (one ``(K, N, width)`` array per hidden layer) holds the masks divided by ``1 - p``;
    None is evaluation mode.
    """
    outputs = [x]
    for layer, (W, b) in enumerate(zip(weights, biases)):
        z = np.matmul(outputs[-1], W)
        z += b[:, None, :]
        if layer < len(weights) - 1:
            np.maximum(z, 0, out=z)
            if keep is not None:
                z *= keep[layer]
        outputs.append(z)
    return outputs[-1], outputs


def _mean_cross_entropy(logits, y) -> np.ndarray:
    """The mean cross-entropy of every stacked network, shape ``(K,)``."""
    return -np.mean(np.take_along_axis(log_softmax(logits), y[None, :, None], axis=2)[..., 0], axis=1)


def _checked_data(X, y, name_x: str, name_y: str, sizes) -> tuple[np.ndarray, np.ndarray]:
    """``X`` with ``sizes[0]`` columns and ``y`` as int64 class labels in ``0..sizes[-1]-1``, one per row."""
    X = as_float_array(X, name_x, ndim=2)
    if X.shape[1] != sizes[0]:
        raise ValueError(f"{name_x} must have sizes[0] = {sizes[0]} columns, got shape {X.shape}")
    labels = as_float_array(y, name_y)
    if labels.shape != (len(X),):
        raise ValueError(f"{name_y} must hold one label per row of {name_x} ({len(X)}), got shape {labels.shape}")
    if np.any(labels != np.round(labels)) or np.any(labels < 0) or np.any(labels >= sizes[-1]):
        raise ValueError(f"{name_y} must hold class labels 0..{sizes[-1] - 1}, got {_show(y)}")
    return X, labels.astype(np.int64)


def regularization_grid(X, y, X_val, y_val, dropouts, weight_decays, *, sizes=(2, 32, 32, 2), lr: float = 0.1,
                        momentum: float = 0.9, epochs: int = 300, record_every: int = 5, rng=0,
                        resolution: int = 60, margin: float = 0.5) -> RegularizationGrid:
    """Train the network of :func:`dropout_mlp` for every pair of a dropout rate and an L2 weight decay (Chapter 8).

    Every pair :math:`(p_\\text{drop}, \\lambda)` starts from the same weights and runs
    ``epochs`` full-batch steps of SGD with momentum :math:`\\alpha` on the mean
    cross-entropy :math:`J` (PyTorch's form, as ``dlnotes.optim.SGD``):

    .. math:: \\tilde v \\leftarrow \\alpha \\tilde v + \\nabla_\\theta J(\\theta) + \\lambda\\theta, \\qquad
              \\theta \\leftarrow \\theta - \\epsilon \\tilde v,

    so :math:`\\lambda` is ``weight_decay``, on every parameter (biases too).
    All pairs see the same uniform draws :math:`v_j \\sim \\mathcal U(0, 1)` for their masks,
    :math:`\\zeta_j = [v_j \\ge p_\\text{drop}]`, so pairs differ only by :math:`p_\\text{drop}` and :math:`\\lambda`.
    The networks are stacked along a first axis and trained together, which
    is what makes a grid of dozens of networks take well under a second;
    pair :math:`(p_\\text{drop}, \\lambda)` follows, step for step, ``fit(dropout_mlp(sizes, p, rng),
    CrossEntropyLoss(), SGD(..., lr, momentum, weight_decay=λ), X, y, batch_size=len(X), shuffle=False)``.

    Parameters
    ----------
    X, y : training inputs of shape (N, sizes[0]) and class labels in 0..sizes[-1]-1
    X_val, y_val : validation data, the same way
    dropouts : sequence of float in [0, 1)
    weight_decays : sequence of float >= 0
    sizes, lr, momentum, epochs : the network and its training
    record_every : int >= 1, measure the losses every this many epochs (and after the last)
    rng : numpy.random.Generator, int or None
        The initial weights, then the masks (as in :func:`dropout_mlp`).
    resolution : int >= 2, points per side of the mesh for the decision boundary
    margin : float >= 0, how far the mesh reaches beyond the data on each side
    """
    sizes = [check_number(size, f"sizes[{k}]", low=1, integer=True) for k, size in enumerate(sizes)]
    X, y = _checked_data(X, y, "X", "y", sizes)
    X_val, y_val = _checked_data(X_val, y_val, "X_val", "y_val", sizes)
    p = np.array([check_number(v, "dropouts", low=0, high=1, high_open=True) for v in dropouts], dtype=float)
    decay = np.array([check_number(v, "weight_decays", low=0) for v in weight_decays], dtype=float)
    if not len(p) or not len(decay):
        raise ValueError(f"dropouts and weight_decays must each hold a value, got {list(dropouts)!r} and {list(weight_decays)!r}")
    lr = check_number(lr, "lr", low=0, low_open=True)
    momentum = check_number(momentum, "momentum", low=0)
    epochs = check_number(epochs, "epochs", low=1, integer=True)
    record_every = check_number(record_every, "record_every", low=1, integer=True)
    rng = as_generator(rng)
    start = [layer for layer in dropout_mlp(sizes, 0.0, rng=rng) if isinstance(layer, nn.Linear)]

    P, Q = len(p), len(decay)
    K = P * Q
    p_k, decay_k = np.repeat(p, Q), np.tile(decay, P)
    weights = [np.repeat(layer.W.data[None], K, axis=0) for layer in start]
    biases = [np.repeat(layer.b.data[None], K, axis=0) for layer in start]
    params = weights + biases
    velocity = [np.zeros_like(a) for a in params]
    decays = [decay_k.reshape((K,) + (1,) * (a.ndim - 1)) for a in params]
    onehot = np.eye(sizes[-1])[y]
    n = len(X)

    def measure():
        return [_mean_cross_entropy(_forward(weights, biases, data)[0], labels) for data, labels in ((X, y), (X_val, y_val))]

    recorded = np.unique(np.r_[np.arange(0, epochs + 1, record_every), epochs])
    train_loss, val_loss = np.empty((K, len(recorded))), np.empty((K, len(recorded)))
    train_loss[:, 0], val_loss[:, 0] = measure()
    for epoch in range(1, epochs + 1):
        keep = [(rng.random((n, W.shape[2]))[None] >= p_k[:, None, None]) / (1 - p_k)[:, None, None] for W in weights[:-1]]
        logits, outputs = _forward(weights, biases, X, keep)
        grad = (softmax(logits) - onehot) / n
        grads_W, grads_b = [None] * len(weights), [None] * len(weights)
        for layer in reversed(range(len(weights))):
            grads_W[layer] = np.matmul(np.swapaxes(outputs[layer], -1, -2), grad)
            grads_b[layer] = grad.sum(axis=1)
            if layer:
                grad = np.matmul(grad, np.swapaxes(weights[layer], 1, 2))
                grad *= keep[layer - 1]  # zero where dropped or where the ReLU was off (its output is 0 there)
                grad *= outputs[layer] > 0
        for theta, g, b, lam in zip(params, grads_W + grads_b, velocity, decays):
            g = g + lam * theta
            b *= momentum
            b += g
            theta -= lr * b
        if epoch in recorded:
            column = np.searchsorted(recorded, epoch)
            train_loss[:, column], val_loss[:, column] = measure()

    def accuracy(data, labels):
        return np.mean(np.argmax(_forward(weights, biases, data)[0], axis=2) == labels, axis=1)

    grid_x, grid_y, points = mesh(X, X_val, resolution=resolution, margin=margin)
    probability = softmax(_forward(weights, biases, points)[0])[..., 1].reshape(P, Q, resolution, resolution)
    return RegularizationGrid(
        p, decay, recorded, train_loss.reshape(P, Q, -1), val_loss.reshape(P, Q, -1),
        accuracy(X, y).reshape(P, Q), accuracy(X_val, y_val).reshape(P, Q),
        grid_x, grid_y, probability, X, y, X_val, y_val,
    )
