"""Tests of dlnotes.book.experiments.ch09_capstone (Chapter 9): split, recipe, seeded runs, spread, verdict, test set."""

import numpy as np
import pytest

from dlnotes import nn
from dlnotes.book.experiments.ch09_capstone import (RECIPE, DigitsSplit, Recipe, paired_comparison, spread_rule_false_rate, t_test_p_value,
                                                    build_model, compare_recipes, comparison_table, final_test,
                                                    fit_scaler, make_optimizer, most_confused, one_change_variants,
                                                    per_class_recall, scale, search_recipes, split_digits, spread,
                                                    train_recipe, verdict)
from dlnotes.data import load_digits
from dlnotes.metrics import confusion_matrix
from dlnotes.optim import SGD, Adam

#: A recipe that trains in a blink, for the tests of the machinery.
QUICK = Recipe(hidden=(8,), epochs=3, patience=2, batch_size=64)


@pytest.fixture(scope="module")
def digits():
    return load_digits()


@pytest.fixture(scope="module")
def split(digits):
    return split_digits(*digits, rng=0)


@pytest.fixture(scope="module")
def small_split(digits):
    """A third of the digits, so the machinery's tests train on little."""
    X, y = digits
    return split_digits(X[:600], y[:600], rng=1)


# -- the split ---------------------------------------------------------------------------------------------------
def test_split_sizes_are_60_20_20_and_every_row_is_used_once(digits, split):
    X, y = digits
    assert [len(part) for part in split[3:]] == [1076, 362, 359]
    rows = np.concatenate([split.X_train, split.X_val, split.X_test])
    labels = np.concatenate([split.y_train, split.y_val, split.y_test])
    # the same multiset of (image, label) rows as the data set: sort both the same way
    order = np.lexsort(np.column_stack([X, y]).T)
    ours = np.lexsort(np.column_stack([rows, labels]).T)
    np.testing.assert_array_equal(np.column_stack([rows, labels])[ours], np.column_stack([X, y])[order])


def test_split_is_stratified_and_seeded(digits, split):
    _, y = digits
    for labels, share in ((split.y_train, 0.6), (split.y_val, 0.2), (split.y_test, 0.2)):
        assert np.all(np.abs(np.bincount(labels, minlength=10) - share * np.bincount(y)) <= 1.5)
    again = split_digits(*digits, rng=0)
    for a, b in zip(split, again):
        np.testing.assert_array_equal(a, b)
    other = split_digits(*digits, rng=1)
    assert not np.array_equal(other.y_test, split.y_test)


# -- the recipe ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("field", "value", "error"), [
    ("scaling", "minmax", ValueError),
    ("hidden", 64, TypeError),
    ("hidden", (), TypeError),
    ("hidden", (64, 0), ValueError),
    ("batch_norm", "yes", TypeError),
    ("dropout", 1.0, ValueError),
    ("dropout", -0.1, ValueError),
    ("optimizer", "rmsprop", ValueError),
    ("lr", 0.0, ValueError),
    ("epochs", 0, ValueError),
    ("patience", 2.5, (TypeError, ValueError)),
    ("batch_size", 0, ValueError),
])
def test_bad_recipe_fields_raise_naming_the_field(field, value, error):
    with pytest.raises(error, match=field.split("_")[0]):
        RECIPE._replace(**{field: value}).check()


def test_the_chapters_recipe():
    assert RECIPE == Recipe("all_pixels", (64, 64), True, 0.2, "adam", 0.01, 30, 5, 128)


def layer_types(model):
    return [type(m).__name__ for m in model.layers]


def test_build_model_layers_follow_the_recipe():
    assert layer_types(build_model(RECIPE, rng=0)) == ["Linear", "BatchNorm1d", "ReLU", "Dropout"] * 2 + ["Linear"]
    assert layer_types(build_model(RECIPE._replace(batch_norm=False, dropout=0.0, hidden=(5,)), rng=0)) == [
        "Linear", "ReLU", "Linear"]
    model = build_model(RECIPE._replace(hidden=(7, 5)), n_features=3, n_classes=4, rng=0)
    shapes = [m.W.data.shape for m in model.layers if isinstance(m, nn.Linear)]
    assert shapes == [(3, 7), (7, 5), (5, 4)]
    assert [m.p for m in model.layers if isinstance(m, nn.Dropout)] == [0.2, 0.2]


def test_build_model_draws_he_uniform_weights_and_zero_biases():
    model = build_model(RECIPE._replace(hidden=(2000,)), rng=0)
    first, last = [m for m in model.layers if isinstance(m, nn.Linear)]
    for layer, fan_in in ((first, 64), (last, 2000)):
        bound = np.sqrt(6 / fan_in)  # gain sqrt(2) times sqrt(3 / fan_in)
        assert np.abs(layer.W.data).max() <= bound
        assert np.abs(layer.W.data).max() > 0.99 * bound
        np.testing.assert_allclose(np.var(layer.W.data), 2 / fan_in, rtol=0.05)
        assert not layer.b.data.any()
    np.testing.assert_array_equal(build_model(RECIPE, rng=3).layers[0].W.data, build_model(RECIPE, rng=3).layers[0].W.data)


def test_make_optimizer():
    model = build_model(RECIPE, rng=0)
    adam = make_optimizer(RECIPE, model.parameters())
    sgd = make_optimizer(RECIPE._replace(optimizer="sgd", lr=0.5), model.parameters())
    assert isinstance(adam, Adam) and adam.lr == 0.01
    assert isinstance(sgd, SGD) and sgd.lr == 0.5 and sgd.momentum == 0


def test_all_pixels_scaling_uses_one_mean_and_std_of_the_training_pixels(split):
    scaler = fit_scaler(split.X_train)
    np.testing.assert_allclose(scaler.mean_, [split.X_train.mean()])
    np.testing.assert_allclose(scaler.scale_, [split.X_train.std()])
    scaled = scale(scaler, split.X_val)
    np.testing.assert_allclose(scaled, (split.X_val - split.X_train.mean()) / split.X_train.std())
    assert scaled.shape == split.X_val.shape
    train = scale(scaler, split.X_train)
    assert abs(train.mean()) < 1e-12 and abs(train.std() - 1) < 1e-12


def test_per_pixel_scaling_uses_each_pixels_statistics(split):
    scaler = fit_scaler(split.X_train, "per_pixel")
    std = split.X_train.std(axis=0)
    expected = (split.X_val - split.X_train.mean(axis=0)) / np.where(std == 0, 1.0, std)
    np.testing.assert_allclose(scale(scaler, split.X_val), expected)
    # a pixel almost always blank in training blows up where a validation digit inks it (Chapter 5)
    assert np.abs(scale(scaler, split.X_val)).max() > 10 > np.abs(scale(fit_scaler(split.X_train), split.X_val)).max()
    with pytest.raises(ValueError, match="scaling"):
        fit_scaler(split.X_train, "pooled")


# -- one run -------------------------------------------------------------------------------------------------------
def test_train_recipe_keeps_the_best_epoch_and_scores_it(small_split):
    run = train_recipe(QUICK._replace(epochs=8), small_split, seed=0)
    history = run.history
    assert history.best_epoch == int(np.argmin(history.val_loss)) + 1
    np.testing.assert_allclose(run.val_loss, history.val_loss[history.best_epoch - 1], rtol=1e-12)
    np.testing.assert_allclose(run.val_accuracy, history.val_metric[history.best_epoch - 1], rtol=1e-12)
    assert run.seed == 0 and run.recipe == QUICK._replace(epochs=8)


def test_train_recipe_is_seeded_and_never_reads_the_test_set(small_split):
    first = train_recipe(QUICK, small_split, seed=4)
    blind = small_split._replace(X_test=np.full_like(small_split.X_test, np.nan), y_test=None)
    second = train_recipe(QUICK, blind, seed=4)
    assert first.history.val_loss == second.history.val_loss
    np.testing.assert_array_equal(first.model.layers[0].W.data, second.model.layers[0].W.data)
    other = train_recipe(QUICK, small_split, seed=5)
    assert other.history.val_loss != first.history.val_loss


def test_train_recipe_passes_callbacks_to_fit(small_split):
    from dlnotes.train import Callback

    class Count(Callback):
        epochs = 0

        def on_epoch_end(self, epoch, history):
            Count.epochs += 1
            return False

    run = train_recipe(QUICK, small_split, seed=0, callbacks=[Count()])
    assert Count.epochs == run.history.stopped_epoch
    with pytest.raises(ValueError, match="seed"):
        train_recipe(QUICK, small_split, seed=-1)


# -- spread and verdict --------------------------------------------------------------------------------------------
def test_spread_is_the_sample_standard_deviation():
    assert spread([1.0, 2.0, 3.0]) == pytest.approx(1.0)  # squares 1 + 0 + 1 over k - 1 = 2
    assert spread([5.0, 5.0]) == 0.0
    for bad in ([1.0], 3.0, [[1.0, 2.0]]):
        with pytest.raises(ValueError, match="values"):
            spread(bad)


@pytest.mark.parametrize(("a", "b", "higher", "expected"), [
    ([0.10, 0.12, 0.14], [0.20, 0.21, 0.22], False, "win"),    # lower loss by 0.09 > 0.02
    ([0.20, 0.21, 0.22], [0.10, 0.12, 0.14], False, "loss"),
    ([0.10, 0.20, 0.30], [0.20, 0.21, 0.22], False, "tie"),    # 0.01 apart, spread 0.1
    ([0.97, 0.98, 0.99], [0.93, 0.94, 0.95], True, "win"),     # higher accuracy wins
    ([0.97, 0.98, 0.99], [0.93, 0.94, 0.95], False, "loss"),   # the same numbers as losses lose
    ([1.0, 2.0, 3.0], [0.0, 1.0, 2.0], False, "tie"),          # the difference equals the spread: a tie
])
def test_verdict_rule(a, b, higher, expected):
    assert verdict(a, b, higher_is_better=higher) == expected


# -- several recipes -----------------------------------------------------------------------------------------------
def test_compare_recipes_reuses_the_seeds_and_judges_the_loss(small_split):
    rows = compare_recipes({"quick": QUICK, "wide": QUICK._replace(hidden=(16,))}, small_split, seeds=(0, 1))
    assert list(rows) == ["quick", "wide"]
    quick = rows["quick"]
    alone = train_recipe(QUICK, small_split, seed=1)
    assert quick.losses[1] == alone.val_loss and quick.accuracies[1] == alone.val_accuracy
    assert quick.verdict == "reference"
    assert rows["wide"].verdict == verdict(rows["wide"].losses, quick.losses)
    assert quick.loss_mean == pytest.approx(np.mean(quick.losses))
    assert quick.accuracy_spread == pytest.approx(np.std(quick.accuracies, ddof=1))
    assert quick.best_epoch == np.mean([run.history.best_epoch for run in quick.runs])
    table = comparison_table(rows).splitlines()
    assert len(table) == 3 and table[1].startswith("quick") and table[1].endswith("reference")
    assert f"{100 * quick.accuracy_mean:6.2f} ± {100 * quick.accuracy_spread:4.2f} %" in table[1]


def test_compare_recipes_reuses_given_runs(small_split):
    done = train_recipe(QUICK, small_split, seed=1)
    rows = compare_recipes({"quick": QUICK}, small_split, seeds=(0, 1), runs=[done])
    assert rows["quick"].runs[1] is done and rows["quick"].runs[0].seed == 0
    fresh = compare_recipes({"quick": QUICK}, small_split, seeds=(0, 1))
    np.testing.assert_array_equal(rows["quick"].losses, fresh["quick"].losses)
    with pytest.raises(TypeError, match="runs\\[0\\]"):
        compare_recipes({"quick": QUICK}, small_split, runs=[QUICK])


def test_compare_recipes_bad_input(small_split):
    with pytest.raises(TypeError, match="recipes"):
        compare_recipes([QUICK], small_split)
    with pytest.raises(TypeError, match="recipes\\['x'\\]"):
        compare_recipes({"x": {"lr": 0.1}}, small_split)
    with pytest.raises(ValueError, match="seeds"):
        compare_recipes({"x": QUICK}, small_split, seeds=(0,))


def test_one_change_variants_change_one_choice_each():
    variants = one_change_variants()
    assert list(variants) == ["recipe", "no BatchNorm", "no dropout", "SGD, lr 1"]
    changed = {name: {f for f in Recipe._fields if getattr(r, f) != getattr(RECIPE, f)} for name, r in variants.items()}
    assert changed == {"recipe": set(), "no BatchNorm": {"batch_norm"}, "no dropout": {"dropout"},
                       "SGD, lr 1": {"optimizer", "lr"}}


def test_search_recipes_ranks_by_mean_validation_loss(small_split):
    candidates, sgd = search_recipes(small_split, base=QUICK, grid={"lr": [0.003, 0.03]}, sgd_rates=(0.1, 1.0),
                                     seeds=(0, 1))
    assert set(candidates) == {"lr=0.003", "lr=0.03"} and set(sgd) == {"SGD, lr 0.1", "SGD, lr 1"}
    for rows in (candidates, sgd):
        means = [row.loss_mean for row in rows.values()]
        assert means == sorted(means)
        first, *rest = rows.values()
        assert first.verdict == "best" and all(row.verdict in ("tie", "loss") for row in rest)
    best = next(iter(candidates.values())).recipe
    assert all(row.recipe == best._replace(optimizer="sgd", lr=row.recipe.lr) for row in sgd.values())
    with pytest.raises(ValueError, match="grid"):
        search_recipes(small_split, base=QUICK, grid={"width": [8]})


# -- the test set ----------------------------------------------------------------------------------------------------
def test_final_test_scores_the_test_set_with_the_training_scaler(small_split):
    run = train_recipe(QUICK, small_split, seed=0)
    result = final_test(run, small_split)
    n = len(small_split.y_test)
    assert result.confusion.sum() == n
    assert result.accuracy == pytest.approx(np.trace(result.confusion) / n)
    np.testing.assert_allclose(result.probabilities.sum(axis=1), 1.0)
    np.testing.assert_array_equal(result.predicted, np.argmax(result.probabilities, axis=1))
    np.testing.assert_array_equal(result.confusion, confusion_matrix(small_split.y_test, result.predicted, 10))
    # the validation set plays no part
    again = final_test(run, small_split._replace(X_val=None, y_val=None))
    assert again.accuracy == result.accuracy and again.loss == result.loss


def test_most_confused_by_hand():
    C = np.array([[5, 2, 0], [0, 4, 3], [2, 0, 6]])
    assert most_confused(C, k=2) == [(1, 2, 3), (0, 1, 2)]
    assert most_confused(C, k=10) == [(1, 2, 3), (0, 1, 2), (2, 0, 2)]  # ties by true class; zeros left out
    assert most_confused(np.eye(3, dtype=int)) == []
    with pytest.raises(ValueError, match="confusion"):
        most_confused(np.ones((2, 3)))
    with pytest.raises(ValueError, match="k"):
        most_confused(C, k=0)


def test_per_class_recall_by_hand():
    C = np.array([[3, 1, 0], [0, 2, 2], [0, 0, 0]])
    np.testing.assert_allclose(per_class_recall(C), [0.75, 0.5, np.nan])
    with pytest.raises(ValueError, match="confusion"):
        per_class_recall(np.ones(3))


def test_digits_split_fields():
    assert DigitsSplit._fields == ("X_train", "X_val", "X_test", "y_train", "y_val", "y_test")


@pytest.mark.parametrize("t", [0.0, 0.3, 1.0, 2.5, 40.0])
def test_t_test_p_value_matches_the_closed_forms_of_1_and_2_degrees_of_freedom(t):
    assert t_test_p_value(t, 1) == pytest.approx(1 - 2 / np.pi * np.arctan(t), abs=1e-12)  # Cauchy
    assert t_test_p_value(-t, 2) == pytest.approx(1 - t / np.sqrt(t * t + 2), abs=1e-12)


@pytest.mark.parametrize("t, df", [(12.706, 1), (4.303, 2), (3.182, 3), (2.776, 4), (2.571, 5), (2.228, 10)])
def test_t_test_p_value_at_the_tabulated_5_percent_critical_values(t, df):
    assert t_test_p_value(t, df) == pytest.approx(0.05, abs=2e-4)


@pytest.mark.parametrize("t, df, error", [("1", 2, TypeError), (1.0, 0, ValueError), (1.0, 2.5, TypeError),
                                          (float("nan"), 2, ValueError)])
def test_t_test_p_value_bad_input(t, df, error):
    with pytest.raises(error, match="t|df"):
        t_test_p_value(t, df)


def test_paired_comparison_by_hand():
    paired = paired_comparison([0.05, 0.04, 0.06], [0.03, 0.03, 0.03])
    np.testing.assert_allclose(paired.differences, [0.02, 0.01, 0.03])
    assert paired.mean == pytest.approx(0.02) and paired.sd == pytest.approx(0.01) and paired.df == 2
    assert paired.t == pytest.approx(0.02 / (0.01 / np.sqrt(3)))
    assert paired.p == pytest.approx(1 - paired.t / np.sqrt(paired.t ** 2 + 2))


def test_paired_comparison_bad_input():
    with pytest.raises(ValueError, match="scores"):
        paired_comparison([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="vary"):
        paired_comparison([2.0, 3.0, 4.0], [1.0, 2.0, 3.0])


def test_spread_rule_false_rate_is_seeded_and_falls_with_more_seeds():
    rate = spread_rule_false_rate(3, 20_000, rng=1)
    assert rate == spread_rule_false_rate(3, 20_000, rng=1)
    assert 0.18 < rate < 0.25
    assert spread_rule_false_rate(10, 20_000, rng=1) < rate
    with pytest.raises(ValueError, match="n_seeds"):
        spread_rule_false_rate(1)
