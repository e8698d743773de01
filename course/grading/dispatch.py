"""The pool side of a grading run: executions in flight, their tries, and their results handed back.

``Dispatcher`` keeps at most ``limit`` executions queued at a pool (pools.py), so the main process
never prepares far ahead of the workers. A job lost with its worker runs again when the pool says so
(``ExecutionPool.retry``); a job that failed for good comes back as an ``ExecutionResult`` with the
pool's reason as its grader error. Each result goes to ``on_result`` with its job, in the main
process; what a result means for its submission is the caller's business (runner.py).
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Callable

from .pools import ExecutionPool
from .records import ExecutionJob, ExecutionResult, Outcome


class Dispatcher:
    """Queues executions at ``pool`` and hands each result to ``on_result(job, result)``; see the module
    docstring. ``places`` holds, per student, where that student's notebooks ran (empty on this machine)."""

    def __init__(self, pool: ExecutionPool, limit: int,
                 on_result: Callable[[ExecutionJob, ExecutionResult], None]) -> None:
        self.pool, self.limit, self.on_result = pool, limit, on_result
        self.futures: dict[Future, ExecutionJob] = {}
        self.tries: dict[tuple[str, str], int] = {}
        self.places: dict[str, set[str]] = {}

    def submit(self, job: ExecutionJob) -> None:
        """Queue one notebook's execution (counting tries: a job lost with a dead worker may run again)."""
        key = (job.student, job.notebook)
        self.tries[key] = self.tries.get(key, 0) + 1
        self.futures[self.pool.execute(job)] = job

    def collect(self, future: Future) -> None:
        """Take one finished execution: queue it again if its worker died and the pool allows another
        try, else hand its result (or the pool's reason it failed) on."""
        job = self.futures.pop(future)
        key = (job.student, job.notebook)
        try:
            result = future.result()
        except Exception as err:  # noqa: BLE001 - a lost worker (the pool says if it runs again) or a grader failure
            if self.pool.retry(err, self.tries[key]):
                return self.submit(job)
            result = ExecutionResult(job.student, job.notebook, None, Outcome(), grader_error=self.pool.explain(err))
        del self.tries[key]
        place = self.pool.where(result)
        if place:
            self.places.setdefault(job.student, set()).add(place)
        self.on_result(job, result)

    def drain(self, block: bool) -> None:
        """Collect whatever executions have finished (waiting for at least one when ``block``)."""
        if not self.futures:
            return
        done, _ = wait(list(self.futures), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            self.collect(future)

    def make_room(self) -> None:
        """Wait until fewer than ``limit`` executions are queued."""
        while len(self.futures) >= self.limit:
            self.drain(block=True)

    def finish(self) -> None:
        """Wait for every queued execution (and any retries) to be handed on."""
        while self.futures:
            self.drain(block=True)
