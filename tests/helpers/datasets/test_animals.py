"""The animals table: shape, columns, and facts that must agree with biology."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import load_animals
from helpers.datasets.animals import ANIMAL_CLASSES

COLUMNS = [
    "name", "hair", "feathers", "eggs", "milk", "airborne", "aquatic", "predator", "toothed",
    "backbone", "breathes", "venomous", "fins", "legs", "tail", "domestic", "catsize", "type",
]
BOOLEAN_COLUMNS = [c for c in COLUMNS if c not in ("name", "legs", "type")]
VERTEBRATES = {"mammal", "bird", "reptile", "fish", "amphibian"}


@pytest.fixture(scope="module")
def animals() -> pd.DataFrame:
    return load_animals()


def rows(animals: pd.DataFrame, kind: str) -> pd.DataFrame:
    return animals[animals["type"] == kind]


def names_where(frame: pd.DataFrame, mask: pd.Series) -> list[str]:
    return sorted(frame.loc[mask, "name"])


def test_shape_and_exact_columns(animals):
    assert list(animals.columns) == COLUMNS
    assert 60 <= len(animals) <= 100


def test_names_unique_and_clean(animals):
    assert animals["name"].is_unique
    assert (animals["name"] == animals["name"].str.strip()).all()
    assert (animals["name"] == animals["name"].str.lower()).all()


def test_no_missing_values(animals):
    assert not animals.isna().any().any()


def test_booleans_are_0_or_1_ints(animals):
    for column in BOOLEAN_COLUMNS:
        assert pd.api.types.is_integer_dtype(animals[column]), column
        assert set(animals[column].unique()) <= {0, 1}, column


def test_legs_are_plausible_counts(animals):
    assert pd.api.types.is_integer_dtype(animals["legs"])
    assert set(animals["legs"].unique()) <= {0, 2, 4, 5, 6, 8, 10}


def test_every_class_present_with_a_few_rows(animals):
    counts = animals["type"].value_counts()
    assert set(counts.index) == set(ANIMAL_CLASSES)
    assert counts.min() >= 5


def test_rows_are_grouped_by_class(animals):
    order = [ANIMAL_CLASSES.index(t) for t in animals["type"]]
    assert order == sorted(order)


def test_mammals_give_milk_and_have_hair_or_live_in_water(animals):
    mammals = rows(animals, "mammal")
    assert (mammals["milk"] == 1).all()
    assert names_where(mammals, (mammals["hair"] == 0) & (mammals["aquatic"] == 0)) == []
    assert (mammals[["backbone", "breathes"]] == 1).all().all()
    assert (mammals["feathers"] == 0).all()


def test_birds_have_feathers_two_legs_and_lay_eggs(animals):
    birds = rows(animals, "bird")
    assert (birds[["feathers", "eggs", "backbone", "breathes", "tail"]] == 1).all().all()
    assert (birds["legs"] == 2).all()
    assert (birds[["hair", "milk", "toothed", "fins"]] == 0).all().all()


def test_fish_have_fins_and_backbone_and_live_in_water(animals):
    fish = rows(animals, "fish")
    assert (fish[["fins", "backbone", "aquatic", "tail"]] == 1).all().all()
    assert (fish[["legs", "breathes", "airborne", "hair", "feathers", "milk"]] == 0).all().all()


def test_reptiles_and_amphibians(animals):
    for kind in ("reptile", "amphibian"):
        group = rows(animals, kind)
        assert (group[["backbone", "breathes"]] == 1).all().all(), kind
        assert (group[["hair", "feathers", "milk", "airborne"]] == 0).all().all(), kind
    assert (rows(animals, "amphibian")["eggs"] == 1).all()


def test_insects_have_six_legs_and_no_backbone(animals):
    insects = rows(animals, "insect")
    assert (insects["legs"] == 6).all()
    assert (insects[["backbone", "feathers", "milk", "toothed", "fins"]] == 0).all().all()
    assert (insects[["eggs", "breathes"]] == 1).all().all()


def test_invertebrates_have_no_backbone_and_are_not_six_legged(animals):
    others = rows(animals, "invertebrate")
    assert (others[["backbone", "hair", "feathers", "milk", "airborne"]] == 0).all().all()
    assert (others["legs"] != 6).all()


def test_traits_only_one_class_has(animals):
    assert set(animals.loc[animals["milk"] == 1, "type"]) == {"mammal"}
    assert set(animals.loc[animals["feathers"] == 1, "type"]) == {"bird"}
    assert names_where(animals, animals["backbone"] != animals["type"].isin(VERTEBRATES).astype(int)) == []


def test_a_few_well_known_facts(animals):
    by_name = animals.set_index("name")
    assert by_name.loc["platypus", ["eggs", "milk", "venomous"]].tolist() == [1, 1, 1]
    assert by_name.loc["dolphin", ["hair", "aquatic", "fins", "legs"]].tolist() == [0, 1, 1, 0]
    assert by_name.loc["penguin", ["airborne", "aquatic", "legs"]].tolist() == [0, 1, 2]
    assert by_name.loc["spider", "legs"] == 8
    assert by_name.loc["starfish", "legs"] == 5
    assert by_name.loc["honeybee", ["venomous", "domestic"]].tolist() == [1, 1]


def test_each_call_returns_a_fresh_table(animals):
    first = load_animals()
    first.loc[0, "hair"] = 99
    assert load_animals().loc[0, "hair"] != 99


def test_loads_without_the_network(no_network):
    assert len(load_animals()) == 90
