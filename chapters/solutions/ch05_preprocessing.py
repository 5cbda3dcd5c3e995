"""Solutions to the exercises of Chapter 5 (data preprocessing): the coding exercises as functions, the written ones as text."""

import numpy as np


def standardize(X_train, X_test):
    """Both sets standardized with the training set's mean and population std (ddof=0); a constant feature is divided by 1.

    A feature is constant when its largest and smallest training values are equal. Testing the computed std
    against 0 misses it: np.std([0.1, 0.1, 0.1]) is 1.4e-17, and dividing by that turns rounding noise into -1.
    """
    constant = X_train.max(axis=0) == X_train.min(axis=0)
    mean = X_train.mean(axis=0)
    std = np.where(constant, 1.0, X_train.std(axis=0))  # ddof=0, the population standard deviation
    return (X_train - mean) / std, (X_test - mean) / std


def minmax_scale(X_train, X_test):
    """Both sets mapped onto [-1, 1] with the training set's min and max; test values outside stay outside (no clipping)."""
    low, high = X_train.min(axis=0), X_train.max(axis=0)
    return -1 + 2 * (X_train - low) / (high - low), -1 + 2 * (X_test - low) / (high - low)


EXERCISE_3 = """\
(a) For centred features, (1/n) X^T X is their covariance matrix, so
    H = 2 [[sigma_1^2, corr sigma_1 sigma_2], [corr sigma_1 sigma_2, sigma_2^2]], which is 2 diag(sigma_1^2, sigma_2^2) when corr = 0, with
    condition number (sigma_2/sigma_1)^2. stretched_cloud(10) has sample standard deviations 0.961 and 10.25 (the draws
    of z1 and z2 are not exactly of spread 1), a ratio of 10.67 whose square is 113.8, and a sample correlation
    of -0.065, which pulls the eigenvalues a little further apart: kappa = 114.3. With the population values
    (spreads 1 and 10, correlation 0) it would be exactly 100.
(b) 2 Sigma' - lambda_k I has determinant (2 - lambda_k)^2 - 4 corr^2 = 0, so lambda_k = 2(1 +- corr), with eigenvectors
    (1, 1)/sqrt(2) and (1, -1)/sqrt(2), and kappa = (1 + |corr|)/(1 - |corr|). For corr = 0.99, kappa = 199 and
    steps_to_converge(199) = 688 steps at the best rate, against 3 for uncorrelated features.
(c) The slowest direction shrinks by max(|1 - epsilon lambda_min|, |1 - epsilon lambda_max|) per step. For
    epsilon < epsilon*, |1 - epsilon lambda_min| = 1 - epsilon lambda_min > 1 - epsilon* lambda_min = (kappa - 1)/(kappa + 1); for
    epsilon > epsilon*, |1 - epsilon lambda_max| = epsilon lambda_max - 1 > epsilon* lambda_max - 1 = (kappa - 1)/(kappa + 1). At
    epsilon* both equal (kappa - 1)/(kappa + 1), so any other constant rate leaves one of the two directions
    shrinking more slowly. The rate is "best" only in this worst-case sense, and it needs lambda_min and
    lambda_max, which in practice are unknown: a tuned rate can at best come close to it.
"""

EXERCISE_4 = """\
With the mistyped row (feature 2 = 3000, about 28 standard deviations above the mean), min-max scaling maps 3000
to 1 and the other 200 rows' feature 2 into [-1, -0.587]: a fifth of the range, with a standard deviation of
0.063 instead of 0.306. Standardization squeezes them too, into [-1.51, 1.41] with a standard deviation of 0.45
instead of 1 (the outlier inflates sigma_2, and lands at 12.7 itself), but much less. Min-max is hurt more: its
scale rests on the single most extreme value, while the standard deviation averages over all rows. Indeed the
condition number with the bias, condition_number(hessian(Z, bias=True)), rises from 34.9 to 154 for min-max.
(For standardization it falls, to 2.03, not because the scaling got better but because the outlier row, far from
the others in feature 2 only, lowers the correlation of the two features from 0.76 to 0.34, and with it
kappa = (1 + 0.34)/(1 - 0.34) = 2.03 (section 5.4); the 200 ordinary rows are still squeezed.)
The usual remedies: find and fix such rows before fitting any statistics, or scale with statistics an outlier
moves little (the median and the interquartile range).
"""

EXERCISE_5 = """\
The model was fitted to features standardized with the training set's statistics. Even with all 200 test rows,
the test set's own mean and standard deviation differ from the training set's by sampling error: in the chapter's
split feature 2 has training mean 304.2 and standard deviation 100.7, but test mean 288.0 and standard deviation
106.5. Standardizing the test rows by their own statistics therefore moves every test row by a different amount
than the training rows were moved, and the model, which is very accurate (noise variance 0.01), pays for that
shift: 0.0555 instead of 0.0092. With a test set of 20000 rows drawn like the training set, the test statistics
approach the population's, but the training statistics keep their own sampling error, so the error falls towards
the right one without reaching it: training on make_scaled_cloud(200, rng=0) and testing on
make_scaled_cloud(20000, rng=1) gives 0.0121 with the test set's statistics against 0.0101 with the training
set's.
The shifted test set differs from the other only by a constant added to feature 2, and each batch's own mean
subtracts exactly that constant, so every standardized batch is identical and so is every number. The test score
then cannot tell a test set like the training data from one the model does not fit (0.2579 with the right
statistics): it reports 0.0555 for both, and the shift goes unnoticed until the model meets those rows one at a
time. Re-standardizing incoming data can be a deliberate method (adapting to a new sensor, say), but then it must
be designed, and evaluated, as part of the model, on data that it did not see while being designed.
"""
