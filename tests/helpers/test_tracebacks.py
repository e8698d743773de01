"""A checker's failure in a notebook: the notebook's line, the message and the hint, still an error."""

from __future__ import annotations

import logging

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.utils import determine_grade

from course.grading.feedback import PLACEHOLDER, scrub_traceback_entry
from course.notebooks import ANSI
from helpers import tracebacks

HIDDEN_LINE = "check_equal(doubled, [n * 2 for n in [1, 2, 3]], name='doubled')"
CELLS = [
    "from helpers.checks import check_equal",
    ("doubled = [1, 2, 3]\ncheck_equal(doubled, [2, 4, 6], name='doubled',\n"
     "            hints={'values': 'multiply each number by 2.'})"),
    "def check_twice(value):\n    check_equal(value, [2, 4, 6], name='doubled')\n\ncheck_twice(doubled)",
    "def mine():\n    assert doubled == [2, 4, 6], 'my own assert'\n\nmine()",
    "1 / 0",
    "from helpers.tracebacks import install, installed\ninstall(); print(installed(get_ipython()))",
    HIDDEN_LINE,
]


@pytest.fixture(scope="module")
def outputs():
    """The outputs of each cell, run in a real kernel as JupyterLab and nbgrader run them."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    for cell in nb.cells[1:5]:
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 1, "solution": False,
                                     "locked": True, "schema_version": 3, "task": False}
    NotebookClient(nb, allow_errors=True, timeout=60, kernel_name="python3").execute()
    return nb.cells


def error_of(cell) -> tuple[str, str]:
    (error,) = [o for o in cell.outputs if o.output_type == "error"]
    return error.ename, ANSI.sub("", "\n".join(error.traceback))


def test_a_checker_failure_shows_the_line_the_message_and_the_hint_only(outputs):
    ename, text = error_of(outputs[1])
    assert ename == "AssertionError"
    assert text == ("Cell In[2], line 2\n"
                    "----> 2 check_equal(doubled, [2, 4, 6], name='doubled',\n\n"
                    "AssertionError: `doubled` is [1, 2, 3], expected [2, 4, 6].\n"
                    "Hint: multiply each number by 2.")


def test_a_checker_called_from_a_function_in_the_notebook_shows_both_lines(outputs):
    _, text = error_of(outputs[2])
    assert text.splitlines() == ["Cell In[3], line 4", "----> 4 check_twice(doubled)", "",
                                 "Cell In[3], line 2, in check_twice",
                                 "----> 2 check_equal(value, [2, 4, 6], name='doubled')", "",
                                 "AssertionError: `doubled` is [1, 2, 3], expected [2, 4, 6]."]


def test_other_errors_keep_ipythons_full_traceback(outputs):
    for cell, ename in ((outputs[3], "AssertionError"), (outputs[4], "ZeroDivisionError")):
        name, text = error_of(cell)
        assert name == ename and "Traceback (most recent call last)" in text


def test_nbgrader_still_grades_every_failing_cell_as_failed(outputs):
    log = logging.getLogger("test")
    assert [determine_grade(cell, log)[0] for cell in outputs[1:5]] == [0, 0, 0, 0]


def test_install_is_idempotent_in_a_kernel_and_a_no_op_outside_one(outputs):
    assert outputs[5].outputs[0].text == "True\n"
    assert tracebacks.install() is False  # pytest runs outside IPython


def test_feedback_hides_a_hidden_test_line_quoted_in_the_short_report(outputs):
    (error,) = [o for o in outputs[6].outputs if o.output_type == "error"]
    scrubbed = ANSI.sub("", "\n".join(scrub_traceback_entry(entry, {HIDDEN_LINE}) for entry in error.traceback))
    assert HIDDEN_LINE not in scrubbed
    assert f"----> 1 {PLACEHOLDER}" in scrubbed and "AssertionError: `doubled` is [1, 2, 3]" in scrubbed
