"""What nbgrader and the grader noticed about one submission, as reasons the instructor reads.

nbgrader writes much of what it notices about a submission only to its log: a notebook it skipped
because the gradebook does not know it (a copy made with JupyterLab's Duplicate), a notebook that is
missing (scored 0), an empty timestamp file, a late submission and its penalty. Each becomes a reason
on that submission (a *note* when the grade stands, a *failure* when someone must look first), so a
zero is never silent. Housekeeping (removing an earlier run's files) and cell repairs that the
tampering checks report in their own words stay in the log.
"""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path

import nbformat
from nbgrader import utils

from .gradebook import ExpectedCell, ExpectedNotebook

EXTRA, MISSING, LATE, TIMESTAMP, NBGRADER = "extra notebook", "missing notebook", "late", "timestamp", "nbgrader"

# nbgrader's warnings that are not about the student's work, or are reported better elsewhere.
ROUTINE = re.compile(
    r"^(Removing existing (assignment|notebook)|Updating existing (assignment|notebook)|Removing failed "
    r"(assignment|notebook)|Could not update permissions|Attribute '\w+' for cell .* has changed!|Missing grade "
    r"cell .* adding to notebook|Cell '.*' does not exist in the database|Cell with id '.*' exists multiple "
    r"times!|\w+ '.*' has trailing whitespace|Skipping unknown notebook|.* is [\d.]+ seconds late$|Late "
    r"submission penalty: )")
NO_FILE = re.compile(r"^No submitted file: (?P<path>.+)$")


class WarningLog(logging.Handler):
    """Collects the warnings nbgrader logs while it works on one submission."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            try:
                self.messages.append(record.getMessage())
            except Exception:  # noqa: BLE001 - a malformed log call must not stop grading
                self.messages.append(str(record.msg))


def nbgrader_notes(messages: list[str]) -> list[tuple[str, str]]:
    """nbgrader's warnings about a submission as (kind, detail) notes; routine ones are left out."""
    notes = []
    for message in dict.fromkeys(m.strip() for m in messages):
        if not message or ROUTINE.match(message):
            continue
        missing = NO_FILE.match(message)
        if missing:
            notes.append((MISSING, f"{Path(missing.group('path')).name} was not submitted; nbgrader scored its "
                                   "tests 0"))
        elif message.startswith("Empty timestamp file"):
            continue  # reported by timestamp_problem, with what it means for lateness
        else:
            notes.append((NBGRADER, " ".join(message.split())[:300]))
    return notes


def _answered(cell: nbformat.NotebookNode, want: ExpectedCell) -> bool:
    """Whether an answer cell differs from what the release gave, by nbgrader's own rule (its checksum,
    which decides "No response."), or by its text when the gradebook has no checksum."""
    if want.checksum:
        try:
            return utils.compute_checksum(cell) != want.checksum
        except Exception:  # noqa: BLE001 - unreadable metadata: treat it as changed
            return True
    return cell.get("source", "").strip() not in {t.strip() for t in want.released}


def _holds_answers(nb: nbformat.NotebookNode, expected: dict[str, ExpectedNotebook]) -> list[str]:
    """grade_ids of the assignment's answer cells that the notebook answers."""
    answers = {g: c for e in expected.values() for g, c in e.cells.items() if c.solution}
    found = []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader")
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        want = answers.get(grade_id)
        if want is not None and _answered(cell, want):
            found.append(str(grade_id))
    return list(dict.fromkeys(found))


def extra_notebooks(folder: Path, expected: dict[str, ExpectedNotebook],
                    ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Notebooks in a submission folder that are not part of the assignment (nbgrader skips them).

    Returns (failures, notes): one holding answers to the assignment's exercises needs the
    instructor's look (the work may be in the copy, the original untouched); any other is a note.
    """
    failures, notes = [], []
    for path in sorted(folder.rglob("*.ipynb")):
        relative = path.relative_to(folder)
        if ".ipynb_checkpoints" in relative.parts or (len(relative.parts) == 1 and path.stem in expected):
            continue
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception as err:  # noqa: BLE001 - anything unreadable is reported, never raised
            notes.append((EXTRA, f"{relative} is not part of the assignment and cannot be read "
                                 f"({type(err).__name__}); nbgrader did not grade it"))
            continue
        answers = _holds_answers(nb, expected)
        if answers:
            shown = ", ".join(answers[:4]) + (", ..." if len(answers) > 4 else "")
            failures.append((EXTRA, f"{relative} holds answers ({shown}) that nbgrader does not grade: "
                                    "it grades only the notebooks the assignment names; look at both"))
        else:
            notes.append((EXTRA, f"{relative} is not part of the assignment; nbgrader did not grade it "
                                 "(it holds no answers)"))
    return failures, notes


def duration(seconds: float) -> str:
    """A length of time in words: ``2 d 3 h``, ``4 h 12 min``, ``35 s``."""
    seconds = int(round(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def late_note(seconds_late: float, penalty: float | None) -> tuple[str, str]:
    """The note for a submission handed in after its due date (``penalty`` None: not graded)."""
    what = f"submitted {duration(seconds_late)} after the due date"
    if penalty is None:
        return LATE, what
    if penalty:
        return LATE, f"{what}; late-submission penalty {penalty:g} point(s): score = raw_score - penalty"
    return LATE, f"{what}; no late-submission penalty (LateSubmissionPlugin.penalty_method)"


def timestamp_problem(problem: str, duedate: datetime.datetime | None) -> tuple[str, str]:
    """The reason for a timestamp.txt nbgrader could not use. The submission is graded as one without a
    timestamp (as nbgrader grades an empty one, or zip_collect's): never late, so it loses nothing."""
    if duedate is None:
        return TIMESTAMP, f"{problem}; graded as on time (the assignment has no due date)"
    return TIMESTAMP, (f"{problem}; graded as on time, but whether it came before the due date "
                       f"({duedate:%Y-%m-%d %H:%M}) is unknown")
