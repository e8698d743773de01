"""What a worker process does: execute one sanitized notebook in the sandbox and report back.

Workers never touch the gradebook. Each one owns a job slot (its own user id when the grader
runs as root, so per-user limits count one kernel only; the slots share a group, so the notebooks
of one submission can run at once in their shared output folder). A job gets the sanitized notebook as
text and returns the executed notebook as text plus everything the grader needs to judge it.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import stat
import tempfile
from functools import partial
from pathlib import Path

import nbformat
from traitlets.config import Config

from .execute import GradingExecute
from .records import ExecutionJob, ExecutionResult, Outcome
from .sandbox import plan_kernel

_SLOT = 0


def init_worker(slots) -> None:
    """Pool initializer: take a job slot number; keep the worker's own logging quiet."""
    global _SLOT
    _SLOT = slots.get()
    quiet = logging.getLogger("course.grade")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False


def chown_tree(root: Path, owner: tuple[int, int]) -> None:
    """Give a folder and everything in it to ``owner`` (links themselves, never their targets)."""
    os.lchown(root, *owner)
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), *owner)


def share_with_group(root: Path, gid: int) -> None:
    """Make a folder and everything in it writable by the group ``gid`` (the kernels' shared group):
    group ownership, group read-write, and new files inheriting the group. Never follows a link."""
    for path in [root] + [Path(f) / n for f, dirs, files in os.walk(root) for n in dirs + files]:
        os.lchown(path, -1, gid)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue  # a link (or something gone): its mode is not changed
        try:
            info = os.fstat(fd)
            extra = 0o2070 if stat.S_ISDIR(info.st_mode) else 0o060
            os.fchmod(fd, stat.S_IMODE(info.st_mode) | extra)
        finally:
            os.close(fd)


def clean_output_folder(outdir: Path, notebooks: list[str]) -> list[str]:
    """Remove what sandboxed code must not leave behind for the grader: symbolic and hard links,
    devices, FIFOs, sockets.

    Later steps (permissions, feedback) follow links, so a link to the gradebook or to source/ would
    turn them against the course. Returns a description of each thing removed.
    """
    removed = []
    for folder, dirs, files in os.walk(outdir):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            odd = not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode))
            if odd or (stat.S_ISREG(info.st_mode) and info.st_nlink > 1):
                target = os.readlink(path) if stat.S_ISLNK(info.st_mode) else "a special file or hard link"
                path.unlink()
                removed.append(f"left a link or special file {path.relative_to(outdir)} -> {target}")
    for name in notebooks:
        path = outdir / name
        if path.exists() and not path.is_file():
            shutil.rmtree(path)
            removed.append(f"replaced its notebook file {name}")
    return removed


def run_job(job: ExecutionJob, slot: int | None = None) -> ExecutionResult:
    """Execute one notebook in a fresh sandboxed kernel (in job slot ``slot``, default: this worker
    process's); never raises for anything the notebook does."""
    slot = _SLOT if slot is None else slot
    outdir = Path(job.outdir)
    owner = job.sandbox.slot_ids(slot)
    scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
    run_dir, private = scratch / "run", scratch / "private"
    run_dir.mkdir()
    private.mkdir(mode=0o700)
    fifo = private / "reports"
    os.mkfifo(fifo, 0o600)
    report_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    result = ExecutionResult(job.student, job.notebook, None, Outcome(), slot=slot)
    try:
        if owner is not None:
            os.chown(run_dir, *owner)
            share_with_group(outdir, owner[1])  # the main process gives it back after the last notebook
        plan = partial(plan_kernel, job.sandbox, slot, Path(job.course_root), outdir, run_dir, fifo)
        executor = GradingExecute(plan, run_dir, job.sandbox.limits.notebook_seconds, report_fd, private / "kernel.log",
                                  owner, config=Config(job.config), log=logging.getLogger("course.grade.worker"))
        nb = nbformat.reads(job.notebook_json, as_version=4)
        executor.preprocess(nb, {"metadata": {"path": str(outdir)}})
        result.outcome = executor.outcome
        result.integrity = list(executor.monitor.problems)
        result.unresponsive = executor.monitor.unresponsive
        result.notebook_json = json.dumps(nb)
    except Exception as err:  # noqa: BLE001 - a grader failure is reported as such, never raised
        result.grader_error = f"{type(err).__name__}: {err}"
    finally:
        os.close(report_fd)
        result.cleanup = clean_output_folder(outdir, [job.notebook + ".ipynb"])
        shutil.rmtree(scratch, ignore_errors=True)
        result.peak_rss = peak_rss()
    return result


def peak_rss() -> int:
    """This process's peak resident memory, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
