"""Shared set-up for the round-trip tests: scratch copies of the course, isolated environments and Day 01.

These tests drive the real software (nbgrader's command line, JupyterLab, Chromium) against a throw-away
copy of the course, never against the working tree: nbgrader writes a gradebook and student folders, and
a running JupyterLab autosaves outputs into every notebook it opens.
"""

from __future__ import annotations

import ast
import asyncio
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from course.kernels import PROVISIONER_ENV
from course.markers import HIDDEN_TESTS, SOLUTION, marked_lines, without_solution_markers
from course.venv_path import path_with_venv_bin

REPO = Path(__file__).resolve().parents[2]
DAY = "day01_tensors"
ARTIFACTS = REPO / "artifacts" / "roundtrip"
STUB_MARKER = "# YOUR CODE HERE"
# Environment variables of the person running the tests that must not leak into the scratch course.
LEAKY_PREFIXES = ("JUPYTER", "NBGRADER", "IPYTHON", "MPLBACKEND", "PYTHONPATH")


def course_files(repo: Path) -> list[str]:
    """The files a fresh clone of ``repo`` holds: tracked ones plus new ones git does not ignore."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=repo, capture_output=True, check=True, timeout=60)
        return [name for name in out.stdout.decode().split("\0") if name]
    except (OSError, subprocess.SubprocessError):
        skip = {".git", ".venv", "artifacts", "workspace", "submitted", "autograded", "feedback", "__pycache__",
                ".ipynb_checkpoints", ".pytest_cache"}
        return [str(p.relative_to(repo)) for p in repo.rglob("*")
                if p.is_file() and not skip & set(p.relative_to(repo).parts) and p.name != "gradebook.db"]


def copy_course(dest: Path, days: tuple[str, ...] | None = (DAY,)) -> Path:
    """Copy the course into ``dest``: everything a clone holds, with only ``days`` (None: all) of the days.

    ``helpers/`` stays out: kernels import the helpers package installed in the environment (this
    checkout's), and the grader must find that same package, not a second copy beside the scratch course.
    """
    for name in course_files(REPO):
        parts = Path(name).parts
        if parts[0] == "helpers":
            continue
        if days is not None and len(parts) > 2 and parts[0] in ("source", "release") and parts[1] not in days:
            continue
        source = REPO / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment with its own HOME and Jupyter folders, the venv first on PATH, nothing of the user's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(LEAKY_PREFIXES)}
    jupyter = home / ".jupyter"
    jupyter.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(jupyter),
        JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / ".local" / "share" / "jupyter" / "runtime"),
        IPYTHONDIR=str(home / ".ipython"),
        PATH=path_with_venv_bin(env.get("PATH")),
        PYTHONDONTWRITEBYTECODE="1",
        # Kernels over private Unix sockets (course/kernels.py), as the course's own configs choose them.
        **PROVISIONER_ENV,
    )
    env.update(extra)
    return env


def run_command(args: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 120,
                log: Path | None = None) -> subprocess.CompletedProcess:
    """Run a command to completion (bounded by ``timeout``); fail the test with its output if it fails."""
    start = time.perf_counter()
    try:
        result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        pytest.fail(f"`{' '.join(args)}` did not finish within {timeout:g} s in {cwd}:\n{err.stdout}\n{err.stderr}")
    if log is not None:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"$ (cd {cwd} && {' '.join(args)})  -> exit {result.returncode} "
                      f"in {time.perf_counter() - start:.1f} s\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        pytest.fail(f"`{' '.join(args)}` exited with {result.returncode} in {cwd}:\n{result.stdout}\n{result.stderr}")
    return result


def _cell_by_id(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    """The cell whose nbgrader grade_id is ``grade_id``."""
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _hints_for(test_source: str, name: str) -> dict[str, str]:
    """The ``hints`` a test cell passes to the checker call whose ``name=`` is ``name``."""
    for node in ast.walk(ast.parse(test_source)):
        if isinstance(node, ast.Call):
            keywords = {kw.arg: kw.value for kw in node.keywords}
            named = keywords.get("name")
            if isinstance(named, ast.Constant) and named.value == name and "hints" in keywords:
                return ast.literal_eval(keywords["hints"])
    return {}


@dataclass(frozen=True)
class Exercise:
    """One exercise of a day as the tests need it: where its cells are and how to answer it."""

    grade_id: str          # of the answer cell, e.g. ex1_answer
    answer_index: int      # cell index of the answer cell in the released notebook
    test_index: int        # cell index of its graded test cell
    stub: str              # the answer cell as released
    solved: str            # the answer cell as a student who solved it leaves it
    test_source: str       # the released (visible) test cell

    def answered_with(self, lines: str) -> str:
        """The answer cell with the stub's `# YOUR CODE HERE` block replaced by ``lines``."""
        keep = self.stub.split(STUB_MARKER)[0]
        return keep + lines

    def hints(self, name: str) -> dict[str, str]:
        """The hints the visible test gives about ``name``, by stage (``shape``, ``dtype``, ...)."""
        return _hints_for(self.test_source, name)


@dataclass(frozen=True, repr=False)
class Day:
    """A released day of the course, read from the committed notebooks."""

    name: str
    source: nbformat.NotebookNode
    release: nbformat.NotebookNode
    exercises: dict[str, Exercise]  # keyed by the answer cell's grade_id

    def __repr__(self) -> str:  # short, for pytest's failure reports
        return f"Day({self.name!r}, exercises={list(self.exercises)})"

    @property
    def max_score(self) -> float:
        """Total points of the day's graded cells."""
        return float(sum(cell.metadata["nbgrader"].get("points", 0) for cell in self.source.cells
                         if cell.metadata.get("nbgrader", {}).get("grade")))

    def exercise_defining(self, name: str) -> Exercise:
        """The exercise whose solution assigns ``name`` (e.g. ``adjusted``)."""
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=", re.MULTILINE)
        for exercise in self.exercises.values():
            if pattern.search("\n".join(marked_lines(self.source_cell(exercise.grade_id).source, SOLUTION))):
                return exercise
        raise LookupError(f"No exercise of {self.name} defines `{name}`.")

    def source_cell(self, grade_id: str) -> nbformat.NotebookNode:
        """The instructor's version of the cell with this grade_id."""
        return _cell_by_id(self.source, grade_id)

    def hidden_lines(self) -> set[str]:
        """Lines of hidden tests that appear nowhere else in the source notebook (so must never leak)."""
        hidden, public = set(), set()
        for cell in self.source.cells:
            secret = {line.strip() for line in marked_lines(cell.source, HIDDEN_TESTS)}
            hidden |= secret
            public |= {line.strip() for line in cell.source.splitlines()} - secret
        return {line for line in hidden - public if len(line) >= 12 and not line.startswith("#")}

    def solve(self, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        """Fill every answer cell of a fetched notebook with the solution, as a diligent student would."""
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in self.exercises:
                cell.source = self.exercises[grade_id].solved
        return nb


def load_day(day: str = DAY, root: Path = REPO) -> Day:
    """Read ``day``'s source and released notebooks and index its exercises."""
    source_path = root / "source" / day / f"{day}.ipynb"
    release_path = root / "release" / day / f"{day}.ipynb"
    for path in (source_path, release_path):
        if not path.is_file():
            pytest.fail(f"{path.relative_to(root)} is missing: the round trip runs on the released {day}.")
    source = nbformat.read(str(source_path), as_version=4)
    release = nbformat.read(str(release_path), as_version=4)
    exercises = {}
    cells = release.cells
    for index, cell in enumerate(cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("solution") or meta.get("grade"):
            continue
        test_index = next(i for i in range(index + 1, len(cells)) if cells[i].metadata.get("nbgrader", {}).get("grade"))
        exercises[meta["grade_id"]] = Exercise(
            grade_id=meta["grade_id"], answer_index=index, test_index=test_index, stub=cell.source,
            solved=without_solution_markers(_cell_by_id(source, meta["grade_id"]).source),
            test_source=cells[test_index].source,
        )
    return Day(day, source, release, exercises)


@pytest.fixture(scope="session")
def day01() -> Day:
    """Day 01 as committed (source and release)."""
    return load_day(DAY)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where the round-trip tests keep screenshots and logs (ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# Test modules get the tools below through fixtures (conftest modules are not meant to be imported).
@pytest.fixture(scope="session")
def course_copy():
    """``course_copy(dest, days=(DAY,))``: a scratch copy of the course in ``dest`` (``days=None``: every day)."""
    return copy_course


@pytest.fixture(scope="session")
def env_for():
    """``env_for(home, **extra)``: an isolated environment whose HOME is ``home``."""
    return isolated_env


@pytest.fixture(scope="session")
def run():
    """``run(args, cwd=, env=, timeout=, log=)``: run a command, failing the test with its output if it fails."""
    return run_command


# --- A class on a real JupyterHub (deploy/jupyterhub/) --------------------------------------------------
# One hub for every hub test: an instructor, a teaching assistant who grades, and three students.
HUB_ROSTER = {"ann": "instructor", "tom": "grader", "alice": "student", "bob": "student", "carol": "student"}
HUB_LOGINS = ("ann", "tom", "alice", "bob")   # carol logs in with a browser
HUB_SERVERS = ("ann", "alice", "bob")


@pytest.fixture(scope="session")
def hub(artifacts):
    """The course's JupyterHub on loopback (course.scratchhub), stopped and cleaned away after the session."""
    from course.scratchhub import ScratchHub, missing_requirements

    why = missing_requirements()
    if why:
        pytest.skip(f"hub tests: {why}")
    scratch = ScratchHub(HUB_ROSTER, log_dir=artifacts)
    try:
        scratch.start()
    except RuntimeError as err:
        scratch.stop()
        pytest.fail(str(err))
    yield scratch
    scratch.stop()


@pytest.fixture(scope="session")
def hub_tokens(hub) -> dict[str, str]:
    """Everyone in HUB_LOGINS logs in through the hub's login page and gets a token from the hub; those
    in HUB_SERVERS start their servers, all at once as a class does. Returns ``{short name: token}``."""
    from course.hubclient import HubUser

    async def log_in(short: str) -> tuple[str, str]:
        async with HubUser(hub.url, hub.name(short)) as person:
            await person.log_in(hub.password)
            token = await person.request_token(note="hub tests")
            if short in HUB_SERVERS:
                await person.start_server(deadline=240)
            return short, token

    async def everyone():
        return dict(await asyncio.gather(*(log_in(short) for short in HUB_LOGINS)))

    return asyncio.run(everyone())


@pytest.fixture(scope="session")
def hub_person(hub, hub_tokens):
    """``hub_person(short)``: a course.hubclient.HubUser holding that person's token (use ``async with``)."""
    from course.hubclient import HubUser

    return lambda short: HubUser(hub.url, hub.name(short), token=hub_tokens[short], timeout=120)


@pytest.fixture(scope="session")
def hub_released(hub, hub_person) -> str:
    """The instructor has released Day 01 from the formgrader of the course service."""
    async def release():
        async with hub_person("ann") as ann:
            return await ann.call("POST", f"/services/{hub.course_id}/formgrader/api/assignment/{DAY}/release")

    answer = asyncio.run(release())
    assert answer.status_code == 200 and answer.json()["success"], f"release from the formgrader: {answer.text}"
    return DAY
