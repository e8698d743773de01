"""What nbgrader and the grader notice about a submission becomes its reason, never a silent zero."""

from __future__ import annotations

import copy
import datetime
import logging

import nbformat
from democourse import demo_notebook

from course.grading.gradebook import ExpectedCell, ExpectedNotebook
from course.grading.notices import WarningLog, duration, extra_notebooks, late_note, nbgrader_notes, timestamp_problem
from course.grading.pipeline import GradingCourseDirectory

STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def expected() -> dict[str, ExpectedNotebook]:
    cells = {"ex1_answer": ExpectedCell("ex1_answer", "code", False, False, True, False, None, (STUB,)),
             "ex1_test": ExpectedCell("ex1_test", "code", True, True, False, False, 1.0, ("check()",))}
    return {"day01_demo": ExpectedNotebook("day01_demo", cells, ["ex1_answer", "ex1_test"])}


def release() -> nbformat.NotebookNode:
    nb = demo_notebook()
    nb.cells[3].source = STUB
    return nb


def test_nbgraders_warnings_become_notes_and_housekeeping_stays_in_the_log():
    messages = ["Removing existing assignment: /c/autograded/s/day", "Skipping unknown notebook: /c/x-Copy1.ipynb",
                "Attribute 'checksum' for cell ex1_test has changed! (should be: a, got: b)",
                "No submitted file: /c/submitted/s/day/p2.ipynb",
                "Cell output is ['1', '2'], which is a list. For autograder tests, expecting output",
                "SubmittedAssignment<day for s> is 7200.0 seconds late", "Late submission penalty: 3.0"]
    notes = nbgrader_notes(messages)
    assert notes[0] == ("missing notebook", "p2.ipynb was not submitted; nbgrader scored its tests 0")
    assert notes[1][0] == "nbgrader" and notes[1][1].startswith("Cell output is ['1', '2'], which is a list")
    assert len(notes) == 2


def test_the_warning_log_keeps_warnings_only():
    log = logging.getLogger("tests.notices")
    handler = WarningLog()
    log.addHandler(handler)
    log.warning("Skipping unknown notebook: %s", "a.ipynb")
    log.info("Converting notebook")
    log.error("No notebooks found")
    log.removeHandler(handler)
    assert handler.messages == ["Skipping unknown notebook: a.ipynb"]


def test_a_copy_holding_the_answers_needs_a_look_and_a_scratch_notebook_is_a_note(tmp_path):
    nbformat.write(release(), str(tmp_path / "day01_demo.ipynb"))
    work = release()
    work.cells[3].source = "doubled = [2 * n for n in numbers]"
    nbformat.write(work, str(tmp_path / "day01_demo-Copy1.ipynb"))
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]),
                   str(tmp_path / "Untitled.ipynb"))
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "broken.ipynb").write_text("{not json")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    nbformat.write(work, str(tmp_path / ".ipynb_checkpoints" / "day01_demo-checkpoint.ipynb"))
    failures, notes = extra_notebooks(tmp_path, expected())
    assert failures == [("extra notebook", "day01_demo-Copy1.ipynb holds answers (ex1_answer) that nbgrader does "
                                           "not grade: it grades only the notebooks the assignment names; "
                                           "look at both")]
    assert [n[1].split(" ")[0] for n in notes] == ["Untitled.ipynb", "drafts/broken.ipynb"]
    assert "cannot be read" in notes[1][1] and "holds no answers" in notes[0][1]


def test_an_untouched_copy_is_only_a_note(tmp_path):
    nbformat.write(release(), str(tmp_path / "day01_demo.ipynb"))
    nbformat.write(copy.deepcopy(release()), str(tmp_path / "day01_demo-Copy1.ipynb"))
    failures, notes = extra_notebooks(tmp_path, expected())
    assert failures == [] and len(notes) == 1


def test_an_unusable_timestamp_names_its_real_cause(tmp_path):
    folder = tmp_path / "submitted" / "s" / "day"
    folder.mkdir(parents=True)
    coursedir = GradingCourseDirectory(root=str(tmp_path))
    for text, cause in [("next tuesday-ish", "'next tuesday-ish', which is not a date and time"),
                        ("", "timestamp.txt is empty")]:
        (folder / "timestamp.txt").write_text(text)
        coursedir.timestamp_problem = ""
        assert coursedir.get_existing_timestamp(str(folder)) is None
        assert cause in coursedir.timestamp_problem
    (folder / "timestamp.txt").write_bytes(b"\xff\xfe\x00")
    coursedir.timestamp_problem = ""
    assert coursedir.get_existing_timestamp(str(folder)) is None
    assert "cannot be read (UnicodeDecodeError)" in coursedir.timestamp_problem
    (folder / "timestamp.txt").write_text("2024-05-01 10:00:00.000000 UTC")
    assert coursedir.get_existing_timestamp(str(folder)).year == 2024


def test_lateness_and_timestamp_reasons():
    assert (duration(35) == "35 s" and duration(3 * 3600 + 12 * 60) == "3 h 12 min"
            and duration(2 * 86400 + 7200) == "2 d 2 h")
    assert late_note(7200, 11.0) == ("late", "submitted 2 h 0 min after the due date; late-submission penalty 11 "
                                             "point(s): score = raw_score - penalty")
    assert "no late-submission penalty" in late_note(60, 0.0)[1]
    due = datetime.datetime(2024, 5, 2)
    assert timestamp_problem("timestamp.txt is empty", due) == (
        "timestamp", "timestamp.txt is empty; graded as on time, but whether it came before the due date "
                     "(2024-05-02 00:00) is unknown")
    assert timestamp_problem("timestamp.txt is empty", None)[1].endswith("(the assignment has no due date)")


def test_answers_are_recognised_by_nbgraders_checksum_when_the_gradebook_has_one(tmp_path):
    from nbgrader import utils

    stub_cell = release().cells[3]
    stub_cell.metadata.nbgrader["checksum"] = utils.compute_checksum(stub_cell)
    notebooks = expected()
    old = notebooks["day01_demo"].cells["ex1_answer"]
    # The gradebook's checksum decides, even where the released text was another stub.
    notebooks["day01_demo"].cells["ex1_answer"] = ExpectedCell(**{**old.__dict__, "released": ("pass",),
                                                                  "checksum": utils.compute_checksum(stub_cell)})
    nbformat.write(release(), str(tmp_path / "day01_demo copy.ipynb"))
    assert extra_notebooks(tmp_path, notebooks)[0] == []
    worked = release()
    worked.cells[3].source = "doubled = [2, 4, 6]"
    nbformat.write(worked, str(tmp_path / "day01_demo copy.ipynb"))
    assert extra_notebooks(tmp_path, notebooks)[0][0][1].startswith("day01_demo copy.ipynb holds answers (ex1_answer)")
