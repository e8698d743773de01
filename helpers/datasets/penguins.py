"""The Palmer penguins table (3 species), read offline from the installed ``palmerpenguins`` package.

Data: Gorman, Williams and Fraser (2014), Palmer Station Antarctica LTER; released under CC0.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["PENGUIN_FEATURES", "PENGUIN_SPECIES", "load_penguins"]

# the four body measurements, in the order the lessons use them
PENGUIN_FEATURES: tuple[str, ...] = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")
PENGUIN_SPECIES: tuple[str, ...] = ("Adelie", "Chinstrap", "Gentoo")


def load_penguins(dropna: bool = True) -> pd.DataFrame:
    """Return the penguins table as a new DataFrame, one row per penguin.

    Columns:

    - ``species`` (str): ``"Adelie"``, ``"Chinstrap"`` or ``"Gentoo"`` (the label to predict);
    - ``island`` (str): ``"Biscoe"``, ``"Dream"`` or ``"Torgersen"``;
    - ``bill_length_mm``, ``bill_depth_mm`` (float, millimetres);
    - ``flipper_length_mm`` (float, millimetres);
    - ``body_mass_g`` (float, grams);
    - ``sex`` (str): ``"female"`` or ``"male"``;
    - ``year`` (int): 2007, 2008 or 2009.

    With ``dropna=True`` (the default) the 11 rows that miss a value are dropped, leaving 333 rows
    (146 Adelie, 68 Chinstrap, 119 Gentoo) with a fresh 0..332 index. ``dropna=False`` gives all 344
    rows, missing values as NaN. Reads a CSV inside the package; nothing is downloaded.
    """
    import palmerpenguins  # imported here so that ``import helpers`` stays fast

    frame = palmerpenguins.load_penguins().copy()
    if dropna:
        frame = frame.dropna().reset_index(drop=True)
    return frame
