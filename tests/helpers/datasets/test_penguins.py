"""The penguins loader: offline, documented columns, missing rows dropped by default, fresh copies."""

import pandas as pd

from helpers import load_penguins
from helpers.datasets.penguins import PENGUIN_FEATURES, PENGUIN_SPECIES

COLUMNS = ["species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"]


def test_columns_and_size_with_missing_rows_dropped():
    frame = load_penguins()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == COLUMNS
    assert frame.shape == (333, 8)
    assert not frame.isna().any().any()
    assert list(frame.index) == list(range(333))


def test_three_species_with_documented_counts():
    counts = load_penguins()["species"].value_counts().to_dict()
    assert counts == {"Adelie": 146, "Chinstrap": 68, "Gentoo": 119}
    assert sorted(counts) == list(PENGUIN_SPECIES)


def test_measurements_are_floats_in_plausible_units():
    frame = load_penguins()
    for column in PENGUIN_FEATURES:
        assert pd.api.types.is_float_dtype(frame[column]), column
    assert frame["bill_length_mm"].between(30, 60).all()
    assert frame["flipper_length_mm"].between(170, 235).all()
    assert frame["body_mass_g"].between(2500, 6500).all()


def test_dropna_false_keeps_all_rows():
    frame = load_penguins(dropna=False)
    assert frame.shape == (344, 8)
    assert frame.isna().any(axis=1).sum() == 11


def test_each_call_returns_an_independent_copy():
    first = load_penguins()
    first.loc[0, "bill_length_mm"] = -1.0
    assert load_penguins().loc[0, "bill_length_mm"] > 0


def test_works_without_network(no_network):
    assert len(load_penguins()) == 333
