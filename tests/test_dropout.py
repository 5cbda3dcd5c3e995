"""Tests of dlnotes.nn.Dropout: inverted scaling, the mask in backward, eval identity, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes.gradcheck import check_module_gradients
from dlnotes.nn import Dropout, no_grad


class FixedMaskDropout(Dropout):
    """Dropout whose generator is re-seeded before every forward, so every call draws the same mask."""

    def __init__(self, p, seed):
        super().__init__(p, rng=seed)
        self.seed = seed

    def forward(self, x):
        self.rng = np.random.default_rng(self.seed)
        return super().forward(x)


def test_kept_units_are_scaled_by_one_over_keep_probability():
    # p = 0.75: keep probability 1/4, so every output is 0 or 1 / (1/4) = 4
    layer = Dropout(0.75, rng=0)
    y = layer(np.ones((10, 10)))
    assert set(np.unique(y)) == {0.0, 4.0}
    assert set(np.unique(layer.mask)) == {0.0, 1.0}
    np.testing.assert_array_equal(y, 4.0 * layer.mask)


def test_p_zero_keeps_everything():
    x = np.arange(6.0).reshape(2, 3)
    layer = Dropout(0.0, rng=0)
    np.testing.assert_array_equal(layer(x), x)
    np.testing.assert_array_equal(layer.mask, np.ones((2, 3)))


def test_backward_applies_the_same_mask():
    """Regression: backward must re-apply the forward mask, not only the 1/(1-p) scale."""
    layer = Dropout(0.5, rng=1)
    y = layer(np.ones((8, 8)))
    grad_x = layer.backward(np.ones((8, 8)))
    # with x = G = ones, dy/dx is exactly y: 2 where kept, 0 where dropped
    np.testing.assert_array_equal(grad_x, y)
    assert np.all(grad_x[layer.mask == 0] == 0.0)
    assert np.all(grad_x[layer.mask == 1] == 2.0)
    assert 0 < layer.mask.sum() < 64  # some units dropped, some kept: the check above has teeth


def test_a_fixed_mask_wrapper_really_fixes_the_mask():
    layer = FixedMaskDropout(0.5, seed=3)
    x = np.ones((4, 5))
    layer(x)
    first = layer.mask.copy()
    layer(x)
    np.testing.assert_array_equal(layer.mask, first)
    plain = Dropout(0.5, rng=3)
    plain(x)
    np.testing.assert_array_equal(plain.mask, first)  # the same first draw
    plain(x)
    assert not np.array_equal(plain.mask, first)  # an ordinary layer draws a new mask each call


def test_gradients_numerically_with_a_fixed_mask():
    x = np.random.default_rng(0).standard_normal((5, 4))
    errors = check_module_gradients(FixedMaskDropout(0.4, seed=1), x, rng=2)
    assert errors["input"] < 1e-6


def test_gradient_check_fails_when_the_mask_changes():
    """The check is sensitive: a new mask at each call makes the centred differences meaningless."""
    x = np.random.default_rng(0).standard_normal((5, 4))
    errors = check_module_gradients(Dropout(0.4, rng=1), x, rng=2)
    assert errors["input"] > 1e-2


def test_eval_is_the_identity_forward_and_backward():
    layer = Dropout(0.5, rng=0)
    x = np.random.default_rng(1).standard_normal((3, 4))
    with no_grad():  # a training-mode forward that backward will not answer
        layer(x)
    layer.eval()
    np.testing.assert_array_equal(layer(x), x)
    assert layer.mask is None
    G = np.random.default_rng(2).standard_normal((3, 4))
    np.testing.assert_array_equal(layer.backward(G), G)
    layer.train()
    assert not np.array_equal(layer(x), x)


def test_drop_fraction_over_many_units():
    # 100,000 units: the kept fraction has standard error sqrt(0.3 * 0.7 / 1e5) ~ 0.0014; tolerance 0.01
    layer = Dropout(0.3, rng=0)
    layer(np.ones((1000, 100)))
    assert layer.mask.mean() == pytest.approx(0.7, abs=0.01)


def test_same_seed_same_masks():
    a, b, c = Dropout(0.5, rng=11), Dropout(0.5, rng=11), Dropout(0.5, rng=12)
    x = np.ones((6, 6))
    for _ in range(3):
        np.testing.assert_array_equal(a(x), b(x))
    assert not np.array_equal(a(x), c(x))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_kept(dtype):
    layer = Dropout(0.5, rng=0)
    x = np.ones((4, 4), dtype=dtype)
    assert layer(x).dtype == dtype and layer.mask.dtype == dtype
    assert layer.backward(x).dtype == dtype
    layer.eval()
    assert layer(x).dtype == dtype and layer.backward(x).dtype == dtype


# -- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("p, error", [(-0.1, ValueError), (1.5, ValueError),
                                      (float("nan"), ValueError), ("0.5", TypeError), (None, TypeError)])
def test_bad_p(p, error):
    with pytest.raises(error, match="p"):
        Dropout(p)


def test_bad_rng_x_and_grad_out():
    with pytest.raises(TypeError, match="rng"):
        Dropout(0.5, rng="seed")
    layer = Dropout(0.5, rng=0)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((2, 2)))
    with pytest.raises(ValueError, match="x"):
        layer(np.array([[np.nan, 1.0]]))
    layer(np.ones((2, 2)))
    with pytest.raises(ValueError, match="grad_out"):
        layer.backward(np.ones((2, 3)))


# -- properties --------------------------------------------------------------------------------------
arrays = hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.floats(-1e4, 1e4))


@settings(max_examples=50, deadline=None)
@given(x=arrays, p=st.floats(0.0, 0.95, exclude_max=True), seed=st.integers(0, 2**32 - 1))
def test_eval_is_the_identity(x, p, seed):
    layer = Dropout(p, rng=seed).eval()
    np.testing.assert_array_equal(layer(x), x)


@settings(max_examples=30, deadline=None)
@given(
    x=hnp.arrays(np.float64, 4, elements=st.floats(-10, 10)),
    p=st.floats(0.0, 0.9),
    seed=st.integers(0, 2**32 - 1),
)
def test_mean_output_over_many_draws_approaches_the_input(x, p, seed):
    """E[y] = x. Over n = 20,000 rows the mean output is x K / (n (1 - p)) with K ~ Binomial(n, 1 - p)
    kept units. Stated tolerance: |K - n(1 - p)| <= t = 6 sigma + 20 with sigma^2 = n p (1 - p);
    Bernstein's inequality puts the chance of exceeding it below 2 exp(-18) ~ 3e-8 per entry, even
    for tiny p, where a normal approximation would not hold. Plus 1e-9 (1 + |x|) for rounding."""
    n = 20_000
    y = Dropout(p, rng=seed)(np.tile(x, (n, 1)))
    t = 6 * np.sqrt(n * p * (1 - p)) + 20
    tolerance = np.abs(x) * t / (n * (1 - p)) + 1e-9 * (1 + np.abs(x))
    assert np.all(np.abs(y.mean(axis=0) - x) <= tolerance)


@settings(max_examples=50, deadline=None)
@given(x=arrays, p=st.floats(0.0, 0.95), seed=st.integers(0, 2**32 - 1))
def test_every_output_is_zero_or_scaled_input(x, p, seed):
    layer = Dropout(p, rng=seed)
    y = layer(x)
    np.testing.assert_array_equal(y, np.where(layer.mask == 1, x / (1 - p), 0.0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_p_one_drops_everything_quietly(dtype):
    """PyTorch accepts p = 1: output and input gradient all zeros, with no division by zero."""
    layer = Dropout(1.0, rng=0)
    x = np.random.default_rng(0).standard_normal((4, 5)).astype(dtype)
    with np.errstate(all="raise"):
        y = layer(x)
        g = layer.backward(np.ones_like(x))
    np.testing.assert_array_equal(y, np.zeros_like(x))
    np.testing.assert_array_equal(g, np.zeros_like(x))
    assert y.dtype == dtype and g.dtype == dtype


def test_numpy_scalar_p_is_accepted():
    layer = Dropout(np.float32(0.25), rng=0)
    assert layer.p == pytest.approx(0.25) and isinstance(layer.p, float)
    assert layer(np.ones((2, 2), dtype=np.float32)).dtype == np.float32


def test_ragged_x_names_x():
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        Dropout(0.5)([[1.0, 2.0], [3.0]])
