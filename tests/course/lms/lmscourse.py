"""A fixture course for the LMS exporters: a gradebook written with nbgrader's API, a grader CSV and a
mapping file, covering every case an export must handle.

| student | gradebook | grader CSV | mapping |
| --- | --- | --- | --- |
| alice | 5/5 | graded | Canvas id 1001, a name with a comma and an accent |
| bob | 2/5 with a 1-point late penalty | graded | 1002 |
| carol | needs manual grading | failed (timeout) | 1003 |
| dave | needs manual grading, flagged | flagged (edited test cell) | 1004 |
| erin | graded by hand afterwards: 4/5 | failed (kernel died) | 1005 |
| frank | a student with no submission | - | 1006 |
| gina | 3/5 | graded | not in the mapping |
| zoe | not in the gradebook | - | 1099 |

A second assignment (day02_demo, 2 points) is graded for alice only, so that multi-assignment files
have a column per assignment.
"""

from __future__ import annotations

import csv
import shutil
import warnings
from pathlib import Path

from democourse import REPO
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from course.venv_path import ensure_alembic_on_path

DAY1, DAY2 = "day01_demo", "day02_demo"
CELLS = {DAY1: {"ex1_test": 2.0, "ex2_test": 3.0}, DAY2: {"ex1_test": 2.0}}

# student: (points per grade cell of DAY1 or None for no submission, how it was scored, late penalty)
SUBMISSIONS = {
    "alice": ({"ex1_test": 2.0, "ex2_test": 3.0}, "auto", 0.0),
    "bob": ({"ex1_test": 2.0, "ex2_test": 0.0}, "auto", 1.0),
    "carol": ({}, "manual", 0.0),
    "dave": ({}, "flagged", 0.0),
    "erin": ({"ex1_test": 1.0, "ex2_test": 3.0}, "by hand", 0.0),
    "frank": (None, "", 0.0),
    "gina": ({"ex1_test": 2.0, "ex2_test": 1.0}, "auto", 0.0),
}
VERDICTS = [
    ("alice", "graded", ""),
    ("bob", "graded", ""),
    ("carol", "failed", "timeout: ex1_answer ran longer than the 30 s cell limit"),
    ("dave", "flagged", "tampering: edited test cell ex1_test"),
    ("erin", "failed", "kernel died: the kernel died while running ex2_answer (exit status 3)"),
    ("gina", "graded", ""),
]
MAPPING = [
    ("alice", "1001", "Núñez, Alice", "A"),
    ("bob", "1002", "Bauer, Bob", "A"),
    ("carol", "1003", "Chen, Carol", "B"),
    ("dave", "1004", 'Dupont, Dave "D"', "B"),
    ("erin", "1005", "Evans, Erin", "B"),
    ("frank", "1006", "", ""),
    ("zoe", "1099", "Zhou, Zoe", "A"),
]


def _fill(gb: Gradebook, assignment: str, student: str, points: dict[str, float], how: str, penalty: float) -> None:
    submission = gb.add_submission(assignment, student, timestamp="2024-05-01 10:00:00 UTC")
    notebook = submission.notebooks[0]
    notebook.late_submission_penalty = penalty
    for grade in notebook.grades:
        if how in ("auto", "by hand"):
            grade.needs_manual_grade = False
        if how == "auto":
            grade.auto_score = points[grade.name]
        elif how == "by hand":
            grade.manual_score = points[grade.name]
    if how == "flagged":
        notebook.flagged = True
    gb.db.commit()


def make_lms_course(root: Path) -> Path:
    """Write the fixture course into ``root``: nbgrader_config.py, gradebook.db, the grader CSV of
    day01_demo and ``lms-ids.csv``. Returns ``root``."""
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    ensure_alembic_on_path()
    # nbgrader's add_submission triggers this harmless SQLAlchemy warning (see FIELD-NOTES).
    warnings.filterwarnings("ignore", category=SAWarning)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "dlwp") as gb:
        for assignment, cells in CELLS.items():
            gb.add_assignment(assignment)
            gb.add_notebook(assignment, assignment)
            for name, points in cells.items():
                gb.add_grade_cell(name, assignment, assignment, max_score=points, cell_type="code")
        for student in SUBMISSIONS:
            gb.add_student(student)
        for student, (points, how, penalty) in SUBMISSIONS.items():
            if points is not None:
                _fill(gb, DAY1, student, points, how, penalty)
        _fill(gb, DAY2, "alice", {"ex1_test": 2.0}, "auto", 0.0)
    (root / "autograded").mkdir()
    with (root / "autograded" / f"{DAY1}-grades.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        # The grader's columns other than student, status and reason may change; the exporter must not care.
        writer.writerow(["student", "assignment", "score", "max_score", "status", "reason", "sandbox"])
        for student, status, reason in VERDICTS:
            writer.writerow([student, DAY1, "", "5", status, reason, "bubblewrap"])
    with (root / "lms-ids.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nbgrader_id", "lms_id", "name", "section", "email"])
        for student, lms_id, name, section in MAPPING:
            writer.writerow([student, lms_id, name, section, f"{student}@example.org"])
    return root
