"""The training loop: ``fit``, ``evaluate``, ``predict`` and the callbacks of ``fit`` (chapters 3 and 9).

One epoch of minibatch stochastic gradient descent (Chapter 3) is

.. math::

    \\text{for each minibatch } B:\\quad
    \\theta \\leftarrow \\mathrm{step}\\Big(\\theta,\\;
    \\nabla_\\theta \\tfrac{1}{|B|} \\textstyle\\sum_{i \\in B} L(y_i, f(x_i; \\theta))\\Big),

where the minibatches come from a fresh random permutation of the training
set and ``step`` is any optimizer of ``dlnotes.optim``. ``fit`` runs epochs,
records the learning curves in a :class:`History` and, after every epoch,
calls its :class:`Callback` objects: :class:`EarlyStopping` stops when the
validation loss stops improving (Chapter 3, early stopping), and a plotting
callback can redraw the learning curves live. The metrics are in
:mod:`dlnotes.metrics`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ._validation import _show, all_finite, as_array, as_float_array, check_choice, check_flag, check_number
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, ExponentialLoss, HingeLoss, SoftMarginLoss

# ``DataLoader``, ``accuracy``, ``BatchNorm1d``, ``no_grad`` and ``_backward`` are imported by the functions that use
# them, so that importing this module imports neither the layers nor the data loader nor the metrics.

#: A minibatch loss above ``DIVERGENCE_FACTOR * max(1, first minibatch loss)``
#: counts as divergence, as does a NaN or infinite loss (Chapter 3).
DIVERGENCE_FACTOR = 1e6

#: Metrics that ``fit`` and ``evaluate`` accept by name.
METRICS = ("accuracy",)

#: How ``metric="accuracy"`` turns one output column into classes, by the loss
#: that trains it (Chapter 9): probabilities (``BCELoss``) are cut at 1/2,
#: logits and margins at 0. ``CrossEntropyLoss`` gives a column per class,
#: read by the arg-max. Other losses (regression) get no accuracy by name.
ACCURACY_THRESHOLDS = (
    (BCELoss, 0.5),
    (BCEWithLogitsLoss, 0.0),
    (SoftMarginLoss, 0.0),
    (HingeLoss, 0.0),
    (ExponentialLoss, 0.0),
    (CrossEntropyLoss, 0.0),
)


@dataclass
class History:
    """The learning curves of one ``fit`` run (Chapter 3), one entry per completed epoch.

    Each series is a list indexed by ``epoch - 1`` (epochs count from 1, as
    in the figures; ``history.epochs`` gives the x-axis ``[1, 2, ...]``):

    - ``train_loss``: :math:`\\bar L = \\sum_B |B| \\, L_B / N`, the loss of
      every minibatch of the epoch weighted by its size (what the optimizer
      saw, in training mode; :math:`N` counts the rows the epoch used);
    - ``train_metric``: the metric averaged over the minibatches the same way;
    - ``val_loss``, ``val_metric``: on the validation set after the epoch,
      in evaluation mode;
    - ``grad_norm``: :math:`\\lVert \\nabla_\\theta J(\\theta) \\rVert_2`, the
      norm of the full training-set gradient after the epoch.

    A series that was not measured is an empty list. ``history["val_loss"]``
    and ``history.val_loss`` are the same list; ``history.keys()`` names the
    measured series. The lists grow during ``fit``: a callback's
    ``on_epoch_end`` finds the newest epoch at index ``-1``.

    ``best_epoch`` is the epoch with the lowest validation loss (None without
    validation data); ``stopped_epoch`` is the last epoch that ran;
    ``diverged`` is True when the loss became non-finite or huge, in which
    case the diverging epoch (number ``stopped_epoch``) is not recorded.
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    train_metric: list[float] = field(default_factory=list)
    val_metric: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_epoch: int = 0
    diverged: bool = False

    SERIES = ("train_loss", "val_loss", "train_metric", "val_metric", "grad_norm")

    def __getitem__(self, key: str) -> list[float]:
        if key not in self.SERIES:
            raise KeyError(f"history has the series {list(self.SERIES)}, got {key!r}")
        return getattr(self, key)

    def __contains__(self, key) -> bool:
        return key in self.keys()

    def keys(self) -> list[str]:
        """Names of the series that were measured (non-empty)."""
        return [key for key in self.SERIES if getattr(self, key)]

    @property
    def epochs(self) -> list[int]:
        """Epoch numbers ``1, 2, ..., n`` of the recorded entries, the x-axis of a learning curve."""
        return list(range(1, len(self.train_loss) + 1))

    def record(self, entry: dict[str, float]) -> None:
        """Append one epoch's measurements (series name -> value) and update ``best_epoch``."""
        for key, value in entry.items():
            self[key].append(value)
        if "val_loss" in entry and (self.best_epoch is None or entry["val_loss"] < self.val_loss[self.best_epoch - 1]):
            self.best_epoch = len(self.val_loss)


# -- callbacks -------------------------------------------------------------------
class Callback:
    """What ``fit`` calls while it trains, to watch the run or stop it (Chapters 3 and 9).

    Subclass it and override the hooks you need; the ones here do nothing.
    ``fit(..., callbacks=[...])`` sets ``callback.model`` to the model it
    trains, then calls, on every callback in order:

    - ``on_train_begin(history)`` once, before the first step;
    - ``on_epoch_end(epoch, history)`` after each recorded epoch (``epoch``
      counts from 1), when the lists of ``history`` hold that epoch's values
      at index ``-1``; a true return value stops training after this epoch
      (every callback still sees it);
    - ``on_train_end(history)`` once at the end, whether ``fit`` ran every
      epoch, was stopped or diverged (``history.diverged``).

    A diverging epoch is not recorded, so it gets no ``on_epoch_end``.
    :class:`EarlyStopping` is a callback; a live learning-curve figure is
    another (it redraws in ``on_epoch_end``).
    """

    model = None

    def on_train_begin(self, history: History) -> None:
        """Called once, before the first step."""

    def on_epoch_end(self, epoch: int, history: History) -> bool:
        """Called after each recorded epoch; return True to stop training."""
        return False

    def on_train_end(self, history: History) -> None:
        """Called once, after the last epoch."""


class EarlyStopping(Callback):
    """Stop when the validation loss stops improving, and keep the best weights (Chapter 3).

    An epoch improves when its validation loss beats the best so far by more
    than ``min_delta``:

    .. math:: J_\\text{val}^{(t)} < J_\\text{best} - \\delta .

    Training stops after ``patience`` epochs in a row without improvement.
    With ``restore_best_weights`` the model ends with its ``state_dict`` from
    ``best_epoch``, the last epoch that improved (also when ``fit`` runs every
    epoch or diverges); the optimizer keeps its state from the last step.
    With ``min_delta=0``, ``best_epoch`` is ``history.best_epoch``. It watches
    the validation loss, so ``fit`` needs ``validation_data``;
    ``fit(..., patience=p)`` is ``fit(..., callbacks=[EarlyStopping(p)])``.
    """

    def __init__(self, patience: int, min_delta: float = 0.0, restore_best_weights: bool = True):
        self.patience = check_number(patience, "patience", low=1, integer=True)
        self.min_delta = check_number(min_delta, "min_delta", low=0)
        self.restore_best_weights = check_flag(restore_best_weights, "restore_best_weights")
        self.best_loss, self.best_epoch = np.inf, None

    def on_train_begin(self, history: History) -> None:
        self.best_loss, self.best_epoch, self.waited, self._best_state = np.inf, None, 0, None

    def on_epoch_end(self, epoch: int, history: History) -> bool:
        loss = history.val_loss[-1]
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.waited = loss, epoch, 0
            if self.restore_best_weights:
                self._best_state = self.model.state_dict()
        else:
            self.waited += 1
        return self.waited >= self.patience

    def on_train_end(self, history: History) -> None:
        if self._best_state is not None:
            self.model.load_state_dict(self._best_state)

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
            f"restore_best_weights={self.restore_best_weights})"
        )


class _Progress(Callback):
    """``fit(..., verbose=True)``: one line per epoch, and one more if training diverged."""

    ORDER = ("train_loss", "train_metric", "val_loss", "val_metric", "grad_norm")

    def __init__(self, epochs: int):
        self.epochs = epochs

    def on_epoch_end(self, epoch: int, history: History) -> bool:
        values = "  ".join(f"{key} {history[key][-1]:.4g}" for key in self.ORDER if history[key])
        print(f"epoch {epoch}/{self.epochs}  {values}")
        return False

    def on_train_end(self, history: History) -> None:
        if history.diverged:
            print(f"diverged in epoch {history.stopped_epoch}: the loss became non-finite or huge")


# -- argument checks ---------------------------------------------------------------
def _check_model(model) -> None:
    for method in ("forward", "backward", "train", "eval", "parameters", "modules", "state_dict", "load_state_dict"):
        if not callable(getattr(model, method, None)):
            raise TypeError(f"model must be a dlnotes.nn.Module (with {method}), got {_show(model)}")


def _check_loss(loss_fn) -> None:
    if not callable(loss_fn) or not callable(getattr(loss_fn, "backward", None)):
        raise TypeError(f"loss_fn must be a loss object of dlnotes.losses (such as MSELoss()), got {_show(loss_fn)}")
    reduction = getattr(loss_fn, "reduction", "mean")
    if reduction != "mean":
        raise ValueError(f"loss_fn must use reduction='mean' for training, got reduction={reduction!r}")


def _check_optimizer(optimizer) -> None:
    for method in ("step", "zero_grad"):
        if not callable(getattr(optimizer, method, None)):
            raise TypeError(f"optimizer must be a dlnotes.optim optimizer (with {method}), got {_show(optimizer)}")


def _check_metric(metric, loss_fn) -> Callable | None:
    """The metric as a function ``(outputs, y) -> float``, or None; accuracy reads outputs as ``loss_fn`` does."""
    from .metrics import accuracy

    if metric is None or callable(metric):
        return metric
    if not isinstance(metric, str):
        raise TypeError(
            f"metric must be None, one of {list(METRICS)} or a callable (outputs, y) -> float, got {_show(metric)}"
        )
    check_choice(metric, "metric", METRICS)
    for loss_class, threshold in ACCURACY_THRESHOLDS:
        if isinstance(loss_fn, loss_class):
            return partial(accuracy, threshold=threshold)
    names = ", ".join(loss_class.__name__ for loss_class, _ in ACCURACY_THRESHOLDS)
    raise ValueError(
        f"metric='accuracy' needs a classification loss ({names}) to know how outputs become classes, "
        f"got loss_fn={_show(loss_fn)}; pass a callable instead, such as "
        "metric=lambda outputs, y: dlnotes.metrics.accuracy(outputs, y, threshold=0.5)"
    )


def _check_data(X, y, name_x: str, name_y: str) -> tuple[np.ndarray, np.ndarray]:
    X = as_float_array(X, name_x, ndim=2)
    y = as_array(y, name_y)
    if y.dtype.kind not in "biuf":
        raise TypeError(f"{name_y} must be an array of numbers, got {_show(y)}")
    if y.ndim == 0 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{name_y} must have one row per row of {name_x} ({X.shape[0]}), got shape {y.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{name_x} must hold at least one sample, got shape {X.shape}")
    return X, y


def _check_validation(validation_data, X) -> tuple[np.ndarray, np.ndarray] | None:
    if validation_data is None:
        return None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise TypeError(f"validation_data must be a pair (X_val, y_val) or None, got {_show(validation_data)}")
    X_val, y_val = _check_data(*validation_data, "validation_data[0]", "validation_data[1]")
    if X_val.shape[1] != X.shape[1]:
        raise ValueError(f"validation_data[0] must have {X.shape[1]} columns like X, got shape {X_val.shape}")
    return X_val, y_val


def _check_callbacks(callbacks, patience, validation, epochs: int, verbose: bool) -> list[Callback]:
    """The callbacks ``fit`` calls: the given ones, then early stopping for ``patience``, then the printing."""
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"callbacks must be a list of dlnotes.train.Callback objects, got {_show(callbacks)}")
    for i, callback in enumerate(callbacks):
        if not isinstance(callback, Callback):
            raise TypeError(f"callbacks[{i}] must be a dlnotes.train.Callback, got {_show(callback)}")
        if isinstance(callback, EarlyStopping) and validation is None:
            raise ValueError(f"callbacks[{i}] {callback!r} needs validation_data: it watches the validation loss")
    callbacks = list(callbacks)
    if patience is not None:
        callbacks.append(EarlyStopping(patience))
        if validation is None:
            raise ValueError(f"patience={patience!r} needs validation_data: early stopping watches the validation loss")
    return callbacks + [_Progress(epochs)] if verbose else callbacks


def _check_batches(model, loader) -> None:
    """Refuse batch sizes that leave no batch, or a batch of one example where BatchNorm needs two."""
    from .nn.batchnorm import BatchNorm1d

    n, size, drop_last = len(loader.X), loader.batch_size, loader.drop_last
    if len(loader) == 0:
        raise ValueError(
            f"batch_size={size} with drop_last=True leaves no batch of the {n} rows of X: "
            "pass a smaller batch_size or drop_last=False"
        )
    smallest = size if drop_last or n % size == 0 else n % size
    if smallest == 1 and any(isinstance(module, BatchNorm1d) for module in model.modules()):
        advice = "use batch_size >= 2" if size == 1 else "pass drop_last=True or another batch_size"
        raise ValueError(
            f"batch_size={size} with drop_last={drop_last} gives a batch of 1 example of the {n} rows of X, "
            f"and BatchNorm1d needs at least 2 in training mode: {advice}"
        )


def _check_fits(model, loss_fn, X, y, name_x: str, name_y: str) -> None:
    """Run the model (in evaluation mode) and the loss once on all the data, before any step.

    Data the model or the loss refuses (a wrong number of features, a label
    out of range, a NaN target) then fails at once, named as ``fit`` names
    it, before the weights have moved.
    """
    from .nn.module import no_grad

    with _eval_mode(model), no_grad():
        try:
            outputs = model(X)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{name_x} does not suit the model: {exc}") from exc
    try:
        copy.copy(loss_fn)(outputs, y)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{name_y} does not suit the loss: {exc}") from exc


# -- evaluation ------------------------------------------------------------------
@contextmanager
def _eval_mode(model):
    """Evaluation mode for the duration of a block; the model's mode is restored afterwards."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


def _predict(model, X: np.ndarray, batch_size: int) -> np.ndarray:
    from .nn.module import no_grad

    with _eval_mode(model), no_grad():
        if X.shape[0] <= batch_size:
            return model(X)
        return np.concatenate([model(X[i : i + batch_size]) for i in range(0, X.shape[0], batch_size)])


def _evaluate(model, loss_fn, X, y, metric_fn) -> tuple[float, float | None]:
    outputs = _predict(model, X, X.shape[0])
    loss = float(copy.copy(loss_fn)(outputs, y))  # a copy: loss_fn keeps what its backward needs
    return loss, (None if metric_fn is None else float(metric_fn(outputs, y)))


def predict(model, X, batch_size: int | None = None) -> np.ndarray:
    """The network's outputs :math:`f(X; \\theta)` in evaluation mode (Chapters 7-9).

    Dropout is the identity and BatchNorm uses its running statistics
    (Chapters 7 and 8); the model's mode is restored afterwards. It runs
    under :class:`dlnotes.nn.no_grad`, keeping nothing for backward, so a
    prediction between a training forward and its backward changes nothing.
    With a ``batch_size`` the rows go through in chunks of that size (less
    memory, the same outputs up to rounding); ``None`` sends them all at once.
    """
    _check_model(model)
    X = as_float_array(X, "X", ndim=2)
    if batch_size is None:
        batch_size = max(X.shape[0], 1)
    return _predict(model, X, check_number(batch_size, "batch_size", low=1, integer=True))


def evaluate(model, loss_fn, X, y, metric=None) -> tuple[float, float | None]:
    """The loss :math:`J = \\frac{1}{N}\\sum_i L(y_i, f(x_i; \\theta))` and a metric on ``(X, y)`` (Chapter 3).

    Runs in evaluation mode and under ``no_grad`` (see :func:`predict`), and
    a copy of ``loss_fn`` measures, so the model and the loss both keep what
    the backward of a training step in progress needs. Returns
    ``(loss, metric_value)``; ``metric_value`` is None when ``metric`` is
    None. ``metric`` is ``"accuracy"`` or a callable ``(outputs, y) -> float``.
    ``"accuracy"`` reads one output column as ``loss_fn`` does (see
    ``ACCURACY_THRESHOLDS``: probabilities of ``BCELoss`` above 1/2, logits
    and margins above 0) and is refused with a regression loss.
    """
    _check_model(model)
    _check_loss(loss_fn)
    metric_fn = _check_metric(metric, loss_fn)
    X, y = _check_data(X, y, "X", "y")
    return _evaluate(model, loss_fn, X, y, metric_fn)


def _full_gradient_norm(model, loss_fn, X, y) -> float:
    from .nn.module import _backward

    with _eval_mode(model):
        model.zero_grad()
        loss_fn(model(X), y)
        _backward(model, loss_fn.backward(), input_grad=False)  # ∂L/∂x is never used
        total = sum(float(np.sum(np.square(p.grad, dtype=np.float64))) for p in model.parameters())
        model.zero_grad()
    return float(np.sqrt(total))


def full_gradient_norm(model, loss_fn, X, y) -> float:
    """Norm of the full training-set gradient (Chapter 3).

    .. math::

        \\lVert \\nabla_\\theta J(\\theta) \\rVert_2
        = \\sqrt{\\textstyle\\sum_p \\lVert \\partial J / \\partial p \\rVert^2},
        \\qquad J(\\theta) = \\frac{1}{N} \\sum_{i=1}^N L(y_i, f(x_i; \\theta)),

    summed over every parameter array ``p``, with :math:`J` the mean loss
    over all of ``(X, y)`` in evaluation mode (deterministic: no dropout,
    BatchNorm with running statistics, which it does not update). The parameters' ``.grad`` are zero afterwards.
    Early stopping typically stops where this norm is still far from 0:
    training ends at a stopping criterion, not at a minimum.
    """
    _check_model(model)
    _check_loss(loss_fn)
    X, y = _check_data(X, y, "X", "y")
    return _full_gradient_norm(model, loss_fn, X, y)


# -- training --------------------------------------------------------------------
# A diverging run (too large a learning rate, Chapter 3) overflows by design:
# the parameters grow until the loss is inf or NaN. ``fit`` detects this from
# the numbers it computes and reports it in ``History.diverged``, so NumPy's
# overflow/invalid/divide warnings are silenced there -- and only around the
# training step and the end-of-epoch measurements, whose results are checked
# right after.
def _quiet():
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


class _DivergenceTest:
    """True for a minibatch loss that is not finite or above ``DIVERGENCE_FACTOR * max(1, first minibatch loss)``."""

    def __init__(self):
        self.first_loss = None

    def __call__(self, loss: float) -> bool:
        if self.first_loss is None:
            self.first_loss = loss
        return not np.isfinite(loss) or loss > DIVERGENCE_FACTOR * max(1.0, self.first_loss)


def _train_epoch(model, loss_fn, optimizer, loader, metric_fn, diverged) -> dict[str, float] | None:
    """One epoch of minibatch steps in training mode: the weighted mean loss (and metric), or None on divergence."""
    from .nn.module import _backward

    model.train()
    parameters = model.parameters()
    n_seen, loss_sum, metric_sum = 0, 0.0, 0.0
    for X_batch, y_batch in loader:
        with _quiet():
            outputs = model(X_batch)
            loss = float(loss_fn(outputs, y_batch)) if all_finite(outputs) else np.inf
            if diverged(loss):
                return None
            optimizer.zero_grad()
            _backward(model, loss_fn.backward(), input_grad=False)  # ∂L/∂x is never used
            if not all(all_finite(p.grad) for p in parameters):
                return None
            optimizer.step()
        n_seen += len(X_batch)
        loss_sum += loss * len(X_batch)
        if metric_fn is not None:
            metric_sum += float(metric_fn(outputs, y_batch)) * len(X_batch)
    if not all(all_finite(p.data) for p in parameters):
        return None
    entry = {"train_loss": loss_sum / n_seen}
    if metric_fn is not None:
        entry["train_metric"] = metric_sum / n_seen
    return entry


def _measure(model, loss_fn, metric_fn, entry, X, y, validation, grad_norm: bool) -> dict[str, float] | None:
    """Add the end-of-epoch measurements (evaluation mode) to ``entry``; None if any value is not finite."""
    with _quiet():
        if validation is not None:
            entry["val_loss"], val_metric = _evaluate(model, loss_fn, *validation, metric_fn)
            if metric_fn is not None:
                entry["val_metric"] = val_metric
        if grad_norm:
            entry["grad_norm"] = _full_gradient_norm(model, loss_fn, X, y)
    return entry if all(np.isfinite(value) for value in entry.values()) else None


def fit(
    model,
    loss_fn,
    optimizer,
    X,
    y,
    *,
    epochs: int,
    batch_size: int = 32,
    validation_data=None,
    metric=None,
    patience: int | None = None,
    callbacks=(),
    shuffle: bool = True,
    drop_last: bool = False,
    rng=None,
    grad_norm: bool = False,
    verbose: bool = False,
) -> History:
    """Train ``model`` by minibatch gradient descent and return its :class:`History` (Chapters 3 and 9).

    Each epoch draws minibatches of ``batch_size`` rows (a fresh permutation
    per epoch when ``shuffle``, from ``rng``; the last batch may be smaller,
    or dropped with ``drop_last``) and for each one, in training mode,
    computes the loss
    :math:`L_B = \\frac{1}{|B|}\\sum_{i\\in B} L(y_i, f(x_i;\\theta))`, back-propagates
    it and calls ``optimizer.step()``. After the epoch, in evaluation mode,
    it measures the validation loss and metric and, with ``grad_norm=True``,
    :func:`full_gradient_norm` on the training set, records them in the
    history and calls each callback's ``on_epoch_end``.

    Parameters
    ----------
    model : dlnotes.nn.Module
    loss_fn : a loss object of ``dlnotes.losses`` with ``reduction="mean"``.
    optimizer : an optimizer of ``dlnotes.optim`` over ``model.parameters()``.
    X, y : training inputs of shape (N, features) and targets with N rows.
    epochs : int >= 1, the most epochs to run.
    batch_size : int >= 1.
    validation_data : a pair ``(X_val, y_val)`` or None.
    metric : None, ``"accuracy"`` or a callable ``(outputs, y) -> float``.
        ``"accuracy"`` (see :func:`dlnotes.metrics.accuracy`) reads the
        outputs as ``loss_fn`` does: the arg-max of ``CrossEntropyLoss``'s
        columns, a probability of ``BCELoss`` above 1/2, a logit or margin
        (``BCEWithLogitsLoss``, ``SoftMarginLoss``, ...) above 0. It is
        refused with a regression loss.
    patience : int >= 1 or None. Early stopping (Chapter 3): the same as
        ``callbacks=[EarlyStopping(patience)]`` -- stop once the validation
        loss has not gone below its best value for ``patience`` epochs in a
        row, and end with the best epoch's weights (also when ``fit`` runs
        all epochs or diverges); the optimizer keeps its state from the last
        step. Needs ``validation_data``.
    callbacks : a list of :class:`Callback` objects, called in order (see
        :class:`Callback` for the hooks).
    shuffle : bool, reshuffle the training set every epoch (Chapter 3).
    drop_last : bool, drop the last, smaller batch of each epoch (as
        :class:`~dlnotes.data.DataLoader` does). A model with BatchNorm
        needs it when that batch would hold a single example.
    rng : numpy Generator, int seed or None, for the shuffling. A Generator
        is used in place, so two ``fit`` calls sharing it continue one
        sequence of permutations.
    grad_norm : bool, record :func:`full_gradient_norm` after every epoch.
    verbose : bool, print one line per epoch.

    Returns
    -------
    History
        ``train_loss`` is the batch-size-weighted mean of the minibatch
        losses of the epoch, :math:`\\sum_B |B| L_B / N` -- the numbers the
        optimizer saw as the weights moved, at no extra cost. It lags the
        loss at the end of the epoch by about half an epoch; for that value
        call :func:`evaluate` on the training set.

    Notes
    -----
    Before the first step the model and the loss run once on all the data,
    so data they refuse (a label out of range, a NaN target, the wrong
    number of features) raises at once, naming ``X`` or ``y``; so does a
    ``batch_size`` that leaves BatchNorm a batch of one example, or, with
    ``drop_last``, no batch at all.

    Divergence: if the outputs or a minibatch loss are NaN, infinite or above
    ``DIVERGENCE_FACTOR`` times the first minibatch loss (at least 1), or a
    gradient or parameter stops being finite, training stops with
    ``history.diverged = True`` and the diverging epoch is not recorded.
    NumPy's floating-point warnings are silenced only around the training
    step and the end-of-epoch measurements, because overflow is the expected
    symptom of a too large learning rate and is reported through the
    history instead.
    """
    from .data.loader import DataLoader

    _check_model(model)
    _check_loss(loss_fn)
    _check_optimizer(optimizer)
    X, y = _check_data(X, y, "X", "y")
    epochs = check_number(epochs, "epochs", low=1, integer=True)
    validation = _check_validation(validation_data, X)
    metric_fn = _check_metric(metric, loss_fn)
    callbacks = _check_callbacks(callbacks, patience, validation, epochs, check_flag(verbose, "verbose"))
    grad_norm = check_flag(grad_norm, "grad_norm")
    _check_fits(model, loss_fn, X, y, "X", "y")
    if validation is not None:
        _check_fits(model, loss_fn, *validation, "validation_data[0]", "validation_data[1]")
    loader = DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, rng=rng)
    _check_batches(model, loader)

    model._forget_passes()  # no forward run before fit is one it back-propagates
    history, diverged = History(), _DivergenceTest()
    for callback in callbacks:
        callback.model = model
        callback.on_train_begin(history)
    for epoch in range(1, epochs + 1):
        history.stopped_epoch = epoch
        entry = _train_epoch(model, loss_fn, optimizer, loader, metric_fn, diverged)
        if entry is not None:
            entry = _measure(model, loss_fn, metric_fn, entry, X, y, validation, grad_norm)
        if entry is None:
            history.diverged = True
            model._forget_passes()  # the diverging step's forward is never back-propagated
            break
        history.record(entry)
        if any([callback.on_epoch_end(epoch, history) for callback in callbacks]):
            break
    for callback in callbacks:
        callback.on_train_end(history)
    return history
