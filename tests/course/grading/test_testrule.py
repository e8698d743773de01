"""The rule that a test cell's points depend on whether it raised, as nbgrader's Validator applies it
with the course's nbgrader_config.py (the Validate button, ``nbgrader validate``)."""

from __future__ import annotations

import nbformat
from democourse import demo_notebook, meta, write_day
from nbgrader import utils
from nbgrader.validator import Validator

from course.grading.testrule import stderr_is_not_a_failure
from course.layout import load_config

CHATTY_TEST = ("import logging, sys\n"
               "logging.basicConfig(stream=sys.stderr, level=logging.INFO, force=True)\n"
               "logging.info('checking doubled')\n"
               "assert doubled == [2, 4, 6]\n"
               "print('Exercise 1 passed.')")


def test_validate_passes_a_correct_answer_whose_test_writes_to_stderr(demo_course):
    path = write_day(demo_course, demo_notebook(CHATTY_TEST))
    result = Validator(config=load_config(demo_course)).validate(str(path))
    assert "failed" not in result, result


def test_validate_still_fails_a_test_that_raises(demo_course):
    nb = demo_notebook(CHATTY_TEST)
    nb.cells[3].source = "doubled = [2, 4, 5]"
    path = write_day(demo_course, nb)
    result = Validator(config=load_config(demo_course)).validate(str(path))
    assert len(result.get("failed", [])) == 1
    assert "AssertionError" in result["failed"][0]["error"]
    assert nbformat.read(str(path), as_version=4).cells[4].source == CHATTY_TEST


def test_stderr_of_a_test_cell_is_output_and_only_errors_count():
    test = meta("t", grade=True, locked=True, points=2)
    chatty = nbformat.v4.new_code_cell("train()", metadata=test)
    chatty.outputs = [nbformat.v4.new_output("stream", name="stderr", text="100%|##########| 3/3\n"),
                      nbformat.v4.new_output("stream", name="stdout", text="Exercise 5 passed.\n")]
    failing = nbformat.v4.new_code_cell("check()", metadata=meta("u", grade=True, locked=True, points=1))
    failing.outputs = [nbformat.v4.new_output("stream", name="stderr", text="INFO starting\n"),
                       nbformat.v4.new_output("error", ename="AssertionError", evalue="wrong", traceback=[])]
    answer = nbformat.v4.new_code_cell("x = 1")
    answer.outputs = [nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n")]
    nb = nbformat.v4.new_notebook(cells=[chatty, failing, answer])
    assert [utils.determine_grade(c)[0] for c in nb.cells[:2]] == [0, 0]  # nbgrader's own rule
    stderr_is_not_a_failure(nb)
    assert [utils.determine_grade(c)[0] for c in nb.cells[:2]] == [2, 0]
    assert chatty.outputs[0].text == "100%|##########| 3/3\n"  # the text stays readable
    assert answer.outputs[0].name == "stderr"  # only test cells change
