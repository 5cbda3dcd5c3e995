"""Tests of dlnotes.metrics: predicted classes, accuracy and the confusion matrix."""

import inspect
import subprocess
import sys

import numpy as np
import pytest

import dlnotes
from dlnotes import metrics
from dlnotes.metrics import accuracy, confusion_matrix, predicted_classes


# -- hand-picked outputs -----------------------------------------------------------
def test_accuracy_argmax_for_several_classes():
    outputs = np.array([[1.0, 2.0, 0.0], [3.0, 0.0, 1.0], [0.0, 0.0, 5.0], [1.0, 0.0, 0.0]])
    # predictions 1, 0, 2, 0 against 1, 0, 2, 2: three of four
    assert accuracy(outputs, np.array([1, 0, 2, 2])) == 0.75
    assert accuracy(outputs, [1, 0, 2, 0]) == 1.0


def test_accuracy_threshold_zero_for_one_logit():
    logits = np.array([-2.0, 0.5, 0.0, 3.0])
    # predictions 0, 1, 0 (0 is not above the threshold), 1 against 0, 1, 1, 0: two of four
    assert accuracy(logits, np.array([0, 1, 1, 0])) == 0.5
    assert accuracy(logits[:, None], np.array([[0], [1], [1], [0]])) == 0.5
    assert accuracy(logits[:, None], np.array([0.0, 1.0, 1.0, 0.0])) == 0.5


def test_accuracy_for_labels_in_minus_one_plus_one_and_for_probabilities():
    # scores -1, 2, -3 predict -1, +1, -1 against -1, +1, +1: two of three
    assert accuracy(np.array([-1.0, 2.0, -3.0]), np.array([-1, 1, 1])) == pytest.approx(2 / 3)
    # probabilities with threshold 1/2: 0, 1, 0 against 0, 1, 1
    assert accuracy(np.array([0.2, 0.7, 0.5]), np.array([0, 1, 1]), threshold=0.5) == pytest.approx(2 / 3)


def test_predicted_classes():
    assert predicted_classes(np.array([[0.0, 1.0], [2.0, -1.0]])).tolist() == [1, 0]
    assert predicted_classes(np.array([0.3, -0.3]), negative_label=-1).tolist() == [1, -1]
    assert predicted_classes(np.array([0.3, 0.7]), threshold=0.5).dtype == np.int64


def test_confusion_matrix_by_hand():
    y_true = [0, 1, 2, 2, 1]
    y_pred = [0, 2, 2, 2, 1]
    expected = np.array([[1, 0, 0], [0, 1, 1], [0, 0, 2]])
    counts = confusion_matrix(y_true, y_pred)
    assert np.array_equal(counts, expected) and counts.dtype == np.int64
    assert np.trace(counts) / 5 == 4 / 5
    assert confusion_matrix([0, 1], [1, 1], n_classes=4).shape == (4, 4)



# -- bad input ------------------------------------------------------------------------
def test_metrics_reject_bad_input():
    with pytest.raises(ValueError, match=r"y must hold class indices in \[0, 1\]"):
        accuracy(np.zeros((2, 2)), [0, 2])
    with pytest.raises(ValueError, match=r"y must hold labels in \{0, 1\} or \{-1, 1\}"):
        accuracy(np.zeros(3), [0, 1, 2])
    with pytest.raises(ValueError, match=r"y must have shape \(2,\)"):
        accuracy(np.zeros((2, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="y must hold integer class labels"):
        accuracy(np.zeros((2, 3)), [0.5, 1.0])
    with pytest.raises(ValueError, match="outputs must have shape"):
        accuracy(np.zeros((2, 3, 4)), [0, 1])
    with pytest.raises(ValueError, match="outputs must have shape"):
        accuracy(np.zeros((0, 3)), [])
    with pytest.raises(TypeError, match="outputs"):
        accuracy(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="negative_label"):
        predicted_classes(np.zeros(2), negative_label=2)
    with pytest.raises(ValueError, match="y_pred must have the shape of y_true"):
        confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match=r"y_true must hold class indices in \[0, 1\]"):
        confusion_matrix([0, 2], [0, 1], n_classes=2)
    with pytest.raises(ValueError, match="n_classes"):
        confusion_matrix([0], [0], n_classes=0)
    with pytest.raises(ValueError, match=r"y_pred must hold class indices"):
        confusion_matrix([0, 1], [0, -1])



@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: accuracy(np.zeros((3, 2)), [[0], [1, 1], [0]]), "y"),
        (lambda: confusion_matrix([[0], [1, 1]], [0, 1]), "y_true"),
        (lambda: confusion_matrix([0, 1], [[0], [1, 1]]), "y_pred"),
        (lambda: accuracy([[0.0], [1.0, 2.0]], [0, 1]), "outputs"),
    ],
)
def test_ragged_labels_are_named(call, name):
    with pytest.raises(TypeError, match=rf"^{name} must be an array of numbers with rows of equal length") as info:
        call()
    assert "inhomogeneous" not in str(info.value)


def test_numpy_scalars_are_accepted_as_numbers():
    # probabilities 0.2, 0.7, 0.5 against 0, 1, 1 with threshold 1/2: two of three
    assert accuracy(np.array([0.2, 0.7, 0.5]), np.array([0, 1, 1]), threshold=np.float32(0.5)) == pytest.approx(2 / 3)
    assert predicted_classes(np.array([0.3, -0.3]), negative_label=np.int64(-1)).tolist() == [1, -1]
    assert confusion_matrix([0, 1], [1, 1], n_classes=np.int64(3)).shape == (3, 3)


# -- the module ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["accuracy", "confusion_matrix", "predicted_classes"])
def test_metrics_are_documented_with_their_chapter(name):
    doc = inspect.getdoc(getattr(metrics, name))
    assert "Chapter 9" in doc and ("=" in doc or ":math:" in doc)


def test_dlnotes_exports_metrics_which_needs_only_numpy():
    assert "metrics" in dlnotes.__all__ and dlnotes.metrics is metrics
    code = "import dlnotes.metrics, sys; assert 'matplotlib' not in sys.modules and 'ipywidgets' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
