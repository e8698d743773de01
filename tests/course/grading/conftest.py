"""One graded batch per test session: the demo course, every fixture submission, graded once by the
command line (``python -m course grade``) and, for the comparison, the honest ones by serial
``nbgrader autograde``."""

from __future__ import annotations

import csv
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from democourse import DAY, make_demo_course
from grading_fixtures import SERIAL_STUDENTS, active_fixtures, write_submissions

from course.grading.gradebook import add_assignment, ensure_alembic_on_path
from course.layout import load_config

VENV_BIN = str(Path(sys.executable).parent)
CELL_TIMEOUT, NOTEBOOK_TIMEOUT, MEMORY_GIB, PROCESSES = 8, 16, 3, 64


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "grading: tests of the sandboxed grader (the batch one takes about a minute)")


def env() -> dict[str, str]:
    """nbgrader calls ``alembic`` by name: the environment's bin/ goes first on PATH."""
    return {**os.environ, "PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", "")}


def make_grading_course(root: Path, fixtures: list) -> Path:
    """The demo course with the day in the gradebook (as nbgrader generate_assignment leaves it) and
    the fixture submissions in submitted/."""
    ensure_alembic_on_path()
    make_demo_course(root)
    with (root / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
    add_assignment(load_config(root), DAY, root / "release", logging.getLogger("tests.grading"))
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
    shutil.copytree(root, serial_root, dirs_exist_ok=True)
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
