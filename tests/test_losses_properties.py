"""Invariants of the losses, checked with hypothesis (chapter 2)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes import losses as L
from dlnotes.activations import log_softmax

REAL = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)
SHAPES = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5)


@st.composite
def pairs(draw, labels=None):
    """A prediction and a target of the same shape; the target from ``labels`` when given."""
    shape = draw(SHAPES)
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    pred = draw(hnp.arrays(dtype, shape, elements=REAL.map(lambda v: float(dtype(v)))))
    values = REAL if labels is None else st.sampled_from(labels)
    target = draw(hnp.arrays(np.float64, shape, elements=values))
    return pred, target


@st.composite
def classification(draw):
    n, c = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    logits = draw(hnp.arrays(dtype, (n, c), elements=REAL.map(lambda v: float(dtype(v)))))
    target = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    return logits, target


def assert_non_negative(terms, dtype):
    assert terms.dtype == dtype
    assert np.all(terms >= 0)


@given(pairs(), st.floats(0, 100), st.floats(1e-3, 100), st.floats(1e-3, 1e3))
def test_regression_losses_are_non_negative(pair, beta, delta, threshold):
    pred, target = pair
    for terms in (
        L.mse_loss(pred, target, reduction="none"),
        L.l1_loss(pred, target, reduction="none"),
        L.smooth_l1_loss(pred, target, beta, reduction="none"),
        L.huber_loss(pred, target, delta, reduction="none"),
        L.absolute_loss(pred, target, reduction="none"),
        L.zero_one_loss(pred, target, reduction="none"),
        L.zero_one_loss(pred, target, threshold, reduction="none"),
    ):
        assert_non_negative(terms, pred.dtype)


@given(pairs(labels=[-1, 1]))
def test_margin_losses_are_non_negative(pair):
    score, target = pair
    for fn in (L.soft_margin_loss, L.hinge_loss, L.exponential_loss):
        assert_non_negative(fn(score, target, reduction="none"), score.dtype)
    assert_non_negative(L.binary_cross_entropy_with_logits(score, (target + 1) / 2, reduction="none"), score.dtype)


@given(pairs(labels=[0, 1]))
def test_binary_cross_entropy_is_non_negative(pair):
    z, target = pair
    prob = 1 / (1 + np.exp(-np.clip(z, -50, 50)))
    assert_non_negative(L.binary_cross_entropy(prob, target, reduction="none"), prob.dtype)


@given(pairs(labels=[-1, 1]))
def test_soft_margin_is_bce_with_logits_of_label_0_1(pair):
    """The same loss; BCE with logits uses PyTorch's form, whose rounding is a few ulps of |z|."""
    score, target = pair
    eps = np.finfo(score.dtype).eps
    np.testing.assert_allclose(
        L.soft_margin_loss(score, target, reduction="none"),
        L.binary_cross_entropy_with_logits(score, (target + 1) / 2, reduction="none"),
        rtol=1e-5 if score.dtype == np.float32 else 1e-12,
        atol=4 * eps * max(1.0, float(np.max(np.abs(score), initial=0.0))),
    )


@given(pairs(), st.floats(1e-3, 100))
def test_smooth_l1_lies_between_l1_minus_half_beta_and_l1(pair, beta):
    pred, target = pair
    pred, target = pred.astype(np.float64), target  # compare in float64
    l1 = L.l1_loss(pred, target, reduction="none")
    smooth = L.smooth_l1_loss(pred, target, beta, reduction="none")
    slack = 1e-12 * (1 + l1)
    assert np.all(smooth <= l1 + slack)
    assert np.all(smooth >= l1 - beta / 2 - slack)


@given(pairs(), st.floats(1e-3, 100))
def test_huber_is_delta_times_smooth_l1(pair, delta):
    pred, target = pair
    pred = pred.astype(np.float64)
    np.testing.assert_allclose(
        L.huber_loss(pred, target, delta, reduction="none"),
        delta * L.smooth_l1_loss(pred, target, delta, reduction="none"),
        rtol=1e-12,
        atol=1e-300,
    )


@given(classification(), st.floats(0, 1))
def test_cross_entropy_is_non_negative(case, eps):
    logits, target = case
    assert_non_negative(L.cross_entropy(logits, target, eps, reduction="none"), logits.dtype)


@given(classification())
def test_cross_entropy_is_minus_log_softmax_at_the_target(case):
    logits, target = case
    terms = L.cross_entropy(logits, target, reduction="none")
    expected = -log_softmax(logits, axis=1)[np.arange(len(target)), target]
    np.testing.assert_allclose(terms, expected, rtol=1e-6 if logits.dtype == np.float32 else 1e-12, atol=0)


@given(classification())
def test_cross_entropy_matches_the_direct_formula_for_moderate_logits(case):
    logits, target = case
    z = np.clip(logits.astype(np.float64), -30, 30)
    direct = np.log(np.sum(np.exp(z), axis=1)) - z[np.arange(len(target)), target]
    np.testing.assert_allclose(L.cross_entropy(z, target, reduction="none"), direct, rtol=1e-9, atol=1e-12)
