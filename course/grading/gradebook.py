"""What the grader reads from and writes to nbgrader's gradebook (main process only)."""

from __future__ import annotations

import copy
import datetime
import logging
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme
from sqlalchemy import event
from sqlalchemy.engine import Engine
from traitlets.config import Config

from ..layout import load_config
from .codescan import inherited_names


@dataclass(frozen=True)
class ExpectedCell:
    """An nbgrader cell as the gradebook knows it, and the text(s) students were given for it."""

    grade_id: str
    cell_type: str
    locked: bool
    grade: bool
    solution: bool
    task: bool
    points: float | None
    released: tuple[str, ...] = ()
    # The nbgrader metadata students were given (roles and points, from the released notebook), which
    # may differ from the gradebook's: nbgrader records every test cell as locked, and a release keeps
    # its author's metadata. None when the release is not at hand.
    released_meta: dict | None = None
    checksum: str | None = None  # nbgrader's checksum of the released cell (an answer is unchanged if equal)


@dataclass
class ExpectedNotebook:
    """One notebook of the assignment: its nbgrader cells, their release order, the instructor's code."""

    name: str
    cells: dict[str, ExpectedCell] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    instructor_code: set[str] = field(default_factory=set)
    inherited_names: dict[str, str] = field(default_factory=dict)

    @property
    def exercises(self) -> list[str]:
        """grade_ids of the graded cells, in release order."""
        graded = [g for g in self.order if g in self.cells and self.cells[g].grade]
        return graded + sorted(g for g, c in self.cells.items() if c.grade and g not in graded)


def fast_sqlite_commits() -> None:
    """Let SQLite commit without waiting for the disk (``PRAGMA synchronous=OFF``) in this process.

    nbgrader commits once per graded cell; on a slow disk those waits cost more than grading. The
    gradebook's content is the same; only a power cut during the run could damage the file, and a
    rerun of the grading restores it. Applies to connections opened after the call, in this process.
    """
    global _FAST_SQLITE
    if _FAST_SQLITE:
        return
    _FAST_SQLITE = True

    @event.listens_for(Engine, "connect")
    def _no_sync(connection, _record) -> None:  # noqa: ANN001 - DB-API connection
        if type(connection).__module__.startswith("sqlite3"):
            cursor = connection.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()


_FAST_SQLITE = False


def _db(config: Config) -> tuple[str, str]:
    coursedir = CourseDirectory(config=config)
    return coursedir.db_url, coursedir.course_id


def has_assignment(config: Config, assignment: str) -> bool:
    """True when the gradebook knows ``assignment`` and at least one of its notebooks."""
    db_url, course_id = _db(config)
    with Gradebook(db_url, course_id) as gb:
        try:
            return bool(gb.find_assignment(assignment).notebooks)
        except MissingEntry:
            return False


def add_assignment(config: Config, assignment: str, release_dir: Path, log: logging.Logger) -> Path:
    """Record ``assignment`` in the gradebook with nbgrader's GenerateAssignment, as
    ``nbgrader generate_assignment`` does, writing the student version to ``release_dir``
    (so the committed release/ is left alone). Returns the generated assignment folder."""
    config = copy.deepcopy(config)
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.release_directory = str(release_dir)
    config.BaseConverter.force = True
    coursedir = CourseDirectory(config=config, log=log)
    GenerateAssignment(coursedir=coursedir, config=config, log=log).start()
    return release_dir / assignment


def _released_text(source: str, cell_type: str, grade_id: str, grade: bool, locked: bool) -> str:
    cell = (nbformat.v4.new_code_cell(source) if cell_type == "code" else nbformat.v4.new_markdown_cell(source))
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": locked, "solution": False,
                                 "schema_version": 3}
    for preprocessor in (ClearHiddenTests(enforce_metadata=False), ClearMarkScheme(enforce_metadata=False)):
        try:
            cell, _ = preprocessor.preprocess_cell(cell, {}, 0)
        except RuntimeError:
            break
    return cell.source


def expected_notebooks(config: Config, assignment: str, release: Path | None) -> dict[str, ExpectedNotebook]:
    """Every notebook of ``assignment`` as the gradebook and the released notebooks describe it."""
    db_url, course_id = _db(config)
    found: dict[str, ExpectedNotebook] = {}
    tests: dict[str, list[str]] = {}
    with Gradebook(db_url, course_id) as gb:
        for notebook in gb.find_assignment(assignment).notebooks:
            expected = ExpectedNotebook(notebook.name)
            graded = {c.name: c for c in notebook.grade_cells}
            solutions = {c.name for c in notebook.solution_cells}
            tasks = {c.name for c in notebook.task_cells}
            for source in notebook.source_cells:
                grade = source.name in graded
                released = (_released_text(source.source, source.cell_type, source.name, grade, source.locked),)
                expected.cells[source.name] = ExpectedCell(
                    source.name, source.cell_type, source.locked, grade, source.name in solutions,
                    source.name in tasks, float(graded[source.name].max_score) if grade else None, released,
                    checksum=source.checksum)
            found[notebook.name] = expected
            tests[notebook.name] = [c.source for c in notebook.source_cells
                                    if c.name in graded and c.cell_type == "code"]
    for name, expected in found.items():
        path = release / f"{name}.ipynb" if release else None
        instructor = []
        if path is not None and path.is_file():
            nb = nbformat.read(str(path), as_version=4)
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                grade_id = meta.get("grade_id")
                if grade_id:
                    expected.order.append(grade_id)
                    if grade_id in expected.cells:
                        old = expected.cells[grade_id]
                        released = old.released + (() if cell.source in old.released else (cell.source,))
                        expected.cells[grade_id] = ExpectedCell(**{**old.__dict__, "released": released,
                                                                   "released_meta": _roles(meta)})
                if cell.cell_type == "code" and not meta.get("solution"):
                    expected.instructor_code.add(cell.source.strip())
                    instructor.append(cell.source)
        expected.inherited_names = inherited_names(tests[name], instructor)
    return found


def _roles(meta: dict) -> dict:
    """The parts of a cell's nbgrader metadata the tampering check compares."""
    return {"grade": bool(meta.get("grade", False)), "solution": bool(meta.get("solution", False)),
            "locked": bool(meta.get("locked", False)), "task": bool(meta.get("task", False)),
            "points": meta.get("points")}


def mark_unscored(config: Config, assignment: str, student: str, flagged: bool) -> None:
    """Leave no automatic score for a failed or flagged submission: every grade needs a human
    (what nbgrader itself records when it cannot grade a notebook); flagged notebooks are flagged."""
    db_url, course_id = _db(config)
    with Gradebook(db_url, course_id) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = None
                grade.needs_manual_grade = True
            if flagged:
                notebook.flagged = True
        gb.db.commit()


@dataclass(frozen=True)
class Scores:
    """A graded submission's scores as ``nbgrader export`` shows them, plus the points per exercise."""

    raw_score: float
    penalty: float
    score: float
    max_score: float
    points: dict[str, float | None]


def read_scores(config: Config, assignment: str, student: str, expected: dict[str, ExpectedNotebook]) -> Scores:
    """The submission's raw score, late penalty, score (as nbgrader's export computes it), maximum
    and points per exercise column (before any penalty)."""
    db_url, course_id = _db(config)
    with Gradebook(db_url, course_id) as gb:
        submission = gb.find_submission(assignment, student)
        points: dict[str, float | None] = {}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                points[exercise_column(expected, notebook.name, grade.name)] = grade.score
        raw, penalty = float(submission.score), float(submission.late_submission_penalty or 0.0)
        return Scores(raw, penalty, max(0.0, raw - penalty), float(submission.max_score), points)


def lateness(config: Config, assignment: str, student: str) -> tuple[float, datetime.datetime | None]:
    """Seconds the submission came after the due date (0 when on time or unknown), and the due date."""
    db_url, course_id = _db(config)
    with Gradebook(db_url, course_id) as gb:
        duedate = gb.find_assignment(assignment).duedate
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return 0.0, duedate
        return float(submission.total_seconds_late or 0.0), duedate


def exercise_column(expected: dict[str, ExpectedNotebook], notebook: str, grade_id: str) -> str:
    """The CSV column of one graded cell: its grade_id, prefixed by the notebook when there are several."""
    return grade_id if len(expected) == 1 else f"{notebook}:{grade_id}"


def exercise_columns(expected: dict[str, ExpectedNotebook]) -> list[str]:
    """All exercise columns, notebook by notebook, in release order."""
    return [exercise_column(expected, name, g) for name in sorted(expected) for g in expected[name].exercises]


def snapshot(course: Path | Config, assignment: str, students: list[str] | None = None) -> dict[str, list[tuple]]:
    """Everything the gradebook holds about the submissions of ``assignment`` (database ids left out),
    per student in name order, for comparing two gradebooks with ``==``.

    ``course`` is the course root or its nbgrader config; ``students`` keeps only those students (None:
    all). Each student's rows, notebooks in name order, grades and comments in name order within theirs:
    ``("submission", timestamp, late_submission_penalty)``, ``("notebook", name, flagged)``,
    ``("grade", name, auto_score, manual_score, extra_credit, needs_manual_grade)``,
    ``("comment", name, auto_comment, manual_comment)``. A student with no submission has no entry.
    """
    db_url, course_id = _db(load_config(course) if isinstance(course, Path) else course)
    state: dict[str, list[tuple]] = {}
    with Gradebook(db_url, course_id) as gb:
        for submission in sorted(gb.find_assignment(assignment).submissions, key=lambda s: s.student_id):
            if students is not None and submission.student_id not in students:
                continue
            rows: list[tuple] = [("submission", str(submission.timestamp), submission.late_submission_penalty)]
            for notebook in sorted(submission.notebooks, key=lambda n: n.name):
                rows.append(("notebook", notebook.name, notebook.flagged))
                rows += sorted((("grade", g.name, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                                for g in notebook.grades), key=lambda row: row[1])
                rows += sorted((("comment", c.name, c.auto_comment, c.manual_comment) for c in notebook.comments),
                               key=lambda row: row[1])
            state[submission.student_id] = rows
    return state
