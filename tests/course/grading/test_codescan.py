"""The static scan reports evidence, not names: zero findings on the lessons and on common notebook
habits, and every trick that can change a verdict is named."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from course.grading.codescan import free_names, imported_names, inherited_names, scan_code
from course.markers import without_solution_markers

REPO = Path(__file__).resolve().parents[3]
HABITS = Path(__file__).with_name("honest_habits.txt")
VISIBLE_TEST = "from helpers.checks import check_equal\n\ncheck_equal(doubled, [2, 4, 6], name='doubled')"


def habit_cells() -> dict[str, str]:
    """The corpus of honest habits: title -> cell source."""
    cells, title = {}, None
    for line in HABITS.read_text(encoding="utf-8").splitlines():
        marker = re.match(r"^# %% (.+)$", line)
        if marker:
            title = marker.group(1)
            cells[title] = []
        elif title is not None:
            cells[title].append(line)
    return {title: "\n".join(lines).strip() + "\n" for title, lines in cells.items()}


def lesson_cells() -> list[tuple[str, str, dict[str, str], dict[str, str]]]:
    """Every code cell of every lesson, as a student could have written it, with its notebook's
    imports and the names its test cells take from earlier imports."""
    found = []
    for path in sorted(REPO.glob("source/day*/day*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        tests = [c.source for c in code if c.metadata.get("nbgrader", {}).get("grade")]
        instructor = [c.source for c in code if not c.metadata.get("nbgrader", {}).get("solution")]
        sources = [without_solution_markers(c.source) for c in code]
        imports, needed = imported_names(sources), inherited_names(tests, instructor)
        found += [(f"{path.parent.name} cell {i + 1}", source, imports, needed) for i, source in enumerate(sources)]
    return found


def test_the_corpus_is_large_and_varied():
    cells = habit_cells()
    assert len(cells) >= 100
    text = "\n".join(cells.values())
    for habit in ("display.clear_output(wait=True)", "from IPython.display import display", "gc.collect()",
                  "pd.options.display.max_rows = 20", "%load_ext autoreload", "%env", "num_workers=2", "n_jobs",
                  "tqdm(", "logging.basicConfig", "exec(", "%xmode"):
        assert habit in text, habit


def test_no_finding_on_any_honest_habit():
    findings = {}
    for title, source in habit_cells().items():
        found = scan_code(source, imported_names([source]), {"check_equal": "helpers.checks.check_equal"})
        if found:
            findings[title] = found
    assert findings == {}


def test_no_finding_on_any_code_cell_of_the_lessons():
    cells = lesson_cells()
    assert len(cells) > 300
    findings = {where: scan_code(source, imports, needed) for where, source, imports, needed in cells}
    assert {where: found for where, found in findings.items() if found} == {}


HOSTILE = [
    ("import helpers.checks\nhelpers.checks.check_equal = lambda *a, **k: None", "assigns helpers.checks.check_equal"),
    ("from helpers import checks\nchecks.check_equal = print", "assigns helpers.checks.check_equal"),
    ("import helpers.checks\ndel helpers.checks.check_tensor", "deletes helpers.checks.check_tensor"),
    ("import helpers.checks\nhelpers.checks.TOLERANCE = 1.0", "assigns helpers.checks.TOLERANCE"),
    ("import torch\ntorch.allclose = lambda *a, **k: True", "assigns torch.allclose"),
    ("import torch\ntorch.float32 = torch.float64", "assigns torch.float32"),
    ("from torch import nn\nnn.Module.__call__ = lambda self, x: x", "assigns torch.nn.Module.__call__"),
    ("import numpy as np\nsetattr(np, 'allclose', lambda *a, **k: True)", "calls setattr on numpy"),
    ("import builtins\nbuiltins.isinstance = lambda *a: True", "assigns builtins.isinstance"),
    ("__builtins__.isinstance = lambda *a: True", "assigns builtins.isinstance"),
    ("__builtins__['len'] = lambda x: 3", "a builtin through __builtins__"),
    ("import helpers.checks as hc\nvars(hc).update(check_equal=print)", "changes the namespace of helpers.checks"),
    ("import helpers.checks as hc\nhc.__dict__['check_equal'] = print", "namespace of helpers.checks"),
    ("from helpers.checks import check_equal\ncheck_equal.__globals__['np'] = None",
     "globals of helpers.checks.check_equal"),
    ("from helpers.checks import check_equal\ng = check_equal.__globals__\ng['np'] = None", "reaches into the globals"),
    ("import helpers.checks as hc\nspace = vars(hc)\nspace['np'] = None", "namespace of helpers.checks"),
    ("import numpy as np\nns = np.__dict__\nns['allclose'] = max", "namespace of numpy"),
    ("def check_equal(*args, **kwargs):\n    pass", "rebinds check_equal"),
    ("check_equal = print", "rebinds check_equal"),
    ("from mylib import check_equal", "rebinds check_equal"),
    ("AssertionError = Warning", "rebinds the builtin AssertionError"),
    ("def isinstance(obj, kind):\n    return True", "rebinds the builtin isinstance"),
    ("f = lambda: 1\nf.__code__ = (lambda: 2).__code__", "assigns __code__"),
    ("from helpers.checks import check_close\ncheck_close.__defaults__ = (1.0, 1.0)", "assigns __defaults__"),
    ("get_ipython().showtraceback = print", "error reporting (showtraceback)"),
    ("ip = get_ipython()\nip.set_custom_exc((AssertionError,), print)", "error reporting (set_custom_exc)"),
    ("get_ipython().ast_transformers.append(object())", "error reporting (ast_transformers)"),
    ("get_ipython().input_transformers_post.insert(0, str)", "error reporting (input_transformers_post)"),
    ("get_ipython().InteractiveTB.structured_traceback = lambda *a, **k: []", "structured_traceback"),
    ("get_ipython().events.register('pre_run_cell', print)", "registers a kernel event callback"),
    ("import sys\nsys.excepthook = print", "assigns sys.excepthook"),
    ("import sys\nsys.settrace(lambda *a: None)", "uses sys.settrace"),
    ("import threading\nthreading.settrace(print)", "uses threading.settrace"),
    ("import sys\nsys.meta_path.insert(0, object())", "changes sys.meta_path (import hooks)"),
    ("import sys, types\nsys.modules['helpers.checks'] = types.ModuleType('fake')", "replaces a module in sys.modules"),
    ("import sys\nframe = sys._getframe(1)", "uses sys._getframe"),
    ("import inspect\nexpected = inspect.currentframe().f_back.f_locals['expected']", "inspect.currentframe"),
    ("from inspect import stack\ncaller = stack()[1]", "uses inspect.stack"),
    ("def answer():\n    import sys\n    return sys._getframe(1).f_locals['want']", "reaches into f_locals"),
    ("import gc\nfound = gc.get_objects()", "uses gc.get_objects"),
    ("import gc\nowners = gc.get_referrers(print)", "uses gc.get_referrers"),
    ("classes = object.__subclasses__()", "reaches into __subclasses__"),
    ("import ctypes\nctypes.pythonapi.PyFrame_LocalsToFast", "uses ctypes.pythonapi"),
    ("from unittest import mock\nmock.patch('helpers.checks.check_equal').start()",
     "patches helpers.checks.check_equal"),
    ("from unittest.mock import patch\nimport torch\npatch.object(torch, 'allclose', return_value=True).start()",
     "patches torch (mock.patch.object)"),
    ("import asyncio\nawait asyncio.sleep(0)\nimport torch\ntorch.equal = lambda *a: True", "assigns torch.equal"),
    ("%%time\nimport helpers.checks\nhelpers.checks.check_true = print", "assigns helpers.checks.check_true"),
]


@pytest.mark.parametrize("code, finding", HOSTILE, ids=[f"{i:02d}" for i in range(len(HOSTILE))])
def test_every_trick_that_can_change_a_verdict_is_named(code, finding):
    checkers = {"check_equal": "helpers.checks.check_equal"}
    findings = scan_code(code, imported_names([code, VISIBLE_TEST]), checkers)
    assert any(finding in f for f in findings), findings


def test_rebinding_a_checker_that_the_test_imports_itself_changes_nothing():
    # Every test cell of the lessons imports its checkers: a student's own check_equal is harmless.
    needed = inherited_names([VISIBLE_TEST], ["numbers = [1, 2, 3]"])
    assert needed == {}
    assert scan_code("def check_equal(a, b):\n    return a == b", imported_names([VISIBLE_TEST]), needed) == []


def test_names_a_test_takes_from_earlier_imports_are_protected():
    test = "check_equal(doubled, [2, 4, 6], name='doubled')\nassert torch.equal(t, torch.ones(2))"
    needed = inherited_names([test], ["import torch", "from helpers.checks import check_equal", "numbers = [1, 2, 3]"])
    assert needed == {"check_equal": "helpers.checks.check_equal", "torch": "torch"}
    imports = imported_names(["import torch"])
    assert scan_code("import torch\nimport torch as torch", imports, needed) == []  # the same thing again
    assert "rebinds torch" in scan_code("class torch:\n    equal = max", imports, needed)[0]
    assert free_names(test) == {"check_equal", "doubled", "torch", "t"}


def test_a_cell_that_does_not_parse_has_no_findings():
    assert scan_code("x = [1, 2, 3\n", {}, {}) == []
