"""Load benchmark: a class logging in at once on the course's JupyterHub, on loopback.

Starts a throw-away hub of deploy/jupyterhub/ (course.scratchhub: the real configuration, as root, Unix
accounts ``dlwp-t-*`` removed afterwards), then N simulated students (default 30) at the same moment
each log in through the login page, get a token, start their server (retrying when the hub's
``concurrent_spawn_limit`` says so, as a browser does) and run the first code cell of Day 01 in a new
kernel, which stays alive as a working student's would. Meanwhile it samples the hub's and the proxy's
CPU and memory. With every server and kernel still up it measures each student's memory (server and
kernel: RSS, PSS and USS) and the machine's MemAvailable drop, then stops everything.

Bounded: a fixed number of students, a deadline for the whole burst (``--deadline``), timeouts on every
request. Prints a report and writes it as JSON (``--json``, default artifacts/hub-load/results.json).
Exit status 1 when any student failed to log in, get a server or run the cell. Usage (as root, after
`make hub-install`):

    python benchmarks/hub_load.py [--students 30] [--spawn-limit 10] [--deadline 900]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course.hubclient import HubUser  # noqa: E402
from course.layout import notebook_path  # noqa: E402
from course.scratchhub import ScratchHub, missing_requirements  # noqa: E402

DAY = "day01_tensors"
GIB = 1024 ** 3


@dataclass
class Student:
    """What happened to one simulated student (seconds; error is None when everything worked)."""

    name: str
    login: float | None = None
    spawn: float | None = None
    spawn_retries: int = 0
    cell: float | None = None
    error: str | None = None


def first_code_cell(day: str = DAY) -> str:
    """The first code cell of the released day: the imports every student runs first."""
    notebook = nbformat.read(str(notebook_path(REPO, "release", day)), as_version=4)
    return next(c.source for c in notebook.cells if c.cell_type == "code")


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100), linear between ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class Sampler(threading.Thread):
    """Samples CPU (% of one core) and RSS of the hub and the proxy every ``interval`` seconds."""

    def __init__(self, processes: dict[str, psutil.Process], interval: float = 0.5):
        super().__init__(daemon=True)
        self.processes, self.interval = processes, interval
        self.samples: dict[str, list[tuple[float, float]]] = {name: [] for name in processes}
        self._halt = threading.Event()

    def run(self) -> None:
        for process in self.processes.values():
            process.cpu_percent(None)
        while not self._halt.wait(self.interval):
            for name, process in self.processes.items():
                try:
                    self.samples[name].append((process.cpu_percent(None), process.memory_info().rss))
                except psutil.Error:
                    pass

    def stop(self) -> dict[str, dict[str, float]]:
        self._halt.set()
        self.join(timeout=5)
        summary = {}
        for name, samples in self.samples.items():
            cpu = [c for c, _ in samples] or [0.0]
            rss = [r for _, r in samples] or [0]
            summary[name] = {"cpu_mean_percent": statistics.fmean(cpu), "cpu_peak_percent": max(cpu),
                             "rss_peak_mib": max(rss) / 2**20}
        return summary


def proxy_process(hub: ScratchHub) -> psutil.Process | None:
    pid_file = hub.root / "hub" / "hub" / "proxy.pid"
    try:
        return psutil.Process(int(pid_file.read_text().strip()))
    except (OSError, ValueError, psutil.Error):
        return None


def memory_of(uid: int) -> dict[str, float]:
    """RSS, PSS and USS (MiB) and CPU time used so far (seconds), summed over every process of one Unix
    account (its server and kernels)."""
    total = {"rss": 0, "pss": 0, "uss": 0, "cpu_seconds": 0.0, "processes": 0}
    for process in psutil.process_iter(["uids"]):
        if process.info["uids"] and process.info["uids"].real == uid:
            try:
                info = process.memory_full_info()
                cpu = process.cpu_times()
            except psutil.Error:
                continue
            total["cpu_seconds"] += cpu.user + cpu.system
            total["rss"] += info.rss
            total["pss"] += info.pss
            total["uss"] += info.uss
            total["processes"] += 1
    return {k: (v / 2**20 if k in ("rss", "pss", "uss") else v) for k, v in total.items()}


async def one_student(hub: ScratchHub, short: str, cell: str, deadline: float) -> Student:
    result = Student(hub.name(short))
    try:
        async with HubUser(hub.url, result.name, timeout=120) as student:
            start = time.monotonic()
            await student.log_in(hub.password)
            await student.request_token(note="load benchmark")
            result.login = time.monotonic() - start
            spawned = await student.start_server(deadline=deadline)
            result.spawn, result.spawn_retries = spawned.seconds, spawned.retries
            start = time.monotonic()
            ran = await student.run_cell(cell, timeout=deadline, shutdown=False)
            result.cell = time.monotonic() - start
            if ran.error:
                result.error = f"cell raised {ran.error}"
    except Exception as err:  # every failure is counted and reported, never hidden
        result.error = f"{type(err).__name__}: {err}"
    return result


async def burst(hub: ScratchHub, count: int, cell: str, deadline: float) -> list[Student]:
    shorts = [f"s{i:02d}" for i in range(count)]
    tasks = [asyncio.create_task(one_student(hub, short, cell, deadline)) for short in shorts]
    done, pending = await asyncio.wait(tasks, timeout=deadline)
    for task in pending:
        task.cancel()
    results = [task.result() for task in done]
    results += [Student(hub.name(s), error=f"not done within {deadline:g} s")
                for s, task in zip(shorts, tasks) if task in pending]
    return results


def mem_available() -> int:
    return psutil.virtual_memory().available


def run(args: argparse.Namespace) -> dict:
    roster = {f"s{i:02d}": "student" for i in range(args.students)}
    out = Path(args.json).parent
    out.mkdir(parents=True, exist_ok=True)
    hub = ScratchHub(roster, spawn_limit=args.spawn_limit, log_dir=out)
    load_before = os.getloadavg()[0]  # other work on the machine slows every number below
    with hub:
        time.sleep(2)  # let the course service and the culler settle before the baseline
        baseline = mem_available()
        hub_process = psutil.Process(hub.process.pid)
        watched = {"hub": hub_process}
        if proxy := proxy_process(hub):
            watched["proxy"] = proxy
        sampler = Sampler(watched)
        sampler.start()
        began = time.monotonic()
        students = asyncio.run(burst(hub, args.students, first_code_cell(), args.deadline))
        wall = time.monotonic() - began
        processes = sampler.stop()
        used = (baseline - mem_available()) / GIB
        per_student = []
        for student in students:
            try:
                per_student.append(memory_of(pwd.getpwnam(student.name).pw_uid))
            except KeyError:
                pass
    ok = [s for s in students if s.error is None]
    spawns = [s.spawn for s in students if s.spawn is not None]
    cells = [s.cell for s in students if s.cell is not None]
    live = [m for m in per_student if m["processes"]]
    report = {
        "students": args.students, "spawn_limit": args.spawn_limit, "cpu_count": psutil.cpu_count(),
        "load_average_before": load_before, "load_average_after": os.getloadavg()[0],
        "memory_gib": psutil.virtual_memory().total / GIB, "wall_seconds": wall,
        "succeeded": len(ok), "failed": [asdict(s) for s in students if s.error],
        "failed_spawns": sum(1 for s in students if s.spawn is None),
        "spawn_seconds": {"p50": percentile(spawns, 50), "p95": percentile(spawns, 95),
                          "max": max(spawns, default=None)},
        "spawn_retries_total": sum(s.spawn_retries for s in students),
        "cell_seconds": {"p50": percentile(cells, 50), "p95": percentile(cells, 95), "max": max(cells, default=None)},
        "login_seconds_p50": percentile([s.login for s in students if s.login is not None], 50),
        "processes": processes,
        "per_student_mib": {k: statistics.median(m[k] for m in live) for k in ("rss", "pss", "uss")} if live else None,
        "per_student_cpu_seconds": statistics.median(m["cpu_seconds"] for m in live) if live else None,
        "mem_available_drop_gib": used,
        "mem_available_drop_per_student_mib": used * 1024 / max(len(live), 1),
    }
    return report


def print_report(report: dict) -> None:
    def f(value, digits=1):
        return "-" if value is None else f"{value:.{digits}f}"

    print(f"{report['students']} students at once, concurrent_spawn_limit={report['spawn_limit']}, "
          f"{report['cpu_count']} cores, {report['memory_gib']:.0f} GiB; whole burst {report['wall_seconds']:.0f} s; "
          f"load average {report['load_average_before']:.1f} before, {report['load_average_after']:.1f} after")
    print(f"succeeded: {report['succeeded']}/{report['students']}; failed spawns: {report['failed_spawns']}; "
          f"'too many starting, retry' answers: {report['spawn_retries_total']}")
    s, c = report["spawn_seconds"], report["cell_seconds"]
    print(f"spawn (request to ready): p50 {f(s['p50'])} s, p95 {f(s['p95'])} s, max {f(s['max'])} s")
    print(f"first Day 01 cell in a new kernel: p50 {f(c['p50'])} s, p95 {f(c['p95'])} s, max {f(c['max'])} s")
    for name, p in report["processes"].items():
        print(f"{name}: CPU mean {p['cpu_mean_percent']:.0f}% / peak {p['cpu_peak_percent']:.0f}% of one core, "
              f"RSS peak {p['rss_peak_mib']:.0f} MiB")
    if report["per_student_mib"]:
        m = report["per_student_mib"]
        print(f"per student (server + one kernel), median: RSS {m['rss']:.0f} MiB, PSS {m['pss']:.0f} MiB, "
              f"USS {m['uss']:.0f} MiB; MemAvailable fell {report['mem_available_drop_gib']:.2f} GiB "
              f"({report['mem_available_drop_per_student_mib']:.0f} MiB per student)")
        print(f"CPU time per student to start a server and run the cell, median: "
              f"{report['per_student_cpu_seconds']:.1f} s")
    for failure in report["failed"]:
        print(f"FAILED {failure['name']}: {failure['error']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--spawn-limit", type=int, default=10, help="the hub's concurrent_spawn_limit")
    parser.add_argument("--deadline", type=float, default=900, help="seconds for the whole burst")
    parser.add_argument("--json", default=str(REPO / "artifacts" / "hub-load" / "results.json"))
    args = parser.parse_args(argv)
    if why := missing_requirements():
        print(f"cannot run: {why}", file=sys.stderr)
        return 2
    report = run(args)
    Path(args.json).write_text(json.dumps(report, indent=2))
    print_report(report)
    print(f"JSON: {args.json}")
    return 0 if report["succeeded"] == args.students else 1


if __name__ == "__main__":
    sys.exit(main())
