"""The 8x8 handwritten digits (1797 images), read offline from scikit-learn's bundled copy.

Data: the UCI "Optical Recognition of Handwritten Digits" test set as shipped inside scikit-learn
(``sklearn.datasets.load_digits``); never ``fetch_*``, which would download.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["DIGIT_PIXELS", "load_digits"]

# pixel_<row>_<column>, row by row: reshape a row of these 64 values to (8, 8) to see the image
DIGIT_PIXELS: tuple[str, ...] = tuple(f"pixel_{r}_{c}" for r in range(8) for c in range(8))


def load_digits() -> pd.DataFrame:
    """Return the digits as a new DataFrame of 1797 rows and 65 columns.

    - ``pixel_0_0`` ... ``pixel_7_7`` (int64, 0 to 16): the 64 pixels of an 8x8 image, row by row;
      0 is white background, 16 the darkest ink (each pixel counts the inked dots of a 4x4 block).
    - ``digit`` (int64, 0 to 9): the label, about 180 images of each digit.

    ``frame[list(DIGIT_PIXELS)].to_numpy().reshape(-1, 8, 8)`` gives the images. Nothing is downloaded.
    """
    from sklearn.datasets import load_digits as _sklearn_load_digits  # lazy: sklearn is slow to import

    bunch = _sklearn_load_digits()
    frame = pd.DataFrame(bunch.data.astype("int64"), columns=list(DIGIT_PIXELS))
    frame["digit"] = bunch.target.astype("int64")
    return frame
