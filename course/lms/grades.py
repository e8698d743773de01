"""One grade per student and assignment, read from nbgrader's gradebook, with a note when it is blank.

A grade is exported only when nbgrader's gradebook holds a final score: a submission that still
needs manual grading (the grader leaves failed and flagged submissions that way) or that does not
exist is exported blank with a note saying why, never as 0. The grader's CSV
(``autograded/<assignment>-grades.csv``) adds its status and reason to the note, read by column
name; without it the note still says what the gradebook says.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

GRADED, MANUAL, NO_SUBMISSION = "graded", "needs manual grading", "no submission"


@dataclass(frozen=True)
class LmsGrade:
    """What an LMS receives for one student and assignment.

    ``score`` is in points after nbgrader's late penalty (never below 0), or None to leave the grade
    blank; ``max_score`` is the assignment's points; ``state`` is ``graded``, ``needs manual grading``
    or ``no submission``; ``note`` says why a grade is blank or anything else the instructor should know.
    """

    student: str
    assignment: str
    score: float | None
    max_score: float
    state: str
    note: str


@dataclass(frozen=True)
class GraderVerdict:
    """The grader's status and reason for one submission (from its CSV)."""

    status: str
    reason: str

    def describe(self) -> str:
        return f"{self.status}: {self.reason}" if self.reason else self.status


def read_verdicts(path: Path) -> dict[str, GraderVerdict]:
    """Statuses and reasons by student from a grader CSV, read by the column names ``student``,
    ``status`` and ``reason`` (other columns may change freely). A missing file gives {}."""
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not {"student", "status"} <= set(reader.fieldnames or []):
            return {}
        return {row["student"]: GraderVerdict(row["status"] or "", row.get("reason") or "") for row in reader}


def _points(value: float) -> str:
    return f"{round(value, 4):g}"


def assignment_grades(gradebook: Gradebook, assignment: str, students: list[str],
                      verdicts: dict[str, GraderVerdict]) -> list[LmsGrade]:
    """The grade of each of ``students`` (nbgrader ids) for ``assignment``, in the order given.

    Raises nbgrader's MissingEntry when the gradebook has no such assignment.
    """
    max_score = float(gradebook.find_assignment(assignment).max_score)
    grades = []
    for student in students:
        verdict = verdicts.get(student)
        grader = f"the grader: {verdict.describe()}" if verdict else ""
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            note = "; ".join(filter(None, ["no submission in the gradebook", grader]))
            grades.append(LmsGrade(student, assignment, None, max_score, NO_SUBMISSION, note))
            continue
        flagged = any(nb.flagged for nb in submission.notebooks)
        if submission.needs_manual_grade:
            parts = ["needs manual grading in the formgrader", "flagged" if flagged else "", grader]
            grades.append(LmsGrade(student, assignment, None, max_score, MANUAL, "; ".join(filter(None, parts))))
            continue
        penalty = float(submission.late_submission_penalty or 0.0)
        score = max(0.0, float(submission.score) - penalty)
        parts = [f"late penalty {_points(penalty)} point(s)" if penalty else ""]
        if verdict and verdict.status not in ("", GRADED):
            parts.append(f"graded by hand after {grader}")
        grades.append(LmsGrade(student, assignment, score, max_score, GRADED, "; ".join(filter(None, parts))))
    return grades


def format_points(value: float | None) -> str:
    """A score as an LMS reads it: ``7``, ``7.5``, ``0.6667``; blank for None."""
    return "" if value is None else _points(value)
