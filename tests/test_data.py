"""Tests of dlnotes.data: minibatches, splits, synthetic sets and the digits."""

import socket

import numpy as np
import pytest

from dlnotes.data import (
    DataLoader,
    load_digits,
    make_moons,
    make_regression_outliers,
    make_scaled_cloud,
    make_spirals,
    train_test_split,
)


def _numbered(n):
    """Rows that say who they are: X[i] = (i, -i), y[i] = i."""
    idx = np.arange(n)
    return np.column_stack([idx, -idx]).astype(np.float64), idx


# -- DataLoader -----------------------------------------------------------------
@pytest.mark.parametrize("n, batch_size, drop_last, expected_len", [(10, 3, False, 4), (10, 3, True, 3), (9, 3, False, 3), (9, 3, True, 3), (2, 5, False, 1), (2, 5, True, 0)])
def test_loader_length(n, batch_size, drop_last, expected_len):
    X, y = _numbered(n)
    loader = DataLoader(X, y, batch_size, drop_last=drop_last, rng=0)
    assert len(loader) == expected_len
    assert len(list(loader)) == expected_len


def test_loader_covers_every_sample_once_per_epoch():
    X, y = _numbered(23)
    loader = DataLoader(X, y, batch_size=5, rng=1)
    for _ in range(3):
        batches = list(loader)
        assert [len(yb) for _, yb in batches] == [5, 5, 5, 5, 3]
        seen = np.concatenate([yb for _, yb in batches])
        assert sorted(seen.tolist()) == list(range(23))
        for Xb, yb in batches:  # rows of X and y stay paired
            np.testing.assert_array_equal(Xb[:, 0], yb)
            np.testing.assert_array_equal(Xb[:, 1], -yb)


def test_loader_new_order_each_epoch_and_same_seed_same_batches():
    X, y = _numbered(50)
    first = DataLoader(X, y, batch_size=10, rng=7)
    second = DataLoader(X, y, batch_size=10, rng=7)
    epoch1 = np.concatenate([yb for _, yb in first])
    epoch2 = np.concatenate([yb for _, yb in first])
    assert not np.array_equal(epoch1, epoch2)
    assert not np.array_equal(epoch1, np.arange(50))
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in second]), epoch1)
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in second]), epoch2)


def test_loader_without_shuffle_keeps_order():
    X, y = _numbered(7)
    batches = list(DataLoader(X, y, batch_size=3, shuffle=False))
    assert [yb.tolist() for _, yb in batches] == [[0, 1, 2], [3, 4, 5], [6]]


def test_loader_drop_last_drops_only_the_short_batch():
    X, y = _numbered(11)
    batches = list(DataLoader(X, y, batch_size=4, drop_last=True, rng=0))
    assert [len(yb) for _, yb in batches] == [4, 4]
    assert len(set(np.concatenate([yb for _, yb in batches]).tolist())) == 8


def test_loader_keeps_dtype_and_trailing_shape():
    X = np.zeros((6, 2, 3), dtype=np.float32)
    y = np.arange(6)
    Xb, yb = next(iter(DataLoader(X, y, batch_size=4, rng=0)))
    assert Xb.shape == (4, 2, 3) and Xb.dtype == np.float32 and yb.dtype == y.dtype


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(y=np.arange(4)), ValueError, "y"),
        (dict(X=np.float64(1.0)), ValueError, "X"),
        (dict(X=np.zeros((0, 2)), y=np.zeros(0)), ValueError, "X"),
        (dict(X=np.array([["a", "b"]] * 5)), TypeError, "X"),
        (dict(batch_size=0), ValueError, "batch_size"),
        (dict(batch_size=2.0), TypeError, "batch_size"),
        (dict(shuffle="yes"), TypeError, "shuffle"),
        (dict(drop_last=1), TypeError, "drop_last"),
        (dict(rng="seed"), TypeError, "rng"),
    ],
)
def test_loader_bad_input(kwargs, error, match):
    X, y = _numbered(5)
    args = dict(X=X, y=y, batch_size=2) | kwargs
    with pytest.raises(error, match=match):
        DataLoader(**args)


# -- train_test_split ---------------------------------------------------------
def test_split_partitions_rows_and_keeps_pairs():
    X, y = _numbered(10)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, rng=0)
    assert len(y_test) == 3 and len(y_train) == 7  # ceil(0.25 * 10) = 3
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(10))
    np.testing.assert_array_equal(X_train[:, 0], y_train)
    np.testing.assert_array_equal(X_test[:, 0], y_test)


def test_split_int_size_and_determinism():
    X, y = _numbered(10)
    a = train_test_split(X, y, test_size=4, rng=3)
    b = train_test_split(X, y, test_size=4, rng=3)
    assert len(a[3]) == 4
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)


def test_split_stratified_keeps_class_proportions():
    y = np.repeat([0, 1, 2], [40, 20, 40])
    X = np.arange(100.0)[:, None]
    _, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=True, rng=0)
    assert np.bincount(y_test).tolist() == [10, 5, 10]
    assert np.bincount(y_train).tolist() == [30, 15, 30]
    np.testing.assert_array_equal(y[X_test[:, 0].astype(int)], y_test)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(test_size=1.5), ValueError, "test_size"),
        (dict(test_size=0.0), ValueError, "test_size"),
        (dict(test_size=10), ValueError, "test_size"),
        (dict(test_size="0.2"), TypeError, "test_size"),
        (dict(y=np.arange(9)), ValueError, "y"),
        (dict(y=np.zeros((10, 2)), stratify=True), ValueError, "y"),
        (dict(stratify="yes"), TypeError, "stratify"),
    ],
)
def test_split_bad_input(kwargs, error, match):
    X, y = _numbered(10)
    args = dict(X=X, y=y) | kwargs
    with pytest.raises(error, match=match):
        train_test_split(**args)


# -- synthetic sets -------------------------------------------------------------
@pytest.mark.parametrize(
    "make, kwargs, n_classes",
    [(make_spirals, dict(n_samples=300, n_classes=3), 3), (make_spirals, dict(n_samples=10, n_classes=4), 4), (make_moons, dict(n_samples=201), 2)],
)
def test_classification_sets_shape_dtype_balance_determinism(make, kwargs, n_classes):
    X, y = make(**kwargs, rng=0)
    n = kwargs["n_samples"]
    assert X.shape == (n, 2) and X.dtype == np.float64 and y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=n_classes)
    assert len(counts) == n_classes and counts.sum() == n and counts.max() - counts.min() <= 1
    assert np.all(np.diff(y) >= 0)  # grouped by class
    X2, y2 = make(**kwargs, rng=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make(**kwargs, rng=1)[0])


def test_spirals_without_noise_follow_the_formula():
    X, y = make_spirals(n_samples=6, n_classes=2, noise=0.0, rng=0)
    # class 0: t = 0, 0.5, 1 at angle 4t; class 1 starts half a turn later (pi)
    np.testing.assert_allclose(X[2], [np.cos(4.0), np.sin(4.0)])
    np.testing.assert_allclose(X[1], [0.5 * np.cos(2.0), 0.5 * np.sin(2.0)])
    np.testing.assert_allclose(X[5], [np.cos(np.pi + 4.0), np.sin(np.pi + 4.0)])
    np.testing.assert_allclose(X[[0, 3]], 0.0)
    assert np.all(np.linalg.norm(make_spirals(rng=0)[0], axis=1) <= 1.0 + 1e-12)


def test_moons_without_noise_follow_the_formula():
    X, y = make_moons(n_samples=6, noise=0.0)
    np.testing.assert_allclose(X[0], [1.0, 0.0], atol=1e-15)  # s = 0 on the upper moon
    np.testing.assert_allclose(X[2], [-1.0, 0.0], atol=1e-15)  # s = pi
    np.testing.assert_allclose(X[3], [0.0, 0.5], atol=1e-15)  # s = 0 on the lower moon
    np.testing.assert_allclose(X[4], [1.0, -0.5], atol=1e-15)  # s = pi/2
    assert y.tolist() == [0, 0, 0, 1, 1, 1]


def test_regression_outliers_line_and_shift():
    x, y = make_regression_outliers(n_samples=20, n_outliers=3, outlier_size=7.0, slope=2.0, intercept=1.0, noise=0.0, rng=0)
    assert x.shape == (20, 1) and y.shape == (20,) and x.dtype == y.dtype == np.float64
    np.testing.assert_allclose(y[:17], 2.0 * x[:17, 0] + 1.0)
    np.testing.assert_allclose(y[17:], 2.0 * x[17:, 0] + 1.0 + 7.0)
    assert np.all((x >= 0) & (x <= 5))


def test_regression_outlier_size_moves_only_the_outliers():
    x_a, y_a = make_regression_outliers(n_outliers=5, outlier_size=10.0, rng=42)
    x_b, y_b = make_regression_outliers(n_outliers=5, outlier_size=-3.0, rng=42)
    np.testing.assert_array_equal(x_a, x_b)
    np.testing.assert_array_equal(y_a[:-5], y_b[:-5])
    np.testing.assert_allclose(y_a[-5:] - y_b[-5:], 13.0)


def test_scaled_cloud_statistics():
    X, y = make_scaled_cloud(n_samples=20000, mean=(5.0, 300.0), std=(1.0, 100.0), correlation=0.8, noise=0.0, rng=0)
    assert X.shape == (20000, 2) and y.shape == (20000,) and X.dtype == y.dtype == np.float64
    np.testing.assert_allclose(X.mean(axis=0), [5.0, 300.0], rtol=0.01)
    np.testing.assert_allclose(X.std(axis=0), [1.0, 100.0], rtol=0.03)
    assert abs(np.corrcoef(X.T)[0, 1] - 0.8) < 0.02
    # noise-free target: y = z1 + z2 / 2 with z_j = (x_j - mean_j) / std_j
    np.testing.assert_allclose(y, (X[:, 0] - 5.0) + 0.5 * (X[:, 1] - 300.0) / 100.0, atol=1e-10)


@pytest.mark.parametrize(
    "make, kwargs, error, match",
    [
        (make_spirals, dict(n_classes=1), ValueError, "n_classes"),
        (make_spirals, dict(n_samples=2, n_classes=3), ValueError, "n_samples"),
        (make_spirals, dict(noise=-0.1), ValueError, "noise"),
        (make_moons, dict(n_samples=1), ValueError, "n_samples"),
        (make_moons, dict(n_samples=10.0), TypeError, "n_samples"),
        (make_moons, dict(rng=-1), ValueError, "rng"),
        (make_regression_outliers, dict(n_samples=4, n_outliers=5), ValueError, "n_outliers"),
        (make_regression_outliers, dict(outlier_size=float("nan")), ValueError, "outlier_size"),
        (make_regression_outliers, dict(slope=float("inf")), ValueError, "slope"),
        (make_regression_outliers, dict(noise=-1.0), ValueError, "noise"),
        (make_scaled_cloud, dict(correlation=1.0), ValueError, "correlation"),
        (make_scaled_cloud, dict(std=(1.0, -2.0)), ValueError, "std"),
        (make_scaled_cloud, dict(mean=(1.0, 2.0, 3.0)), ValueError, "mean"),
        (make_scaled_cloud, dict(mean="ab"), TypeError, "mean"),
    ],
)
def test_synthetic_bad_input(make, kwargs, error, match):
    with pytest.raises(error, match=match):
        make(**kwargs)


# -- digits -------------------------------------------------------------------
def test_load_digits_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("load_digits must not open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert set(np.unique(y).tolist()) == set(range(10))
    assert X.min() == 0.0 and X.max() == 16.0
    np.testing.assert_array_equal(X, np.round(X))
    assert np.bincount(y).min() >= 170  # about 180 images of each digit


@pytest.mark.parametrize("which", ["X", "y"])
def test_non_finite_data_is_refused_by_name(which):
    from dlnotes.data import DataLoader, train_test_split

    X, y = np.zeros((4, 2)), np.zeros(4)
    (X if which == "X" else y)[1] = np.nan
    with pytest.raises(ValueError, match=f"{which} must be finite"):
        DataLoader(X, y, batch_size=2)
    with pytest.raises(ValueError, match=f"{which} must be finite"):
        train_test_split(X, y, rng=0)


# -- ragged lists and NumPy scalars ------------------------------------------------
@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: DataLoader([[1, 2], [3]], [0, 1], batch_size=1), "X"),
        (lambda: DataLoader([[1, 2], [3, 4]], [[0], [1, 2]], batch_size=1), "y"),
        (lambda: train_test_split(np.zeros((4, 2)), [[0], [1, 2], [0], [1]], rng=0), "y"),
        (lambda: train_test_split([[0.0], [1.0, 2.0], [0.0], [1.0]], np.zeros(4), rng=0), "X"),
    ],
    ids=["loader-X", "loader-y", "split-y", "split-X"],
)
def test_ragged_lists_are_named(call, name):
    with pytest.raises(TypeError, match=rf"^{name} must be an array of numbers with rows of equal length") as info:
        call()
    assert "inhomogeneous" not in str(info.value)


def test_numpy_scalars_are_accepted_as_numbers():
    X, y = _numbered(20)
    assert len(DataLoader(X, y, batch_size=np.int64(8), rng=np.int64(0))) == 3
    for test_size in (np.float32(0.25), np.float64(0.25), np.int64(5), 5):
        assert len(train_test_split(X, y, test_size=test_size, rng=np.int64(0))[1]) == 5
    np.testing.assert_array_equal(
        make_spirals(np.int64(30), np.int64(3), noise=np.float32(0.5), rng=np.int64(0))[0],
        make_spirals(30, 3, noise=0.5, rng=0)[0],
    )
    np.testing.assert_array_equal(make_moons(np.int64(20), noise=np.float32(0.5), rng=0)[0],
                                  make_moons(20, noise=0.5, rng=0)[0])
    np.testing.assert_array_equal(make_regression_outliers(np.int64(20), np.int64(2), np.float32(5.0), rng=1)[1],
                                  make_regression_outliers(20, 2, 5.0, rng=1)[1])
    np.testing.assert_array_equal(make_scaled_cloud(np.int64(20), correlation=np.float32(0.5), rng=1)[0],
                                  make_scaled_cloud(20, correlation=0.5, rng=1)[0])


@pytest.mark.parametrize("test_size", [np.float32(1.5), np.bool_(True), True])
def test_split_refuses_numpy_scalars_out_of_range_and_booleans(test_size):
    X, y = _numbered(10)
    with pytest.raises((TypeError, ValueError), match="test_size"):
        train_test_split(X, y, test_size=test_size)
