"""Loss values at hand-worked points, gradients against centred differences, dtype and stability (chapter 2)."""

import math

import numpy as np
import pytest

from dlnotes import losses as L
from dlnotes.activations import log1p_exp, softplus
from dlnotes.gradcheck import check_loss_gradients

REDUCTIONS = ["mean", "sum", "none"]


def close(a, b, rtol=1e-12):
    np.testing.assert_allclose(a, b, rtol=rtol, atol=0)


def each_reduction(fn, pred, target, terms, **kwargs):
    """``fn`` must give ``terms`` for "none", their mean for "mean" and their sum for "sum"."""
    terms = np.asarray(terms, dtype=float)
    close(fn(pred, target, reduction="none", **kwargs), terms)
    close(fn(pred, target, reduction="sum", **kwargs), terms.sum())
    close(fn(pred, target, reduction="mean", **kwargs), terms.mean())
    assert isinstance(fn(pred, target, **kwargs), float)  # "mean" is the default


# -- values at hand-picked points --------------------------------------------------


def test_mse():
    # residuals 1 and 3: squares 1 and 9, sum 10, mean 5
    each_reduction(L.mse_loss, [1.0, 3.0], [0.0, 0.0], [1.0, 9.0])


def test_l1():
    each_reduction(L.l1_loss, [1.0, -3.0], [0.0, 0.0], [1.0, 3.0])


def test_smooth_l1():
    # beta 1: residual 0.5 is inside, 0.5 * 0.25 = 0.125; residual 3 outside, 3 - 0.5 = 2.5
    each_reduction(L.smooth_l1_loss, [0.5, 3.0], [0.0, 0.0], [0.125, 2.5])
    # beta 2: residual 1 inside, 0.5 * 1 / 2 = 0.25; residual -3 outside, 3 - 1 = 2
    each_reduction(L.smooth_l1_loss, [1.0, -3.0], [0.0, 0.0], [0.25, 2.0], beta=2.0)
    # beta 0 is L1
    each_reduction(L.smooth_l1_loss, [0.5, -3.0], [0.0, 0.0], [0.5, 3.0], beta=0.0)
    # at |d| = beta both pieces give beta / 2
    close(L.smooth_l1_loss(2.0, 0.0, beta=2.0), 1.0)


def test_huber():
    each_reduction(L.huber_loss, [0.5, 3.0], [0.0, 0.0], [0.125, 2.5])
    # delta 2: residual 1 gives 0.5; residual 3 gives 2 * (3 - 1) = 4
    each_reduction(L.huber_loss, [1.0, 3.0], [0.0, 0.0], [0.5, 4.0], delta=2.0)


def test_binary_cross_entropy():
    # p = 1/2 costs log 2 whatever the label; p = 1/4 with label 0 costs -log(3/4)
    each_reduction(L.binary_cross_entropy, [0.5, 0.5, 0.25], [1, 0, 0], [math.log(2), math.log(2), -math.log(0.75)])
    # certain and right costs 0; certain and wrong costs 100 (log clamped at -100, as PyTorch)
    each_reduction(L.binary_cross_entropy, [1.0, 0.0, 0.0, 1.0], [1, 0, 1, 0], [0.0, 0.0, 100.0, 100.0])


def test_binary_cross_entropy_with_logits():
    # sigmoid(0) = 1/2: log 2; sigmoid(log 3) = 3/4: label 1 costs log(4/3), label 0 costs log 4
    each_reduction(
        L.binary_cross_entropy_with_logits,
        [0.0, 0.0, math.log(3), math.log(3)],
        [1, 0, 1, 0],
        [math.log(2), math.log(2), math.log(4 / 3), math.log(4)],
    )


def test_soft_margin():
    # log(1 + e^{-ys}): s = 0 gives log 2; s = log 3 with y = -1 gives log 4, with y = +1 log(4/3)
    each_reduction(
        L.soft_margin_loss, [0.0, math.log(3), math.log(3)], [1, -1, 1], [math.log(2), math.log(4), math.log(4 / 3)]
    )


@pytest.mark.parametrize("classes", [1, 2, 3, 10])
def test_cross_entropy_of_equal_logits_is_log_c(classes):
    logits = np.full((4, classes), 2.5)
    target = np.arange(4) % classes
    each_reduction(L.cross_entropy, logits, target, [math.log(classes)] * 4)
    # label smoothing moves weight to the uniform distribution: still log C when p is uniform
    close(L.cross_entropy(logits, target, 0.3), math.log(classes))


def test_cross_entropy():
    # logits (0, log 3): p = (1/4, 3/4)
    logits = np.array([[0.0, math.log(3)], [0.0, math.log(3)]])
    each_reduction(L.cross_entropy, logits, [1, 0], [math.log(4 / 3), math.log(4)])
    # eps = 1/2 over C = 2: q = (1/4, 3/4) for class 1
    close(L.cross_entropy(logits[:1], [1], 0.5), 0.25 * math.log(4) + 0.75 * math.log(4 / 3))
    # eps = 1: q uniform, the label no longer matters
    close(L.cross_entropy(logits, [1, 0], 1.0, reduction="none"), [0.5 * math.log(4) + 0.5 * math.log(4 / 3)] * 2)


def test_zero_one():
    each_reduction(L.zero_one_loss, [1, 2, 3], [1, 0, 3], [0.0, 1.0, 0.0])
    # |y - f| < T counts as right: |d| = 0.2, 1, 0.4 with T = 0.5
    each_reduction(L.zero_one_loss, [1.2, 2.0, 2.6], [1.0, 1.0, 3.0], [0.0, 1.0, 0.0], threshold=0.5)
    # exactly T away is wrong
    assert L.zero_one_loss(1.5, 1.0, threshold=0.5) == 1.0


def test_absolute():
    each_reduction(L.absolute_loss, [1.0, -1.0, 0.5], [-1, -1, 1], [2.0, 0.0, 0.5])


def test_hinge():
    # max(0, 1 - ys): 0.5 with y = 1 gives 0.5; margin 2 gives 0; 0.5 with y = -1 gives 1.5; margin 1 gives 0
    each_reduction(L.hinge_loss, [0.5, 2.0, 0.5, -1.0], [1, 1, -1, -1], [0.5, 0.0, 1.5, 0.0])


def test_exponential():
    # e^{-ys}: 1 at s = 0, 1/2 at s = log 2 with y = 1, 2 with y = -1
    each_reduction(L.exponential_loss, [0.0, math.log(2), math.log(2)], [1, 1, -1], [1.0, 0.5, 2.0])


# -- classes: the same numbers, and backward ---------------------------------------

# (class, keyword arguments, functional twin with the same keywords, prediction, target).
# Predictions stay clear of kinks (residual 0, |residual| = beta or delta, margin 1) so the
# centred differences are exact up to rounding.
RESIDUALS = np.array([[-2.3, -0.4, 0.3], [1.7, 0.8, -1.2]])
TARGETS = np.array([[0.5, -1.0, 2.0], [0.0, 3.0, -0.7]])
SCORES = np.array([[-2.1, -0.3, 0.4], [1.9, 0.6, -0.8]])
LABELS_PM = np.array([[1, -1, 1], [-1, 1, 1]])
LABELS_01 = (LABELS_PM + 1) // 2
LOGITS = np.array([[1.0, -2.0, 0.5, 0.0], [3.0, 2.9, -1.0, 0.2], [-0.5, 0.3, 0.1, 2.2]])
CLASSES = np.array([2, 0, 3])

CASES = [
    (L.MSELoss, {}, L.mse_loss, TARGETS + RESIDUALS, TARGETS),
    (L.L1Loss, {}, L.l1_loss, TARGETS + RESIDUALS, TARGETS),
    (L.SmoothL1Loss, {}, L.smooth_l1_loss, TARGETS + RESIDUALS, TARGETS),
    (L.SmoothL1Loss, {"beta": 0.5}, L.smooth_l1_loss, TARGETS + RESIDUALS, TARGETS),
    (L.SmoothL1Loss, {"beta": 0.0}, L.smooth_l1_loss, TARGETS + RESIDUALS, TARGETS),
    (L.HuberLoss, {}, L.huber_loss, TARGETS + RESIDUALS, TARGETS),
    (L.HuberLoss, {"delta": 2.0}, L.huber_loss, TARGETS + RESIDUALS, TARGETS),
    (L.BCELoss, {}, L.binary_cross_entropy, 1 / (1 + np.exp(-SCORES)), LABELS_01),
    (L.BCEWithLogitsLoss, {}, L.binary_cross_entropy_with_logits, SCORES, LABELS_01),
    (L.SoftMarginLoss, {}, L.soft_margin_loss, SCORES, LABELS_PM),
    (L.HingeLoss, {}, L.hinge_loss, SCORES, LABELS_PM),
    (L.ExponentialLoss, {}, L.exponential_loss, SCORES, LABELS_PM),
    (L.CrossEntropyLoss, {}, L.cross_entropy, LOGITS, CLASSES),
    (L.CrossEntropyLoss, {"label_smoothing": 0.2}, L.cross_entropy, LOGITS, CLASSES),
]
CASE_IDS = [f"{cls.__name__}{kwargs or ''}" for cls, kwargs, *_ in CASES]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("cls", "kwargs", "function", "pred", "target"), CASES, ids=CASE_IDS)
def test_gradients_match_centred_differences(cls, kwargs, function, pred, target, reduction):
    loss = cls(reduction=reduction, **kwargs)
    assert check_loss_gradients(loss, pred.copy(), target) < 1e-6


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("cls", "kwargs", "function", "pred", "target"), CASES, ids=CASE_IDS)
def test_class_and_function_agree(cls, kwargs, function, pred, target, reduction):
    loss = cls(reduction=reduction, **kwargs)
    value = loss(pred, target)
    np.testing.assert_array_equal(value, function(pred, target, reduction=reduction, **kwargs))
    np.testing.assert_array_equal(value, loss.forward(pred, target))
    if reduction == "none":
        assert value.shape == ((pred.shape[0],) if cls is L.CrossEntropyLoss else pred.shape)
    else:
        assert isinstance(value, float)


@pytest.mark.parametrize(("cls", "kwargs", "function", "pred", "target"), CASES, ids=CASE_IDS)
def test_mean_gradient_is_sum_gradient_over_count(cls, kwargs, function, pred, target):
    mean, total = cls(reduction="mean", **kwargs), cls(reduction="sum", **kwargs)
    mean(pred, target), total(pred, target)
    count = pred.shape[0] if cls is L.CrossEntropyLoss else pred.size
    close(mean.backward() * count, total.backward())


@pytest.mark.parametrize(("cls", "kwargs", "function", "pred", "target"), CASES, ids=CASE_IDS)
def test_backward_before_forward_raises(cls, kwargs, function, pred, target):
    with pytest.raises(RuntimeError, match="forward"):
        cls(**kwargs).backward()


@pytest.mark.parametrize(("cls", "kwargs", "function", "pred", "target"), CASES, ids=CASE_IDS)
def test_backward_uses_the_inputs_of_forward(cls, kwargs, function, pred, target):
    loss = cls(**kwargs)
    x = pred.copy()
    loss(x, target)
    expected = loss.backward()
    x += 0.01  # changing the caller's array afterwards does not change the gradient
    np.testing.assert_array_equal(loss.backward(), expected)


def test_gradients_at_hand_picked_points():
    mse = L.MSELoss()
    mse([1.0, 3.0], [0.0, 0.0])
    close(mse.backward(), [1.0, 3.0])  # 2 d / n
    l1 = L.L1Loss(reduction="sum")
    l1([2.0, 0.0, -1.0], [0.0, 0.0, 0.0])
    close(l1.backward(), [1.0, 0.0, -1.0])  # sign(0) = 0, as PyTorch
    smooth = L.SmoothL1Loss(reduction="sum", beta=2.0)
    smooth([1.0, 2.0, -5.0], [0.0, 0.0, 0.0])
    close(smooth.backward(), [0.5, 1.0, -1.0])  # d / beta inside, sign(d) from |d| = beta on
    huber = L.HuberLoss(reduction="sum", delta=2.0)
    huber([1.0, 2.0, -5.0], [0.0, 0.0, 0.0])
    close(huber.backward(), [1.0, 2.0, -2.0])
    bce = L.BCELoss(reduction="sum")
    bce([0.5, 0.25], [1, 0])
    close(bce.backward(), [-2.0, 0.25 / (0.25 * 0.75)])  # (p - y) / (p (1 - p))
    logits = L.BCEWithLogitsLoss(reduction="sum")
    logits([0.0, math.log(3)], [1, 0])
    close(logits.backward(), [-0.5, 0.75])  # sigmoid(z) - y
    soft = L.SoftMarginLoss(reduction="sum")
    soft([0.0, math.log(3)], [1, -1])
    close(soft.backward(), [-0.5, 0.75])  # -y sigmoid(-ys)
    hinge = L.HingeLoss(reduction="sum")
    hinge([0.5, 1.0, 3.0, 0.5], [1, 1, 1, -1])
    close(hinge.backward(), [-1.0, 0.0, 0.0, 1.0])  # -y below margin 1, 0 at and above it
    exp = L.ExponentialLoss(reduction="sum")
    exp([math.log(2), 0.0], [1, -1])
    close(exp.backward(), [-0.5, 1.0])  # -y e^{-ys}
    ce = L.CrossEntropyLoss()
    ce(np.zeros((2, 3)), [0, 2])
    close(ce.backward(), np.array([[-2 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, -2 / 3]]) / 2)  # (p - onehot) / N
    smoothed = L.CrossEntropyLoss(reduction="sum", label_smoothing=0.3)
    smoothed(np.zeros((1, 3)), [1])
    # p = 1/3 each; q = (0.1, 0.8, 0.1): p - q = (0.2333..., -0.4666..., 0.2333...)
    close(smoothed.backward(), [[1 / 3 - 0.1, 1 / 3 - 0.8, 1 / 3 - 0.1]])


def test_smooth_l1_with_beta_zero_is_l1_value_and_gradient():
    pred, target = np.array([-1.5, 0.0, 0.25]), np.zeros(3)
    smooth, l1 = L.SmoothL1Loss(reduction="none", beta=0.0), L.L1Loss(reduction="none")
    np.testing.assert_array_equal(smooth(pred, target), l1(pred, target))
    np.testing.assert_array_equal(smooth.backward(), l1.backward())


def test_absolute_loss_is_l1():
    pred, target = [1.0, -2.0, 0.5], [1.0, 1.0, -1.0]
    for reduction in REDUCTIONS:
        np.testing.assert_array_equal(
            L.absolute_loss(pred, target, reduction=reduction), L.l1_loss(pred, target, reduction=reduction)
        )


def test_repr_shows_the_settings():
    assert repr(L.SmoothL1Loss(beta=0.5)) == "SmoothL1Loss(reduction='mean', beta=0.5)"
    assert repr(L.CrossEntropyLoss(reduction="sum")) == "CrossEntropyLoss(reduction='sum', label_smoothing=0.0)"
    assert repr(L.MSELoss()) == "MSELoss(reduction='mean')"


# -- dtype ---------------------------------------------------------------------------


@pytest.mark.parametrize(("cls", "kwargs", "function", "pred", "target"), CASES, ids=CASE_IDS)
def test_float32_stays_float32(cls, kwargs, function, pred, target):
    pred32 = pred.astype(np.float32)
    terms = function(pred32, target, reduction="none", **kwargs)
    assert terms.dtype == np.float32
    for reduction in REDUCTIONS:
        loss = cls(reduction=reduction, **kwargs)
        value = loss(pred32, target)
        assert value.dtype == np.float32 if reduction == "none" else isinstance(value, float)
        grad = loss.backward()
        assert grad.dtype == np.float32 and grad.shape == pred.shape
    close(terms, function(pred, target, reduction="none", **kwargs), rtol=1e-5)


def test_float32_target_with_float64_pred_gives_float64():
    assert L.mse_loss(np.ones(2), np.zeros(2, dtype=np.float32), reduction="none").dtype == np.float64


def test_integers_become_float64():
    assert L.mse_loss([1, 2], [0, 0], reduction="none").dtype == np.float64
    assert L.cross_entropy([[1, 2]], [0], reduction="none").dtype == np.float64
    loss = L.HingeLoss(reduction="none")
    loss(np.array([1, -2]), [1, 1])
    assert loss.backward().dtype == np.float64


def test_numpy_float64_hyperparameters_do_not_upcast_float32():
    pred = np.array([0.5, 3.0], dtype=np.float32)
    assert L.smooth_l1_loss(pred, np.zeros(2), np.float64(1.0), reduction="none").dtype == np.float32
    assert L.huber_loss(pred, np.zeros(2), np.float64(1.0), reduction="none").dtype == np.float32
    assert L.cross_entropy(pred[None], [1], np.float64(0.1), reduction="none").dtype == np.float32


# -- stability at large logits (warnings are errors in this suite) ------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logit_losses_are_exact_at_1e4(dtype):
    z = np.array([1e4, -1e4, 1e4, -1e4], dtype=dtype)
    # confident and wrong costs |z|; confident and right costs e^{-1e4}, which is 0 in floating point
    close(L.binary_cross_entropy_with_logits(z, [0, 1, 1, 0], reduction="none"), [1e4, 1e4, 0.0, 0.0])
    close(L.soft_margin_loss(z, [-1, 1, 1, -1], reduction="none"), [1e4, 1e4, 0.0, 0.0])
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], dtype=dtype)
    close(L.cross_entropy(logits, [1, 1], reduction="none"), [2e4, 0.0])
    close(L.cross_entropy(logits, [2, 2], reduction="none"), [1e4, 1e4])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    ("cls", "kwargs", "function", "pred", "target"),
    [case for case in CASES if case[0] not in (L.BCELoss, L.ExponentialLoss)],
    ids=[i for i, case in zip(CASE_IDS, CASES) if case[0] not in (L.BCELoss, L.ExponentialLoss)],
)
def test_finite_values_and_gradients_at_1e4(cls, kwargs, function, pred, target, reduction, dtype):
    big = (np.where(np.arange(pred.size).reshape(pred.shape) % 2 == 0, 1e4, -1e4)).astype(dtype)
    loss = cls(reduction=reduction, **kwargs)
    assert np.all(np.isfinite(loss(big, target)))
    assert np.all(np.isfinite(loss.backward()))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_is_finite_at_probabilities_0_and_1(dtype):
    prob = np.array([0.0, 1.0, 0.0, 1.0], dtype=dtype)
    loss = L.BCELoss(reduction="none")
    close(loss(prob, [0, 1, 1, 0]), [0.0, 0.0, 100.0, 100.0])
    assert np.all(np.isfinite(loss.backward()))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_exponential_loss_overflows_to_inf_without_a_warning(dtype):
    loss = L.ExponentialLoss(reduction="none")
    value = loss(np.array([-1e4, 1e4, 1e4], dtype=dtype), [1, 1, -1])
    np.testing.assert_array_equal(value, [np.inf, 0.0, np.inf])
    np.testing.assert_array_equal(loss.backward(), [-np.inf, 0.0, np.inf])  # -y e^{-ys}
    assert L.exponential_loss([-1e4, 0.0], [1, 1]) == np.inf


def test_smooth_l1_with_a_beta_too_small_for_the_dtype_is_l1():
    # 1e-60 is 0 in float32: exactly L1 there, as PyTorch; in float64 no overflow from d / beta
    pred = np.array([0.0, 2.0, -1e4], dtype=np.float32)
    loss = L.SmoothL1Loss(reduction="none", beta=1e-60)
    np.testing.assert_array_equal(loss(pred, np.zeros(3)), [0.0, 2.0, 1e4])
    np.testing.assert_array_equal(loss.backward(), [0.0, 1.0, -1.0])
    loss(pred.astype(np.float64), np.zeros(3))
    close(loss.backward(), [0.0, 1.0, -1.0])
    close(L.huber_loss(pred.astype(np.float64), np.zeros(3), 1e-300, reduction="none"), [0.0, 2e-300, 1e-296])


def test_backward_after_a_failed_forward_refuses():
    loss = L.MSELoss()
    loss(np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="target"):
        loss(np.zeros(2), np.ones(3))
    with pytest.raises(RuntimeError, match="forward pass first"):
        loss.backward()


# -- logits whose spread exceeds the dtype's range, and float16 at its boundaries -----

EXTREMES = [(np.float64, 1e308), (np.float32, 3e38)]


@pytest.mark.parametrize(("dtype", "big"), EXTREMES)
def test_cross_entropy_of_logits_beyond_the_dtypes_range(dtype, big):
    # log p = z - max(z) - log(1 + ...) = (0, -big, -2 big): -2 big is beyond the range, so
    # class 2 costs inf (the true value, rounded up), and nothing is NaN or warns
    logits = np.array([[big, 0.0, -big]] * 3, dtype=dtype)
    loss = L.CrossEntropyLoss(reduction="none")
    terms = loss(logits, [0, 1, 2])
    assert terms.dtype == dtype
    np.testing.assert_array_equal(terms, np.array([0.0, big, np.inf], dtype=dtype))
    # softmax is (1, 0, 0) on every row: the gradient p - onehot is finite
    np.testing.assert_array_equal(loss.backward(), [[0.0, 0.0, 0.0], [1.0, -1.0, 0.0], [1.0, 0.0, -1.0]])
    assert L.cross_entropy(logits[:2], [0, 1], reduction="sum") == float(dtype(big))
    assert L.cross_entropy(logits, [0, 1, 2]) == np.inf


@pytest.mark.parametrize(("dtype", "big"), EXTREMES)
@pytest.mark.parametrize("eps", [0.1, 1.0])
def test_smoothed_cross_entropy_beyond_the_range_is_inf_not_nan(dtype, big, eps):
    # q puts eps/3 on every class, so every row pays eps/3 * 2 big = inf; at eps = 1 the
    # (1 - eps) log p_y part is left out, not 0 * (-inf)
    logits = np.array([[big, 0.0, -big]] * 3, dtype=dtype)
    loss = L.CrossEntropyLoss(reduction="none", label_smoothing=eps)
    np.testing.assert_array_equal(loss(logits, [0, 1, 2]), [np.inf] * 3)
    q = np.full((3, 3), eps / 3) + (1 - eps) * np.eye(3)
    expected = np.array([1.0, 0.0, 0.0]) - q  # p - q
    np.testing.assert_allclose(loss.backward(), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    ("eps", "terms"),
    [
        # float16 logits are computed in float32: log p = (0, -6e4, -1.2e5) is finite there, and
        # only the terms beyond float16 (1.2e5 > 65504) round to inf
        (0.0, [0.0, 6e4, np.inf]),
        # eps/3 (0 + 6e4 + 1.2e5) = 6e3 eps/0.1, plus (1 - eps) (0, 6e4, 1.2e5)
        (0.1, [6e3, 6e3 + 0.9 * 6e4, np.inf]),
        (1.0, [6e4, 6e4, 6e4]),
    ],
)
def test_float16_cross_entropy_at_the_largest_logits(eps, terms):
    logits = np.array([[6e4, 0.0, -6e4]] * 3, dtype=np.float16)
    loss = L.CrossEntropyLoss(reduction="none", label_smoothing=eps)
    np.testing.assert_array_equal(loss(logits, [0, 1, 2]), np.array(terms, dtype=np.float16))
    q = np.full((3, 3), eps / 3) + (1 - eps) * np.eye(3)
    np.testing.assert_allclose(loss.backward(), np.array([1.0, 0.0, 0.0]) - q, rtol=1e-3, atol=1e-4)
    # the mean, in float32, is (0 + 6e4 + 1.2e5) / 3 = 6e4 without smoothing: finite in float16
    if eps == 0:
        assert L.cross_entropy(logits, [0, 1, 2]) == 6e4


def test_a_mean_beyond_the_range_is_inf_without_a_warning():
    # two rows that each cost 1.1e308: their sum is beyond float64
    logits = np.array([[1e308, -1e307]] * 2)
    assert L.cross_entropy(logits, [1, 1], reduction="none").tolist() == [1.1e308, 1.1e308]
    assert L.cross_entropy(logits, [1, 1]) == np.inf
    assert L.mse_loss(np.array([1e200, 1e200]), np.zeros(2)) == np.inf


def test_float16_bce_at_probabilities_0_and_1():
    prob = np.array([0.0, 1.0, 0.0, 1.0], dtype=np.float16)
    loss = L.BCELoss(reduction="none")
    value = loss(prob, [0, 1, 1, 0])
    assert value.dtype == np.float16
    np.testing.assert_array_equal(value, [0.0, 0.0, 100.0, 100.0])
    # (p - y) / max(p (1 - p), 1e-12): 0 when right; -1e12 and 1e12 when wrong, which float16 holds as -inf, inf
    grad = loss.backward()
    assert grad.dtype == np.float16
    np.testing.assert_array_equal(grad, [0.0, 0.0, -np.inf, np.inf])


def test_float16_bce_gradient_inside_0_1():
    # p = 1/4, y = 0: 0.25 / (0.25 * 0.75) = 4/3; p = 1/2, y = 1: -0.5 / 0.25 = -2
    loss = L.BCELoss(reduction="sum")
    loss(np.array([0.25, 0.5], dtype=np.float16), [0, 1])
    np.testing.assert_allclose(loss.backward(), [4 / 3, -2.0], rtol=1e-3)


def test_float16_logit_losses_at_the_largest_float16():
    z = np.array([65504.0, -65504.0, 65504.0, -65504.0, 0.0], dtype=np.float16)
    bce = L.BCEWithLogitsLoss(reduction="none")
    value = bce(z, [0, 1, 1, 0, 1])
    assert value.dtype == np.float16
    np.testing.assert_array_equal(value, np.array([65504.0, 65504.0, 0.0, 0.0, math.log(2)], dtype=np.float16))
    np.testing.assert_array_equal(bce.backward(), np.array([1.0, -1.0, 0.0, 0.0, -0.5], dtype=np.float16))
    soft = L.SoftMarginLoss(reduction="none")
    np.testing.assert_array_equal(soft(z, [-1, 1, 1, -1, 1]), np.array([65504.0, 65504.0, 0.0, 0.0, math.log(2)], dtype=np.float16))
    np.testing.assert_array_equal(soft.backward(), np.array([1.0, -1.0, 0.0, 0.0, -0.5], dtype=np.float16))


@pytest.mark.parametrize(
    ("cls", "terms", "grad"),
    [
        (L.MSELoss, [np.inf, np.inf, 0.25], [600.0, np.inf, 1.0]),  # 300² = 9e4 and (2 · 65504)² are beyond float16
        (L.L1Loss, [300.0, np.inf, 0.5], [1.0, 1.0, 1.0]),  # 65504 - (-65504) is beyond float16
        (L.SmoothL1Loss, [299.5, np.inf, 0.125], [1.0, 1.0, 0.5]),
        (L.HuberLoss, [299.5, np.inf, 0.125], [1.0, 1.0, 0.5]),
    ],
)
def test_float16_regression_losses_beyond_the_range_are_inf_without_a_warning(cls, terms, grad):
    loss = cls(reduction="none")
    value = loss(np.array([300.0, 65504.0, 0.5], dtype=np.float16), [0.0, -65504.0, 0.0])
    assert value.dtype == np.float16
    np.testing.assert_array_equal(value, np.array(terms, dtype=np.float16))
    np.testing.assert_array_equal(loss.backward(), np.array(grad, dtype=np.float16))
    assert cls(reduction="mean")(np.array([300.0, 65504.0], dtype=np.float16), [0.0, -65504.0]) == np.inf


# -- one function per loss ----------------------------------------------------------


def test_absolute_loss_is_l1_loss_itself():
    assert L.absolute_loss is L.l1_loss


def test_huber_loss_takes_reduction_and_delta_in_torchs_order():
    # HuberLoss(reduction="mean", delta=1.0) as torch.nn.HuberLoss: residual 3 with delta 2 costs 2 (3 - 1) = 4
    loss = L.HuberLoss("sum", 2.0)
    assert (loss.reduction, loss.delta) == ("sum", 2.0)
    assert loss([1.0, 3.0], [0.0, 0.0]) == 4.5


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        # beta 0.5: residual 0.25 is inside, 0.5 * 0.0625 / 0.5 = 0.0625; residual 2 costs 2 - 0.25
        (lambda: L.smooth_l1_loss([0.25, 2.0], [0.0, 0.0], np.float32(0.5), reduction="sum"), 1.8125),
        (lambda: L.SmoothL1Loss(beta=np.float64(0.5), reduction="sum")([0.25, 2.0], [0.0, 0.0]), 1.8125),
        # delta 2 (an int64): residual 3 costs 2 (3 - 1) = 4
        (lambda: L.huber_loss([3.0], [0.0], np.int64(2)), 4.0),
        (lambda: L.HuberLoss(delta=np.int64(2))([3.0], [0.0]), 4.0),
        # eps 1/2 over 2 equal logits: still log 2
        (lambda: L.cross_entropy([[0.0, 0.0]], [1], np.float32(0.5)), math.log(2)),
        (lambda: L.CrossEntropyLoss(label_smoothing=np.float16(0.5))([[0.0, 0.0]], np.array([1], dtype=np.int8)), math.log(2)),
        # |d| = 0.2 and 1 with T = 0.5: one of two wrong
        (lambda: L.zero_one_loss([1.2, 2.0], [1.0, 1.0], np.float32(0.5)), 0.5),
    ],
)
def test_numpy_scalars_are_accepted_as_hyperparameters(make, expected):
    close(make(), expected)


def test_one_log1p_exp_serves_softplus_and_the_logistic_losses():
    z = np.array([-1e4, -40.0, -1.0, 0.0, 3.0, 40.0, 1e4])
    # log(1 + e^{-40}) = e^{-40} (1 - e^{-40}/2 + ...) to full precision, where log(1 + exp(-40)) gives 0
    close(log1p_exp(np.array([-40.0])), [math.exp(-40)])
    close(log1p_exp(np.array([1e4, 0.0])), [1e4, math.log(2)])
    np.testing.assert_array_equal(L.binary_cross_entropy_with_logits(-z, np.ones_like(z), reduction="none"), log1p_exp(z))
    np.testing.assert_array_equal(L.soft_margin_loss(z, -np.ones_like(z), reduction="none"), log1p_exp(z))
    np.testing.assert_array_equal(softplus(z, threshold=math.inf), log1p_exp(z))
    assert log1p_exp(z.astype(np.float32)).dtype == np.float32


def test_bce_with_logits_rounds_away_only_the_confident_right_answer_of_label_0():
    # label 1, z = 40: log(1 + e^{-40}) = 4.25e-18, kept to full relative accuracy
    close(L.binary_cross_entropy_with_logits([40.0], [1.0], reduction="sum"), math.log1p(math.exp(-40)))
    # label 0, z = -40: z + log(1 + e^{-z}) cancels to 0 (from z ≈ -33.3 on in float64), and is 1% off at -30
    assert L.binary_cross_entropy_with_logits([-40.0], [0.0], reduction="sum") == 0.0
    close(L.binary_cross_entropy_with_logits([-30.0], [0.0], reduction="sum"), math.log1p(math.exp(-30)), rtol=2e-2)
    # the logistic loss of the same answer keeps it
    close(L.soft_margin_loss([-40.0], [-1.0], reduction="sum"), math.log1p(math.exp(-40)))
