"""The animals table: 90 real animals described by 16 simple traits, and their class."""

from __future__ import annotations

from importlib import resources

import pandas as pd

#: The classes in the ``type`` column, in the order the table lists them.
ANIMAL_CLASSES: tuple[str, ...] = ("mammal", "bird", "reptile", "fish", "amphibian", "insect", "invertebrate")


def load_animals() -> pd.DataFrame:
    """Return the animals table as a new DataFrame, one row per animal (90 rows, 18 columns).

    ``name`` is the animal's common name (text, unique); the 16 features are the traits
    ``hair``, ``feathers``, ``eggs``, ``milk``, ``airborne``, ``aquatic``, ``predator``,
    ``toothed``, ``backbone``, ``breathes``, ``venomous``, ``fins``, ``legs``, ``tail``,
    ``domestic`` and ``catsize`` (ints: 0/1, except ``legs``, a count); ``type`` is the class to
    predict, one of ``ANIMAL_CLASSES``. Rows are grouped by class. The data dictionary is
    ``helpers/data/animals.md``; the file ships inside the package, so nothing is downloaded.
    """
    source = resources.files("helpers") / "data" / "animals.csv"
    with source.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle)
