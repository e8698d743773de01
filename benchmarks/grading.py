"""Benchmark: serial ``nbgrader autograde`` against ``python -m course grade --jobs N`` on the same submissions.

Builds a throw-away course holding one real day (default day01_tensors) in the gradebook, generates
N submissions from its release (the first all correct, the second blank, the rest a seeded mix of
correct answers and untouched stubs), and grades identical copies of it with

1. plain serial ``nbgrader autograde DAY``;
2. ``python -m course grade DAY --jobs N --no-feedback`` (the sandbox this machine supports);
3. the same with ``--sandbox rlimits`` (no bubblewrap), to isolate the sandbox's own cost;
4. the same with ``--scheduler local`` (a Dask LocalCluster of N single-threaded workers), for Dask's cost.

It checks that every gradebook entry is identical across the runs and prints the times, the speed
ratios, the sandbox overhead and, from the Dask run's costs (each notebook's execution time on its
worker, the main process's CPU time per submission, the rest as start and finish), what 800
submissions would take on 1, 4 and 16 worker machines, on paper. Exit status 1 when the grades
differ. Usage:

    python benchmarks/grading.py [--day day01_tensors] [--students 20] [--jobs 2] [--keep DIR]
                                 [--runs serial,parallel,rlimits,dask] [--rounds 1]
"""

from __future__ import annotations

import argparse
import copy
import logging
import os
import random
import re
import shutil
import statistics
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


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``command`` in ``cwd``; return its wall-clock seconds and, for ``course grade``, the main
    process's own CPU seconds (stop the benchmark if it fails)."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    if command[1:3] == ["-m", "course"]:  # run in a shim that reports the main process's CPU time
        shim = ("import sys, time\nfrom course.__main__ import main\nstatus = main(sys.argv[1:])\n"
                "print(f'MAIN CPU SECONDS {time.process_time():.3f}')\nsys.exit(status)")
        command = [command[0], "-c", shim, *command[3:]]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    cpu = re.search(r"MAIN CPU SECONDS ([\d.]+)", done.stdout)
    return seconds, float(cpu.group(1)) if cpu else 0.0


def grading_log(root: Path, day: str) -> tuple[list[float], float]:
    """From ``course grade``'s log: each notebook's execution time on its worker, and the seconds from
    the end of the set-up to the last submission graded (the rest of the run is start and finish)."""
    log = (root / "autograded" / f"{day}-grades.log").read_text(encoding="utf-8")
    setup = float(re.search(r"set-up done after ([\d.]+) s", log).group(1))
    graded = float(re.search(r"all submissions graded after ([\d.]+) s", log).group(1))
    return [float(x) for x in re.findall(r"executed in ([\d.]+) s", log)], graded - setup


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def cluster_model(students: int, cores: int, per_notebook: float, main: float, fixed: float) -> list[str]:
    """On paper: a run of ``students`` submissions on 1, 4 and 16 worker machines of ``cores`` cores
    (one single-threaded worker per core), each notebook costing ``per_notebook`` seconds of a worker
    and ``main`` seconds of the one main process, which overlap; plus ``fixed`` seconds of start and end."""
    lines = [f"On paper, {students} submissions at these costs (a worker {per_notebook:.2f} s per notebook, the main "
             f"process {main:.2f} s per submission, {fixed:.0f} s to start and finish):"]
    for machines in (1, 4, 16):
        workers = machines * cores
        compute, serial = students * per_notebook / workers, students * main
        total = fixed + max(compute, serial)
        bound = "the workers" if compute >= serial else "the main process"
        lines.append(f"  {machines:>2} machine(s), {workers:>2} workers: {total / 60:6.1f} min  "
                     f"(workers busy {compute / 60:.1f} min, main process busy {serial / 60:.1f} min: limited by {bound})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--day", default="day01_tensors")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", default="serial,parallel,rlimits,dask",
                        help="which runs, comma-separated (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the runs, interleaved, and keep each one's median")
    parser.add_argument("--keep", type=Path, default=None, help="build the courses here and keep them")
    args = parser.parse_args(argv)
    ensure_alembic_on_path()
    work = args.keep or Path(tempfile.mkdtemp(prefix="grading-benchmark-"))
    template = work / "template"
    print(f"Building a course with {args.students} submissions of {args.day} in {work} ...", flush=True)
    make_course(template, args.day, args.students)
    grade = [sys.executable, "-m", "course", "grade", args.day, "--jobs", str(args.jobs), "--no-feedback"]
    every = {
        "serial": ["nbgrader", "autograde", args.day],
        "parallel": grade,
        "rlimits": grade + ["--sandbox", "rlimits"],
        "dask": grade + ["--scheduler", "local"],
    }
    runs = {name: every[name] for name in args.runs.split(",")}
    mode = choose_sandbox("auto", Limits()).mode
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    states: dict[str, dict] = {}
    logs: dict[str, list[tuple[list[float], float]]] = {name: [] for name in runs}
    for round_ in range(args.rounds):
        for name, command in runs.items():
            root = work / f"{name}-{round_}"
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(template, root)
            shown = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command))
            print(f"  {name:<9} {shown} (load {load_average()}) ...", end="", flush=True)
            timings[name].append(timed(command, root))
            states[name] = gradebook_state(root, args.day)
            if name != "serial":
                logs[name].append(grading_log(root, args.day))
            if args.keep is None:
                shutil.rmtree(root, ignore_errors=True)
            print(f" {timings[name][-1][0]:.1f} s", flush=True)
    seconds = {name: statistics.median(t[0] for t in found) for name, found in timings.items()}
    main_cpu = {name: statistics.median(t[1] for t in found) for name, found in timings.items()}
    identical = len({repr(state) for state in states.values()}) == 1
    first = next(iter(states.values()))
    grades = sum(1 for rows in first.values() for row in rows if row[0] == "grade")
    cores = os.cpu_count()
    print()
    print(f"{args.students} submissions of {args.day}, {cores} cores, {args.jobs} jobs"
          f"{f', median of {args.rounds} rounds' if args.rounds > 1 else ''}; load average now {load_average()}")
    if "serial" in seconds:
        print(f"serial nbgrader autograde                {seconds['serial']:7.1f} s")
    if "parallel" in seconds:
        line = f"course grade --jobs {args.jobs} ({mode:<10})       {seconds['parallel']:7.1f} s"
        if "serial" in seconds:
            ratio = seconds["serial"] / seconds["parallel"]
            line += f"   {ratio:.2f}x faster than serial (target 1.7x: {'met' if ratio >= 1.7 else 'NOT met'})"
        print(line)
    if "rlimits" in seconds:
        line = f"course grade --jobs {args.jobs} (rlimits only)     {seconds['rlimits']:7.1f} s"
        if "parallel" in seconds:
            line += f"   sandbox overhead of {mode}: {seconds['parallel'] / seconds['rlimits'] - 1:+.1%}"
        print(line)
    if "dask" in seconds:
        line = f"course grade --jobs {args.jobs} --scheduler local {seconds['dask']:7.1f} s"
        if "parallel" in seconds:
            ratio = seconds["parallel"] / seconds["dask"]
            line += (f"   {ratio:.2f} of the local workers' speed (target at least 0.9: "
                     f"{'met' if ratio >= 0.9 else 'NOT met'})")
            rounds = [p[0] / d[0] for p, d in zip(timings["parallel"], timings["dask"])]
            line += f"\n  speed ratio per round: {', '.join(f'{r:.2f}' for r in rounds)}"
        print(line)
        per_notebook = statistics.mean(x for executions, _ in logs["dask"] for x in executions)
        per_submission = main_cpu["dask"] / args.students
        fixed = max(0.0, statistics.median(t[0] - span for t, (_, span) in zip(timings["dask"], logs["dask"])))
        print("\n".join(cluster_model(800, args.jobs, per_notebook, per_submission, fixed)))
    print(f"grades identical in all {len(states)} gradebooks: {'yes' if identical else 'NO'} "
          f"({len(first)} submissions, {grades} graded cells)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
