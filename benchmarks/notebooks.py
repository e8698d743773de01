"""Time every source notebook top to bottom in a fresh kernel, as grading runs it.

Usage: python benchmarks/notebooks.py [DAY ...] [--repeat N]
Prints one row per day (best and median of N runs) against the course's speed goal, and the CPU
time the notebook's kernel used in its best run: on a machine shared with other jobs the wall-clock
time grows with the load, the kernel's CPU time much less.
Timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import sys
from pathlib import Path

from course.layout import find_root, load_config, notebook_path, select_days
from course.notebooks import execute_notebook

GOAL_SECONDS = {"day13_capstone": 30.0}
DEFAULT_GOAL = 20.0


def timed_run(path: Path, config) -> tuple[float, float]:
    """Run one notebook; return its wall-clock seconds and the CPU seconds its kernel used.

    The kernel is a child process, reaped when the run ends, so its CPU time shows up in RUSAGE_CHILDREN.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    _, seconds = execute_notebook(path, config)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("days", nargs="*")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    root = find_root()
    config = load_config(root)
    print(f"{os.cpu_count()} CPU core(s); {args.repeat} run(s) per notebook\n")
    print(f"{'day':28} {'best s':>7} {'median s':>9} {'goal s':>7} {'cpu s':>6}")
    over = 0
    for day in select_days(root, args.days):
        runs = [timed_run(notebook_path(root, "source", day, config), config) for _ in range(args.repeat)]
        goal = GOAL_SECONDS.get(day, DEFAULT_GOAL)
        best, cpu = min(runs)
        median = statistics.median(seconds for seconds, _ in runs)
        over += best > goal
        print(f"{day:28} {best:7.1f} {median:9.1f} {goal:7.0f} {cpu:6.1f}{'  over the goal' if best > goal else ''}")
    print(f"\n{over} notebook(s) over their goal.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
