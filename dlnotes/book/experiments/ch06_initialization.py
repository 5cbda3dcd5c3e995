"""The measurements behind Chapter 6 (weight initialization, 权重初始化).

- :func:`symmetry_run`: a small network trained from all-zero, all-equal or
  random weights, with :func:`hidden_unit_spread` (how different its hidden
  units are) after every epoch;
- :func:`one_layer_variance`: :math:`\\operatorname{Var}(z) = n_\\text{in}
  \\operatorname{Var}(W_{ij})\\,\\mathbb E[x^2]` for one layer, predicted and measured;
- :func:`deep_signals`: the forward signal :math:`z^{(l)}` and the backward
  signal :math:`\\partial L / \\partial z^{(l)}` of every layer
  of a deep network built with ``dlnotes.nn`` and any ``dlnotes.init``
  initializer; :func:`init_scale_sweep` (their histograms across weight
  scales) and :func:`init_comparison` (Xavier against He on tanh and ReLU);
- :func:`dead_at_start`: the share of ReLU units that never fire before any
  training, for a given initializer.

NumPy and ``dlnotes`` only; the figures live in ``dlnotes.book.plot.ch06_initialization``
and ``dlnotes.book.widgets.ch06_initialization``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ... import init as initializers
from ... import nn
from ..._validation import as_float_array, as_generator, check_choice, check_number
from ...data import make_moons
from ...losses import CrossEntropyLoss
from ...optim import SGD
from ...train import evaluate, fit
from . import ACTIVATION_MODULES
from .ch01_activations import dead_unit_fraction, layer_histograms, low_gradient_share


# -- initializers by scale -----------------------------------------------------------
def constant_init(value: float):
    """The initializer :math:`W_{ij} = c` for every entry, as a callable ``(shape, rng)`` for ``nn.Linear`` (Chapter 6)."""
    value = check_number(value, "value")
    return lambda shape, rng: initializers.constant(shape, value, rng=rng)


def normal_init(std: float):
    """The initializer :math:`W_{ij} \\sim \\mathcal N(0, \\mathrm{std}^2)` as a callable ``(shape, rng)`` (Chapter 6)."""
    std = check_number(std, "std", low=0, low_open=True)
    return lambda shape, rng: initializers.normal(shape, std=std, rng=rng)


def scaled_normal(scale: float):
    """The initializer :math:`W_{ij} \\sim \\mathcal N(0, s^2 / n_\\text{in})` with weight scale :math:`s` = ``scale`` (Chapter 6).

    :math:`s = 1` gives :math:`n_\\text{in} \\operatorname{Var}(W_{ij}) = 1`, the
    forward condition for tanh (and Xavier's variance when
    :math:`n_\\text{in} = n_\\text{out}`); :math:`s = \\sqrt 2` is He's variance
    for ReLU. Chapter 1's weight scale is the same :math:`s`. The draws are
    ``scale`` times one stream of standard normals, so two scales with the
    same ``rng`` give proportional weights.
    """
    scale = check_number(scale, "scale", low=0, low_open=True)
    return lambda shape, rng: initializers.normal(shape, std=scale / math.sqrt(shape[0]), rng=rng)


# -- 6.1 symmetry ----------------------------------------------------------------------
def hidden_unit_spread(layer) -> float:
    """How far apart the hidden units of a ``Linear`` layer are: 0 exactly when they are identical (Chapter 6).

    Unit :math:`j` of the layer computes :math:`z_j = \\sum_i x_i W_{ij} + b_j`,
    so its parameters are column :math:`j` of :math:`W` and :math:`b_j`. The
    spread is the largest difference between two units in one of them,

    .. math:: \\Delta_\\text{units} = \\max_i \\big(\\max_j Q_{ij} - \\min_j Q_{ij}\\big),
              \\qquad Q = \\begin{bmatrix} W \\\\ b^\\top \\end{bmatrix}.
    """
    if not isinstance(layer, nn.Linear):
        raise TypeError(f"layer must be a dlnotes.nn.Linear, got {type(layer).__name__}")
    rows = [layer.W.data] + ([layer.b.data[None, :]] if layer.b is not None else [])
    P = np.vstack(rows)
    return float(np.max(P.max(axis=1) - P.min(axis=1)))


class SymmetryRun(NamedTuple):
    """What :func:`symmetry_run` measures (Chapter 6), at the start (index 0) and after each epoch.

    ``spread`` has shape ``(epochs + 1, 2)``: :func:`hidden_unit_spread` of
    hidden layers 1 and 2. ``moved`` ``(epochs + 1,)``: the largest change of
    any hidden-layer weight or bias since the start. ``first_weights``
    ``(epochs + 1, hidden)``: :math:`W^{(1)}_{1j}`, the weight from input 1 to
    each unit :math:`j` of hidden layer 1. ``train_loss`` ``(epochs,)``: from
    ``fit``, per epoch. ``accuracy``: on the training set after the last epoch.
    """

    spread: np.ndarray
    moved: np.ndarray
    first_weights: np.ndarray
    train_loss: np.ndarray
    accuracy: float


def symmetry_run(init, *, activation: str = "tanh", hidden: int = 16, epochs: int = 30, lr: float = 0.5,
                 batch_size: int = 40, rng=0) -> SymmetryRun:
    """Train :math:`\\text{Linear}(2, H) \\to f \\to \\text{Linear}(H, H) \\to f \\to \\text{Linear}(H, 2)` from ``init`` (Chapter 6).

    Every ``Linear`` draws its weights with ``init`` (a ``dlnotes.init`` name
    such as ``"zeros"``, or a callable ``(shape, rng)`` such as
    :func:`constant_init` or :func:`normal_init`) and starts its biases at 0.
    The network learns the two moons (200 points, noise 0.1) with the
    cross-entropy and plain SGD, one ``fit`` epoch at a time, and the hidden
    units are compared after each epoch.

    Identical units stay identical: if the units of a hidden layer have equal
    incoming weights (columns of :math:`W`, entries of :math:`b`) and equal
    outgoing weights (rows of the next layer's :math:`W^{(l+1)}`), they compute the same
    output and receive the same :math:`\\partial L / \\partial z_{kj}` on every example :math:`k`, hence the same gradient
    :math:`\\partial L / \\partial W_{ij} = \\sum_k x_{ki} \\, \\partial L / \\partial z_{kj}`.
    With all weights 0 and :math:`\\phi(0) = 0` (tanh, ReLU) even that gradient is
    0: :math:`h = 0` and :math:`\\partial L / \\partial z^{(D-1)} = (\\partial L / \\partial z^{(D)} \\, W^{(D)\\top}) \\odot \\phi' = 0`,
    so only the output bias learns.
    """
    check_choice(activation, "activation", ACTIVATION_MODULES)
    check_number(hidden, "hidden", low=1, integer=True)
    check_number(epochs, "epochs", low=1, integer=True)
    check_number(lr, "lr", low=0, low_open=True)
    gen = as_generator(rng)
    X, y = make_moons(200, noise=0.1, rng=gen)
    act = getattr(nn, ACTIVATION_MODULES[activation])
    model = nn.Sequential(nn.Linear(2, hidden, init=init, rng=gen), act(),
                          nn.Linear(hidden, hidden, init=init, rng=gen), act(),
                          nn.Linear(hidden, 2, init=init, rng=gen))
    hidden_layers = (model[0], model[2])
    start = [p.data.copy() for layer in hidden_layers for p in layer.parameters()]

    def measure():
        spread = [hidden_unit_spread(layer) for layer in hidden_layers]
        now = [p.data for layer in hidden_layers for p in layer.parameters()]
        moved = max(float(np.max(np.abs(a - b))) for a, b in zip(now, start))
        return spread, moved, model[0].W.data[0].copy()

    measured = [measure()]
    loss_fn, optimizer = CrossEntropyLoss(), SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        losses.append(fit(model, loss_fn, optimizer, X, y, epochs=1, batch_size=batch_size, rng=gen).train_loss[0])
        measured.append(measure())
    spread, moved, first = zip(*measured)
    _, accuracy = evaluate(model, loss_fn, X, y, metric="accuracy")
    return SymmetryRun(np.array(spread), np.array(moved), np.array(first), np.array(losses), accuracy)


# -- 6.2 the variance of one layer ------------------------------------------------------
class LayerVariance(NamedTuple):
    """What :func:`one_layer_variance` measures (Chapter 6): the inputs' second moment
    :math:`\\mathbb E[x^2]` and variance, the predicted :math:`n_\\text{in} \\operatorname{Var}(W_{ij}) \\mathbb E[x^2]`
    and the measured :math:`\\operatorname{Var}(z)`."""

    mean_square: float
    variance_x: float
    predicted: float
    measured: float


def one_layer_variance(inputs: str, fan_in: int, weight_var: float, *, n: int = 2000, fan_out: int = 256,
                       rng=0) -> LayerVariance:
    """:math:`\\operatorname{Var}(z_j) = n_\\text{in} \\operatorname{Var}(W_{ij})\\, \\mathbb E[x^2]` for one layer, checked (Chapter 6).

    For :math:`z_j = \\sum_{i=1}^{n_\\text{in}} x_i W_{ij}` with weights drawn
    independently of the inputs, :math:`\\mathbb E[W_{ij}] = 0`:

    .. math::

        \\operatorname{Var}(x_i W_{ij}) = \\mathbb E[x_i^2]\\,\\mathbb E[W_{ij}^2] - \\big(\\mathbb E[x_i]\\,\\mathbb E[W_{ij}]\\big)^2
        = \\mathbb E[x^2] \\operatorname{Var}(W_{ij}),

    and the :math:`n_\\text{in}` terms are uncorrelated. ``inputs`` is
    ``"normal"`` (:math:`x \\sim \\mathcal N(0, 1)`, :math:`\\mathbb E[x^2] = \\operatorname{Var}(x) = 1`)
    or ``"relu"`` (:math:`x = \\max(0, \\nu)`, :math:`\\nu \\sim \\mathcal N(0, 1)`:
    :math:`\\mathbb E[x^2] = 1/2` but :math:`\\operatorname{Var}(x) = 1/2 - 1/(2\\pi)`).
    ``n`` inputs of ``fan_in`` features go through one ``nn.Linear`` with
    :math:`W_{ij} \\sim \\mathcal N(0, \\texttt{weight\\_var})`; ``measured`` is the
    variance of all :math:`n \\times` ``fan_out`` outputs.
    """
    check_choice(inputs, "inputs", ("normal", "relu"))
    check_number(fan_in, "fan_in", low=1, integer=True)
    check_number(weight_var, "weight_var", low=0, low_open=True)
    check_number(n, "n", low=2, integer=True)
    gen = as_generator(rng)
    x = gen.standard_normal((n, fan_in))
    if inputs == "relu":
        x = np.maximum(x, 0.0)
    layer = nn.Linear(fan_in, fan_out, bias=False, init=normal_init(math.sqrt(weight_var)), rng=gen)
    mean_square = float(np.mean(x**2))
    return LayerVariance(mean_square, float(np.var(x)), fan_in * weight_var * mean_square, float(np.var(layer(x))))


# -- 6.2-6.3 deep networks ------------------------------------------------------------------
class DeepSignals(NamedTuple):
    """What :func:`deep_signals` measures (Chapter 6).

    ``preactivations`` and ``deltas`` have shape ``(n_layers, batch, width)``:
    the forward signal :math:`z^{(l)}` entering each nonlinearity and the
    backward signal :math:`\\partial L / \\partial z^{(l)}`.
    ``grad_norms`` ``(n_layers,)``: :math:`\\lVert \\partial L / \\partial W^{(l)} \\rVert_F`,
    index 0 being layer 1.
    """

    preactivations: np.ndarray
    deltas: np.ndarray
    grad_norms: np.ndarray


def deep_signals(activation: str, init, *, n_layers: int = 10, width: int = 256, batch: int = 64,
                 rng=0) -> DeepSignals:
    """Forward and backward once through ``n_layers`` of ``nn.Linear(width, width, bias=False)`` and ``activation`` (Chapter 6).

    .. math::

        z^{(l)} = h^{(l-1)} W^{(l)}, \\quad h^{(l)} = \\phi(z^{(l)}), \\qquad
        \\frac{\\partial L}{\\partial z^{(l)}} = \\Big(\\frac{\\partial L}{\\partial z^{(l+1)}} W^{(l+1)\\top}\\Big) \\odot \\phi'(z^{(l)}), \\quad
        \\frac{\\partial L}{\\partial W^{(l)}} = h^{(l-1)\\top} \\frac{\\partial L}{\\partial z^{(l)}},

    on a fixed batch :math:`h^{(0)}` of standard normal inputs, with the loss
    :math:`L = \\sum_{k,j} G_{kj} h^{(D)}_{kj}` (depth :math:`D` = ``n_layers``) for a fixed standard normal :math:`G`
    divided by ``batch`` (so :math:`\\partial L / \\partial h^{(D)} = G`).
    ``init`` is a ``dlnotes.init`` name (``"xavier_normal"``,
    ``"kaiming_normal"``, ...) or a callable ``(shape, rng)`` such as
    :func:`scaled_normal`. ``rng`` draws the inputs, then :math:`G`, then the
    weights, so every ``init`` sees the same batch and, for the normal
    initializers, one stream of standard normals times its own standard deviation.
    """
    return _DeepNetwork(activation, init, n_layers=n_layers, width=width, batch=batch, rng=rng).signals()


class _DeepNetwork:
    """The network, batch and upstream gradient of :func:`deep_signals`, to run once or at several scales."""

    def __init__(self, activation, init, *, n_layers, width, batch, rng):
        check_choice(activation, "activation", ACTIVATION_MODULES)
        for value, name in ((n_layers, "n_layers"), (width, "width"), (batch, "batch")):
            check_number(value, name, low=1, integer=True)
        gen = as_generator(rng)
        self.x = gen.standard_normal((batch, width))
        self.upstream = gen.standard_normal((batch, width)) / batch
        act = getattr(nn, ACTIVATION_MODULES[activation])
        self.linears = [nn.Linear(width, width, bias=False, init=init, rng=gen) for _ in range(n_layers)]
        self.nonlinearities = [act() for _ in range(n_layers)]
        self.weights = [linear.W.data.copy() for linear in self.linears]

    def rescale(self, factor: float) -> None:
        """Set every weight matrix to ``factor`` times its initial draw."""
        for linear, W in zip(self.linears, self.weights):
            linear.W.data = factor * W

    def signals(self) -> DeepSignals:
        z, h = [], self.x
        for linear, f in zip(self.linears, self.nonlinearities):
            z.append(linear(h))
            h = f(z[-1])
        deltas = [None] * len(self.linears)
        grad = self.upstream
        for layer in reversed(range(len(self.linears))):
            self.linears[layer].zero_grad()
            deltas[layer] = self.nonlinearities[layer].backward(grad)
            grad = self.linears[layer].backward(deltas[layer])
        norms = np.array([np.linalg.norm(linear.W.grad) for linear in self.linears])
        return DeepSignals(np.stack(z), np.stack(deltas), norms)


#: Histogram edges of :math:`\\log_{10} |z|` and :math:`\\log_{10} |\\partial L / \\partial z|` in :func:`init_scale_sweep`
#: (quarter decades from 10^-14 to 10^7, wide enough for every scale from 1/4 to 4, and the same for both, so
#: that a figure can show them on one axis; values beyond them are counted in the end bins).
Z_EDGES = np.linspace(-14.0, 7.0, 85)
DELTA_EDGES = Z_EDGES


def log_magnitude(values) -> np.ndarray:
    """:math:`\\log_{10} |v|` elementwise, :math:`-\\infty` where :math:`v = 0` (without a warning; Chapter 6)."""
    magnitude = np.abs(as_float_array(values, "values"))
    out = np.full(magnitude.shape, -np.inf)
    return np.log10(magnitude, out=out, where=magnitude > 0)


def nonzero_histograms(log_values, edges) -> tuple[np.ndarray, np.ndarray]:
    """Per layer, the histogram of the non-zero entries' :math:`\\log_{10}|v|`, and the share of exact zeros (Chapter 6).

    ``log_values`` (from :func:`log_magnitude`) has shape ``(n_layers, ...)``;
    entries :math:`-\\infty` (exact zeros, such as the back-propagated
    gradient of a ReLU unit with :math:`z \\le 0`) are left out of the
    histogram, which counts the others as Chapter 1's ``layer_histograms``
    does (values beyond the edges in the end bins; each row sums to 1, or to
    0 for a layer of zeros only). Returns ``(fractions, zero_share)`` of
    shapes ``(n_layers, len(edges) - 1)`` and ``(n_layers,)``.
    """
    rows = as_float_array(log_values, "log_values", finite=False)
    rows = rows.reshape(rows.shape[0], -1)
    if np.any(np.isnan(rows) | np.isposinf(rows)):
        raise ValueError("log_values must be finite or -inf (the log of 0)")
    kept = np.isfinite(rows)
    fractions = np.zeros((rows.shape[0], len(edges) - 1))
    for layer, (row, keep) in enumerate(zip(rows, kept)):
        if keep.any():
            fractions[layer] = layer_histograms(row[keep][None], edges)[0]
    return fractions, 1.0 - kept.mean(axis=1)


class InitScaleSweep(NamedTuple):
    """What :func:`init_scale_sweep` measures (Chapter 6), for ``K`` weight scales and ``L`` layers.

    ``z_hist`` ``(K, L, len(z_edges) - 1)`` and ``delta_hist``
    ``(K, L, len(delta_edges) - 1)``: the fraction of each layer's non-zero
    :math:`\\log_{10}|z^{(l)}|` and :math:`\\log_{10}|\\partial L / \\partial z^{(l)}|` in each bin
    (:func:`nonzero_histograms`; rows sum to 1). ``delta_zero`` ``(K, L)``:
    the share of exact zeros in :math:`\\partial L / \\partial z^{(l)}` (ReLU units with
    :math:`z \\le 0`). ``z_std``, ``delta_std``, ``grad_norms`` and
    ``low_gradient`` ``(K, L)``: the standard deviations of :math:`z^{(l)}`
    and :math:`\\partial L / \\partial z^{(l)}` (zeros included),
    :math:`\\lVert \\partial L / \\partial W^{(l)} \\rVert_F` (the Frobenius norm) and the share of
    the layer's (example, unit) values with :math:`\\phi'(z) < 0.01` (Chapter 1's ``low_gradient_share``).
    """

    scales: np.ndarray
    z_edges: np.ndarray
    delta_edges: np.ndarray
    z_hist: np.ndarray
    delta_hist: np.ndarray
    delta_zero: np.ndarray
    z_std: np.ndarray
    delta_std: np.ndarray
    grad_norms: np.ndarray
    low_gradient: np.ndarray

    def index(self, scale: float) -> int:
        """The index of the scale in ``scales`` nearest to ``scale`` on a log scale."""
        scale = check_number(scale, "scale", low=0, low_open=True)
        return int(np.argmin(np.abs(np.log(self.scales) - math.log(scale))))


def init_scale_sweep(activation: str, scales, *, z_edges=Z_EDGES, delta_edges=DELTA_EDGES, n_layers: int = 10,
                     width: int = 256, batch: int = 64, rng=0) -> InitScaleSweep:
    """:func:`deep_signals` at every weight scale :math:`s` of ``scales``, with :math:`W \\sim \\mathcal N(0, s^2/n_\\text{in})` (Chapter 6).

    The same ``rng`` for every scale: the same batch, the same upstream
    gradient and weights proportional to :math:`s` (:func:`scaled_normal`), so
    only the scale changes. In the linear regime (small :math:`z`, where
    :math:`\\tanh z \\approx z`) the variance argument predicts
    :math:`\\operatorname{std}(z^{(l)}) \\propto s^{l}` for tanh and
    :math:`\\propto s\\,(s/\\sqrt 2)^{l-1}` for ReLU, and the backward signal
    likewise from the top down.

    ReLU needs one pass: it is positively homogeneous,
    :math:`\\max(0, cz) = c \\max(0, z)` for :math:`c > 0`, so with weights
    :math:`s` times those of :math:`s = 1` every :math:`z^{(l)}` is exactly
    :math:`s^{l}` times its value at :math:`s = 1`, every :math:`\\partial L / \\partial z^{(l)}`
    :math:`s^{D-l}` times, and every :math:`\\partial L / \\partial W^{(l)}`
    :math:`s^{D-1}` times (up to rounding; :math:`D` = ``n_layers``). tanh has no such shortcut and is
    run at every scale.
    """
    scales = as_float_array(scales, "scales", ndim=1)
    if scales.size == 0 or np.any(scales <= 0):
        raise ValueError(f"scales must be positive numbers, got {scales!r}")
    z_edges = as_float_array(z_edges, "z_edges", ndim=1)
    delta_edges = as_float_array(delta_edges, "delta_edges", ndim=1)
    network = _DeepNetwork(activation, scaled_normal(1.0), n_layers=n_layers, width=width, batch=batch, rng=rng)
    layer = np.arange(1, n_layers + 1)
    results = []
    if activation == "relu":
        base = network.signals()
        log_z, log_delta = log_magnitude(base.preactivations), log_magnitude(base.deltas)
        z_std, delta_std = _layer_std(base.preactivations), _layer_std(base.deltas)
        low = low_gradient_share("relu", base.preactivations)
        for scale in scales:
            up, down = scale**layer, scale ** (n_layers - layer)  # z^(l) grows like s^l, dL/dz^(l) like s^(D-l)
            z_hist, _ = nonzero_histograms(log_z + np.log10(up)[:, None, None], z_edges)
            delta_hist, delta_zero = nonzero_histograms(log_delta + np.log10(down)[:, None, None], delta_edges)
            results.append((z_hist, delta_hist, delta_zero, z_std * up, delta_std * down,
                            base.grad_norms * scale ** (n_layers - 1), low))
    else:
        for scale in scales:
            network.rescale(float(scale))  # the weights of scaled_normal(scale): the same draws times the scale
            signals = network.signals()
            z_hist, _ = nonzero_histograms(log_magnitude(signals.preactivations), z_edges)
            delta_hist, delta_zero = nonzero_histograms(log_magnitude(signals.deltas), delta_edges)
            results.append((z_hist, delta_hist, delta_zero, _layer_std(signals.preactivations),
                            _layer_std(signals.deltas), signals.grad_norms,
                            low_gradient_share(activation, signals.preactivations)))
    return InitScaleSweep(scales, z_edges, delta_edges, *(np.array(a) for a in zip(*results)))


def _layer_std(values) -> np.ndarray:
    """The standard deviation of each layer's entries, for values of shape ``(n_layers, ...)``."""
    return values.reshape(values.shape[0], -1).std(axis=1)


class LayerProfile(NamedTuple):
    """Per layer (Chapter 6): ``z_std`` :math:`\\operatorname{std}(z^{(l)})`, ``grad_norms``
    :math:`\\lVert \\partial L / \\partial W^{(l)} \\rVert_F` (the Frobenius norm) and ``low_gradient``, the share of
    the layer's (example, unit) values with :math:`\\phi'(z) < 0.01`; each of shape ``(n_layers,)``."""

    z_std: np.ndarray
    grad_norms: np.ndarray
    low_gradient: np.ndarray


#: Xavier and He, each on tanh and on ReLU: (initializer name, activation).
INIT_COMBINATIONS = (
    ("xavier_normal", "tanh"),
    ("xavier_normal", "relu"),
    ("kaiming_normal", "tanh"),
    ("kaiming_normal", "relu"),
)


def init_comparison(combinations=INIT_COMBINATIONS, **kwargs) -> dict:
    """:class:`LayerProfile` of :func:`deep_signals` for each ``(init, activation)`` pair (Chapter 6).

    ``init`` is a ``dlnotes.init`` name or a callable; ``kwargs`` go to
    :func:`deep_signals` (same batch and, by default, the same ``rng`` for
    all). ``xavier_normal`` draws :math:`\\mathcal N(0, 2/(n_\\text{in} + n_\\text{out}))`,
    ``kaiming_normal`` (its defaults ``a=0``, ``mode="fan_in"``)
    :math:`\\mathcal N(0, 2/n_\\text{in})`.
    """
    profiles = {}
    for init, activation in combinations:
        signals = deep_signals(activation, init, **kwargs)
        z = signals.preactivations
        profiles[(init, activation)] = LayerProfile(_layer_std(z), signals.grad_norms, low_gradient_share(activation, z))
    return profiles


# -- 6.4 dead units at the start ------------------------------------------------------------
def dead_at_start(init=None, *, hidden: int = 50, rng=0) -> float:
    """The share of ReLU units that output 0 for every example before training (Chapter 6).

    The layer :math:`\\text{Linear}(2, H)` of Chapter 1's dead-unit experiment,
    drawn with ``init`` (``None``: the library's default, whose biases are
    uniform in :math:`\\pm 1/\\sqrt{n_\\text{in}}`; any other ``init``
    starts the biases at 0), on the same two moons (200 points, noise 0.1,
    the same ``rng`` sequence, so ``init=None`` reproduces Chapter 1's
    number). A unit :math:`\\max(0, x w_j + b_j)` with :math:`b_j = 0` is
    dead only if every example lies on one side of the line
    :math:`x w_j = 0` through the origin, which cannot happen while the
    origin lies in the interior of the data's convex hull (then every line
    through it has examples strictly on both sides). See
    ``dlnotes.book.experiments.ch01_activations.dead_unit_fraction``.
    """
    check_number(hidden, "hidden", low=1, integer=True)
    gen = as_generator(rng)
    X, _ = make_moons(200, noise=0.1, rng=gen)
    layer = nn.Linear(2, hidden, init=init, rng=gen)
    return dead_unit_fraction(np.maximum(layer(X), 0.0))
