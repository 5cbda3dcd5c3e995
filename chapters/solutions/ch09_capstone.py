"""Solutions to the exercises of Chapter 9 (putting it together): the coding exercises as functions, the written ones as text."""

import numpy as np


def confusion(y_true, y_pred, n_classes):
    """CM[i, j] counts the examples of true class i predicted as j: one bincount of the pair index i * n_classes + j."""
    pairs = np.asarray(y_true) * n_classes + np.asarray(y_pred)
    return np.bincount(pairs, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def recall_per_class(y_true, y_pred, n_classes):
    """recall_k for each class k: the fraction of the examples with y = k that are predicted k."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return np.array([np.mean(y_pred[y_true == c] == c) for c in range(n_classes)])


EXERCISE_3 = """\
A test score estimates how the final network does on digits that played no part in building it. Every time a
test score influences a decision (which seed to keep, which epoch, which recipe, whether to train longer), the
test set starts to play the validation set's role, and its score becomes as optimistic as a validation score: it
measures how well we picked, on those 359 digits, rather than how well the network generalizes.
Reporting the best of the three seeds' test accuracies is a selection on the test set: the maximum of three noisy
numbers is biased upwards (each has a standard error of about 0.9 points here), so the report would overstate
what a new run of the same recipe achieves. The choice among the three, if one is wanted at all, belongs to the
validation set (the lowest validation loss), or better, fixed in advance (the chapter keeps seed 0); the test set
then scores the one network chosen, once. If a test score later shows a problem, fixing it is fine, but the next
report needs fresh test data, or an honest note that the old test set helped choose.
"""

EXERCISE_4 = """\
Prediction (Chapter 5): per pixel, a pixel that is almost always blank in the training images has a tiny standard
deviation, so a validation digit with ink there gets a huge standardized value, far outside what the network saw
in training; expect the largest scaled validation pixel to be in the tens and the validation loss to get worse.
Measured: pixel 40 (row 5, column 0) is inked in only 6 of the 1076 training images, its standard deviation is
0.105, and one validation digit reaches 37.90 there; 9 validation images have a pixel beyond 10 (with one mean and
standard deviation for all pixels no value exceeds 1.85). The validation loss rises from 0.033 +- 0.004 to
0.044 +- 0.006, a loss by the spread rule; the validation accuracy is unchanged at 99.08% on average (spread 0.16
against 0.42 points), so by accuracy alone the damage would go unnoticed.
"""

EXERCISE_5 = """\
The search ranks the 12 candidates by mean validation loss. The recipe (two layers of 64, lr 0.01, dropout 0.2)
is first with 0.033 +- 0.004. Three candidates tie with it under the spread rule, all with one layer of 128 units:
lr 0.01 with dropout 0.5 (0.034 +- 0.014), lr 0.03 with dropout 0.2 (0.038 +- 0.007) and lr 0.03 with dropout 0.5
(0.040 +- 0.009); their spreads are wide enough that three seeds cannot separate them from the recipe. The other 8
lose. The learning rate matters most by the criterion: averaged over the other choices, the candidates' mean validation
loss is 0.038 at lr 0.01, 0.047 at 0.03 and 0.059 at 0.003, 0.021 apart, against 0.042 and 0.054 for dropout 0.2
and 0.5 (0.013 apart) and 0.043 and 0.053 for one layer of 128 and two of 64 (0.010 apart). Every candidate at
lr 0.003 loses, because within the 30 epochs it is still
improving (its best epoch is 29.7 or 30 on average), while the rate 0.03 with two layers is too fast (dropout 0.5:
0.065 +- 0.023). For plain SGD the best rate is 1 (0.043 +- 0.007); 0.3 and 0.1 lose, 0.1 with 0.100 +- 0.007.
"""
