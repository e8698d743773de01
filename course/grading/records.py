"""The plain records the grading steps hand each other: a run's sandbox and limits, one notebook's
execution job, how its execution ended and what came back from the worker.

This module is the bottom of ``course.grading``: it imports nothing else of it, so the statuses,
the CSV and the plot (status.py, report.py, plot.py) stand without the kernel stack. Every record
is picklable: local worker processes and Dask workers receive jobs and send results back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BUBBLEWRAP, RLIMITS = "bubblewrap", "rlimits"
SLOT_UID_BASE = 1_200_000
GiB, MiB = 1024**3, 1024**2


@dataclass(frozen=True)
class Limits:
    """Resource limits for one notebook's kernel."""

    notebook_seconds: float = 600.0
    memory_bytes: int = 4 * GiB
    processes: int = 256
    file_bytes: int = 256 * MiB
    tmp_bytes: int = 512 * MiB

    def describe(self) -> str:
        """The limits in words, for the console and the CSV."""
        return (f"{self.notebook_seconds:g} s per notebook, {self.memory_bytes / GiB:g} GiB memory, "
                f"{self.processes} processes, {self.file_bytes / MiB:g} MiB per file")


@dataclass(frozen=True)
class Sandbox:
    """The sandbox mode in force for a grading run (picklable: workers receive it)."""

    mode: str
    limits: Limits = field(default_factory=Limits)
    bwrap: str | None = None
    switch_uid: bool = False
    note: str = ""
    run_id: int = 0
    threads: int | None = None

    def describe(self) -> str:
        """One line for the console, the CSV and the summary."""
        if self.mode == BUBBLEWRAP:
            what = "bubblewrap: read-only system, no network, writes only to its output folder"
        else:
            what = "rlimits only: no working sandboxing tool; files and network guarded by a Python audit hook only"
        text = f"{what}; limits: {self.limits.describe()}"
        if self.threads:
            text += f"; {self.threads} compute thread(s) per kernel"
        return f"{text} ({self.note})" if self.note else text

    def slot_ids(self, slot: int) -> tuple[int, int] | None:
        """The user and group id a job slot's kernels run as, when the grader may switch ids.

        Each slot has a user of its own (the process limit counts one kernel); all slots share a group,
        so the notebooks of one submission, which share an output folder, can run at the same time.
        Each kernel sees only its own output folder, so the shared group reaches nothing else.
        """
        if not self.switch_uid:
            return None
        base = SLOT_UID_BASE + (self.run_id % 10_000) * 64
        return base + 1 + slot, base


@dataclass(frozen=True)
class ExecutionJob:
    """One notebook to execute: who, where, what, and under which sandbox and nbgrader settings."""

    student: str
    notebook: str
    course_root: str
    outdir: str
    notebook_json: str
    config: dict
    sandbox: Sandbox


@dataclass
class Outcome:
    """How an execution ended, beyond the cell outputs."""

    timed_out: bool = False
    cell_timeout: str = ""
    died: str = ""
    start_error: str = ""
    crashed: str = ""
    exit_status: int | None = None
    last_cell: str = ""
    seconds: float = 0.0
    reports: list[str] = field(default_factory=list)


@dataclass
class ExecutionResult:
    """What came back from a worker for one notebook."""

    student: str
    notebook: str
    notebook_json: str | None
    outcome: Outcome
    integrity: list[str] = field(default_factory=list)
    unresponsive: str = ""
    cleanup: list[str] = field(default_factory=list)
    grader_error: str = ""
    slot: int = 0
    peak_rss: int = 0  # the worker process's peak resident memory so far, in bytes
