"""nbgrader_config.py carries the settings a real course depends on."""

from pathlib import Path

import nbformat
from nbgrader import utils

from course.grading.testrule import stderr_is_not_a_failure
from course.layout import load_config

REPO = Path(__file__).resolve().parents[1]


def config():
    return load_config(REPO)


def test_course_id_and_root_follow_the_file():
    c = config()
    assert c.CourseDirectory.course_id == "dlwp"
    assert Path(c.CourseDirectory.root) == REPO


def test_cell_timeout_fits_cpu_training():
    c = config()
    assert 60 <= c.Execute.timeout <= 600
    assert c.Execute.interrupt_on_timeout is True


def test_deleted_test_cells_are_restored():
    assert config().OverwriteCells.add_missing_cells is True


def test_a_test_cells_points_depend_on_whether_it_raised():
    hook = config().Execute.on_notebook_complete
    assert hook is stderr_is_not_a_failure
    nb = nbformat.v4.new_notebook()
    test = {"nbgrader": {"grade": True, "grade_id": "t", "locked": True, "points": 2, "solution": False,
                         "schema_version": 3}}
    chatty = nbformat.v4.new_code_cell("train()", metadata=test)
    chatty.outputs = [nbformat.v4.new_output("stream", name="stderr", text="100%|##########| 3/3\n"),
                      nbformat.v4.new_output("stream", name="stdout", text="Exercise 5 passed.\n")]
    failing = nbformat.v4.new_code_cell("check()", metadata={"nbgrader": {**test["nbgrader"], "grade_id": "u"}})
    failing.outputs = [nbformat.v4.new_output("stream", name="stderr", text="INFO starting\n"),
                       nbformat.v4.new_output("error", ename="AssertionError", evalue="wrong", traceback=[])]
    answer = nbformat.v4.new_code_cell("x = 1")
    answer.outputs = [nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n")]
    nb.cells = [chatty, failing, answer]
    assert [utils.determine_grade(c)[0] for c in nb.cells[:2]] == [0, 0]  # nbgrader's own rule
    hook(notebook=nb)
    assert [utils.determine_grade(c)[0] for c in nb.cells[:2]] == [2, 0]
    assert chatty.outputs[0].text == "100%|##########| 3/3\n"  # the text stays readable
    assert answer.outputs[0].name == "stderr"  # only test cells change


def test_feedback_hides_hidden_tests():
    assert "nbgrader.preprocessors.ClearHiddenTests" in config().GenerateFeedback.preprocessors


def test_exchange_root_is_configurable(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXCHANGE", "/srv/hub/exchange")
    assert config().Exchange.root == "/srv/hub/exchange"
    monkeypatch.delenv("NBGRADER_EXCHANGE")
    assert config().Exchange.root == "/srv/nbgrader/exchange"
