"""Which lines count as secret: solution and hidden-test lines not shown anywhere else."""

import nbformat

from course.notebooks import marked_lines, secret_lines, split_secret_lines, without_solution_markers

TEST_CELL = """fig = make_plot(answer)
plt.close(fig)
### BEGIN HIDDEN TESTS
fig = make_plot(other_answer)
plt.close(fig)
### END HIDDEN TESTS"""


def test_lines_split_by_region():
    secret, public = split_secret_lines(TEST_CELL)
    assert secret == ["fig = make_plot(other_answer)", "plt.close(fig)"]
    assert public == ["fig = make_plot(answer)", "plt.close(fig)"]


def test_a_line_shown_in_the_visible_part_is_not_secret():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(TEST_CELL),
                nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = compute(42)\n### END SOLUTION")]
    assert secret_lines(nb) == {"fig = make_plot(other_answer)", "answer = compute(42)"}


def test_marked_lines_and_solved_answer():
    answer = "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
    assert marked_lines(answer, "### BEGIN SOLUTION", "### END SOLUTION") == ["    return 2 * x"]
    assert without_solution_markers(answer) == "def f(x):\n    return 2 * x"
