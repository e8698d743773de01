"""Grading on a Dask cluster (``--scheduler``): the same verdicts as the local workers, nothing lost
when a worker process dies, a clear stop when the scheduler cannot be reached, and no Dask at all
on the local path."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from democourse import DAY
from grading_fixtures import FIXTURES, SOLUTION, Fixture, active_fixtures, answer, sandbox_mode
from test_grade_batch import gradebook_rows

from course.grading.records import ExecutionJob, GiB, Limits
from course.grading.sandbox import choose_sandbox
from course.venv_path import VENV_BIN

pytestmark = pytest.mark.grading
HERE = Path(__file__).resolve().parent
KILLER_PRELOAD = HERE / "dask_worker_killer.py"


@pytest.fixture(scope="module")
def grading(request: pytest.FixtureRequest) -> ModuleType:
    """This folder's conftest.py as pytest loaded it: its course builder, command line and limits. (Every
    conftest.py is a module named ``conftest``, so importing it by name could find another one.)"""
    path = HERE / "conftest.py"
    return next(m for m in request.config.pluginmanager.get_plugins()
                if getattr(m, "__file__", None) and Path(m.__file__).resolve() == path)


@dataclass
class Run:
    root: Path
    output: str
    returncode: int
    rows: list[dict[str, str]]


def grade(grading: ModuleType, root: Path, *extra: str, timeout: int = 900) -> Run:
    done = subprocess.run(grading.grade_command(*extra), cwd=root, env=grading.env(), capture_output=True, text=True,
                          timeout=timeout)
    csv_path = root / "autograded" / f"{DAY}-grades.csv"
    rows = []
    if csv_path.is_file():
        with csv_path.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
    return Run(root, done.stdout + done.stderr, done.returncode, rows)


def verdicts(run: Run) -> dict[str, tuple]:
    """Each student's CSV row without the sandbox column, with the course's location taken out."""
    return {row["student"]: tuple(value.replace(str(run.root), "COURSE")
                                  for key, value in row.items() if key != "sandbox")
            for row in run.rows}


@pytest.fixture(scope="module")
def dask_batch(grading: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = grading.make_grading_course(tmp_path_factory.mktemp("grading-dask"), active_fixtures())
    return grade(grading, root, "--scheduler", "local")


def busy_machine_timeouts(ours: Run, theirs: Run) -> set[str]:
    """Students the two runs judged differently only by a timeout in one of them: the machine was too
    busy for the limits. (A difference of any other kind counts.)"""
    parts = [{row["student"]: set(row["reason"].split("; ")) - {""} for row in run.rows} for run in (ours, theirs)]
    return {student for student in parts[0].keys() & parts[1].keys()
            if (differ := parts[0][student] ^ parts[1][student])
            and all(part.startswith("timeout: ") for part in differ)}


def test_a_local_dask_cluster_gives_the_local_workers_verdicts_and_gradebook(graded_batch, dask_batch):
    assert "Dask: a local cluster of 2 single-threaded worker process(es)." in dask_batch.output
    local = Run(graded_batch.root, graded_batch.stdout, graded_batch.returncode, list(graded_batch.rows.values()))
    noise = busy_machine_timeouts(local, dask_batch)
    if noise:
        warnings.warn(f"left out of the comparison, timed out on a busy machine: {sorted(noise)}", stacklevel=2)
    if len(noise) > len(active_fixtures()) // 2:
        pytest.skip("the machine is too busy to compare timings-sensitive runs")
    students = [f.student for f in active_fixtures() if f.student not in noise]
    ours, theirs = verdicts(dask_batch), verdicts(local)
    assert set(ours) == set(theirs) == {f.student for f in active_fixtures()}
    assert {s: ours[s] for s in students} == {s: theirs[s] for s in students}
    assert gradebook_rows(dask_batch.root, students) == gradebook_rows(graded_batch.root, students)
    if not noise:
        assert dask_batch.returncode == graded_batch.returncode == 0, dask_batch.output


def test_the_csv_says_which_worker_ran_each_submission(dask_batch):
    mode = sandbox_mode()
    log = (dask_batch.root / "autograded" / f"{DAY}-grades.log").read_text()
    executed = set(re.findall(rf"INFO (\w+)/{DAY} executed in", log))
    assert len(executed) > len(dask_batch.rows) // 2
    for row in dask_batch.rows:
        if row["student"] in executed:
            assert re.fullmatch(rf"{mode} on tcp://127\.0\.0\.1:\d+ \(.+\)", row["sandbox"]), row
        else:  # nbgrader could not read it, or the tampering was too gross to run
            assert row["sandbox"] == mode, row


def test_a_local_dask_cluster_writes_feedback_for_graded_submissions_only(dask_batch):
    written = {row["student"]: (dask_batch.root / "feedback" / row["student"] / DAY / f"{DAY}.html").is_file()
               for row in dask_batch.rows}
    assert written == {row["student"]: row["status"] == "graded" for row in dask_batch.rows}
    assert any(written.values())


# workers that die ---------------------------------------------------------------------------------
SLOW_SOLUTION = "import time\ntime.sleep(5)\n" + SOLUTION  # within the 8 s cell limit
VICTIM, KILLER = "kim_unlucky", "zed_crasher"
KILL_FIXTURES = [f for f in FIXTURES if f.student in ("alice_full", "bob_blank", "carol_hidden")] + [
    Fixture(VICTIM, "its worker dies once under it", "graded", "", answer(SLOW_SOLUTION)),
    Fixture(KILLER, "every worker running it dies", "failed", "Dask workers died in a row", answer(SLOW_SOLUTION)),
]


def _stop(process: subprocess.Popen) -> None:
    """Stop a process this test started and everything it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


@pytest.fixture
def dask_cluster(grading: ModuleType, tmp_path: Path):
    """A scheduler and two single-threaded workers started with Dask's own commands (as on a real
    cluster), the workers with the killer preload. Yields (address, folder of kill marks)."""
    marks = tmp_path / "kills"
    marks.mkdir()
    scheduler_file = tmp_path / "scheduler.json"
    bin_dir = VENV_BIN
    environ = {**grading.env(), "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0",
               "COURSE_TEST_KILLS": f"{marks}:{VICTIM}:{KILLER}"}
    with (tmp_path / "scheduler.log").open("w") as log:
        scheduler = subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                     env=environ, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=log,
                                     start_new_session=True)
    workers = None
    try:
        deadline = time.monotonic() + 120
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        with (tmp_path / "workers.log").open("w") as log:
            workers = subprocess.Popen([str(bin_dir / "dask"), "worker", "--scheduler-file", str(scheduler_file),
                                        "--nworkers", "2", "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                                        "--preload", str(KILLER_PRELOAD)],
                                       env=environ, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=log,
                                       start_new_session=True)
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, marks
    finally:
        if workers is not None:
            _stop(workers)
        _stop(scheduler)


def test_a_dead_worker_loses_nothing_and_a_notebook_that_kills_workers_fails_alone(grading, tmp_path, dask_cluster):
    address, marks = dask_cluster
    (tmp_path / "course").mkdir()
    root = grading.make_grading_course(tmp_path / "course", KILL_FIXTURES)
    # Roomy time limits: this test is about workers, not timeouts, and kernels start slowly on a busy machine.
    with (root / "nbgrader_config.py").open("a") as config:
        config.write("\nc.Execute.timeout = 60\n")
    run = grade(grading, root, "--scheduler", address, "--timeout", "120", timeout=600)
    assert f"Dask: scheduler {address}, 2 worker(s)." in run.output, run.output
    students = [row["student"] for row in run.rows]
    assert sorted(students) == sorted(f.student for f in KILL_FIXTURES), run.output  # each exactly once
    assert len(re.findall(r"^\[\s*\d+/5\]", run.output, re.M)) == 5, run.output
    rows = {row["student"]: row for row in run.rows}
    for fixture in KILL_FIXTURES:
        row = rows[fixture.student]
        assert (row["status"], fixture.reason in row["reason"]) == (fixture.status, True), (fixture.student, row)
    assert [rows[s]["score"] for s in ("alice_full", "bob_blank", "carol_hidden", VICTIM)] == ["1", "0", "0", "1"]
    assert (rows[KILLER]["reason"].startswith("grader error: ")
            and "2 Dask workers died in a row" in rows[KILLER]["reason"])
    assert len((marks / VICTIM).read_text().split()) == 1  # killed once, then graded on another worker
    assert len((marks / KILLER).read_text().split()) == 2  # two workers in a row, then given up
    assert run.returncode == 1  # a grader error is reported in the exit status


# before anything is graded ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_course(grading: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    fixtures = [f for f in FIXTURES if f.student in ("alice_full", "bob_blank")]
    return grading.make_grading_course(tmp_path_factory.mktemp("grading-small"), fixtures)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_unreachable_scheduler_stops_before_any_submission_is_touched(grading, small_course):
    before = _snapshot(small_course)
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    run = grade(grading, small_course, "--scheduler", address, timeout=120)
    assert run.returncode != 0
    assert f"cannot reach the Dask scheduler at {address}" in run.output and "nothing was graded" in run.output
    assert "Traceback" not in run.output
    assert time.monotonic() - started < 60
    assert _snapshot(small_course) == before
    assert not (small_course / "autograded").exists()


def test_an_address_that_is_no_scheduler_stops_before_any_submission_is_touched(small_course):
    from course.grading.cluster import check_reachable

    with pytest.raises(SystemExit) as stop:
        check_reachable("notanaddress")
    assert str(stop.value) == ("'notanaddress' is not a Dask scheduler address (tcp://HOST:8786) or `local`; "
                               "nothing was graded.")
    # An HTTP server (Dask's dashboard is one port away) accepts the connection but never speaks first.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("course.grading.cluster.CONNECT_SECONDS", 1)
            with pytest.raises(SystemExit) as stop:
                check_reachable(address)
    assert str(stop.value).startswith(f"something listens at {address} but does not answer as a Dask scheduler")


def test_without_scheduler_dask_is_never_imported(grading, small_course, tmp_path):
    code = (
        "import sys\n"
        "from course.__main__ import main\n"
        f"status = main(['grade', {DAY!r}, '--jobs', '1', '--student', 'alice_full', '--no-feedback',\n"
        f"               '--csv', {str(tmp_path / 'grades.csv')!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "print('DASK MODULES:', loaded)\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=small_course, env=grading.env(), capture_output=True,
                          text=True, timeout=600)
    assert "DASK MODULES: []" in done.stdout, done.stdout + done.stderr
    with (tmp_path / "grades.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["student"], r["sandbox"]) for r in rows] == [("alice_full", sandbox_mode())]


# a worker without the course's files --------------------------------------------------------------
def test_a_worker_without_the_course_runs_a_copy_laid_out_like_it(grading, small_course, tmp_path):
    from course.grading.cluster import SLOTS, StagedJob, run_on_worker

    release = nbformat.read(str(small_course / "release" / DAY / f"{DAY}.ipynb"), as_version=4)
    elsewhere = tmp_path / "course-on-the-instructors-machine"  # not on this "worker"
    # Roomy time limits: this test is about where the kernel runs, and kernels start slowly on a busy machine.
    sandbox = choose_sandbox("auto", Limits(notebook_seconds=120, memory_bytes=grading.MEMORY_GIB * GiB,
                                            processes=grading.PROCESSES))
    config = {"Execute": {"timeout": 60}, "NotebookClient": {}}
    reader = next(f for f in FIXTURES if f.student == "frank_reads")
    stages_before = set(Path(tempfile.gettempdir()).glob("course-grade-stage-*"))
    results = {}
    try:
        for student, nb in (("alice_full", answer(SOLUTION)(release)), ("frank_reads", reader.build(release))):
            text = nbformat.writes(nb)
            outdir = elsewhere / "autograded" / student / DAY
            job = ExecutionJob(student, DAY, str(elsewhere), str(outdir), text, config, sandbox)
            results[student] = run_on_worker(StagedJob(job, {f"{DAY}.ipynb": text.encode(), "timestamp.txt": b"2024"}))
    finally:
        SLOTS.release()  # this test process was the "worker"
    assert not elsewhere.exists()  # nothing written where the course would be
    # The copy is gone (another grading run on this machine may come and go meanwhile).
    assert not set(Path(tempfile.gettempdir()).glob("course-grade-stage-*")) - stages_before
    alice = results["alice_full"]
    assert alice.grader_error == "" and not alice.outcome.reports and alice.worker.startswith("process ")
    test_cell = nbformat.reads(alice.notebook_json, as_version=4).cells[4]
    assert not [o for o in test_cell.outputs if o.output_type == "error"]
    frank = results["frank_reads"]
    # The relative path led into the copy's course folder, was refused, and is reported in the course's terms.
    secret = f"{elsewhere}/source/{DAY}/{DAY}.ipynb"
    assert [json.loads(line)["detail"] for line in frank.outcome.reports] == [f"read {secret}"]
    assert secret in frank.notebook_json and "course-grade-stage-" not in frank.notebook_json


# small parts --------------------------------------------------------------------------------------
def test_the_workers_agree_on_the_weakest_sandbox_and_say_which_worker_lacks_bubblewrap():
    from course.grading.cluster import agree_on_sandbox

    good = {"host": "a", "mode": "bubblewrap", "note": "", "error": ""}
    weak = {"host": "b", "mode": "rlimits", "note": "bubblewrap is not installed", "error": ""}
    assert agree_on_sandbox({"tcp://a:1": good, "tcp://a:2": good}, "auto", Limits()).mode == "bubblewrap"
    mixed = agree_on_sandbox({"tcp://a:1": good, "tcp://b:1": weak}, "auto", Limits())
    assert mixed.mode == "rlimits" and "tcp://b:1 (b): bubblewrap is not installed" in mixed.note
    with pytest.raises(SystemExit, match=r"tcp://b:1 \(b\) cannot start it: no bwrap"):
        agree_on_sandbox({"tcp://a:1": good, "tcp://b:1": {**weak, "error": "no bwrap"}}, "bubblewrap", Limits())


def test_a_job_carries_its_folders_files_but_not_links_or_too_much(tmp_path):
    from course.grading.cluster import output_files, run_staged

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "table.csv").write_text("a,b\n")
    (tmp_path / "nb.ipynb").write_text("{}")
    (tmp_path / "gradebook.db").symlink_to("/etc/passwd")
    assert output_files(tmp_path) == {"data/table.csv": b"a,b\n", "nb.ipynb": b"{}"}
    with pytest.raises(ValueError, match="more than the 0 MiB"):
        output_files(tmp_path, limit=3)
    job = ExecutionJob("s", "nb", str(tmp_path / "c"), str(tmp_path / "c" / "autograded" / "s" / "nb"), "{}", {},
                       choose_sandbox("rlimits", Limits()))
    with pytest.raises(ValueError, match="outside the output folder"):
        run_staged(job, {"../../../../etc/cron.d/x": b""}, 0)
