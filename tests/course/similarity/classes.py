"""The fixture classes: every student's answer cells to a real course day, as files under classes/.

``classes/<day>/independent/<student>.py`` holds 20 students who each solved the day on their own,
each in their own style (the first comment line says which); ``classes/<day>/copies/<student>.py``
holds students who copied one of them and disguised the copy (``COPIES`` says whom and how). A file
is a sequence of ``# %% <grade_id>`` lines, each followed by the whole answer cell as submitted.
"""

from __future__ import annotations

import copy
import re
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat

from course.notebooks import nbgrader_meta

CLASSES = Path(__file__).parent / "classes"
REPO = Path(__file__).resolve().parents[3]
DAYS = ("day01_tensors", "day09_training_loop")
SECTION = re.compile(r"^# %% (\S+)\n", re.M)

# copier: (original, disguise)
COPIES = {
    "day01_tensors": {
        "uma": ("bilal", "renamed variables"),
        "victor": ("farah", "changed comments and whitespace"),
        "wen": ("dmitri", "reordered independent statements"),
        "xavier": ("hana", "all three"),
    },
    "day09_training_loop": {
        "uma": ("bilal", "renamed variables"),
        "victor": ("farah", "changed comments and whitespace"),
        "wen": ("dmitri", "reordered independent statements"),
        "xavier": ("hana", "all three"),
    },
}


def read_student(path: Path) -> dict[str, str]:
    """grade_id -> answer cell text of one fixture file."""
    parts = SECTION.split(path.read_text(encoding="utf-8"))
    return {parts[i]: parts[i + 1].rstrip("\n") for i in range(1, len(parts), 2)}


def load(day: str, group: str) -> dict[str, dict[str, str]]:
    """Every student of ``group`` (``independent`` or ``copies``) for ``day``: student -> grade_id -> text."""
    return {p.stem: read_student(p) for p in sorted((CLASSES / day / group).glob("*.py"))}


def notebook_with(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of ``nb`` with each answer cell's text replaced by the student's answer."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def write_submissions(root: Path, day: str, students: dict[str, dict[str, str]]) -> None:
    """``submitted/<student>/<day>/<day>.ipynb`` for every student, built from the committed release."""
    release = nbformat.read(str(REPO / "release" / day / f"{day}.ipynb"), as_version=4)
    for student, answers in students.items():
        folder = root / "submitted" / student / day
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook_with(release, answers), str(folder / f"{day}.ipynb"))


def run_with_hidden_tests(day: str, answers: dict[str, str]) -> list[str]:
    """Run the instructor's notebook of ``day`` (visible and hidden tests) with the student's answers in
    place of the solutions, in this process; returns the failures ("grade_id: error"), [] when every test passes.

    Runs in a fresh namespace in the notebook's folder, the way a kernel would, minus the kernel.
    """
    import contextlib
    import io
    import os

    nb = notebook_with(nbformat.read(str(REPO / "source" / day / f"{day}.ipynb"), as_version=4), answers)
    import torch

    namespace: dict = {"__name__": "__main__"}
    failures = []
    here, threads = os.getcwd(), torch.get_num_threads()
    os.chdir(REPO / "source" / day)
    torch.set_num_threads(1)  # as in a grading kernel; many threads only slow a small model down
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                try:
                    exec(compile(cell.source, f"<{nbgrader_meta(cell).get('grade_id', 'cell')}>", "exec"), namespace)
                except Exception as err:  # noqa: BLE001 - every failing cell is reported
                    if nbgrader_meta(cell).get("grade"):
                        failures.append(f"{nbgrader_meta(cell)['grade_id']}: {type(err).__name__}: {err}")
                    else:
                        failures.append(f"{nbgrader_meta(cell).get('grade_id', 'a lesson cell')}: "
                                        f"{type(err).__name__}: {err}")
                plt.close("all")
    finally:
        os.chdir(here)
        torch.set_num_threads(threads)
    return failures
