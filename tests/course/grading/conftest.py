"""Graded batches, once per test session, each through the command line (``python -m course grade``)
and, for the comparison, by serial ``nbgrader autograde``:

- ``graded_batch``: the demo course and every fixture submission (one per status and reason);
- ``honest_batch``: four real days and the honest-but-unusual submissions of honest_fixtures.py.
"""

from __future__ import annotations

import csv
import logging
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from democourse import DAY, REPO, make_demo_course
from grading_fixtures import DUE, PENALTY, SERIAL_STUDENTS, active_fixtures, env, set_duedate, write_submissions
from honest_fixtures import DAYS, HONEST, solved
from honest_fixtures import DUE as HONEST_DUE

from course.grading.gradebook import add_assignment
from course.layout import load_config
from course.venv_path import ensure_alembic_on_path

# A notebook limit with room for a machine busy with other test runs; steve_slow sleeps past it, cell by cell.
CELL_TIMEOUT, NOTEBOOK_TIMEOUT, MEMORY_GIB, PROCESSES = 8, 24, 3, 64


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "grading: tests of the sandboxed grader (the batch one takes about a minute)")


def make_grading_course(root: Path, fixtures: list) -> Path:
    """The demo course with the day in the gradebook (as nbgrader generate_assignment leaves it) and
    the fixture submissions in submitted/."""
    ensure_alembic_on_path()
    make_demo_course(root)
    with (root / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.Execute.timeout = {CELL_TIMEOUT}\nc.LateSubmissionPlugin.penalty_method = {PENALTY!r}\n")
    add_assignment(load_config(root), DAY, root / "release", logging.getLogger("tests.grading"))
    set_duedate(root, DAY, DUE)
    release = nbformat.read(str(root / "release" / DAY / f"{DAY}.ipynb"), as_version=4)
    write_submissions(root, DAY, release, fixtures)
    return root


def grade_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "course", "grade", DAY, "--jobs", "2", "--timeout", str(NOTEBOOK_TIMEOUT),
            "--memory", str(MEMORY_GIB), "--processes", str(PROCESSES), *extra]


@dataclass
class Batch:
    """The graded batch: where it lives, what the command printed, the CSV rows, the serial twin."""

    root: Path
    serial_root: Path
    stdout: str
    returncode: int
    rows: dict[str, dict[str, str]]
    columns: list[str]


@pytest.fixture(scope="session")
def graded_batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    root = make_grading_course(tmp_path_factory.mktemp("grading-course"), active_fixtures())
    serial_root = tmp_path_factory.mktemp("grading-serial")
    shutil.copytree(root, serial_root, symlinks=True, dirs_exist_ok=True)
    for folder in (serial_root / "submitted").iterdir():
        if folder.name not in SERIAL_STUDENTS:
            shutil.rmtree(folder)
    done = subprocess.run(grade_command(), cwd=root, env=env(), capture_output=True, text=True, timeout=600)
    subprocess.run(["nbgrader", "autograde", DAY], cwd=serial_root, env=env(), capture_output=True, text=True,
                   timeout=600, check=True)
    csv_path = root / "autograded" / f"{DAY}-grades.csv"
    assert csv_path.is_file(), done.stdout + done.stderr
    with csv_path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        rows = {row["student"]: row for row in reader}
        columns = list(reader.fieldnames or [])
    return Batch(root, serial_root, done.stdout + done.stderr, done.returncode, rows, columns)


@dataclass
class HonestBatch:
    """The real days graded by the command line (``root``) and by serial nbgrader (``serial_root``)."""

    root: Path
    serial_root: Path
    stdout: dict[str, str]
    rows: dict[str, dict[str, str]]


def make_honest_course(root: Path) -> Path:
    """A course with four real days in the gradebook and the honest-but-unusual submissions."""
    ensure_alembic_on_path()
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    log = logging.getLogger("tests.grading")
    for day in DAYS:
        shutil.copytree(REPO / "source" / day, root / "source" / day)
        add_assignment(load_config(root), day, root / "release", log)
    set_duedate(root, "day01_tensors", HONEST_DUE)
    for fixture in HONEST:
        source = nbformat.read(str(root / "source" / fixture.day / f"{fixture.day}.ipynb"), as_version=4)
        release = nbformat.read(str(root / "release" / fixture.day / f"{fixture.day}.ipynb"), as_version=4)
        nb = solved(source, release)
        files = fixture.change(nb) or {}
        folder = root / "submitted" / fixture.student / fixture.day
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{fixture.day}.ipynb"))
        (folder / "timestamp.txt").write_text(fixture.timestamp)
        for name, content in files.items():
            (folder / name).write_bytes(content)
    return root


@pytest.fixture(scope="session")
def honest_batch(tmp_path_factory: pytest.TempPathFactory) -> HonestBatch:
    root = make_honest_course(tmp_path_factory.mktemp("honest-course"))
    serial_root = tmp_path_factory.mktemp("honest-serial")
    shutil.copytree(root, serial_root, symlinks=True, dirs_exist_ok=True)
    stdout, rows = {}, {}
    for day in DAYS:
        done = subprocess.run([sys.executable, "-m", "course", "grade", day, "--jobs", "2"], cwd=root, env=env(),
                              capture_output=True, text=True, timeout=900)
        stdout[day] = done.stdout + done.stderr
        csv_path = root / "autograded" / f"{day}-grades.csv"
        assert csv_path.is_file(), stdout[day]
        with csv_path.open(newline="") as handle:
            rows.update({row["student"]: row for row in csv.DictReader(handle)})
        subprocess.run(["nbgrader", "autograde", day], cwd=serial_root, env=env(), capture_output=True, text=True,
                       timeout=900, check=True)
    return HonestBatch(root, serial_root, stdout, rows)
