"""nbgrader's Autograde converter cut in two around the execution, for the trusted main process.

``nbgrader autograde`` does, per submission: create the student and submission in the gradebook,
copy the source folder's extra files, then per notebook *sanitize* (ClearOutput, DeduplicateIds,
OverwriteKernelspec, OverwriteCells, CheckCellMetadata) and *autograde* (Execute, IgnorePattern,
ClearMetadata, LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata).

``prepare`` runs everything up to and including the sanitize step, with nbgrader's own code.
``finish`` runs the autograde preprocessors after Execute on the notebook a sandboxed worker
executed, then makes the student's content inert (``inert.InertContent``: what the formgrader renders
must not run in the instructor's browser), writes it and sets permissions as nbgrader does. Both run in
the main process, one submission at a time, so every gradebook write happens exactly as in serial
``nbgrader autograde``. The warnings nbgrader logs meanwhile are kept (``warnings``) for the
submission's reason, and a timestamp.txt nbgrader cannot read is kept as ``timestamp_problem`` instead
of stopping the run.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.writers import FilesWriter
from nbgrader import utils
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets.config import Config

from .inert import InertContent
from .notices import WarningLog

# Student ids become folder names and appear unescaped in the formgrader's pages: plain names only.
STUDENT_ID = re.compile(r"^[\w][\w.@+-]{0,99}$")


@dataclass
class Prepared:
    """A submission after the sanitize step: its sanitized notebooks, by notebook name."""

    student: str
    assignment: str
    outdir: Path
    notebooks: dict[str, Path] = field(default_factory=dict)
    modified: dict[str, str] = field(default_factory=dict)


class GradingCourseDirectory(CourseDirectory):
    """nbgrader's CourseDirectory that records an unusable timestamp.txt instead of failing on it.

    nbgrader 0.9 calls a ``fail`` method CourseDirectory does not have when a timestamp does not
    parse, so the real cause is lost; here the submission is graded as having no timestamp (what
    nbgrader does for an empty file) and the cause is kept for the submission's reason.
    """

    timestamp_problem = ""

    def get_existing_timestamp(self, dest_path: str) -> datetime.datetime | None:
        """The timestamp in ``dest_path``/timestamp.txt, or None (absent, empty or unusable)."""
        path = os.path.join(dest_path, "timestamp.txt")
        if not os.path.exists(path):
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read(1000).strip()
        except (OSError, UnicodeDecodeError) as err:
            self._unusable(path, f"timestamp.txt cannot be read ({type(err).__name__})")
            return None
        if not text:
            self._unusable(path, "timestamp.txt is empty")
            return None
        try:
            return utils.parse_utc(text)
        except (ValueError, OverflowError, TypeError) as err:
            shown = text if len(text) <= 40 else text[:40] + "..."
            self._unusable(path, f"timestamp.txt holds {shown!r}, which is not a date and time ({type(err).__name__})")
            return None

    def _unusable(self, path: str, problem: str) -> None:
        # Only the submitted copy matters: nbgrader also reads the one it copied to autograded/.
        if os.path.normpath(self.submitted_directory) in os.path.normpath(path).split(os.sep):
            self.timestamp_problem = self.timestamp_problem or problem


class SplitAutograde(Autograde):
    """nbgrader's Autograde whose Execute step happens elsewhere (see the module docstring)."""

    @contextlib.contextmanager
    def collecting_warnings(self) -> Iterator[None]:
        """Keep what nbgrader warns about while it works on this submission (in ``self.warnings``)."""
        if not hasattr(self, "warnings"):
            self.warnings: list[str] = []
        handler = WarningLog()
        self.log.addHandler(handler)
        try:
            yield
        finally:
            self.log.removeHandler(handler)
            self.warnings += handler.messages

    def open(self) -> None:
        """Find this student's notebooks and set up nbgrader's writer and exporter (like ``start``)."""
        self.init_notebooks()
        self.writer = FilesWriter(parent=self, config=self.config)
        self.exporter = self.exporter_class(parent=self, config=self.config)

    def _ids(self, folder: str) -> tuple[str, str]:
        regexp = self._format_source("(?P<assignment_id>.*)", "(?P<student_id>.*)", escape=True)
        match = re.match(regexp, folder)
        if match is None:
            raise ValueError(f"cannot parse the submission folder {folder}")
        return match.group("assignment_id"), match.group("student_id")

    def prepare(self) -> Prepared:
        """Gradebook entries, extra files and the sanitize step; raises what nbgrader would raise."""
        with self.collecting_warnings():
            return self._prepare()

    def _prepare(self) -> Prepared:
        self.open()
        (folder,) = self.assignments
        self.notebooks = sorted(self.assignments[folder])
        assignment, student = self._ids(folder)
        if not STUDENT_ID.match(student):
            raise ValueError(f"the student id {student!r} is not a plain name (letters, digits, . _ @ + -)")
        self.init_destination(assignment, student)
        self.run_pre_convert_hook()
        self.init_assignment(assignment, student)
        prepared = Prepared(student, assignment, Path(self._format_dest(assignment, student)))
        self._sanitizing = True
        self._init_preprocessors()
        for filename in self.notebooks:
            BaseConverter.convert_single_notebook(self, filename)
            name = os.path.splitext(os.path.basename(filename))[0]
            path = Path(self.writer.build_directory) / os.path.basename(filename)
            prepared.notebooks[name] = path
            stamp = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.timezone.utc)
            prepared.modified[name] = stamp.strftime("%B %-d, %Y")
        return prepared

    def finish(self, prepared: Prepared, executed: dict[str, nbformat.NotebookNode]) -> None:
        """The autograde preprocessors after Execute, on the executed notebooks; then permissions."""
        with self.collecting_warnings():
            self._finish(prepared, executed)

    def _finish(self, prepared: Prepared, executed: dict[str, nbformat.NotebookNode]) -> None:
        self._sanitizing = False
        self.exporter._preprocessors = []
        for preprocessor in self.autograde_preprocessors:
            if preprocessor is not Execute:
                self.exporter.register_preprocessor(preprocessor)
        # Last, after the grades are saved: it changes what is shown, never what was graded.
        self.exporter.register_preprocessor(InertContent)
        with utils.setenv(NBGRADER_EXECUTION="autograde"):
            for name, path in prepared.notebooks.items():
                if name not in executed:
                    continue
                resources = self.init_single_notebook_resources(str(path))
                resources["metadata"] = {"name": name, "path": str(path.parent),
                                         "modified_date": prepared.modified[name]}
                output, resources = self.exporter.from_notebook_node(executed[name], resources=resources)
                self.write_single_notebook(output, resources)
        self.set_permissions(prepared.assignment, prepared.student)
        self.run_post_convert_hook()

    def discard(self, prepared_or_student: Prepared | str) -> None:
        """Remove a failed submission's autograded folder, as nbgrader does when grading fails."""
        student = prepared_or_student if isinstance(prepared_or_student, str) else prepared_or_student.student
        dest = os.path.normpath(self._format_dest(self.coursedir.assignment_id, student))
        if os.path.exists(dest):
            utils.rmtree(dest)


def make_converter(config: Config, assignment: str, student: str, log: logging.Logger) -> SplitAutograde:
    """A converter for one student's submission of ``assignment``, configured like ``nbgrader autograde``."""
    config = copy.deepcopy(config)
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.student_id = student
    config.BaseConverter.force = True
    coursedir = GradingCourseDirectory(config=config, log=log)
    return SplitAutograde(coursedir=coursedir, config=config, log=log)


def read_sanitized(path: Path) -> str:
    """The sanitized notebook nbgrader just wrote, as text (the worker reads it as nbgrader would)."""
    return path.read_text(encoding="utf-8")
