"""Honest statuses: every submission ends ``graded``, ``failed`` (with the reason) or ``flagged``.

A graded submission may still carry notes (a late penalty, a missing or extra notebook nbgrader
skipped): its reason lists them, so no zero and no deduction is silent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from nbformat import NotebookNode

from .records import ExecutionResult, GiB, Limits, MiB, Outcome

GRADED, FAILED, FLAGGED = "graded", "failed", "flagged"
TIMEOUT, KERNEL_DIED, INVALID = "timeout", "kernel died", "not a valid notebook"
RESOURCE, SANDBOX, GRADER = "resource limit", "sandbox violation", "grader error"

RESOURCE_SIGNS = (
    ("memory", ("MemoryError", "Cannot allocate memory", "can't allocate memory", "DefaultCPUAllocator",
                "std::bad_alloc", "out of memory")),
    ("processes", ("Resource temporarily unavailable", "can't start new thread", "BlockingIOError")),
    ("file size", ("File too large",)),
    ("disk space", ("No space left on device", "Disk quota exceeded")),
)


@dataclass
class SubmissionResult:
    """The verdict on one student's submission of one assignment."""

    student: str
    assignment: str
    tampering: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    points: dict[str, float | None] = field(default_factory=dict)
    raw_score: float | None = None
    penalty: float | None = None
    seconds: float = 0.0

    @property
    def status(self) -> str:
        """``flagged`` when anything was tampered with, else ``failed`` when anything failed, else ``graded``."""
        if self.tampering:
            return FLAGGED
        return FAILED if self.failures else GRADED

    @property
    def reason(self) -> str:
        """Why the submission was failed or flagged, then every note (empty for a plain graded one)."""
        parts = [f"tampering: {t}" for t in self.tampering]
        parts += [f"{kind}: {detail}" for kind, detail in self.failures + self.notes]
        return "; ".join(dict.fromkeys(parts))

    @property
    def reason_kinds(self) -> list[str]:
        """The kinds of reason, in order: ``tampering``, ``timeout``, ``kernel died``..., then notes."""
        kinds = ["tampering"] if self.tampering else []
        return kinds + list(dict.fromkeys(kind for kind, _ in self.failures + self.notes))


def _where(cell: NotebookNode, index: int) -> str:
    if "nbgrader" in cell.metadata and cell.metadata.nbgrader.get("grade_id"):
        return str(cell.metadata.nbgrader["grade_id"])
    return f"cell {index + 1}"


def output_failures(nb: NotebookNode, limits: Limits, cell_timeout: int | None) -> list[tuple[str, str]]:
    """Failures visible in cell outputs: per-cell timeouts and resource limits hit."""
    found: list[tuple[str, str]] = []
    sizes = {"memory": f"{limits.memory_bytes / GiB:g} GiB", "processes": f"{limits.processes} processes",
             "file size": f"{limits.file_bytes / MiB:g} MiB per file", "disk space": f"{limits.tmp_bytes / MiB:g} MiB"}
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            ename, evalue = output.get("ename", ""), output.get("evalue", "")
            if ename == "CellTimeoutError":
                found.append((TIMEOUT, f"{_where(cell, index)} ran longer than the {cell_timeout} s cell limit"))
                continue
            text = f"{ename}: {evalue}"
            for resource, signs in RESOURCE_SIGNS:
                if any(sign in text for sign in signs):
                    found.append((RESOURCE, f"{resource} ({sizes[resource]}) in {_where(cell, index)}: {text[:120]}"))
                    break
    return found


def _exit_text(status: int | None) -> str:
    if status is None:
        return "exit status unknown"
    if status < 0 or status > 128:
        import signal

        number = -status if status < 0 else status - 128
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"exit status {status}"
    return f"exit status {status}"


def execution_failures(result: ExecutionResult, nb: NotebookNode | None, limits: Limits,
                       cell_timeout: int | None) -> list[tuple[str, str]]:
    """Every failure of one notebook's execution, from the worker's report and the executed cells."""
    found: list[tuple[str, str]] = []
    outcome: Outcome = result.outcome
    name = result.notebook
    if result.grader_error:
        found.append((GRADER, f"{name}: the worker failed: {result.grader_error}"))
    if outcome.start_error or (outcome.died and not outcome.last_cell):
        found.append((GRADER, f"{name}: the sandboxed kernel did not start ({outcome.start_error or outcome.died})"))
    elif outcome.timed_out:
        found.append((TIMEOUT, f"{name} ran longer than {limits.notebook_seconds:g} s "
                               f"(stopped in {outcome.last_cell})"))
    elif outcome.cell_timeout:
        found.append((TIMEOUT, f"{outcome.last_cell} ran longer than the {cell_timeout} s cell limit "
                               "and did not stop when interrupted"))
    elif outcome.died:
        found.append((KERNEL_DIED, f"the kernel died while running {outcome.last_cell} "
                                   f"({_exit_text(outcome.exit_status)})"))
    if result.unresponsive and not outcome.timed_out:
        found.append((TIMEOUT, result.unresponsive))
    if outcome.crashed:
        found.append((GRADER, f"{name}: execution stopped: {outcome.crashed}"))
    if nb is not None:
        found += output_failures(nb, limits, cell_timeout)
    for line in outcome.reports:
        try:
            report = json.loads(line)
            found.append((SANDBOX, f"{report['kind']}: {report['detail']}"))
        except (ValueError, KeyError, TypeError):
            found.append((SANDBOX, "wrote garbage on the sandbox's report channel"))
    found += [(SANDBOX, item) for item in result.cleanup]
    return list(dict.fromkeys(found))
