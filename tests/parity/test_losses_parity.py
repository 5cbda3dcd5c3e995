"""Every functional loss and reduction, and the loss classes' gradients, against PyTorch in float64.

For ``reduction="none"`` a class's ``backward()`` is the gradient of the sum
of the losses, which is what autograd gives for ``loss.sum().backward()``.
"""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlnotes import losses as L

REDUCTIONS = ["mean", "sum", "none"]
rng = np.random.default_rng(0)

# Regression: residuals through 0, through +-1 (the default beta/delta) and beyond, plus large ones.
PRED = np.concatenate([rng.standard_normal(20) * 3, [0.0, 1.0, -1.0, 2.0, 0.5, 1e4]])
TARGET = np.concatenate([rng.standard_normal(20), [0.0, 0.0, 0.0, 0.0, 0.0, -1e4]])
# Binary: probabilities inside (0, 1), logits up to +-1e4, labels in {0, 1} and {-1, +1}.
PROB = np.concatenate([rng.uniform(0.01, 0.99, 20), [0.5, 1e-12, 1 - 1e-12]])
LOGIT = np.concatenate([rng.standard_normal(20) * 4, [0.0, 1e4, -1e4]])
LABEL01 = np.concatenate([rng.integers(0, 2, 20), [1, 0, 1]]).astype(np.float64)
LABELPM = 2.0 * LABEL01 - 1.0
# Multi-class: logits (N, C) with one row of large logits, class indices (N,).
LOGITS = np.vstack([rng.standard_normal((7, 5)) * 3, [[1e4, -1e4, 0.0, 5e3, -5e3]]])
CLASSES = np.concatenate([rng.integers(0, 5, 7), [3]])

#: (name, our function, our class, torch function, inputs, keyword arguments)
CASES = [
    ("mse", L.mse_loss, L.MSELoss, F.mse_loss, (PRED, TARGET), {}),
    ("l1", L.l1_loss, L.L1Loss, F.l1_loss, (PRED, TARGET), {}),
    ("smooth_l1", L.smooth_l1_loss, L.SmoothL1Loss, F.smooth_l1_loss, (PRED, TARGET), {}),
    ("smooth_l1", L.smooth_l1_loss, L.SmoothL1Loss, F.smooth_l1_loss, (PRED, TARGET), {"beta": 0.5}),
    ("smooth_l1", L.smooth_l1_loss, L.SmoothL1Loss, F.smooth_l1_loss, (PRED, TARGET), {"beta": 2.0}),
    ("huber", L.huber_loss, L.HuberLoss, F.huber_loss, (PRED, TARGET), {}),
    ("huber", L.huber_loss, L.HuberLoss, F.huber_loss, (PRED, TARGET), {"delta": 0.5}),
    ("huber", L.huber_loss, L.HuberLoss, F.huber_loss, (PRED, TARGET), {"delta": 2.0}),
    ("bce", L.binary_cross_entropy, L.BCELoss, F.binary_cross_entropy, (PROB, LABEL01), {}),
    (
        "bce_with_logits",
        L.binary_cross_entropy_with_logits,
        L.BCEWithLogitsLoss,
        F.binary_cross_entropy_with_logits,
        (LOGIT, LABEL01),
        {},
    ),
    # PyTorch evaluates log(1 + exp(-y s)) directly, so it overflows to inf beyond |s| ~ 709;
    # compare where it is finite (see test_soft_margin_loss_is_finite_where_torch_overflows).
    ("soft_margin", L.soft_margin_loss, L.SoftMarginLoss, F.soft_margin_loss, (LOGIT[:-2], LABELPM[:-2]), {}),
    ("cross_entropy", L.cross_entropy, L.CrossEntropyLoss, F.cross_entropy, (LOGITS, CLASSES), {}),
    (
        "cross_entropy",
        L.cross_entropy,
        L.CrossEntropyLoss,
        F.cross_entropy,
        (LOGITS, CLASSES),
        {"label_smoothing": 0.1},
    ),
    (
        "cross_entropy",
        L.cross_entropy,
        L.CrossEntropyLoss,
        F.cross_entropy,
        (LOGITS, CLASSES),
        {"label_smoothing": 0.7},
    ),
]
IDS = [f"{name}{kwargs or ''}" for name, *_, kwargs in CASES]


def torch_loss(fn, pred, target, kwargs, reduction):
    """PyTorch's loss and its gradient (of the sum, for ``"none"``) with respect to ``pred``."""
    pred_t = torch.tensor(pred, requires_grad=True)
    target_t = torch.tensor(target)
    value = fn(pred_t, target_t, reduction=reduction, **kwargs)
    value.sum().backward()
    return value.detach().numpy(), pred_t.grad.numpy()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("name", "function", "cls", "torch_fn", "inputs", "kwargs"), CASES, ids=IDS)
def test_functional_loss(name, function, cls, torch_fn, inputs, kwargs, reduction, close):
    value, _ = torch_loss(torch_fn, *inputs, kwargs, reduction)
    close(function(*inputs, reduction=reduction, **kwargs), value, f"{name}(reduction={reduction!r})")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("name", "function", "cls", "torch_fn", "inputs", "kwargs"), CASES, ids=IDS)
def test_loss_class_value_and_gradient(name, function, cls, torch_fn, inputs, kwargs, reduction, close):
    value, grad = torch_loss(torch_fn, *inputs, kwargs, reduction)
    loss = cls(reduction=reduction, **kwargs)
    result = loss(*inputs)
    if reduction != "none":
        assert isinstance(result, float), f"{cls.__name__} must return a float for reduction={reduction!r}"
    close(result, value, f"{cls.__name__}(reduction={reduction!r}) value")
    close(loss.backward(), grad, f"{cls.__name__}(reduction={reduction!r}) gradient")


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_at_probabilities_0_and_1(reduction, close):
    """PyTorch clamps each log at -100, so a certain wrong answer costs 100, not infinity."""
    prob = np.array([0.0, 1.0, 0.0, 1.0])
    target = np.array([0.0, 1.0, 1.0, 0.0])
    value, _ = torch_loss(F.binary_cross_entropy, prob, target, {}, reduction)
    close(L.binary_cross_entropy(prob, target, reduction=reduction), value, "binary_cross_entropy at 0 and 1")


def test_soft_margin_loss_is_finite_where_torch_overflows():
    """At margin y s = -1e4 the loss is log(1 + e^{1e4}) = 1e4 + log(1 + e^{-1e4}) = 1e4 in float64.

    PyTorch 2.13 returns inf here (it evaluates exp(1e4)); ours follows the
    exact value, as the package promises for inputs up to 1e4. At y s = +1e4 both give 0
    up to e^{-1e4}.
    """
    score, target = np.array([1e4, -1e4]), np.array([-1.0, 1.0])
    assert torch.isinf(F.soft_margin_loss(torch.tensor(score), torch.tensor(target), reduction="none")).all()
    assert np.array_equal(L.soft_margin_loss(score, target, reduction="none"), [1e4, 1e4])
    assert L.soft_margin_loss(np.array([1e4]), np.array([1.0]), reduction="sum") == 0.0


# -- logits beyond the dtype's range, and float16 at its boundaries --------------------

TORCH_DTYPES = {np.float64: torch.float64, np.float32: torch.float32, np.float16: torch.float16}
RTOL = {np.float64: 1e-12, np.float32: 1e-6, np.float16: 2e-3}  # float16: two ulps


def torch_loss_in(dtype, fn, pred, target, kwargs, reduction):
    """PyTorch's loss and gradient with the prediction (and a float target) in ``dtype``."""
    pred_t = torch.tensor(np.asarray(pred, dtype=dtype), requires_grad=True)
    target = np.asarray(target)
    target_t = torch.tensor(target.astype(dtype) if target.dtype.kind == "f" else target)
    value = fn(pred_t, target_t, reduction=reduction, **kwargs)
    (grad,) = torch.autograd.grad(value.sum(), pred_t)
    return np.asarray(value.detach().numpy(), dtype=np.float64), np.asarray(grad.numpy(), dtype=np.float64)


def assert_matches_torch(dtype, ours, fn, pred, target, kwargs, reduction, what):
    """``ours`` (value or gradient, chosen by ``what``) against PyTorch in ``dtype``.

    float16 losses are computed in float32 and rounded once, where PyTorch
    rounds to float16 after each of its kernels. So in float16 ours must
    equal PyTorch's float64 answer rounded to float16 (the exact answer), and
    PyTorch's float16 answer wherever that one is finite, to float16's
    resolution (1e-4 near 0). Where PyTorch's float16 kernels overflow or
    divide by a 1e-12 that float16 rounds to 0, its answer is inf or NaN and
    ours is the exact one (README, "From dlnotes to PyTorch").
    """
    pick = 0 if what.endswith("value") else 1
    ours = np.asarray(ours, dtype=np.float64)
    theirs = torch_loss_in(dtype, fn, pred, target, kwargs, reduction)[pick]
    if dtype != np.float16:
        np.testing.assert_allclose(ours, theirs, rtol=RTOL[dtype], atol=1e-30, err_msg=what)
        return
    pred16 = np.asarray(pred, dtype=np.float16)  # the same inputs, exactly, in float64
    exact = torch_loss_in(np.float64, fn, pred16.astype(np.float64), target, kwargs, reduction)[pick]
    with np.errstate(over="ignore"):
        np.testing.assert_allclose(ours, exact.astype(np.float16), rtol=RTOL[dtype], atol=1e-6, err_msg=f"{what} (exact)")
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=RTOL[dtype], atol=1e-4, err_msg=f"{what} (float16)")


BEYOND = [(np.float64, 1e308), (np.float32, 3e38), (np.float16, 6e4)]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
@pytest.mark.parametrize(("dtype", "big"), BEYOND)
def test_cross_entropy_of_logits_beyond_the_dtypes_range(dtype, big, label_smoothing, reduction):
    logits = np.array([[big, 0.0, -big], [big, 0.0, -big], [big, 0.0, -big], [1.0, 2.0, 0.5]], dtype=dtype)
    target = np.array([0, 1, 2, 1])
    kwargs = {"label_smoothing": label_smoothing}
    loss = L.CrossEntropyLoss(reduction=reduction, **kwargs)
    ours = loss(logits, target)
    assert_matches_torch(dtype, ours, F.cross_entropy, logits, target, kwargs, reduction, "value")
    assert_matches_torch(dtype, loss.backward(), F.cross_entropy, logits, target, kwargs, reduction, "gradient")
    np.testing.assert_array_equal(L.cross_entropy(logits, target, label_smoothing, reduction=reduction), ours)


#: (our class, torch function, predictions, targets) in float16, through 0, 1 and the largest float16.
FLOAT16_CASES = [
    (L.BCELoss, F.binary_cross_entropy, [0.0, 1.0, 0.0, 1.0, 0.5, 1e-4, 0.999, 0.25], [0, 1, 1, 0, 1, 1, 0, 0]),
    (
        L.BCEWithLogitsLoss,
        F.binary_cross_entropy_with_logits,
        [0.0, 65504.0, -65504.0, 65504.0, -65504.0, 10.0, -10.0, 20.0, -20.0, 3.0],
        [0, 0, 1, 1, 0, 1, 0, 1, 0, 1],
    ),
    (L.MSELoss, F.mse_loss, [300.0, 65504.0, 0.5, -2.0], [0.0, -65504.0, 0.0, 1.0]),
    (L.L1Loss, F.l1_loss, [300.0, 65504.0, 0.5, -2.0], [0.0, -65504.0, 0.0, 1.0]),
    (L.SmoothL1Loss, F.smooth_l1_loss, [300.0, 65504.0, 0.5, -2.0], [0.0, -65504.0, 0.0, 1.0]),
    (L.HuberLoss, F.huber_loss, [300.0, 65504.0, 0.5, -2.0], [0.0, -65504.0, 0.0, 1.0]),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("cls", "fn", "pred", "target"), FLOAT16_CASES, ids=[c[0].__name__ for c in FLOAT16_CASES])
def test_float16_losses_at_the_boundaries(cls, fn, pred, target, reduction):
    target = np.array(target, dtype=np.float64)
    loss = cls(reduction=reduction)
    value = loss(np.array(pred, dtype=np.float16), target)
    assert_matches_torch(np.float16, value, fn, pred, target, {}, reduction, f"{cls.__name__} value")
    assert_matches_torch(np.float16, loss.backward(), fn, pred, target, {}, reduction, f"{cls.__name__} gradient")


def test_float16_bce_gradient_of_a_certain_right_answer_is_0_where_torch_gives_nan():
    prob = torch.tensor([0.0, 1.0], dtype=torch.float16, requires_grad=True)
    F.binary_cross_entropy(prob, torch.tensor([0.0, 1.0], dtype=torch.float16), reduction="sum").backward()
    assert torch.isnan(prob.grad).all()
    loss = L.BCELoss(reduction="sum")
    loss(np.array([0.0, 1.0], dtype=np.float16), [0, 1])
    np.testing.assert_array_equal(loss.backward(), [0.0, 0.0])


def test_float16_soft_margin_is_finite_where_torch_overflows():
    """exp(20) is beyond float16, so PyTorch's log(1 + exp(-y s)) is inf at margin -20; ours is 20."""
    score, target = np.array([-20.0, 5.0], dtype=np.float16), np.array([1.0, 1.0])
    theirs = F.soft_margin_loss(torch.tensor(score), torch.tensor(target, dtype=torch.float16), reduction="none")
    assert torch.isinf(theirs[0]) and abs(float(theirs[1]) - math.log1p(math.exp(-5))) < 1e-5
    ours = L.soft_margin_loss(score, target, reduction="none")
    np.testing.assert_allclose(ours, [20.0, math.log1p(math.exp(-5))], rtol=RTOL[np.float16])


def test_huber_loss_positional_arguments_as_in_torch(close):
    pred, target = np.array([0.5, 3.0, -4.0]), np.zeros(3)
    theirs = torch.nn.HuberLoss("sum", 2.0)(torch.tensor(pred), torch.tensor(target))
    close(L.HuberLoss("sum", 2.0)(pred, target), theirs, "HuberLoss('sum', 2.0)")
