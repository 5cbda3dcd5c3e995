"""The UCI handwritten digits, packaged with ``dlnotes`` (chapters 8-9).

The file ``digits.npz`` holds the test set of the "Optical Recognition of
Handwritten Digits" data set: E. Alpaydin and C. Kaynak (1998), UCI Machine
Learning Repository, https://doi.org/10.24432/C50P49, licensed CC BY 4.0.
Each row is an 8x8 image of a digit; each pixel counts the "on" pixels of a
4x4 block of the original 32x32 bitmap, so values run from 0 to 16.
"""

from __future__ import annotations

import numpy as np


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """Load the 1797 handwritten digits (Alpaydin and Kaynak, 1998; CC BY 4.0), the real data set of chapter 9.

    Reads the copy packaged with ``dlnotes``, so no network is needed.
    Reshape a row with ``X[i].reshape(8, 8)`` to see the image; divide by 16
    (or standardize, chapter 5) before training.

    Returns
    -------
    X : ndarray of shape (1797, 64), float64
        Pixel values :math:`x_{ij} \\in \\{0, 1, \\dots, 16\\}`, row-major 8x8 images.
    y : ndarray of shape (1797,), int64
        The digit shown, 0 to 9 (about 180 of each).

    References
    ----------
    E. Alpaydin, C. Kaynak. Optical Recognition of Handwritten Digits.
    UCI Machine Learning Repository, 1998. https://doi.org/10.24432/C50P49
    """
    from importlib import resources  # here, not at the top: it costs a quarter of `import dlnotes.train`

    with resources.files(__package__).joinpath("digits.npz").open("rb") as file:
        with np.load(file) as archive:
            X = archive["images"].astype(np.float64)
            y = archive["labels"].astype(np.int64)
    return X, y
