"""The digits loader: 64 integer pixel columns and a digit label, read offline from scikit-learn."""

import numpy as np
import pandas as pd
import sklearn.datasets

from helpers import load_digits
from helpers.datasets.digits import DIGIT_PIXELS


def test_shape_and_columns():
    frame = load_digits()
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape == (1797, 65)
    assert list(frame.columns) == list(DIGIT_PIXELS) + ["digit"]
    assert DIGIT_PIXELS[:2] == ("pixel_0_0", "pixel_0_1") and DIGIT_PIXELS[-1] == "pixel_7_7"


def test_dtypes_and_ranges():
    frame = load_digits()
    assert (frame.dtypes == np.int64).all()
    pixels = frame[list(DIGIT_PIXELS)].to_numpy()
    assert pixels.min() == 0 and pixels.max() == 16
    assert sorted(frame["digit"].unique()) == list(range(10))
    assert frame["digit"].value_counts().min() >= 170


def test_matches_scikit_learn_images_row_by_row():
    frame = load_digits()
    bunch = sklearn.datasets.load_digits()
    images = frame[list(DIGIT_PIXELS)].to_numpy().reshape(-1, 8, 8)
    np.testing.assert_array_equal(images, bunch.images.astype(np.int64))
    np.testing.assert_array_equal(frame["digit"].to_numpy(), bunch.target)


def test_works_without_network(no_network):
    assert len(load_digits()) == 1797


def test_each_call_returns_an_independent_copy():
    first = load_digits()
    first.loc[0, "digit"] = 99
    assert load_digits().loc[0, "digit"] == 0
