"""The instructor's round trip through a real nbgrader exchange, with two students on one machine.

release_assignment -> fetch_assignment (x2) -> submit (x2) -> collect -> python -m course grade
-> generate_feedback --force -> release_feedback -> fetch_feedback (x2), each step the real command line, in
the order the README's instructor section gives them. Alice solves Day 01, Bob hands in the untouched
release. Each student has their own HOME with ~/.jupyter/nbgrader_config.py, as on a shared server.
"""

from __future__ import annotations

import csv
import html
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

COURSE_ID = "dlwp"
DAY = "day01_tensors"
STUDENTS = ("alice", "bob")
SCORE_LINE = re.compile(rf"{DAY} \(Score: ([\d.]+) / ([\d.]+)\)")


def html_text(path: Path) -> str:
    """The visible text of an HTML page (styles, scripts and tags removed, entities decoded)."""
    raw = re.sub(r"(?is)<(style|script)\b.*?</\1>", "", path.read_text(encoding="utf-8"))
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def student_config(exchange: Path, student: str) -> str:
    """A student's ~/.jupyter/nbgrader_config.py on a machine shared with other students."""
    return (
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.student_id = {student!r}\n"
    )


@pytest.fixture
def classroom(tmp_path, course_copy, env_for):
    """A scratch course, an empty exchange every user can write to, and a home folder per student."""
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    course = course_copy(tmp_path / "course")
    instructor_env = env_for(tmp_path / "instructor", NBGRADER_EXCHANGE=str(exchange))
    homes, student_envs = {}, {}
    for student in STUDENTS:
        home = tmp_path / "home" / student
        student_envs[student] = env_for(home)
        (home / ".jupyter" / "nbgrader_config.py").write_text(student_config(exchange, student))
        homes[student] = home
    return course, exchange, instructor_env, homes, student_envs


def test_release_collect_grade_and_feedback_reach_each_student(classroom, day01, run, artifacts):
    course, exchange, instructor_env, homes, student_envs = classroom
    log = artifacts / "exchange-roundtrip.log"
    log.write_text("")

    def instructor(*args: str, timeout: float = 120):
        return run(list(args), cwd=course, env=instructor_env, timeout=timeout, log=log)

    def student(name: str, *args: str):
        return run(["nbgrader", *args], cwd=homes[name], env=student_envs[name], log=log)

    # Instructor: publish the committed release of Day 01.
    released = (course / "release" / DAY / f"{DAY}.ipynb").read_bytes()
    instructor("nbgrader", "release_assignment", DAY)
    assert (exchange / COURSE_ID / "outbound" / DAY / f"{DAY}.ipynb").read_bytes() == released

    # Students: fetch; Alice solves every exercise, Bob submits the release untouched.
    for name in STUDENTS:
        student(name, "fetch_assignment", DAY)
        fetched = homes[name] / DAY / f"{DAY}.ipynb"
        assert fetched.read_bytes() == released, f"{name} did not get the released notebook"
    alice_nb = homes["alice"] / DAY / f"{DAY}.ipynb"
    nbformat.write(day01.solve(nbformat.read(str(alice_nb), as_version=4)), str(alice_nb))
    for name in STUDENTS:
        student(name, "submit", DAY)

    # Instructor: collect (all students are one Unix user here), grade, generate and release feedback.
    instructor("nbgrader", "collect", DAY, "--CollectApp.check_owner=False")
    for name in STUDENTS:
        assert (course / "submitted" / name / DAY / f"{DAY}.ipynb").is_file(), f"{name}'s submission was not collected"
    grade = instructor(sys.executable, "-m", "course", "grade", DAY, timeout=240)
    grades_csv = course / "autograded" / f"{DAY}-grades.csv"  # the grading command's default
    instructor("nbgrader", "generate_feedback", DAY, "--force")  # rewritten from the gradebook, as after manual grading
    instructor("nbgrader", "release_feedback", DAY)

    # Scores in the gradebook: full marks for Alice, nothing for Bob.
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        scores = {name: gradebook.find_submission(DAY, name).score for name in STUDENTS}
    assert scores == {"alice": day01.max_score, "bob": 0.0}, grade.stdout

    # The grading command's CSV: one row per student with an honest status.
    rows = {row["student"]: row for row in csv.DictReader(grades_csv.open(encoding="utf-8"))}
    assert set(rows) == set(STUDENTS), rows
    assert float(rows["alice"]["score"]) == day01.max_score
    assert float(rows["bob"]["score"]) == 0.0
    assert rows["alice"]["status"] == "graded" and rows["bob"]["status"] == "graded", rows

    # Students: each fetches feedback, which is theirs and shows no hidden test.
    hidden = day01.hidden_lines()
    for name in STUDENTS:
        student(name, "fetch_feedback", DAY)
        pages = sorted((homes[name] / DAY / "feedback").glob(f"*/{DAY}.html"))
        assert len(pages) == 1, f"{name} fetched {len(pages)} feedback pages"
        text = html_text(pages[0])
        score = SCORE_LINE.search(text)
        assert score, f"no score line in {name}'s feedback"
        assert (float(score[1]), float(score[2])) == (scores[name], day01.max_score), name
        markers = [m for m in ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS") if m in text]
        assert not markers, f"{name}'s feedback shows hidden-test markers {markers}"
        leaked = sorted(line for line in hidden if line in text)
        assert not leaked, f"{name}'s feedback shows hidden-test lines: {leaked}"
    alice_text = html_text(next((homes["alice"] / DAY / "feedback").glob(f"*/{DAY}.html")))
    bob_text = html_text(next((homes["bob"] / DAY / "feedback").glob(f"*/{DAY}.html")))
    adjusted = day01.exercise_defining("adjusted").solved.splitlines()[-1].strip()
    assert adjusted in alice_text and adjusted not in bob_text, "feedback went to the wrong student"
    stub_error = re.compile(r"NotImplementedError\s+Traceback")
    assert stub_error.search(bob_text) and not stub_error.search(alice_text), "feedback went to the wrong student"
