"""Reading and running course notebooks with nbgrader's own machinery."""

from __future__ import annotations

import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import ClearOutput, Execute, IgnorePattern
from traitlets.config import Config

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class GradeCellResult:
    """What one graded test cell scored after execution."""

    grade_id: str
    score: float
    max_score: float
    error: str

    @property
    def passed(self) -> bool:
        return self.score == self.max_score


def read_notebook(path: Path) -> NotebookNode:
    """Read a notebook as nbformat v4."""
    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell: NotebookNode) -> dict:
    """The cell's ``nbgrader`` metadata, or an empty dict."""
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def execute_notebook(path: Path, config: Config, mode: str = "validate") -> tuple[NotebookNode, float]:
    """Run a notebook top to bottom in a fresh kernel, as nbgrader does when it validates or grades.

    Errors do not stop the run (each cell's error is recorded in its outputs), and stderr that the
    course config ignores (warnings) is dropped, exactly as in grading. Returns the executed notebook
    and the wall-clock seconds it took.
    """
    nb = read_notebook(path)
    resources = {"metadata": {"path": str(path.parent)}}
    log = logging.getLogger("course.execute")
    previous = os.environ.get("NBGRADER_EXECUTION")
    os.environ["NBGRADER_EXECUTION"] = mode
    start = time.perf_counter()
    try:
        for preprocessor in (ClearOutput, Execute, IgnorePattern):
            nb, resources = preprocessor(config=config, log=log).preprocess(nb, resources)
    finally:
        if previous is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = previous
    return nb, time.perf_counter() - start


def error_text(cell: NotebookNode) -> str:
    """The last line of each error a code cell raised (ANSI colours removed)."""
    lines = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines.append(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip())
    return ANSI.sub("", "\n".join(lines))


def grade_cell_results(nb: NotebookNode) -> list[GradeCellResult]:
    """Score every graded code cell of an executed notebook the way nbgrader does."""
    results = []
    log = logging.getLogger("course.grade_cells")
    for cell in nb.cells:
        if cell.cell_type != "code" or not utils.is_grade(cell):
            continue
        score, max_score = utils.determine_grade(cell, log)
        results.append(
            GradeCellResult(nbgrader_meta(cell).get("grade_id", "?"), float(score), float(max_score), error_text(cell))
        )
    return results


def marked_regions(source: str, begin: str, end: str) -> list[str]:
    """The lines between each ``begin`` and ``end`` marker pair in ``source``."""
    lines, inside, found = source.splitlines(), False, []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(begin):
            inside = True
        elif stripped.startswith(end):
            inside = False
        elif inside:
            found.append(line)
    return found


def secret_lines(nb: NotebookNode, min_length: int = 8) -> set[str]:
    """Solution and hidden-test lines of a source notebook that appear nowhere else in it.

    These are the lines that must never reach a student's release notebook.
    """
    secret, public = set(), set()
    for cell in nb.cells:
        hidden = marked_regions(cell.source, SOLUTION_BEGIN, SOLUTION_END) + marked_regions(
            cell.source, HIDDEN_BEGIN, HIDDEN_END
        )
        hidden_stripped = {line.strip() for line in hidden}
        secret |= hidden_stripped
        public |= {line.strip() for line in cell.source.splitlines()} - hidden_stripped
    return {line for line in secret - public if len(line) >= min_length and not line.startswith("#")}
