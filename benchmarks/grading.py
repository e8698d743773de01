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
differ.

The second part (``--part output``) measures large output: the day's solution without and with one
cell that prints ``--flood-mb`` MB line by line (a chatty loop). It times both notebooks run by plain
nbclient (no grader, no sandbox) and graded by ``course grade`` (with feedback), so the cell's own
cost can be compared, while sampling the resident memory of every process of the grading run, and
prints the peak of each grader process (the main process, the worker, the worker's fingerprint
helper) beside the kernel's, and the size of the autograded notebook and the feedback page. Usage:

    python benchmarks/grading.py [--part speed|output|all] [--day day01_tensors] [--students 20] [--jobs 2]
                                 [--runs serial,parallel,rlimits,dask] [--rounds 1] [--flood-mb 60] [--keep DIR]
"""

from __future__ import annotations

import argparse
import copy
import json
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
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course.grading.gradebook import add_assignment, snapshot  # noqa: E402
from course.grading.records import Limits  # noqa: E402
from course.grading.sandbox import choose_sandbox  # noqa: E402
from course.layout import course_folder, load_config, notebook_path  # noqa: E402
from course.markers import without_solution_markers  # noqa: E402
from course.venv_path import ensure_alembic_on_path, env_with_venv_bin  # noqa: E402

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
    config = load_config(root)
    shutil.copytree(course_folder(REPO, "source") / day, course_folder(root, "source", config) / day)
    add_assignment(config, day, course_folder(root, "release", config), logging.getLogger("benchmark"))
    release = nbformat.read(str(notebook_path(root, "release", day, config)), as_version=4)
    answers = solutions(nbformat.read(str(notebook_path(root, "source", day, config)), as_version=4))
    for index in range(students):
        chooser = random.Random(index)
        nb = copy.deepcopy(release)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers and index != 1 and (index == 0 or chooser.random() < 0.6):
                cell.source = answers[grade_id]
        folder = course_folder(root, "submitted", config) / f"student{index:03d}" / day
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{day}.ipynb"))
        (folder / "timestamp.txt").write_text(TIMESTAMP)


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``command`` in ``cwd``; return its wall-clock seconds and, for ``course grade``, the main
    process's own CPU seconds (stop the benchmark if it fails)."""
    env = env_with_venv_bin()
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
    log = (course_folder(root, "autograded") / f"{day}-grades.log").read_text(encoding="utf-8")
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
                     f"(workers busy {compute / 60:.1f} min, main process busy {serial / 60:.1f} min: "
                     f"limited by {bound})")
    return lines


FLOOD_CELL = "for step in range({lines}):\n    print(f'step {{step:>8}}: ' + 'x' * 88)"
ROLES = (("kernel", "kernel_boot.py"), ("fingerprint helper", "course.grading.reference"),
         ("worker", "multiprocessing.spawn"), ("main", "course grade"))


def sample_memory(command: list[str], cwd: Path) -> tuple[float, dict[str, float]]:
    """Run ``command``; return its wall-clock seconds and the peak resident memory (MiB) of each role
    (sampled every 50 ms over the whole process tree)."""
    env = env_with_venv_bin()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    top, peaks = psutil.Process(process.pid), {}
    while process.poll() is None:
        try:
            tree = [top] + top.children(recursive=True)
        except psutil.Error:
            break
        for proc in tree:
            try:
                line, rss = " ".join(proc.cmdline()), proc.memory_info().rss / 2**20
            except psutil.Error:
                continue
            role = next((name for name, mark in ROLES if mark in line), None)
            if role is not None:
                peaks[role] = max(peaks.get(role, 0.0), rss)
        time.sleep(0.05)
    return time.perf_counter() - start, peaks


PLAIN = """import json, resource, sys, time
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
start = time.perf_counter()
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
print(json.dumps([time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""


def plain_execution(path: Path) -> tuple[float, float]:
    """Seconds to run a notebook with plain nbclient (no grader, no sandbox, every output kept), and
    the peak memory (MiB) of the process that ran it."""
    done = subprocess.run([sys.executable, "-c", PLAIN, str(path), str(path.parent)], capture_output=True, text=True,
                          check=True)
    seconds, mib = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, mib


def output_part(work: Path, day: str, flood_mb: float) -> None:
    """The large-output benchmark (see the module docstring): the same correct notebook without and
    with the flood cell, run by plain nbclient and graded by ``course grade --jobs 1`` (the notebook
    without it first, so the worker is warm), so the flood cell's own cost shows in both."""
    root = work / "output"
    make_course(root, day, 2)
    submitted = course_folder(root, "submitted")
    base = submitted / "student000" / day / f"{day}.ipynb"
    flood = submitted / "student001" / day / f"{day}.ipynb"
    nb = nbformat.read(str(base), as_version=4)
    lines = int(flood_mb * 1e6 / 100)
    cell = nbformat.v4.new_code_cell(FLOOD_CELL.format(lines=lines))
    cell["id"] = "flood"
    nb.cells.insert(2, cell)
    nbformat.write(nb, str(flood))
    print(f"Large output: {day} with and without a cell printing {flood_mb:g} MB ({lines:,} lines) ...", flush=True)
    plain_execution(base)  # a first run warms up what every later run reuses (imports, data files)
    (plain_base, _), (plain_flood, plain_mib) = plain_execution(base), plain_execution(flood)
    print(f"  plain nbclient:  {plain_base:6.1f} s without the cell, {plain_flood:6.1f} s with it: the cell costs "
          f"{plain_flood - plain_base:5.1f} s (its process kept every byte: peak {plain_mib:.0f} MiB)", flush=True)
    wall, peaks = sample_memory([sys.executable, "-m", "course", "grade", day, "--jobs", "1"], root)
    log = (course_folder(root, "autograded") / f"{day}-grades.log").read_text()
    graded = {who: float(seconds) for who, seconds in re.findall(r"(student00[01])/\S+ executed in ([\d.]+) s", log)}
    exact = {role: float(found.group(1)) for role, pattern in (("worker", r"worker peak memory (\d+) MiB"),
                                                                ("main", r"main process peak memory (\d+) MiB"))
             if (found := re.search(pattern, log))}
    cost = graded["student001"] - graded["student000"]
    print(f"  course grade:    {graded['student000']:6.1f} s without the cell, {graded['student001']:6.1f} s with it: "
          f"the cell costs {cost:5.1f} s ({cost / max(plain_flood - plain_base, 0.1):.2f}x plain; "
          f"whole command, two notebooks and feedback, {wall:.1f} s)")
    for role, _ in reversed(ROLES):
        note = f" (exact, from the grader's log: {exact[role]:.0f} MiB)" if role in exact else ""
        kind = "grader process" if role != "kernel" else "student kernel"
        print(f"  peak memory, {role:<20} {peaks.get(role, 0.0):7.0f} MiB  {kind}{note}")
    autograded = course_folder(root, "autograded") / "student001" / day / f"{day}.ipynb"
    feedback = course_folder(root, "feedback") / "student001" / day / f"{day}.html"
    print(f"  autograded notebook {autograded.stat().st_size / 1e6:.2f} MB, feedback page "
          f"{feedback.stat().st_size / 1e6:.2f} MB (the cell printed {flood_mb:g} MB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("speed", "output", "all"), default="all")
    parser.add_argument("--day", default="day01_tensors")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--flood-mb", type=float, default=60.0, help="MB the large-output cell prints")
    parser.add_argument("--runs", default="serial,parallel,rlimits,dask",
                        help="which runs, comma-separated (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the runs, interleaved, and keep each one's median")
    parser.add_argument("--keep", type=Path, default=None, help="build the courses here and keep them")
    args = parser.parse_args(argv)
    ensure_alembic_on_path()
    work = args.keep or Path(tempfile.mkdtemp(prefix="grading-benchmark-"))
    identical = True
    if args.part in ("speed", "all"):
        identical = speed_part(work, args)
    if args.part in ("output", "all"):
        output_part(work, args.day, args.flood_mb)
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if identical else 1


def speed_part(work: Path, args: argparse.Namespace) -> bool:
    """Serial nbgrader against course grade on generated submissions (see the module docstring)."""
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
            states[name] = snapshot(root, args.day)
            if name != "serial":
                logs[name].append(grading_log(root, args.day))
            if args.keep is None:
                shutil.rmtree(root, ignore_errors=True)
            print(f" {timings[name][-1][0]:.1f} s", flush=True)
    seconds = {name: statistics.median(t[0] for t in found) for name, found in timings.items()}
    main_cpu = {name: statistics.median(t[1] for t in found) for name, found in timings.items()}
    first = next(iter(states.values()))
    identical = all(state == first for state in states.values())
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
    print()
    return identical


if __name__ == "__main__":
    sys.exit(main())
