"""Tests of dlnotes.preprocessing: StandardScaler and MinMaxScaler (chapter 5)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlnotes.preprocessing import MinMaxScaler, StandardScaler


# -- closed-form values -----------------------------------------------------------
def test_standard_scaler_hand_matrix_with_constant_feature():
    scaler = StandardScaler().fit([[1.0, 2.0], [3.0, 2.0]])
    np.testing.assert_array_equal(scaler.mean_, [2.0, 2.0])
    np.testing.assert_array_equal(scaler.scale_, [1.0, 1.0])  # std 1 and a constant column -> 1
    np.testing.assert_array_equal(scaler.transform([[1.0, 2.0], [3.0, 2.0]]), [[-1.0, 0.0], [1.0, 0.0]])


def test_standard_scaler_uses_population_std():
    # mean 2, variance ((0-2)^2 + (0-2)^2 + (6-2)^2) / 3 = 8 (ddof=0)
    scaler = StandardScaler().fit([[0.0], [0.0], [6.0]])
    np.testing.assert_allclose(scaler.scale_, [np.sqrt(8.0)])
    np.testing.assert_allclose(scaler.transform([[6.0]]), [[4.0 / np.sqrt(8.0)]])


def test_standard_scaler_centring_only_and_scaling_only():
    X = np.array([[0.0, 1.0], [4.0, 1.0]])
    np.testing.assert_array_equal(StandardScaler(with_std=False).fit_transform(X), [[-2.0, 0.0], [2.0, 0.0]])
    # without the mean, still divided by the std about the mean (2 for column 0)
    np.testing.assert_array_equal(StandardScaler(with_mean=False).fit_transform(X), [[0.0, 1.0], [2.0, 1.0]])
    np.testing.assert_array_equal(StandardScaler(with_mean=False, with_std=False).fit_transform(X), X)


def test_minmax_scaler_hand_matrix_constant_feature_to_middle():
    X = np.array([[1.0, 2.0], [3.0, 2.0], [2.0, 2.0]])
    scaler = MinMaxScaler().fit(X)
    np.testing.assert_array_equal(scaler.data_min_, [1.0, 2.0])
    np.testing.assert_array_equal(scaler.data_max_, [3.0, 2.0])
    np.testing.assert_array_equal(scaler.transform(X), [[-1.0, 0.0], [1.0, 0.0], [0.0, 0.0]])


def test_minmax_scaler_other_range_and_new_data():
    scaler = MinMaxScaler(feature_range=(0, 10)).fit([[1.0, 2.0], [3.0, 2.0]])
    # column 0: 0 + 10 (5 - 1) / 2 = 20 (outside the range: new data);
    # column 1 (constant 2): middle 5, shifted by 4 - 2 = 2
    np.testing.assert_array_equal(scaler.transform([[5.0, 4.0], [2.0, 2.0]]), [[20.0, 7.0], [5.0, 5.0]])


@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler()])
def test_statistics_come_from_fit_only(scaler):
    train = np.array([[0.0], [2.0]])
    scaler.fit(train)
    before = scaler.transform(np.array([[1.0]]))
    scaler.transform(np.array([[100.0], [-50.0]]))  # transforming other data changes nothing
    np.testing.assert_array_equal(scaler.transform(np.array([[1.0]])), before)
    np.testing.assert_array_equal(before, [[0.0]])  # midpoint of the training data


@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler()])
def test_dtype_kept(scaler):
    X32 = np.array([[1.0, 5.0], [3.0, 2.0], [0.0, 1.0]], dtype=np.float32)
    out = scaler.fit_transform(X32)
    assert out.dtype == np.float32
    assert scaler.inverse_transform(out).dtype == np.float32
    assert scaler.fit_transform(np.array([[1, 2], [3, 4]])).dtype == np.float64  # ints become float64


# -- invariants (hypothesis) ----------------------------------------------------
matrices = st.tuples(st.integers(2, 20), st.integers(1, 4)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=st.floats(-1e4, 1e4, allow_subnormal=False))
)
# values on a grid of 1/4 so non-constant columns are well separated
grid_matrices = st.tuples(st.integers(2, 20), st.integers(1, 4)).flatmap(
    lambda shape: arrays(np.int64, shape, elements=st.integers(-4000, 4000))
).map(lambda a: a / 4.0)


@given(matrices)
def test_inverse_transform_undoes_transform(X):
    for scaler in (StandardScaler(), MinMaxScaler(), MinMaxScaler(feature_range=(0, 1))):
        back = scaler.inverse_transform(scaler.fit_transform(X))
        np.testing.assert_allclose(back, X, rtol=1e-9, atol=1e-9 * max(1.0, np.abs(X).max()))


@given(grid_matrices)
def test_standardized_columns_have_mean_0_and_std_1(X):
    Z = StandardScaler().fit_transform(X)
    constant = np.ptp(X, axis=0) == 0
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(Z.std(axis=0)[~constant], 1.0, rtol=1e-9)
    np.testing.assert_array_equal(Z[:, constant], 0.0)


@given(grid_matrices, st.sampled_from([(-1, 1), (0, 1), (-3.5, 2)]))
def test_minmax_output_within_range_and_hits_the_ends(X, feature_range):
    low, high = feature_range
    Z = MinMaxScaler(feature_range=feature_range).fit_transform(X)
    tol = 1e-12 * (high - low)
    assert np.all(Z >= low - tol) and np.all(Z <= high + tol)
    spread = np.ptp(X, axis=0) > 0
    np.testing.assert_allclose(Z.min(axis=0)[spread], low, atol=tol)
    np.testing.assert_allclose(Z.max(axis=0)[spread], high, atol=tol)
    np.testing.assert_allclose(Z[:, ~spread], (low + high) / 2)


# -- bad input -------------------------------------------------------------------
@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler()])
def test_use_before_fit(scaler):
    with pytest.raises(RuntimeError, match="fit"):
        scaler.transform([[1.0]])
    with pytest.raises(RuntimeError, match="fit"):
        scaler.inverse_transform([[1.0]])


@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler()])
def test_bad_X(scaler):
    with pytest.raises(ValueError, match="X"):
        scaler.fit([1.0, 2.0])  # 1-D
    with pytest.raises(ValueError, match="X"):
        scaler.fit(np.zeros((0, 2)))
    with pytest.raises(ValueError, match="X"):
        scaler.fit([[1.0], [np.nan]])
    with pytest.raises(TypeError, match="X"):
        scaler.fit([["a"], ["b"]])
    scaler.fit([[1.0, 2.0], [3.0, 5.0]])
    with pytest.raises(ValueError, match="X"):
        scaler.transform([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="X"):
        scaler.inverse_transform([[1.0]])


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: StandardScaler(with_mean="yes"), TypeError, "with_mean"),
        (lambda: StandardScaler(with_std=1), TypeError, "with_std"),
        (lambda: MinMaxScaler(feature_range=(1, 1)), ValueError, "feature_range"),
        (lambda: MinMaxScaler(feature_range=(2, -1)), ValueError, "feature_range"),
        (lambda: MinMaxScaler(feature_range=(0, float("inf"))), ValueError, "feature_range"),
        (lambda: MinMaxScaler(feature_range=1.0), TypeError, "feature_range"),
        (lambda: MinMaxScaler(feature_range=("a", "b")), TypeError, "feature_range"),
    ],
)
def test_bad_hyperparameters(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_minmax_scaler_accepts_numpy_scalars():
    X = np.array([[0.0], [1.0], [3.0]])
    scaled = MinMaxScaler(feature_range=(np.float32(-0.5), np.int64(1))).fit_transform(X)
    np.testing.assert_array_equal(scaled, MinMaxScaler(feature_range=(-0.5, 1)).fit_transform(X))
    np.testing.assert_allclose(scaled[:, 0], [-0.5, 0.0, 1.0], rtol=1e-15)
