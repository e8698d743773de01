"""Fixture submissions for the grader: one per status and reason, built from the demo day's release.

Each entry says what the student did and what the grader must conclude. The notebooks are built
from the freshly released demo notebook (cells: title, ``numbers = [1, 2, 3]``, task ex1_task,
answer ex1_answer, test ex1_test) so they always match the gradebook the test course has.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import nbformat
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory

from course.grading.records import Limits
from course.grading.sandbox import choose_sandbox
from course.layout import load_config
from course.venv_path import env_with_venv_bin

ANSWER, TEST = 3, 4
SOLUTION = "doubled = [2 * n for n in numbers]"
TIMESTAMP = "2024-05-01 10:00:00.000000 UTC"
DUE, PENALTY = "2024-05-02 00:00:00 UTC", "zero"  # the demo day's due date and late-penalty method
LATE = "2024-05-03 12:00:00.000000 UTC"


@dataclass(frozen=True)
class Fixture:
    """A student's submission and the verdict the grader must reach."""

    student: str
    story: str
    status: str
    reason: str  # a substring the reason must contain ("" for graded)
    build: Callable[[nbformat.NotebookNode], nbformat.NotebookNode | bytes | None]
    bubblewrap_only: bool = False
    timestamp: str = TIMESTAMP
    files: Callable[[nbformat.NotebookNode], dict[str, bytes | Link]] | None = None  # more files in the folder


def answer(code: str) -> Callable[[nbformat.NotebookNode], nbformat.NotebookNode]:
    """A submission whose answer cell holds ``code``."""
    def build(release: nbformat.NotebookNode) -> nbformat.NotebookNode:
        nb = copy.deepcopy(release)
        nb.cells[ANSWER].source = code
        return nb
    return build


def edit(change: Callable[[nbformat.NotebookNode], None], code: str = "doubled = []") -> Callable:
    """A submission with a wrong answer and a structural change to the notebook."""
    def build(release: nbformat.NotebookNode) -> nbformat.NotebookNode:
        nb = answer(code)(release)
        change(nb)
        return nb
    return build


def extra_cells(code: str, count: int, answer_code: str = SOLUTION) -> Callable:
    """A correct answer followed by ``count`` extra cells of ``code`` (inserted before the test)."""
    def build(release: nbformat.NotebookNode) -> nbformat.NotebookNode:
        nb = answer(answer_code)(release)
        for i in range(count):
            cell = nbformat.v4.new_code_cell(code)
            cell["id"] = f"extra-{i}"
            nb.cells.insert(TEST, cell)
        return nb
    return build


def _edit_test(nb):
    nb.cells[TEST].source = "from helpers.checks import check_equal\n# checks removed"


def _delete_test(nb):
    del nb.cells[TEST]


def _duplicate_test(nb):
    twin = copy.deepcopy(nb.cells[TEST])
    twin["id"] = "twin"
    nb.cells.append(twin)


def _repoint_test(nb):
    nb.cells[TEST].metadata.nbgrader["grade_id"] = "ex1_bonus"


def _change_metadata(nb):
    nb.cells[TEST].metadata.nbgrader["points"] = 5
    nb.cells[TEST].metadata.nbgrader["locked"] = False


SWALLOW_ERRORS = """import ast
class Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=None, name=None, body=[ast.Pass()])
        return ast.Module(body=[ast.Try(body=node.body, handlers=[handler], orelse=[], finalbody=[])], type_ignores=[])
get_ipython().ast_transformers.append(Swallow())
doubled = 'wrong'"""

# Without the probe this earns full marks from plain nbgrader: the failing test publishes no error.
SILENCE_FAILURES = """import helpers.tracebacks as shown
setattr(shown.show_failure, "__co" + "de__", (lambda *args, **kwargs: []).__code__)
doubled = []"""

FORK_MANY = """import subprocess
procs = []
try:
    for _ in range(200):
        procs.append(subprocess.Popen(['sleep', '30']))
finally:
    for proc in procs:
        proc.kill()
"""

def copy_with(code: str) -> Callable[[nbformat.NotebookNode], dict[str, bytes]]:
    """A copy of the notebook made with JupyterLab's Duplicate, whose answer cell holds ``code``."""
    def files(release: nbformat.NotebookNode) -> dict[str, bytes]:
        return {"day01_demo-Copy1.ipynb": nbformat.writes(answer(code)(release)).encode()}
    return files


@dataclass(frozen=True)
class Link:
    """A symbolic link in the submission folder (written by write_submissions)."""

    target: str


def untitled(release: nbformat.NotebookNode) -> dict[str, bytes]:
    scratch = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(2 * 21)")])
    return {"Untitled.ipynb": nbformat.writes(scratch).encode()}


FIXTURES = [
    Fixture("alice_full", "honest, correct answer", "graded", "", answer(SOLUTION)),
    Fixture("bob_blank", "honest, left the stub", "graded", "", lambda release: copy.deepcopy(release)),
    Fixture("carol_hidden", "passes the visible test, fails the hidden one", "graded", "",
            answer("numbers = [1, 2]\ndoubled = [2, 4, 6]")),
    Fixture("dan_wrong", "honest, a wrong answer the visible test reports", "graded", "",
            answer("doubled = [1, 2, 3]")),
    Fixture("dave_loop", "loops forever", "failed", "timeout", answer("while True:\n    pass")),
    Fixture("sam_stubborn", "loops forever and ignores interrupts", "failed", "timeout",
            answer("import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                   "while True:\n    time.sleep(0.05)")),
    Fixture("steve_slow", "each cell in time, the notebook too slow", "failed", "timeout",
            extra_cells("import time\ntime.sleep(6)", 5)),
    Fixture("erin_exit", "kills its kernel", "failed", "kernel died", answer("import os\nos._exit(3)")),
    Fixture("frank_reads", "tries to read the solutions", "failed", "sandbox violation",
            answer(SOLUTION + "\nsecret = open('../../../source/day01_demo/day01_demo.ipynb').read()")),
    Fixture("gina_peeks", "lists other students' work", "failed", "sandbox violation",
            answer(SOLUTION + "\nimport os\nothers = os.listdir('../..')")),
    Fixture("walter_net", "opens a network connection", "failed", "sandbox violation",
            answer(SOLUTION + "\nimport socket\nsocket.create_connection(('198.51.100.7', 80), timeout=2)")),
    Fixture("xena_link", "links the gradebook into its folder", "failed", "sandbox violation",
            answer(SOLUTION + "\nimport os\nos.symlink('../../../gradebook.db', 'grades.db')")),
    Fixture("mona_memory", "allocates too much memory", "failed", "resource limit",
            answer("big = bytearray(16 * 1024**3)\n" + SOLUTION)),
    Fixture("pete_procs", "starts too many processes", "failed", "resource limit",
            answer(FORK_MANY + SOLUTION), bubblewrap_only=True),
    Fixture("trent_garbage", "not a notebook at all", "failed", "not a valid notebook",
            lambda release: b"this is not a notebook"),
    Fixture("uma_missing", "a folder without the notebook", "failed",
            "not a valid notebook: no gradable notebook in the submission (expected day01_demo.ipynb)",
            lambda release: None),
    Fixture("kate_copy", "worked in a Duplicate, left the original untouched", "failed",
            "extra notebook: day01_demo-Copy1.ipynb holds answers (ex1_answer)", lambda release: copy.deepcopy(release),
            files=copy_with(SOLUTION)),
    Fixture("liam_scratch", "correct, with a scratch notebook beside it", "graded",
            "extra notebook: Untitled.ipynb is not part of the assignment", answer(SOLUTION), files=untitled),
    Fixture("lucy_late", "correct, handed in late (penalty method zero)", "graded",
            "late: submitted 1 d 12 h after the due date; late-submission penalty 1 point(s)", answer(SOLUTION),
            timestamp=LATE),
    Fixture("vera_link", "hands in a link to a data file that is not there", "failed",
            "not a valid notebook: a file of the submission cannot be copied", answer(SOLUTION),
            files=lambda release: {"data.csv": Link("/nonexistent/data.csv")}),
    Fixture("tom_timestamp", "correct, with a timestamp.txt that is not a time", "graded",
            "timestamp: timestamp.txt holds 'sometime on friday', which is not a date and time", answer(SOLUTION),
            timestamp="sometime on friday"),
    Fixture("grace_edits", "edits the test cell", "flagged", "edited test cell ex1_test", edit(_edit_test)),
    Fixture("heidi_deletes", "deletes the test cell", "flagged", "deleted test cell ex1_test", edit(_delete_test)),
    Fixture("ivan_copies", "duplicates the test cell", "flagged", "duplicated test cell ex1_test",
            edit(_duplicate_test)),
    Fixture("judy_repoints", "re-points the test cell", "flagged", "re-pointed cell", edit(_repoint_test)),
    Fixture("mallory_meta", "changes points and unlocks the test", "flagged", "changed metadata of ex1_test",
            edit(_change_metadata)),
    Fixture("oscar_patch", "replaces the checker", "flagged", "helpers.checks.check_equal",
            answer("import helpers.checks\nhelpers.checks.check_equal = lambda *args, **kwargs: None\ndoubled = []")),
    Fixture("quentin_sneaky", "replaces the checker in a way the static scan misses", "flagged",
            "helpers.checks.check_equal was patched at runtime",
            answer("import helpers.checks as hc\nvars(hc).update(check_equal=print)\ndoubled = []")),
    Fixture("peggy_swallow", "swallows every error in later cells", "flagged", "code transformers",
            answer(SWALLOW_ERRORS)),
    Fixture("tina_traceback", "hides tracebacks", "flagged", "showtraceback",
            answer("get_ipython().showtraceback = lambda *args, **kwargs: None\ndoubled = []")),
    Fixture("victor_silent", "silences the checkers' short failure reports past the static scan", "flagged",
            "helpers.tracebacks.show_failure was patched at runtime", answer(SILENCE_FAILURES)),
]
HONEST = ["alice_full", "bob_blank", "carol_hidden", "dan_wrong"]
# Graded alike by plain nbgrader (which skips the scratch notebook and applies the same penalty).
COMPARED = HONEST + ["liam_scratch", "lucy_late"]
SERIAL_STUDENTS = COMPARED + ["peggy_swallow"]


@lru_cache(maxsize=1)
def sandbox_mode() -> str:
    """The mode ``--sandbox auto`` picks on this machine (bubblewrap where it is installed and works)."""
    return choose_sandbox("auto", Limits()).mode


def active_fixtures() -> list[Fixture]:
    """The fixtures that apply here (the process limit is only enforceable with bubblewrap as root)."""
    return [f for f in FIXTURES if not f.bubblewrap_only or sandbox_mode() == "bubblewrap"]


def write_submissions(root: Path, day: str, release: nbformat.NotebookNode, fixtures: list[Fixture]) -> None:
    """Lay the fixtures out as nbgrader's collect would: submitted/<student>/<day>/<day>.ipynb + timestamp."""
    for fixture in fixtures:
        folder = root / "submitted" / fixture.student / day
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "timestamp.txt").write_text(fixture.timestamp)
        for name, data in (fixture.files(release) if fixture.files else {}).items():
            if isinstance(data, Link):
                (folder / name).symlink_to(data.target)
            else:
                (folder / name).write_bytes(data)
        content = fixture.build(release)
        if content is None:
            (folder / "README.txt").write_text("forgot the notebook")
        elif isinstance(content, bytes):
            (folder / f"{day}.ipynb").write_bytes(content)
        else:
            nbformat.write(content, str(folder / f"{day}.ipynb"))


def env() -> dict[str, str]:
    """The environment for nbgrader commands: nbgrader calls ``alembic`` by name, so the environment's
    bin/ goes first on PATH."""
    return env_with_venv_bin()


def set_duedate(root: Path, assignment: str, duedate: str) -> None:
    """Give an assignment a due date in the gradebook (as ``nbgrader db assignment add --duedate``)."""
    coursedir = CourseDirectory(config=load_config(root))
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        gb.update_or_create_assignment(assignment, duedate=duedate)
