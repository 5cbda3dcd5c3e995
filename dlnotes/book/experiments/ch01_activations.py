"""The measurements behind Chapter 1 (activation functions, 激活函数).

- :func:`deep_stack`: a deep fully connected stack at a chosen weight scale,
  its pre-activations per layer and the gradient norm reaching each layer;
  :func:`low_gradient_share` (how many units pass almost no gradient) and
  :func:`scale_sweep` (both, across weight scales);
- :func:`sigmoid_chain`: the derivative through a chain of ``n`` sigmoid
  units, never above :math:`0.25^n`;
- :func:`zigzag_path` and :func:`gradient_signs`: why inputs that are not
  zero-centred make every weight gradient of a unit share one sign;
- :func:`activation_race`: the same deep network trained with sigmoid, tanh
  and ReLU, the training loss per epoch;
- :func:`dead_relu`: the fraction of ReLU (or Leaky ReLU) units that never
  fire after training with a given learning rate (:func:`dead_unit_fraction`).

NumPy and ``dlnotes`` only; the figures live in ``dlnotes.book.plot.ch01_activations``
and ``dlnotes.book.widgets.ch01_activations``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..._validation import as_float_array, as_generator, check_choice, check_number
from ...activations import ACTIVATIONS, sigmoid, sigmoid_grad
from ...data import make_moons
from ...losses import CrossEntropyLoss
from ...nn import LeakyReLU, Linear, ReLU, Sequential, no_grad
from ...optim import SGD
from ...train import fit
from . import ACTIVATION_MODULES, mlp


class DeepStack(NamedTuple):
    """What :func:`deep_stack` measures (Chapter 1).

    ``preactivations`` has shape ``(n_layers, batch, width)``: the inputs
    :math:`z^{(l)}` of each layer's activation. ``grad_norms`` has shape
    ``(n_layers,)``: :math:`\\lVert \\partial L / \\partial W^{(l)} \\rVert_F`
    for each layer, ``grad_norms[0]`` being the first layer.
    """

    preactivations: np.ndarray
    grad_norms: np.ndarray


def deep_stack(activation: str, weight_scale: float, *, n_layers: int = 10, width: int = 50,
               batch: int = 200, rng=0) -> DeepStack:
    """Forward and backward through a deep stack of ``activation`` layers (Chapter 1).

    Each layer computes

    .. math::

        z^{(l)} = h^{(l-1)} W^{(l)}, \\qquad h^{(l)} = \\phi(z^{(l)}), \\qquad
        W^{(l)}_{ij} \\sim \\mathcal N\\!\\left(0, \\frac{s^2}{\\text{width}}\\right),

    with :math:`s` = ``weight_scale`` and standard normal inputs
    :math:`h^{(0)}`. Backward starts from a random upstream gradient
    :math:`G = \\partial L / \\partial h^{(L)}` with standard normal entries
    divided by ``batch``, and applies the chain rule

    .. math::

        \\frac{\\partial L}{\\partial z^{(l)}} = \\Big(\\frac{\\partial L}{\\partial z^{(l+1)}} W^{(l+1)\\top}\\Big) \\odot \\phi'(z^{(l)}), \\qquad
        \\frac{\\partial L}{\\partial W^{(l)}} = h^{(l-1)\\top} \\frac{\\partial L}{\\partial z^{(l)}}.

    The same ``rng`` gives the same inputs, weights (up to the scale) and
    upstream gradient for every activation, so activations and scales compare
    fairly. :math:`\\phi` and :math:`\\phi'` come from ``dlnotes.activations.ACTIVATIONS``.
    """
    check_choice(activation, "activation", ACTIVATIONS)
    check_number(weight_scale, "weight_scale", low=0, low_open=True)
    for value, name in ((n_layers, "n_layers"), (width, "width"), (batch, "batch")):
        check_number(value, name, low=1, integer=True)
    f, f_grad = ACTIVATIONS[activation]
    gen = as_generator(rng)
    x = gen.standard_normal((batch, width))
    weights = gen.standard_normal((n_layers, width, width)) * (weight_scale / np.sqrt(width))
    upstream = gen.standard_normal((batch, width)) / batch

    inputs, preactivations = [], []
    h = x
    for W in weights:
        inputs.append(h)
        z = h @ W
        preactivations.append(z)
        h = f(z)
    grad_norms = np.empty(n_layers)
    grad_h = upstream
    for layer in reversed(range(n_layers)):
        delta = grad_h * f_grad(preactivations[layer])
        grad_norms[layer] = np.linalg.norm(inputs[layer].T @ delta)
        grad_h = delta @ weights[layer].T
    return DeepStack(np.stack(preactivations), grad_norms)


#: The derivative below which a unit counts as passing almost no gradient (:func:`low_gradient_share`).
LOW_GRADIENT = 0.01


def low_gradient_share(activation: str, preactivations, *, threshold: float = LOW_GRADIENT) -> np.ndarray:
    """Per layer, the share of units whose derivative :math:`\\phi'(z)` is below ``threshold`` (Chapter 1).

    .. math:: s_l = \\frac{1}{N} \\#\\{\\, i : f'(z^{(l)}_i) < \\varepsilon \\,\\}

    with :math:`\\varepsilon` = ``threshold`` (default 0.01). ``preactivations``
    has shape ``(n_layers, ...)`` (as in :class:`DeepStack`); the result has
    shape ``(n_layers,)``. Such a unit passes back less than 1% of the
    gradient it receives: for sigmoid (:math:`|z| > 4.6`) and tanh
    (:math:`|z| > 3.0`) it is *saturated* (饱和); for ReLU it is a unit with
    :math:`z \\le 0`, about half of them at any weight scale.
    """
    check_choice(activation, "activation", ACTIVATIONS)
    check_number(threshold, "threshold", low=0, low_open=True)
    z = as_float_array(preactivations, "preactivations")
    if z.ndim < 1 or z.shape[0] == 0:
        raise ValueError(f"preactivations must have a leading layer axis, got shape {z.shape}")
    derivative = ACTIVATIONS[activation][1](z.reshape(z.shape[0], -1))
    return np.mean(derivative < threshold, axis=1)


class ScaleSweep(NamedTuple):
    """What :func:`scale_sweep` measures (Chapter 1), for each activation name and weight scale:
    ``ratio[name]`` (K,), the gradient norm at layer 1 over the one at the last layer, and
    ``low_gradient[name]`` (K,), the share of units with :math:`\\phi'(z) < 0.01`, averaged over layers."""

    scales: np.ndarray
    ratio: dict
    low_gradient: dict


def scale_sweep(scales, activations=("sigmoid", "tanh", "relu"), *, n_layers: int = 10, rng=0) -> ScaleSweep:
    """Across weight scales: how the gradient changes from the last layer to the first, and what saturation costs (Chapter 1).

    For each scale :math:`s` and activation, :func:`deep_stack` (same draws
    for all) gives

    .. math::

        \\rho(s) = \\frac{\\lVert \\partial L / \\partial W^{(1)} \\rVert}{\\lVert \\partial L / \\partial W^{(L)} \\rVert}, \\qquad
        \\bar s(s) = \\frac{1}{L} \\sum_{l=1}^{L} s_l ,

    with :math:`s_l` from :func:`low_gradient_share`. :math:`\\rho \\ll 1`:
    the gradient vanishes toward layer 1; :math:`\\rho \\gg 1`: it explodes.
    """
    scales = as_float_array(scales, "scales", ndim=1)
    for name in activations:
        check_choice(name, "activations", ACTIVATIONS)
    ratio = {name: np.empty(scales.size) for name in activations}
    low = {name: np.empty(scales.size) for name in activations}
    for k, scale in enumerate(scales):
        for name in activations:
            stack = deep_stack(name, float(scale), n_layers=n_layers, rng=rng)
            ratio[name][k] = stack.grad_norms[0] / stack.grad_norms[-1]
            low[name][k] = np.mean(low_gradient_share(name, stack.preactivations))
    return ScaleSweep(scales, ratio, low)


def layer_histograms(values, edges) -> np.ndarray:
    """Fraction of each layer's values in each bin, values beyond the edges counted in the end bins (Chapter 1).

    ``values`` has shape ``(n_layers, ...)``; the result has shape
    ``(n_layers, len(edges) - 1)`` and each row sums to 1:

    .. math:: p_{lk} = \\frac{1}{N} \\#\\{\\, i : \\operatorname{clip}(z^{(l)}_i) \\in [e_k, e_{k+1}) \\,\\}.
    """
    values = as_float_array(values, "values")
    edges = as_float_array(edges, "edges", ndim=1)
    if edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"edges must be at least 2 increasing numbers, got {edges!r}")
    if values.ndim < 1:
        raise ValueError(f"values must have a leading layer axis, got shape {values.shape}")
    flat = np.clip(values.reshape(values.shape[0], -1), edges[0], edges[-1])
    bins = np.clip(np.searchsorted(edges, flat, side="right") - 1, 0, edges.size - 2)
    counts = np.stack([np.bincount(row, minlength=edges.size - 1) for row in bins])
    return counts / flat.shape[1]


class SigmoidChain(NamedTuple):
    """What :func:`sigmoid_chain` measures (Chapter 1): depths ``n``, the bound :math:`0.25^n`
    and ``derivatives`` of shape ``(n_chains, max_layers)`` (column ``n - 1`` is
    :math:`\\partial h_n / \\partial h_0`)."""

    n: np.ndarray
    bound: np.ndarray
    derivatives: np.ndarray


def sigmoid_chain(max_layers: int = 20, *, n_chains: int = 1000, rng=0) -> SigmoidChain:
    """The derivative through a chain of sigmoid units, against :math:`0.25^n` (Chapter 1).

    Each chain starts at :math:`h_0 \\sim \\mathcal N(0, 1)` and applies
    :math:`h_l = \\sigma(h_{l-1} + b_l)` with biases :math:`b_l \\sim \\mathcal N(0, 1)`
    and weight 1. By the chain rule

    .. math::

        \\frac{\\partial h_n}{\\partial h_0} = \\prod_{l=1}^{n} \\sigma'(h_{l-1} + b_l)
        \\le 0.25^n, \\qquad \\text{since } \\sigma'(z) = \\sigma(z)(1-\\sigma(z)) \\le \\tfrac14 .
    """
    check_number(max_layers, "max_layers", low=1, integer=True)
    check_number(n_chains, "n_chains", low=1, integer=True)
    gen = as_generator(rng)
    h = gen.standard_normal(n_chains)
    biases = gen.standard_normal((max_layers, n_chains))
    local = np.empty((n_chains, max_layers))
    for layer, b in enumerate(biases):
        z = h + b
        local[:, layer] = sigmoid_grad(z)
        h = sigmoid(z)
    n = np.arange(1, max_layers + 1)
    return SigmoidChain(n, 0.25**n, np.cumprod(local, axis=1))


def zigzag_path(input_mean: float = 1.5, *, target=(1.0, -1.0), steps: int = 50, lr: float = 0.15,
                rng=0) -> np.ndarray:
    """The path of two weights trained one example at a time (Chapter 1, zig-zag updates).

    A unit :math:`z = x w` (``x`` a row of two inputs) learns the target weights :math:`w^*` from
    inputs :math:`x = \\mu + u`, :math:`u \\sim \\mathcal U(-1, 1)^2`
    (:math:`\\mu` = ``input_mean``), with the squared error
    :math:`L = \\tfrac12 (x w - x w^*)^2` and one SGD step per example:

    .. math::

        w \\leftarrow w - \\epsilon\\, \\frac{\\partial L}{\\partial z}\\, x, \\qquad
        \\frac{\\partial L}{\\partial z} = x (w - w^*) ,

    with the learning rate :math:`\\epsilon` = ``lr``.

    When every :math:`x_i > 0` (``input_mean >= 1``) each step moves both
    weights in the same direction (the sign of :math:`-\\partial L / \\partial z`), so a target
    such as :math:`(1, -1)` is reached only by zig-zagging. Returns the path,
    shape ``(steps + 1, 2)``, starting at the origin. The same ``rng`` gives
    the same ``u`` for every ``input_mean``.
    """
    check_number(input_mean, "input_mean")
    check_number(steps, "steps", low=1, integer=True)
    check_number(lr, "lr", low=0, low_open=True)
    target = as_float_array(target, "target", ndim=1)
    if target.shape != (2,):
        raise ValueError(f"target must hold 2 weights, got shape {target.shape}")
    inputs = input_mean + as_generator(rng).uniform(-1, 1, size=(steps, 2))
    path = np.zeros((steps + 1, 2))
    for t, x in enumerate(inputs):
        delta = (path[t] - target) @ x
        path[t + 1] = path[t] - lr * delta * x
    return path


def gradient_signs(input_mean: float = 1.5, *, n_inputs: int = 8, n_units: int = 6, rng=0) -> np.ndarray:
    """Signs of one example's weight gradient :math:`\\partial L / \\partial W = x^\\top \\partial L / \\partial z` (Chapter 1).

    For a layer :math:`z = x W` with one input row :math:`x` (entries
    ``input_mean`` plus :math:`\\mathcal U(-1, 1)` noise) and
    upstream gradient :math:`\\partial L / \\partial z` (standard
    normal), :math:`\\partial L / \\partial W_{ij} = x_i\\, \\partial L / \\partial z_j`. With all
    :math:`x_i > 0`, column :math:`j` (unit :math:`j`) has the single sign of
    :math:`\\partial L / \\partial z_j`. Returns the sign matrix, shape ``(n_inputs, n_units)``,
    entries in ``{-1, 0, 1}``.
    """
    check_number(input_mean, "input_mean")
    check_number(n_inputs, "n_inputs", low=1, integer=True)
    check_number(n_units, "n_units", low=1, integer=True)
    gen = as_generator(rng)
    x = input_mean + gen.uniform(-1, 1, size=n_inputs)
    delta = gen.standard_normal(n_units)
    return np.sign(np.outer(x, delta))


def dead_unit_fraction(activations) -> float:
    """Fraction of units (columns) that never fire: output 0 for every example (Chapter 1).

    .. math:: \\frac{\\#\\{\\, j : h_{ij} \\le 0 \\text{ for every example } i \\,\\}}{\\text{the number of units}}

    ``activations`` has shape ``(n_examples, n_units)``, for example the
    ReLU outputs of a hidden layer over the whole training set.
    """
    h = as_float_array(activations, "activations", ndim=2)
    if h.shape[1] == 0:
        raise ValueError(f"activations must have at least one unit (column), got shape {h.shape}")
    return float(np.mean(np.all(h <= 0, axis=0)))


def activation_race(activations=("sigmoid", "tanh", "relu"), *, hidden=(50, 50, 50), lr: float = 0.3,
                    epochs: int = 20, batch_size: int = 16, rng=0) -> dict:
    """The same deep network trained with each activation: training loss per epoch (Chapter 1).

    For each name in ``activations`` (keys of
    ``dlnotes.book.experiments.ACTIVATION_MODULES``), the network
    ``mlp([2, *hidden, 2], activation)`` learns the two moons
    (``dlnotes.data.make_moons``, 200 points) with the cross-entropy loss and
    plain SGD at learning rate ``lr``. Every activation gets the same data,
    the same initial weights (one seed, drawn once from ``rng``) and the same
    minibatches, so only the activation differs. Returns ``{name: losses}``,
    the mean training loss of each of the ``epochs`` epochs.
    """
    for name in activations:
        check_choice(name, "activations", ACTIVATION_MODULES)
    check_number(lr, "lr", low=0, low_open=True)
    check_number(epochs, "epochs", low=1, integer=True)
    seed = int(as_generator(rng).integers(2**32))
    curves = {}
    for name in activations:
        gen = np.random.default_rng(seed)
        X, y = make_moons(200, noise=0.1, rng=gen)
        model = mlp([2, *hidden, 2], name, rng=gen)
        history = fit(model, CrossEntropyLoss(), SGD(model.parameters(), lr=lr), X, y,
                      epochs=epochs, batch_size=batch_size, rng=gen)
        curves[name] = np.asarray(history["train_loss"], dtype=float)
    return curves


class DeadReLU(NamedTuple):
    """What :func:`dead_relu` measures (Chapter 1): the fraction of hidden units that never
    fire on the training set ``before`` and ``after`` training (output :math:`\\le 0`, that
    is :math:`z \\le 0`, on every example), each unit's ``firing_rate`` after training
    (shape ``(hidden,)``: the share of examples on which it outputs more than 0), the
    training ``history``, ``no_gradient``, the share of hidden units whose weights and
    bias get exactly zero gradient from the loss on the whole training set after
    training (NaN for a run that diverged), and ``train_loss``, that loss."""

    before: float
    after: float
    firing_rate: np.ndarray
    history: object
    no_gradient: float
    train_loss: float


#: The hidden activations :func:`dead_relu` compares: ReLU and Leaky ReLU (slope 0.01, the default).
DEAD_UNIT_ACTIVATIONS = {"relu": ReLU, "leaky_relu": LeakyReLU}


def dead_relu(lr: float, *, activation: str = "relu", hidden: int = 50, epochs: int = 10, batch_size: int = 16,
              rng=0) -> DeadReLU:
    """Train a one-hidden-layer ReLU network with SGD at learning rate ``lr`` and count its dead units (Chapter 1).

    The network ``Linear(2, hidden) -> ReLU -> Linear(hidden, 2)``, with ``hidden`` hidden units,
    learns the two moons (``dlnotes.data.make_moons``, 200 points) with the
    cross-entropy loss through ``dlnotes.train.fit``. A hidden unit
    :math:`h_j = \\max(0, x w_j + b_j)` (:math:`w_j` the :math:`j`-th column of :math:`W`) is *dead* when it outputs 0 for
    every training example: then :math:`\\partial L / \\partial w_j = 0` for
    every example and no later update can revive it. A large step can push
    :math:`b_j` (or :math:`w_j`) there in one update. See
    :func:`dead_unit_fraction`. A run that diverges (``history.diverged``)
    is measured as it stopped, a NaN output counting as "does not fire".

    ``activation="leaky_relu"`` puts Leaky ReLU :math:`\\max(0.01 z, z)` in the
    hidden layer instead, with the same data, initial weights and minibatches.
    Its units can be pushed to :math:`z \\le 0` on every example too
    (``after``), but they still pass the gradient :math:`0.01\\,\\partial L/\\partial h_j`,
    so none of them stops learning (``no_gradient``).
    """
    check_number(lr, "lr", low=0, low_open=True)
    check_choice(activation, "activation", DEAD_UNIT_ACTIVATIONS)
    check_number(hidden, "hidden", low=1, integer=True)
    gen = as_generator(rng)
    X, y = make_moons(200, noise=0.1, rng=gen)
    model = Sequential(Linear(2, hidden, rng=gen), DEAD_UNIT_ACTIVATIONS[activation](), Linear(hidden, 2, rng=gen))

    def fires():
        with no_grad():
            return model[0](X) > 0  # h_j > 0 exactly where z_j > 0, for ReLU and Leaky ReLU alike

    before = dead_unit_fraction(fires())
    loss_fn = CrossEntropyLoss()
    history = fit(model, loss_fn, SGD(model.parameters(), lr=lr), X, y,
                  epochs=epochs, batch_size=batch_size, rng=gen)
    with np.errstate(all="ignore"):  # a diverged run (history.diverged) may hold inf or NaN weights
        firing = fires()  # NaN compares as "not firing"
    no_gradient = train_loss = float("nan")
    if not history.diverged:
        train_loss = float(loss_fn(model(X), y))
        model.zero_grad()
        model.backward(loss_fn.backward())
        first = model[0]
        no_gradient = float(np.mean(np.all(first.W.grad == 0, axis=0) & (first.b.grad == 0)))
    return DeadReLU(before, dead_unit_fraction(firing), np.mean(firing, axis=0), history, no_gradient, train_loss)
