"""nbgrader's own autograde scenarios, graded by ``python -m course grade`` and by plain ``nbgrader autograde``.

The notebooks are the ones nbgrader's test suite uses (tests/apps/files/ of the installed nbgrader
package, read at test time) and the scenarios are those of its test_nbgrader_autograde.py: unchanged
and changed submissions, cheat attempts on showtraceback, late submissions with the "zero" penalty,
empty and invalid timestamps, an extra copy of a notebook, a release with unlocked test cells and
hidden tests submitted untouched, side effects, the NBGRADER_VALIDATING variable, a missing notebook
and autotests (simple, multi, hashed, hidden). Wherever nbgrader's result is right the two gradebooks
must be identical; where nbgrader is fooled or gives up, the grader says why.
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
import nbgrader
import pytest
from grading_fixtures import env, set_duedate
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory

from course.grading.gradebook import add_assignment, snapshot
from course.layout import load_config
from course.venv_path import ensure_alembic_on_path

pytestmark = pytest.mark.grading

FILES = Path(nbgrader.__file__).parent / "tests" / "apps" / "files"
DUE = "2015-02-02 14:58:23.948203 America/Los_Angeles"
ON_TIME, LATE = DUE, "2015-02-02 15:58:23.948203 America/Los_Angeles"
INVALID = "But I want to be a timestamp string :("

SOURCES = {
    "ps1": {"p1": "submitted-unchanged.ipynb"},
    "ps2": {"p1": "test-hidden-tests.ipynb", "p2": "side-effects.ipynb", "p3": "validating-environment-variable.ipynb"},
    "ps3": {"simple": "autotest-simple.ipynb", "multi": "autotest-multi.ipynb", "hashed": "autotest-hashed.ipynb",
            "hidden": "autotest-hidden.ipynb"},
}
RELEASED = "release"  # the submitted file is the generated release, byte for byte
# Hashed autotests get a random salt each time an assignment is generated, so nbgrader's prepared
# submissions carry another release's test cells: the answers are put into this release instead.
ANSWERS = "answers from "
# assignment -> student -> (files: submitted name -> nbgrader test file or RELEASED, timestamp.txt or None)
SUBMISSIONS = {
    "ps1": {
        "foo": ({"p1.ipynb": "submitted-unchanged.ipynb"}, ON_TIME),
        "bar": ({"p1.ipynb": "submitted-changed.ipynb"}, LATE),
        "spam": ({"p1.ipynb": "submitted-cheat-attempt.ipynb"}, ON_TIME),
        "eggs": ({"p1.ipynb": "submitted-cheat-attempt-alternative.ipynb"}, ON_TIME),
        "baz": ({"p1.ipynb": "submitted-changed.ipynb", "p1 copy.ipynb": "submitted-unchanged.ipynb"}, ON_TIME),
        "qux": ({"p1.ipynb": "submitted-changed.ipynb"}, INVALID),
        "quux": ({"p1.ipynb": "submitted-unchanged.ipynb"}, ""),
    },
    "ps2": {
        "foo": ({"p1.ipynb": RELEASED, "p2.ipynb": RELEASED, "p3.ipynb": RELEASED}, None),
        "bar": ({"p1.ipynb": RELEASED}, None),
    },
    "ps3": {
        "foo": ({"simple.ipynb": "autotest-simple-unchanged.ipynb", "multi.ipynb": "autotest-multi-unchanged.ipynb",
                 "hashed.ipynb": ANSWERS + "autotest-hashed-unchanged.ipynb",
                 "hidden.ipynb": "autotest-hidden-unchanged.ipynb"},
                None),
        "bar": ({"simple.ipynb": "autotest-simple-changed.ipynb", "multi.ipynb": "autotest-multi-changed.ipynb",
                 "hashed.ipynb": ANSWERS + "autotest-hashed-changed.ipynb",
                 "hidden.ipynb": "autotest-hidden-changed-wrong.ipynb"},
                None),
        "baz": ({"simple.ipynb": "autotest-simple-unchanged.ipynb", "multi.ipynb": "autotest-multi-unchanged.ipynb",
                 "hashed.ipynb": ANSWERS + "autotest-hashed-unchanged.ipynb",
                 "hidden.ipynb": "autotest-hidden-changed-right.ipynb"},
                None),
    },
}
# Where nbgrader's own result is wrong or missing: it is fooled by nothing here, but it gives a
# cheat attempt points, and it stops on an invalid timestamp.
NOT_COMPARED = {("ps1", "spam"), ("ps1", "eggs"), ("ps1", "qux")}


@dataclass
class Scenarios:
    root: Path
    serial_root: Path
    rows: dict[tuple[str, str], dict[str, str]]
    stdout: str


def make_scenario_course(root: Path) -> None:
    ensure_alembic_on_path()
    shutil.copy(Path(__file__).resolve().parents[3] / "nbgrader_config.py", root / "nbgrader_config.py")
    with (root / "nbgrader_config.py").open("a") as config:
        config.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')  # as the late-penalty scenario
    shutil.copy(FILES / "autotests.yml", root / "autotests.yml")
    for assignment, notebooks in SOURCES.items():
        for name, file in notebooks.items():
            (root / "source" / assignment).mkdir(parents=True, exist_ok=True)
            shutil.copy(FILES / file, root / "source" / assignment / f"{name}.ipynb")
        config = load_config(root)
        if assignment == "ps2":  # the hidden-tests scenario releases with this stub
            config.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
        add_assignment(config, assignment, root / "release", logging.getLogger("tests.grading"))
    set_duedate(root, "ps1", DUE)
    for assignment, students in SUBMISSIONS.items():
        for student, (files, timestamp) in students.items():
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True)
            for name, file in files.items():
                if file.startswith(ANSWERS):
                    nbformat.write(with_answers(root / "release" / assignment / name, FILES / file[len(ANSWERS):]),
                                   str(folder / name))
                    continue
                origin = root / "release" / assignment / name if file == RELEASED else FILES / file
                shutil.copy(origin, folder / name)
            if timestamp is not None:
                (folder / "timestamp.txt").write_text(timestamp)


def with_answers(release: Path, answered: Path) -> nbformat.NotebookNode:
    """The released notebook with the answer cells of ``answered``."""
    nb, theirs = nbformat.read(str(release), as_version=4), nbformat.read(str(answered), as_version=4)
    answers = {c.metadata.nbgrader["grade_id"]: c.source for c in theirs.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Scenarios:
    if not FILES.is_dir():
        pytest.skip("this nbgrader installation has no test files")
    root = tmp_path_factory.mktemp("nbgrader-scenarios")
    make_scenario_course(root)
    serial_root = tmp_path_factory.mktemp("nbgrader-scenarios-serial")
    shutil.copytree(root, serial_root, symlinks=True, dirs_exist_ok=True)
    rows, stdout = {}, ""
    for assignment in SOURCES:
        done = subprocess.run([sys.executable, "-m", "course", "grade", assignment, "--jobs", "2"], cwd=root,
                              env=env(), capture_output=True, text=True, timeout=900)
        stdout += done.stdout + done.stderr
        with (root / "autograded" / f"{assignment}-grades.csv").open(newline="") as handle:
            rows.update({(assignment, row["student"]): row for row in csv.DictReader(handle)})
        # nbgrader stops with an error status on the invalid timestamp, after grading everyone else.
        subprocess.run(["nbgrader", "autograde", assignment], cwd=serial_root, env=env(), capture_output=True,
                       text=True, timeout=900)
    return Scenarios(root, serial_root, rows, stdout)


def notebook_scores(root: Path, assignment: str, student: str) -> dict[str, float]:
    coursedir = CourseDirectory(config=load_config(root))
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        return {nb.name: nb.score for nb in gb.find_submission(assignment, student).notebooks}


@pytest.mark.parametrize("assignment", list(SOURCES))
def test_gradebooks_match_plain_nbgrader_wherever_it_is_right(scenarios, assignment):
    students = [s for s in SUBMISSIONS[assignment] if (assignment, s) not in NOT_COMPARED]
    ours = snapshot(scenarios.root, assignment, students)
    serial = snapshot(scenarios.serial_root, assignment, students)
    assert set(ours) == set(students), scenarios.stdout
    assert ours == serial
    for student in students:
        assert scenarios.rows[(assignment, student)]["status"] == "graded", scenarios.rows[(assignment, student)]


def test_the_scores_are_those_nbgraders_tests_expect(scenarios):
    root = scenarios.root
    assert notebook_scores(root, "ps1", "foo") == {"p1": 1.0}
    assert notebook_scores(root, "ps1", "bar") == {"p1": 2.0}
    assert notebook_scores(root, "ps2", "foo")["p1"] == 1.5  # an untouched release, hidden tests fail
    assert notebook_scores(root, "ps3", "foo") == {"simple": 0.0, "multi": 0.0, "hashed": 0.0, "hidden": 0.0}
    assert notebook_scores(root, "ps3", "bar") == {"simple": 1.0, "multi": 3.0, "hashed": 1.0, "hidden": 0.0}
    assert notebook_scores(root, "ps3", "baz")["hidden"] == 1.0


def test_an_untouched_release_with_unlocked_test_cells_is_not_tampering(scenarios):
    row = scenarios.rows[("ps2", "foo")]
    assert row["status"] == "graded" and row["reason"] == "", row
    assert (scenarios.root / "autograded" / "foo" / "ps2" / "side-effect.txt").is_file()
    assert not (scenarios.root / "submitted" / "foo" / "ps2" / "side-effect.txt").exists()


def test_what_nbgrader_only_logs_reaches_the_reason(scenarios):
    rows = scenarios.rows
    late = rows[("ps1", "bar")]
    assert (late["raw_score"], late["late_submission_penalty"], late["score"]) == ("2", "2", "0")
    assert "late: submitted 1 h 0 min after the due date" in late["reason"]
    assert "extra notebook: p1 copy.ipynb is not part of the assignment" in rows[("ps1", "baz")]["reason"]
    assert "timestamp: timestamp.txt is empty" in rows[("ps1", "quux")]["reason"]
    assert "missing notebook: p2.ipynb was not submitted" in rows[("ps2", "bar")]["reason"]
    qux = rows[("ps1", "qux")]
    assert qux["status"] == "graded" and "timestamp.txt holds 'But I want to be a timestamp" in qux["reason"]


def test_cheat_attempts_are_flagged_not_scored(scenarios):
    for student in ("spam", "eggs"):
        row = scenarios.rows[("ps1", student)]
        assert row["status"] == "flagged" and "error reporting" in row["reason"] and row["score"] == "", row
