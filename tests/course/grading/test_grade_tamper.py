"""Tampering visible before a notebook runs: cells against the gradebook, and the static code scan."""

from __future__ import annotations

import copy

import nbformat
import pytest
from democourse import demo_notebook

from course.grading.codescan import imported_names, scan_code
from course.grading.gradebook import ExpectedCell, ExpectedNotebook, checker_names
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
                                {"numbers = [1, 2, 3]", VISIBLE_TEST}, checker_names([VISIBLE_TEST]))
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
    (lambda nb: nb.cells[4].metadata.nbgrader.update(locked=False), "changed metadata of ex1_test: locked True -> False"),
    (lambda nb: setattr(nb.cells[2], "source", "Do whatever."), "edited locked cell ex1_task"),
    (lambda nb: nb.cells.insert(3, nb.cells.pop(4)), "moved cells"),
    (lambda nb: nb.cells[1].metadata.update(nbgrader={"grade": True, "points": 5}), "marked for grading without a grade_id"),
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


@pytest.mark.parametrize("code, finding", [
    ("import helpers.checks\nhelpers.checks.check_equal = lambda *a, **k: None", "assigns helpers.checks.check_equal"),
    ("from helpers import checks\nchecks.check_equal = print", "assigns helpers.checks.check_equal"),
    ("import torch\ntorch.allclose = lambda *a, **k: True", "assigns torch.allclose"),
    ("def check_equal(*args, **kwargs):\n    pass", "redefines check_equal"),
    ("AssertionError = Warning", "rebinds AssertionError"),
    ("get_ipython().showtraceback = print", "touches the kernel's error reporting (showtraceback)"),
    ("ip = get_ipython()\nip.set_custom_exc((AssertionError,), print)", "set_custom_exc"),
    ("import sys\nsys.excepthook = print", "uses sys.excepthook"),
    ("import sys\nsys.settrace(lambda *a: None)", "uses sys.settrace"),
    ("exec('x = 1')", "runs dynamically built code (exec)"),
    ("import gc\nfound = gc.get_objects()", "imports gc"),
    ("import builtins\nbuiltins.isinstance = lambda *a: True", "imports builtins"),
    ("f = lambda: 1\nf.__code__ = (lambda: 2).__code__", "reaches into __code__"),
    ("%xmode Minimal", "uses the %xmode magic"),
    ("from unittest import mock\nmock.patch('helpers.checks.check_equal').start()", "imports unittest.mock"),
])
def test_the_static_scan_names_patching_tricks(code, finding):
    findings = scan_code(code, imported_names([code, VISIBLE_TEST]), {"check_equal"})
    assert any(finding in f for f in findings), findings


@pytest.mark.parametrize("code", [
    "doubled = [2 * n for n in numbers]",
    "import torch\nfrom torch import nn\nmodel = nn.Linear(2, 3)\nmodel.eval()\nloss = torch.nn.functional.mse_loss",
    "import torch\ntorch.backends.cudnn.deterministic = True\ntorch.manual_seed(0)",
    "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(2, 2)",
    "import matplotlib.pyplot as plt\nplt.rcParams['figure.figsize'] = (4, 3)\n%matplotlib inline",
    "total = 0\nfor n in numbers:\n    total += n\nprint(f'{total=}')",
    "x = [1, 2, 3\n",  # a syntax error fails when it runs; it is not tampering
])
def test_the_static_scan_leaves_ordinary_answers_alone(code):
    assert scan_code(code, imported_names([code, "from torch import nn"]), {"check_equal"}) == []


def test_checker_names_come_from_the_test_cells_imports():
    names = checker_names(["from helpers.checks import check_equal, check_tensor as ct\nimport helpers.plots"])
    assert names == {"check_equal", "ct", "helpers"}
