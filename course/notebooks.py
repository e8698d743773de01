"""Reading and running course notebooks with nbgrader's own machinery."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import ClearOutput, Execute, IgnorePattern
from traitlets.config import Config

from .grading.testrule import stderr_is_not_a_failure
from .kernel_env import kernel_environment, matplotlib_font_cache
from .kernels import IPCKernelManager, KernelStartRetries

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


class CourseExecute(KernelStartRetries, Execute):
    """nbgrader's Execute whose kernel talks over private Unix sockets and is started again if it fails."""


def execute_notebook(path: Path, config: Config, mode: str = "validate") -> tuple[NotebookNode, float]:
    """Run a notebook top to bottom in a fresh kernel, as nbgrader does when it validates or grades.

    Errors do not stop the run (each cell's error is recorded in its outputs), and the course config's
    rules apply exactly as in grading (a test cell's stderr is ordinary output). The kernel uses IPC
    sockets and is started up to three times (``course.kernels``). Returns the executed notebook and the
    wall-clock seconds it took; raises ``course.kernels.KernelStartError`` when no kernel started.
    """
    nb = read_notebook(path)
    resources = {"metadata": {"path": str(path.parent)}}
    log = logging.getLogger("course.execute")
    matplotlib_font_cache()
    start = time.perf_counter()
    with kernel_environment(NBGRADER_EXECUTION=mode):
        nb, resources = ClearOutput(config=config, log=log).preprocess(nb, resources)
        # The kernel's own start-up log is noise in reports.
        execute = CourseExecute(config=config, log=log, kernel_manager_class=IPCKernelManager,
                                extra_arguments=["--IPKernelApp.log_level=ERROR"])
        nb, resources = execute.preprocess(nb, resources)
        nb, resources = IgnorePattern(config=config, log=log).preprocess(nb, resources)
    return nb, time.perf_counter() - start


def error_text(cell: NotebookNode) -> str:
    """The last line of each error a code cell raised (ANSI colours removed)."""
    lines = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines.append(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip())
    return ANSI.sub("", "\n".join(lines))


def grade_cell_results(nb: NotebookNode) -> list[GradeCellResult]:
    """Score every graded code cell of an executed notebook the way grading does (only errors count)."""
    stderr_is_not_a_failure(nb)
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
