"""The training loop: ``fit``, ``evaluate``, ``predict`` and the metrics (chapters 3 and 9).

One epoch of minibatch stochastic gradient descent (Chapter 3) is

.. math::

    \\text{for each minibatch } B:\\quad
    \\theta \\leftarrow \\mathrm{step}\\Big(\\theta,\\;
    \\nabla_\\theta \\tfrac{1}{|B|} \\textstyle\\sum_{i \\in B} L(y_i, f(x_i; \\theta))\\Big),

where the minibatches come from a fresh random permutation of the training
set and ``step`` is any optimizer of ``dlnotes.optim``. ``fit`` runs epochs,
records the learning curves in a :class:`History`, and can stop early when
the validation loss stops improving (Chapter 3, early stopping).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from ._validation import _show, as_float_array, as_generator, check_choice, check_flag, check_number
from .data import DataLoader
from .nn.module import no_grad

#: A minibatch loss above ``DIVERGENCE_FACTOR * max(1, first minibatch loss)``
#: counts as divergence, as does a NaN or infinite loss (Chapter 3).
DIVERGENCE_FACTOR = 1e6

#: Metrics that ``fit`` and ``evaluate`` accept by name.
METRICS = ("accuracy",)


@dataclass
class History:
    """The learning curves of one ``fit`` run (Chapter 3), one entry per completed epoch.

    Each series is a list indexed by ``epoch - 1`` (epochs count from 1, as
    in the figures; ``history.epochs`` gives the x-axis ``[1, 2, ...]``):

    - ``train_loss``: :math:`\\bar L = \\sum_B |B| \\, L_B / N`, the loss of
      every minibatch of the epoch weighted by its size (what the optimizer
      saw, in training mode);
    - ``train_metric``: the metric averaged over the minibatches the same way;
    - ``val_loss``, ``val_metric``: on the validation set after the epoch,
      in evaluation mode;
    - ``grad_norm``: :math:`\\lVert \\nabla_\\theta J(\\theta) \\rVert_2`, the
      norm of the full training-set gradient after the epoch.

    A series that was not measured is an empty list. ``history["val_loss"]``
    and ``history.val_loss`` are the same list; ``history.keys()`` names the
    measured series.

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


# -- metrics -------------------------------------------------------------------
def _as_labels(y, name: str) -> np.ndarray:
    """Integer-valued class labels as an int64 array."""
    arr = np.asarray(y)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold class labels (integers), got {_show(y)}")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr) & (arr == np.round(arr))):
        raise ValueError(f"{name} must hold integer class labels, got {_show(arr)}")
    return arr.astype(np.int64)


def _check_outputs(outputs) -> np.ndarray:
    """Network outputs of shape (N,), (N, 1) or (N, C) with N >= 1."""
    outputs = as_float_array(outputs, "outputs", finite=False)
    if outputs.ndim not in (1, 2) or outputs.shape[0] == 0:
        raise ValueError(f"outputs must have shape (N,), (N, 1) or (N, C) with N >= 1, got shape {outputs.shape}")
    return outputs


def predicted_classes(outputs, *, threshold: float = 0.0, negative_label: int = 0) -> np.ndarray:
    """The class a network's outputs predict (Chapter 9).

    .. math::

        \\hat y_i = \\arg\\max_c \\, o_{ic} \\quad \\text{for outputs of shape } (N, C),\\ C \\ge 2;
        \\qquad
        \\hat y_i = \\begin{cases} 1 & o_i > \\text{threshold} \\\\
        \\text{negative\\_label} & \\text{otherwise} \\end{cases}
        \\quad \\text{for shape } (N,) \\text{ or } (N, 1).

    A single output is read as a logit or a score (``threshold=0``: the
    sigmoid of the logit is above 1/2, or the margin's sign is positive); pass
    ``threshold=0.5`` for probabilities. ``negative_label`` is 0 for labels in
    {0, 1} and -1 for labels in {-1, +1}. Returns int64 labels of shape (N,).
    """
    outputs = _check_outputs(outputs)
    check_number(threshold, "threshold")
    if isinstance(negative_label, bool) or negative_label not in (0, -1):
        raise ValueError(f"negative_label must be 0 or -1, got {_show(negative_label)}")
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        return np.argmax(outputs, axis=1)
    return np.where(outputs.reshape(-1) > threshold, 1, negative_label).astype(np.int64)


def accuracy(outputs, y, *, threshold: float = 0.0) -> float:
    """Fraction of correct predictions (Chapter 9): :math:`\\frac{1}{N}\\sum_i [\\hat y_i = y_i]`.

    For outputs of shape ``(N, C)`` the prediction is the arg-max class and
    ``y`` holds class indices in ``0..C-1``. For shape ``(N,)`` or ``(N, 1)``
    the output is a logit or score and the prediction is the positive class
    where it exceeds ``threshold`` (0 by default; 0.5 for probabilities);
    ``y`` holds labels in {0, 1} or in {-1, +1} (a label -1 anywhere means
    the second convention). ``y`` may have shape ``(N,)`` or ``(N, 1)``.
    This is one minus the mean 0-1 loss of Chapter 2.
    """
    outputs = _check_outputs(outputs)
    labels = _as_labels(y, "y")
    n = outputs.shape[0]
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.reshape(-1)
    if labels.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match outputs {outputs.shape}, got shape {labels.shape}")
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        n_classes = outputs.shape[1]
        if labels.min() < 0 or labels.max() >= n_classes:
            raise ValueError(f"y must hold class indices in [0, {n_classes - 1}], got {_show(labels)}")
        negative = 0
    else:
        values = set(np.unique(labels).tolist())
        if not (values <= {0, 1} or values <= {-1, 1}):
            raise ValueError(f"y must hold labels in {{0, 1}} or {{-1, 1}}, got {_show(labels)}")
        negative = -1 if -1 in values else 0
    predicted = predicted_classes(outputs, threshold=threshold, negative_label=negative)
    return float(np.mean(predicted == labels))


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Counts :math:`C_{ij} = \\#\\{k : y_k = i,\\ \\hat y_k = j\\}` of true class i predicted as j (Chapter 9).

    Rows are true classes, columns predicted ones; the diagonal holds the
    correct predictions, so ``trace(C) / N`` is the accuracy. Labels are
    class indices in ``0..n_classes-1`` (``n_classes`` defaults to the
    largest label plus one). Use :func:`predicted_classes` to turn outputs
    into ``y_pred``.
    """
    y_true = _as_labels(y_true, "y_true")
    y_pred = _as_labels(y_pred, "y_pred")
    if y_true.ndim != 1:
        raise ValueError(f"y_true must be 1-D, got shape {y_true.shape}")
    if y_pred.shape != y_true.shape:
        raise ValueError(f"y_pred must have the shape of y_true {y_true.shape}, got shape {y_pred.shape}")
    if n_classes is None:
        n_classes = int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1
    check_number(n_classes, "n_classes", low=1, integer=True)
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"{name} must hold class indices in [0, {n_classes - 1}], got {_show(labels)}")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


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


def _check_model(model) -> None:
    for method in ("forward", "backward", "train", "eval", "parameters", "state_dict", "load_state_dict"):
        if not callable(getattr(model, method, None)):
            raise TypeError(f"model must be a dlnotes.nn.Module (with {method}), got {_show(model)}")


def _check_loss(loss_fn) -> None:
    if not callable(loss_fn) or not callable(getattr(loss_fn, "backward", None)):
        raise TypeError(f"loss_fn must be a loss object of dlnotes.losses (such as MSELoss()), got {_show(loss_fn)}")
    reduction = getattr(loss_fn, "reduction", "mean")
    if reduction != "mean":
        raise ValueError(f"loss_fn must use reduction='mean' for training, got reduction={reduction!r}")


def _check_metric(metric) -> Callable | None:
    """The metric as a function ``(outputs, y) -> float``, or None."""
    if metric is None or callable(metric):
        return metric
    if isinstance(metric, str):
        check_choice(metric, "metric", METRICS)
        return accuracy
    raise TypeError(f"metric must be None, one of {list(METRICS)} or a callable (outputs, y) -> float, got {_show(metric)}")


def _check_data(X, y, name_x: str, name_y: str) -> tuple[np.ndarray, np.ndarray]:
    X = as_float_array(X, name_x, ndim=2)
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise TypeError(f"{name_y} must be an array of numbers, got {_show(y)}")
    if y.ndim == 0 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{name_y} must have one row per row of {name_x} ({X.shape[0]}), got shape {y.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{name_x} must hold at least one sample, got shape {X.shape}")
    return X, y


def _check_fits(model, loss_fn, X, y, name_x: str, name_y: str) -> None:
    """Run the model (in evaluation mode) and the loss once on all the data, before any step.

    Data the model or the loss refuses (a wrong number of features, a label
    out of range, a NaN target) then fails at once, named as ``fit`` names
    it, before the weights have moved.
    """
    was_training = model.training
    model.eval()
    try:
        try:
            with no_grad():
                outputs = model(X)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{name_x} does not suit the model: {exc}") from exc
        try:
            loss_fn(outputs, y)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{name_y} does not suit the loss: {exc}") from exc
    finally:
        model.train(was_training)


def predict(model, X, batch_size: int | None = None) -> np.ndarray:
    """The network's outputs :math:`f(X; \\theta)` in evaluation mode (Chapters 7-9).

    Dropout is the identity and BatchNorm uses its running statistics
    (Chapters 7 and 8); the model's mode is restored afterwards. With a
    ``batch_size`` the rows go through in chunks of that size (less memory,
    the same outputs up to rounding); ``None`` sends them all at once.
    """
    _check_model(model)
    X = as_float_array(X, "X", ndim=2)
    if batch_size is None:
        batch_size = max(X.shape[0], 1)
    check_number(batch_size, "batch_size", low=1, integer=True)
    with _eval_mode(model), no_grad():
        if X.shape[0] <= batch_size:
            return model(X)
        return np.concatenate([model(X[i : i + batch_size]) for i in range(0, X.shape[0], batch_size)])


def evaluate(model, loss_fn, X, y, metric=None) -> tuple[float, float | None]:
    """The loss :math:`J = \\frac{1}{N}\\sum_i L(y_i, f(x_i; \\theta))` and a metric on ``(X, y)`` (Chapter 3).

    Runs in evaluation mode (see :func:`predict`) and returns
    ``(loss, metric_value)``; ``metric_value`` is None when ``metric`` is
    None. ``metric`` is ``"accuracy"`` or a callable ``(outputs, y) -> float``.
    """
    _check_model(model)
    _check_loss(loss_fn)
    metric_fn = _check_metric(metric)
    X, y = _check_data(X, y, "X", "y")
    outputs = predict(model, X)
    loss = float(loss_fn(outputs, y))
    return loss, (None if metric_fn is None else float(metric_fn(outputs, y)))


# -- training --------------------------------------------------------------------
# A diverging run (too large a learning rate, Chapter 3) overflows by design:
# the parameters grow until the loss is inf or NaN. ``fit`` detects this from
# the numbers it computes (``_diverged``) and reports it in
# ``History.diverged``, so NumPy's overflow/invalid/divide warnings are
# silenced there -- and only around the training step and the end-of-epoch
# measurements, whose results are checked right after.
def _quiet():
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def _diverged(loss: float, first_loss: float) -> bool:
    return not np.isfinite(loss) or loss > DIVERGENCE_FACTOR * max(1.0, first_loss)


def _all_finite(arrays) -> bool:
    return all(np.all(np.isfinite(a)) for a in arrays)


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
    with _eval_mode(model):
        model.zero_grad()
        loss_fn(model(X), y)
        model.backward(loss_fn.backward())
        total = sum(float(np.sum(np.square(p.grad, dtype=np.float64))) for p in model.parameters())
        model.zero_grad()
    return float(np.sqrt(total))


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
    shuffle: bool = True,
    rng=None,
    grad_norm: bool = False,
    verbose: bool = False,
) -> History:
    """Train ``model`` by minibatch gradient descent and return its :class:`History` (Chapters 3 and 9).

    Each epoch draws minibatches of ``batch_size`` rows (a fresh permutation
    per epoch when ``shuffle``, from ``rng``; the last batch may be smaller)
    and for each one, in training mode, computes the loss
    :math:`L_B = \\frac{1}{|B|}\\sum_{i\\in B} L(y_i, f(x_i;\\theta))`, back-propagates
    it and calls ``optimizer.step()``. After the epoch, in evaluation mode,
    it measures the validation loss and metric and, with ``grad_norm=True``,
    :func:`full_gradient_norm` on the training set.

    Parameters
    ----------
    model : dlnotes.nn.Module
    loss_fn : a loss object of ``dlnotes.losses`` with ``reduction="mean"``.
    optimizer : an optimizer of ``dlnotes.optim`` over ``model.parameters()``.
    X, y : training inputs of shape (N, features) and targets with N rows.
    epochs : int >= 1, the most epochs to run.
    batch_size : int >= 1.
    validation_data : a pair ``(X_val, y_val)`` or None.
    metric : None, ``"accuracy"`` (see :func:`accuracy`) or a callable
        ``(outputs, y) -> float``.
    patience : int >= 1 or None. Early stopping (Chapter 3): stop once the
        validation loss has not gone below its best value for ``patience``
        epochs in a row, and load into ``model`` its ``state_dict`` from the
        best epoch. With ``patience``, ``fit`` always ends with the best
        epoch's weights (also when it runs all epochs or diverges); the
        optimizer keeps its state from the last step. Needs
        ``validation_data``.
    shuffle : bool, reshuffle the training set every epoch (Chapter 3).
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
    number of features) raises at once, naming ``X`` or ``y``.

    Divergence: if the outputs or a minibatch loss are NaN, infinite or above
    ``DIVERGENCE_FACTOR`` times the first minibatch loss (at least 1), or a
    gradient or parameter stops being finite, training stops with
    ``history.diverged = True`` and the diverging epoch is not recorded.
    NumPy's floating-point warnings are silenced only around the training
    step and the end-of-epoch measurements, because overflow is the expected
    symptom of a too large learning rate and is reported through the
    history instead.
    """
    _check_model(model)
    _check_loss(loss_fn)
    for method in ("step", "zero_grad"):
        if not callable(getattr(optimizer, method, None)):
            raise TypeError(f"optimizer must be a dlnotes.optim optimizer (with {method}), got {_show(optimizer)}")
    X, y = _check_data(X, y, "X", "y")
    check_number(epochs, "epochs", low=1, integer=True)
    check_number(batch_size, "batch_size", low=1, integer=True)
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError(f"validation_data must be a pair (X_val, y_val) or None, got {_show(validation_data)}")
        X_val, y_val = _check_data(*validation_data, "validation_data[0]", "validation_data[1]")
        if X_val.shape[1] != X.shape[1]:
            raise ValueError(f"validation_data[0] must have {X.shape[1]} columns like X, got shape {X_val.shape}")
    metric_fn = _check_metric(metric)
    if patience is not None:
        check_number(patience, "patience", low=1, integer=True)
        if validation_data is None:
            raise ValueError(f"patience={patience!r} needs validation_data: early stopping watches the validation loss")
    shuffle = check_flag(shuffle, "shuffle")
    grad_norm = check_flag(grad_norm, "grad_norm")
    verbose = check_flag(verbose, "verbose")
    model._forget_passes()  # no forward run before fit is one it back-propagates
    _check_fits(model, loss_fn, X, y, "X", "y")
    if validation_data is not None:
        _check_fits(model, loss_fn, X_val, y_val, "validation_data[0]", "validation_data[1]")
    loader = DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, drop_last=False, rng=as_generator(rng))

    history = History()
    first_loss = None
    best_loss, best_state, waited = np.inf, None, 0
    for epoch in range(1, epochs + 1):
        history.stopped_epoch = epoch
        model.train()
        loss_sum, metric_sum = 0.0, 0.0
        for X_batch, y_batch in loader:
            with _quiet():
                outputs = model(X_batch)
                if not np.all(np.isfinite(outputs)):
                    history.diverged = True
                    break
                loss = float(loss_fn(outputs, y_batch))
                first_loss = loss if first_loss is None else first_loss
                if _diverged(loss, first_loss):
                    history.diverged = True
                    break
                optimizer.zero_grad()
                model.backward(loss_fn.backward())
                if not _all_finite(p.grad for p in model.parameters()):
                    history.diverged = True
                    break
                optimizer.step()
            loss_sum += loss * len(X_batch)
            if metric_fn is not None:
                metric_sum += float(metric_fn(outputs, y_batch)) * len(X_batch)
        if history.diverged or not _all_finite(p.data for p in model.parameters()):
            history.diverged = True
            break

        entry = {"train_loss": loss_sum / len(X)}
        if metric_fn is not None:
            entry["train_metric"] = metric_sum / len(X)
        with _quiet():
            if validation_data is not None:
                entry["val_loss"], val_metric = evaluate(model, loss_fn, X_val, y_val, metric_fn)
                if metric_fn is not None:
                    entry["val_metric"] = val_metric
            if grad_norm:
                entry["grad_norm"] = full_gradient_norm(model, loss_fn, X, y)
        if not all(np.isfinite(value) for value in entry.values()):
            history.diverged = True
            break
        for key, value in entry.items():
            history[key].append(value)
        if verbose:
            print(f"epoch {epoch}/{epochs}  " + "  ".join(f"{k} {v:.4g}" for k, v in entry.items()))

        if validation_data is not None:
            if entry["val_loss"] < best_loss:
                best_loss, history.best_epoch, waited = entry["val_loss"], epoch, 0
                if patience is not None:
                    best_state = model.state_dict()
            else:
                waited += 1
            if patience is not None and waited >= patience:
                break

    if best_state is not None:
        model.load_state_dict(best_state)
    if verbose and history.diverged:
        print(f"diverged in epoch {history.stopped_epoch}: the loss became non-finite or huge")
    return history
