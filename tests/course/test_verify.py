"""`course verify` passes an honest day and fails each kind of broken one, with a readable reason."""

import copy
import subprocess
import sys

import nbformat
from democourse import DAY, demo_notebook, write_day

from course.build import build_day
from course.verify import (
    check_metadata,
    check_release_in_sync,
    check_runs,
    check_tests_can_fail,
    format_report,
    verify,
)


def test_honest_day_passes_all_four_points(demo_course):
    build_day(demo_course, DAY)
    reports = verify(demo_course, [DAY], jobs=1)
    assert [check.ok for check in reports[0].checks] == [True, True, True, True], format_report(reports)
    assert "1 of 1 day(s) pass all four points." in format_report(reports)


def test_a_vacuous_test_makes_verify_fail(demo_course):
    write_day(demo_course, demo_notebook(test_source="assert True  # checks nothing about `doubled`"))
    build_day(demo_course, DAY)
    result = check_tests_can_fail(demo_course, DAY)
    assert result.problems == ["ex1_test passes on the released stub, so it cannot fail"]


def test_the_command_line_exits_non_zero_with_a_report(demo_course):
    write_day(demo_course, demo_notebook(test_source="assert True"))
    build_day(demo_course, DAY)
    done = subprocess.run([sys.executable, "-m", "course", "verify", "--jobs", "1"], cwd=demo_course,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "ex1_test passes on the released stub, so it cannot fail" in done.stdout
    assert "0 of 1 day(s) pass all four points." in done.stdout


def test_a_test_that_fails_on_the_solution_is_reported(demo_course):
    write_day(demo_course, demo_notebook(test_source="assert doubled == [1, 2, 3], 'not doubled'"))
    result, seconds = check_runs(demo_course, DAY)
    assert result.problems == ["ex1_test fails on the solution: AssertionError: not doubled"]
    assert seconds > 0


def test_a_stale_release_is_reported(demo_course):
    build_day(demo_course, DAY)
    nb = demo_notebook()
    nb.cells[0].source = "# Demo day, edited after the build"
    write_day(demo_course, nb)
    problems = check_release_in_sync(demo_course, DAY).problems
    assert problems == [f"release/{DAY} differs from a fresh build ({DAY}.ipynb differs); "
                        f"run `python -m course build {DAY}`"]


def test_a_missing_release_is_reported(demo_course):
    assert check_release_in_sync(demo_course, DAY).problems == [
        f"release/{DAY} is missing; run `python -m course build {DAY}`"
    ]
    assert "is missing" in check_tests_can_fail(demo_course, DAY).problems[0]


def test_a_leaked_solution_line_is_reported(demo_course):
    build_day(demo_course, DAY)
    released = demo_course / "release" / DAY / f"{DAY}.ipynb"
    released.write_text(released.read_text().replace("# YOUR CODE HERE", "doubled = [2 * n for n in numbers]"))
    problems = check_release_in_sync(demo_course, DAY).problems
    assert (f"release/{DAY}/{DAY}.ipynb reveals solution or hidden-test line "
            "`doubled = [2 * n for n in numbers]`") in problems


def test_metadata_lint_reports_each_problem(demo_course):
    nb = demo_notebook()
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi")]
    nb.cells[1].execution_count = 1
    test_cell = nb.cells[4]
    test_cell.metadata.nbgrader["points"] = 0
    test_cell.metadata.nbgrader["locked"] = False
    test_cell.source = "print('done')"
    duplicate = copy.deepcopy(nb.cells[2])
    duplicate["id"] = "dup"
    nb.cells.append(duplicate)
    extra_answer = copy.deepcopy(nb.cells[3])
    extra_answer["id"] = "extra"
    extra_answer.metadata.nbgrader["grade_id"] = "ex2_answer"
    nb.cells.append(extra_answer)
    write_day(demo_course, nb)
    assert check_metadata(demo_course, DAY).problems == [
        "cell 1 has committed outputs; clear them before committing",
        "ex1_test is graded but has no points",
        "ex1_test is a test cell but not locked (read-only)",
        "ex1_test checks nothing (no assert or check_ call)",
        "grade_id ex1_task is used by cells 2 and 5",
        "answer ex2_answer has no test cell after it",
    ]


def test_build_is_deterministic(demo_course, tmp_path):
    first = build_day(demo_course, DAY, release_dir=tmp_path / "a") / f"{DAY}.ipynb"
    second = build_day(demo_course, DAY, release_dir=tmp_path / "b") / f"{DAY}.ipynb"
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert "raise NotImplementedError()" in text
