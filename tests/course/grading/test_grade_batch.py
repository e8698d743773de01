"""The grading command on one batch holding every status and reason, graded once per session.

Honest students (full marks, blank, hidden-test failure) sit in the same batch as submissions that
loop forever, kill their kernel, read the solutions, tamper with tests or patch the checkers.
"""

from __future__ import annotations

import html
import re

import matplotlib.image
import nbformat
import pytest
from democourse import DAY
from grading_fixtures import COMPARED, HONEST, SERIAL_STUDENTS, active_fixtures, sandbox_mode

from course.grading.gradebook import snapshot
from course.markers import secret_lines

pytestmark = pytest.mark.grading


def gradebook_rows(root, students):
    """Everything nbgrader's gradebook holds about these students' submissions of the demo day."""
    return snapshot(root, DAY, students)


@pytest.mark.parametrize("fixture", active_fixtures(), ids=lambda f: f.student)
def test_every_submission_gets_its_honest_status(graded_batch, fixture):
    row = graded_batch.rows[fixture.student]
    assert row["status"] == fixture.status, f"{fixture.student} ({fixture.story}): {row['reason']}"
    assert fixture.reason in row["reason"], f"{fixture.student} ({fixture.story}): {row['reason']}"
    if fixture.status == "graded" and not fixture.reason:
        assert row["reason"] == ""


def test_honest_students_keep_their_grades(graded_batch):
    rows = graded_batch.rows
    assert (rows["alice_full"]["score"], rows["alice_full"]["ex1_test"]) == ("1", "1")
    assert (rows["bob_blank"]["score"], rows["bob_blank"]["ex1_test"]) == ("0", "0")
    assert rows["carol_hidden"]["score"] == "0"


def test_gradebook_is_what_serial_nbgrader_autograde_gives(graded_batch):
    ours = gradebook_rows(graded_batch.root, COMPARED)
    serial = gradebook_rows(graded_batch.serial_root, COMPARED)
    assert set(ours) == set(COMPARED)
    assert ours == serial


def test_a_late_penalty_shows_raw_score_penalty_and_score(graded_batch):
    row = graded_batch.rows["lucy_late"]
    assert (row["raw_score"], row["late_submission_penalty"], row["score"], row["ex1_test"]) == ("1", "1", "0", "1")
    on_time = graded_batch.rows["alice_full"]
    assert (on_time["raw_score"], on_time["late_submission_penalty"], on_time["score"]) == ("1", "0", "1")


def test_work_nbgrader_never_saw_is_never_a_silent_zero(graded_batch):
    kate = graded_batch.rows["kate_copy"]
    assert kate["score"] == "" and "day01_demo-Copy1.ipynb" in kate["reason"]
    assert "extra notebook" in graded_batch.stdout and "timestamp" in graded_batch.stdout


def test_a_trick_that_fools_nbgrader_earns_nothing_here(graded_batch):
    serial = gradebook_rows(graded_batch.serial_root, SERIAL_STUDENTS)["peggy_swallow"]
    ours = gradebook_rows(graded_batch.root, ["peggy_swallow"])["peggy_swallow"]
    assert ("grade", "ex1_test", 1.0, None, None, False) in serial  # plain nbgrader gives full marks
    assert ("grade", "ex1_test", None, None, None, True) in ours
    assert ("notebook", DAY, True) in ours


def test_failed_and_flagged_never_look_like_plain_zeros(graded_batch):
    unhappy = [f.student for f in active_fixtures() if f.status != "graded"]
    rows = gradebook_rows(graded_batch.root, unhappy)
    for student in unhappy:
        assert graded_batch.rows[student]["score"] == "", student
        assert graded_batch.rows[student]["ex1_test"] == "", student
        for entry in rows.get(student, []):  # a folder without a notebook has no gradebook entry at all
            if entry[0] == "grade":
                assert entry[2] is None and entry[5] is True, (student, entry)
    flagged = [f.student for f in active_fixtures() if f.status == "flagged"]
    assert all(("notebook", DAY, True) in rows[s] for s in flagged)


def test_csv_has_the_promised_columns_and_records_the_sandbox(graded_batch):
    assert graded_batch.columns == ["student", "assignment", "raw_score", "late_submission_penalty", "score",
                                    "max_score", "status", "reason", "ex1_test", "sandbox"]
    assert {row["sandbox"] for row in graded_batch.rows.values()} == {sandbox_mode()}
    assert {row["max_score"] for row in graded_batch.rows.values()} == {"1"}
    assert len(graded_batch.rows) == len(active_fixtures())


def test_console_shows_mode_progress_eta_and_summary(graded_batch):
    out = graded_batch.stdout
    assert f"Sandbox: {sandbox_mode()}" in out
    assert re.search(rf"\[\s*{len(active_fixtures())}/{len(active_fixtures())}\].*ETA 0:00", out)
    assert "graded," in out and "failed," in out and "flagged" in out
    assert graded_batch.returncode == 0, out


def test_score_plot_is_written(graded_batch):
    image = matplotlib.image.imread(graded_batch.root / "autograded" / f"{DAY}-grades.png")
    assert image.shape[0] > 100 and image.shape[1] > 100


def test_feedback_keeps_tracebacks_but_no_hidden_tests_or_solutions(graded_batch):
    source = nbformat.read(str(graded_batch.root / "source" / DAY / f"{DAY}.ipynb"), as_version=4)
    hidden = "assert doubled == [n * 2 for n in numbers]"
    for student in HONEST:
        html = (graded_batch.root / "feedback" / student / DAY / f"{DAY}.html").read_text()
        assert hidden not in html and "HIDDEN TESTS" not in html
        if student != "alice_full":  # alice wrote the solution herself
            assert not [line for line in secret_lines(source) if line in html]
    carol = (graded_batch.root / "feedback" / "carol_hidden" / DAY / f"{DAY}.html").read_text()
    assert "AssertionError" in carol and "Traceback" in carol and "hidden test line" in carol
    assert not (graded_batch.root / "feedback" / "peggy_swallow").exists()


def test_feedback_shows_a_failing_checker_as_the_line_and_the_message_only(graded_batch):
    page = (graded_batch.root / "feedback" / "dan_wrong" / DAY / f"{DAY}.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"(?is)<(style|script)\b.*?</\1>", "", page)))
    assert "----> 3 check_equal(doubled, [2, 4, 6], name='doubled')" in text
    assert "AssertionError: `doubled` is [1, 2, 3], expected [2, 4, 6]." in text
    assert "Traceback" not in text and "helpers/checks" not in text and "_fail" not in text


def test_sandboxed_code_left_no_link_behind(graded_batch):
    folder = graded_batch.root / "autograded" / "xena_link" / DAY
    assert not any(p.is_symlink() for p in folder.rglob("*"))
