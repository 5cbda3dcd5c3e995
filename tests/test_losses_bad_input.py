"""Bad input to the losses: a ValueError or TypeError that names the argument, never a NumPy error (chapter 2)."""

import math

import numpy as np
import pytest

from dlnotes import losses as L

# (function, name of its prediction argument, a valid prediction, a valid target)
FUNCTIONS = [
    (L.mse_loss, "pred", [0.5, 1.0], [0.0, 1.0]),
    (L.l1_loss, "pred", [0.5, 1.0], [0.0, 1.0]),
    (L.smooth_l1_loss, "pred", [0.5, 1.0], [0.0, 1.0]),
    (L.huber_loss, "pred", [0.5, 1.0], [0.0, 1.0]),
    (L.binary_cross_entropy, "prob", [0.5, 0.9], [0, 1]),
    (L.binary_cross_entropy_with_logits, "logit", [0.5, -1.0], [0, 1]),
    (L.soft_margin_loss, "score", [0.5, -1.0], [-1, 1]),
    (L.zero_one_loss, "pred", [0.5, 1.0], [0.0, 1.0]),
    (L.absolute_loss, "pred", [0.5, 1.0], [0.0, 1.0]),
    (L.hinge_loss, "score", [0.5, -1.0], [-1, 1]),
    (L.exponential_loss, "score", [0.5, -1.0], [-1, 1]),
]
IDS = [f[0].__name__ for f in FUNCTIONS]
CLASSES = [L.MSELoss, L.L1Loss, L.SmoothL1Loss, L.HuberLoss, L.BCELoss, L.BCEWithLogitsLoss, L.SoftMarginLoss]
CLASSES += [L.CrossEntropyLoss, L.HingeLoss, L.ExponentialLoss]


@pytest.mark.parametrize(("function", "name", "pred", "target"), FUNCTIONS, ids=IDS)
def test_valid_cases_pass(function, name, pred, target):
    assert function(pred, target) >= 0  # the cases below differ from these in one thing only


@pytest.mark.parametrize(("function", "name", "pred", "target"), FUNCTIONS, ids=IDS)
def test_shape_mismatch_names_target(function, name, pred, target):
    with pytest.raises(ValueError, match=r"target must have the shape of .*\(2,\), got shape \(3,\)"):
        function(pred, target + target[:1])
    with pytest.raises(ValueError, match="target"):
        function(pred, [target])  # (1, 2) is not (2,): no broadcasting


@pytest.mark.parametrize(("function", "name", "pred", "target"), FUNCTIONS, ids=IDS)
def test_unknown_reduction(function, name, pred, target):
    with pytest.raises(ValueError, match="reduction.*'avg'"):
        function(pred, target, reduction="avg")


@pytest.mark.parametrize("cls", CLASSES)
def test_unknown_reduction_in_a_class(cls):
    with pytest.raises(ValueError, match="reduction.*'batchmean'"):
        cls(reduction="batchmean")


@pytest.mark.parametrize(("function", "name", "pred", "target"), FUNCTIONS, ids=IDS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_input(function, name, pred, target, bad):
    with pytest.raises(ValueError, match=f"{name} must be finite"):
        function([bad, pred[1]], target)
    with pytest.raises(ValueError, match="target must be finite"):
        function(pred, [bad, target[1]])


@pytest.mark.parametrize(("function", "name", "pred", "target"), FUNCTIONS, ids=IDS)
def test_non_numeric_input(function, name, pred, target):
    with pytest.raises(TypeError, match=name):
        function(["a", "b"], target)
    with pytest.raises(TypeError, match="target"):
        function(pred, [[0.0], 1.0])


@pytest.mark.parametrize(("function", "name", "pred", "target"), FUNCTIONS, ids=IDS)
def test_empty_input(function, name, pred, target):
    with pytest.raises(ValueError, match=f"{name} must hold at least one value"):
        function([], [])


@pytest.mark.parametrize("function", [L.binary_cross_entropy, L.binary_cross_entropy_with_logits])
@pytest.mark.parametrize("label", [0.5, -1, 2])
def test_binary_cross_entropy_targets_must_be_0_or_1(function, label):
    with pytest.raises(ValueError, match=rf"target must hold only the labels 0 and 1, got {float(label)!r}"):
        function([0.5, 0.5], [1.0, label])


@pytest.mark.parametrize("function", [L.soft_margin_loss, L.hinge_loss, L.exponential_loss])
@pytest.mark.parametrize("label", [0, 0.5, 2])
def test_margin_targets_must_be_plus_or_minus_1(function, label):
    with pytest.raises(ValueError, match=rf"target must hold only the labels -1 and 1, got {float(label)!r}"):
        function([0.5, 0.5], [1, label])


@pytest.mark.parametrize("cls", [L.BCELoss, L.BCEWithLogitsLoss, L.SoftMarginLoss, L.HingeLoss, L.ExponentialLoss])
def test_classes_check_labels_too(cls):
    with pytest.raises(ValueError, match="target must hold only the labels"):
        cls()([0.5, 0.5], [1, 0.25])


@pytest.mark.parametrize("prob", [1.5, -0.1])
def test_probabilities_outside_0_1(prob):
    with pytest.raises(ValueError, match=rf"prob must hold probabilities in \[0, 1\], got {prob!r}"):
        L.binary_cross_entropy([0.5, prob], [1, 0])
    with pytest.raises(ValueError, match="pred must hold probabilities"):
        L.BCELoss()([0.5, prob], [1, 0])


@pytest.mark.parametrize("beta", [-0.5, math.inf, math.nan])
def test_bad_beta(beta):
    with pytest.raises(ValueError, match="beta"):
        L.smooth_l1_loss([0.5], [0.0], beta)
    with pytest.raises(ValueError, match="beta"):
        L.SmoothL1Loss(beta=beta)


@pytest.mark.parametrize("delta", [0.0, -1.0, math.inf, math.nan])
def test_bad_delta(delta):
    with pytest.raises(ValueError, match="delta"):
        L.huber_loss([0.5], [0.0], delta)
    with pytest.raises(ValueError, match="delta"):
        L.HuberLoss(delta=delta)


def test_hyperparameters_must_be_numbers():
    with pytest.raises(TypeError, match="beta"):
        L.smooth_l1_loss([0.5], [0.0], "1")
    with pytest.raises(TypeError, match="delta"):
        L.huber_loss([0.5], [0.0], "sum")  # reduction passed where delta goes
    with pytest.raises(TypeError, match="label_smoothing"):
        L.CrossEntropyLoss(label_smoothing=None)
    with pytest.raises(TypeError, match="threshold"):
        L.zero_one_loss([0.5], [0.0], "0.1")


@pytest.mark.parametrize("eps", [-0.1, 1.1, math.nan])
def test_label_smoothing_outside_0_1(eps):
    with pytest.raises(ValueError, match="label_smoothing"):
        L.cross_entropy([[0.0, 1.0]], [1], eps)
    with pytest.raises(ValueError, match="label_smoothing"):
        L.CrossEntropyLoss(label_smoothing=eps)


@pytest.mark.parametrize("threshold", [0.0, -1.0, math.inf])
def test_bad_threshold(threshold):
    with pytest.raises(ValueError, match="threshold"):
        L.zero_one_loss([0.5], [0.0], threshold)


# -- cross-entropy -----------------------------------------------------------------

LOGITS = [[0.0, 1.0, 2.0], [1.0, 0.0, -1.0]]


def test_valid_cross_entropy_case_passes():
    assert L.cross_entropy(LOGITS, [2, 0]) > 0


@pytest.mark.parametrize(("label", "shown"), [(3, "got 3 at position 1"), (-1, "got -1 at position 1")])
def test_cross_entropy_label_out_of_range(label, shown):
    with pytest.raises(ValueError, match=rf"target must hold class indices in \[0, 2\] for 3 classes, {shown}"):
        L.cross_entropy(LOGITS, [2, label])
    with pytest.raises(ValueError, match="target .*" + shown):
        L.CrossEntropyLoss()(LOGITS, [2, label])


@pytest.mark.parametrize("target", [[2.0, 0.0], [True, False], ["2", "0"]])
def test_cross_entropy_class_targets_must_be_integers(target):
    with pytest.raises(TypeError, match="target must hold integer class indices"):
        L.cross_entropy(LOGITS, target)


@pytest.mark.parametrize("target", [[2], [2, 0, 1], [[2, 0]], 2])
def test_cross_entropy_one_target_per_row(target):
    with pytest.raises(ValueError, match=r"target must have shape \(2,\)"):
        L.cross_entropy(LOGITS, target)


@pytest.mark.parametrize("logits", [[0.0, 1.0], [[[0.0, 1.0]]], 1.0])
def test_cross_entropy_logits_must_be_2d(logits):
    with pytest.raises(ValueError, match="logits must be 2-D"):
        L.cross_entropy(logits, [0])


def test_cross_entropy_empty_or_non_finite_logits():
    with pytest.raises(ValueError, match="logits must have at least one row"):
        L.cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match="logits must be finite"):
        L.cross_entropy([[0.0, math.nan]], [0])
    with pytest.raises(ValueError, match="pred must be finite"):
        L.CrossEntropyLoss()([[0.0, math.inf]], [0])


def test_a_failed_forward_leaves_no_stale_state_for_backward():
    loss = L.MSELoss()
    with pytest.raises(ValueError, match="target"):
        loss([1.0, 2.0], [1.0])
    with pytest.raises(RuntimeError, match="forward"):
        loss.backward()
