"""What the students wrote in each exercise's answer cells, and what they were given there."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..markers import SOLUTION, without_solution_markers
from ..notebooks import nbgrader_meta, read_notebook


@dataclass(frozen=True)
class Exercise:
    """One answer cell of the assignment: ``key`` (its grade_id, prefixed ``notebook:`` when the
    assignment has several notebooks), its released text, and ``given``: code every student had
    anyway - every code cell of the released notebook (lesson, stubs, visible tests) and the
    instructor's solution of this exercise (when ``source/`` is there), which the lesson and the
    hints lead every student towards."""

    key: str
    notebook: str
    grade_id: str
    released: str
    given: tuple[str, ...] = ()


@dataclass
class Collected:
    """Every exercise in release order, each student's answer per exercise key, and the submissions
    that could not be read (student, why)."""

    exercises: list[Exercise]
    answers: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _answer_cells(nb: nbformat.NotebookNode) -> dict[str, str]:
    cells = {}
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.get("cell_type") == "code" and meta.get("solution") and meta.get("grade_id"):
            cells.setdefault(str(meta["grade_id"]), str(cell.get("source", "")))
    return cells


def exercises(release: Path, source: Path | None) -> list[Exercise]:
    """The code answer cells of the released notebooks in ``release`` (one folder of an assignment),
    with the instructor's solution from ``source`` when given."""
    notebooks = sorted(release.glob("*.ipynb"))
    found = []
    for path in notebooks:
        reference = {}
        if source is not None and (source / path.name).is_file():
            reference = {g: without_solution_markers(s)
                         for g, s in _answer_cells(read_notebook(source / path.name)).items()
                         if SOLUTION.begin in s}
        nb = read_notebook(path)
        lesson = tuple(str(c.source) for c in nb.cells if c.get("cell_type") == "code" and c.source.strip())
        for grade_id, text in _answer_cells(nb).items():
            key = grade_id if len(notebooks) == 1 else f"{path.stem}:{grade_id}"
            given = lesson + ((reference[grade_id],) if grade_id in reference else ())
            found.append(Exercise(key, path.stem, grade_id, text, given))
    return found


def collect(submitted: Path, assignment: str, release: Path, source: Path | None) -> Collected:
    """Read ``submitted/<student>/<assignment>/*.ipynb`` (what nbgrader's collect leaves) for every student.

    A notebook that is missing or cannot be read is recorded in ``problems`` and the student simply
    has no answer for its exercises; an answer cell is matched by its grade_id.
    """
    result = Collected(exercises(release, source))
    by_notebook: dict[str, list[Exercise]] = {}
    for exercise in result.exercises:
        by_notebook.setdefault(exercise.notebook, []).append(exercise)
    for folder in sorted(p for p in submitted.glob(f"*/{assignment}") if p.is_dir()):
        student = folder.parent.name
        answers = result.answers.setdefault(student, {})
        for notebook, expected in by_notebook.items():
            path = folder / f"{notebook}.ipynb"
            try:
                cells = _answer_cells(read_notebook(path))
            except FileNotFoundError:
                result.problems.append((student, f"no {notebook}.ipynb"))
                continue
            except Exception as err:  # noqa: BLE001 - any unreadable notebook is reported, never fatal
                result.problems.append((student, f"{notebook}.ipynb cannot be read ({type(err).__name__})"))
                continue
            for exercise in expected:
                if exercise.grade_id in cells:
                    answers[exercise.key] = cells[exercise.grade_id]
    return result
