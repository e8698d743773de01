"""The two grade import files, written exactly as the LMSs read them.

Canvas: the Gradebook's "Import" (Instructor Guide, "How do I import grades in the Gradebook?";
parsed by ``GradebookImporter`` in canvas-lms, lib/gradebook_importer.rb). The header row starts with
``Student``, ``ID``, then optionally ``SIS User ID`` and ``SIS Login ID``, and the last student column
must be ``Section``; every further column is an assignment, matched by the Canvas id in a trailing
``(id)`` of its title or else by its exact title, and created as a new assignment when neither
matches. A row whose first cell is ``Points Possible`` gives the points of new assignments. Students
are matched by ``ID`` (Canvas user id), else ``SIS User ID``, else ``SIS Login ID``, else by name; an
unknown student is shown as missing in Canvas's import preview. A blank grade means "no grade"
(the importer treats blank and ``-`` alike) and Canvas previews every change before saving. Any
other column would become a new assignment, so notes go to a separate file.

Moodle: Grades > Import > CSV file (Moodle Docs, "Import grades"; parsed by
``gradeimport_csv_load_data`` in moodle, grade/import/csv/classes/load_data.php). The header row
names the columns; in the import form the instructor maps one column to the user field it holds
(user id, ID number, email address or username) and the others to grade items, "Feedback for" an
item, or nothing. A blank grade (or ``-``) imports as "no grade". A student the LMS does not know
aborts the whole import, which is one more reason why unmapped students are never written.
Both files are UTF-8 with ``,`` separators and ``\\n`` line ends.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .grades import LmsGrade, format_points
from .mapping import LmsUser

CANVAS_ID_COLUMNS = ("ID", "SIS User ID", "SIS Login ID")
CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
NOTES_COLUMNS = ["nbgrader_id", "lms_id", "assignment", "state", "note"]


@dataclass(frozen=True)
class GradeTable:
    """Everything one export writes: columns (assignment, LMS title), rows of mapped students with
    their grades per assignment, and the students only one side knows."""

    columns: list[tuple[str, str]]
    rows: list[tuple[LmsUser, list[LmsGrade]]]
    unmapped: list[str]
    not_in_gradebook: list[LmsUser]


def _writer(handle):
    return csv.writer(handle, lineterminator="\n")


def inert(text: str) -> str:
    """``text`` as a spreadsheet shows it instead of running it: a cell starting with ``=``, ``+``, ``-``
    or ``@`` (a formula) gets a leading apostrophe. For values a student controls (their nbgrader id)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def write_canvas(path: Path, table: GradeTable, id_column: str = "ID") -> Path:
    """Write Canvas's gradebook import CSV: one row per mapped student, the LMS id in ``id_column``
    (``ID``, ``SIS User ID`` or ``SIS Login ID``), a ``Points Possible`` row, blank for no grade."""
    if id_column not in CANVAS_ID_COLUMNS:
        raise ValueError(f"Canvas identifies students by one of {', '.join(CANVAS_ID_COLUMNS)}, not {id_column!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = _writer(handle)
        writer.writerow(CANVAS_STUDENT_COLUMNS + [title for _, title in table.columns])
        maxima = [format_points(grades.max_score) for grades in (table.rows[0][1] if table.rows else [])]
        writer.writerow(["Points Possible", "", "", "", ""] + maxima)
        for user, grades in table.rows:
            ids = {column: (user.lms_id if column == id_column else "") for column in CANVAS_ID_COLUMNS}
            writer.writerow([user.name or inert(user.nbgrader_id), ids["ID"], ids["SIS User ID"], ids["SIS Login ID"],
                             user.section] + [format_points(g.score) for g in grades])
    return path


def write_moodle(path: Path, table: GradeTable, id_header: str = "lms_id") -> Path:
    """Write Moodle's grade import CSV: the LMS id, then per assignment its points and a note column
    (map it to "Feedback for" the item to show it to students, or leave it ignored)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = _writer(handle)
        header = [id_header]
        for _, title in table.columns:
            header += [title, f"{title} note"]
        writer.writerow(header)
        for user, grades in table.rows:
            row = [user.lms_id]
            for grade in grades:
                row += [format_points(grade.score), grade.note]
            writer.writerow(row)
    return path


def write_notes(path: Path, table: GradeTable) -> Path:
    """Write the instructor's list: every blank or annotated grade, every student in the gradebook
    but not in the mapping, and every mapped student the gradebook does not know."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = _writer(handle)
        writer.writerow(NOTES_COLUMNS)
        for user, grades in table.rows:
            for grade in grades:
                if grade.note:
                    writer.writerow([inert(user.nbgrader_id), user.lms_id, grade.assignment, grade.state,
                                     inert(grade.note)])
        for student in table.unmapped:
            writer.writerow([inert(student), "", "", "not exported", "in the gradebook but not in the mapping file"])
        for user in table.not_in_gradebook:
            writer.writerow([inert(user.nbgrader_id), user.lms_id, "", "not exported",
                             "in the mapping file but not a student in the gradebook"])
    return path
