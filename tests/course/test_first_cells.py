"""The first code cell of each day sets the lesson up and prints nothing a beginner has to wonder about."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course.layout import list_days

REPO = Path(__file__).resolve().parents[2]


def first_code_cell(day: str) -> nbformat.NotebookNode:
    nb = nbformat.read(str(REPO / "release" / day / f"{day}.ipynb"), as_version=4)
    return next(cell for cell in nb.cells if cell.cell_type == "code")


def test_the_first_cell_of_every_day_prints_nothing():
    days = list_days(REPO)
    # One kernel for all days keeps this quick; a warning printed once per process would still show
    # under the first day that triggers it.
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(first_code_cell(day).source) for day in days])
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}).execute()
    printed = {day: cell.outputs for day, cell in zip(days, nb.cells) if cell.outputs}
    assert printed == {}
