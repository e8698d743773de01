"""Benchmark: serial ``nbgrader autograde`` against ``python -m course grade --jobs N`` on the same submissions.

Builds a throw-away course holding one real day (default day01_tensors) in the gradebook, generates
N submissions from its release (the first all correct, the second blank, the rest a seeded mix of
correct answers and untouched stubs), and grades identical copies of it with

1. plain serial ``nbgrader autograde DAY``;
2. ``python -m course grade DAY --jobs N --no-feedback`` (the sandbox this machine supports);
3. the same with ``--sandbox rlimits`` (no bubblewrap), to isolate the sandbox's own cost.

It checks that every gradebook entry is identical across the runs and prints the times, the speed
ratio and the sandbox overhead. Exit status 1 when the grades differ. Usage:

    python benchmarks/grading.py [--day day01_tensors] [--students 20] [--jobs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import copy
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course.grading.gradebook import add_assignment, ensure_alembic_on_path  # noqa: E402
from course.grading.sandbox import Limits, choose_sandbox  # noqa: E402
from course.layout import load_config  # noqa: E402
from course.notebooks import without_solution_markers  # noqa: E402

TIMESTAMP = "2024-05-01 10:00:00.000000 UTC"


def solutions(source: nbformat.NotebookNode) -> dict[str, str]:
    """The instructor's answer for every answer cell, without the solution markers."""
    found = {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            found[meta["grade_id"]] = without_solution_markers(cell.source)
    return found


def make_course(root: Path, day: str, students: int) -> None:
    """A course with ``day`` in the gradebook and ``students`` generated submissions."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(REPO / "source" / day, root / "source" / day)
    add_assignment(load_config(root), day, root / "release", logging.getLogger("benchmark"))
    release = nbformat.read(str(root / "release" / day / f"{day}.ipynb"), as_version=4)
    answers = solutions(nbformat.read(str(root / "source" / day / f"{day}.ipynb"), as_version=4))
    for index in range(students):
        chooser = random.Random(index)
        nb = copy.deepcopy(release)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers and index != 1 and (index == 0 or chooser.random() < 0.6):
                cell.source = answers[grade_id]
        folder = root / "submitted" / f"student{index:03d}" / day
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{day}.ipynb"))
        (folder / "timestamp.txt").write_text(TIMESTAMP)


def gradebook_state(root: Path, day: str) -> dict[str, list]:
    """Every grade, comment and submission field of ``day`` (database ids left out), per student."""
    coursedir = CourseDirectory(config=load_config(root))
    state = {}
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for submission in gb.find_assignment(day).submissions:
            rows = [("submission", str(submission.timestamp), submission.late_submission_penalty)]
            for notebook in submission.notebooks:
                rows.append(("notebook", notebook.name, notebook.flagged))
                rows += sorted(("grade", g.name, g.auto_score, g.manual_score, g.needs_manual_grade) for g in notebook.grades)
                rows += sorted(("comment", c.name, c.auto_comment) for c in notebook.comments)
            state[submission.student_id] = rows
    return state


def timed(command: list[str], cwd: Path) -> float:
    """Run ``command`` in ``cwd``; return its wall-clock seconds (stop the benchmark if it fails)."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--day", default="day01_tensors")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="build the courses here and keep them")
    args = parser.parse_args(argv)
    ensure_alembic_on_path()
    work = args.keep or Path(tempfile.mkdtemp(prefix="grading-benchmark-"))
    template = work / "template"
    print(f"Building a course with {args.students} submissions of {args.day} in {work} ...", flush=True)
    make_course(template, args.day, args.students)
    runs = {
        "serial": ["nbgrader", "autograde", args.day],
        "parallel": [sys.executable, "-m", "course", "grade", args.day, "--jobs", str(args.jobs), "--no-feedback"],
        "rlimits": [sys.executable, "-m", "course", "grade", args.day, "--jobs", str(args.jobs), "--no-feedback",
                    "--sandbox", "rlimits"],
    }
    mode = choose_sandbox("auto", Limits()).mode
    seconds, states = {}, {}
    for name, command in runs.items():
        root = work / name
        shutil.copytree(template, root)
        print(f"  {name:<9} {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))} ...", end="", flush=True)
        seconds[name] = timed(command, root)
        states[name] = gradebook_state(root, args.day)
        print(f" {seconds[name]:.1f} s", flush=True)
    identical = states["serial"] == states["parallel"] == states["rlimits"]
    grades = sum(1 for rows in states["serial"].values() for row in rows if row[0] == "grade")
    ratio = seconds["serial"] / seconds["parallel"]
    overhead = seconds["parallel"] / seconds["rlimits"] - 1
    cores = os.cpu_count()
    print()
    print(f"{args.students} submissions of {args.day}, {cores} cores, {args.jobs} jobs")
    print(f"serial nbgrader autograde            {seconds['serial']:7.1f} s")
    print(f"course grade --jobs {args.jobs} ({mode:<10})   {seconds['parallel']:7.1f} s   {ratio:.2f}x faster than serial"
          f" (target 1.7x: {'met' if ratio >= 1.7 else 'NOT met'})")
    print(f"course grade --jobs {args.jobs} (rlimits only) {seconds['rlimits']:7.1f} s   "
          f"sandbox overhead of {mode}: {overhead:+.1%}")
    print(f"grades identical in all three gradebooks: {'yes' if identical else 'NO'} "
          f"({len(states['serial'])} submissions, {grades} graded cells)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
