"""Tampering visible before a notebook runs: cells against the gradebook, and the static code scan."""

from __future__ import annotations

import copy

import nbformat
import pytest
from democourse import demo_notebook

from course.grading.codescan import inherited_names
from course.grading.gradebook import ExpectedCell, ExpectedNotebook
from course.grading.tamper import check_cells, check_code, inspect_submission

VISIBLE_TEST = "from helpers.checks import check_equal\n\ncheck_equal(doubled, [2, 4, 6], name='doubled')"


def released() -> nbformat.NotebookNode:
    """The demo day as students receive it (solution stubbed, hidden tests removed)."""
    nb = demo_notebook()
    nb.cells[3].source = "# YOUR CODE HERE\nraise NotImplementedError()"
    nb.cells[4].source = VISIBLE_TEST
    return nb


def expected() -> ExpectedNotebook:
    cells = {
        "ex1_task": ExpectedCell("ex1_task", "markdown", True, False, False, False, None,
                                 ("**Exercise 1 - Double.** Define `doubled`.",)),
        "ex1_answer": ExpectedCell("ex1_answer", "code", False, False, True, False, None, ()),
        "ex1_test": ExpectedCell("ex1_test", "code", True, True, False, False, 1.0, (VISIBLE_TEST,)),
    }
    notebook = ExpectedNotebook("day01_demo", cells, ["ex1_task", "ex1_answer", "ex1_test"],
                                {"numbers = [1, 2, 3]", VISIBLE_TEST},
                                inherited_names([VISIBLE_TEST], ["numbers = [1, 2, 3]"]))
    return notebook


def with_answer(code: str) -> nbformat.NotebookNode:
    nb = released()
    nb.cells[3].source = code
    return nb


def test_honest_submissions_have_no_findings():
    assert inspect_submission(released(), expected()) == []
    assert inspect_submission(with_answer("doubled = [2 * n for n in numbers]"), expected()) == []


@pytest.mark.parametrize("change, finding", [
    (lambda nb: setattr(nb.cells[4], "source", "pass"), "edited test cell ex1_test"),
    (lambda nb: nb.cells.pop(4), "deleted test cell ex1_test"),
    (lambda nb: nb.cells.append(copy.deepcopy(nb.cells[4])), "duplicated test cell ex1_test (2 copies)"),
    (lambda nb: nb.cells[4].metadata.nbgrader.update(grade_id="ex9_test"), "re-pointed cell: grade_id ex9_test"),
    (lambda nb: nb.cells[3].metadata.nbgrader.update(grade_id="ex1_test"), "duplicated test cell ex1_test"),
    (lambda nb: nb.cells[4].metadata.nbgrader.update(points=3), "changed metadata of ex1_test: points 1 -> 3"),
    (lambda nb: nb.cells[4].metadata.nbgrader.update(locked=False),
     "changed metadata of ex1_test: locked True -> False"),
    (lambda nb: setattr(nb.cells[2], "source", "Do whatever."), "edited locked cell ex1_task"),
    (lambda nb: nb.cells.insert(3, nb.cells.pop(4)), "moved cells"),
    (lambda nb: nb.cells[1].metadata.update(nbgrader={"grade": True, "points": 5}),
     "marked for grading without a grade_id"),
])
def test_structural_tampering_is_named(change, finding):
    nb = released()
    change(nb)
    findings = check_cells(nb, expected())
    assert any(finding in f for f in findings), findings


def test_the_static_scan_ignores_instructor_code_and_locked_cells():
    nb = released()
    nb.cells[4].source = "import helpers.checks\nhelpers.checks.check_equal = print"  # restored by nbgrader
    assert check_code(nb, expected()) == []


def test_the_static_scan_reports_patching_in_answer_cells_with_their_place():
    nb = with_answer("import helpers.checks\nhelpers.checks.check_equal = print\ndoubled = []")
    assert check_code(nb, expected()) == ["patching in ex1_answer: assigns helpers.checks.check_equal"]
    nb = with_answer("from IPython import display\ndisplay.clear_output(wait=True)\ndoubled = [2, 4, 6]")
    assert check_code(nb, expected()) == []


def test_an_untouched_release_whose_author_left_test_cells_unlocked_is_not_flagged():
    notebook = expected()
    test = notebook.cells["ex1_test"]
    given = {"grade": True, "solution": False, "locked": False, "task": False, "points": 1}
    notebook.cells["ex1_test"] = ExpectedCell(**{**test.__dict__, "released_meta": given})
    nb = released()
    nb.cells[4].metadata.nbgrader["locked"] = False  # as the author released it; the gradebook says locked
    assert check_cells(nb, notebook) == []
    nb.cells[4].metadata.nbgrader["points"] = 3
    assert check_cells(nb, notebook) == ["changed metadata of ex1_test: points 1 -> 3"]
    nb.cells[4].metadata.nbgrader.update(points=1, locked=True)
    assert check_cells(nb, notebook) == ["changed metadata of ex1_test: locked False -> True"]


def test_edited_cells_make_one_finding_and_a_source_notebook_is_recognised():
    nb = with_answer("import helpers.checks\nhelpers.checks.check_equal = print\ndoubled = []")
    nb.cells[4].source = (VISIBLE_TEST + "\n### BEGIN HIDDEN TESTS\ncheck_equal(doubled, [2, 4, 6])\n"
                          "### END HIDDEN TESTS")
    nb.cells[2].source = "Do whatever."
    assert inspect_submission(nb, expected()) == [
        "patching in ex1_answer: assigns helpers.checks.check_equal",  # first: it matters most
        "edited locked cell ex1_task",
        "edited test cell ex1_test",
        "the edited cells hold the hidden tests: the instructor's source notebook, not the release?",
    ]
