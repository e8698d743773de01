"""``python -m course verify``: the four checks every day must pass before it ships.

1. runs:      the source notebook executes in a fresh kernel and every test passes;
2. can fail:  every graded test cell fails on the released stub (no test that cannot fail);
3. in sync:   ``release/`` is exactly what ``build`` gives now, with no solution or hidden-test text;
4. metadata:  unique grade_ids, points on graded cells, a test after every answer, no outputs in source.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .build import build_day
from .layout import course_folder, find_root, load_config, notebook_path, select_days
from .markers import all_delimiters, secret_lines, solution_delimiters
from .notebooks import error_text, execute_notebook, grade_cell_results, nbgrader_meta, read_notebook

CHECK_TITLES = {
    1: "source runs and its tests pass",
    2: "every test fails on the released stub",
    3: "release/ is in sync and hides solutions",
    4: "metadata is sound",
}
ASSERTS_SOMETHING = re.compile(r"\b(assert|check_\w+|raise)\b")
SLOW_SECONDS = 20.0


@dataclass
class CheckResult:
    """One of the four points for one day: its number and what is wrong (nothing when it passed)."""

    point: int
    problems: list[str] = field(default_factory=list)
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class DayReport:
    """The four check results for one day, and how long its source notebook took to run."""

    day: str
    checks: list[CheckResult]
    seconds: float | None = None

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def check_runs(root: Path, day: str) -> tuple[CheckResult, float]:
    """Point 1: execute the source notebook; every cell must run and every graded test pass."""
    config = load_config(root)
    nb, seconds = execute_notebook(notebook_path(root, "source", day, config), config)
    result = CheckResult(1)
    results = grade_cell_results(nb)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and not meta.get("grade") and error_text(cell):
            where = meta.get("grade_id") or f"cell {cell.get('id', '?')}"
            result.problems.append(f"{where} raises {error_text(cell).splitlines()[0]}")
    for r in results:
        if not r.passed:
            result.problems.append(f"{r.grade_id} fails on the solution: {r.error or f'{r.score}/{r.max_score}'}")
    if not results:
        result.problems.append("the notebook has no graded test cells")
    result.detail = f"{sum(r.passed for r in results)}/{len(results)} tests pass in {seconds:.1f} s"
    return result, seconds


def check_tests_can_fail(root: Path, day: str) -> CheckResult:
    """Point 2: execute the released stub; a graded test that passes there cannot fail."""
    config = load_config(root)
    path = notebook_path(root, "release", day, config)
    result = CheckResult(2)
    if not path.is_file():
        result.problems.append(f"{path.relative_to(root)} is missing; run `python -m course build {day}`")
        return result
    nb, _ = execute_notebook(path, config)
    results = grade_cell_results(nb)
    for r in results:
        if r.passed:
            result.problems.append(f"{r.grade_id} passes on the released stub, so it cannot fail")
    result.detail = f"{sum(not r.passed for r in results)}/{len(results)} tests fail on the stub"
    return result


def check_release_in_sync(root: Path, day: str) -> CheckResult:
    """Point 3: rebuild into a scratch folder, compare byte for byte, and look for leaked secrets."""
    result = CheckResult(3)
    config = load_config(root)
    committed = course_folder(root, "release", config) / day
    shown = committed.relative_to(root) if committed.is_relative_to(root) else committed
    with tempfile.TemporaryDirectory() as scratch:
        fresh = build_day(root, day, release_dir=Path(scratch))
        comparison = filecmp.dircmp(fresh, committed) if committed.is_dir() else None
        if comparison is None:
            result.problems.append(f"{shown} is missing; run `python -m course build {day}`")
        else:
            stale = _differences(comparison)
            if stale:
                result.problems.append(
                    f"{shown} differs from a fresh build ({', '.join(stale)}); run `python -m course build {day}`"
                )
    if committed.is_dir():
        secrets = secret_lines(read_notebook(notebook_path(root, "source", day, config)), config=config)
        markers = [marker for kind in all_delimiters(config) for marker in (kind.begin, kind.end)]
        for path in sorted(committed.rglob("*.ipynb")):
            text = path.read_text(encoding="utf-8")
            for marker in markers:
                if marker in text:
                    result.problems.append(f"{path.relative_to(root)} contains `{marker}`")
            released = {line.strip() for cell in read_notebook(path).cells for line in cell.source.splitlines()}
            for line in sorted(secrets & released):
                result.problems.append(f"{path.relative_to(root)} reveals solution or hidden-test line `{line}`")
    return result


def _differences(comparison: filecmp.dircmp) -> list[str]:
    """Names that differ between two folder trees (missing on either side, or different bytes)."""
    found = [f"only in fresh build: {n}" for n in comparison.left_only]
    found += [f"not in fresh build: {n}" for n in comparison.right_only]
    _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files, shallow=False)
    found += [f"{n} differs" for n in mismatch + errors]
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


def check_metadata(root: Path, day: str) -> CheckResult:
    """Point 4: lint the source notebook's nbgrader metadata and cleanliness."""
    result = CheckResult(4)
    config = load_config(root)
    nb = read_notebook(notebook_path(root, "source", day, config))
    begin_solution = solution_delimiters(config).begin
    seen: dict[str, int] = {}
    waiting_answer: str | None = None
    for index, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        label = grade_id or f"cell {index}"
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
            result.problems.append(f"{label} has committed outputs; clear them before committing")
        if not meta:
            continue
        if meta.get("schema_version") != 3:
            result.problems.append(f"{label} has nbgrader schema_version {meta.get('schema_version')}, expected 3")
        if not grade_id:
            result.problems.append(f"cell {index} has nbgrader metadata but no grade_id")
        elif grade_id in seen:
            result.problems.append(f"grade_id {grade_id} is used by cells {seen[grade_id]} and {index}")
        else:
            seen[grade_id] = index
        if meta.get("grade"):
            if not meta.get("points"):
                result.problems.append(f"{label} is graded but has no points")
            if cell.cell_type == "code" and not meta.get("locked"):
                result.problems.append(f"{label} is a test cell but not locked (read-only)")
            if cell.cell_type == "code" and not ASSERTS_SOMETHING.search(cell.source):
                result.problems.append(f"{label} checks nothing (no assert or check_ call)")
        if meta.get("solution"):
            if waiting_answer:
                result.problems.append(f"answer {waiting_answer} has no test cell before the next answer")
            waiting_answer = label
            if cell.cell_type == "code" and begin_solution not in cell.source:
                result.problems.append(f"{label} is an answer cell without `{begin_solution}`")
        elif meta.get("grade") and cell.cell_type == "code":
            waiting_answer = None
    if waiting_answer:
        result.problems.append(f"answer {waiting_answer} has no test cell after it")
    return result


def could_not_check(point: int, err: BaseException) -> CheckResult:
    """A check that could not run at all (no kernel started, a file unreadable): a failure of that day."""
    text = str(err).strip().splitlines()
    return CheckResult(point, [f"could not check: {type(err).__name__}{': ' + text[0] if text else ''}"])


def verify_day(root: Path, day: str) -> DayReport:
    """Run the four checks for one day (in a worker process of its own); never raises for one check."""
    try:
        point1, seconds = check_runs(root, day)
    except Exception as err:  # noqa: BLE001 - reported as this day's failure, never a crash
        point1, seconds = could_not_check(1, err), None
    checks = [point1]
    for point, check in ((2, check_tests_can_fail), (3, check_release_in_sync), (4, check_metadata)):
        try:
            checks.append(check(root, day))
        except Exception as err:  # noqa: BLE001
            checks.append(could_not_check(point, err))
    return DayReport(day, checks, seconds)


def format_report(reports: list[DayReport]) -> str:
    """A readable report: one block per day, one line per point, problems indented below."""
    lines = []
    for report in reports:
        timing = f" (source ran in {report.seconds:.1f} s)" if report.seconds is not None else ""
        lines.append(f"{report.day}: {'PASS' if report.ok else 'FAIL'}{timing}")
        for check in report.checks:
            status = "ok  " if check.ok else "FAIL"
            detail = f" - {check.detail}" if check.detail else ""
            lines.append(f"  [{status}] {check.point}. {CHECK_TITLES[check.point]}{detail}")
            lines.extend(f"         - {problem}" for problem in check.problems)
        if report.seconds is not None and report.seconds > SLOW_SECONDS:
            lines.append(f"  note: slower than the {SLOW_SECONDS:.0f} s goal for a lesson notebook")
    passed = sum(r.ok for r in reports)
    lines.append(f"\n{passed} of {len(reports)} day(s) pass all four points.")
    return "\n".join(lines)


def verify(root: Path, days: list[str], jobs: int) -> list[DayReport]:
    """Verify ``days`` with up to ``jobs`` days at a time; reports come back in course order."""
    if jobs <= 1 or len(days) <= 1:
        return [verify_day(root, day) for day in days]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(verify_day, root, day) for day in days]
        reports = []
        for day, future in zip(days, futures):
            try:
                reports.append(future.result())
            except Exception as err:  # noqa: BLE001 - the worker process itself died (BrokenProcessPool)
                reports.append(DayReport(day, [could_not_check(1, err)]))
        return reports


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("days", nargs="*", help="days to verify (default: all)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="days verified at once")


def run(args: argparse.Namespace) -> int:
    root = find_root()
    reports = verify(root, select_days(root, args.days), args.jobs)
    print(format_report(reports))
    return 0 if all(r.ok for r in reports) else 1
