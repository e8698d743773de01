"""A tiny throw-away course (one day, one exercise) for testing the tooling quickly."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
DAY = "day01_demo"


def meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False, points: int = 0):
    nbgrader = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
                "solution": solution, "task": False}
    if grade:
        nbgrader["points"] = points
    return {"nbgrader": nbgrader}


def demo_notebook(test_source: str | None = None) -> nbformat.NotebookNode:
    """A one-exercise notebook: define `doubled` = 2 * numbers."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Demo day"),
        nbformat.v4.new_code_cell("numbers = [1, 2, 3]"),
        nbformat.v4.new_markdown_cell("**Exercise 1 - Double.** Define `doubled`.",
                                      metadata=meta("ex1_task", locked=True)),
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\ndoubled = [2 * n for n in numbers]\n### END SOLUTION",
                                  metadata=meta("ex1_answer", solution=True)),
        nbformat.v4.new_code_cell(
            test_source
            or "from helpers.checks import check_equal\n\ncheck_equal(doubled, [2, 4, 6], name='doubled')\n"
               "### BEGIN HIDDEN TESTS\nassert doubled == [n * 2 for n in numbers]\n### END HIDDEN TESTS",
            metadata=meta("ex1_test", grade=True, locked=True, points=1),
        ),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def write_day(root: Path, nb: nbformat.NotebookNode, day: str = DAY) -> Path:
    path = root / "source" / day / f"{day}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def make_demo_course(root: Path) -> Path:
    """Turn ``root`` into a course with the real nbgrader_config.py and one honest demo day (release not built)."""
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    write_day(root, demo_notebook())
    return root
