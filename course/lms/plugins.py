"""nbgrader export plugins (nbgrader.plugins.ExportPlugin) for Canvas and Moodle.

    nbgrader export --exporter course.lms.CanvasExportPlugin \\
        --CanvasExportPlugin.mapping=lms-ids.csv --to canvas-grades.csv --assignment=[day01_tensors]

writes ``canvas-grades.csv`` and, beside it, ``canvas-grades-notes.csv`` (see course/lms/formats.py
for the formats). Without ``--assignment`` every assignment in the gradebook gets a column; without
``--student`` every student in the gradebook is exported. Settings can also live in
nbgrader_config.py (``c.CanvasExportPlugin.mapping = "lms-ids.csv"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import ExportPlugin
from traitlets import Dict, Enum, Unicode

from .formats import CANVAS_ID_COLUMNS, GradeTable, write_canvas, write_moodle, write_notes
from .grades import assignment_grades, read_verdicts
from .mapping import MappingError, read_mapping


class LmsExportError(ValueError):
    """The export cannot be written (bad mapping file, unknown assignment); nothing was written."""


@dataclass
class ExportReport:
    """What an export wrote and whom it could not place."""

    files: list[Path] = field(default_factory=list)
    exported: int = 0
    blank: int = 0
    unmapped: list[str] = field(default_factory=list)
    not_in_gradebook: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A short account for the console."""
        lines = [f"{self.exported} student(s) exported ({self.blank} blank grade(s) with a note) to "
                 + ", ".join(str(f) for f in self.files)]
        if self.unmapped:
            lines.append(f"Not in the mapping file, not exported: {', '.join(self.unmapped)}")
        if self.not_in_gradebook:
            lines.append(f"In the mapping file but not in the gradebook: {', '.join(self.not_in_gradebook)}")
        return lines


class LmsExportPlugin(ExportPlugin):
    """Shared part of the LMS exporters: reads the gradebook, the mapping and the grader's verdicts."""

    mapping = Unicode("", help="CSV file with the columns nbgrader_id and lms_id (optional: name, section) "
                               "mapping nbgrader student ids to LMS ids").tag(config=True)
    grader_csv = Unicode("autograded/{assignment}-grades.csv",
                         help="the grader's CSV (status and reason per student) for the notes; relative to "
                              "the course root; {assignment} is replaced").tag(config=True)
    column_titles = Dict(help="LMS column title per nbgrader assignment, e.g. "
                              "{'day01_tensors': 'Day 01: Tensors (4711)'}; default: the assignment name"
                         ).tag(config=True)

    default_to = "lms-grades.csv"
    report: ExportReport | None = None

    def fail(self, message: str) -> None:
        """Stop with a clear message: nbgrader's own error exit under ``nbgrader export``, else an exception."""
        parent_fail = getattr(self.parent, "fail", None)
        if callable(parent_fail):
            parent_fail(message)
        raise LmsExportError(message)

    def course_root(self) -> Path:
        return Path(CourseDirectory(config=self.config).root)

    def table(self, gradebook: Gradebook) -> GradeTable:
        """Collect the grades of the requested students and assignments."""
        if not self.mapping:
            self.fail(f"{type(self).__name__}.mapping is not set: give the CSV file that maps nbgrader ids to LMS ids")
        try:
            users = read_mapping(Path(self.mapping))
        except MappingError as err:
            self.fail(str(err))
        assignments = [str(a) for a in self.assignment] or [a.name for a in gradebook.assignments]
        known = [s.id for s in gradebook.students]
        wanted = [str(s) for s in self.student]
        students = sorted(s for s in known if not wanted or s in wanted)
        unknown = [s for s in wanted if s not in known and s not in users]
        if unknown:
            self.fail(f"neither in the gradebook nor in {self.mapping}: {', '.join(unknown)}")
        root = self.course_root()
        per_assignment = []
        for name in assignments:
            verdicts = read_verdicts(root / self.grader_csv.format(assignment=name))
            try:
                per_assignment.append(assignment_grades(gradebook, name, [s for s in students if s in users], verdicts))
            except MissingEntry:
                self.fail(f"no assignment {name!r} in the gradebook")
        rows = [(users[s], [grades[i] for grades in per_assignment])
                for i, s in enumerate([s for s in students if s in users])]
        unmapped = [s for s in students if s not in users]
        absent = [u for s, u in sorted(users.items()) if s not in known and (not wanted or s in wanted)]
        return GradeTable([(a, self.column_titles.get(a, a)) for a in assignments], rows, unmapped, absent)

    def write(self, path: Path, table: GradeTable) -> Path:
        raise NotImplementedError

    def export(self, gradebook: Gradebook) -> None:
        """Write the LMS file and its notes file beside it (``<name>-notes.csv``)."""
        table = self.table(gradebook)
        dest = Path(self.to or self.default_to)
        notes = dest.with_name(f"{dest.stem}-notes.csv")
        files = [self.write(dest, table), write_notes(notes, table)]
        blank = sum(1 for _, grades in table.rows for g in grades if g.score is None)
        self.report = ExportReport(files, len(table.rows), blank, table.unmapped,
                                   [u.nbgrader_id for u in table.not_in_gradebook])
        for line in self.report.lines():
            self.log.info(line)
        for student in table.unmapped:
            self.log.warning("%s is in the gradebook but not in %s: not exported", student, self.mapping)
        for user in table.not_in_gradebook:
            self.log.warning("%s (%s) is in %s but not in the gradebook", user.nbgrader_id, user.lms_id, self.mapping)


class CanvasExportPlugin(LmsExportPlugin):
    """Canvas's gradebook import CSV (see course/lms/formats.py)."""

    id_column = Enum(list(CANVAS_ID_COLUMNS), default_value="ID",
                     help="the Canvas column that holds lms_id: ID (Canvas user id), SIS User ID or SIS Login ID"
                     ).tag(config=True)
    default_to = "canvas-grades.csv"

    def write(self, path: Path, table: GradeTable) -> Path:
        return write_canvas(path, table, self.id_column)


class MoodleExportPlugin(LmsExportPlugin):
    """Moodle's grade import CSV (see course/lms/formats.py)."""

    id_header = Unicode("lms_id", help="header of the identifier column, chosen as 'Map from' in Moodle's "
                                       "import form").tag(config=True)
    default_to = "moodle-grades.csv"

    def write(self, path: Path, table: GradeTable) -> Path:
        return write_moodle(path, table, self.id_header)


PLUGINS = {"canvas": CanvasExportPlugin, "moodle": MoodleExportPlugin}
