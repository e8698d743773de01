"""Every alternative answer in tests/answers/ (and in the folders named by COURSE_ANSWERS) behaves as
its entry says: a correct one passes the visible and the hidden tests, a wrong one fails the visible
tests with its hint. See course/answers.py for the file format and how the answers are run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course.answers import (
    ANSWERS_DIR,
    AnswerFileError,
    AnswerSuite,
    answer_files,
    answer_folders,
    env_folders,
    load_answer_file,
)
from course.layout import find_root, list_days, notebook_path
from course.notebooks import nbgrader_meta, read_notebook

ROOT = find_root(Path(__file__).parent)
FOLDERS = answer_folders(ROOT, env_folders())
FILES = answer_files(FOLDERS)


def _load_all() -> tuple[list, dict[Path, str]]:
    answers, broken = [], {}
    for path in FILES:
        try:
            answers += load_answer_file(path, list_days(ROOT))
        except AnswerFileError as err:
            broken[path] = str(err)
    return answers, broken


ANSWERS, BROKEN = _load_all()


def _case_id(answer) -> str:
    folder = Path(answer.source).parent
    where = "" if folder == ROOT / "tests" / "answers" else f"[{folder.name}]"
    return answer.id + where


@pytest.fixture(scope="module")
def suite():
    running = AnswerSuite(ROOT, ANSWERS, jobs=min(2, os.cpu_count() or 1))
    yield running
    running.close()


@pytest.mark.parametrize("day", list_days(ROOT))
def test_every_exercise_has_two_correct_and_two_wrong_answers(day):
    nb = read_notebook(notebook_path(ROOT, "source", day))
    exercises = [nbgrader_meta(c)["grade_id"] for c in nb.cells if nbgrader_meta(c).get("solution")]
    own = [a for a in ANSWERS if a.day == day and Path(a.source).parent == ROOT / ANSWERS_DIR]
    thin = [f"{g}: {sum(a.kind == 'correct' for a in own if a.grade_id == g)} correct, "
            f"{sum(a.kind == 'wrong' for a in own if a.grade_id == g)} wrong" for g in exercises
            if sum(a.kind == "correct" for a in own if a.grade_id == g) < 2
            or sum(a.kind == "wrong" for a in own if a.grade_id == g) < 2]
    assert not thin, f"{ANSWERS_DIR / (day + '.py')} needs at least two of each per exercise: " + "; ".join(thin)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_answer_file_is_well_formed(path):
    assert path not in BROKEN, BROKEN.get(path)


@pytest.mark.parametrize("day", sorted({a.day for a in ANSWERS}))
def test_reference_solution_runs(suite, day):
    assert not suite.day_run(day).errors, "\n".join(suite.day_run(day).errors)


@pytest.mark.parametrize("answer", ANSWERS, ids=_case_id)
def test_answer(suite, answer):
    problems = suite.outcome(answer).problems
    kind = "correct answer" if answer.kind == "correct" else "classic mistake"
    assert not problems, f"{kind} {answer.label!r} of {answer.grade_id} ({answer.source}):\n" + "\n".join(problems)
