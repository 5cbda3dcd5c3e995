"""Measurements for Chapter 9, putting it together (综合实践) on the handwritten digits.

- :func:`split_digits`: a stratified training, validation and test split;
- :class:`Recipe`: every choice of a training run (scaling, hidden widths, BatchNorm,
  dropout, optimizer, learning rate, epochs, patience), and :func:`build_model`,
  :func:`make_optimizer`, :func:`fit_scaler` and :func:`scale` that turn it
  into a network, an optimizer and the inputs it sees;
- :func:`train_recipe`: one seeded training run with early stopping, scored
  on the validation set;
- :func:`compare_recipes`: each recipe over several seeds, the mean and the
  spread of its validation scores, and :func:`verdict`, the rule that calls a
  difference a win only when it beats the seed-to-seed spread,
  :func:`spread_rule_false_rate`, how often that rule calls two equal recipes
  different, and :func:`paired_comparison`, the paired t statistic of the
  seed-by-seed differences with its p-value (:func:`t_test_p_value`);
- :func:`final_test`: the chosen run on the test set, once: accuracy,
  confusion matrix and the test digits it gets wrong;
- :func:`most_confused`: the off-diagonal cells of a confusion matrix, largest first.

Everything trains with ``dlnotes.train.fit``; no matplotlib here.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ... import nn
from ..._validation import _show, as_generator, check_choice, check_number
from ...activations import softmax
from ...data import train_test_split
from ...losses import CrossEntropyLoss
from ...metrics import accuracy, confusion_matrix, predicted_classes
from ...optim import SGD, Adam
from ...preprocessing import StandardScaler
from ...train import EarlyStopping, History, evaluate, fit, predict

#: How inputs are standardized (Chapter 5): one mean and standard deviation for
#: all pixels ("all_pixels"), or one per pixel ("per_pixel").
SCALINGS = ("all_pixels", "per_pixel")

#: The optimizers a recipe can name (Chapter 4).
OPTIMIZERS = {"adam": Adam, "sgd": SGD}


class DigitsSplit(NamedTuple):
    """Training, validation and test rows of a data set (Chapter 9): raw inputs ``X_*`` and labels ``y_*``."""

    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray


def split_digits(X, y, *, test_size: float = 0.2, val_size: float = 0.25, rng=0) -> DigitsSplit:
    """Split ``(X, y)`` into training, validation and test sets, each with the class proportions of ``y`` (Chapter 9).

    First ``test_size`` of the rows are held out as the test set; then
    ``val_size`` of the rest become the validation set. The defaults give
    60% / 20% / 20%. Both splits are stratified
    (:func:`dlnotes.data.train_test_split`) and drawn from one ``rng``.
    """
    rng = as_generator(rng)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=test_size, stratify=True, rng=rng)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=val_size, stratify=True, rng=rng)
    return DigitsSplit(X_train, X_val, X_test, y_train, y_val, y_test)


class Recipe(NamedTuple):
    """Every choice of one training run of Chapter 9; ``recipe._replace(dropout=0.0)`` changes one.

    - ``scaling``: ``"all_pixels"`` (one mean and standard deviation for all
      pixels, Chapter 5) or ``"per_pixel"``, both fitted on the training set;
    - ``hidden``: the widths of the hidden layers, e.g. ``(64, 64)``;
    - ``batch_norm``: a ``BatchNorm1d`` between each hidden layer and its ReLU (Chapter 7);
    - ``dropout``: the drop probability ``p`` after each ReLU, 0 for none (Chapter 8);
    - ``optimizer`` (``"adam"`` or ``"sgd"``) and its learning rate ``lr`` (Chapter 4);
    - ``epochs``, ``patience`` (early stopping on the validation loss,
      Chapters 3 and 8) and ``batch_size``.

    The weights start from He (Kaiming) uniform initialization (Chapter 6),
    the biases at zero.
    """

    scaling: str = "all_pixels"
    hidden: tuple = (64, 64)
    batch_norm: bool = True
    dropout: float = 0.2
    optimizer: str = "adam"
    lr: float = 0.01
    epochs: int = 30
    patience: int = 5
    batch_size: int = 128

    def check(self) -> "Recipe":
        """The recipe itself, after checking every field (ValueError or TypeError naming the field)."""
        check_choice(self.scaling, "scaling", SCALINGS)
        if not isinstance(self.hidden, tuple) or not self.hidden:
            raise TypeError(f"hidden must be a non-empty tuple of layer widths, got {_show(self.hidden)}")
        for i, width in enumerate(self.hidden):
            check_number(width, f"hidden[{i}]", low=1, integer=True)
        if not isinstance(self.batch_norm, (bool, np.bool_)):
            raise TypeError(f"batch_norm must be True or False, got {_show(self.batch_norm)}")
        check_number(self.dropout, "dropout", low=0, high=1, high_open=True)
        check_choice(self.optimizer, "optimizer", OPTIMIZERS)
        check_number(self.lr, "lr", low=0, low_open=True)
        for name in ("epochs", "patience", "batch_size"):
            check_number(getattr(self, name), name, low=1, integer=True)
        return self


def build_model(recipe: Recipe, n_features: int = 64, n_classes: int = 10, rng=None) -> nn.Sequential:
    """The capstone's network for ``recipe`` (Chapter 9).

    .. math::

        h_0 = x, \\qquad
        h_l = \\mathrm{Dropout}_{p_\\text{drop}}\\big(\\mathrm{ReLU}(\\mathrm{BN}(h_{l-1} W_l + b_l))\\big), \\qquad
        z = h_L W_{L+1} + b_{L+1},

    one block ``Linear -> [BatchNorm1d] -> ReLU -> [Dropout(p)]`` per entry
    of ``recipe.hidden``, then ``Linear(hidden[-1], n_classes)``; the
    bracketed layers only when the recipe asks for them. Every ``W`` is drawn
    by ``kaiming_uniform`` (He, gain :math:`\\sqrt 2`) from ``rng``, which also
    draws the dropout masks; every ``b`` starts at zero.
    """
    recipe = recipe.check()
    rng = as_generator(rng)
    layers, n_in = [], n_features
    for width in recipe.hidden:
        layers.append(nn.Linear(n_in, width, init="kaiming_uniform", rng=rng))
        if recipe.batch_norm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU())
        if recipe.dropout > 0:
            layers.append(nn.Dropout(recipe.dropout, rng=rng))
        n_in = width
    layers.append(nn.Linear(n_in, n_classes, init="kaiming_uniform", rng=rng))
    return nn.Sequential(*layers)


def make_optimizer(recipe: Recipe, parameters):
    """``Adam(parameters, lr)`` or plain ``SGD(parameters, lr)``, as the recipe names it (Chapter 4)."""
    recipe = recipe.check()
    return OPTIMIZERS[recipe.optimizer](parameters, lr=recipe.lr)


def fit_scaler(X_train, scaling: str = "all_pixels") -> StandardScaler:
    """A ``StandardScaler`` fitted on the training inputs only (Chapter 5).

    ``"all_pixels"`` fits one mean :math:`\\mu_\\text{px}` and one standard deviation
    :math:`\\sigma_\\text{px}` over every pixel of every training image (the pixels as one
    column); ``"per_pixel"`` fits one pair per pixel. Apply it with :func:`scale`.
    """
    check_choice(scaling, "scaling", SCALINGS)
    X_train = np.asarray(X_train)
    return StandardScaler().fit(X_train.reshape(-1, 1) if scaling == "all_pixels" else X_train)


def scale(scaler: StandardScaler, X) -> np.ndarray:
    """``X`` standardized with a scaler from :func:`fit_scaler`: :math:`x'_j = (x_j - \\mu_j) / \\sigma_j` (Chapter 5),
    or with :math:`\\mu_\\text{px}, \\sigma_\\text{px}` for every pixel."""
    X = np.asarray(X)
    if scaler.n_features_in_ == 1:
        return scaler.transform(X.reshape(-1, 1)).reshape(X.shape)
    return scaler.transform(X)


class Run(NamedTuple):
    """One training run of :func:`train_recipe` (Chapter 9): the ``recipe``, its ``seed``, the trained ``model``
    (with the best epoch's weights), the ``scaler`` fitted on the training set, the ``history``, and the
    validation ``val_accuracy`` and ``val_loss`` of the weights kept."""

    recipe: Recipe
    seed: int
    model: nn.Sequential
    scaler: StandardScaler
    history: History
    val_accuracy: float
    val_loss: float


def train_recipe(recipe: Recipe, split: DigitsSplit, seed: int = 0, callbacks=()) -> Run:
    """Train ``recipe`` on ``split``'s training set with early stopping, and score it on the validation set (Chapter 9).

    The seed draws the initial weights, the dropout masks and the order of
    the minibatches. :class:`dlnotes.train.EarlyStopping` stops after
    ``patience`` epochs without a lower validation loss and restores the
    best epoch's weights, which are then scored. The test set is not used.
    ``callbacks`` go to ``fit`` before the early stopping (a live plot, say).
    """
    recipe = recipe.check()
    seed = check_number(seed, "seed", low=0, integer=True)
    scaler = fit_scaler(split.X_train, recipe.scaling)
    X_train, X_val = scale(scaler, split.X_train), scale(scaler, split.X_val)
    rng = np.random.default_rng(seed)
    model = build_model(recipe, X_train.shape[1], int(split.y_train.max()) + 1, rng=rng)
    loss_fn = CrossEntropyLoss()
    history = fit(model, loss_fn, make_optimizer(recipe, model.parameters()), X_train, split.y_train,
                  epochs=recipe.epochs, batch_size=recipe.batch_size, validation_data=(X_val, split.y_val),
                  metric="accuracy", callbacks=[*callbacks, EarlyStopping(recipe.patience)], rng=rng)
    val_loss, val_accuracy = evaluate(model, loss_fn, X_val, split.y_val, metric="accuracy")
    return Run(recipe, seed, model, scaler, history, val_accuracy, val_loss)


def spread(values) -> float:
    """The seed-to-seed spread of a score: the sample standard deviation :math:`\\operatorname{sd}(\\ell)` (Chapter 9).

    .. math:: \\operatorname{sd}(\\ell) = \\sqrt{\\frac{1}{S - 1} \\sum_{j=1}^{S} (\\ell_j - \\bar\\ell)^2}

    over the :math:`S \\ge 2` seeds' scores :math:`\\ell_j` (``ddof=1``: with
    few seeds the population formula underestimates the spread).
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"values must hold the scores of at least 2 seeds, got {_show(values)}")
    return float(np.std(values, ddof=1))


def verdict(scores, reference_scores, *, higher_is_better: bool = False) -> str:
    """``"win"``, ``"loss"`` or ``"tie"`` of ``scores`` against ``reference_scores`` (Chapter 9).

    The rule: a difference of means counts only when it is larger than the
    larger of the two spreads (:func:`spread`),

    .. math:: |\\bar\\ell' - \\bar\\ell| > \\max(\\operatorname{sd}(\\ell'), \\operatorname{sd}(\\ell));

    then the better mean wins: the lower one for a loss (the default), the
    higher one for an accuracy (``higher_is_better=True``). Anything smaller
    is a ``"tie"``: another set of seeds could reverse it.
    """
    a, b = np.asarray(scores, dtype=np.float64), np.asarray(reference_scores, dtype=np.float64)
    margin = max(spread(a), spread(b))
    difference = float(a.mean() - b.mean())
    if abs(difference) <= margin:
        return "tie"
    return "win" if (difference > 0) == higher_is_better else "loss"


def spread_rule_false_rate(n_seeds: int = 3, n_trials: int = 100_000, rng=0) -> float:
    """How often :func:`verdict` calls two *equal* recipes a win or a loss, by simulation (Chapter 9).

    Both recipes' ``n_seeds`` scores are drawn independently from one normal
    distribution (the two recipes are equal, and their seeds are
    unrelated), ``n_trials`` times; the result is the fraction of trials
    where :math:`|\\bar\\ell' - \\bar\\ell| > \\max(\\operatorname{sd}(\\ell'), \\operatorname{sd}(\\ell))`. The rule's scale does not
    matter, so the normal is the standard one.
    """
    n_seeds = check_number(n_seeds, "n_seeds", low=2, integer=True)
    n_trials = check_number(n_trials, "n_trials", low=1, integer=True)
    a, b = as_generator(rng).standard_normal((2, n_trials, n_seeds))
    margin = np.maximum(a.std(axis=1, ddof=1), b.std(axis=1, ddof=1))
    return float(np.mean(np.abs(a.mean(axis=1) - b.mean(axis=1)) > margin))


def t_test_p_value(t: float, df: int) -> float:
    """The two-sided p-value :math:`P(|T_\\nu| \\ge |t_\\text{paired}|)` of Student's t distribution with ``df`` degrees of freedom (Chapter 9).

    For an integer :math:`\\nu` = ``df``, with :math:`\\omega = \\arctan(|t_\\text{paired}| / \\sqrt\\nu)`
    (Abramowitz and Stegun 26.7.3-4), the p-value is :math:`1 - A`, where
    :math:`A = \\sin\\omega \\sum_{j=0}^{(\\nu-2)/2} \\frac{(2j-1)!!}{(2j)!!} \\cos^{2j}\\omega` for even
    :math:`\\nu` and :math:`A = \\frac 2\\pi \\big(\\omega + \\sin\\omega \\sum_{j=1}^{(\\nu-1)/2}
    \\frac{(2j-2)!!}{(2j-1)!!} \\cos^{2j-1}\\omega\\big)` for odd :math:`\\nu`. For :math:`\\nu = 2`:
    the p-value is :math:`1 - |t_\\text{paired}| / \\sqrt{t_\\text{paired}^2 + 2}`.
    """
    t = abs(check_number(t, "t"))
    df = check_number(df, "df", low=1, integer=True)
    theta = np.arctan2(t, np.sqrt(df))
    sin, cos = np.sin(theta), np.cos(theta)
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for j in range(1, df // 2):
            term *= (2 * j - 1) / (2 * j) * cos ** 2
            total += term
        return float(max(0.0, 1.0 - sin * total))
    term, total = cos, cos if df > 1 else 0.0
    for j in range(2, (df + 1) // 2):
        term *= (2 * j - 2) / (2 * j - 1) * cos ** 2
        total += term
    return float(max(0.0, 1.0 - 2 / np.pi * (theta + sin * total)))


class PairedComparison(NamedTuple):
    """The seed-by-seed differences of :func:`paired_comparison` (Chapter 9): the ``differences``, their
    ``mean`` and ``sd``, the paired t statistic ``t`` with ``df`` degrees of freedom, and its two-sided ``p``."""

    differences: np.ndarray
    mean: float
    sd: float
    t: float
    df: int
    p: float


def paired_comparison(scores, reference_scores) -> PairedComparison:
    """Compare two recipes trained on the same seeds through their per-seed differences (Chapter 9).

    .. math:: \\Delta\\ell_j = \\ell'_j - \\ell_j, \\qquad t_\\text{paired} = \\frac{\\overline{\\Delta\\ell}}{\\operatorname{sd}(\\Delta\\ell) / \\sqrt S},

    over the :math:`S` seeds (``scores`` :math:`\\ell'_j`, ``reference_scores`` :math:`\\ell_j`), with :math:`S - 1` degrees of freedom and the
    two-sided p-value of :func:`t_test_p_value`. Pairing removes what a
    seed does to both recipes alike; the test assumes the differences are
    roughly normal, which :math:`S = 3` seeds cannot check.
    """
    a, b = np.asarray(scores, dtype=np.float64), np.asarray(reference_scores, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"scores must pair with reference_scores (shape {b.shape}), got shape {a.shape}")
    d = a - b
    sd = spread(d)
    mean = float(d.mean())
    if sd == 0:
        raise ValueError(f"scores minus reference_scores must vary across seeds to give a t statistic, got {_show(d)}")
    t = mean / (sd / np.sqrt(d.size))
    return PairedComparison(d, mean, sd, float(t), d.size - 1, t_test_p_value(t, d.size - 1))


class RecipeScores(NamedTuple):
    """One row of :func:`compare_recipes` (Chapter 9): the ``recipe``, its ``runs`` (one per seed), the
    validation ``accuracies`` and ``losses`` (arrays, one per seed), their means and spreads, the mean
    ``best_epoch``, and the ``verdict`` of its validation loss against the first recipe's (``"reference"``
    for that one)."""

    recipe: Recipe
    runs: list
    accuracies: np.ndarray
    losses: np.ndarray
    accuracy_mean: float
    accuracy_spread: float
    loss_mean: float
    loss_spread: float
    best_epoch: float
    verdict: str


def compare_recipes(recipes: dict, split: DigitsSplit, seeds=(0, 1, 2), runs=()) -> dict:
    """Train every recipe with every seed and compare their validation scores (Chapter 9).

    ``recipes`` maps a name to a :class:`Recipe`; the first is the reference
    every other is judged against with :func:`verdict` on the validation
    loss. The same seeds serve every recipe, so the initial weights,
    masks and minibatch orders differ only where the recipe does. ``runs``
    are runs of :func:`train_recipe` on this ``split`` already made (one
    watched live, say): a recipe and seed they cover is not trained again.
    Returns a dict name -> :class:`RecipeScores`, in the order of ``recipes``.
    """
    if not isinstance(recipes, dict) or not recipes:
        raise TypeError(f"recipes must be a non-empty dict name -> Recipe, got {_show(recipes)}")
    seeds = [check_number(s, f"seeds[{i}]", low=0, integer=True) for i, s in enumerate(seeds)]
    if len(seeds) < 2:
        raise ValueError(f"seeds must name at least 2 seeds, to measure a spread, got {seeds!r}")
    done = {}
    for i, run in enumerate(runs):
        if not isinstance(run, Run):
            raise TypeError(f"runs[{i}] must be a Run from train_recipe, got {_show(run)}")
        done[(run.recipe, run.seed)] = run
    rows, reference = {}, None
    for name, recipe in recipes.items():
        if not isinstance(recipe, Recipe):
            raise TypeError(f"recipes[{name!r}] must be a Recipe, got {_show(recipe)}")
        runs = [done.get((recipe, seed)) or train_recipe(recipe, split, seed) for seed in seeds]
        accuracies = np.array([run.val_accuracy for run in runs])
        losses = np.array([run.val_loss for run in runs])
        if reference is None:
            reference, judged = losses, "reference"
        else:
            judged = verdict(losses, reference)
        best_epoch = float(np.mean([run.history.best_epoch for run in runs]))
        rows[name] = RecipeScores(recipe, runs, accuracies, losses, float(accuracies.mean()), spread(accuracies),
                                  float(losses.mean()), spread(losses), best_epoch, judged)
    return rows


def comparison_table(rows: dict) -> str:
    """The rows of :func:`compare_recipes` as a text table: mean ± spread of validation accuracy, loss (Chapter 9)."""
    width = max(len(name) for name in rows)
    lines = [f"{'recipe':<{width}}  {'val. accuracy':>15}  {'val. loss':>15}  {'best epoch':>10}  verdict"]
    for name, row in rows.items():
        lines.append(
            f"{name:<{width}}  {100 * row.accuracy_mean:6.2f} ± {100 * row.accuracy_spread:4.2f} %  "
            f"{row.loss_mean:6.3f} ± {row.loss_spread:5.3f}  {row.best_epoch:10.1f}  {row.verdict}"
        )
    return "\n".join(lines)


class FinalTest(NamedTuple):
    """The chosen run on the test set, measured once by :func:`final_test` (Chapter 9): the ``accuracy``,
    the ``loss``, the class ``probabilities`` (shape ``(N, C)``), the ``predicted`` and ``true`` classes
    and the ``confusion`` matrix (rows true, columns predicted)."""

    accuracy: float
    loss: float
    probabilities: np.ndarray
    predicted: np.ndarray
    true: np.ndarray
    confusion: np.ndarray


def final_test(run: Run, split: DigitsSplit) -> FinalTest:
    """Score ``run``'s model on the test set, with the scaler fitted on the training set (Chapter 9).

    This is the one time the test set is used: after every choice has been
    made on the validation set, so its accuracy estimates how the chosen
    model does on digits it has never influenced.
    """
    X_test = scale(run.scaler, split.X_test)
    outputs = predict(run.model, X_test)
    loss = float(CrossEntropyLoss()(outputs, split.y_test))
    n_classes = outputs.shape[1]
    predicted = predicted_classes(outputs)
    return FinalTest(accuracy(outputs, split.y_test), loss, softmax(outputs, axis=1), predicted,
                      np.asarray(split.y_test), confusion_matrix(split.y_test, predicted, n_classes))


def most_confused(confusion, k: int = 3) -> list[tuple[int, int, int]]:
    """The ``k`` largest off-diagonal cells of a confusion matrix as ``(true, predicted, count)`` (Chapter 9).

    Ties are broken by the true class, then the predicted class; cells with
    count 0 are left out, so fewer than ``k`` may come back.
    """
    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise ValueError(f"confusion must be a square matrix, got shape {confusion.shape}")
    k = check_number(k, "k", low=1, integer=True)
    cells = [(int(confusion[i, j]), i, j) for i in range(len(confusion)) for j in range(len(confusion)) if i != j]
    cells = sorted((cell for cell in cells if cell[0] > 0), key=lambda cell: (-cell[0], cell[1], cell[2]))
    return [(i, j, count) for count, i, j in cells[:k]]


#: The recipe Chapter 9 trains: inputs standardized with one mean and standard deviation for all training
#: pixels, two hidden layers of 64 ReLU units with He initialization, BatchNorm and dropout 0.2, Adam at
#: lr 0.01, batches of 128, early stopping with patience 5 within 30 epochs.
RECIPE = Recipe()


def one_change_variants(recipe: Recipe = RECIPE, sgd_lr: float = 1.0) -> dict:
    """``recipe`` and the recipes that change one of its choices, by name, for :func:`compare_recipes` (Chapter 9).

    No BatchNorm, no dropout, and plain SGD at ``sgd_lr`` instead of Adam.
    The first entry is ``recipe`` itself, the reference of the comparison.
    """
    recipe = recipe.check()
    return {
        "recipe": recipe,
        "no BatchNorm": recipe._replace(batch_norm=False),
        "no dropout": recipe._replace(dropout=0.0),
        f"SGD, lr {sgd_lr:g}": recipe._replace(optimizer="sgd", lr=sgd_lr).check(),
    }


#: The candidates of :func:`search_recipes`: every combination of these values, the rest as in ``RECIPE``.
SEARCH_GRID = {"hidden": [(128,), (64, 64)], "lr": [0.003, 0.01, 0.03], "dropout": [0.2, 0.5]}

#: Plain SGD's learning rates tried for the recipe's network by :func:`search_recipes`.
SGD_RATES = (0.1, 0.3, 1.0)


def search_recipes(split: DigitsSplit, base: Recipe = RECIPE, grid=None, sgd_rates=SGD_RATES, seeds=(0, 1, 2)):
    """The search that chose Chapter 9's recipe: every candidate over the seeds, ranked by mean validation loss.

    The candidates are ``base`` with every combination of the values of
    ``grid`` (field name -> list of values; :data:`SEARCH_GRID` by default).
    The one with the lowest mean validation loss is the choice; then plain
    SGD with that network is tried at each rate of ``sgd_rates``, and the
    rate with the lowest mean validation loss is SGD's. Returns
    ``(candidates, sgd)``: two dicts name -> :class:`RecipeScores`, each
    sorted by mean validation loss, best first, each judged (``verdict``)
    against its best entry. It trains ``len(seeds)`` networks per candidate:
    about half a minute with the defaults.
    """
    grid = SEARCH_GRID if grid is None else grid
    names = list(grid)
    for name in names:
        if name not in Recipe._fields:
            raise ValueError(f"grid names fields of Recipe {list(Recipe._fields)}, got {name!r}")
    combos = [dict(zip(names, values)) for values in _product([grid[name] for name in names])]
    recipes = {", ".join(f"{k}={v}" for k, v in combo.items()): base._replace(**combo) for combo in combos}
    candidates = _ranked(compare_recipes(recipes, split, seeds))
    best = next(iter(candidates.values())).recipe
    sgd = {f"SGD, lr {lr:g}": best._replace(optimizer="sgd", lr=lr) for lr in sgd_rates}
    return candidates, _ranked(compare_recipes(sgd, split, seeds))


def _product(lists):
    if not lists:
        return [()]
    return [(first, *rest) for first in lists[0] for rest in _product(lists[1:])]


def _ranked(rows: dict) -> dict:
    """``rows`` sorted by mean validation loss, each with its verdict against the best."""
    order = sorted(rows, key=lambda name: rows[name].loss_mean)
    best = rows[order[0]].losses
    return {name: rows[name]._replace(verdict="best" if i == 0 else verdict(rows[name].losses, best))
            for i, name in enumerate(order)}


def per_class_recall(confusion) -> np.ndarray:
    """The recall of each class, the fraction of its examples predicted right (Chapter 9).

    .. math:: \\text{recall}_k = \\frac{\\mathrm{CM}_{kk}}{\\sum_j \\mathrm{CM}_{kj}}

    from a confusion matrix with true classes as rows. A class with no
    example (a row of zeros) has no recall: NaN.
    """
    confusion = np.asarray(confusion, dtype=np.float64)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise ValueError(f"confusion must be a square matrix, got shape {confusion.shape}")
    totals = confusion.sum(axis=1)
    return np.divide(np.diag(confusion), totals, out=np.full(len(totals), np.nan), where=totals > 0)
