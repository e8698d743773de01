"""What the instructor reads: progress lines with an ETA, the summary table and the grades CSV."""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..terminal import printable
from .status import FAILED, FLAGGED, GRADED, SubmissionResult

# raw_score, late_submission_penalty and score as ``nbgrader export`` has them (score = raw - penalty).
CSV_FIELDS = ["student", "assignment", "raw_score", "late_submission_penalty", "score", "max_score", "status", "reason"]


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


def _score(result: SubmissionResult) -> str:
    if result.status != GRADED or result.score is None:
        return "-"
    return f"{result.score:g}/{result.max_score:g}"


class Progress:
    """One line per finished submission: count, student, status, score, and the time left."""

    def __init__(self, total: int, out: TextIO) -> None:
        self.total, self.out = total, out
        self.done = 0
        self.start = time.monotonic()
        self.width = 12

    def eta(self) -> str:
        """Estimated time left, from the average pace so far."""
        if not self.done:
            return "--:--"
        elapsed = time.monotonic() - self.start
        return _clock(elapsed / self.done * (self.total - self.done))

    def update(self, result: SubmissionResult) -> None:
        """Print the line for one finished submission."""
        self.done += 1
        elapsed = time.monotonic() - self.start
        digits = len(str(self.total))
        why = f"  {printable(result.reason_kinds[0])}" if result.reason_kinds else ""
        print(f"[{self.done:>{digits}}/{self.total}] {printable(result.student):<{self.width}} {result.status:<7} "
              f"{_score(result):>9}{why:<22} elapsed {_clock(elapsed)}  ETA {self.eta()}",
              file=self.out, flush=True)


def summary_table(results: list[SubmissionResult], sandbox: str, seconds: float, reason_width: int = 70) -> str:
    """A readable table of every submission, then counts, the mean grade and the sandbox in force.

    Student ids and reasons are shown with control characters escaped (``course.terminal.printable``).
    """
    width = max([7] + [len(printable(r.student)) for r in results])
    lines = [f"{'student':<{width}}  {'status':<7}  {'score':>9}  reason",
             f"{'-' * width}  -------  ---------  {'-' * 30}"]
    for result in sorted(results, key=lambda r: r.student):
        reason = printable(result.reason)
        if len(reason) > reason_width:
            reason = reason[: reason_width - 3] + "..."
        lines.append(f"{printable(result.student):<{width}}  {result.status:<7}  {_score(result):>9}  {reason}")
    counts = Counter(r.status for r in results)
    graded = [r for r in results if r.status == GRADED and r.score is not None]
    lines.append("")
    lines.append(f"{len(results)} submission(s): {counts[GRADED]} graded, {counts[FAILED]} failed, "
                 f"{counts[FLAGGED]} flagged in {_clock(seconds)}.")
    if graded:
        mean = sum(r.score for r in graded) / len(graded)
        lines.append(f"Mean of graded submissions: {mean:.2f}/{graded[0].max_score:g}.")
    if counts[FAILED] or counts[FLAGGED]:
        lines.append("Failed and flagged submissions have no automatic score in the gradebook (they need a human).")
    lines.append(f"Sandbox: {sandbox}")
    return "\n".join(lines)


def _number(value: float | None, shown: bool = True) -> str:
    return f"{value:g}" if shown and value is not None else ""


def write_csv(path: Path, results: list[SubmissionResult], exercises: list[str], sandbox: str,
              places: dict[str, str] | None = None, keep_others: bool = False) -> Path:
    """One row per submission: student, assignment, raw_score, late_submission_penalty, score, max_score,
    status, reason, points per exercise (before any penalty, so they add up to raw_score), and the
    sandbox mode (or, from ``places``, the sandbox and the machine a student's notebooks ran on).
    Failed and flagged rows leave the scores and points empty, never zero.
    With ``keep_others`` (a run limited to some students), the rows of every other student in the CSV
    already at ``path`` stay as they were, provided it has the same columns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = CSV_FIELDS + exercises + ["sandbox"]
    rows = {}
    for r in results:
        graded = r.status == GRADED
        raw = r.raw_score if r.raw_score is not None else r.score
        scores = [_number(raw, graded), _number(r.penalty or 0.0, graded), _number(r.score, graded),
                  _number(r.max_score)]
        where = (places or {}).get(r.student, sandbox)
        points = [_number(r.points.get(e), graded) for e in exercises]
        rows[r.student] = [r.student, r.assignment, *scores, r.status, r.reason] + points + [where]
    if keep_others:
        for student, row in _previous_rows(path, header).items():
            rows.setdefault(student, row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(row for _, row in sorted(rows.items()))
    return path


def _previous_rows(path: Path, header: list[str]) -> dict[str, list[str]]:
    """The rows of an earlier CSV with the same columns, by student (none if it is missing or differs)."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            if next(reader, None) != header:
                return {}
            return {row[0]: row for row in reader if len(row) == len(header)}
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
