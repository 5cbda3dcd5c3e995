"""Measurements for Chapter 4, the gradient-descent variants (梯度下降法的变式).

Every number here comes from the classes in ``dlnotes.optim``, the same ones
that train networks; this module only names them, picks hyperparameters and
records what they do:

- :class:`BookOptimizer` and :data:`OPTIMIZERS`: one record per variant, the only place
  that names them (class, settings, tuned learning rates, knobs, how figures draw it);
- :data:`SURFACE_PARAMETERS` and :func:`book_surface`: the surfaces as the book draws them
  (the quadratic ill-conditioned, :math:`\\kappa = 100`, and rotated by 30 degrees);
- :func:`configure`: a class and its keyword arguments from the explorer's knobs
  (learning rate, momentum, decay rates);
- :func:`race`: every chosen optimizer's run on one surface (``dlnotes.surfaces.descend``);
- :func:`final_gaps` and :func:`escape_steps`: what a race measured, for the text;
- :func:`effective_learning_rates`: AdaGrad's and RMSProp's per-parameter rate
  :math:`\\epsilon/(\\xi + \\sqrt{R})`, read from the optimizers' own state;
- :func:`step_lengths` and :func:`adam_first_steps`: how long each step of a path is, and Adam's
  step lengths with and without bias correction;
- :func:`compare_on_network`: every optimizer training the same network on the same data, and
  :func:`tune_network_lr`, how each optimizer's learning rate for it was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ..._validation import as_float_array, check_choice, check_number
from ...data import make_spirals
from ...losses import CrossEntropyLoss
from ...optim import SGD, Adadelta, Adagrad, Adam, RMSprop
from ...surfaces import SURFACES, descend, make_surface
from ...train import fit
from . import mlp


@dataclass(frozen=True)
class BookOptimizer:
    """One gradient-descent variant as the book runs and draws it (Chapter 4).

    Attributes
    ----------
    cls : type
        The ``dlnotes.optim`` class, e.g. ``SGD`` for Momentum.
    settings : dict
        The book's keyword arguments, PyTorch's names (RMSprop calls the decay rate
        :math:`\\rho` of the text ``alpha``), e.g. ``{"lr": 0.01, "momentum": 0.9}``.
    surface_lr : dict
        Surface name -> learning rate tuned by hand for that surface of :func:`book_surface`:
        SGD near its stability bound (:math:`1.8/\\kappa` on the quadratic), the others so that
        they make visible progress in :data:`RACE_STEPS` steps. AdaDelta keeps ``lr = 1``
        everywhere (it has no learning rate to tune).
    network_lr : float
        Learning rate for :func:`compare_on_network` (the spirals MLP): among the rates of
        :data:`NETWORK_LR_GRID`, the one with the lowest training loss after
        :data:`NETWORK_EPOCHS` epochs (:func:`tune_network_lr`; a test re-runs the tuning).
    knobs : tuple of str
        The explorer's sliders this variant uses, among ``momentum``, ``rho``, ``beta1``
        and ``beta2`` (the others are greyed out).
    color, linestyle : str
        How every chapter draws it: an Okabe-Ito colour name of ``dlnotes.book.plot.OKABE_ITO``
        (a different one for each variant) and a matplotlib line style (a name, or an
        ``(offset, dashes)`` tuple).
    marker : dict
        A further cue for a variant whose colour is close to another's (matplotlib line keywords), or empty.
    beneath : bool
        Drawn thin and beneath the other paths on a surface: plain gradient descent zig-zags
        across the quadratic's valley, and at full width its black line would hide the paths it crosses.
    family : str
        A key of :data:`FAMILIES`: ``"momentum"`` for plain SGD and its momentum variants,
        ``"adaptive"`` for the per-parameter learning rates; figures draw one panel per family.
    """

    cls: type
    settings: dict
    surface_lr: dict
    network_lr: float
    knobs: tuple
    color: str
    linestyle: str
    marker: dict = field(default_factory=dict)
    beneath: bool = False
    family: str = "adaptive"


def _rates(quadratic, rosenbrock, beale, saddle) -> dict:
    return {"quadratic": quadratic, "rosenbrock": rosenbrock, "beale": beale, "saddle": saddle}


#: Hollow triangles along RMSProp+Momentum's line: its vermillion is the nearest Okabe-Ito colour to
#: Momentum's orange, and both are dashed.
_TRIANGLES = {"marker": "^", "markevery": 0.08, "markersize": 5, "markerfacecolor": "white"}

#: The variants of Chapter 4 in the order the chapter introduces them, by the book's name. Each has its own colour; the two
#: nearest pairs of colours (orange and vermillion, sky blue and blue) differ in line style or marker too.
OPTIMIZERS = {
    "SGD": BookOptimizer(SGD, {"lr": 0.01}, _rates(0.018, 1.5e-3, 5e-3, 0.05), 1.0, (), "black", "-",
                         beneath=True, family="momentum"),
    "Momentum": BookOptimizer(SGD, {"lr": 0.01, "momentum": 0.9}, _rates(0.003, 1.5e-3, 1e-3, 0.02), 0.1,
                              ("momentum",), "orange", "--", family="momentum"),
    "Nesterov": BookOptimizer(SGD, {"lr": 0.01, "momentum": 0.9, "nesterov": True}, _rates(0.003, 1.5e-3, 1e-3, 0.02),
                              0.3, ("momentum",), "sky_blue", "-.", family="momentum"),
    "AdaGrad": BookOptimizer(Adagrad, {"lr": 0.1}, _rates(1.0, 1.5, 0.5, 0.3), 0.3, (), "green", ":",
                             family="adaptive"),
    "RMSProp": BookOptimizer(RMSprop, {"lr": 0.01, "alpha": 0.9}, _rates(0.03, 0.03, 0.01, 0.02), 0.03, ("rho",),
                             "purple", (0, (6, 2, 1, 2, 1, 2)), family="adaptive"),
    "RMSProp+Momentum": BookOptimizer(RMSprop, {"lr": 0.01, "alpha": 0.9, "momentum": 0.9},
                                      _rates(0.01, 2e-3, 2e-3, 5e-3), 0.01, ("rho", "momentum"), "vermillion", "--",
                                      marker=_TRIANGLES, family="adaptive"),
    "AdaDelta": BookOptimizer(Adadelta, {"lr": 1.0, "rho": 0.9}, _rates(1.0, 1.0, 1.0, 1.0), 10.0, ("rho",),
                              "grey", (0, (8, 3)), family="adaptive"),
    "Adam": BookOptimizer(Adam, {"lr": 0.01, "betas": (0.9, 0.999)}, _rates(0.2, 0.2, 0.05, 0.05), 0.1,
                          ("beta1", "beta2"), "blue", "-", family="adaptive"),
}

#: The families of :attr:`BookOptimizer.family`, as figures head them: the figures that compare all
#: eight draw one panel per family, so no panel holds more than five lines.
FAMILIES = {"momentum": "SGD and momentum", "adaptive": "adaptive learning rates"}

#: Parameters of the surfaces as the book draws them (others keep their defaults): the quadratic is
#: ill-conditioned (:math:`\\kappa = 100`) and rotated by 30 degrees, so that its steep and flat
#: directions mix both coordinates, which per-coordinate learning rates cannot separate.
SURFACE_PARAMETERS = {"quadratic": {"condition_number": 100.0, "angle": 30.0}}

#: Steps in a race on a surface.
RACE_STEPS = 200


def book_surface(name: str):
    """The surface ``name`` of ``dlnotes.surfaces`` with the book's parameters (Chapter 4).

    ``make_surface(name, **SURFACE_PARAMETERS.get(name, {}))``: the quadratic is
    :math:`J(\\theta) = \\tfrac12 \\theta^\\top H \\theta` with
    :math:`H = Q_{30^\\circ} \\operatorname{diag}(1, 100) Q_{30^\\circ}^\\top` (:math:`Q_{30^\\circ}` the rotation by 30 degrees); the others keep their defaults.
    """
    return make_surface(name, **SURFACE_PARAMETERS.get(check_choice(name, "name", SURFACES), {}))


def configure(name: str, *, lr=None, momentum=None, rho=None, beta1=None, beta2=None):
    """The optimizer class and keyword arguments for the variant ``name`` (Chapter 4).

    Starts from the book's settings in :data:`OPTIMIZERS` and overrides the knobs the
    variant has: ``lr`` (:math:`\\epsilon`) for all; ``momentum``
    (:math:`\\alpha` in :math:`v \\leftarrow \\alpha v - \\epsilon \\hat g`) for
    Momentum, Nesterov and RMSProp+Momentum; the decay rate ``rho``
    (:math:`\\rho` in :math:`R \\leftarrow \\rho R + (1-\\rho) \\hat g^2`; PyTorch's
    ``alpha`` for RMSprop, ``rho`` for Adadelta); ``beta1``, ``beta2`` for
    Adam. Knobs a variant does not have are ignored, so one set of sliders
    drives them all.

    Returns
    -------
    (class, dict)
        e.g. ``(SGD, {"lr": 0.1, "momentum": 0.5})`` for ``configure("Momentum", lr=0.1, momentum=0.5)``.
    """
    record = OPTIMIZERS[check_choice(name, "name", OPTIMIZERS)]
    kwargs = dict(record.settings)
    knobs = {"lr": lr, "momentum": momentum, "alpha": rho, "rho": rho}
    for key, value in knobs.items():
        if value is not None and key in kwargs:
            kwargs[key] = float(value)
    if "betas" in kwargs:
        b1, b2 = kwargs["betas"]
        kwargs["betas"] = (b1 if beta1 is None else float(beta1), b2 if beta2 is None else float(beta2))
    return record.cls, kwargs


def race(surface, names, *, start=None, steps: int = RACE_STEPS, lr_scale: float = 1.0) -> dict:
    """The run of each optimizer in ``names`` on one surface, from one start (Chapter 4).

    Optimizer ``k`` runs ``dlnotes.surfaces.descend`` with its tuned learning rate
    (:attr:`BookOptimizer.surface_lr`) times ``lr_scale``:

    .. math:: \\theta^{(t+1)} = \\theta^{(t)} - \\text{step}_k\\big(\\nabla J(\\theta^{(t)})\\big), \\qquad t = 0, \\dots, \\text{steps} - 1.

    Every optimizer sees the exact gradient :math:`\\nabla J`, so "SGD" here is
    plain gradient descent, without a minibatch's noise.

    Parameters
    ----------
    surface : str or dlnotes.surfaces.Surface
        A name in ``dlnotes.surfaces.SURFACES`` (built by :func:`book_surface`)
        or a surface object (its ``name`` picks the learning rates).
    names : sequence of str
        Keys of :data:`OPTIMIZERS`.

    Returns
    -------
    dict
        name -> ``dlnotes.surfaces.Descent``: its ``path`` has shape ``(steps + 1, 2)``
        (NaN rows after divergence).
    """
    surface = book_surface(surface) if isinstance(surface, str) else surface
    check_number(lr_scale, "lr_scale", low=0, low_open=True)
    runs = {}
    for name in names:
        rate = OPTIMIZERS[check_choice(name, "names", OPTIMIZERS)].surface_lr[surface.name]
        cls, kwargs = configure(name, lr=rate * lr_scale)
        runs[name] = descend(surface, cls, start=start, steps=steps, **kwargs)
    return runs


def final_gaps(surface, paths: dict) -> dict:
    """How far above the minimum each path ends, :math:`J(\\theta^{(t)}) - J^*` at its last step :math:`t` (Chapter 4).

    ``paths`` maps a name to a path of :func:`race`; a diverged path (NaN rows) gives ``inf``.
    """
    out = {}
    for name, path in paths.items():
        last = np.asarray(path, dtype=float)[-1]
        out[name] = float(surface(last) - surface.minimum_value) if np.all(np.isfinite(last)) else np.inf
    return out


def escape_steps(paths: dict, *, threshold: float = 0.5, coordinate: int = 1) -> dict:
    """The first step at which each path leaves the saddle's ridge, :math:`|\\theta_2| > 0.5` (Chapter 4).

    .. math:: t_\\text{escape} = \\min\\{t : |\\theta^{(t)}[\\text{coordinate}]| > \\text{threshold}\\}

    Returns name -> that step, or ``None`` if the path never gets there.
    """
    check_number(threshold, "threshold", low=0)
    coordinate = check_number(coordinate, "coordinate", low=0, high=1, integer=True)
    out = {}
    for name, path in paths.items():
        with np.errstate(invalid="ignore"):
            beyond = np.flatnonzero(np.abs(np.asarray(path, dtype=float)[:, coordinate]) > threshold)
        out[name] = int(beyond[0]) if beyond.size else None
    return out


def effective_learning_rate(optimizer) -> np.ndarray:
    """The per-parameter step size of AdaGrad or RMSProp, from the optimizer's state (Chapter 4).

    .. math:: \\epsilon_\\text{eff} = \\frac{\\epsilon}{\\xi + \\sqrt{R}}, \\qquad
              R = \\textstyle\\sum \\hat g^2 \\text{ over the steps so far} \\ \\text{(AdaGrad, state ``sum``)}, \\quad
              R \\leftarrow \\rho R + (1 - \\rho) \\hat g^2 \\ \\text{(RMSProp, state ``square_avg``)}.

    Returns one flat array over every parameter entry of the optimizer.
    """
    key = {Adagrad: "sum", RMSprop: "square_avg"}.get(type(optimizer))
    if key is None:
        raise TypeError(f"optimizer must be a dlnotes.optim Adagrad or RMSprop, got {type(optimizer).__name__}")
    r = np.concatenate([state[key].ravel() for state in optimizer.state])
    return optimizer.lr / (np.sqrt(r) + optimizer.eps)


class Recording:
    """An optimizer that also records ``record(optimizer)`` after every step (Chapter 4).

    .. math:: \\theta^{(t)} = \\text{step}(\\theta^{(t-1)}, \\hat g), \\qquad \\text{records}[t-1] = \\text{record}(\\text{optimizer after step } t).

    It passes ``step`` and ``zero_grad`` on, so ``dlnotes.train.fit`` trains
    with it as with the optimizer itself.
    """

    def __init__(self, optimizer, record):
        self.optimizer = optimizer
        self.record = record
        self.records = []

    def step(self) -> None:
        """One step of the wrapped optimizer, then record."""
        self.optimizer.step()
        self.records.append(self.record(self.optimizer))

    def zero_grad(self) -> None:
        """The wrapped optimizer's ``zero_grad``."""
        self.optimizer.zero_grad()


def _spirals(rng=0):
    """The Chapter 4 data set: 300 points on three spiral arms."""
    return make_spirals(300, n_classes=3, noise=0.2, rng=rng)


def effective_learning_rates(names=("AdaGrad", "RMSProp"), *, lr: float = 0.01, epochs: int = 20, batch_size: int = 30, rng=0) -> dict:
    """How AdaGrad's and RMSProp's step sizes evolve while training a network (Chapter 4).

    Each optimizer trains the same MLP on the same spirals with the same
    minibatches; after every step the median over all weights of
    :func:`effective_learning_rate` is recorded. AdaGrad's :math:`R` only
    grows, so its rate decays like :math:`1/\\sqrt t`; RMSProp's moving
    average forgets, so its rate levels off.

    Returns
    -------
    dict
        name -> array of the median effective rate after each step.
    """
    X, y = _spirals(rng)
    out = {}
    for name in names:
        cls, kwargs = configure(name, lr=lr)
        model = mlp([2, 32, 32, 3], rng=rng)
        recording = Recording(cls(model.parameters(), **kwargs), lambda opt: float(np.median(effective_learning_rate(opt))))
        fit(model, CrossEntropyLoss(), recording, X, y, epochs=epochs, batch_size=batch_size, rng=rng)
        out[name] = np.array(recording.records)
    return out


def step_lengths(path) -> np.ndarray:
    """The length of every step of a path, :math:`\\lVert \\theta^{(t)} - \\theta^{(t-1)} \\rVert` for :math:`t = 1, \\dots,` ``steps`` (Chapter 4).

    ``path`` has shape ``(steps + 1, 2)`` (a :func:`race` path); NaN rows give NaN lengths.
    """
    path = as_float_array(path, "path", ndim=2, finite=False)
    return np.linalg.norm(np.diff(path, axis=0), axis=1)


class AdamFirstSteps(NamedTuple):
    """What :func:`adam_first_steps` measures (Chapter 4): the step lengths ``corrected`` and
    ``uncorrected`` (arrays of ``steps``), and ``constant_gradient``, the uncorrected step over the
    corrected one for a constant gradient, :math:`(1 - \\beta_1^t)/\\sqrt{1 - \\beta_2^t}`."""

    corrected: np.ndarray
    uncorrected: np.ndarray
    constant_gradient: np.ndarray


def adam_first_steps(surface="quadratic", *, steps: int = 20, lr: float = 0.1, betas=(0.9, 0.999),
                     start=None) -> AdamFirstSteps:
    """Adam's step lengths :math:`\\lVert\\theta^{(t)} - \\theta^{(t-1)}\\rVert` with and without bias correction (Chapter 4).

    With :math:`M, R` the moving averages of :math:`\\hat g` and :math:`\\hat g^2`
    (started at 0), bias correction divides them by :math:`1 - \\beta_1^t` and
    :math:`1 - \\beta_2^t`. For a constant gradient the uncorrected step is
    :math:`\\epsilon (1 - \\beta_1^t)/\\sqrt{1 - \\beta_2^t}` per coordinate
    instead of :math:`\\epsilon`: about 3.2 times too long at :math:`t=1` for the default betas.
    """
    surface = book_surface(surface) if isinstance(surface, str) else surface
    lengths = [step_lengths(descend(surface, Adam, start=start, steps=steps, lr=lr, betas=tuple(betas),
                                    bias_correction=correct).path) for correct in (True, False)]
    t = np.arange(1, steps + 1)
    b1, b2 = betas
    return AdamFirstSteps(*lengths, (1 - b1**t) / np.sqrt(1 - b2**t))


def compare_on_network(names=tuple(OPTIMIZERS), *, lrs=None, epochs: int = 30, batch_size: int = 30, X=None, y=None, rng=0) -> dict:
    """Every optimizer in ``names`` trains the same MLP on the same data (Chapter 4).

    Same initial weights (seed ``rng``), same minibatches, cross-entropy loss,
    learning rates :attr:`BookOptimizer.network_lr` unless ``lrs`` overrides some;
    the data default to 300 spirals in three classes.

    Returns
    -------
    dict
        name -> array of the training loss per epoch (shorter if the run diverged).
    """
    if X is None:
        X, y = _spirals(rng)
    X = as_float_array(X, "X", ndim=2)
    rates = {name: record.network_lr for name, record in OPTIMIZERS.items()} | dict(lrs or {})
    n_classes = int(np.max(y)) + 1
    curves = {}
    for name in names:
        cls, kwargs = configure(name, lr=rates[name])
        model = mlp([X.shape[1], 32, 32, n_classes], rng=rng)
        history = fit(model, CrossEntropyLoss(), cls(model.parameters(), **kwargs), X, y,
                      epochs=epochs, batch_size=batch_size, rng=rng)
        curves[name] = np.array(history["train_loss"])
    return curves


#: The learning rates :func:`tune_network_lr` tries: a 1-3-10 grid from 0.001 to 30, each value about
#: 3 times the last (sqrt(10), about 3.16, on average).
NETWORK_LR_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)

#: Epochs of the network comparison of Chapter 4 (section 4.7), and of the tuning behind it.
NETWORK_EPOCHS = 20


def tune_network_lr(name: str, grid=NETWORK_LR_GRID, *, epochs: int = NETWORK_EPOCHS, rng=0) -> dict:
    """The training loss after ``epochs`` epochs of :func:`compare_on_network` for each rate of ``grid`` (Chapter 4).

    .. math:: \\texttt{network\\_lr} = \\arg\\min_{\\epsilon \\in \\text{grid}} \\text{(training loss after } \\texttt{epochs} \\text{ epochs at rate } \\epsilon)

    is how each record's :attr:`BookOptimizer.network_lr` was chosen: the same network, data and
    minibatches for every rate, judged by the final training loss (the quantity section 4.7 compares).

    Returns
    -------
    dict
        learning rate -> final training loss, ``inf`` for a run that diverged before the last epoch.
    """
    check_choice(name, "name", OPTIMIZERS)
    out = {}
    for lr in grid:
        curve = compare_on_network((name,), lrs={name: check_number(lr, "grid", low=0, low_open=True)}, epochs=epochs,
                                   rng=rng)[name]
        out[float(lr)] = float(curve[-1]) if len(curve) == epochs else np.inf
    return out
