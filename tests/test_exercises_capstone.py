"""Chapter 9's exercise checkers: the usual wrong answers fail with the input named, other right answers pass; written answers exist.

(tests/test_exercises_solutions.py runs the solutions through the checkers.)
"""

import numpy as np
import pytest

from dlnotes.book.exercises.ch09_capstone import check_confusion, check_recall_per_class
from dlnotes.book.experiments.ch09_capstone import (RECIPE, SEARCH_GRID, SGD_RATES, compare_recipes, fit_scaler, scale,
                                                    search_recipes, split_digits)
from dlnotes.data import load_digits

CHAPTER = "ch09_capstone"


def transposed(y_true, y_pred, n_classes):
    """Rows predicted, columns true: the transpose of the confusion matrix."""
    C = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[p, t] += 1
    return C


def sized_by_the_labels(y_true, y_pred, n_classes):
    """Ignores n_classes: the size comes from the largest label seen."""
    k = int(max(np.max(y_true), np.max(y_pred))) + 1
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def fancy_index_assignment(y_true, y_pred, n_classes):
    """C[y_true, y_pred] += 1 counts a repeated pair only once."""
    C = np.zeros((n_classes, n_classes), dtype=int)
    C[y_true, y_pred] += 1
    return C


def by_loops(y_true, y_pred, n_classes):
    """Right, written as two loops over the classes."""
    return np.array([[np.sum((y_true == i) & (y_pred == j)) for j in range(n_classes)] for i in range(n_classes)])


@pytest.mark.parametrize("wrong", [transposed, sized_by_the_labels, fancy_index_assignment])
def test_wrong_confusion_matrices_fail_naming_the_input(wrong, capsys):
    verdict = check_confusion(wrong)
    assert not verdict
    assert "confusion(" in verdict.message and ("expected" in verdict.message or "shape" in verdict.message)
    assert "Not yet" in capsys.readouterr().out


def test_confusion_written_with_loops_passes():
    assert check_confusion(by_loops)


def precision(y_true, y_pred, n_classes):
    """The diagonal over the column sums: the fraction of each prediction that is right."""
    C = by_loops(y_true, y_pred, n_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diag(C) / C.sum(axis=0)


def over_all_examples(y_true, y_pred, n_classes):
    """The diagonal over the number of examples N."""
    return np.diag(by_loops(y_true, y_pred, n_classes)) / len(y_true)


def recall_from_transpose(y_true, y_pred, n_classes):
    """The right formula on the transposed matrix: precision again, with the guard against empty columns."""
    C = transposed(y_true, y_pred, n_classes)
    return np.diag(C) / np.maximum(C.sum(axis=1), 1)


def recall_by_division(y_true, y_pred, n_classes):
    """Right, written as the row-normalized confusion matrix's diagonal."""
    C = by_loops(y_true, y_pred, n_classes).astype(float)
    return np.diag(C / C.sum(axis=1, keepdims=True))


def sized_by_the_labels(y_true, y_pred, n_classes):
    """Ignores n_classes: counts the correct answers with a bincount as long as the largest label predicted right."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    hits = np.bincount(y_true[y_true == y_pred])
    return hits / np.bincount(y_true)[:len(hits)]


def sized_by_the_predictions(y_true, y_pred, n_classes):
    """Ignores n_classes: one recall per class up to the largest prediction, max(y_pred) + 1."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return np.array([np.mean(y_pred[y_true == c] == c) for c in range(int(y_pred.max()) + 1)])


@pytest.mark.parametrize("wrong", [precision, over_all_examples, recall_from_transpose, sized_by_the_labels,
                                   sized_by_the_predictions])
def test_wrong_recalls_fail(wrong):
    verdict = check_recall_per_class(wrong)
    assert not verdict and "recall_per_class(" in verdict.message


def test_recall_by_division_passes():
    assert check_recall_per_class(recall_by_division)


def test_the_checks_have_inputs_that_tell_the_wrong_answers_apart():
    """On a lopsided case the transpose, precision and recall all differ."""
    y_true = np.repeat(np.arange(4), [5, 3, 6, 2])
    y_pred = y_true.copy()
    y_pred[[0, 1, 5, 8, 9, 15]] = [2, 2, 0, 0, 1, 0]
    C = by_loops(y_true, y_pred, 4)
    assert not np.array_equal(C, C.T)
    assert not np.allclose(recall_by_division(y_true, y_pred, 4), recall_from_transpose(y_true, y_pred, 4))


@pytest.fixture(scope="module")
def split():
    return split_digits(*load_digits(), rng=0)


def test_every_written_exercise_has_an_answer(solutions):
    for name in ("EXERCISE_3", "EXERCISE_4", "EXERCISE_5"):
        assert len(getattr(solutions, name)) > 200, name


def test_exercise_4_numbers(solutions, split):
    """Per-pixel scaling: the blown-up validation pixel and the comparison the answer quotes."""
    scaled = scale(fit_scaler(split.X_train, "per_pixel"), split.X_val)
    row, pixel = np.unravel_index(np.argmax(scaled), scaled.shape)
    assert pixel == 40 and np.sum(split.X_train[:, pixel] > 0) == 6 and len(split.X_train) == 1076
    assert f"{fit_scaler(split.X_train, 'per_pixel').scale_[pixel]:.3f}" == "0.105"
    assert f"{scaled.max():.2f}" == "37.90" and np.sum(np.any(np.abs(scaled) > 10, axis=1)) == 9
    assert f"{scale(fit_scaler(split.X_train), split.X_val).max():.2f}" == "1.85"
    rows = compare_recipes({"recipe": RECIPE, "per pixel": RECIPE._replace(scaling="per_pixel")}, split)
    text = " ".join(solutions.EXERCISE_4.split())
    for name in rows:
        assert f"{rows[name].loss_mean:.3f} +- {rows[name].loss_spread:.3f}" in text
    assert rows["per pixel"].verdict == "loss"
    assert f"{100 * rows['per pixel'].accuracy_mean:.2f}%" == f"{100 * rows['recipe'].accuracy_mean:.2f}%" == "99.08%"
    assert f"spread {100 * rows['per pixel'].accuracy_spread:.2f}" in text
    assert f"against {100 * rows['recipe'].accuracy_spread:.2f} points" in text


def test_the_search_chose_the_recipe_as_section_9_3_and_exercise_5_say(solutions, split):
    """The search of section 9.3 (about half a minute): RECIPE first, SGD's best rate 1, the ties exercise 5 names."""
    assert SEARCH_GRID == {"hidden": [(128,), (64, 64)], "lr": [0.003, 0.01, 0.03], "dropout": [0.2, 0.5]}
    assert SGD_RATES == (0.1, 0.3, 1.0)
    candidates, sgd = search_recipes(split)
    rows = list(candidates.values())
    assert len(rows) == 12 and rows[0].recipe == RECIPE
    assert list(sgd.values())[0].recipe == RECIPE._replace(optimizer="sgd", lr=1.0)
    ties = [row.recipe for row in rows if row.verdict == "tie"]
    assert sorted((r.lr, r.dropout) for r in ties) == [(0.01, 0.5), (0.03, 0.2), (0.03, 0.5)]
    assert all(r.hidden == (128,) for r in ties)
    assert sum(row.verdict == "loss" for row in rows) == 8
    assert all(row.verdict == "loss" and round(row.best_epoch, 1) >= 29.7 for row in rows if row.recipe.lr == 0.003)
    text = " ".join(solutions.EXERCISE_5.split())
    for row in [*rows[:1], *[r for r in rows if r.verdict == "tie"], *sgd.values()]:
        if row.recipe.optimizer == "sgd" and row.recipe.lr == 0.3:
            continue
        assert f"{row.loss_mean:.3f} +- {row.loss_spread:.3f}" in text, row.recipe
    worst_fast = candidates["hidden=(64, 64), lr=0.03, dropout=0.5"]
    assert f"{worst_fast.loss_mean:.3f} +- {worst_fast.loss_spread:.3f}" in text
