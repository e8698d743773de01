"""One reader of solution and hidden-test regions, with nbgrader's own rule (course.markers).

Each case below is one where the course's earlier readers disagreed (a stripped-prefix match, a
substring match that counted the markers); the expected answer is what nbgrader's ClearSolutions
and ClearHiddenTests do with the same cell.
"""

import nbformat
import pytest
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
from traitlets.config import Config

from course.markers import (
    HIDDEN_TESTS,
    SOLUTION,
    MarkerError,
    all_delimiters,
    classify,
    hidden_test_delimiters,
    marked_lines,
    region_lines,
    secret_lines,
    solution_delimiters,
    split_secret_lines,
    without_solution_markers,
)

TEST_CELL = """fig = make_plot(answer)
plt.close(fig)
### BEGIN HIDDEN TESTS
fig = make_plot(other_answer)
plt.close(fig)
### END HIDDEN TESTS"""


def nbgrader_kept(source: str, config: Config | None = None) -> list[str]:
    """The lines nbgrader itself keeps of a cell: ClearSolutions (stub removed) then ClearHiddenTests."""
    # Not marked as an answer cell, so nbgrader replaces only the regions, never the whole cell.
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    stub = "__STUB__"
    config = Config(config or {})
    config.ClearSolutions.code_stub = {"python": stub}
    config.ClearSolutions.enforce_metadata = config.ClearHiddenTests.enforce_metadata = False
    nb, _ = ClearSolutions(config=config).preprocess(nb, {})
    nb, _ = ClearHiddenTests(config=config).preprocess(nb, {})
    return [line for line in nb.cells[0].source.split("\n") if line.strip() != stub]


def public_lines(source: str, config: Config | None = None) -> list[str]:
    return [line for line, role in classify(source, all_delimiters(config)) if role == "public"]


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
    assert marked_lines(answer, SOLUTION) == ["    return 2 * x"]
    assert without_solution_markers(answer) == "def f(x):\n    return 2 * x"


# Cells on which the earlier readers gave different answers. Each maps to the lines inside a region.
DISAGREEMENTS = {
    # indentation and trailing spaces: every reader saw these, kept here as the baseline
    "indented": ("def f():\n    ### BEGIN SOLUTION   \n    return 1\n    ### END SOLUTION\t", ["    return 1"]),
    # one '#': the stripped-prefix reader ("### BEGIN SOLUTION") missed it, nbgrader does not
    "one hash": ("# BEGIN SOLUTION\nx = 1\n# END SOLUTION", ["x = 1"]),
    # a marker after code on the same line: nbgrader matches the text anywhere in the line
    "after code": ("y = 0  ### BEGIN SOLUTION\nx = 1\n### END SOLUTION", ["x = 1"]),
    # case matters to nbgrader: lower case is an ordinary comment
    "lower case": ("### begin solution\nx = 1\n### end solution", []),
    # a stray end marker outside any region: a marker line, nothing inside
    "stray end": ("x = 1\n### END SOLUTION", []),
}


@pytest.mark.parametrize("name", sorted(DISAGREEMENTS))
def test_regions_are_found_as_nbgrader_finds_them(name):
    source, inside = DISAGREEMENTS[name]
    assert marked_lines(source, SOLUTION) == inside
    assert public_lines(source) == nbgrader_kept(source)


def test_hidden_test_markers_with_any_comment_style_and_their_lines_for_tracebacks():
    source = "assert a\n  #BEGIN HIDDEN TESTS  \nassert b\n  # END HIDDEN TESTS"
    assert marked_lines(source, HIDDEN_TESTS) == ["assert b"]
    assert region_lines(source, HIDDEN_TESTS) == {"#BEGIN HIDDEN TESTS", "assert b", "# END HIDDEN TESTS"}
    assert public_lines(source) == nbgrader_kept(source) == ["assert a"]


@pytest.mark.parametrize("source, message", [
    ("### BEGIN SOLUTION\nx = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION", "inside an open solution region"),
    ("### BEGIN SOLUTION\nx = 1", "solution region has no `END SOLUTION`"),
    ("### BEGIN HIDDEN TESTS\nassert x", "hidden tests region has no `END HIDDEN TESTS`"),
])
def test_nested_or_unterminated_regions_are_refused_like_nbgrader_refuses_them(source, message):
    with pytest.raises(MarkerError, match=message):
        classify(source)
    with pytest.raises(RuntimeError):
        nbgrader_kept(source)


def test_configured_delimiters_are_honoured():
    config = Config()
    config.ClearSolutions.begin_solution_delimeter = "<<SOL"
    config.ClearSolutions.end_solution_delimeter = "SOL>>"
    config.ClearHiddenTests.begin_test_delimeter = "<<HIDDEN"
    config.ClearHiddenTests.end_test_delimeter = "HIDDEN>>"
    assert solution_delimiters(config).begin == "<<SOL" and hidden_test_delimiters(config).end == "HIDDEN>>"
    assert solution_delimiters().begin == "BEGIN SOLUTION"
    source = "# <<SOL\nx = 1\n# SOL>>\nassert x\n# <<HIDDEN\nassert x == 1\n# HIDDEN>>\n### BEGIN SOLUTION"
    assert split_secret_lines(source, all_delimiters(config)) == (["x = 1", "assert x == 1"],
                                                                   ["assert x", "### BEGIN SOLUTION"])
    assert public_lines(source, config) == nbgrader_kept(source, config)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    assert secret_lines(nb, config=config) == {"assert x == 1"}
