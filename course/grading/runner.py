"""The grading run: nbgrader's steps in the main process, sandboxed executions in a pool (pools.py):
N local worker processes, or a Dask cluster, kept busy by a dispatcher (dispatch.py).

Per submission, in the main process and in order: tampering checks on the submitted notebook;
nbgrader's sanitize step (gradebook entries, restored cells); a job per notebook for the worker
pool. As results come back, again in the main process: nbgrader's remaining autograde steps and the
gradebook writes, the status, a progress line. The main process never waits for a submission while
another one could be prepared, and no submission's trouble reaches another's: each runs in its own
kernel and sandbox, and every failure is caught and recorded against that submission only.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import nbformat
import sqlalchemy
from nbgrader.converters.base import NbGraderException
from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError
from traitlets.config import Config

from ..build import build_day
from ..layout import course_folder, load_config
from ..terminal import printable
from ..venv_path import ensure_alembic_on_path
from . import gradebook, tamper
from .dispatch import Dispatcher
from .feedback import generate_feedback
from .notices import extra_notebooks, late_note, nbgrader_notes, timestamp_problem
from .pipeline import Prepared, SplitAutograde, make_converter, read_sanitized
from .plot import plot_distribution
from .pools import ExecutionPool, LocalPool
from .records import ExecutionJob, ExecutionResult, Sandbox
from .report import Progress, summary_table, write_csv
from .status import FLAGGED, GRADED, GRADER, INVALID, SubmissionResult, execution_failures
from .worker import chown_tree, peak_rss

INVALID_ERRORS = (nbformat.reader.NotJSONError, nbformat.ValidationError, ValueError, KeyError, TypeError,
                  UnicodeDecodeError, SchemaTooOldError, SchemaTooNewError)


@dataclass
class Options:
    """What to grade and how."""

    assignment: str
    jobs: int
    sandbox: Sandbox
    csv_path: Path
    png_path: Path
    feedback: bool = True
    students: list[str] | None = None
    pool: ExecutionPool | None = None  # a connected Dask cluster (cluster.connect); None: local workers


@dataclass
class _Pending:
    converter: SplitAutograde
    prepared: Prepared
    result: SubmissionResult
    started: float
    waiting: set[str] = field(default_factory=set)
    done: dict[str, ExecutionResult] = field(default_factory=dict)


class _Step:
    failed = False


@contextlib.contextmanager
def grader_step(result: SubmissionResult, log: logging.Logger, doing: str, failure: str) -> Iterator[_Step]:
    """One nbgrader step on one submission (it reads and writes the gradebook). An unusable gradebook
    (SQLAlchemy's ``OperationalError``: locked, missing) stops the run, since no submission could be
    recorded; any other error becomes this submission's grader error, ``FAILURE: Type: detail``, and
    the step's ``failed`` is set."""
    step = _Step()
    try:
        yield step
    except sqlalchemy.exc.OperationalError:
        raise
    except Exception as err:  # noqa: BLE001 - recorded against this submission only
        log.exception("%s %s", doing, result.student)
        result.failures.append((GRADER, f"{failure}: {type(err).__name__}: {err}"))
        step.failed = True


def grading_log(path: Path) -> logging.Logger:
    """nbgrader's messages for this run go to a log file, not to the console."""
    log = logging.getLogger("course.grade")
    log.handlers.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return log


def submitted_students(root: Path, config: Config, assignment: str) -> list[str]:
    """Students with a folder for ``assignment`` in submitted/ (what collect and zip_collect leave)."""
    submitted = course_folder(root, "submitted", config)
    return sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir())


class Grader:
    """Grades every submission of one assignment; see the module docstring."""

    def __init__(self, root: Path, options: Options, out: TextIO = sys.stdout) -> None:
        self.root, self.options, self.out = root, options, out
        self.config = load_config(root)
        ensure_alembic_on_path()
        gradebook.fast_sqlite_commits()
        self.log = grading_log(options.csv_path.with_suffix(".log"))
        # nbgrader's gradebook triggers this harmless SQLAlchemy warning for every new submission.
        warnings.filterwarnings("ignore", category=sqlalchemy.exc.SAWarning)
        # ... and nbformat warns about cells without ids in old or hand-edited submissions.
        warnings.filterwarnings("ignore", module="nbformat")
        self.results: list[SubmissionResult] = []
        self.pending: dict[str, _Pending] = {}
        self.scratch = tempfile.TemporaryDirectory(prefix="course-grade-release-")
        self.dispatcher: Dispatcher | None = None
        self.progress: Progress | None = None
        self.expected: dict[str, gradebook.ExpectedNotebook] = {}
        self.exercises: list[str] = []
        self.max_points: dict[str, float] = {}
        self.max_score = 0.0

    # set-up ---------------------------------------------------------------------------------------
    def reference_release(self) -> Path:
        """The released assignment students worked on: the committed release/, else a fresh build."""
        assignment = self.options.assignment
        committed = course_folder(self.root, "release", self.config) / assignment
        if committed.is_dir():
            return committed
        return build_day(self.root, assignment, release_dir=Path(self.scratch.name) / "built")

    def ensure_gradebook(self) -> None:
        """The assignment must be in the gradebook before grading; add it with nbgrader if it is not."""
        assignment = self.options.assignment
        if gradebook.has_assignment(self.config, assignment):
            return
        if not (course_folder(self.root, "source", self.config) / assignment).is_dir():
            raise SystemExit(f"{assignment} is neither in the gradebook nor in source/.")
        print(f"note: {assignment} was not in the gradebook; adding it from source/{assignment} with nbgrader's "
              "generate_assignment (release/ is not touched).", file=self.out)
        gradebook.add_assignment(self.config, assignment, Path(self.scratch.name) / "release", self.log)

    def start_pool(self) -> ExecutionPool:
        """Where executions run: the Dask cluster given in the options, else local worker processes."""
        return self.options.pool or LocalPool(self.options.jobs)

    # per submission -------------------------------------------------------------------------------
    def inspect(self, student: str) -> list[str]:
        """Tampering findings on the submitted notebooks (before nbgrader repairs anything)."""
        folder = course_folder(self.root, "submitted", self.config) / student / self.options.assignment
        findings = []
        for name, expected in self.expected.items():
            path = folder / f"{name}.ipynb"
            try:
                nb = nbformat.read(str(path), as_version=4)
            except Exception:  # noqa: BLE001 - unreadable notebooks fail in nbgrader's own step
                continue
            findings += [f"{name}: {f}" if len(self.expected) > 1 else f
                         for f in tamper.inspect_submission(nb, expected)]
        return findings

    def begin(self, student: str) -> None:
        """Tampering checks and nbgrader's sanitize step, then one job per notebook."""
        assignment = self.options.assignment
        result = SubmissionResult(student, assignment, max_score=self.max_score)
        started = time.monotonic()
        result.tampering = self.inspect(student)
        failures, notes = extra_notebooks(course_folder(self.root, "submitted", self.config) / student / assignment,
                                          self.expected)
        result.failures += failures
        result.notes += notes
        converter = make_converter(self.config, assignment, student, self.log)
        prepared = None
        with grader_step(result, self.log, "preparing", "nbgrader could not prepare the submission"):
            try:
                prepared = converter.prepare()
            except NbGraderException:
                # nbgrader's own words ask whether generate_assignment was run; here it was, and the
                # submission holds none of the assignment's notebooks (a renamed or missing file).
                wanted = ", ".join(f"{name}.ipynb" for name in sorted(self.expected)) or "the assignment's notebooks"
                result.failures.append((INVALID, f"no gradable notebook in the submission (expected {wanted})"))
            except INVALID_ERRORS as err:
                text = str(err).splitlines()[0] if str(err) else ""
                result.failures.append((INVALID, f"nbgrader cannot read it ({type(err).__name__}: {text})"))
            except OSError as err:
                if not self.in_submission(err, student):
                    raise
                # a file the student handed in: a dangling link, a pipe, an unreadable file
                result.failures.append((INVALID, f"a file of the submission cannot be copied ({type(err).__name__}: "
                                                 f"{err})"))
        if prepared is None:
            return self.conclude(result, converter, None, started)
        pending = _Pending(converter, prepared, result, started)
        self.pending[student] = pending
        config = self.execute_config()
        for name, path in prepared.notebooks.items():
            job = ExecutionJob(student, name, str(self.root), str(prepared.outdir), read_sanitized(path),
                               config, self.options.sandbox)
            pending.waiting.add(name)
            self.dispatcher.submit(job)

    def in_submission(self, err: OSError, student: str) -> bool:
        """Whether an error names a file in this student's submission folder."""
        folder = str(course_folder(self.root, "submitted", self.config) / student / self.options.assignment)
        return any(str(name or "").startswith(folder) for name in (err.filename, err.filename2)) or (
            isinstance(err, shutil.SpecialFileError) and folder in str(err))

    def execute_config(self) -> dict:
        """The nbgrader settings a worker's Execute step needs (timeouts, interrupts, extra arguments)."""
        section = self.config.get("Execute", Config())
        return {"Execute": dict(section), "NotebookClient": dict(self.config.get("NotebookClient", Config()))}

    def executed(self, job: ExecutionJob, outcome: ExecutionResult) -> None:
        """Take one notebook's execution back from the dispatcher; when a submission's last notebook
        is back, finish it."""
        pending = self.pending[job.student]
        pending.done[job.notebook] = outcome
        pending.waiting.discard(job.notebook)
        if not pending.waiting:
            del self.pending[job.student]
            self.finish(pending)

    def finish(self, pending: _Pending) -> None:
        """nbgrader's remaining autograde steps on the executed notebooks, the status and the gradebook."""
        result, prepared = pending.result, pending.prepared
        if self.options.sandbox.switch_uid and prepared.outdir.is_dir():
            chown_tree(prepared.outdir, (os.getuid(), os.getgid()))  # back from the kernels' group
        cell_timeout = self.config.get("Execute", {}).get("timeout", 30)
        executed: dict[str, nbformat.NotebookNode] = {}
        for name, outcome in sorted(pending.done.items()):
            self.log.info("%s/%s executed in %.2f s on slot %d (worker peak memory %.0f MiB)", result.student, name,
                          outcome.outcome.seconds, outcome.slot, outcome.peak_rss / 2**20)
            # The worker sent the executed notebook as JSON; nbgrader would hold it in memory unvalidated.
            nb = nbformat.from_dict(json.loads(outcome.notebook_json)) if outcome.notebook_json else None
            if nb is not None:
                executed[name] = nb
            result.failures += execution_failures(outcome, nb, self.options.sandbox.limits, cell_timeout)
            result.tampering += outcome.integrity
        self.conclude(result, pending.converter, prepared if executed else None, pending.started, executed)

    def conclude(self, result: SubmissionResult, converter: SplitAutograde, prepared: Prepared | None,
                 started: float, executed: dict | None = None) -> None:
        """Write what nbgrader would write, add what it noticed to the reason, then make failed and
        flagged submissions need a human."""
        assignment, student = result.assignment, result.student
        if prepared is not None and executed:
            with grader_step(result, self.log, "finishing", "nbgrader's autograde steps failed") as step:
                converter.finish(prepared, executed)
            if step.failed:
                converter.discard(student)
        else:
            converter.discard(student)
        # What nbgrader only logged, and an unusable timestamp.txt, become reasons on this submission.
        result.notes += nbgrader_notes(getattr(converter, "warnings", []))
        seconds_late, duedate = gradebook.lateness(self.config, assignment, student)
        if converter.coursedir.timestamp_problem:
            result.notes.append(timestamp_problem(converter.coursedir.timestamp_problem, duedate))
        if result.status == GRADED:
            scores = gradebook.read_scores(self.config, assignment, student, self.expected)
            result.raw_score, result.penalty, result.score = scores.raw_score, scores.penalty, scores.score
            result.max_score, result.points = scores.max_score, scores.points
        else:
            gradebook.mark_unscored(self.config, assignment, student, flagged=result.status == FLAGGED)
        if seconds_late > 0:
            result.notes.append(late_note(seconds_late, result.penalty if result.status == GRADED else None))
        result.seconds = time.monotonic() - started
        self.results.append(result)
        self.progress.update(result)

    # the run --------------------------------------------------------------------------------------
    def run(self) -> list[SubmissionResult]:
        """Grade every submission, then feedback, CSV, PNG and the summary; returns the verdicts."""
        options, start = self.options, time.monotonic()
        self.ensure_gradebook()
        release = self.reference_release()
        self.expected = gradebook.expected_notebooks(self.config, options.assignment, release)
        self.exercises = gradebook.exercise_columns(self.expected)
        self.max_points = {gradebook.exercise_column(self.expected, n, g): e.cells[g].points or 0.0
                           for n, e in self.expected.items() for g in e.exercises}
        self.max_score = sum(self.max_points.values())
        students = submitted_students(self.root, self.config, options.assignment)
        if options.students:
            students = [s for s in students if s in set(options.students)]
        print(f"Grading {options.assignment} in {self.root}: {len(students)} submission(s), {options.jobs} worker(s).",
              file=self.out)
        print(f"Sandbox: {options.sandbox.describe()}", file=self.out, flush=True)
        self.progress = Progress(len(students), self.out)
        self.progress.width = max([7] + [len(s) for s in students])
        dispatcher = self.dispatcher = Dispatcher(self.start_pool(), 2 * options.jobs, self.executed)
        self.log.info("set-up done after %.2f s", time.monotonic() - start)
        try:
            for student in students:
                dispatcher.make_room()
                self.begin(student)
                dispatcher.drain(block=False)
            dispatcher.finish()
            self.log.info("all submissions graded after %.2f s", time.monotonic() - start)
            if options.feedback:
                self.feedback()
        finally:
            dispatcher.pool.shutdown(wait=True, cancel_futures=True)
            self.scratch.cleanup()
        self.report(time.monotonic() - start)
        self.log.info("report written after %.2f s (main process peak memory %.0f MiB)", time.monotonic() - start,
                      peak_rss() / 2**20)
        return self.results

    def feedback(self) -> None:
        """nbgrader feedback (HTML) for every graded submission, generated by the worker pool."""
        graded = [r.student for r in self.results if r.status == GRADED]
        futures = {self.dispatcher.pool.submit(generate_feedback, self.config, self.options.assignment, s): s
                   for s in graded}
        problems = []
        for future, student in futures.items():
            try:
                future.result()
            except Exception as err:  # noqa: BLE001 - one student's feedback never stops the others
                problems.append(f"{student}: {type(err).__name__}: {err}")
        print(f"Feedback written for {len(graded) - len(problems)} graded submission(s) in feedback/.", file=self.out)
        for problem in problems:
            print(f"  feedback failed for {printable(problem)}", file=self.out)

    def report(self, seconds: float) -> None:
        """Write the CSV and the PNG, and print the summary table."""
        sandbox = self.options.sandbox.describe()
        mode = self.options.sandbox.mode
        places = {student: "; ".join(sorted(found)) for student, found in self.dispatcher.places.items()}
        write_csv(self.options.csv_path, self.results, self.exercises, mode, places or None,
                  keep_others=bool(self.options.students))
        plot_distribution(self.options.png_path, self.results, self.exercises, self.max_points, self.options.assignment)
        print("", file=self.out)
        print(summary_table(self.results, sandbox, seconds), file=self.out)
        print(f"CSV: {self.options.csv_path}\nPlot: {self.options.png_path}\n"
              f"Log: {self.options.csv_path.with_suffix('.log')}",
              file=self.out, flush=True)
