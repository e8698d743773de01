"""Where sandboxed executions run: a pool of local worker processes (the default) or, with
``--scheduler``, a Dask cluster (course/grading/cluster.py). The runner sees one interface.

A pool executes jobs (``execute``), runs trusted local work such as feedback (``submit``), says
whether a failed execution gets another try (``retry``: only when its worker died) and in what
words it failed (``explain``), and where an execution ran (``where``, for the CSV).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Protocol

from .records import ExecutionJob, ExecutionResult
from .worker import init_worker, run_job


class ExecutionPool(Protocol):
    """What the runner needs from a pool (see the module docstring)."""

    def execute(self, job: ExecutionJob) -> Future:
        """Start one notebook's sandboxed execution; the future gives an ``ExecutionResult``."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Run trusted work (feedback) in a local process beside the course's files."""

    def retry(self, error: BaseException, tries: int) -> bool:
        """Whether an execution that failed with ``error`` after ``tries`` tries runs again."""

    def explain(self, error: BaseException) -> str:
        """A failed execution's reason, for the submission's ``grader error``."""

    def where(self, result: ExecutionResult) -> str | None:
        """Where ``result`` was executed, for the CSV's sandbox column (None: this machine)."""

    def shutdown(self, wait: bool = True, cancel_futures: bool = True) -> None:
        """Stop the workers."""


class LocalPool:
    """``jobs`` spawned worker processes on this machine (they share no gradebook connection),
    each with a job slot; a pool broken by a dead worker process is replaced, and the jobs it
    held run once more."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        slots = context.Queue()
        for slot in range(self.jobs):
            slots.put(slot)
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=context,
                                   initializer=init_worker, initargs=(slots,))

    def execute(self, job: ExecutionJob) -> Future:
        """Run ``worker.run_job(job)`` in a worker process."""
        return self.executor.submit(run_job, job)

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Run ``fn(*args)`` in a worker process."""
        return self.executor.submit(fn, *args)

    def retry(self, error: BaseException, tries: int) -> bool:
        """A worker process died (not a kernel: those are watched inside the worker). Every job
        that was in that pool gets one more try in a fresh pool."""
        if not isinstance(error, BrokenProcessPool):
            return False
        if getattr(self.executor, "_broken", False):
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._start()
        return tries < 2

    def explain(self, error: BaseException) -> str:
        """The reason recorded when an execution failed for good."""
        if isinstance(error, BrokenProcessPool):
            return "the worker process died twice"
        return f"{type(error).__name__}: {error}"

    def where(self, result: ExecutionResult) -> str | None:
        """Always this machine."""
        return None

    def shutdown(self, wait: bool = True, cancel_futures: bool = True) -> None:
        """Stop the worker processes."""
        self.executor.shutdown(wait=wait, cancel_futures=cancel_futures)
