"""Statuses from execution outcomes, the console output, the CSV, the plot and the feedback scrubber."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import matplotlib.image
import nbformat
from democourse import meta

from course.grading.feedback import HideHiddenTestLines, feedback_preprocessors, hidden_lines, scrub_traceback_entry
from course.grading.plot import exercise_shares, plot_distribution
from course.grading.records import ExecutionResult, Limits, Outcome
from course.grading.report import Progress, summary_table, write_csv
from course.grading.status import FAILED, FLAGGED, GRADED, SubmissionResult, execution_failures
from course.layout import load_config

REPO = Path(__file__).resolve().parents[3]

HIDDEN_TEST = ("from helpers.checks import check_equal\ncheck_equal(doubled, [2, 4, 6], name='doubled')\n"
               "### BEGIN HIDDEN TESTS\nassert doubled == [n * 2 for n in numbers]\n### END HIDDEN TESTS")
IPYTHON_TRACEBACK = ("\x1b[0;31mAssertionError\x1b[0m                            Traceback (most recent call last)\n"
                     "Cell \x1b[0;32mIn[3], line 4\x1b[0m\n"
                     "\x1b[1;32m      2\x1b[0m check_equal(doubled, [\x1b[38;5;241m2\x1b[39m], "
                     "name\x1b[38;5;241m=\x1b[39m\x1b[38;5;124m'\x1b[39m\x1b[38;5;124mdoubled\x1b[39m"
                     "\x1b[38;5;124m'\x1b[39m)\n"
                     "\x1b[1;32m      3\x1b[0m \x1b[38;5;66;03m### BEGIN HIDDEN TESTS\x1b[39;00m\n"
                     "\x1b[0;32m----> 4\x1b[0m \x1b[38;5;28;01massert\x1b[39;00m doubled "
                     "\x1b[38;5;241m==\x1b[39m [n \x1b[38;5;241m*\x1b[39m \x1b[38;5;241m2\x1b[39m "
                     "\x1b[38;5;28;01mfor\x1b[39;00m n \x1b[38;5;129;01min\x1b[39;00m numbers]\n"
                     "\x1b[1;32m      5\x1b[0m \x1b[38;5;66;03m### END HIDDEN TESTS\x1b[39;00m\n")


def executed_cell(outputs):
    cell = nbformat.v4.new_code_cell(HIDDEN_TEST, metadata=meta("ex1_test", grade=True, locked=True, points=1))
    cell.outputs = [nbformat.v4.new_output("error", **o) for o in outputs]
    return cell


def test_hidden_lines_are_replaced_in_tracebacks_but_the_error_stays():
    secret = hidden_lines(HIDDEN_TEST)
    scrubbed = scrub_traceback_entry(IPYTHON_TRACEBACK, secret)
    assert "assert" not in scrubbed and "HIDDEN" not in scrubbed and "numbers" not in scrubbed
    assert "AssertionError" in scrubbed and "check_equal(doubled" in scrubbed
    assert scrubbed.count("(hidden test line)") == 3


def test_feedback_preprocessor_scrubs_graded_cells_only():
    nb = nbformat.v4.new_notebook()
    nb.cells = [executed_cell([{"ename": "AssertionError", "evalue": "", "traceback": [IPYTHON_TRACEBACK]}])]
    nb, _ = HideHiddenTestLines().preprocess(nb, {})
    assert "assert doubled" not in "".join(nb.cells[0].outputs[0].traceback)
    assert nb.cells[0].source == HIDDEN_TEST  # ClearHiddenTests, which runs next, removes it from the source


def test_feedback_preprocessors_put_the_scrubber_before_clear_hidden_tests():
    configured = ["nbgrader.preprocessors.GetGrades", "nbgrader.preprocessors.ClearHiddenTests", "x.CSS"]
    order = feedback_preprocessors(configured)
    assert order[2] is HideHiddenTestLines and order[3] == configured[1]  # after InertContent and GetGrades
    assert "nbgrader.preprocessors.ClearHiddenTests" in feedback_preprocessors(["a.GetGrades"])


def test_the_course_config_scrubs_plain_nbgrader_feedback_too():
    configured = list(load_config(REPO).GenerateFeedback.preprocessors)
    scrubber = configured.index("course.grading.feedback.HideHiddenTestLines")
    assert scrubber < configured.index("nbgrader.preprocessors.ClearHiddenTests")
    assert feedback_preprocessors(configured) == configured


def test_outcomes_become_the_promised_reasons():
    limits = Limits(notebook_seconds=9)
    cases = [
        (Outcome(timed_out=True, last_cell="ex2_test"), "timeout", "ran longer than 9 s"),
        (Outcome(cell_timeout="timed out", last_cell="ex1_answer"), "timeout", "did not stop when interrupted"),
        (Outcome(died="the kernel died", last_cell="ex1_answer", exit_status=-9), "kernel died", "SIGKILL"),
        (Outcome(died="the kernel died", last_cell="cell 3", exit_status=3), "kernel died", "exit status 3"),
        (Outcome(start_error="RuntimeError: no"), "grader error", "did not start"),
        (Outcome(reports=[json.dumps({"kind": "network", "detail": "socket.connect"})]),
         "sandbox violation", "network"),
        (Outcome(reports=["junk"]), "sandbox violation", "garbage"),
    ]
    for outcome, kind, words in cases:
        found = execution_failures(ExecutionResult("s", "day", None, outcome), None, limits, 30)
        assert any(k == kind and words in d for k, d in found), (outcome, found)


def test_resource_limits_and_cell_timeouts_are_read_from_outputs():
    nb = nbformat.v4.new_notebook()
    nb.cells = [executed_cell([{"ename": "MemoryError", "evalue": "", "traceback": []}]),
                executed_cell([{"ename": "BlockingIOError", "evalue": "[Errno 11] Resource temporarily unavailable",
                                "traceback": []}]),
                executed_cell([{"ename": "CellTimeoutError", "evalue": "", "traceback": []}])]
    found = execution_failures(ExecutionResult("s", "day", "{}", Outcome(last_cell="end")), nb, Limits(), 30)
    kinds = [(k, d.split(" (")[0].split(" ran")[0]) for k, d in found]
    assert kinds == [("resource limit", "memory"), ("resource limit", "processes"), ("timeout", "ex1_test")]


def results():
    graded = SubmissionResult("ann", "day", score=2.0, max_score=3.0, points={"ex1_test": 2.0, "ex2_test": 0.0})
    full = SubmissionResult("ben", "day", score=3.0, max_score=3.0, points={"ex1_test": 2.0, "ex2_test": 1.0})
    failed = SubmissionResult("cat", "day", failures=[("timeout", "loops")], max_score=3.0, points={"ex1_test": 0.0})
    flagged = SubmissionResult("dan", "day", tampering=["edited test cell ex1_test"], max_score=3.0)
    return [graded, full, failed, flagged]


def test_status_and_reason():
    graded, _, failed, flagged = results()
    assert (graded.status, graded.reason) == (GRADED, "")
    assert (failed.status, failed.reason) == (FAILED, "timeout: loops")
    assert (flagged.status, flagged.reason) == (FLAGGED, "tampering: edited test cell ex1_test")


def test_csv_never_writes_a_zero_for_failed_or_flagged(tmp_path):
    path = write_csv(tmp_path / "grades.csv", results(), ["ex1_test", "ex2_test"], "bubblewrap")
    rows = list(csv.DictReader(path.open()))
    assert [r["student"] for r in rows] == ["ann", "ben", "cat", "dan"]
    assert rows[0] == {"student": "ann", "assignment": "day", "raw_score": "2", "late_submission_penalty": "0",
                       "score": "2", "max_score": "3", "status": "graded", "reason": "", "ex1_test": "2",
                       "ex2_test": "0", "sandbox": "bubblewrap"}
    for row in rows[2:]:
        assert row["score"] == row["raw_score"] == row["ex1_test"] == "" and row["max_score"] == "3"


def test_a_late_penalty_reads_as_nbgrader_export_shows_it(tmp_path):
    late = SubmissionResult("eve", "day", score=0.0, raw_score=3.0, penalty=3.0, max_score=3.0,
                            points={"ex1_test": 2.0, "ex2_test": 1.0},
                            notes=[("late", "submitted 2 h 0 min after the due date; "
                                            "late-submission penalty 3 point(s)")])
    row = next(csv.DictReader(write_csv(tmp_path / "g.csv", [late], ["ex1_test", "ex2_test"], "rlimits").open()))
    assert (row["raw_score"], row["late_submission_penalty"], row["score"]) == ("3", "3", "0")
    assert float(row["ex1_test"]) + float(row["ex2_test"]) == float(row["raw_score"])
    assert row["status"] == "graded" and row["reason"].startswith("late: submitted 2 h 0 min after the due date")


def test_summary_and_progress_lines():
    table = summary_table(results(), "bubblewrap: ...", 75)
    assert "4 submission(s): 2 graded, 1 failed, 1 flagged in 1:15." in table
    assert "Mean of graded submissions: 2.50/3." in table and "Sandbox: bubblewrap" in table
    out = io.StringIO()
    progress = Progress(4, out)
    for result in results():
        progress.update(result)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/4] ann") and "ETA" in lines[0] and lines[-1].endswith("ETA 0:00")
    assert "timeout" in lines[2] and "tampering" in lines[3]


def test_regrading_some_students_keeps_the_other_rows_of_the_csv(tmp_path):
    path = write_csv(tmp_path / "grades.csv", results(), ["ex1_test", "ex2_test"], "bubblewrap")
    before = {row["student"]: row for row in csv.DictReader(path.open(newline=""))}
    regraded = SubmissionResult("cat", "day", score=3.0, max_score=3.0, points={"ex1_test": 2.0, "ex2_test": 1.0})
    write_csv(path, [regraded], ["ex1_test", "ex2_test"], "rlimits", keep_others=True)
    after = {row["student"]: row for row in csv.DictReader(path.open(newline=""))}
    assert list(after) == ["ann", "ben", "cat", "dan"]
    assert (after["cat"]["status"], after["cat"]["score"], after["cat"]["sandbox"]) == ("graded", "3", "rlimits")
    assert all(after[s] == before[s] for s in ("ann", "ben", "dan"))
    write_csv(path, [regraded], ["ex1_test"], "rlimits", keep_others=True)  # other columns: a new table
    assert [row["student"] for row in csv.DictReader(path.open(newline=""))] == ["cat"]


def test_names_a_student_chose_cannot_forge_or_erase_terminal_lines(tmp_path):
    forger = "z\x1b]0;pwn\x07\ncarol    graded      11/11"
    hostile = SubmissionResult(forger, "day", failures=[("extra notebook", "x\x1b[2J\rFAKE.ipynb holds answers")],
                               max_score=3.0)
    out = io.StringIO()
    Progress(1, out).update(hostile)
    table = summary_table([hostile], "bubblewrap: ...", 5)
    for printed in (out.getvalue(), table):
        assert "\x1b" not in printed and "\r" not in printed and "\x07" not in printed
        assert not any(line.startswith("carol") for line in printed.splitlines())
    assert "z\\x1b]0;pwn\\x07\\ncarol" in table and "x\\x1b[2J\\rFAKE.ipynb" in table
    rows = list(csv.DictReader(write_csv(tmp_path / "g.csv", [hostile], [], "bubblewrap").open(newline="")))
    assert rows[0]["student"] == forger  # the CSV keeps the id itself


def test_plot_counts_graded_submissions_per_exercise(tmp_path):
    shares = exercise_shares(results(), ["ex1_test", "ex2_test"], {"ex1_test": 2.0, "ex2_test": 1.0})
    assert shares["ex1_test"] == {"full marks": 2, "partial": 0, "zero": 0}
    assert shares["ex2_test"] == {"full marks": 1, "partial": 0, "zero": 1}
    path = tmp_path / "scores.png"
    plot_distribution(path, results(), ["ex1_test", "ex2_test"], {"ex1_test": 2.0, "ex2_test": 1.0}, "day")
    assert matplotlib.image.imread(path).shape[2] in (3, 4)
