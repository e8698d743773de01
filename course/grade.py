"""``python -m course grade ASSIGNMENT``: parallel, sandboxed, tamper-proof autograding with honest statuses.

Reads what nbgrader's ``collect`` / ``zip_collect`` leave in ``submitted/<student>/<assignment>/``,
grades it with nbgrader's autograde machinery in N sandboxed worker processes (or on a Dask cluster
with ``--scheduler``, see course/grading/cluster.py), and writes the
gradebook (as serial ``nbgrader autograde`` would), a CSV, a PNG of the scores per exercise and
feedback. Every submission ends ``graded``, ``failed`` (timeout, kernel died, not a valid notebook,
resource limit, sandbox violation) or ``flagged`` (tampering). See course/grading/ for the parts.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .grading.records import BUBBLEWRAP, RLIMITS, GiB, Limits, MiB, Sandbox
from .grading.runner import Grader, Options
from .grading.sandbox import choose_sandbox
from .grading.status import GRADER
from .layout import course_folder, find_root
from .lms.cli import add_lms_arguments, check_lms_arguments, export_lms


def _positive(kind: type) -> Callable[[str], int | float]:
    """An argparse type: a number of ``kind`` above zero, else a one-line usage error before any grading."""

    def convert(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not 0 < value < float("inf"):  # NaN compares false too
            raise argparse.ArgumentTypeError(f"{text} must be a positive number")
        return value

    return convert


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment to grade, e.g. day01_tensors")
    parser.add_argument("--jobs", type=_positive(int), default=os.cpu_count() or 1,
                        help="notebooks graded at once (default: cores)")
    parser.add_argument("--csv", type=Path, default=None,
                        help="grades CSV (default: autograded/ASSIGNMENT-grades.csv; the PNG and log go beside it)")
    parser.add_argument("--timeout", type=_positive(float), default=Limits.notebook_seconds,
                        help="wall-clock seconds per notebook, on top of nbgrader's per-cell timeout "
                             "(default: %(default)g)")
    parser.add_argument("--memory", type=_positive(float), default=Limits.memory_bytes / GiB,
                        help="memory (address space) per kernel in GiB (default: %(default)g)")
    parser.add_argument("--processes", type=_positive(int), default=Limits.processes,
                        help="processes and threads per kernel (default: %(default)d)")
    parser.add_argument("--file-size", type=_positive(float), default=Limits.file_bytes / MiB,
                        help="largest file a notebook may write, in MiB (default: %(default)g)")
    parser.add_argument("--sandbox", choices=("auto", BUBBLEWRAP, RLIMITS), default="auto",
                        help="auto: bubblewrap when it works here, else resource limits only (default)")
    parser.add_argument("--student", action="append", default=None, help="grade only this student (repeatable)")
    parser.add_argument("--no-feedback", dest="feedback", action="store_false", help="do not generate feedback")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="execute the notebooks on a Dask cluster: its scheduler's address (tcp://HOST:8786), or "
                             "`local` for a local cluster of --jobs single-threaded workers (default: local processes)")
    add_lms_arguments(parser)


def run(args: argparse.Namespace) -> int:
    check_lms_arguments(args)
    root = find_root()
    limits = Limits(notebook_seconds=args.timeout, memory_bytes=int(args.memory * GiB), processes=args.processes,
                    file_bytes=int(args.file_size * MiB))
    jobs = args.jobs

    def sandbox_here() -> Sandbox:
        return replace(choose_sandbox(args.sandbox, limits), threads=max(1, (os.cpu_count() or 1) // jobs))

    pool = None
    if args.scheduler:
        from .grading.cluster import connect  # Dask is imported only when a cluster is asked for

        pool = connect(args.scheduler, jobs, args.sandbox, limits, sandbox_here)
        sandbox, jobs = pool.sandbox, pool.jobs
    else:
        sandbox = sandbox_here()
    csv_path = (args.csv or course_folder(root, "autograded") / f"{args.assignment}-grades.csv").resolve()
    options = Options(args.assignment, jobs, sandbox, csv_path, csv_path.with_suffix(".png"),
                      feedback=args.feedback, students=args.student, pool=pool)
    try:
        results = Grader(root, options).run()
    finally:
        if pool is not None:
            pool.close()  # waits for the cluster to stop (also when the run stopped early)
    lms_written = export_lms(root, args, csv_path)
    return 1 if any(GRADER in r.reason_kinds for r in results) or not lms_written else 0
