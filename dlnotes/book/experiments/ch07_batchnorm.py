"""The measurements behind Chapter 7, batch normalization (批标准化).

- :func:`deep_tanh_net`: a deep tanh network at a chosen weight scale, with or
  without ``BatchNorm1d`` between each hidden ``Linear`` and its ``Tanh``;
- :func:`layer_activations` and :func:`activation_histograms`: the activations
  of every hidden layer at initialization, across weight scales;
- :func:`training_sweep`: both networks trained from the same weights at every
  scale of a grid, with :meth:`TrainingSweep.epochs_to` (how fast each gets to
  a loss) and :meth:`TrainingSweep.final_mean` (the loss over the last epochs);
  :func:`stack_seeds` puts the sweeps of several seeds together;
- :func:`parameter_change`: how far training moved each layer's parameters;
- :func:`label_alignment`: the starting loss against the loss the same logits
  would have with labels unrelated to them;
- :func:`running_statistics`: ``running_mean`` and ``running_var`` converging,
  against their closed-form expectation and against a biased running variance;
- :func:`train_mode_output`, :func:`eval_mode_output`, :func:`shifted_batch`, :func:`batch_of_one` and
  :func:`batch_dependence`: train mode against eval mode, for one layer and for
  a trained network;
- :func:`bias_redundancy`: a ``Linear`` bias in front of ``BatchNorm1d`` gets no
  gradient and changes nothing;
- :func:`normalization_gradients`: the backward pass of the normalization, term
  by term, and :func:`gradient_checks`, which compares it with
  ``BatchNorm1d.backward`` and with centred differences.

NumPy and ``dlnotes`` only; the figures live in ``dlnotes.book.plot.ch07_batchnorm``
and ``dlnotes.book.widgets.ch07_batchnorm``.
"""

from __future__ import annotations

import contextlib
import copy
import math
from typing import NamedTuple

import numpy as np

from ... import nn
from ..._validation import as_float_array, as_generator, check_flag, check_number
from ...gradcheck import check_module_gradients, rel_error
from ...losses import CrossEntropyLoss
from ...metrics import accuracy
from ...optim import SGD
from ...train import Callback, fit
from .ch06_initialization import scaled_normal

#: The two networks every experiment compares, by name.
NETWORKS = ("plain", "batchnorm")

#: :math:`|h|` above which a tanh value counts as saturated (its derivative :math:`1 - h^2` is below 0.02).
SATURATED = 0.99


def deep_tanh_net(scale: float, batchnorm: bool, *, depth: int = 5, width: int = 32, n_in: int = 2,
                  n_out: int = 3, rng=0) -> nn.Sequential:
    """A deep tanh network whose hidden weights have scale ``s``, with or without BatchNorm (Chapter 7).

    .. math::

        z^{(l)} = h^{(l-1)} W^{(l)} (+\\, b^{(l)}), \\qquad
        h^{(l)} = \\tanh\\big(z^{(l)}\\big) \\ \\text{(plain)} \\quad\\text{or}\\quad
        h^{(l)} = \\tanh\\big(\\mathrm{BN}_{\\gamma,\\beta_\\text{BN}}(z^{(l)})\\big) \\ \\text{(BatchNorm)},

    for ``depth`` hidden layers of ``width`` units, :math:`W^{(l)}_{ij} \\sim \\mathcal N(0, s^2/n_\\text{in})`
    (Chapter 6's ``scaled_normal``), then a ``Linear`` output layer with scale 1. The plain
    network's hidden layers have a bias :math:`b^{(l)}` (starting at 0); in the
    BatchNorm network the hidden ``Linear`` layers have none, since :math:`\\beta_\\text{BN}`
    takes its place. The same ``rng`` gives both networks, at every scale, the same
    draws: they differ only in the scale and in the BatchNorm layers.
    """
    scale = check_number(scale, "scale", low=0, low_open=True)
    batchnorm = check_flag(batchnorm, "batchnorm")
    depth = check_number(depth, "depth", low=1, integer=True)
    width = check_number(width, "width", low=1, integer=True)
    gen = as_generator(rng)
    layers = []
    for fan_in in [check_number(n_in, "n_in", low=1, integer=True)] + [width] * (depth - 1):
        layers.append(nn.Linear(fan_in, width, bias=not batchnorm, init=scaled_normal(scale), rng=gen))
        if batchnorm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.Tanh())
    layers.append(nn.Linear(width, check_number(n_out, "n_out", low=1, integer=True), init=scaled_normal(1.0), rng=gen))
    return nn.Sequential(*layers)


def _seed(rng) -> int:
    """One seed from ``rng``, so that every network of an experiment gets the same draws."""
    return rng if isinstance(rng, int) and not isinstance(rng, bool) and rng >= 0 else int(as_generator(rng).integers(2**32))


@contextlib.contextmanager
def batch_statistics(model):
    """Run ``model`` in training mode (BatchNorm normalizes with the batch's statistics) and leave it as it was (Chapter 7).

    A forward pass in training mode moves every ``BatchNorm1d``'s running
    statistics (the model's buffers) and nothing else; this block puts the
    buffers and the model's mode back afterwards, and keeps nothing for
    backward (it runs under ``nn.no_grad``).
    """
    saved, was_training = [(buffer, buffer.copy()) for _, buffer in model.named_buffers()], model.training
    model.train()
    try:
        with nn.no_grad():
            yield model
    finally:
        for buffer, value in saved:
            buffer[...] = value
        model.train(was_training)


def layer_activations(model, X) -> list[np.ndarray]:
    """The output of every ``Tanh`` of ``model`` (a ``Sequential``) on ``X``, in training mode (Chapter 7).

    ``h^{(1)}, ..., h^{(L)}`` as a list of arrays of shape ``(len(X), width)``;
    BatchNorm layers normalize with the statistics of ``X`` (see
    :func:`batch_statistics`; the model is left unchanged).
    """
    h = as_float_array(X, "X", ndim=2)
    activations = []
    with batch_statistics(model):
        for layer in model:
            h = layer(h)
            if isinstance(layer, nn.Tanh):
                activations.append(h)
    return activations


class ActivationHistograms(NamedTuple):
    """What :func:`activation_histograms` measures (Chapter 7), for each network name of :data:`NETWORKS`.

    Every share counts values :math:`h^{(l)}_{ij}`, one per (example :math:`i`,
    unit :math:`j`) pair, not units. ``share[name]`` has shape
    ``(len(scales), depth, len(edges) - 1)``: the share of the values in each
    bin (each row sums to 1); ``tails[name]`` has shape ``(len(scales), depth, 2)``:
    the share with :math:`h < -0.99` and with :math:`h > 0.99` (:data:`SATURATED`);
    ``std[name]`` and ``saturated[name]`` have shape ``(len(scales), depth)``:
    the standard deviation of :math:`h^{(l)}` and the share of saturated values,
    :math:`|h| > 0.99` (where :math:`\\tanh' < 0.02`), the sum of the two tails.
    """

    scales: np.ndarray
    edges: np.ndarray
    share: dict
    tails: dict
    std: dict
    saturated: dict


def activation_histograms(X, scales, *, depth: int = 5, width: int = 32, bins: int = 21, rng=0) -> ActivationHistograms:
    """Histograms of every hidden layer's activations at initialization, with and without BatchNorm (Chapter 7).

    For each scale :math:`s`, :func:`deep_tanh_net` (the same draws for every
    scale and both networks) runs forward on ``X`` in training mode, and each
    layer's :math:`h^{(l)} = \\tanh(\\cdot)` is binned on ``bins`` equal bins of
    :math:`[-1, 1]`; an odd ``bins`` (the default) centres a bin on 0.
    """
    X = as_float_array(X, "X", ndim=2)
    scales = np.array([check_number(s, "scales", low=0, low_open=True) for s in scales], dtype=float)
    edges = np.linspace(-1.0, 1.0, check_number(bins, "bins", low=1, integer=True) + 1)
    seed = _seed(rng)
    shape = (len(scales), depth)
    share = {name: np.zeros(shape + (bins,)) for name in NETWORKS}
    tails = {name: np.zeros(shape + (2,)) for name in NETWORKS}
    std = {name: np.zeros(shape) for name in NETWORKS}
    for k, scale in enumerate(scales):
        for name in NETWORKS:
            net = deep_tanh_net(scale, name == "batchnorm", depth=depth, width=width, n_in=X.shape[1], rng=seed)
            for l, h in enumerate(layer_activations(net, X)):
                counts, _ = np.histogram(np.clip(h, -1.0, 1.0), bins=edges)
                share[name][k, l] = counts / h.size
                tails[name][k, l] = np.mean(h < -SATURATED), np.mean(h > SATURATED)
                std[name][k, l] = h.std()
    saturated = {name: tails[name].sum(axis=2) for name in NETWORKS}
    return ActivationHistograms(scales, edges, share, tails, std, saturated)


def whole_set_loss(model, loss_fn, X, y) -> float:
    """The loss on all of ``(X, y)`` with each BatchNorm normalizing by the statistics of all of ``X`` (Chapter 7).

    .. math:: J(\\theta) = \\frac{1}{n} \\sum_{i=1}^{n} L\\big(y^{(i)}, f(x^{(i)}; \\theta)\\big),

    computed by one forward pass in training mode with all :math:`n` rows as a
    single batch, so every BatchNorm uses the mean and variance of the whole
    of ``X`` (see :func:`batch_statistics`). No gradient is kept and the
    running statistics are put back afterwards: the measurement neither
    depends on them nor changes them, and the model is left unchanged.
    """
    with batch_statistics(model):
        return float(copy.copy(loss_fn)(model(X), y))


class WholeSetLoss(Callback):
    """A ``fit`` callback that records :func:`whole_set_loss` after every epoch in ``curve`` (Chapter 7)."""

    def __init__(self, loss_fn, X, y):
        self.loss_fn, self.X, self.y = loss_fn, X, y
        self.curve: list[float] = []

    def on_train_begin(self, history) -> None:
        self.curve = [whole_set_loss(self.model, self.loss_fn, self.X, self.y)]

    def on_epoch_end(self, epoch: int, history) -> bool:
        self.curve.append(whole_set_loss(self.model, self.loss_fn, self.X, self.y))
        return False


class TrainingSweep(NamedTuple):
    """What :func:`training_sweep` measures (Chapter 7).

    ``loss[name]`` has shape ``(len(scales), epochs + 1)``: the whole training
    set's loss (:func:`whole_set_loss`) at the start and after every epoch,
    ``inf`` after a run diverged (with a leading seed axis,
    ``(len(seeds), len(scales), epochs + 1)``, after :func:`stack_seeds`);
    ``models[name]`` holds the trained networks, one per scale (a list per
    seed after :func:`stack_seeds`); ``settings`` records how they were built
    and trained (depth, width, n_in, n_out, seed, lr, momentum, epochs,
    batch_size).
    """

    scales: np.ndarray
    loss: dict
    models: dict
    settings: dict

    def final(self, name: str) -> np.ndarray:
        """The loss after the last epoch, one per scale (and seed)."""
        return self.loss[name][..., -1]

    def final_mean(self, name: str, last: int = 5) -> np.ndarray:
        """The mean loss over the last ``last`` epochs, one per scale (and seed).

        .. math:: \\bar J = \\frac{1}{\\text{last}} \\sum_{t = t_\\text{end} - \\text{last} + 1}^{t_\\text{end}} J_t

        after :math:`t_\\text{end}` epochs: one epoch's loss moves by more than the
        differences it is used to compare, the mean over several moves less.
        """
        last = check_number(last, "last", low=1, high=self.loss[name].shape[-1] - 1, integer=True)
        return self.loss[name][..., -last:].mean(axis=-1)

    def epochs_to(self, name: str, target: float) -> np.ndarray:
        """For each scale (and seed), the first epoch :math:`t` with :math:`J_t \\le` ``target`` (``nan`` if never, 0 if at once)."""
        reached = self.loss[name] <= target
        return np.where(reached.any(axis=-1), reached.argmax(axis=-1), np.nan)


def training_sweep(X, y, scales, *, depth: int = 5, width: int = 32, lr: float = 0.05, momentum: float = 0.9,
                   epochs: int = 20, batch_size: int = 60, rng=0) -> TrainingSweep:
    """Train :func:`deep_tanh_net` with and without BatchNorm at every weight scale of a grid (Chapter 7).

    Both networks start from the same draws (up to the scale) and see the same
    minibatches; each is trained with ``dlnotes.optim.SGD`` with momentum
    (Chapter 4: learning rate ``lr`` :math:`\\epsilon`, ``momentum`` :math:`\\alpha`)
    on the cross-entropy for ``epochs`` epochs. The last minibatch of an epoch is dropped if
    it would be smaller than ``batch_size`` (``fit(..., drop_last=True)``), so
    BatchNorm never sees a batch of one.
    """
    X = as_float_array(X, "X", ndim=2)
    scales = np.array([check_number(s, "scales", low=0, low_open=True) for s in scales], dtype=float)
    epochs = check_number(epochs, "epochs", low=1, integer=True)
    n_in, n_out = X.shape[1], int(np.max(y)) + 1
    seed = _seed(rng)
    loss = {name: np.full((len(scales), epochs + 1), np.inf) for name in NETWORKS}
    models = {name: [] for name in NETWORKS}
    for k, scale in enumerate(scales):
        for name in NETWORKS:
            net = deep_tanh_net(scale, name == "batchnorm", depth=depth, width=width, n_in=n_in, n_out=n_out,
                                rng=seed)
            recorder = WholeSetLoss(CrossEntropyLoss(), X, y)
            fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=lr, momentum=momentum), X, y, epochs=epochs,
                batch_size=batch_size, drop_last=True, callbacks=[recorder], rng=seed)
            curve = np.asarray(recorder.curve, dtype=float)
            loss[name][k, : len(curve)] = np.where(np.isfinite(curve), curve, np.inf)
            models[name].append(net)
    settings = {"depth": depth, "width": width, "n_in": n_in, "n_out": n_out, "seed": seed, "lr": lr,
                "momentum": momentum, "epochs": epochs, "batch_size": batch_size}
    return TrainingSweep(scales, loss, models, settings)


def stack_seeds(sweeps) -> TrainingSweep:
    """The :func:`training_sweep` of several seeds as one sweep with a leading seed axis (Chapter 7).

    ``sweeps`` must share their scales and settings up to the seed; the result's
    ``loss[name]`` has shape ``(len(sweeps), len(scales), epochs + 1)``, so
    :meth:`TrainingSweep.epochs_to`, :meth:`~TrainingSweep.final` and
    :meth:`~TrainingSweep.final_mean` return one row per seed, and
    ``settings["seed"]`` is the list of seeds.
    """
    sweeps = list(sweeps)
    if not sweeps:
        raise ValueError("sweeps must hold at least one TrainingSweep, got none")
    first = sweeps[0]
    shared = {key: value for key, value in first.settings.items() if key != "seed"}
    for sweep in sweeps[1:]:
        if not np.array_equal(sweep.scales, first.scales) or \
                {key: value for key, value in sweep.settings.items() if key != "seed"} != shared:
            raise ValueError(f"sweeps must share their scales and settings but the seed, got {first.scales} with "
                             f"{shared} and {sweep.scales} with {sweep.settings}")
    loss = {name: np.stack([sweep.loss[name] for sweep in sweeps]) for name in NETWORKS}
    models = {name: [sweep.models.get(name, []) for sweep in sweeps] for name in NETWORKS}
    seeds = [sweep.settings.get("seed") for sweep in sweeps]
    return TrainingSweep(first.scales, loss, models, {**shared, "seed": seeds})


def parameter_change(sweep, name: str) -> dict[str, np.ndarray]:
    """How far training moved the parameters of ``sweep``'s ``name`` networks from their start (Chapter 7).

    The starting networks are rebuilt from ``sweep.settings`` (the same draws).
    For each scale, with :math:`W^{(0)}` the starting and :math:`W` the trained weights:

    - ``hidden``, shape ``(len(scales), depth)``: every hidden layer's relative
      change :math:`\\lVert W - W^{(0)} \\rVert_F / \\lVert W^{(0)} \\rVert_F` (Frobenius norms);
    - ``output``, shape ``(len(scales),)``: the same for the output layer's weights;
    - for ``"batchnorm"`` only, ``gamma`` and ``beta``, shape ``(len(scales), depth)``:
      the root mean square change of each BatchNorm layer's :math:`\\gamma`
      (from 1) and :math:`\\beta_\\text{BN}` (from 0), on the unit scale of :math:`\\hat z`.

    By the scale invariance of BatchNorm, a step of the learning rate
    :math:`\\epsilon` moves hidden weights of scale :math:`s` by a fraction
    about :math:`\\epsilon / s^2` of what it does at scale 1.
    """
    if name not in NETWORKS:
        raise ValueError(f"name must be one of {NETWORKS}, got {name!r}")
    s = sweep.settings
    hidden, output, gamma, beta = [], [], [], []
    for scale, trained in zip(sweep.scales, sweep.models[name]):
        start = deep_tanh_net(scale, name == "batchnorm", depth=s["depth"], width=s["width"], n_in=s["n_in"],
                              n_out=s["n_out"], rng=s["seed"])
        pairs = [(a.W.data, b.W.data) for a, b in zip(start, trained) if isinstance(a, nn.Linear)]
        change = [np.linalg.norm(after - before) / np.linalg.norm(before) for before, after in pairs]
        hidden.append(change[:-1])
        output.append(change[-1])
        norms = [(a, b) for a, b in zip(start, trained) if isinstance(a, nn.BatchNorm1d)]
        gamma.append([np.sqrt(np.mean((b.gamma.data - a.gamma.data) ** 2)) for a, b in norms])
        beta.append([np.sqrt(np.mean((b.beta.data - a.beta.data) ** 2)) for a, b in norms])
    result = {"hidden": np.array(hidden), "output": np.array(output)}
    if name == "batchnorm":
        result.update(gamma=np.array(gamma), beta=np.array(beta))
    return result


def label_alignment(model, X, y) -> dict[str, float]:
    """The loss of ``model`` on ``(X, y)`` against the loss its logits would have with unrelated labels (Chapter 7).

    With the logits :math:`o_i` of example :math:`i` (every BatchNorm normalizing
    by the statistics of all of ``X``, see :func:`batch_statistics`) and the
    cross-entropy :math:`L(k, o_i) = \\log \\sum_j e^{o_{ij}} - o_{ik}` (class :math:`k`), returns

    - ``loss``: :math:`\\frac1N \\sum_i L(y_i, o_i)`, with the true labels;
    - ``any_label``: :math:`\\frac1N \\sum_i \\frac1C \\sum_{k=1}^{C} L(k, o_i)`, the
      expected loss if the labels were drawn uniformly, independently of the logits;
    - ``logit_sd``: the standard deviation of all the logits.

    ``loss`` above ``any_label`` means the logits favour the wrong classes:
    they are anti-aligned with the labels.
    """
    X = as_float_array(X, "X", ndim=2)
    y = np.asarray(y)
    logits = train_mode_output(model, X)
    loss_fn = CrossEntropyLoss()
    every = [float(loss_fn(logits, np.full(len(y), c))) for c in range(logits.shape[1])]
    return {"loss": float(loss_fn(logits, y)), "any_label": float(np.mean(every)), "logit_sd": float(logits.std())}


class RunningStatistics(NamedTuple):
    """What :func:`running_statistics` records (Chapter 7).

    ``running_mean``, ``running_var`` and ``biased_var`` have shape
    ``(steps + 1, features)``: the statistics before training and after every
    step, for every feature (independent copies of the same experiment).
    ``biased_var`` is what the running variance would be if it averaged the
    biased batch variances :math:`\\sigma_B^2` that the normalization uses.
    """

    mean: float
    var: float
    batch_size: int
    momentum: float
    running_mean: np.ndarray
    running_var: np.ndarray
    biased_var: np.ndarray

    @property
    def steps(self) -> np.ndarray:
        """Step numbers ``0, 1, ..., steps``."""
        return np.arange(self.running_mean.shape[0])

    def expected(self, start: float, target: float) -> np.ndarray:
        """The expectation of a running statistic that starts at ``start`` and averages batch values of mean ``target``.

        .. math:: \\mathbb E[\\text{running}_t] = (1 - \\text{momentum})^t\\, \\text{start} + \\big(1 - (1 - \\text{momentum})^t\\big)\\, \\text{target}
        """
        remaining = (1.0 - self.momentum) ** self.steps
        return remaining * start + (1.0 - remaining) * target


def running_statistics(mean: float = 3.0, var: float = 4.0, *, batch_size: int = 4, steps: int = 60,
                       momentum: float = 0.1, features: int = 500, rng=0) -> RunningStatistics:
    """Feed batches of :math:`\\mathcal N(\\text{mean}, \\text{var})` data to a ``BatchNorm1d`` and record its running statistics (Chapter 7).

    Every step draws a batch of ``batch_size`` rows and ``features`` independent
    columns and runs the layer forward in training mode, which updates (PyTorch's
    convention, the package's ``BatchNorm1d``)

    .. math::

        \\text{running\\_mean} \\leftarrow (1 - \\text{momentum})\\,\\text{running\\_mean} + \\text{momentum}\\,\\mu_B,
        \\qquad
        \\text{running\\_var} \\leftarrow (1 - \\text{momentum})\\,\\text{running\\_var}
        + \\text{momentum}\\,\\frac{m}{m - 1}\\,\\sigma_B^2,

    starting from 0 and 1. ``biased_var`` follows the same update with
    :math:`\\sigma_B^2` itself; its expectation tends to :math:`\\frac{m-1}{m}\\,\\text{var}`.
    """
    mean = check_number(mean, "mean")
    var = check_number(var, "var", low=0, low_open=True)
    batch_size = check_number(batch_size, "batch_size", low=2, integer=True)
    steps = check_number(steps, "steps", low=1, integer=True)
    features = check_number(features, "features", low=1, integer=True)
    gen = as_generator(rng)
    bn = nn.BatchNorm1d(features, momentum=momentum)
    running_mean, running_var, biased_var = (np.empty((steps + 1, features)) for _ in range(3))
    running_mean[0], running_var[0], biased_var[0] = bn.running_mean, bn.running_var, bn.running_var
    with nn.no_grad():
        for t in range(1, steps + 1):
            z = mean + math.sqrt(var) * gen.standard_normal((batch_size, features))
            bn(z)
            running_mean[t], running_var[t] = bn.running_mean, bn.running_var
            biased_var[t] = (1 - bn.momentum) * biased_var[t - 1] + bn.momentum * z.var(axis=0)
    return RunningStatistics(mean, var, batch_size, bn.momentum, running_mean, running_var, biased_var)


def train_mode_output(module, batch) -> np.ndarray:
    """``module``'s output on ``batch`` in training mode, each BatchNorm using the batch's statistics (Chapter 7).

    The module is left as it was (see :func:`batch_statistics`); ``BatchNorm1d``
    raises ``ValueError`` for a batch of one.
    """
    batch = as_float_array(batch, "batch", ndim=2)
    with batch_statistics(module):
        return module(batch)


def eval_mode_output(module, batch) -> np.ndarray:
    """``module``'s output on ``batch`` in evaluation mode, each BatchNorm using its running statistics (Chapter 7).

    The module's mode is restored afterwards; nothing is kept for backward.
    """
    batch = as_float_array(batch, "batch", ndim=2)
    was_training = module.training
    module.eval()
    try:
        with nn.no_grad():
            return module(batch)
    finally:
        module.train(was_training)


def shifted_batch(module, example, others, shift: float) -> dict[str, np.ndarray]:
    """The output for ``example`` when it shares a batch with ``others``, and with ``others + shift`` (Chapter 7).

    Returns arrays of shape ``(2, features)`` by mode (``"train"``, ``"eval"``):
    row 0 is ``example``'s output in the batch ``[example, *others]``, row 1 in
    ``[example, *(others + shift)]``. In training mode the two rows differ, since
    :math:`\\mu_B` and :math:`\\sigma_B^2` come from the whole batch; in
    evaluation mode they are equal.
    """
    example = as_float_array(example, "example", ndim=1)[None, :]
    others = as_float_array(others, "others", ndim=2)
    shift = check_number(shift, "shift")
    batches = [np.vstack([example, batch]) for batch in (others, others + shift)]
    return {"train": np.vstack([train_mode_output(module, b)[0] for b in batches]),
            "eval": np.vstack([eval_mode_output(module, b)[0] for b in batches])}


def batch_of_one(module, example, copies: int = 4) -> dict:
    """What BatchNorm does with a batch of one ``example`` (Chapter 7).

    Returns ``train_error`` (the message of the ``ValueError`` that training
    mode raises for one row), ``copies`` (the training-mode output for a batch
    of ``copies`` identical rows, whose variance is 0: every row becomes
    :math:`\\hat z = 0`, so the output is :math:`\\beta_\\text{BN}`) and ``eval`` (the
    output for the single row in evaluation mode, from the running statistics).
    """
    example = as_float_array(example, "example", ndim=1)[None, :]
    try:
        train_mode_output(module, example)
    except ValueError as exc:
        message = str(exc)
    else:
        message = ""
    same = np.repeat(example, check_number(copies, "copies", low=2, integer=True), axis=0)
    return {"train_error": message, "copies": train_mode_output(module, same),
            "eval": eval_mode_output(module, example)[0]}


def batch_dependence(model, X, y) -> dict[str, float]:
    """Accuracy of a trained BatchNorm network when its batches are mixed, one class each, or when it is in eval mode (Chapter 7).

    - ``eval``: evaluation mode (running statistics), all of ``X`` at once;
    - ``train_mixed``: training mode, all of ``X`` as one batch;
    - ``train_by_class``: training mode, one batch per class (the examples of
      class ``c`` only), so each batch's statistics are shifted away from
      those of the data.

    In evaluation mode each example's output is its own, so batching cannot
    change ``eval``. The model is left unchanged.
    """
    X = as_float_array(X, "X", ndim=2)
    y = np.asarray(y)
    result = {"eval": float(accuracy(eval_mode_output(model, X), y)),
              "train_mixed": float(accuracy(train_mode_output(model, X), y))}
    correct = 0.0
    for c in np.unique(y):
        rows = y == c
        correct += accuracy(train_mode_output(model, X[rows]), y[rows]) * rows.sum()
    result["train_by_class"] = float(correct / len(y))
    return result


def bias_redundancy(*, batch: int = 8, n_in: int = 4, n_out: int = 3, shift: float = 5.0, rng=0) -> dict[str, float]:
    """A bias in front of BatchNorm: its gradient and its effect on the output, both zero up to rounding (Chapter 7).

    For ``Linear(bias=True)`` followed by ``BatchNorm1d`` in training mode,
    :math:`\\mu_B` contains :math:`b`, so :math:`z_i + b - (\\mu_B + b) = z_i - \\mu_B`:

    .. math:: \\frac{\\partial L}{\\partial b} = \\sum_i \\frac{\\partial L}{\\partial z_i} = 0 .

    Returns ``grad_b`` (the largest :math:`|\\partial L/\\partial b|`), ``grad_W``
    (the largest :math:`|\\partial L/\\partial W|`, for scale) and
    ``output_change`` (the largest change of the output when every bias moves by
    up to ``shift``), for a random batch and upstream gradient.
    """
    gen = as_generator(rng)
    linear = nn.Linear(n_in, n_out, rng=gen)
    model = nn.Sequential(linear, nn.BatchNorm1d(n_out))
    x = gen.standard_normal((batch, n_in))
    out = model(x)
    model.backward(gen.standard_normal(out.shape))
    linear.b.data += gen.uniform(-shift, shift, size=n_out)
    with nn.no_grad():
        moved = model(x)
    return {"grad_b": float(np.max(np.abs(linear.b.grad))), "grad_W": float(np.max(np.abs(linear.W.grad))),
            "output_change": float(np.max(np.abs(moved - out)))}


def normalization_gradients(z, gamma, grad_out, eps: float = 1e-5) -> dict[str, np.ndarray]:
    """The backward pass of batch normalization in training mode, term by term (Chapter 7).

    For a batch ``z`` of shape ``(m, features)``, :math:`\\tilde z_i = \\gamma \\hat z_i + \\beta_\\text{BN}`
    and ``grad_out`` :math:`= \\partial L / \\partial \\tilde z`, per feature:

    .. math::

        \\frac{\\partial L}{\\partial \\hat z_i} = \\gamma \\frac{\\partial L}{\\partial \\tilde z_i}, \\qquad
        \\frac{\\partial L}{\\partial \\sigma_B^2} = -\\frac12 (\\sigma_B^2 + \\text{eps})^{-3/2}
            \\sum_i \\frac{\\partial L}{\\partial \\hat z_i} (z_i - \\mu_B), \\qquad
        \\frac{\\partial L}{\\partial \\mu_B} = -\\frac{1}{\\sqrt{\\sigma_B^2 + \\text{eps}}}
            \\sum_i \\frac{\\partial L}{\\partial \\hat z_i}
            - \\frac{2}{m} \\frac{\\partial L}{\\partial \\sigma_B^2} \\sum_i (z_i - \\mu_B),

    .. math::

        \\frac{\\partial L}{\\partial z_i} = \\frac{1}{\\sqrt{\\sigma_B^2 + \\text{eps}}} \\frac{\\partial L}{\\partial \\hat z_i}
            + \\frac{2 (z_i - \\mu_B)}{m} \\frac{\\partial L}{\\partial \\sigma_B^2}
            + \\frac{1}{m} \\frac{\\partial L}{\\partial \\mu_B},

    and the compact form of the same gradient,

    .. math::

        \\frac{\\partial L}{\\partial z_i} = \\frac{1}{m \\sqrt{\\sigma_B^2 + \\text{eps}}}
            \\Big( m \\frac{\\partial L}{\\partial \\hat z_i} - \\sum_k \\frac{\\partial L}{\\partial \\hat z_k}
            - \\hat z_i \\sum_k \\frac{\\partial L}{\\partial \\hat z_k} \\hat z_k \\Big),

    with :math:`\\partial L / \\partial \\gamma = \\sum_i \\frac{\\partial L}{\\partial \\tilde z_i} \\hat z_i`
    and :math:`\\partial L / \\partial \\beta_\\text{BN} = \\sum_i \\frac{\\partial L}{\\partial \\tilde z_i}`
    (``eps`` is the small constant of the normalization). Returns each term by name: ``z_hat`` (the
    gradient with respect to :math:`\\hat z`), ``var``, ``mean``, ``z``,
    ``z_compact``, ``gamma`` and ``beta``.
    """
    z = as_float_array(z, "z", ndim=2)
    grad_out = as_float_array(grad_out, "grad_out", ndim=2)
    if grad_out.shape != z.shape:
        raise ValueError(f"grad_out must have the shape of z {z.shape}, got shape {grad_out.shape}")
    if z.shape[0] < 2:
        raise ValueError(f"z must hold at least 2 examples (rows), got shape {z.shape}")
    eps = check_number(eps, "eps", low=0, low_open=True)
    m = z.shape[0]
    mu = z.mean(axis=0)
    centred = z - mu
    var = np.mean(centred**2, axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    z_hat = centred * inv_std
    d_z_hat = gamma * grad_out
    d_var = -0.5 * inv_std**3 * np.sum(d_z_hat * centred, axis=0)
    d_mean = -inv_std * np.sum(d_z_hat, axis=0) - 2.0 / m * d_var * np.sum(centred, axis=0)
    d_z = d_z_hat * inv_std + 2.0 * centred / m * d_var + d_mean / m
    compact = inv_std / m * (m * d_z_hat - d_z_hat.sum(axis=0) - z_hat * np.sum(d_z_hat * z_hat, axis=0))
    return {"z_hat": d_z_hat, "var": d_var, "mean": d_mean, "z": d_z, "z_compact": compact,
            "gamma": np.sum(grad_out * z_hat, axis=0), "beta": grad_out.sum(axis=0)}


def gradient_checks(*, batch: int = 6, features: int = 3, rng=0) -> dict[str, float]:
    """Relative errors between the gradients of :func:`normalization_gradients`, ``BatchNorm1d.backward`` and centred differences (Chapter 7).

    On a random float64 batch, with random :math:`\\gamma`, :math:`\\beta_\\text{BN}` and
    upstream gradient: ``steps_vs_backward`` and ``compact_vs_backward`` (the
    term-by-term and compact :math:`\\partial L/\\partial z` against the
    layer's ``backward``), ``gamma_vs_backward`` and ``beta_vs_backward``, and
    from ``dlnotes.gradcheck.check_module_gradients``, ``backward_vs_numerical``
    (input), ``gamma_vs_numerical`` and ``beta_vs_numerical``, in training mode,
    and ``eval_vs_numerical`` (input, evaluation mode). Each is
    ``dlnotes.gradcheck.rel_error``; below ``1e-7`` means the same gradient.
    """
    gen = as_generator(rng)
    bn = nn.BatchNorm1d(features)
    bn.gamma.data[:] = gen.uniform(0.5, 2.0, size=features)
    bn.beta.data[:] = gen.standard_normal(features)
    z = 2.0 * gen.standard_normal((batch, features)) + 1.0
    grad_out = gen.standard_normal((batch, features))
    evaluated = copy.deepcopy(bn)  # a module of its own: a gradient check leaves passes waiting in its module
    bn.zero_grad()
    bn(z)
    d_z = bn.backward(grad_out)
    ours = normalization_gradients(z, bn.gamma.data, grad_out, bn.eps)
    errors = {
        "steps_vs_backward": rel_error(ours["z"], d_z),
        "compact_vs_backward": rel_error(ours["z_compact"], d_z),
        "gamma_vs_backward": rel_error(ours["gamma"], bn.gamma.grad),
        "beta_vs_backward": rel_error(ours["beta"], bn.beta.grad),
    }
    numerical = check_module_gradients(bn, z, rng=gen)
    errors.update(backward_vs_numerical=numerical["input"], gamma_vs_numerical=numerical["gamma"],
                  beta_vs_numerical=numerical["beta"])
    evaluated.running_mean[:] = gen.standard_normal(features)
    evaluated.running_var[:] = gen.uniform(0.5, 2.0, size=features)
    evaluated.eval()
    errors["eval_vs_numerical"] = check_module_gradients(evaluated, z, rng=gen)["input"]
    return errors
