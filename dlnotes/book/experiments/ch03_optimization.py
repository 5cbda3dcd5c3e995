"""Measurements for Chapter 3, optimization in deep models (深度模型中的优化).

- :func:`flat_gradient`: the minibatch gradient of a model, all parameters in one vector;
- :func:`gradient_spread`: how far minibatch gradients scatter around the full
  gradient, against the standard error :math:`\\sigma_g/\\sqrt{m}`;
- :func:`learning_rate_sweep`: learning curves of one model for a grid of learning rates;
- :func:`classify_learning_curves`: each curve of a sweep called slow, good, oscillating or diverging;
- :func:`shuffling_comparison`: minibatches drawn at random against minibatches
  taken from data sorted by label;
- :class:`EpochEndLoss`: a ``fit`` callback that measures the training loss at the
  end of every epoch, at the same weights as the validation loss;
- :func:`step_decay`, :func:`cosine_decay`, :func:`linear_warmup` and :func:`warmup_cosine`:
  learning-rate schedules :math:`\\epsilon_t`, with :class:`Scheduled`, which makes an optimizer
  follow one, and :func:`schedule_comparison`, which trains with several.

Everything trains with ``dlnotes.train.fit`` and ``dlnotes.optim``; no matplotlib here.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..._validation import _show, as_float_array, as_generator, check_number
from ...optim import SGD
from ...train import Callback, evaluate, fit


def flat_gradient(model, loss_fn, X, y) -> np.ndarray:
    """The gradient of the mean loss on a batch, every parameter flattened into one vector (Chapter 3).

    .. math:: \\hat g = \\nabla_\\theta \\frac{1}{m} \\sum_{i=1}^{m} L\\big(f(x^{(i)}; \\theta), y^{(i)}\\big)

    Runs ``model`` forward and backward once (its ``.grad`` are overwritten);
    ``loss_fn`` is a loss object of ``dlnotes.losses`` with the mean reduction.
    """
    model.zero_grad()
    loss_fn(model(X), y)
    model.backward(loss_fn.backward())
    return np.concatenate([p.grad.ravel() for p in model.parameters()])


class GradientSpread(NamedTuple):
    """What :func:`gradient_spread` measures (Chapter 3): the ``batch_sizes`` (int array), the measured
    ``spread`` and the ``predicted`` one for each, ``sigma`` (:math:`\\sigma_g`, the per-example spread, a float) and
    ``per_example``, the per-example gradients :math:`g_i` as rows (shape ``(n, n_params)``, one column per parameter)."""

    batch_sizes: np.ndarray
    spread: np.ndarray
    predicted: np.ndarray
    sigma: float
    per_example: np.ndarray


def gradient_spread(model, loss_fn, X, y, batch_sizes, *, draws: int = 200, replace: bool = True,
                    rng=None) -> GradientSpread:
    """Spread of the minibatch gradient around the full gradient, measured and predicted (Chapter 3).

    For each batch size :math:`m`, ``draws`` minibatches :math:`B` are drawn at
    random and the root-mean-square distance of their gradient from the
    full-batch gradient :math:`\\bar g = \\nabla J` is measured,

    .. math:: \\operatorname{spread}(m) = \\sqrt{\\operatorname{mean}_B \\lVert \\hat g_B - \\bar g \\rVert^2},

    next to the standard error predicted from the per-example spread
    :math:`\\sigma_g^2 = \\frac1n \\sum_i \\lVert g_i - \\bar g \\rVert^2`:

    .. math:: \\operatorname{SE}(m) = \\frac{\\sigma_g}{\\sqrt m} \\ \\text{(with replacement)}, \\qquad
              \\operatorname{SE}(m) = \\frac{\\sigma_g}{\\sqrt m}\\sqrt{\\frac{n - m}{n - 1}} \\ \\text{(without)}.

    Parameters
    ----------
    model, loss_fn
        A ``dlnotes.nn`` module at fixed parameters and a mean-reduced loss object.
    X, y : arrays with ``n`` rows
        The training set whose mean loss is the cost :math:`J(\\theta)`.
    batch_sizes : sequence of int in [1, n]
    draws : int
        Minibatches drawn per batch size.
    replace : bool
        Draw the rows of a minibatch independently (True) or without repeats.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    GradientSpread
        The per-example gradients come from :func:`flat_gradient` on one example at a time.
    """
    X = as_float_array(X, "X")
    n = len(X)
    sizes = np.array([check_number(m, "batch_sizes", low=1, high=n, integer=True) for m in batch_sizes])
    check_number(draws, "draws", low=1, integer=True)
    rng = as_generator(rng)
    full = flat_gradient(model, loss_fn, X, y)
    per_example = np.array([flat_gradient(model, loss_fn, X[i : i + 1], y[i : i + 1]) for i in range(n)])
    sigma = float(standard_error(per_example, 1))
    spread = np.empty(len(sizes))
    for k, m in enumerate(sizes):
        errors = [
            np.sum((flat_gradient(model, loss_fn, X[rows], y[rows]) - full) ** 2)
            for rows in (rng.choice(n, size=m, replace=replace) for _ in range(draws))
        ]
        spread[k] = np.sqrt(np.mean(errors))
    predicted = np.array([standard_error(per_example, m) for m in sizes])
    if not replace:
        predicted = predicted * np.sqrt((n - sizes) / max(n - 1, 1))
    return GradientSpread(sizes, spread, predicted, sigma, per_example)


def standard_error(per_example, m: int) -> float:
    """Standard error of the mean of ``m`` independent draws of a vector (Chapter 3).

    .. math:: \\frac{\\sigma_g}{\\sqrt m}, \\qquad
              \\sigma_g^2 = \\frac1n \\sum_{i=1}^{n} \\lVert g_i - \\bar g \\rVert^2,

    for per-example gradients :math:`g_i` (the rows of ``per_example``, shape
    ``(n, n_params)``: one row per example, one column per parameter) and their mean :math:`\\bar g`: the root-mean-square distance
    of a minibatch mean from :math:`\\bar g` when the :math:`m` rows are drawn
    at random with replacement.
    """
    per_example = as_float_array(per_example, "per_example", ndim=2)
    check_number(m, "m", low=1, integer=True)
    centred = per_example - per_example.mean(axis=0)
    return float(np.sqrt(np.mean(np.sum(centred**2, axis=1)) / m))


def _train_curve(model_fn, loss_fn, X, y, lr, *, epochs, batch_size, shuffle=True, rng=0, schedule=None) -> np.ndarray:
    """Full-training-set loss before training and after each epoch of SGD (``inf`` once diverged).

    With a ``schedule`` (a function of the step :math:`t`), step :math:`t` uses the rate ``schedule(t)``.
    """
    model = model_fn()
    initial = loss_fn(model(X), y)
    optimizer = SGD(model.parameters(), lr=lr)
    history = fit(
        model,
        loss_fn,
        optimizer if schedule is None else Scheduled(optimizer, schedule),
        X,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=(X, y),
        shuffle=shuffle,
        rng=rng,
    )
    curve = np.full(epochs + 1, np.inf)
    curve[0] = initial
    done = np.asarray(history["val_loss"], dtype=float)
    curve[1 : 1 + len(done)] = done
    curve[~np.isfinite(curve)] = np.inf
    return curve


class LearningRateSweep(NamedTuple):
    """What :func:`learning_rate_sweep` measures (Chapter 3): the learning rates ``lrs`` and ``loss``, of
    shape ``(len(lrs), epochs + 1)``: the loss on the whole training set at the start and after every
    epoch, ``inf`` after a run diverged."""

    lrs: np.ndarray
    loss: np.ndarray


def learning_rate_sweep(model_fn, loss_fn, X, y, lrs, *, epochs: int = 30, batch_size: int = 32,
                        rng=0) -> LearningRateSweep:
    """Learning curves of minibatch SGD for a grid of learning rates (Chapter 3).

    Each run starts from the same network (``model_fn()`` must build it from a
    fixed seed) and sees the same minibatches; it follows

    .. math:: \\theta \\leftarrow \\theta - \\epsilon\\, \\hat g_B

    for every minibatch :math:`B`, with learning rate :math:`\\epsilon` from ``lrs``.
    """
    lrs = np.array([check_number(lr, "lrs", low=0, low_open=True) for lr in lrs], dtype=float)
    check_number(epochs, "epochs", low=1, integer=True)
    curves = [_train_curve(model_fn, loss_fn, X, y, float(lr), epochs=epochs, batch_size=batch_size, rng=rng) for lr in lrs]
    return LearningRateSweep(lrs, np.array(curves))


#: The verdicts of :func:`classify_learning_curves`, from too small a learning rate to too large.
VERDICTS = ("slow", "good", "oscillating", "diverging")


def classify_learning_curves(loss, *, window: int | None = None, jump: float = 1.3, progress: float = 0.75) -> list[str]:
    """Call each learning curve of a sweep slow, good, oscillating or diverging, from its last epochs (Chapter 3).

    With :math:`J_0` the starting loss, :math:`\\mathcal W` the last ``window`` epochs (the
    last half by default) and :math:`J^\\text{best}_{\\mathcal W}` the lowest mean over
    :math:`\\mathcal W` among the curves that are neither diverging nor oscillating:

    - *diverging*: a non-finite loss, or :math:`\\operatorname{mean}_{\\mathcal W} J > J_0`
      (on average above where it started);
    - *oscillating*: some epoch :math:`t \\in \\mathcal W` has :math:`J_t > \\text{jump} \\cdot \\min_{t' < t} J_{t'}`,
      a rise well above the best loss so far;
    - *slow*: :math:`J_\\text{last} - J^\\text{best}_{\\mathcal W} > (1 - \\text{progress}) (J_0 - J^\\text{best}_{\\mathcal W})`,
      less than ``progress`` of the drop the best curve achieved;
    - *good*: the rest.

    Parameters
    ----------
    loss : array of shape (n_curves, epochs + 1)
        ``learning_rate_sweep(...).loss``: the loss at the start and after every epoch.

    Returns
    -------
    list of str
        One of :data:`VERDICTS` per curve.
    """
    loss = as_float_array(loss, "loss", ndim=2, finite=False)
    length = loss.shape[1]
    window = max(length // 2, 1) if window is None else check_number(window, "window", low=1, high=length - 1, integer=True)
    check_number(jump, "jump", low=1)
    check_number(progress, "progress", low=0, high=1)
    verdicts = []
    for curve in loss:
        last = curve[-window:]
        if not np.all(np.isfinite(curve)) or last.mean() > curve[0]:
            verdicts.append("diverging")
        elif any(curve[t] > jump * curve[:t].min() for t in range(length - window, length)):
            verdicts.append("oscillating")
        else:
            verdicts.append("stable")
    stable = [k for k, v in enumerate(verdicts) if v == "stable"]
    if stable:
        best = min(loss[k, -window:].mean() for k in stable)
        for k in stable:
            drop = loss[k, 0] - best
            verdicts[k] = "slow" if loss[k, -1] - best > (1 - progress) * drop else "good"
    return verdicts


class ShufflingComparison(NamedTuple):
    """What :func:`shuffling_comparison` measures (Chapter 3): the full-training-set loss at the start
    and after each epoch (arrays of length ``epochs + 1``) with ``shuffled`` minibatches and with
    minibatches taken in order from data ``sorted`` by label."""

    shuffled: np.ndarray
    sorted: np.ndarray


def shuffling_comparison(model_fn, loss_fn, X, y, *, lr: float, epochs: int = 20, batch_size: int = 32,
                         rng=0) -> ShufflingComparison:
    """Minibatch SGD on shuffled data against the same data sorted by label (Chapter 3).

    Sorted, the minibatches of an epoch are not independent draws: the model
    sees one class after another, so each stretch of steps undoes the last and
    :math:`\\mathbb{E}[\\hat g_B] \\ne \\nabla J(\\theta)`.
    """
    order = np.argsort(np.asarray(y), kind="stable")
    common = dict(lr=lr, epochs=epochs, batch_size=batch_size, rng=rng)
    return ShufflingComparison(
        shuffled=_train_curve(model_fn, loss_fn, X, y, shuffle=True, **common),
        sorted=_train_curve(model_fn, loss_fn, X[order], y[order], shuffle=False, **common),
    )


class EpochEndLoss(Callback):
    """A ``fit`` callback recording the loss on ``(X, y)`` at the end of every epoch (Chapter 3).

    .. math:: \\text{values}[t - 1] = J(\\theta^{(t)}) = \\frac1n \\sum_{i=1}^{n} L\\big(y^{(i)}, f(x^{(i)}; \\theta^{(t)})\\big),

    with :math:`\\theta^{(t)}` the weights after epoch :math:`t`: the weights at which ``fit`` measures
    the validation loss. ``fit``'s own ``train_loss`` is the mean of the epoch's minibatch losses,
    each measured before its step, so it lags behind; on the training set this callback gives the
    loss to compare with the validation loss. It measures with ``dlnotes.train.evaluate`` and
    changes neither the model nor the run.
    """

    def __init__(self, loss_fn, X, y):
        self.loss_fn = loss_fn
        self.X = as_float_array(X, "X")
        self.y = y
        self.values: list[float] = []

    def on_train_begin(self, history) -> None:
        """Start a new record."""
        self.values = []

    def on_epoch_end(self, epoch: int, history) -> bool:
        """Record :math:`J(\\theta^{(t)})`; never stops training."""
        self.values.append(float(evaluate(self.model, self.loss_fn, self.X, self.y)[0]))
        return False


def _schedule(formula, t):
    """``formula(step)`` for the step number ``t`` (an int >= 0, a float out) or each entry of an array of them.

    Evaluated one step at a time with Python's ``math``, so a schedule gives the same bits under every
    NumPy version (whose vectorized ``cos`` and ``power`` may differ in the last bit).
    """
    steps = np.asarray(t)
    if steps.dtype.kind not in "iu":
        raise TypeError(f"t must be a step number (an int or an array of ints), got {_show(t)}")
    if np.any(steps < 0):
        raise ValueError(f"t must be >= 0, got {_show(t)}")
    if steps.ndim == 0:
        return float(formula(int(steps)))
    return np.array([formula(int(k)) for k in steps.ravel()], dtype=np.float64).reshape(steps.shape)


def step_decay(t, lr: float, *, step_size: int, gamma: float = 0.1):
    """Step decay: the rate multiplied by ``gamma`` every ``step_size`` steps (Chapter 3; PyTorch's ``StepLR``).

    .. math:: \\epsilon_t = \\bar\\epsilon \\cdot \\text{gamma}^{\\lfloor t / T_s \\rfloor}

    with the base rate :math:`\\bar\\epsilon` = ``lr``, the factor ``gamma`` in (0, 1] (0.1 in the chapter) and :math:`T_s` = ``step_size``;
    ``t`` (an int or an array of ints) counts the steps from 0.
    """
    lr = check_number(lr, "lr", low=0, low_open=True)
    step_size = check_number(step_size, "step_size", low=1, integer=True)
    gamma = check_number(gamma, "gamma", low=0, high=1, low_open=True)
    return _schedule(lambda k: lr * gamma ** (k // step_size), t)


def cosine_decay(t, lr: float, *, total: int, lr_min: float = 0.0):
    """Cosine decay from ``lr`` at step 0 to ``lr_min`` at step ``total`` (Chapter 3; PyTorch's ``CosineAnnealingLR``).

    .. math:: \\epsilon_t = \\epsilon_\\text{min} + \\tfrac12 (\\bar\\epsilon - \\epsilon_\\text{min})
              \\big(1 + \\cos(\\pi \\min(t, T_\\text{max}) / T_\\text{max})\\big)

    with the base rate :math:`\\bar\\epsilon` = ``lr``, :math:`\\epsilon_\\text{min}` = ``lr_min`` and :math:`T_\\text{max}` = ``total`` (PyTorch's ``T_max``); after :math:`T_\\text{max}` the rate stays at
    :math:`\\epsilon_\\text{min}`.
    """
    lr = check_number(lr, "lr", low=0, low_open=True)
    total = check_number(total, "total", low=1, integer=True)
    lr_min = check_number(lr_min, "lr_min", low=0, high=lr)
    return _schedule(lambda k: lr_min + 0.5 * (lr - lr_min) * (1 + math.cos(math.pi * min(k, total) / total)), t)


def linear_warmup(t, lr: float, *, warmup: int, start_factor: float = 0.1):
    """Linear warm-up from ``start_factor * lr`` at step 0 to ``lr`` at step ``warmup`` (Chapter 3; PyTorch's ``LinearLR``).

    .. math:: \\epsilon_t = \\epsilon_\\text{start} + (\\bar\\epsilon - \\epsilon_\\text{start}) \\frac{\\min(t, T_w)}{T_w}

    with the base rate :math:`\\bar\\epsilon` = ``lr``, :math:`\\epsilon_\\text{start}` = ``start_factor * lr`` (``start_factor`` in (0, 1]) and :math:`T_w` = ``warmup``;
    after :math:`T_w` the rate is :math:`\\bar\\epsilon`.
    """
    lr = check_number(lr, "lr", low=0, low_open=True)
    warmup = check_number(warmup, "warmup", low=1, integer=True)
    start_factor = check_number(start_factor, "start_factor", low=0, high=1, low_open=True)
    return _schedule(lambda k: lr * (start_factor + (1 - start_factor) * min(k, warmup) / warmup), t)


def warmup_cosine(t, lr: float, *, warmup: int, total: int, start_factor: float = 0.1, lr_min: float = 0.0):
    """Linear warm-up for ``warmup`` steps, then cosine decay until step ``total`` (Chapter 3).

    .. math:: \\epsilon_t = \\begin{cases} \\text{linear\\_warmup}(t) & t < T_w \\\\
              \\text{cosine\\_decay}(t - T_w) \\text{ over } T_\\text{max} - T_w \\text{ steps} & t \\ge T_w \\end{cases}

    (:func:`linear_warmup`, :func:`cosine_decay`): the rate climbs to ``lr`` at step
    :math:`T_w` = ``warmup`` and falls to ``lr_min`` at step :math:`T_\\text{max}` = ``total``.
    """
    total = check_number(total, "total", low=2, integer=True)
    warmup = check_number(warmup, "warmup", low=1, high=total - 1, integer=True)
    linear_warmup(0, lr, warmup=warmup, start_factor=start_factor)  # checks lr and start_factor
    cosine_decay(0, lr, total=total - warmup, lr_min=lr_min)  # checks lr_min
    return _schedule(lambda k: linear_warmup(k, lr, warmup=warmup, start_factor=start_factor) if k < warmup
                     else cosine_decay(k - warmup, lr, total=total - warmup, lr_min=lr_min), t)


class Scheduled:
    """An optimizer that follows a learning-rate schedule: step :math:`t` (from 0) uses :math:`\\epsilon_t` (Chapter 3).

    .. math:: \\theta^{(t+1)} = \\text{step}(\\theta^{(t)}, \\hat g_B) \\text{ with } \\texttt{lr} = \\text{schedule}(t)

    It sets the wrapped optimizer's ``lr`` before each ``step`` and passes ``zero_grad`` on, so
    ``dlnotes.train.fit`` trains with it as with the optimizer itself. ``t`` counts its steps.
    """

    def __init__(self, optimizer, schedule):
        if not callable(schedule):
            raise TypeError(f"schedule must be a function of the step t, got {_show(schedule)}")
        self.optimizer = optimizer
        self.schedule = schedule
        self.t = 0

    def step(self) -> None:
        """Set ``lr = schedule(t)``, take the wrapped optimizer's step, count it."""
        self.optimizer.lr = float(self.schedule(self.t))
        self.optimizer.step()
        self.t += 1

    def zero_grad(self) -> None:
        """The wrapped optimizer's ``zero_grad``."""
        self.optimizer.zero_grad()


def schedule_comparison(model_fn, loss_fn, X, y, schedules: dict, *, epochs: int = 20, batch_size: int = 32,
                        rng=0) -> dict:
    """Minibatch SGD with each learning-rate schedule of ``schedules``, from the same network on the same minibatches (Chapter 3).

    ``schedules`` maps a name to a function :math:`t \\mapsto \\epsilon_t` of the step (from 0), e.g.
    ``lambda t: cosine_decay(t, 1.0, total=100)``. Each run starts from ``model_fn()`` (a fixed seed)
    and follows :math:`\\theta \\leftarrow \\theta - \\epsilon_t\\, \\hat g_B`.

    Returns
    -------
    dict
        name -> the loss on the whole training set at the start and after each epoch (length
        ``epochs + 1``, ``inf`` after a run diverged), as in :func:`learning_rate_sweep`.
    """
    check_number(epochs, "epochs", low=1, integer=True)
    curves = {}
    for name, schedule in schedules.items():
        lr = float(schedule(0))
        curves[name] = _train_curve(model_fn, loss_fn, X, y, lr, epochs=epochs, batch_size=batch_size, rng=rng,
                                    schedule=schedule)
    return curves
