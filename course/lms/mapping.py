"""The mapping file: which LMS user each nbgrader student id is."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

NBGRADER_ID, LMS_ID, NAME, SECTION = "nbgrader_id", "lms_id", "name", "section"


class MappingError(ValueError):
    """The mapping file cannot be used; the message says which line and why."""


@dataclass(frozen=True)
class LmsUser:
    """One student as the LMS knows them."""

    nbgrader_id: str
    lms_id: str
    name: str = ""
    section: str = ""


def read_mapping(path: Path) -> dict[str, LmsUser]:
    """Read a UTF-8 CSV file with a header row naming at least ``nbgrader_id`` and ``lms_id``
    (optional: ``name``, ``section``; other columns are ignored), one student per line.

    Returns the users by nbgrader id. Raises MappingError (with the line number) for a missing file
    or column, an empty id, or an nbgrader id or LMS id given twice: a mapping that could send one
    student's grade to another is refused whole rather than half used.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MappingError(f"{path}: no such mapping file") from None
    except UnicodeDecodeError as err:
        raise MappingError(f"{path}: not UTF-8 text ({err.reason})") from None
    except OSError as err:  # a folder, a file this user may not read
        raise MappingError(f"{path}: cannot be read ({err.strerror or type(err).__name__})") from None
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in (NBGRADER_ID, LMS_ID) if c not in columns]
    if missing:
        raise MappingError(f"{path}: the header row must name the columns {NBGRADER_ID} and {LMS_ID} "
                           f"(missing: {', '.join(missing)}; found: {', '.join(columns) or 'nothing'})")
    reader.fieldnames = columns
    users: dict[str, LmsUser] = {}
    owners: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        student, lms_id = values.get(NBGRADER_ID, ""), values.get(LMS_ID, "")
        if not student or not lms_id:
            raise MappingError(f"{path}, line {line}: both {NBGRADER_ID} and {LMS_ID} are needed "
                               f"(got {student!r} and {lms_id!r})")
        if student in users:
            raise MappingError(f"{path}, line {line}: nbgrader id {student!r} is mapped twice")
        if lms_id in owners:
            raise MappingError(f"{path}, line {line}: LMS id {lms_id!r} is given to both "
                               f"{owners[lms_id]!r} and {student!r}")
        owners[lms_id] = student
        users[student] = LmsUser(student, lms_id, values.get(NAME, ""), values.get(SECTION, ""))
    return users
