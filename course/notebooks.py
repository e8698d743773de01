"""Reading and running course notebooks with nbgrader's own machinery."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import ClearOutput, Execute, IgnorePattern
from traitlets.config import Config

from .grading.testrule import stderr_is_not_a_failure
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


def matplotlib_font_cache() -> Path | None:
    """The grader's matplotlib font list, so a kernel does not rebuild it (slow, and it prints to stderr)."""
    try:
        spec = importlib.util.find_spec("matplotlib")
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return None
    cache = Path(os.environ.get("MPLCONFIGDIR") or Path.home() / ".cache" / "matplotlib")
    found = sorted(cache.glob("fontlist-v*.json")) if cache.is_dir() else []
    if not found:
        # A new machine has no font list yet: build it once here, or every sandboxed kernel would
        # build its own and print "Matplotlib is building the font cache" into a graded cell.
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], capture_output=True, check=False)
        found = sorted(cache.glob("fontlist-v*.json")) if cache.is_dir() else []
    return found[-1] if found else None


@contextmanager
def kernel_environment(**overrides: str) -> Iterator[None]:
    """Set environment variables for kernels started inside the block, then restore them.

    Unless the caller chose otherwise, each kernel gets one torch/OpenMP thread: several kernels
    share a 2-core machine when days run in parallel, and oversubscribed threads spin and crawl.
    """
    values = {"OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"), **overrides}
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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
