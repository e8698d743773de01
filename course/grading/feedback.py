"""Feedback for students: nbgrader's GenerateFeedback, with hidden-test lines kept out of tracebacks.

``ClearHiddenTests`` (configured in nbgrader_config.py) removes hidden tests from a test cell's
source, but a failing hidden test's traceback still quotes the lines around it. ``HideHiddenTestLines``
runs first and replaces every quoted hidden-test line in a traceback with a placeholder, so the
student still sees which test cell failed, the error and its message, never the hidden code.
nbgrader_config.py lists it in ``GenerateFeedback.preprocessors`` too, so plain ``nbgrader generate_feedback``
(after manual grading, say) scrubs tracebacks the same way. ``inert.InertContent`` runs last, so nothing a
student wrote or printed runs in the browser that opens the feedback page; it runs first, before
``GetGrades`` adds the instructor's scores and comments.
"""

from __future__ import annotations

import copy
import logging
import re
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests
from traitlets.config import Config

from ..markers import HIDDEN_TESTS, Delimiters, region_lines
from ..notebooks import ANSI
from .inert import InertContent

QUOTED_LINE = re.compile(r"^(?P<prefix>\s*(?:-*>\s*)?\d+\s)(?P<code>.*)$")
PLACEHOLDER = "(hidden test line)"


def hidden_lines(source: str, delimiters: Delimiters = HIDDEN_TESTS) -> set[str]:
    """The stripped, non-empty lines of a cell's hidden-test regions (markers included)."""
    return region_lines(source, delimiters)


def scrub_traceback_entry(entry: str, secret: set[str]) -> str:
    """One traceback string with each quoted line that belongs to ``secret`` replaced by a placeholder."""
    lines = []
    for line in entry.split("\n"):
        match = QUOTED_LINE.match(ANSI.sub("", line))
        if match and match.group("code").strip() in secret:
            line = match.group("prefix") + PLACEHOLDER
        elif ANSI.sub("", line).strip() in secret:
            line = PLACEHOLDER
        lines.append(line)
    return "\n".join(lines)


class HideHiddenTestLines(ClearHiddenTests):
    """Replace hidden-test lines quoted in a test cell's error tracebacks (run before ClearHiddenTests).

    A subclass of ClearHiddenTests only to share its configured delimiters; it leaves the source alone.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        index: int) -> tuple[NotebookNode, ResourcesDict]:
        """Scrub the error outputs of one graded code cell that has hidden tests."""
        if cell.cell_type != "code" or not utils.is_grade(cell):
            return cell, resources
        delimiters = Delimiters(self.begin_test_delimeter, self.end_test_delimeter, HIDDEN_TESTS.kind)
        secret = hidden_lines(cell.source, delimiters)
        if not secret:
            return cell, resources
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [scrub_traceback_entry(entry, secret) for entry in output.get("traceback", [])]
                output["evalue"] = scrub_traceback_entry(output.get("evalue", ""), secret)
        return cell, resources


def feedback_preprocessors(configured: list) -> list:
    """The configured feedback preprocessors with HideHiddenTestLines just before ClearHiddenTests,
    and InertContent first (each added only where the configuration lacks it)."""
    names = [p if isinstance(p, str) else f"{p.__module__}.{p.__name__}" for p in configured]
    result = list(configured)
    if not any(n.endswith("InertContent") for n in names):
        result.insert(0, InertContent)
        names.insert(0, "course.grading.inert.InertContent")
    if any(n.endswith("HideHiddenTestLines") for n in names):
        return result
    hidden = [i for i, n in enumerate(names) if n.endswith("ClearHiddenTests")]
    if hidden:
        result.insert(hidden[0], HideHiddenTestLines)
    else:
        result[1:1] = [HideHiddenTestLines, "nbgrader.preprocessors.ClearHiddenTests"]
    return result


def generate_feedback(config: Config, assignment: str, student: str) -> Path:
    """Write ``feedback/STUDENT/ASSIGNMENT/*.html`` for one graded submission; returns that folder."""
    config = copy.deepcopy(config)
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.student_id = student
    config.BaseConverter.force = True
    log = logging.getLogger("course.grade.feedback")
    configured = list(config.GenerateFeedback.get("preprocessors", GenerateFeedback.preprocessors.default_value))
    config.GenerateFeedback.preprocessors = feedback_preprocessors(configured)
    coursedir = CourseDirectory(config=config, log=log)
    GenerateFeedback(coursedir=coursedir, config=config, log=log).start()
    return Path(coursedir.format_path(coursedir.feedback_directory, student, assignment))
